// Cancellation-free pieces of Gaussian KL and Hellinger (docs/math.md#gaussian-path, docs/math.md#tv-enclosure), for scalars.
#pragma once

#include "numerics/detail/guard_bits.hpp"
#include "numerics/real.hpp"

#include <cmath>
#include <limits>

namespace diffbound {

// u - log1p(u) = r - 1 - ln r with r = 1 + u. Near u = 0 the difference of the two terms loses
// log2(1/|u|) bits, so:
//  - series u^2 * sum_k (-u)^k / (k + 2) when |u| is tiny (few terms; for intervals with a rigorous
//    tail bound |u|^(K+3) / ((K+3)(1 - |u|)));
//  - otherwise the direct difference evaluated with log2(1/|u|) + 16 guard bits (raw MPFR/MPFI;
//    long double for double), which costs one log1p.
template <class Real> Real u_minus_log1p_series(const Real& u) {
  using std::abs;
  const Real half = Real(1) / 2;
  Real mag = abs(u);
  if constexpr (is_interval_v<Real>) mag = make_interval(upper_of(mag), upper_of(mag));
  const Real eps = unit_roundoff<Real>() / 4;
  Real series(0), power(1);  // power = (-u)^k
  Real bound_term = Real(1);  // |u|^k
  for (long k = 0;; ++k) {
    series += power / Real(k + 2);
    power *= -u;
    bound_term *= mag;
    // tail after this term is at most |u|^(k+1) / ((k+3)(1 - |u|)) relative to u^2
    Real tail = bound_term / (Real(k + 3) * (Real(1) - mag));
    if (certainly_less(tail, Real(eps * half)) || k > 4000) {
      if constexpr (is_interval_v<Real>) series += make_interval(mpfr_real(-upper_of(tail)), upper_of(tail));
      break;
    }
  }
  return u * u * series;
}

template <class Real> Real u_minus_log1p(const Real& u) {
  using std::abs; using std::log1p;
  if constexpr (std::is_floating_point_v<Real>) {
    const Real a = std::abs(u);
    if (a < Real(0.1)) {  // at most 16 (double) or 20 (long double) terms; the hot path of D_T
      const Real tiny = std::numeric_limits<Real>::epsilon() / 16;
      Real sum = 0, power = 1;
      for (int k = 0; k < 40 && std::abs(power) > tiny; ++k, power *= -u) sum += power / (k + 2);
      return u * u * sum;
    }
    return u - std::log1p(u);  // |u| >= 0.1: the cancellation costs at most one digit
  } else if constexpr (std::is_same_v<Real, mpfr_real>) {
    if (u == 0) return Real(0);
    const mpfr_prec_t p = mpfr_get_prec(u.backend().data());
    const mpfr_exp_t e = mpfr_get_exp(u.backend().data());
    if (e < -static_cast<mpfr_exp_t>(p)) return u * u / 2;  // u^3/3 is below the last bit
    return detail::guarded_difference(u, e, [](mpfr_ptr t, mpfr_srcptr x) { mpfr_log1p(t, x, MPFR_RNDN); },
                                      detail::GuardedOrder::x_minus_f);
  } else {
    // intervals: the direct form has width ~ 2 width(u), i.e. relative width ~ 4 relwidth(u)/|u|:
    // fine for |u| >= 1e-6 (at most ~7 digits lost), the rigorous series below that.
    if (!certainly_less(make_interval(mpfr_real("1e-6"), mpfr_real("1e-6")), Real(abs(u)))) return u_minus_log1p_series(u);
    const mpfr_exp_t e = mpfr_get_exp(&u.backend().data()->left);
    return detail::guarded_difference(u, e, [](mpfi_ptr t, mpfi_srcptr x) { mpfi_log1p(t, x); },
                                      detail::GuardedOrder::x_minus_f);
  }
}

// r - 1 - ln r from r and its deviation u = r - 1, each computed without cancellation by the caller:
// near r = 1 from u (u - log1p u, above), elsewhere from r (u - ln r). Forming 1 + u loses the digits
// of a small r: r = 1e-6 from u = r - 1 (rounded to u_mach) is off by 1e-10 relative, and so was
// KL(N(0, 1e-6) || gamma) in double (tests/numerics/test_mixture_truth_sweep.cpp, the axis layout).
// (Both forms are enclosures for intervals; the branch only picks the tighter.)
template <class Real> Real phi_of_ratio(const Real& r, const Real& u) {
  using std::log;
  if (std::abs(mid_double(u)) < 0.5) return u_minus_log1p(u);
  return u - log(r);
}

// KL(N(mu, a) || N(mu + e, a + dv)) in one dimension, from the deviations e and dv of the second
// law: 1/2 [ (r - 1 - ln r) + e^2 / b ] with r = a / b, r - 1 = -dv / b, b = a + dv.
template <class Real> Real gaussian_kl_from_deviation(const Real& a, const Real& dv, const Real& e) {
  const Real b = a + dv;
  return (phi_of_ratio(Real(a / b), Real(-dv / b)) + e * e / b) / 2;
}

// ln of the Bhattacharyya coefficient between N(mu, a) and N(mu + e, a + dv):
// -1/2 log1p( dv^2 / ((sqrt a + sqrt b)^2 2 sqrt(ab)) ) - e^2 / (4 (a + b)), with no cancellation.
template <class Real> Real log_bhattacharyya_from_deviation(const Real& a, const Real& dv, const Real& e) {
  using std::log1p; using std::sqrt;
  const Real b = a + dv;
  const Real sa = sqrt(a), sb = sqrt(b);
  const Real gap = dv / (sa + sb);  // sqrt(b) - sqrt(a)
  return -log1p(gap * gap / (2 * sa * sb)) / 2 - e * e / (4 * (a + b));
}

// W2^2(N(mu, a), N(mu + e, a + dv)) in one dimension (docs/math.md#w2): e^2 + (sqrt b - sqrt a)^2 with
// sqrt b - sqrt a = dv / (sqrt a + sqrt b), which has no cancellation when the engine carries dv.
template <class Real> Real w2_squared_from_deviation(const Real& a, const Real& dv, const Real& e) {
  using std::sqrt;
  const Real gap = dv / (sqrt(a) + sqrt(Real(a + dv)));
  return e * e + gap * gap;
}

// Enclosure of TV from H^2 = 1 - BC and from KL: H^2 <= TV <= min(H sqrt(2 - H^2), sqrt(KL/2), 1).
template <class Real> struct TvEnclosure { Real lo, hi, hellinger2; };
template <class Real> TvEnclosure<Real> tv_enclosure(const Real& log_bc, const Real& kl) {
  using std::expm1; using std::sqrt;
  Real h2 = -expm1(log_bc);
  h2 = max_of(h2, Real(0));
  Real le_cam = sqrt(h2) * sqrt(Real(2) - h2);
  Real pinsker = sqrt(max_of(kl, Real(0)) / 2);
  Real hi = min_of(min_of(le_cam, pinsker), Real(1));
  return {h2, hi, h2};
}

}  // namespace diffbound
