// Closed forms of the schedule integrals in the explicit-constant bounds (docs/math.md#explicit-constant-bounds),
// in every number type. All of them substitute u = A(t) = B(t)/(2 sigma_inf^2), so beta dt = 2 sigma_inf^2 du and
// mu_t^2 = e^{-2u}; for a direction of variance lambda the forward variance is
// v_lambda(u) = e^{-2u}(c + s2 e^{2u}), c = lambda - s2, s2 = sigma_inf^2. Derivations: docs/math.md#explicit-constant-integrals.
#pragma once

#include "numerics/real.hpp"
#include "numerics/vp_schedule.hpp"

#include <cmath>
#include <stdexcept>

namespace diffbound::detail {

// Kwon-Fan-Lee's I(t) = exp int_0^t (L_f + L_s beta) with L_f = beta/(2 s2) and L_s = -1/lambda_max(Sigma_r)
// (the exact score, or one shifted by a constant): int_0^t beta / v_lambda = ln((c + s2 e^{2A})/lambda), so
// I(t) = e^{A} lambda / (c + s2 e^{2A}) = lambda mu(t) / v_lambda(t), evaluated as lambda e^{A} / (lambda + s2 expm1(2A)).
template <class Real> Real kwon_growth(const VpSchedule<Real>& vp, const Real& lambda_max, const Real& t) {
  using std::exp; using std::expm1;
  const Real u = vp.A(t);
  return lambda_max * exp(u) / (lambda_max + vp.sigma_inf2 * expm1(Real(2 * u)));
}

// int_1^W dw / (c + s2 w^2) for W >= 1 and c + s2 = lambda > 0. Near c = 0 the closed forms (arctan for
// c > 0, a logarithm for c < 0) divide a small difference by sqrt|c|; there the series
// sum_n (-c)^n / s2^{n+1} (1 - W^{-2n-1})/(2n+1) converges geometrically (|c| <= s2/2, ratio <= 1/2), and for
// intervals its tail is added as [-R, R], so an enclosure of c that contains 0 is handled rigorously.
template <class Real> Real inverse_quadratic_integral(const Real& c, const Real& s2, const Real& W) {
  using std::abs; using std::atan; using std::log; using std::pow; using std::sqrt;
  const Real q = abs(c) / s2;
  if (!certainly_less(Real(1) / 2, q)) {
    const double qd = upper_double(q);
    if (!(qd <= 0.5 + 1e-12)) throw std::logic_error("inverse_quadratic_integral: series outside its range");
    // terms until q^n is below the working precision's unit roundoff
    const double eps = std::max(mid_double(unit_roundoff<Real>()), 1e-300);
    const int n_terms = qd == 0 ? 1 : static_cast<int>(std::ceil(std::log(eps) / std::log(std::max(qd, 1e-300)))) + 2;
    Real sum(0), power(1);  // power = (-c/s2)^n
    const Real inv_W = Real(1) / W, inv_W2 = inv_W * inv_W;
    Real w_pow = inv_W;  // W^{-2n-1}
    for (int n = 0; n < std::max(n_terms, 1); ++n) {
      sum += power * (Real(1) - w_pow) / Real(2 * n + 1);
      power *= -c / s2;
      w_pow *= inv_W2;
    }
    sum /= s2;
    if constexpr (is_interval_v<Real>) {
      // |tail| <= sum_{n >= N} q^n / s2 = q^N / (s2 (1 - q)) with q <= 1/2: at most 2 q^N / s2
      const mpfr_real R = upper_of(Real(2 * pow(q, n_terms) / s2));
      sum += make_interval(mpfr_real(-R), R);
    }
    return sum;
  }
  const Real s = sqrt(s2);
  if (certainly_positive(c)) {
    const Real k = sqrt(c);
    // atan(s W/k) - atan(s/k) = atan(s k (W - 1) / (k^2 + s2 W)), both angles in (0, pi/2)
    return atan(s * k * (W - 1) / (c + s2 * W)) / (s * k);
  }
  // c < 0: 1/(s2 w^2 - k^2) with k = sqrt(-c) < s w on [1, W] (because c + s2 = lambda > 0)
  const Real k = sqrt(Real(-c));
  return (log((s * W - k) / (s * W + k)) - log((s - k) / (s + k))) / (2 * k * s);
}

// int_0^{T_f} beta(t) I(t) dt for Kwon-Fan-Lee's score-error term with a constant b(t) = eps^2:
// beta I dt = 2 s2 lambda e^u du / (c + s2 e^{2u}) = 2 s2 lambda dw / (c + s2 w^2), w = e^u.
template <class Real> Real kwon_weight_integral(const VpSchedule<Real>& vp, const Real& lambda_max) {
  using std::exp;
  const Real W = exp(vp.A(vp.horizon));
  return 2 * vp.sigma_inf2 * lambda_max * inverse_quadratic_integral(Real(lambda_max - vp.sigma_inf2), vp.sigma_inf2, W);
}

// Strasman et al.'s int_0^{T_f} C_t beta(t) dt, C_t = mu^2 (s2 - lambda)/(mu^2 lambda + s2 (1 - mu^2)):
// = int 2 s2 (-c) du / (c + s2 e^{2u}) = -2 s2 [u - 1/2 ln(c + s2 e^{2u})]_0^{A_f}
// = s2 log1p(s2 expm1(2 A_f) / lambda) - 2 s2 A_f   (no division by c, so c = 0 is no special case).
template <class Real> Real strasman_contraction_integral(const VpSchedule<Real>& vp, const Real& lambda_max) {
  using std::expm1; using std::log1p;
  const Real Af = vp.A(vp.horizon);
  return vp.sigma_inf2 * log1p(vp.sigma_inf2 * expm1(Real(2 * Af)) / lambda_max) - 2 * vp.sigma_inf2 * Af;
}

// Strasman et al.'s I_k = int_{ta}^{tb} L_t beta(t) dt with L_t = min{1/sigma_t^2, 1/(lambda_min mu_t^2)} - 1/s2.
// In u: 1/sigma_t^2 <= 1/(lambda mu^2) exactly when u >= u* = 1/2 log1p(lambda/s2). Below u* the integrand is
// 2 s2 e^{2u}/lambda (antiderivative s2 e^{2u}/lambda), above it 2 e^{2u}/(e^{2u} - 1) (antiderivative
// ln expm1(2u)); the constant part contributes -2 (u_b - u_a).
template <class Real> Real strasman_lipschitz_integral(const VpSchedule<Real>& vp, const Real& lambda_min, const Real& ta,
                                                      const Real& tb) {
  using std::exp; using std::expm1; using std::log; using std::log1p;
  const Real ua = vp.A(ta), ub = vp.A(tb);
  const Real s2 = vp.sigma_inf2;
  const Real u_star = log1p(lambda_min / s2) / 2;
  auto low = [&](const Real& a, const Real& b) { return s2 * (exp(Real(2 * b)) - exp(Real(2 * a))) / lambda_min; };
  auto high = [&](const Real& a, const Real& b) { return log(expm1(Real(2 * b))) - log(expm1(Real(2 * a))); };
  Real part;
  if (certainly_less(ub, u_star) || (!is_interval_v<Real> && !certainly_less(u_star, ub))) {
    part = low(ua, ub);
  } else if (certainly_less(u_star, ua) || (!is_interval_v<Real> && !certainly_less(ua, u_star))) {
    part = high(ua, ub);  // u* <= ua, so ua > 0 and expm1(2 ua) > 0
  } else {
    // split at u* clamped to [ua, ub]; for intervals an enclosure of the clamped point, and the sum is a
    // continuous function of it, so the result stays an enclosure
    const Real split = max_of(ua, min_of(u_star, ub));
    part = low(ua, split) + high(split, ub);
  }
  return part - 2 * (ub - ua);
}

}  // namespace diffbound::detail
