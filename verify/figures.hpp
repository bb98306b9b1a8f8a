// [[figure]]: KL against one variable, a curve per named [[case]] block (and per group of its other
// swept keys), which the per-block plots of the rate claims cannot draw together.
#pragma once

#include "verify/rate_claims.hpp"

namespace diffbound {

// Appends every figure of every suite to report["plots"].
void add_figures(nlohmann::json& report, const std::vector<Suite>& suites, const RunCases& run);

}  // namespace diffbound
