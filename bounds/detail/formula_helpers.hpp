// Small helpers the bound formulas share; each works for double, mpfr_real and interval_real.
#pragma once

#include "numerics/real.hpp"

namespace diffbound::detail {

// sqrt of a quantity that is non-negative in exact arithmetic (a KL, an E_T) but whose enclosure or
// rounded value may dip below 0: clamp first, so an interval straddling 0 stays a valid enclosure.
template <class Real> Real sqrt_nonneg(const Real& x) {
  using std::sqrt;
  return sqrt(max_of(x, Real(0)));
}

// (log T)^2 and friends, written once so every shape uses the same natural log.
template <class Real> Real log_pow(const Real& T, int k) {
  using std::log;
  Real l = log(T), out = Real(1);
  for (int i = 0; i < k; ++i) out *= l;
  return out;
}

}  // namespace diffbound::detail
