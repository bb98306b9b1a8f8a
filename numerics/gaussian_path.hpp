// The exact Gaussian engine (docs/math.md#gaussian-path, docs/math.md#path-decomposition, docs/math.md#tv-enclosure): the output law of an affine sampler on a
// Gaussian target in closed form, and from it KL, the path decomposition and a TV enclosure.
#pragma once

#include "numerics/case_spec.hpp"
#include "numerics/real.hpp"

#include <string>

namespace diffbound {

template <class Real> struct GaussianPathResult {
  Real kl;           // KL(Q_{t_out} || P_{t_out})
  Real kl_q0_gamma;  // KL(Q_0 || N(0, I))
  Real E_T;          // KL(Q_T || N(0, I))
  bool has_decomposition = false;  // D_T and B_T: ddpm sampler only
  Real D_T, B_T;     // +inf where some sigma_t = 0 (and, for B_T, the score error is not zero there)
  bool has_w2 = false;  // set by the engines that compute W2 (docs/math.md#w2)
  Real w2;           // W2(Q_{t_out}, P_{t_out}), the distance itself (not squared)
  // w2 is an error estimate (two precisions agree), not an enclosure, even when Real is an interval:
  // the dense path's matrix square roots (docs/math.md#w2)
  bool w2_estimated = false;
  bool has_fisher_rel = false;  // Gaussian targets (docs/math.md#fisher-rel)
  Real fisher_rel;   // I(Q_0 | N(0, sigma_inf^2 I)); sigma_inf = 1 for the discrete chains
  Real hellinger2;   // 1 - Bhattacharyya coefficient between Q_{t_out} and P_{t_out}
  Real tv_lo, tv_hi; // H^2 <= TV <= min(H sqrt(2 - H^2), sqrt(KL/2), 1)
  Real alpha_bar_T;
  Real m2;           // E ||X_0||^2
  Real lambda_min, lambda_max;  // spectrum of the target covariance
  std::string path;  // "fast" or "dense"
  long directions = 0;  // distinct eigen-directions computed (fast path) or the dimension (dense)
};

struct GaussianPathOptions {
  bool decomposition = true;  // compute D_T and B_T (ddpm); costs one log1p per direction and step
  // compute W2 (docs/math.md#w2): a few operations per direction on the fast path; on the dense path
  // two MPFR eigen-decompositions at escalated precision
  bool w2 = true;
};

// Picks the fast path when every covariance in the case is diagonal (target and training
// distribution share the coordinate eigenbasis), the dense path otherwise; NumericsSpec::engine
// overrides. Throws InputError on invalid input.
template <class Real>
GaussianPathResult<Real> gaussian_path(const CaseSpec& spec, GaussianPathOptions options = {});

template <class Real>
GaussianPathResult<Real> gaussian_path_fast(const CaseSpec& spec, GaussianPathOptions options = {});
template <class Real>
GaussianPathResult<Real> gaussian_path_dense(const CaseSpec& spec, GaussianPathOptions options = {});

// True when the fast path applies (every covariance diagonal).
bool fast_path_applies(const CaseSpec& spec);

#define DIFFBOUND_GAUSSIAN_PATH_EXTERN(Real)                                                            \
  extern template GaussianPathResult<Real> gaussian_path_fast<Real>(const CaseSpec&, GaussianPathOptions);  \
  extern template GaussianPathResult<Real> gaussian_path_dense<Real>(const CaseSpec&, GaussianPathOptions); \
  extern template GaussianPathResult<Real> gaussian_path<Real>(const CaseSpec&, GaussianPathOptions);
DIFFBOUND_GAUSSIAN_PATH_EXTERN(double)
DIFFBOUND_GAUSSIAN_PATH_EXTERN(mpfr_real)
DIFFBOUND_GAUSSIAN_PATH_EXTERN(interval_real)
#undef DIFFBOUND_GAUSSIAN_PATH_EXTERN

}  // namespace diffbound
