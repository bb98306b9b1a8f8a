// JSON and terminal renderings of a case's exact quantities (the `diffbound kl` output).
#pragma once

#include "numerics/case_spec.hpp"
#include "numerics/exact.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace diffbound {

nlohmann::json quantity_json(const Quantity& q, bool certified, const std::string& method);
nlohmann::json case_json(const CaseSpec& spec);
nlohmann::json exact_json(const CaseSpec& spec, const ExactQuantities& q);
std::string exact_summary(const CaseSpec& spec, const ExactQuantities& q);

// Version and git revision of this build.
nlohmann::json build_json();

}  // namespace diffbound
