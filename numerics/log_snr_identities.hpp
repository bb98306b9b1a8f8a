// The log-SNR identities of docs/math.md#identities, both sides computed at a point:
// - the information-theoretic density (Kong et al. 2023):
//     -log p(x) = (d/2) log(2 pi e) + 1/2 int [mmse(x, a) - d sigma(a)] da;
// - the noise-level classifier (Wu et al. 2024), p_zeta = law(sqrt(sigma(zeta)) X + sqrt(sigma(-zeta)) eps):
//     log p_zeta(x) - log p(x) = 1/2 int [mmse(x, a) - mmse_zeta(x, a)] da,
//   and the Bayes classifier P(clean | x) = sigma(log p(x) - log p_zeta(x)) from either side.
// The target must factor over coordinates (diagonal Gaussian, 1-D mixture, `axis` / `product` layouts);
// the mmse is then a sum of 1-D terms. Derivation of the quadrature and of its error terms:
// docs/derivations.md ("Log-SNR identities").
#pragma once

#include "numerics/case_spec.hpp"
#include "numerics/real.hpp"

#include <string>
#include <vector>

namespace diffbound {

// One identity evaluated both ways: lhs from closed-form (log-)densities, rhs by quadrature over the
// log-SNR. error_estimate bounds |lhs - rhs| from the quadrature (step-halving estimate of the a and
// epsilon rules), the analytic tail bound and rounding; it is an estimate, not an enclosure.
template <class Real> struct IdentityValue {
  Real lhs, rhs, error_estimate;
  Real tail_bound;      // the analytic bound on the truncated a-tails (part of error_estimate)
  Real a_min, a_max;    // the truncated a-range
  long a_nodes = 0;     // nodes of the a-rule
  long epsilon_nodes = 0;  // epsilon nodes summed over a-nodes and mixture coordinates
  Real residual() const { return lhs - rhs; }
};

// Kong et al.: lhs = -log p(x), rhs = (d/2) log(2 pi e) + 1/2 int [mmse - d sigma] da.
// `point` holds d decimal numbers. Throws InputError (field "point", or the target's fields).
template <class Real> IdentityValue<Real> density_identity(const TargetSpec& target, const std::vector<std::string>& point);

// Wu et al.: lhs = log p_zeta(x) - log p(x) from the closed-form densities, rhs = 1/2 int [mmse - mmse_zeta] da.
// zeta is any finite log-SNR ("zeta" names it in errors).
template <class Real>
IdentityValue<Real> noise_classifier_identity(const TargetSpec& target, const std::vector<std::string>& point,
                                              const std::string& zeta);

// The Bayes noise classifier between clean data (prior 1/2) and p_zeta (prior 1/2):
// P(clean | x) = sigma(log p(x) - log p_zeta(x)), from the exact densities and from the integral.
template <class Real> struct ClassifierProbability { Real exact, from_integral; };
template <class Real> ClassifierProbability<Real> clean_probability(const IdentityValue<Real>& wu);

// The pieces, exposed for tests: mmse(x, a) - sigma(a) for a 1-D target given as a TargetSpec of dim 1
// is not exposed; instead the optimal-predictor cross-check of docs/math.md#identities (mmse_zeta(x, a) through the
// predictor of p at a' = logit(sigma(a) sigma(zeta))) is available for 1-D targets:
// returns {mmse_zeta computed from p_zeta's own predictor, mmse_zeta computed through p's predictor at a'}.
template <class Real> struct MmsePair { Real direct, via_shifted_level; };
template <class Real>
MmsePair<Real> zeta_mmse_both_ways(const TargetSpec& target, const std::string& x, const std::string& zeta, const std::string& a);

}  // namespace diffbound
