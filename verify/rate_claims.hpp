// Rate claims over a sweep (docs/math.md#rate-verdict): per [[case]] block, bound and swept
// variable, the cases that differ only in that variable form a group whose measured exponents are
// fitted; every claim gets an entry, inconclusive with the reason where no fit can be made.
#pragma once

#include "verify/plan.hpp"
#include "verify/run_summary.hpp"
#include "verify/suite.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace diffbound {

// The cases of a run with their results, as the rate claims and figures read them.
struct RunCases {
  const std::vector<const SuiteCase*>& cases;
  const std::vector<CaseResult>& results;
  const BoundRegistry& registry;
};

// KL_inf of a case (the same case at 100 T steps in double), for claims on KL_T - KL_inf.
struct Limit {
  std::optional<ExactQuantities> exact;
  std::string error;
};
// The cases whose limit some fitted minus_limit claim reads (computed by the pool before the fits).
std::vector<std::size_t> cases_needing_limits(const std::vector<Suite>& suites, const RunCases& run);
CaseSpec limit_spec(const CaseResult& r);

// Appends the rate entries to report["rates"] and their plots to report["plots"]; counts them.
void add_rate_claims(nlohmann::json& report, const std::vector<Suite>& suites, const RunCases& run,
                     const std::map<std::size_t, Limit>& limits, RunSummary& summary);

// The swept value of a case along a variable (T, d, kappa, kappa_H).
double swept_value(const std::string& var, const ExactQuantities& e);
// A plot point [x, value], or [x, value, lo, hi] when the enclosure is not a certified point (an
// estimated mixture result): the renderer draws lo..hi as an error bar where it is visible.
nlohmann::json plot_point(double x, const Enclosure& e);
// Variable name -> the case key it sweeps ("T" -> "schedule.steps").
const std::map<std::string, std::string>& variable_keys();

}  // namespace diffbound
