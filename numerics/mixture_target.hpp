// Gaussian-mixture targets (docs/math.md#gaussian-mixtures): validation of the case-file description, and the 1-D
// mixture a separable layout reduces to, with its marginals, score and score derivative at any t.
#pragma once

#include "numerics/case_spec.hpp"
#include "numerics/detail/log_sum_exp.hpp"
#include "numerics/input_error.hpp"
#include "numerics/real.hpp"

#include <boost/math/constants/constants.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace diffbound {

// Checks dim, list lengths, finiteness, weights >= 0 summing to 1 within 1e-12, variances > 0 and, for
// layout = "axis" with dim > 1, one shared variance. `where` prefixes field names ("target",
// "score.train"). Throws InputError naming the field and the value.
void validate_mixture(const MixtureSpec& m, const std::string& where);

// A 1-D mixture sum_k w_k N(m_k, v_k). Components of zero weight are dropped on construction.
template <class Real> struct Mixture1D {
  std::vector<Real> weight, mean, variance;
  std::vector<Real> log_coef, precision;  // cached: log w_k - log(v_k)/2 and 1/v_k (see prepare)
  std::size_t size() const { return weight.size(); }
};

// Fills the cached per-component constants; every constructor below calls it.
template <class Real> Mixture1D<Real>& prepare(Mixture1D<Real>& q) {
  using std::log;
  q.log_coef.resize(q.size());
  q.precision.resize(q.size());
  for (std::size_t k = 0; k < q.size(); ++k) {
    q.log_coef[k] = log(q.weight[k]) - log(q.variance[k]) / 2;
    q.precision[k] = 1 / q.variance[k];
  }
  return q;
}

template <class Real> Mixture1D<Real> mixture_1d(const MixtureSpec& m) {
  Mixture1D<Real> out;
  for (std::size_t k = 0; k < m.weights.size(); ++k) {
    Real w = from_decimal<Real>(m.weights[k]);
    if (!(w > 0)) continue;
    out.weight.push_back(w);
    out.mean.push_back(from_decimal<Real>(m.means[k]));
    out.variance.push_back(from_decimal<Real>(m.variances[k]));
  }
  // renormalize: the weights are validated to sum to 1 only within 1e-12
  Real total(0);
  for (const auto& w : out.weight) total += w;
  for (auto& w : out.weight) w /= total;
  return prepare(out);
}

template <class Real> Mixture1D<Real> gaussian_1d(const Real& mean, const Real& variance) {
  Mixture1D<Real> out{{Real(1)}, {mean}, {variance}, {}, {}};
  return prepare(out);
}

// Mean and variance of a 1-D mixture (for the Gaussian surrogate).
template <class Real> void mixture_moments(const Mixture1D<Real>& q, Real& mean, Real& variance) {
  mean = Real(0);
  for (std::size_t k = 0; k < q.size(); ++k) mean += q.weight[k] * q.mean[k];
  variance = Real(0);
  for (std::size_t k = 0; k < q.size(); ++k) {
    const Real d = q.mean[k] - mean;
    variance += q.weight[k] * (q.variance[k] + d * d);
  }
}

// The forward marginal Q_t = sum_k w_k N(sqrt(ab) m_k, ab v_k + (1 - ab)); 1 - ab is passed separately
// so it keeps its relative accuracy when ab is close to 1.
template <class Real> Mixture1D<Real> marginal_1d(const Mixture1D<Real>& q, const Real& ab, const Real& omab) {
  using std::sqrt;
  Mixture1D<Real> out = q;
  const Real r = sqrt(ab);
  for (std::size_t k = 0; k < q.size(); ++k) {
    out.mean[k] = r * q.mean[k];
    out.variance[k] = ab * q.variance[k] + omab;
  }
  return prepare(out);
}

// Log-density of a 1-D mixture, by log-sum-exp so that far tails neither underflow nor lose digits.
template <class Real> Real log_density(const Mixture1D<Real>& q, const Real& x) {
  using std::log;
  const Real half_log_2pi = log(2 * boost::math::constants::pi<Real>()) / 2;
  if (q.size() == 1) {
    const Real d = x - q.mean[0];
    return q.log_coef[0] - d * d * q.precision[0] / 2 - half_log_2pi;
  }
  std::vector<Real> l(q.size());
  for (std::size_t k = 0; k < q.size(); ++k) {
    const Real d = x - q.mean[k];
    l[k] = q.log_coef[k] - d * d * q.precision[k] / 2;
  }
  return detail::log_sum_exp(l.data(), l.size()) - half_log_2pi;
}

// Score s(x) = d/dx log q(x) and its derivative (the Hessian of docs/math.md#gaussian-mixtures in 1-D):
// with responsibilities w_k and g_k = -(x - m_k)/v_k, s = sum w_k g_k, s' = sum w_k (g_k^2 - 1/v_k) - s^2.
// The derivative is formed as sum w_k ((g_k - s)^2 - 1/v_k), which is the same number without the
// cancellation between sum w_k g_k^2 and s^2.
template <class Real> struct ScoreValue { Real value, derivative; };

template <class Real> ScoreValue<Real> score_of(const Mixture1D<Real>& q, const Real& x) {
  if (q.size() == 1) return {Real(-(x - q.mean[0]) * q.precision[0]), Real(-q.precision[0])};
  const std::size_t K = q.size();
  Real l[8], g[8];
  std::vector<Real> lv, gv;
  Real* lp = l; Real* gp = g;
  if (K > 8) { lv.resize(K); gv.resize(K); lp = lv.data(); gp = gv.data(); }
  for (std::size_t k = 0; k < K; ++k) {
    const Real d = x - q.mean[k];
    gp[k] = -d * q.precision[k];
    lp[k] = q.log_coef[k] + d * gp[k] / 2;
  }
  Real top, sum;
  detail::exp_from_max(lp, K, top, sum);  // lp: the unnormalized responsibilities
  const Real inv_sum = 1 / sum;
  Real s(0);
  for (std::size_t k = 0; k < K; ++k) { lp[k] *= inv_sum; s += lp[k] * gp[k]; }
  Real ds(0);
  for (std::size_t k = 0; k < K; ++k) {
    const Real c = gp[k] - s;
    ds += lp[k] * (c * c - q.precision[k]);
  }
  return {s, ds};
}

}  // namespace diffbound
