#pragma once
// W2 between two Gaussians with full covariances (docs/math.md#w2-dense):
//   W2^2(N(mu, A), N(mu + dm, A + dS)) = |dm|^2 + tr A + tr B - 2 tr (A^{1/2} B A^{1/2})^{1/2}, B = A + dS.
// When B is close to A the trace terms cancel to second order in dS (W2^2 = O(|dS|^2) while each term
// is O(tr A)), and no rearrangement removes that for non-commuting A and B. So the formula is evaluated
// in MPFR at two precisions above the working one, escalating until the two agree to the working
// precision: the result is an estimate with that evidence (two precisions agree), not an enclosure,
// also for interval inputs (their midpoints are used).

#include "numerics/gaussian_target.hpp"
#include "numerics/real.hpp"


#include <cmath>
#include <limits>
#include <utility>

namespace diffbound::detail {

// An MPFR copy of x rounded to the current thread precision (midpoint for intervals). Constructing
// from another number would keep the source's precision (Boost's related-precision rule).
template <class Real> mpfr_real to_current_mpfr(const Real& x) {
  mpfr_real r;  // thread default precision
  if constexpr (std::is_same_v<Real, double>) mpfr_set_d(r.backend().data(), x, MPFR_RNDN);
  else if constexpr (std::is_same_v<Real, mpfr_real>) mpfr_set(r.backend().data(), x.backend().data(), MPFR_RNDN);
  else mpfi_mid(r.backend().data(), x.backend().data());
  return r;
}

// W2^2 and the scale tr A + tr B at the current MPFR precision, for A, dS and |dm|^2 already at it.
// Not a template, defined once in numerics/dense_w2_mpfr.cpp: its MPFR eigensolvers are the heaviest
// instantiation of the dense path, and each of the three dense translation units used to compile them.
std::pair<mpfr_real, mpfr_real> dense_w2_squared_mpfr(Matrix<mpfr_real> A, Matrix<mpfr_real> dS, const mpfr_real& dm2);

// The eigenvalues of a symmetric MPFR matrix (Eigen's SelfAdjointEigenSolver at the current precision),
// compiled once with the core above.
Vector<mpfr_real> symmetric_eigenvalues_mpfr(const Matrix<mpfr_real>& S);

// W2^2 and the scale at the current MPFR precision.
template <class Real> std::pair<mpfr_real, mpfr_real> dense_w2_squared_here(const Matrix<Real>& A_in, const Matrix<Real>& dS_in,
                                                                            const Vector<Real>& dm_in) {
  const Eigen::Index d = A_in.rows();
  Matrix<mpfr_real> A(d, d), dS(d, d);
  mpfr_real dm2(0);
  for (Eigen::Index i = 0; i < d; ++i) {
    const mpfr_real v = to_current_mpfr(dm_in(i));
    dm2 += v * v;
    for (Eigen::Index j = 0; j < d; ++j) {
      A(i, j) = to_current_mpfr(A_in(i, j));
      dS(i, j) = to_current_mpfr(dS_in(i, j));
    }
  }
  return dense_w2_squared_mpfr(std::move(A), std::move(dS), dm2);
}

struct DenseW2 {
  mpfr_real value, error;  // W2^2 at the higher precision and |difference| between the two precisions
  unsigned digits = 0;     // the higher of the two precisions
};

// working_digits: the precision the caller claims (double: 17). Agreement means |v1 - v2| <=
// 10^-working (|v2| + 10^-working scale): W2^2 to working digits, or W2 to working digits of the laws'
// scale sqrt(tr A + tr B) when W2 itself is that small. Gives up escalating past 4000 digits and
// returns the last estimate (its error then says how far it is from the claim).
template <class Real> DenseW2 dense_w2_squared(const Matrix<Real>& A, const Matrix<Real>& dS, const Vector<Real>& dm,
                                               unsigned working_digits) {
  unsigned lo = working_digits + 10, hi = working_digits + 25;
  for (;;) {
    mpfr_real v1, v2, scale;
    {
      PrecisionScope scope(lo);
      v1 = dense_w2_squared_here(A, dS, dm).first;
    }
    PrecisionScope scope(hi);
    const auto [v, s] = dense_w2_squared_here(A, dS, dm);
    v2 = v;
    scale = s;
    const mpfr_real diff = abs(mpfr_real(v1 - v2));
    const mpfr_real tol = pow(mpfr_real(10), -static_cast<int>(working_digits));
    if (diff <= tol * (abs(v2) + tol * scale) || hi >= 4000) {
      DenseW2 r;
      r.value = max_of(v2, mpfr_real(0));
      r.error = diff;
      r.digits = hi;
      return r;
    }
    lo = hi;
    hi = 2 * hi;
  }
}

}  // namespace diffbound::detail
