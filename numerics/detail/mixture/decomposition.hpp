#pragma once
// The path decomposition's terms on a 1-D mixture line: D_T's per-step kernel (Fisher information
// integrated over the noise level) and B_T's score-error expectations.

#include "numerics/detail/mixture/grid.hpp"
#include "numerics/divergence.hpp"
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
    Real top = -positive_infinity<Real>();
    for (std::size_t k = 0; k < K; ++k) {
      const Real d = x - q.mean[k];
      g[k] = -d * q.precision[k];
      l[k] = q.log_coef[k] + d * g[k] / 2;
      if (l[k] > top) top = l[k];
    }
    Real z(0), s(0);
    for (std::size_t k = 0; k < K; ++k) {
      const Real e = exp(Real(l[k] - top));
      z += e;
      s += e * g[k];
    }
    s /= z;
    sum.add(exp(top) * z * s * s);  // q sqrt(2 pi) s^2
  }
  return sum.value() * h / sqrt(two_pi<Real>());
}

// One step's term of D_T (MATH.md §4.3) for the ddpm kernel N(m*_t(x), sigma^2), t >= 1, written so
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

}  // namespace diffbound::detail
