// Distances of a Gaussian target to the laws the explicit-constant bounds compare it with
// (docs/math.md#explicit-constant-bounds), on the general VP SDE (docs/math.md#vp-sde-general):
//  - kl_q0_stationary = KL(Q_0 || N(0, sigma_inf^2 I)) and w2_q0_stationary = W2(Q_0, N(0, sigma_inf^2 I));
//  - w2_init = W2(Q_{T_f}, nu), nu the sampler's initial law (N(0, sigma_inf^2 I), or Q_{T_f} itself: 0);
//  - mean_norm2 = |m|^2.
// Closed forms per eigen-direction (lambda, m): KL = 1/2 [r - 1 - ln r + m^2/sigma_inf^2], r = lambda/sigma_inf^2;
// W2^2 = m^2 + (sqrt lambda - sigma_inf)^2, without cancellation through w2_squared_from_deviation.
#pragma once

#include "numerics/case_spec.hpp"
#include "numerics/real.hpp"

namespace diffbound {

template <class Real> struct VpReferenceDistances {
  Real kl_q0_stationary, w2_q0_stationary, w2_init, mean_norm2;
};

// Gaussian target with a diagonal covariance; the schedule as make_vp_schedule reads it. Instantiated
// with the continuous-time engine (numerics/continuous_time_*.cpp).
template <class Real> VpReferenceDistances<Real> vp_reference_distances(const CaseSpec& spec);

extern template VpReferenceDistances<double> vp_reference_distances<double>(const CaseSpec&);
extern template VpReferenceDistances<mpfr_real> vp_reference_distances<mpfr_real>(const CaseSpec&);
extern template VpReferenceDistances<interval_real> vp_reference_distances<interval_real>(const CaseSpec&);

}  // namespace diffbound
