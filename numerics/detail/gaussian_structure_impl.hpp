#pragma once
// Implementation of numerics/gaussian_structure.hpp (templates; instantiated per number type in
// gaussian_structure_<type>.cpp).

#include "numerics/coordinate_laws.hpp"
#include "numerics/detail/gaussian_expectation.hpp"
#include "numerics/detail/log_sum_exp.hpp"
#include "numerics/gaussian_structure.hpp"

#include <cmath>

namespace diffbound {

template <class Real> Real noise_level(const std::string& text, const std::string& field) {
  double v;
  try {
    v = from_decimal<double>(text);
  } catch (...) {
    throw InputError(field, text, "must be a number (a noise level sigma > 0)");
  }
  if (!std::isfinite(v) || !(v > 0)) throw InputError(field, text, "must be a finite noise level sigma > 0");
  return from_decimal<Real>(text);
}

namespace detail {

template <class Real> void check_sigma(const Real& sigma) {
  if (!is_finite_value(sigma) || !certainly_positive(sigma))
    throw InputError("noise_level", to_decimal(sigma), "must be a finite noise level sigma > 0");
}

// The posterior mean of X ~ sum_k w_k N(m_k, v_k) given X + sigma Z = y: per component the Gaussian
// update m_k + v_k / (v_k + sigma^2) (y - m_k), weighted by the responsibilities
// r_k ∝ w_k N(y; m_k, v_k + sigma^2) (log-sum-exp).
template <class Real> Real posterior_mean_1d(const Mixture1D<Real>& p, const Real& y, const Real& sigma2) {
  using std::log;
  const std::size_t K = p.size();
  if (K == 1) return p.mean[0] + p.variance[0] / (p.variance[0] + sigma2) * (y - p.mean[0]);
  std::vector<Real> l(K), upd(K);
  for (std::size_t k = 0; k < K; ++k) {
    const Real c = p.variance[k] + sigma2, d = y - p.mean[k];
    l[k] = log(p.weight[k]) - log(c) / 2 - d * d / (2 * c);
    upd[k] = p.mean[k] + p.variance[k] / c * d;
  }
  Real top, sum, acc(0);
  exp_from_max(l.data(), K, top, sum);
  for (std::size_t k = 0; k < K; ++k) acc += l[k] * upd[k];
  return acc / sum;
}

// D(y) - D_gauss(y) for a 1-D mixture with mean mu and variance V, without the cancellation of the two
// denoisers at small sigma: both are y minus sigma^2 times a score,
// D(y) = y - sigma^2 sum_k r_k (y - m_k) / (v_k + sigma^2), D_gauss(y) = y - sigma^2 (y - mu) / (V + sigma^2).
template <class Real>
Real denoiser_difference_1d(const Mixture1D<Real>& p, const Real& y, const Real& sigma2, const Real& mu, const Real& V) {
  using std::log;
  const std::size_t K = p.size();
  std::vector<Real> l(K), s(K);
  for (std::size_t k = 0; k < K; ++k) {
    const Real c = p.variance[k] + sigma2, d = y - p.mean[k];
    l[k] = log(p.weight[k]) - log(c) / 2 - d * d / (2 * c);
    s[k] = d / c;
  }
  Real top, sum, acc(0);
  exp_from_max(l.data(), K, top, sum);
  for (std::size_t k = 0; k < K; ++k) acc += l[k] * s[k];
  return sigma2 * ((y - mu) / (V + sigma2) - acc / sum);
}

}  // namespace detail

template <class Real> AffineDenoiser<Real> gaussian_denoiser(const TargetSpec& target, const Real& sigma) {
  detail::check_sigma(sigma);
  const auto laws = coordinate_laws<Real>(target, "target");
  const long d = static_cast<long>(laws.size());
  AffineDenoiser<Real> out{Matrix<Real>::Zero(d, d), Vector<Real>::Zero(d)};
  const Real sigma2 = sigma * sigma;
  for (long i = 0; i < d; ++i) {
    Real mu, var;
    mixture_moments(laws[i], mu, var);
    out.A(i, i) = var / (var + sigma2);
    out.b(i) = mu - out.A(i, i) * mu;
  }
  return out;
}

template <class Real> AffineDenoiser<Real> lmmse_denoiser(const TargetSpec& target, const Real& sigma) {
  detail::check_sigma(sigma);
  const long d = target.dim();
  // The d-dimensional components (weight, mean vector, diagonal covariance), built from the TargetSpec
  // directly rather than from the per-coordinate moments D_gauss uses.
  struct Component { Real weight; Vector<Real> mean, variance; };
  std::vector<Component> comps;
  if (target.family == Family::gaussian) {
    validate_gaussian(target.gaussian, "target");
    if (target.gaussian.spectrum == Spectrum::matrix)
      throw InputError("target.covariance", "(full matrix)", "this study needs a diagonal covariance");
    comps.push_back({Real(1), mean_vector<Real>(target.gaussian), covariance_matrix<Real>(target.gaussian, "target").diagonal()});
  } else {
    const MixtureSpec& m = target.mixture;
    validate_mixture(m, "target");
    const Mixture1D<Real> line = mixture_1d<Real>(m);
    const long K = static_cast<long>(line.size());
    if (m.layout == MixtureLayout::product && d > 1) {
      if (static_cast<double>(d) * std::log(static_cast<double>(K)) > std::log(4096.0))
        throw InputError("target.dim", std::to_string(d), "the LMMSE check enumerates K^d <= 4096 components");
      long total = 1;
      for (long i = 0; i < d; ++i) total *= K;
      for (long idx = 0; idx < total; ++idx) {
        Component c{Real(1), Vector<Real>(d), Vector<Real>(d)};
        long rest = idx;
        for (long i = 0; i < d; ++i) {
          const long k = rest % K;
          rest /= K;
          c.weight *= line.weight[k];
          c.mean(i) = line.mean[k];
          c.variance(i) = line.variance[k];
        }
        comps.push_back(std::move(c));
      }
    } else {
      for (long k = 0; k < K; ++k) {
        Component c{line.weight[k], Vector<Real>::Zero(d), Vector<Real>::Constant(d, line.variance[k])};
        c.mean(0) = line.mean[k];
        comps.push_back(std::move(c));
      }
    }
  }
  // Exact moments: E X = sum w_k m_k, E X X^T = sum w_k (S_k + m_k m_k^T); Y = X + sigma Z gives
  // E Y = E X, E X Y^T = E X X^T, E Y Y^T = E X X^T + sigma^2 I.
  Vector<Real> ex = Vector<Real>::Zero(d);
  Matrix<Real> exx = Matrix<Real>::Zero(d, d);
  for (const auto& c : comps) {
    ex += c.weight * c.mean;
    exx += c.weight * (Matrix<Real>(c.variance.asDiagonal()) + c.mean * c.mean.transpose());
  }
  // Normal equations in the augmented variable (Y, 1): [A b] M = R with
  // M = [[E Y Y^T, E Y], [E Y^T, 1]], R = [E X Y^T, E X].
  Matrix<Real> M(d + 1, d + 1), R(d, d + 1);
  M.topLeftCorner(d, d) = exx + sigma * sigma * Matrix<Real>::Identity(d, d);
  M.topRightCorner(d, 1) = ex;
  M.bottomLeftCorner(1, d) = ex.transpose();
  M(d, d) = Real(1);
  R.leftCols(d) = exx;
  R.col(d) = ex;
  // [A b] = R M^-1, i.e. M^T [A b]^T = R^T (M is symmetric)
  const Matrix<Real> sol = M.fullPivLu().solve(Matrix<Real>(R.transpose()));
  AffineDenoiser<Real> out;
  out.A = sol.topRows(d).transpose();
  out.b = sol.row(d).transpose();
  return out;
}

template <class Real>
std::vector<Real> posterior_mean_denoiser(const TargetSpec& target, const std::vector<Real>& y, const Real& sigma) {
  detail::check_sigma(sigma);
  const auto laws = coordinate_laws<Real>(target, "target");
  if (y.size() != laws.size())
    throw InputError("point", std::to_string(y.size()) + " entries", "must have d = " + std::to_string(laws.size()) + " entries");
  std::vector<Real> out;
  for (std::size_t i = 0; i < laws.size(); ++i) out.push_back(detail::posterior_mean_1d(laws[i], y[i], Real(sigma * sigma)));
  return out;
}

template <class Real> GapValue<Real> nonlinearity_gap(const TargetSpec& target, const Real& sigma) {
  using std::sqrt; using std::abs;
  detail::check_sigma(sigma);
  const auto laws = coordinate_laws<Real>(target, "target");
  const Real sigma2 = sigma * sigma, L = detail::log_inverse_tolerance<Real>();
  GapValue<Real> out{Real(0), Real(0), 0};
  // identical coordinates give identical terms: computed once (product layouts)
  std::vector<std::size_t> done;
  for (std::size_t i = 0; i < laws.size(); ++i) {
    const Mixture1D<Real>& p = laws[i];
    if (p.size() == 1) continue;  // the posterior mean of a Gaussian coordinate is D_gauss: gap 0
    Real mu, var;
    mixture_moments(p, mu, var);
    // Y ~ sum_k w_k N(m_k, v_k + sigma^2): one Gaussian expectation per component
    std::vector<double> logw, center, vy;
    for (std::size_t k = 0; k < p.size(); ++k) {
      logw.push_back(std::log(mid_double(p.weight[k])));
      center.push_back(mid_double(p.mean[k]));
      vy.push_back(mid_double(Real(p.variance[k] + sigma2)));
    }
    Real value(0), error(0), scale(0);
    for (std::size_t k = 0; k < p.size(); ++k) {
      const Real tau = sqrt(Real(p.variance[k] + sigma2));
      auto f = [&](const Real& u) {
        const Real y = p.mean[k] + tau * u;
        const Real diff = detail::denoiser_difference_1d(p, y, sigma2, mu, var);
        return Real(diff * diff);
      };
      const double dist = detail::responsibility_pole_distance(logw, center, vy, mid_double(p.mean[k]), mid_double(tau));
      const auto e = detail::gaussian_expectation<Real>(f, dist, L, out.nodes);
      value += p.weight[k] * e.value;
      error += p.weight[k] * e.error;
      scale += p.weight[k] * (abs(p.mean[k]) + tau);
    }
    // rounding: the bracket of denoiser_difference_1d holds scores of size <= (|y| + max|m_k|) / (v_min + sigma^2),
    // each within a few u, so diff is within e = 4 u sigma^2 (scale + |mu|) / (v_min + sigma^2) and the
    // squared difference within 2 |diff| e + e^2 <= 2 e sqrt(value) + e^2 on average (Cauchy-Schwarz)
    Real vmin = p.variance[0];
    for (std::size_t k = 1; k < p.size(); ++k)
      if (p.variance[k] < vmin) vmin = p.variance[k];
    const Real e = 4 * unit_roundoff<Real>() * sigma2 * (scale + abs(mu)) / (vmin + sigma2);
    const Real rounding = 2 * e * sqrt(value) + e * e;
    out.value += value;
    out.error_estimate += error + rounding;
  }
  return out;
}

}  // namespace diffbound
