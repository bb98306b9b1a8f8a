// Up-front estimates of what a case costs (memory, time), checked before any work like the cap on
// dim: a case that would be killed for memory, or run for hours, is bad input naming the field that
// drives the cost. The estimates are models calibrated on the engines (docs/case-file.md, "Resource
// limits"), good to a small factor; the limits are set far from every shipped suite.
#pragma once

#include "numerics/case_spec.hpp"

#include <string>

namespace diffbound {

// The limits a case must stay under (estimated).
inline constexpr double max_case_bytes = 8.0 * (1L << 30);  // 8 GiB
inline constexpr double max_case_seconds = 2 * 3600.0;      // 2 hours
// The mixture engine sizes its grid and stencil from the unit roundoff as a double, which
// underflows above ~323 digits: MPFR mixture runs are limited to this many digits.
inline constexpr unsigned max_mixture_digits = 300;

struct ResourceEstimate {
  double bytes = 0, seconds = 0;
  std::string path;  // fast | dense | continuous | mixture: the engine the model is for
};

// The model: bytes = steps x (numbers kept per step) x (bytes per number of the precision) plus the
// engine's matrices; seconds = steps x (work per step: distinct directions, d^3 on the dense path,
// one line's grid for mixtures) x (cost of one operation in the precision at its digits).
ResourceEstimate estimate_resources(const CaseSpec& spec);

// Throws InputError naming the field (schedule.steps, target.dim, numerics.digits) and its value
// when the estimate exceeds a limit. verify/ calls it when a case is read; compute_exact calls it
// again on the case it actually runs (e.g. a suite's certified twin, the 100 T twin).
void check_resource_caps(const CaseSpec& spec);

}  // namespace diffbound
