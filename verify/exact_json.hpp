// The JSON of a case and of its exact quantities (report.json's pieces and `diffbound kl --json`), and
// their terminal summary (`diffbound kl`).
#pragma once

#include "numerics/case_spec.hpp"
#include "numerics/exact.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace diffbound {

nlohmann::json quantity_json(const Enclosure& q);
nlohmann::json case_json(const CaseSpec& spec);
nlohmann::json exact_json(const CaseSpec& spec, const ExactQuantities& q);
std::string exact_summary(const CaseSpec& spec, const ExactQuantities& q);

// Version and git revision of this build.
nlohmann::json build_json();

}  // namespace diffbound
