// Hidden Gaussian structure (Li, Dai, Qu 2024; docs/math.md#score-gaussian-surrogate, docs/math.md#identities), in the
// variance-exploding form Y = X + sigma Z, sigma > 0, for targets that factor over coordinates:
// - D_gauss(y) = mu + Sigma (Sigma + sigma^2 I)^-1 (y - mu), the Gaussian (linear) denoiser of the
//   target's mean and covariance;
// - D(y) = E[X | Y = y], the posterior-mean denoiser (closed form for Gaussians and mixtures);
// - the LMMSE (best affine) denoiser, solved independently from its normal equations
//   E[(X - b - A Y)(Y, 1)^T] = 0 with the exact moments of (X, Y) assembled from the mixture's
//   d-dimensional components, as a check that it is D_gauss;
// - the nonlinearity gap E_Y ||D(Y) - D_gauss(Y)||^2 by quadrature over Y's law, with an error estimate.
#pragma once

#include "numerics/case_spec.hpp"
#include "numerics/gaussian_target.hpp"
#include "numerics/real.hpp"

#include <string>
#include <vector>

namespace diffbound {

// sigma from decimal text: must be a finite number > 0 (InputError naming `field` otherwise).
template <class Real> Real noise_level(const std::string& text, const std::string& field = "noise_level");

template <class Real> struct AffineDenoiser {
  Matrix<Real> A;  // d x d
  Vector<Real> b;  // D(y) = A y + b
};

// D_gauss as an affine map (diagonal A, from the per-coordinate mean and variance of the target).
template <class Real> AffineDenoiser<Real> gaussian_denoiser(const TargetSpec& target, const Real& sigma);

// The best affine denoiser from the normal equations with exact moments of the d-dim components
// (a product layout has K^d components: refused above 4096 with an InputError on target.dim).
template <class Real> AffineDenoiser<Real> lmmse_denoiser(const TargetSpec& target, const Real& sigma);

// E[X | X + sigma Z = y] at a point y (d entries).
template <class Real>
std::vector<Real> posterior_mean_denoiser(const TargetSpec& target, const std::vector<Real>& y, const Real& sigma);

template <class Real> struct GapValue {
  Real value, error_estimate;
  long nodes = 0;
};
// E_Y ||D(Y) - D_gauss(Y)||^2, a sum over coordinates (Gaussian coordinates contribute 0 exactly).
template <class Real> GapValue<Real> nonlinearity_gap(const TargetSpec& target, const Real& sigma);

}  // namespace diffbound
