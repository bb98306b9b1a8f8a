#pragma once
// Log-sum-exp and the responsibilities of a mixture: every term exp(l_k) is taken relative to the
// largest, so that far tails neither underflow nor overflow. The one implementation the engines use.

#include "numerics/real.hpp"

#include <cmath>
#include <cstddef>

namespace diffbound::detail {

// The largest of l[0..n) (-inf for n = 0).
template <class Real> Real max_term(const Real* l, std::size_t n) {
  Real top = -positive_infinity<Real>();
  for (std::size_t k = 0; k < n; ++k)
    if (l[k] > top) top = l[k];
  return top;
}

// top = max l; l[k] <- exp(l[k] - top); sum = the new l[k] summed in index order. The largest term
// becomes exactly 1 (also when every term is -inf). In place: at high precision each temporary is
// an allocation, and some callers run this per quadrature node.
template <class Real> void exp_from_max(Real* l, std::size_t n, Real& top, Real& sum) {
  using std::exp;
  top = max_term(l, n);
  sum = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (l[k] == top) {
      l[k] = 1;
    } else {
      l[k] -= top;
      l[k] = exp(l[k]);
    }
    sum += l[k];
  }
}

// log sum_k w_k exp(l_k), w = nullptr meaning every w_k = 1; l is overwritten.
template <class Real> Real log_sum_exp(Real* l, std::size_t n, const Real* w = nullptr) {
  using std::log;
  Real top, sum;
  exp_from_max(l, n, top, sum);
  if (w) {
    sum = 0;
    for (std::size_t k = 0; k < n; ++k) sum += w[k] * l[k];
  }
  return top + log(sum);
}

}  // namespace diffbound::detail
