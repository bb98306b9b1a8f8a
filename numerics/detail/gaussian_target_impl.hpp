#pragma once
// Implementation of numerics/gaussian_target.hpp (templates).

#include <cmath>

namespace diffbound {

template <class Real>
std::vector<DiagonalEntry<Real>> diagonal_entries(const GaussianSpec& g, const std::string& where) {
  using std::pow;
  const long d = g.dim;
  const Real scale = from_decimal<Real>(g.scale), kappa = from_decimal<Real>(g.kappa);
  std::vector<DiagonalEntry<Real>> out(d);
  for (long i = 0; i < d; ++i) {
    auto& e = out[i];
    switch (g.spectrum) {
      case Spectrum::isotropic: e.variance = scale; e.key = "iso"; break;
      case Spectrum::geometric:
        e.variance = d == 1 ? scale : Real(scale * pow(kappa, Real(-Real(i) / Real(d - 1))));
        e.key = "geo:" + std::to_string(d == 1 ? 0 : i);
        break;
      case Spectrum::two_level: {
        const bool top = i < (d + 1) / 2;
        e.variance = top ? scale : Real(scale / kappa);
        e.key = top ? "hi" : "lo";
        break;
      }
      case Spectrum::list:
        e.variance = scale * from_decimal<Real>(g.eigenvalues[i]);
        e.key = "list:" + g.eigenvalues[i];
        break;
      case Spectrum::matrix:
        throw InputError(where + ".covariance", "(full matrix)", "the fast path needs a diagonal covariance");
    }
    const std::string& m = g.mean.size() == 1 ? g.mean[0] : g.mean[i];
    e.mean = from_decimal<Real>(m);
    e.key += "|" + m;
  }
  return out;
}

template <class Real> Matrix<Real> covariance_matrix(const GaussianSpec& g, const std::string& where) {
  const long d = g.dim;
  Matrix<Real> S = Matrix<Real>::Zero(d, d);
  if (g.spectrum == Spectrum::matrix) {
    const Real scale = from_decimal<Real>(g.scale);
    for (long i = 0; i < d; ++i)
      for (long j = 0; j < d; ++j) {
        // symmetrize: the user's matrix may differ from its transpose by rounding in the last digit
        S(i, j) = scale * (from_decimal<Real>(g.covariance[i][j]) + from_decimal<Real>(g.covariance[j][i])) / 2;
      }
  } else {
    auto entries = diagonal_entries<Real>(g, where);
    for (long i = 0; i < d; ++i) S(i, i) = entries[i].variance;
  }
  return S;
}

template <class Real> Vector<Real> mean_vector(const GaussianSpec& g) {
  Vector<Real> m(g.dim);
  for (long i = 0; i < g.dim; ++i) m(i) = from_decimal<Real>(g.mean.size() == 1 ? g.mean[0] : g.mean[i]);
  return m;
}

template <class Real> std::vector<Real> perturbation_vector(const ScoreSpec& score, long dim) {
  using std::sqrt;
  const Real eps = from_decimal<Real>(score.epsilon);
  std::vector<Real> v(dim);
  if (score.direction.empty()) {
    const Real each = eps / sqrt(Real(dim));
    for (auto& x : v) x = each;
    return v;
  }
  Real norm2(0);
  for (long i = 0; i < dim; ++i) {
    v[i] = from_decimal<Real>(score.direction[i]);
    norm2 += v[i] * v[i];
  }
  const Real factor = eps / sqrt(norm2);
  for (auto& x : v) x *= factor;
  return v;
}

}  // namespace diffbound
