// Cancellation-free pieces of Gaussian KL and Hellinger (MATH.md §4.1, §4.4), for scalars.
#pragma once

#include "numerics/real.hpp"

#include <cmath>

namespace diffbound {

// u - log1p(u) = r - 1 - ln r with r = 1 + u. Near u = 0 the difference of the two terms loses every
// digit, so for |u| <= 1/2 we sum u^2 * sum_k (-u)^k / (k + 2) and, for intervals, add a rigorous
// bound on the truncated tail: |u|^(K+3) / ((K+3)(1 - |u|)).
template <class Real> Real u_minus_log1p(const Real& u) {
  using std::abs; using std::log1p;
  const Real half = Real(1) / 2;
  Real mag = abs(u);
  if constexpr (is_interval_v<Real>) mag = make_interval(upper_of(mag), upper_of(mag));
  if (!certainly_less(mag, half)) return u - log1p(u);
  const Real eps = unit_roundoff<Real>() / 4;
  Real series(0), power(1);  // power = (-u)^k
  long k = 0;
  Real bound_term = Real(1);  // |u|^k
  for (;; ++k) {
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

// KL(N(mu, a) || N(mu + e, a + dv)) in one dimension, from the deviations e and dv of the second
// law: 1/2 [ (r - 1 - ln r) + e^2 / b ] with r = a / b, r - 1 = -dv / b, b = a + dv.
template <class Real> Real gaussian_kl_from_deviation(const Real& a, const Real& dv, const Real& e) {
  const Real b = a + dv;
  return (u_minus_log1p(Real(-dv / b)) + e * e / b) / 2;
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
