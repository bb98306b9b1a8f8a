#pragma once
// Expectations under N(0, 1) by the trapezoid rule with a step-halving error estimate, shared by the
// log-SNR identities and the Gaussian-structure gap. The integrands are analytic; their nearest complex
// singularities come from a mixture's responsibilities, located here in closed form.

#include "numerics/estimate.hpp"
#include "numerics/real.hpp"

#include <boost/math/constants/constants.hpp>

#include <algorithm>
#include <cmath>
#include <complex>
#include <deque>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace diffbound {
namespace detail {

// log(1/tol): every truncation and step below aims at the unit roundoff of the working type.
template <class Real> Real log_inverse_tolerance() {
  using std::log;
  return -log(unit_roundoff<Real>());
}

// Distance from the real u-axis to the nearest pole of the responsibilities of the mixture
// sum_k w_k N(center_k, var_k) along z = z0 + tau u: for a pair (j, k) the logit difference D(u) is
// quadratic and 1 / (1 + e^D) has poles where D = +-i pi. With more than two components this is the
// pairwise estimate; the step-halving estimate of the rule checks it.
inline double responsibility_pole_distance(const std::vector<double>& logw, const std::vector<double>& center,
                                           const std::vector<double>& var, double z0, double tau) {
  double best = 1e300;
  const std::size_t K = logw.size();
  for (std::size_t j = 0; j < K; ++j)
    for (std::size_t k = j + 1; k < K; ++k) {
      // L_i(u) = log w_i - log(var_i) / 2 - (tau u + z0 - center_i)^2 / (2 var_i)
      auto coef = [&](std::size_t i, double& q2, double& q1, double& q0) {
        const double c = var[i], e = z0 - center[i];
        q2 = -tau * tau / (2 * c);
        q1 = -tau * e / c;
        q0 = logw[i] - std::log(c) / 2 - e * e / (2 * c);
      };
      double a2, a1, a0, b2, b1, b0;
      coef(j, a2, a1, a0);
      coef(k, b2, b1, b0);
      const double q2 = a2 - b2, q1 = a1 - b1, q0 = a0 - b0;
      for (double sign : {1.0, -1.0}) {
        const std::complex<double> c0(q0, -sign * boost::math::constants::pi<double>());
        if (std::abs(q2) < 1e-300 * (1 + std::abs(q1))) {
          if (q1 != 0) best = std::min(best, std::abs((-c0 / q1).imag()));
          continue;
        }
        const std::complex<double> disc = std::sqrt(std::complex<double>(q1 * q1) - 4.0 * q2 * c0);
        best = std::min(best, std::abs(((-q1 + disc) / (2 * q2)).imag()));
        best = std::min(best, std::abs(((-q1 - disc) / (2 * q2)).imag()));
      }
    }
  return best;
}

// Trapezoid rule for E_eps[f(eps)], eps ~ N(0, 1), on [-E, E] with a step small enough that the rule of
// twice the step is already at the tolerance (analytic integrand: the error of step h is
// ~ exp(-2 pi d / h) for poles at distance d, and ~ exp(-2 pi^2 / h^2) from the Gaussian weight).
// Returns value and error estimate (|rule(h) - rule(2h)| + truncation of the weight beyond E, with
// |f| at +-E as the size of f there) and the number of nodes.
// Nodes and weights of the trapezoid rule for N(0, 1) on [-E, E] with 2n + 1 nodes (n even); cached
// per n because the exponentials dominate the cost at high precision.
template <class Real> struct GaussianRule {
  Real step;
  std::vector<Real> node, weight;  // i = 0..2n for eps = (i - n) step; weight = step * phi(eps)
};

template <class Real> const GaussianRule<Real>& gaussian_rule(long n, double E) {
  using std::exp; using std::sqrt;
  // keyed by n and the working precision (MPFR numbers carry theirs)
  thread_local std::deque<std::pair<std::pair<long, long>, GaussianRule<Real>>> cache;  // stable references
  long digits = 0;
  if constexpr (is_multiprecision_v<Real>) digits = static_cast<long>(Real::thread_default_precision());
  for (const auto& [key, rule] : cache)
    if (key.first == n && key.second == digits) return rule;
  GaussianRule<Real> r;
  r.step = Real(E) / n;
  const Real norm = r.step / sqrt(2 * boost::math::constants::pi<Real>());
  for (long i = -n; i <= n; ++i) {
    const Real e = r.step * i;
    r.node.push_back(e);
    r.weight.push_back(norm * exp(Real(-e * e / 2)));
  }
  cache.emplace_back(std::make_pair(n, digits), std::move(r));
  return cache.back().second;
}

// Trapezoid rule for E_eps[f(eps)], eps ~ N(0, 1), on [-E, E] with a step small enough that the rule of
// twice the step is already at the tolerance (analytic integrand: the error of step h is
// ~ exp(-2 pi d / h) for poles at distance d, and ~ exp(-2 pi^2 / h^2) from the Gaussian weight).
// Returns value and error estimate (|rule(h) - rule(2h)| + truncation of the weight beyond E, with
// |f| at +-E as the size of f there) and adds the number of nodes to `nodes`.
template <class Real, class F>
Estimate<Real> gaussian_expectation(F&& f, double pole_distance, const Real& log_inv_tol, long& nodes) {
  using std::abs;
  const double L = static_cast<double>(log_inv_tol) + 5;
  const double pi = boost::math::constants::pi<double>();
  const double E = std::sqrt(2 * L);
  const double h = std::min(pi / std::sqrt(2 * L), pi * 0.8 * pole_distance / L);
  // node counts are rounded up to a ladder of ratio ~1.19 (4 per doubling) so few rules are cached
  const double needed = std::ceil(E / h);
  // ~10^6 nodes per expectation (a component of variance ~1e-8 next to one at distance 1): refuse
  // rather than run for hours; the caller reports it as an error of the study
  if (!(needed <= 1 << 20))
    throw std::runtime_error("the mixture's responsibilities switch too sharply for the quadrature (" +
                             std::to_string(static_cast<long long>(needed)) + " nodes per expectation needed)");
  long n = 8;
  while (n < needed) n = static_cast<long>(std::ceil(n * 1.1892)) + 1;
  n += n % 2;  // even, so the nodes of step 2h are a subset
  const GaussianRule<Real>& rule = gaussian_rule<Real>(n, E);
  Real all(0), even(0), edge(0);
  for (long i = 0; i <= 2 * n; ++i) {
    const Real v = f(rule.node[i]) * rule.weight[i];
    all += v;
    if (i % 2 == 0) even += v;
    if (i == 0 || i == 2 * n) edge += abs(v);
  }
  nodes += 2 * n + 1;
  even *= 2;
  // weight beyond E: int_E^inf phi <= phi(E) / E, times the size of f there (|f| grows at most
  // quadratically; a factor 4 covers that growth over the next unit of eps where nearly all the tail
  // mass is); edge carries the factor step, hence the division
  const Real tail = 4 * edge / (rule.step * Real(E));
  return {all, abs(Real(all - even)) + tail};
}

}  // namespace detail
}  // namespace diffbound
