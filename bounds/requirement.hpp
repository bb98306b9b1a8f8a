// Conditions of a case under which a bound is claimed, and what each one means: verify marks a check
// whose requirements the case does not meet as not applicable.
#pragma once

#include "numerics/case_spec.hpp"

#include <string_view>

namespace diffbound {

enum class Requirement {
  gaussian_target,        // Q_0 Gaussian (closed forms used by the statement)
  ddpm_sampler,           // the ddpm sampler with kernel N(mu_t, sigma_t^2 I) (any variance choice)
  accelerated_sampler,    // Liang et al.'s accelerated stochastic sampler
  stochastic_sampler,     // any stochastic (ancestral) sampler, or a discretized reverse SDE (sde-em, sde-ei)
  deterministic_sampler,  // ddim or pf-euler, or a discretized probability-flow ODE (ode-euler/heun/rk4)
  // the measured TV is a quadrature of the output density (a 1-D mixture case), not an enclosure
  // built from KL: a Gaussian's or a product's TV upper end is min(Le Cam, Pinsker), so Pinsker's
  // inequality checked there would pass by construction
  tv_quadrature,
  continuous_reverse_sde, // exact reverse SDE with exact score, started from gamma (docs/math.md#continuous-time)
  continuous_pf_ode,      // exact probability-flow ODE with exact score, started from gamma
  exponential_integrator, // the sde-ei sampler (exponential integrator of the reverse VP SDE)
  exact_score,            // s_t = grad log q_t
  gaussian_init,          // Y_T ~ gamma (E_T is then the initialization error)
  zero_shot_ddnm,         // zero-shot case (docs/math.md#zero-shot) with the DDNM score
  zero_shot_bo_noisy,     // zero-shot case with the BO-DDNM score and sigma_y > 0
  // the explicit-constant bounds of the general VP SDE (docs/math.md#explicit-constant-bounds)
  output_at_time_zero,    // t_out = 0 and no t_stop: the output is compared with Q_0
  constant_score_error,   // b(t) = E||s - grad log q_t||^2 constant in t: the exact score or a constant perturbation
  strasman_scheme,        // sde-em-end, sde-ei or sde-ei-relative (the schemes Strasman et al.'s code pairs the bound with)
  unit_horizon,           // T_f = 1 (the W2 theorem's Gaussian branch in the authors' code)
};

// Whether case `c` meets `r`; the sampler conditions read the traits of numerics/case_kinds.hpp.
bool requirement_met(Requirement r, const CaseSpec& c);

// The condition as the reports show it ("gaussian target", ...).
std::string_view to_string(Requirement);

}  // namespace diffbound
