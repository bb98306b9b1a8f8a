#pragma once
// x - f(x) or f(x) - x for an f(x) = x + O(x^2) (log1p, expm1) in raw MPFR / MPFI: the difference
// cancels log2(1/|x|) bits, so it is formed with that many plus 16 guard bits and then rounded to the
// working precision (outward for intervals, so that they stay rigorous).

#include "numerics/real.hpp"

#include <type_traits>

namespace diffbound::detail {

enum class GuardedOrder { x_minus_f, f_minus_x };

// e: the binary exponent that sets the cancellation (the caller's choice of end for an interval);
// f(t, x): t = f(x), rounded to nearest (mpfr_ptr, mpfr_srcptr) or outward (mpfi_ptr, mpfi_srcptr).
template <class Real, class F> Real guarded_difference(const Real& x, mpfr_exp_t e, F f, GuardedOrder order) {
  static_assert(std::is_same_v<Real, mpfr_real> || std::is_same_v<Real, interval_real>);
  Real r;
  if constexpr (std::is_same_v<Real, mpfr_real>) {
    const mpfr_prec_t wide = mpfr_get_prec(x.backend().data()) + (e < 0 ? -e : 0) + 16;
    mpfr_t t;
    mpfr_init2(t, wide);
    f(t, x.backend().data());
    if (order == GuardedOrder::x_minus_f) mpfr_sub(t, x.backend().data(), t, MPFR_RNDN);
    else mpfr_sub(t, t, x.backend().data(), MPFR_RNDN);
    mpfr_set(r.backend().data(), t, MPFR_RNDN);
    mpfr_clear(t);
  } else {
    const mpfr_prec_t wide = mpfi_get_prec(x.backend().data()) + (e < 0 ? -e : 0) + 16;
    mpfi_t t;
    mpfi_init2(t, wide);
    f(t, x.backend().data());
    if (order == GuardedOrder::x_minus_f) mpfi_sub(t, x.backend().data(), t);
    else mpfi_sub(t, t, x.backend().data());
    mpfi_set(r.backend().data(), t);
    mpfi_clear(t);
  }
  return r;
}

}  // namespace diffbound::detail
