#pragma once
// Implementation of numerics/log_snr_identities.hpp (templates; instantiated per number type in
// log_snr_identities_<type>.cpp). Notation: s = sigma(a), o = sigma(-a) = 1 - s (both computed without
// cancellation), z = sqrt(s) x + sqrt(o) eps, p_a = law(sqrt(s) X + sqrt(o) eps), g = (log p_a)'.

#include "numerics/coordinate_laws.hpp"
#include "numerics/detail/gaussian_expectation.hpp"
#include "numerics/detail/log_sum_exp.hpp"
#include "numerics/log_snr_identities.hpp"
#include "numerics/mixture_target.hpp"

#include <boost/math/constants/constants.hpp>

#include <algorithm>
#include <cmath>
#include <complex>

namespace diffbound {
namespace detail {

template <class Real> void logistic_pair(const Real& a, Real& s, Real& o) {
  using std::exp;
  // sigma(a) and sigma(-a), each from the side where exp does not overflow and 1 - s does not cancel
  if (a >= 0) {
    const Real e = exp(Real(-a));
    s = 1 / (1 + e);
    o = e / (1 + e);
  } else {
    const Real e = exp(a);
    s = e / (1 + e);
    o = 1 / (1 + e);
  }
}

// mmse(x, a) - sigma(a) for one coordinate, with its error estimate.
// One component N(m, v): with c = 1 + s (v - 1), mmse - s = s o [s (v - 1)^2 + (x - m)^2 - 1] / c^2
// (no cancellation at either end).
// Mixture: Stein's identity E[eps h(eps)] = E[h'(eps)] turns E(eps + sqrt(o) g(z))^2 into
// 1 + o E[2 g'(z) + g(z)^2], so mmse - s = o (1 + E[2 g' + g^2]); this keeps its accuracy as s -> 1.
template <class Real>
Estimate<Real> mmse_excess(const Mixture1D<Real>& p, const Real& x, const Real& s, const Real& o, const Real& log_inv_tol,
                           long& nodes) {
  if (p.size() == 1) {
    const Real vm1 = p.variance[0] - 1, dx = x - p.mean[0];
    const Real c = 1 + s * vm1;
    const Real value = s * o * (s * vm1 * vm1 + dx * dx - 1) / (c * c);
    return {value, Real(0)};
  }
  using std::sqrt; using std::abs; using std::exp;
  const Mixture1D<Real> pa = marginal_1d(p, s, o);
  // p_a's logits along z = sqrt(s) x + sqrt(o) eps
  std::vector<double> logw, centers, var;
  for (std::size_t k = 0; k < pa.size(); ++k) {
    logw.push_back(std::log(mid_double(pa.weight[k])));
    centers.push_back(mid_double(pa.mean[k]));
    var.push_back(mid_double(pa.variance[k]));
  }
  const double d = responsibility_pole_distance(logw, centers, var, mid_double(Real(sqrt(s) * x)), std::sqrt(mid_double(o)));
  const Real rs = sqrt(s), ro = sqrt(o);
  const Real center = rs * x;
  // 2 g' + g^2 with g' = sum w_k ((g_k - g)^2 - 1/c_k) (the form of score_of without its cancellation),
  // written with in-place operations and buffers reused across nodes: at high precision every
  // temporary is an allocation, and this loop is the cost of the whole identity.
  const std::size_t K = pa.size();
  std::vector<Real> l(K), g(K);
  Real z, t, top, sum, score, slope;
  auto f = [&](const Real& e) {
    z = ro;
    z *= e;
    z += center;
    for (std::size_t k = 0; k < K; ++k) {
      t = z;
      t -= pa.mean[k];
      g[k] = t;
      g[k] *= pa.precision[k];
      g[k] = -g[k];
      t *= g[k];
      t /= 2;
      t += pa.log_coef[k];
      l[k] = t;
    }
    exp_from_max(l.data(), K, top, sum);
    score = 0;
    for (std::size_t k = 0; k < K; ++k) {
      l[k] /= sum;
      t = l[k];
      t *= g[k];
      score += t;
    }
    slope = 0;
    for (std::size_t k = 0; k < K; ++k) {
      t = g[k];
      t -= score;
      t *= t;
      t -= pa.precision[k];
      t *= l[k];
      slope += t;
    }
    slope *= 2;
    t = score;
    t *= score;
    t += slope;
    return t;
  };
  const Estimate<Real> ef = gaussian_expectation<Real>(f, d, log_inv_tol, nodes);
  // rounding: the bracket 1 + E[...] cancels to O(s) as s -> 0, so its absolute error is ~ u (1 + |E f|)
  // per evaluation of the rule; 8 covers the few operations per node.
  const Real rounding = 8 * unit_roundoff<Real>() * (1 + abs(ef.value));
  return {o * (1 + ef.value), o * (ef.error + rounding)};
}

// The analytic tail constants of one coordinate (docs/derivations.md, "Log-SNR identities"):
// |mmse - s| <= C_hi sigma(-a) for all a and |mmse - s| <= C_lo sigma(a) for all a, with
// c_min = min(1, min v_k), M = max |m_k|, V = max |v_k - 1|,
//   C_hi = 1 + 2 / c_min + 9 B / c_min^2, B = 2 (|x| + M)^2 + 2,
//   C_lo = 1 + 3 [1 + x^2 + (2 V^2 (x^2 + 1) + 2 M^2) / c_min^2].
template <class Real> void tail_constants(const Mixture1D<Real>& p, const Real& x, Real& c_hi, Real& c_lo) {
  using std::abs;
  Real cmin(1), M(0), V(0);
  for (std::size_t k = 0; k < p.size(); ++k) {
    if (p.variance[k] < cmin) cmin = p.variance[k];
    if (abs(p.mean[k]) > M) M = abs(p.mean[k]);
    if (abs(Real(p.variance[k] - 1)) > V) V = abs(Real(p.variance[k] - 1));
  }
  const Real ax = abs(x);
  const Real B = 2 * (ax + M) * (ax + M) + 2;
  c_hi = 1 + 2 / cmin + 9 * B / (cmin * cmin);
  c_lo = 1 + 3 * (1 + x * x + (2 * V * V * (x * x + 1) + 2 * M * M) / (cmin * cmin));
}

// int [sum_i (mmse_i - sigma) under law `laws` minus the same under `minus` (if non-empty)] da over
// the whole real line: trapezoid rule on the truncated range, with the step-halving estimate, the
// epsilon-rules' estimates, the tail bound and rounding.
template <class Real>
IdentityValue<Real> integrate_log_snr(const std::vector<Mixture1D<Real>>& laws, const std::vector<Mixture1D<Real>>& minus,
                                      const std::vector<Real>& x) {
  using std::log; using std::exp; using std::abs;
  const Real L = log_inverse_tolerance<Real>();
  const double pi = boost::math::constants::pi<double>();
  Real sum_hi(0), sum_lo(0);
  for (const auto* set : {&laws, &minus})
    for (std::size_t i = 0; i < set->size(); ++i) {
      Real hi, lo;
      tail_constants((*set)[i], x[i], hi, lo);
      sum_hi += hi;
      sum_lo += lo;
    }
  // |integrand| <= sum_hi sigma(-a) for a > A_hi; int_A^inf sigma(-a) da = log(1 + e^-A) <= e^-A
  const Real a_hi = L + log(sum_hi), a_lo = -(L + log(sum_lo));
  // a-step: the integrand is analytic in |Im a| < pi (the poles of sigma; those of 1 / c for a
  // Gaussian coordinate sit at Im a = pi too); pi / 2 leaves room for the mixture's own structure
  // (measured: 0.8 pi lets the step-halving estimate grow to ~1e-10 in double for a component of
  // variance 0.1), and
  // the rule of twice the step must already be at the tolerance.
  const double d_a = pi / 2;
  const double h_target = pi * d_a / static_cast<double>(L);
  long n = static_cast<long>(std::ceil(static_cast<double>(a_hi - a_lo) / h_target));
  n += n % 2;
  const Real h = (a_hi - a_lo) / n;
  IdentityValue<Real> out;
  Real all(0), even(0), inner_error(0), largest(0);
  for (long j = 0; j <= n; ++j) {
    const Real a = a_lo + h * j;
    Real s, o;
    logistic_pair(a, s, o);
    Real value(0), error(0);
    for (std::size_t i = 0; i < laws.size(); ++i) {
      const auto e = mmse_excess(laws[i], x[i], s, o, L, out.epsilon_nodes);
      value += e.value;
      error += e.error;
    }
    for (std::size_t i = 0; i < minus.size(); ++i) {
      const auto e = mmse_excess(minus[i], x[i], s, o, L, out.epsilon_nodes);
      value -= e.value;
      error += e.error;
    }
    const Real w = (j == 0 || j == n) ? Real(0.5) : Real(1);
    if (abs(value) > largest) largest = abs(value);
    all += w * value;
    if (j % 2 == 0) even += ((j == 0 || j == n) ? Real(0.5) : Real(1)) * value;
    inner_error += w * error;
  }
  all *= h;
  even *= 2 * h;
  out.tail_bound = sum_hi * exp(Real(-a_hi)) + sum_lo * exp(a_lo);
  // summation rounding: n terms, each at most the largest integrand value, each carrying ~u
  const Real rounding = 4 * unit_roundoff<Real>() * Real(n) * h * (1 + largest);
  out.rhs = all;
  out.error_estimate = abs(Real(all - even)) + h * inner_error + out.tail_bound + rounding;
  out.a_min = a_lo;
  out.a_max = a_hi;
  out.a_nodes = n + 1;
  return out;
}

template <class Real> Real log_density_sum(const std::vector<Mixture1D<Real>>& laws, const std::vector<Real>& x) {
  Real sum(0);
  for (std::size_t i = 0; i < laws.size(); ++i) sum += log_density(laws[i], x[i]);
  return sum;
}

template <class Real> Real finite_zeta(const std::string& zeta) {
  double v;
  try {
    v = from_decimal<double>(zeta);
  } catch (...) {
    throw InputError("zeta", zeta, "must be a number (a log-SNR)");
  }
  if (!std::isfinite(v)) throw InputError("zeta", zeta, "must be a finite log-SNR");
  return from_decimal<Real>(zeta);
}

}  // namespace detail

template <class Real> IdentityValue<Real> density_identity(const TargetSpec& target, const std::vector<std::string>& point) {
  using std::log; using std::abs;
  const auto laws = coordinate_laws<Real>(target, "target");
  const auto x = parse_point<Real>(point, static_cast<long>(laws.size()), "point");
  IdentityValue<Real> out = detail::integrate_log_snr<Real>(laws, {}, x);
  const Real d(static_cast<long>(laws.size()));
  const Real two_pi_e = 2 * boost::math::constants::pi<Real>() * boost::math::constants::e<Real>();
  out.rhs = d / 2 * log(two_pi_e) + out.rhs / 2;
  out.error_estimate /= 2;
  out.lhs = -detail::log_density_sum(laws, x);
  // rounding of the closed-form side and of the constant: a few u per coordinate
  out.error_estimate += 8 * unit_roundoff<Real>() * (abs(out.lhs) + d);
  return out;
}

template <class Real>
IdentityValue<Real> noise_classifier_identity(const TargetSpec& target, const std::vector<std::string>& point,
                                              const std::string& zeta) {
  using std::abs;
  const auto laws = coordinate_laws<Real>(target, "target");
  const auto x = parse_point<Real>(point, static_cast<long>(laws.size()), "point");
  const Real z = detail::finite_zeta<Real>(zeta);
  Real s, o;
  detail::logistic_pair(z, s, o);
  std::vector<Mixture1D<Real>> noisy;
  for (const auto& p : laws) noisy.push_back(marginal_1d(p, s, o));
  IdentityValue<Real> out = detail::integrate_log_snr<Real>(laws, noisy, x);
  out.rhs /= 2;
  out.error_estimate /= 2;
  const Real lp = detail::log_density_sum(laws, x), lz = detail::log_density_sum(noisy, x);
  out.lhs = lz - lp;
  out.error_estimate += 8 * unit_roundoff<Real>() * (abs(lp) + abs(lz) + Real(static_cast<long>(laws.size())));
  return out;
}

template <class Real> ClassifierProbability<Real> clean_probability(const IdentityValue<Real>& wu) {
  // P(clean | x) = sigma(log p - log p_zeta) = sigma(-(log p_zeta - log p))
  Real s, o;
  ClassifierProbability<Real> out;
  detail::logistic_pair(Real(-wu.lhs), s, o);
  out.exact = s;
  detail::logistic_pair(Real(-wu.rhs), s, o);
  out.from_integral = s;
  return out;
}

template <class Real>
MmsePair<Real> zeta_mmse_both_ways(const TargetSpec& target, const std::string& x_text, const std::string& zeta,
                                   const std::string& a_text) {
  using std::sqrt; using std::log;
  const auto laws = coordinate_laws<Real>(target, "target");
  if (laws.size() != 1) throw InputError("target.dim", std::to_string(laws.size()), "this cross-check is 1-D");
  const Real x = parse_point<Real>({x_text}, 1, "point")[0];
  const Real z = detail::finite_zeta<Real>(zeta), a = detail::finite_zeta<Real>(a_text);
  const Real L = detail::log_inverse_tolerance<Real>();
  long nodes = 0;
  Real sz, oz, s, o;
  detail::logistic_pair(z, sz, oz);
  detail::logistic_pair(a, s, o);
  MmsePair<Real> out;
  // direct: Stein form on p_zeta's own channel at level a
  const Mixture1D<Real> pz = marginal_1d(laws[0], sz, oz);
  out.direct = detail::mmse_excess(pz, x, s, o, L, nodes).value + s;
  // through p's predictor at a' = logit(sigma(a) sigma(zeta)): E(eps - sqrt(o / o') eps_hat_p(z, a'))^2
  // with eps_hat_p(z, a') = -sqrt(o') (log p_{a'})'(z), evaluated by the plain (non-Stein) square
  const Real s2 = s * sz, o2 = o + s * oz;  // sigma(a') and sigma(-a') = 1 - sigma(a) sigma(zeta)
  const Mixture1D<Real> pa2 = marginal_1d(laws[0], s2, o2);
  const Real rs = sqrt(s), ro = sqrt(o);
  auto f = [&](const Real& e) {
    const Real r = e + ro * score_of(pa2, Real(rs * x + ro * e)).value;
    return Real(r * r);
  };
  out.via_shifted_level = detail::gaussian_expectation<Real>(f, 0.05, L, nodes).value;
  return out;
}

}  // namespace diffbound
