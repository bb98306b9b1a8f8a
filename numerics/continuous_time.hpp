// Continuous-time references for Gaussian targets (docs/math.md#forward-process, docs/math.md#continuous-time): the exact reverse SDE and
// probability-flow ODE of the VP SDE dX = -1/2 beta(s) X ds + sqrt(beta(s)) dW, s in [0, 1], with
// beta(s) = b_min + s (b_max - b_min), and their discretizations (Euler-Maruyama, exponential
// integrator; Euler, Heun, RK4 on the probability-flow ODE). The exact samplers use the exact score;
// the discretizations also take the `perturbed` score (constant error or scaling, docs/math.md#scores).
//
// Time grid: s_j = j / T, j = 0..T (T = schedule.steps). A sampler starts at s = 1 and stops at
// s_out = t_out / T after T - t_out uniform steps of length h = 1/T, mirroring the discrete samplers
// (which run t = T..t_out+1); its output is compared with Q_{s_out}. The exact samplers use the grid
// only through s_out.
//
// Every sampler here is affine on a Gaussian target, so the output is Gaussian and each eigen-
// direction of the target covariance is an independent scalar recursion (derivations:
// docs/derivations.md, "Continuous-time references").
#pragma once

#include "numerics/gaussian_path.hpp"

#include <vector>

namespace diffbound {

// True for the samplers of this engine (sde-exact, ode-exact, sde-em, sde-ei, ode-euler, ode-heun, ode-rk4).
bool is_continuous_time(SamplerKind kind);

template <class Real> struct ContinuousTimeResult : GaussianPathResult<Real> {
  // E_T = KL(Q_1 || gamma) and alpha_bar_T = alpha_bar(1) = exp(-(b_min + b_max)/2) (inherited fields).
  Real s_out;
  // per distinct eigen-direction (order of the target's diagonal, duplicates merged): the output law
  // minus Q_{s_out}, mean and variance (for convergence studies)
  std::vector<Real> mean_deviation, variance_deviation;
  // sde-ei only: the Girsanov integral G = sum_j int_{s_{j-1}}^{s_j} 1/2 beta(s) E||grad log q_s(X_s) -
  // s_{s_j}(X_{s_j})||^2 ds over the forward process (s the score the sampler uses), so that
  // KL(Q_{s_out} || output) <= E_T + G.
  bool has_girsanov = false;
  Real girsanov;
};

// Checks the case (linear schedule with finite b_min, b_max > 0; Gaussian target with diagonal
// covariance; exact score, or perturbed for the discretizations; t_out in {0, 1}; steps > t_out).
// Throws InputError naming the field.
void validate_continuous_case(const CaseSpec& spec);

template <class Real> ContinuousTimeResult<Real> continuous_time_path(const CaseSpec& spec);

extern template ContinuousTimeResult<double> continuous_time_path<double>(const CaseSpec&);
extern template ContinuousTimeResult<mpfr_real> continuous_time_path<mpfr_real>(const CaseSpec&);
extern template ContinuousTimeResult<interval_real> continuous_time_path<interval_real>(const CaseSpec&);

}  // namespace diffbound
