// The computed results of a shard (verify/shard.hpp) as JSON and back, exactly: every double round-trips
// (non-finite ones as "inf", "-inf", "nan"), every string and enum as it was. An internal format between
// processes of one revision (the part records the revision and merge refuses another), not report.json.
#pragma once

#include "verify/plan.hpp"

#include <nlohmann/json.hpp>

namespace diffbound {

nlohmann::json part_json(const Enclosure& e);
nlohmann::json part_json(const ExactQuantities& q);
nlohmann::json part_json(const CaseResult& r);  // without r.computed: merge plans it again (plan_case) at r's digits

// The inverses; throw InputError naming `field` when the JSON is not what part_json writes.
Enclosure enclosure_from_part(const nlohmann::json& j, const std::string& field);
ExactQuantities exact_from_part(const nlohmann::json& j, const std::string& field);
// `plan` is the case's first plan (plan_case): the result's spec is it at the recorded digits.
CaseResult case_result_from_part(const nlohmann::json& j, const CasePlan& plan, const std::string& field);

}  // namespace diffbound
