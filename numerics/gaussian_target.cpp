#include "numerics/gaussian_target.hpp"

#include <cmath>

namespace diffbound {

namespace {

double number(const std::string& text, const std::string& field) {
  double v;
  try {
    v = from_decimal<double>(text);
  } catch (const std::exception&) {
    throw InputError(field, text, "not a number");
  }
  if (!std::isfinite(v)) throw InputError(field, text, "must be a finite number");
  return v;
}

}  // namespace

void validate_gaussian(const GaussianSpec& g, const std::string& where) {
  const long d = g.dim;
  if (d < 1) throw InputError(where + ".dim", std::to_string(d), "must be at least 1");
  if (g.spectrum == Spectrum::matrix && d > 4096)
    throw InputError(where + ".dim", std::to_string(d), "a full covariance matrix is limited to dim <= 4096");
  if (d > 100000000) throw InputError(where + ".dim", std::to_string(d), "too large for memory (limit 1e8)");
  const double kappa = number(g.kappa, where + ".kappa");
  if (!(kappa >= 1)) throw InputError(where + ".kappa", g.kappa, "the condition number must be >= 1");
  const double scale = number(g.scale, where + ".scale");
  if (!(scale > 0)) throw InputError(where + ".scale", g.scale, "must be > 0");
  if (g.mean.size() != 1 && static_cast<long>(g.mean.size()) != d)
    throw InputError(where + ".mean", std::to_string(g.mean.size()) + " entries",
                     "must be a scalar or a vector of length dim = " + std::to_string(d));
  for (std::size_t i = 0; i < g.mean.size(); ++i) number(g.mean[i], where + ".mean[" + std::to_string(i) + "]");
  if (g.spectrum == Spectrum::list) {
    if (static_cast<long>(g.eigenvalues.size()) != d)
      throw InputError(where + ".eigenvalues", std::to_string(g.eigenvalues.size()) + " entries",
                       "must have length dim = " + std::to_string(d));
    for (std::size_t i = 0; i < g.eigenvalues.size(); ++i) {
      const std::string field = where + ".eigenvalues[" + std::to_string(i) + "]";
      if (!(number(g.eigenvalues[i], field) > 0)) throw InputError(field, g.eigenvalues[i], "eigenvalues must be > 0");
    }
  }
  if (g.spectrum == Spectrum::matrix) {
    if (static_cast<long>(g.covariance.size()) != d)
      throw InputError(where + ".covariance", std::to_string(g.covariance.size()) + " rows",
                       "must be a dim x dim matrix, dim = " + std::to_string(d));
    Eigen::MatrixXd S(d, d);
    for (long i = 0; i < d; ++i) {
      if (static_cast<long>(g.covariance[i].size()) != d)
        throw InputError(where + ".covariance[" + std::to_string(i) + "]", std::to_string(g.covariance[i].size()) + " entries",
                         "every row must have dim = " + std::to_string(d) + " entries");
      for (long j = 0; j < d; ++j)
        S(i, j) = number(g.covariance[i][j], where + ".covariance[" + std::to_string(i) + "][" + std::to_string(j) + "]");
    }
    // Symmetry relative to the matrix's scale, not to the pair: an entry that is 0 in exact arithmetic
    // carries rounding noise (7.9e-82 vs 5.3e-82 in a rotated isotropic matrix) that no pairwise test
    // can accept. The engines use the symmetric part (S + S^T)/2 (docs/math.md#gaussian-targets).
    const double matrix_scale = S.cwiseAbs().maxCoeff();
    for (long i = 0; i < d; ++i)
      for (long j = 0; j < i; ++j)
        if (!(std::abs(S(i, j) - S(j, i)) <= 1e-12 * matrix_scale))
          throw InputError(where + ".covariance[" + std::to_string(i) + "][" + std::to_string(j) + "]", g.covariance[i][j],
                           "the matrix is not symmetric (entry [" + std::to_string(j) + "][" + std::to_string(i) + "] = " +
                               g.covariance[j][i] + ")");
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(S, Eigen::EigenvaluesOnly);
    const double lo = eig.eigenvalues().minCoeff(), hi = eig.eigenvalues().maxCoeff();
    if (!(lo > 1e-13 * hi))
      throw InputError(where + ".covariance", "(smallest eigenvalue " + std::to_string(lo) + ")",
                       "the covariance must be symmetric positive definite");
  }
}

}  // namespace diffbound
