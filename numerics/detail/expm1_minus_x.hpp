#pragma once
// expm1(x) - x without cancellation, in every number type (the continuous-time engine's exponential
// integrator and the exponential VP schedule, numerics/vp_schedule.hpp).

#include "numerics/detail/guard_bits.hpp"
#include "numerics/real.hpp"

#include <cmath>
#include <type_traits>

namespace diffbound::detail {

// expm1(x) - x = x^2/2 + x^3/6 + ... without cancellation: series for small |x| in double, otherwise
// the direct difference evaluated with log2(1/|x|) + 16 guard bits (raw MPFR / MPFI, so intervals
// stay rigorous).
template <class Real> Real expm1_minus_x(const Real& x) {
  if constexpr (std::is_same_v<Real, double>) {
    if (std::abs(x) < 0.1) {  // sum_k x^k / (k+2)!: at most ~12 terms
      double sum = 0, term = 0.5;
      for (int k = 0; k < 40 && std::abs(term) > 1e-18 * std::abs(sum + term); ++k) {
        sum += term;
        term *= x / (k + 3);
      }
      return x * x * sum;
    }
    return std::expm1(x) - x;
  } else if constexpr (std::is_same_v<Real, mpfr_real>) {
    if (x == 0) return Real(0);
    return guarded_difference(x, mpfr_get_exp(x.backend().data()),
                              [](mpfr_ptr t, mpfr_srcptr y) { mpfr_expm1(t, y, MPFR_RNDN); }, GuardedOrder::f_minus_x);
  } else {
    const mpfr_real lo = lower_of(x), hi = upper_of(x);
    const mpfr_real& small = abs(lo) < abs(hi) ? lo : hi;
    const mpfr_exp_t e = (lo <= 0 && hi >= 0) || small == 0 ? 0 : mpfr_get_exp(small.backend().data());
    return guarded_difference(x, e, [](mpfi_ptr t, mpfi_srcptr y) { mpfi_expm1(t, y); }, GuardedOrder::f_minus_x);
  }
}

}  // namespace diffbound::detail
