#pragma once
// The path decomposition's terms on a 1-D mixture line: D_T's per-step kernel (Fisher information
// integrated over the noise level) and B_T's score-error expectations.

#include "numerics/cancellation.hpp"
#include "numerics/detail/log_sum_exp.hpp"
#include "numerics/detail/mixture/grid.hpp"
#include "numerics/detail/sampler_step.hpp"
#include "numerics/divergence.hpp"
#include "numerics/mixture_path.hpp"
#include "numerics/mixture_target.hpp"

#include <boost/math/constants/constants.hpp>

#include <vector>

namespace diffbound::detail {

// Gauss-Legendre rule with n nodes on [0, 1] (Newton on the three-term recurrence, in Real).
template <class Real> void gauss_legendre_01(int n, std::vector<Real>& node, std::vector<Real>& weight) {
  using std::abs; using std::cos;
  node.resize(n);
  weight.resize(n);
  const Real pi = boost::math::constants::pi<Real>();
  const Real tol = 4 * unit_roundoff<Real>();
  for (int i = 0; i < n; ++i) {
    Real x = cos(pi * (Real(i) + Real(0.75)) / (Real(n) + Real(0.5)));
    Real dp(0);
    for (int it = 0; it < 100; ++it) {
      Real p0(1), p1 = x;
      for (int k = 2; k <= n; ++k) {
        const Real p2 = (Real(2 * k - 1) * x * p1 - Real(k - 1) * p0) / Real(k);
        p0 = p1;
        p1 = p2;
      }
      dp = Real(n) * (x * p1 - p0) / (x * x - 1);
      const Real dx = p1 / dp;
      x -= dx;
      if (abs(dx) <= tol) break;
    }
    node[i] = (1 + x) / 2;
    weight[i] = 1 / ((1 - x * x) * dp * dp);  // 2 / ((1 - x^2) P_n'^2), halved for [0, 1]
  }
}

// Fisher information J = E_q[(d/dx log q)^2] of a 1-D mixture by the trapezoid rule, spacing = its
// narrowest standard deviation / points_per_sd, over its support (the integrand q s^2 is a sum of
// Gaussians times polynomials: the rule converges like exp(-2 pi^2 points_per_sd^2)).
template <class Real> Real fisher_information(const Mixture1D<Real>& q, double points_per_sd, const Real& R) {
  using std::exp; using std::sqrt;
  Real var_min = q.variance[0];
  for (const auto& v : q.variance) if (v < var_min) var_min = v;
  const Real h = sqrt(var_min) / Real(points_per_sd);
  Real a(0), b(0);
  mixture_support(q, R, a, b);
  const long n = static_cast<long>(static_cast<double>((b - a) / h)) + 2;
  const std::size_t K = q.size();
  std::vector<Real> l(K), g(K);
  CompensatedSum<Real> sum;
  for (long j = 0; j < n; ++j) {
    const Real x = a + h * Real(j);
    for (std::size_t k = 0; k < K; ++k) {
      const Real d = x - q.mean[k];
      g[k] = -d * q.precision[k];
      l[k] = q.log_coef[k] + d * g[k] / 2;
    }
    Real top, z, s(0);
    exp_from_max(l.data(), K, top, z);
    for (std::size_t k = 0; k < K; ++k) s += l[k] * g[k];
    s /= z;
    sum.add(exp(top) * z * s * s);  // q sqrt(2 pi) s^2
  }
  return sum.value() * h / sqrt(two_pi<Real>());
}

// One step's term of D_T (docs/math.md#path-decomposition) for the ddpm kernel N(m*_t(x), sigma^2), t >= 1, written so
// that nothing cancels (docs/derivations.md, "D_T for mixtures"). With r = beta / (alpha sigma^2),
//   term = 1/2 [ I + (r - 1 - log r) + (1 - r) beta J_t ],   I = int_0^beta (J(tau) - J(0)) dtau,
// where J(tau) is the Fisher information of Q_t with every component's variance lowered by tau (the
// law of sqrt(alpha) X_{t-1} + sqrt(beta - tau) W), J(0) = J_t. The Gaussian of Q_t's narrowest
// component variance tau* has J = 1/(tau* - tau) and the closed-form term 1/2 (u_g - log1p u_g) of
// the Gaussian engine; that part is split off, since it holds the O(beta) and (for beta near 1 with
// the beta/posterior variances) O(log alpha) pieces that would otherwise cancel:
//   term = 1/2 [ (u_g - log1p u_g) + I' + (r - 1) beta (1/tau* - J_t) ],
//   I' = int_0^beta [(J(tau) - 1/(tau* - tau)) - (J_t - 1/tau*)] dtau,
// integrated in theta with tau = tau*(1 - e^-theta) (dtau = (tau* - tau) dtheta, which tames the
// singularity at tau*) by Gauss-Legendre. r - 1 and u_g are given by the caller per variance choice.
// `magnitude` receives the size of what is summed, whose rounding the error estimate charges.
template <class Real>
Real discretization_term(const Mixture1D<Real>& qt, const Real& beta, const Real& r_minus_1, const Real& u_g,
                         int n_nodes, double points_per_sd, const Real& R, Real& J0, Real& magnitude) {
  using std::abs; using std::exp; using std::log1p;
  Real tau_star = qt.variance[0];
  for (const auto& v : qt.variance) if (v < tau_star) tau_star = v;
  const Real theta_max = -log1p(Real(-beta / tau_star));
  std::vector<Real> node, weight;
  gauss_legendre_01(n_nodes, node, weight);
  J0 = fisher_information(qt, points_per_sd, R);
  const Real excess0 = J0 - 1 / tau_star;
  Mixture1D<Real> q = qt;
  Real I(0), size(0);
  for (int i = 0; i < n_nodes; ++i) {
    const Real theta = theta_max * node[i];
    // V_k - tau = (V_k - tau*) + tau* e^-theta: no cancellation when tau is close to tau*
    const Real rest = tau_star * exp(Real(-theta));
    for (std::size_t k = 0; k < q.size(); ++k) q.variance[k] = (qt.variance[k] - tau_star) + rest;
    prepare(q);
    const Real J = fisher_information(q, points_per_sd, R);
    I += weight[i] * ((J * rest - 1) - excess0 * rest);
    size += weight[i] * J * rest;
  }
  I *= theta_max;
  const Real phi = u_minus_log1p(u_g), drift = r_minus_1 * beta * (-excess0);
  // (u_g is rounded: phi(u_g) moves by u_g^2/(1 + u_g) times its relative error, large as u_g -> -1)
  magnitude = theta_max * size + abs(phi) + u_g * u_g / (1 + u_g) + (abs(r_minus_1) + 1) * beta * J0;
  return (phi + I + drift) / 2;
}

// B_T of a ddpm line: sum_t c_t E_{Q_t} Delta_t^2, c_t = beta_t^2 / (2 alpha_t sigma_t^2), Delta_t the
// score error; each expectation by the trapezoid rule over Q_t's support at spacings h/2 and h.
template <class Real>
Estimate<Real> line_B_T(const MixtureLine<Real>& line, const Schedule<Real>& sch, const SamplerSpec& sampler, const Real& h,
                        const Real& R) {
  using std::abs; using std::exp; using std::sqrt;
  const Real u = unit_roundoff<Real>();
  const long T = sch.steps, t_out = sampler.t_out;
  const Real steps(T - t_out);
  Estimate<Real> out;
  const bool exact_score = line.scale == 1 && line.offset == 0 && line.score_mixture.weight == line.target.weight &&
                           line.score_mixture.mean == line.target.mean &&
                           line.score_mixture.variance == line.target.variance;
  if (exact_score) return out;
  // Delta = s_used - grad log q_t is a difference of two scores that nearly cancel where the score
  // used is close to the exact one (zero-shot BO-DDNM at sigma_y = 1e-3: both ~1/var_t, their
  // difference 1e-10 of that lost 8e-11 of B_T), and each is evaluated at a node rounded to u |x|
  // (a far mean). Per node the rounding of Delta is charged as dDelta = 4 u (|s_used| + |s| + |x|
  // (|s_used'| + |s'|)), and E Delta^2 moves by at most 2 sqrt(E Delta^2 E dDelta^2) + E dDelta^2.
  struct Accumulated { Real value, rounding; };
  auto b_t = [&](const Real& hb) {
    Accumulated total{Real(0), Real(0)};
    for (long t = t_out + 1; t <= T; ++t) {
      throw_if_cancelled();  // numerics/cancellation.hpp: once per step
      const auto c = step_coefficients(sch, sampler, t);
      const Mixture1D<Real> q = marginal_1d(line.target, sch.alpha_bar[t], sch.one_minus_alpha_bar[t]);
      const Mixture1D<Real> sm = marginal_1d(line.score_mixture, sch.alpha_bar[t], sch.one_minus_alpha_bar[t]);
      Real a(0), b(0);
      mixture_support(q, R, a, b);
      CompensatedSum<Real> sum, size2;
      const long n = static_cast<long>(static_cast<double>((b - a) / hb)) + 2;
      for (long j = 0; j < n; ++j) {
        const Real x = a + hb * Real(j);
        const ScoreValue<Real> used = score_of(sm, x), exact = score_of(q, x);
        const Real delta = line.scale * used.value + line.offset - exact.value;
        const Real qx = exp(log_density(q, x));
        sum.add(qx * delta * delta);
        const Real size = abs(Real(line.scale * used.value)) + abs(line.offset) + abs(exact.value) +
                          abs(x) * (abs(Real(line.scale * used.derivative)) + abs(exact.derivative));
        size2.add(qx * size * size);
      }
      const Real e2 = sum.value() * hb;
      const Real d2 = 16 * u * u * size2.value() * hb;  // E dDelta^2
      if (!(c.noise > 0)) {
        if (e2 > 0) return Accumulated{positive_infinity<Real>(), Real(0)};  // point-mass kernel with a score error
        continue;
      }
      const Real weight = c.beta * c.beta / (2 * c.alpha * c.noise);
      total.value += weight * e2;
      total.rounding += weight * (2 * sqrt(Real(e2 * d2)) + d2);
    }
    return total;
  };
  const Accumulated f = b_t(Real(h / 2)), c = b_t(h);
  out.value = f.value;
  out.error = is_finite_value(f.value) ? Real(abs(Real(f.value - c.value)) + 16 * u * sqrt(steps) * abs(f.value) + f.rounding)
                                       : Real(0);
  return out;
}

// D_T of a ddpm line: per step the closed form of discretization_term, whose integral I over the
// noise level is by Gauss-Legendre; the coarse run (n nodes, half the points per standard deviation)
// against the fine run (2n nodes) is the error estimate, and n doubles until they agree to roundoff.
template <class Real>
Estimate<Real> line_D_T(const MixtureLine<Real>& line, const Schedule<Real>& sch, const SamplerSpec& sampler,
                        double points_per_sd, const Real& R) {
  using std::abs;
  const Real u = unit_roundoff<Real>();
  const long T = sch.steps, t_out = sampler.t_out;
  Estimate<Real> out;
  CompensatedSum<Real> total;
  Real error(0);
  for (long t = t_out + 1; t <= T; ++t) {
    throw_if_cancelled();  // numerics/cancellation.hpp: once per step
    const auto c = step_coefficients(sch, sampler, t);
    if (!(c.noise > 0)) {  // point-mass kernel (posterior variance at t = 1): the KL is infinite
      out.value = positive_infinity<Real>();
      out.error = Real(0);
      return out;
    }
    const Mixture1D<Real> q = marginal_1d(line.target, sch.alpha_bar[t], sch.one_minus_alpha_bar[t]);
    // r - 1 = beta/(alpha sigma^2) - 1 and the Gaussian part's u_g = r (1 - beta/tau*) - 1 for the
    // narrowest component (time-0 variance v*, tau* = ab v* + 1 - ab), in cancellation-free forms
    std::size_t narrowest = 0;
    for (std::size_t k = 1; k < q.size(); ++k) if (q.variance[k] < q.variance[narrowest]) narrowest = k;
    const Real tau_star = q.variance[narrowest], v_star = line.target.variance[narrowest];
    Real r_minus_1(0), u_g(0);
    switch (sampler.variance) {
      case Variance::theory: u_g = -c.beta / tau_star; break;
      case Variance::beta:
        r_minus_1 = c.beta / c.alpha;
        u_g = r_minus_1 * c.ab * (v_star - 1) / tau_star;
        break;
      case Variance::posterior:
        r_minus_1 = c.beta / (c.alpha * c.omab_prev);
        u_g = r_minus_1 * c.ab * v_star / tau_star;
        break;
    }
    Real J0(0), fine(0), coarse(0), diff(0), magnitude(0);
    for (int n = 4;; n *= 2) {
      Real J0c(0), mc(0);
      coarse = discretization_term(q, c.beta, r_minus_1, u_g, n, points_per_sd / 2, R, J0c, mc);
      fine = discretization_term(q, c.beta, r_minus_1, u_g, 2 * n, points_per_sd, R, J0, magnitude);
      diff = abs(Real(fine - coarse));
      if (diff <= 32 * u * magnitude || n >= 64) break;
    }
    total.add(fine);
    // each part of the sum carries ~u times its size of rounding
    error += diff + 16 * u * magnitude;
  }
  out.value = total.value();
  out.error = error;
  return out;
}

}  // namespace diffbound::detail
