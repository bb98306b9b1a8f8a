// Spectral sums of symmetric matrices without eigenvalues, so they also work for interval matrices:
// log det(I + U) and tr U - log det(I + U) = sum_i (u_i - log1p u_i), accurate when U is small.
#pragma once

#include "numerics/gaussian_target.hpp"

#include <cmath>

namespace diffbound {

template <class Real> Real frobenius_upper(const Matrix<Real>& U) {
  using std::sqrt;
  Real s = sqrt(U.cwiseProduct(U).sum());
  if constexpr (is_interval_v<Real>) s = make_interval(upper_of(s), upper_of(s));
  return s;
}

// S = L L^T. Point types use Eigen's LLT. Intervals use a plain loop in which every pivot must be
// certainly positive: a pivot enclosure that straddles 0 raises PrecisionLoss (more digits decide
// it), where Eigen's LLT would make an ambiguous interval comparison inside code that cannot pass
// the exception on.
template <class Real> struct Cholesky {
  Matrix<Real> L;
  Cholesky(const Matrix<Real>& S, const char* what) {
    using std::sqrt;
    if constexpr (is_interval_v<Real>) {
      const Eigen::Index n = S.rows();
      L = Matrix<Real>::Zero(n, n);
      for (Eigen::Index j = 0; j < n; ++j) {
        Real pivot = S(j, j);
        for (Eigen::Index k = 0; k < j; ++k) pivot -= L(j, k) * L(j, k);
        if (!certainly_positive(pivot)) {
          if (certainly_less(pivot, Real(0)) || pivot == Real(0)) throw std::runtime_error(std::string("not positive definite: ") + what);
          throw PrecisionLoss(std::string("interval enclosure too wide to certify positive definiteness: ") + what);
        }
        L(j, j) = sqrt(pivot);
        for (Eigen::Index i = j + 1; i < n; ++i) {
          Real v = S(i, j);
          for (Eigen::Index k = 0; k < j; ++k) v -= L(i, k) * L(j, k);
          L(i, j) = v / L(j, j);
        }
      }
    } else {
      Eigen::LLT<Matrix<Real>> llt(S);
      if (llt.info() != Eigen::Success) throw std::runtime_error(std::string("not positive definite: ") + what);
      L = llt.matrixL();
    }
  }
  // L^-1 B and S^-1 B
  template <class B> Matrix<Real> lower_solve(const B& b) const { return L.template triangularView<Eigen::Lower>().solve(b); }
  Matrix<Real> solve(const Matrix<Real>& b) const {
    return L.transpose().template triangularView<Eigen::Upper>().solve(lower_solve(b));
  }
};

template <class Real> Real log_det_cholesky(const Matrix<Real>& S, const char* what) {
  using std::log;
  const Cholesky<Real> c(S, what);
  Real s(0);
  for (Eigen::Index i = 0; i < S.rows(); ++i) s += log(Real(c.L(i, i)));
  return 2 * s;
}

namespace detail {
// sum_{k >= k0} (-1)^(k+1) tr(U^k) / k for ||U||_F = rho <= 1/2, with the truncation bounded by
// rho^(K+1) / ((K+1)(1 - rho)) (|tr U^k| <= ||U||_F^k for k >= 2) and, for intervals, added as a ball.
template <class Real> Real log_series(const Matrix<Real>& U, int k0, const Real& rho) {
  const Real floor_sum = rho * rho / 3;  // |sum| >= ||U||_F^2 / 3 when rho <= 1/2, a relative stop
  const Real eps = unit_roundoff<Real>() / 4;
  Matrix<Real> power = U;
  Real sum(0), rho_k = rho;
  for (int k = 1;; ++k) {
    if (k >= k0) {
      const Real term = power.trace() / Real(k);
      sum += (k % 2 == 1) ? term : Real(-term);
    }
    rho_k *= rho;
    const Real tail = rho_k / (Real(k + 1) * (Real(1) - rho));
    if (k >= k0 && (certainly_less(tail, Real(eps * floor_sum)) || !certainly_positive(tail) || k > 400)) {
      if constexpr (is_interval_v<Real>) sum += make_interval(mpfr_real(-upper_of(tail)), upper_of(tail));
      return sum;
    }
    power = (power * U).eval();
  }
}
}  // namespace detail

// log det(I + U) for symmetric U with I + U positive definite.
template <class Real> Real log_det_identity_plus(const Matrix<Real>& U) {
  const Real rho = frobenius_upper(U);
  if (certainly_less(rho, Real(Real(1) / 2))) return detail::log_series(U, 1, rho);
  return log_det_cholesky<Real>(Matrix<Real>(Matrix<Real>::Identity(U.rows(), U.cols()) + U), "I + U");
}

// tr U - log det(I + U) = sum (u_i - log1p u_i) for symmetric U with I + U positive definite.
template <class Real> Real trace_u_minus_log1p(const Matrix<Real>& U) {
  const Real rho = frobenius_upper(U);
  if (certainly_less(rho, Real(Real(1) / 2))) return -detail::log_series(U, 2, rho);
  return U.trace() - log_det_cholesky<Real>(Matrix<Real>(Matrix<Real>::Identity(U.rows(), U.cols()) + U), "I + U");
}

template <class Real> Matrix<Real> symmetrized(const Matrix<Real>& M) { return (M + M.transpose()) / 2; }

template <class Real> Matrix<Real> spd_inverse(const Matrix<Real>& S) {
  const Cholesky<Real> c(S, "a matrix inverted in the dense path");
  return symmetrized<Real>(c.solve(Matrix<Real>::Identity(S.rows(), S.cols())));
}

}  // namespace diffbound
