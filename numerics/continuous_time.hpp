// Continuous-time references for Gaussian targets (docs/math.md#forward-process, docs/math.md#continuous-time,
// docs/math.md#vp-sde-general): the exact reverse SDE and probability-flow ODE of the general VP SDE
// dX = -(beta(t)/(2 sigma_inf^2)) X dt + sqrt(beta(t)) dW, t in [0, T_f], beta linear or exponential
// (numerics/vp_schedule.hpp), and their discretizations (Euler-Maruyama at the step's start or end,
// exponential integrators on the full or the relative score; Euler, Heun, RK4 on the probability-flow
// ODE). The discretizations and sde-exact also take the `perturbed` score (docs/math.md#scores).
//
// Time grid: N = schedule.steps; h = T_f / N and t_j = j h, the sampler stopping at t_out h after
// N - t_out steps; or, with sampler.t_stop, h = (T_f - t_stop)/N and t_j = t_stop + j h. The output is
// compared with Q at the stopping time, or with Q_0 (sampler.compare_with = "data"). The exact
// samplers use the grid only through the stopping time.
//
// Every sampler here is affine on a Gaussian target, so the output is Gaussian and each eigen-
// direction of the target covariance is an independent scalar recursion (derivations:
// docs/derivations.md, "Continuous-time references").
#pragma once

#include "numerics/gaussian_path.hpp"

#include <vector>

namespace diffbound {

// True for the samplers of this engine (sde-exact, ode-exact, sde-em, sde-em-end, sde-ei, sde-ei-relative,
// ode-euler, ode-heun, ode-rk4).
bool is_continuous_time(SamplerKind kind);

template <class Real> struct ContinuousTimeResult : GaussianPathResult<Real> {
  // E_T = KL(Q_{T_f} || N(0, sigma_inf^2 I)), alpha_bar_T = mu(T_f)^2 (inherited fields); w2, fisher_rel set.
  Real s_out;  // the stopping time
  // per distinct eigen-direction (order of the target's diagonal, duplicates merged): the output law
  // minus Q_{s_out}, mean and variance (for convergence studies)
  std::vector<Real> mean_deviation, variance_deviation;
  // sde-ei only: the Girsanov integral G = sum_j int_{s_{j-1}}^{s_j} 1/2 beta(s) E||grad log q_s(X_s) -
  // s_{s_j}(X_{s_j})||^2 ds over the forward process (s the score the sampler uses), so that
  // KL(Q_{s_out} || output) <= E_T + G.
  bool has_girsanov = false;
  Real girsanov;
  // against the stationary law N(0, sigma_inf^2 I) (docs/math.md#vp-sde-general): KL(Q_0 || it), W2(Q_0, it) and
  // W2(Q_{T_f}, nu), nu the init law N(0, sigma_inf^2 I) (E_T = KL(Q_{T_f} || nu))
  Real kl_q0_stationary, w2_q0_stationary, w2_init;
  Real mean_norm2;  // |m|^2 (the explicit-constant bounds read it, docs/math.md#explicit-constant-bounds)
  // sde-exact with a perturbed score: the moment ODEs integrated by RK4 (the numbers are estimates);
  // moment_ode_error = |KL(2M steps) - KL(M steps)| / 15, the Richardson estimate of the KL error
  bool estimated = false;
  Real moment_ode_error;
};

// True when the engine's numbers for this case are estimates (sde-exact with a perturbed score: numerical
// integration of the moment ODEs), not closed forms.
bool continuous_result_estimated(const CaseSpec& spec);

// Checks the case (linear or exponential schedule, validate_continuous_grid; Gaussian target with diagonal
// covariance; exact score, or perturbed for the discretizations and sde-exact).
// Throws InputError naming the field.
void validate_continuous_case(const CaseSpec& spec);
// The schedule and grid part of it (read time, verify/case_file.cpp): b_min > 0, b_max >= b_min, horizon > 0,
// sigma_inf > 0, rate with exponential, 0 <= t_out < steps, t_stop in (0, T_f) and not with t_out.
void validate_continuous_grid(const CaseSpec& spec);

template <class Real> ContinuousTimeResult<Real> continuous_time_path(const CaseSpec& spec);

extern template ContinuousTimeResult<double> continuous_time_path<double>(const CaseSpec&);
extern template ContinuousTimeResult<mpfr_real> continuous_time_path<mpfr_real>(const CaseSpec&);
extern template ContinuousTimeResult<interval_real> continuous_time_path<interval_real>(const CaseSpec&);

}  // namespace diffbound
