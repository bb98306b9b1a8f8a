// The mixture engine (docs/math.md#mixture-path): the output density of a sampler on a Gaussian-mixture target,
// propagated numerically in 1-D, and from it KL, Hellinger and TV, each with an error estimate from a
// refinement study (two grid spacings). Separable layouts (docs/math.md#gaussian-mixtures) reduce to 1-D lines plus a Gaussian
// part that the closed-form Gaussian engine computes.
//
// Stochastic samplers (ddpm, accelerated): each step pushes the density through the mean map exactly
// (inverse map by Newton, density divided by the map's derivative, values between grid nodes by
// high-order local interpolation), then convolves with the Gaussian kernel exactly in Fourier space,
// so nothing depends on sigma_t being resolved by the grid (the failure mode docs/math.md#mixture-path warns about). The
// accelerated sampler's state-dependent noise is a convergent series of Fourier multipliers. A mean map
// that is not monotone where the density lives would fold the density; the engine refuses such steps.
// Deterministic samplers (ddim, pf-euler): the output density is the pushforward of p_T, evaluated at
// each node by inverting every step (Newton) and summing log-derivatives.
#pragma once

#include "numerics/case_spec.hpp"
#include "numerics/estimate.hpp"
#include "numerics/mixture_target.hpp"
#include "numerics/real.hpp"
#include "numerics/schedule.hpp"

#include <optional>
#include <string>

namespace diffbound {

// Grid resolution of one run: spacing = (narrowest standard deviation) / points_per_sd, local
// interpolation of `stencil` nodes. The refinement study runs points_per_sd and 2 * points_per_sd.
struct MixtureResolution {
  double points_per_sd = 0;  // 0: chosen from the working precision
  int stencil = 0;           // 0: chosen from the working precision
  bool refine = true;        // false: one run, no error estimate (for studies and benches of one run)
  bool D_T = true;           // false: skip D_T (ddpm), for benches of the KL alone
};

// DDNM+ on one coordinate (docs/math.md#zero-shot): observation y = h x_0 + noise of sd sigma_y; h = 0 marks an
// unobserved coordinate. The line's score_mixture is the prior (the unconditional score s'_t).
template <class Real> struct DdnmPlusLine { Real h = Real(0), sigma_y = Real(0), y = Real(0); };

// One 1-D factor: target mixture and the score the sampler uses, s_t = scale * (score of
// score_mixture's marginal at t) + offset. The score mixture may have components of variance 0 (a
// point-mass training law, e.g. DDNM's): its marginals at the times the sampler uses are not.
template <class Real> struct MixtureLine {
  Mixture1D<Real> target, score_mixture;
  Real scale = Real(1), offset = Real(0);
  long multiplicity = 1;  // identical coordinates computed once
  std::optional<DdnmPlusLine<Real>> ddnm_plus;  // set: the line runs DDNM+ (sampler.kind ignored)
};

template <class Real> struct LineResult {
  Estimate<Real> kl, hellinger2, tv;
  Estimate<Real> kl_q0_gamma, E_T;
  bool has_B_T = false;  // ddpm: B_T = sum_t c_t E_{Q_t} (s_t - grad log q_t)^2 (docs/math.md#path-decomposition)
  Estimate<Real> B_T;
  bool has_D_T = false;  // ddpm: D_T = sum_t E_{Q_t} KL(Q_{t-1|t} || N(m*_t, sigma_t^2)) (docs/math.md#path-decomposition); +inf if some sigma_t = 0
  Estimate<Real> D_T;
  Estimate<Real> w2_squared;  // W2^2(Q_{t_out}, P_{t_out}) (docs/math.md#w2-mixture)
  long points_coarse = 0, points_fine = 0;  // largest grid of each run
  double spacing = 0;                        // coarse spacing
};

// KL(Q_{t_out} || P_{t_out}) and friends for one line. Throws InputError when a step's map is not
// monotone where the density lives, a grid would exceed the memory cap, the target has a component of
// variance 0, or (DDNM+) the output law is a point mass. DDNM+ lines have no B_T or D_T.
template <class Real>
LineResult<Real> mixture_line(const MixtureLine<Real>& line, const Schedule<Real>& schedule, const SamplerSpec& sampler,
                              MixtureResolution resolution = {});

template <class Real> struct MixturePathResult {
  Estimate<Real> kl, kl_q0_gamma, E_T;
  bool has_B_T = false, has_D_T = false;  // ddpm only
  Estimate<Real> B_T, D_T;
  Estimate<Real> w2;  // W2(Q_{t_out}, P_{t_out}): lines' W2^2 and the Gaussian part's summed (docs/math.md#w2-mixture)
  Real hellinger2 = Real(0), tv_lo = Real(0), tv_hi = Real(0);
  Real alpha_bar_T = Real(0), m2 = Real(0), lambda_min = Real(1), lambda_max = Real(1);
  std::string method;  // engine, resolution and refinement, e.g. "mixture-fourier/h=0.075+h/2,stencil=14"
  long lines = 0;      // distinct 1-D lines computed
};

// Validates the case (InputError naming the field), reduces the layout and runs every line.
template <class Real> MixturePathResult<Real> mixture_path(const CaseSpec& spec, MixtureResolution resolution = {});

// The 1-D lines and the Gaussian remainder a separable layout reduces to (exposed for tests).
template <class Real> struct MixtureReduction {
  std::vector<MixtureLine<Real>> lines;
  bool has_gaussian_part = false;
  CaseSpec gaussian_part;  // the (d-1)-dim Gaussian factor of layout = "axis"
};
template <class Real> MixtureReduction<Real> reduce_mixture_case(const CaseSpec& spec);

void validate_mixture_case(const CaseSpec& spec);

// The Gaussian factor N(0, s^2 I_{d-1}) of coordinates 2..d of a layout = "axis" mixture case, as a
// Gaussian case (same schedule, sampler, score and numerics; the caller adjusts the score).
CaseSpec axis_gaussian_factor(const CaseSpec& spec);

#define DIFFBOUND_MIXTURE_PATH_EXTERN(Real)                                                                       \
  extern template LineResult<Real> mixture_line<Real>(const MixtureLine<Real>&, const Schedule<Real>&,              \
                                                      const SamplerSpec&, MixtureResolution);                       \
  extern template MixturePathResult<Real> mixture_path<Real>(const CaseSpec&, MixtureResolution);                  \
  extern template MixtureReduction<Real> reduce_mixture_case<Real>(const CaseSpec&);
DIFFBOUND_MIXTURE_PATH_EXTERN(double)
DIFFBOUND_MIXTURE_PATH_EXTERN(long double)
DIFFBOUND_MIXTURE_PATH_EXTERN(mpfr_real)
#undef DIFFBOUND_MIXTURE_PATH_EXTERN

}  // namespace diffbound
