// The MPFR core of the dense W2 (docs/math.md#w2-dense) and the MPFR symmetric eigenvalues, compiled once for
// the three dense instantiations.
#include "numerics/detail/dense_w2.hpp"

#include <Eigen/Eigenvalues>

namespace diffbound::detail {

std::pair<mpfr_real, mpfr_real> dense_w2_squared_mpfr(Matrix<mpfr_real> A, Matrix<mpfr_real> dS, const mpfr_real& dm2) {
  using std::sqrt;
  using M = Matrix<mpfr_real>;
  const Eigen::Index d = A.rows();
  A = ((A + A.transpose()) / 2).eval();
  dS = ((dS + dS.transpose()) / 2).eval();
  const M B = A + dS;
  // A^{1/2} = Q diag(sqrt(lambda)) Q^T (eigenvalues below 0 by roundoff clipped)
  Eigen::SelfAdjointEigenSolver<M> eig_a(A);
  Vector<mpfr_real> root(d);
  for (Eigen::Index i = 0; i < d; ++i) root(i) = sqrt(max_of(eig_a.eigenvalues()(i), mpfr_real(0)));
  const M S = eig_a.eigenvectors() * root.asDiagonal() * eig_a.eigenvectors().transpose();
  M C = S * B * S;
  C = ((C + C.transpose()) / 2).eval();
  Eigen::SelfAdjointEigenSolver<M> eig_c(C, Eigen::EigenvaluesOnly);
  mpfr_real tr_root(0);
  for (Eigen::Index i = 0; i < d; ++i) tr_root += sqrt(max_of(eig_c.eigenvalues()(i), mpfr_real(0)));
  const mpfr_real scale = A.trace() + B.trace();
  return {dm2 + scale - 2 * tr_root, scale};
}

Vector<mpfr_real> symmetric_eigenvalues_mpfr(const Matrix<mpfr_real>& S) {
  Eigen::SelfAdjointEigenSolver<Matrix<mpfr_real>> eig(S, Eigen::EigenvaluesOnly);
  return eig.eigenvalues();
}

}  // namespace diffbound::detail
