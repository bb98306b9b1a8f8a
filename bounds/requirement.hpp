// Conditions of a case under which a bound is claimed, and what each one means: verify marks a check
// whose requirements the case does not meet as not applicable.
#pragma once

#include "numerics/case_spec.hpp"

#include <string>
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
  theory_variance,        // sampler.variance = "theory" (beta_t / alpha_t)
  posterior_variance,     // sampler.variance = "posterior" ((1 - alpha_t)(alpha_t - alpha_bar_t)/(1 - alpha_bar_t)/alpha_t)
  t_out_one,              // the metric at t_out = 1 (TV(Q_1, P_1), as Li & Yan state it)
  // the schedule meets Li & Yan's Lemma 7 with c1 = c1* (docs/math.md#li-yan-lemma7); the unmet
  // message carries c1* and the inequality that fails
  li_yan_lemma7,
};

// Whether case `c` meets `r`; the sampler conditions read the traits of numerics/case_kinds.hpp.
bool requirement_met(Requirement r, const CaseSpec& c);
// "" when `c` meets `r`, else why not: to_string(r), or for a requirement computed from the case
// (li_yan_lemma7) the numbers that decide it.
std::string requirement_unmet(Requirement r, const CaseSpec& c);

// Li & Yan's Lemma 7 on a schedule (docs/math.md#li-yan-lemma7), in double:
//   c1* = max{ max_t (1 - alpha_t) T / log T,  max_{t>=2} (1 - alpha_t) T / (8 (alpha_t - alpha_bar_t) log T) },
// and the schedule qualifies when alpha_bar_T <= T^(-c1*/2) and every alpha_t >= 1/2.
struct LiYanLemma7 {
  long T = 0;
  double c1_star = 0, c1_alpha = 0, c1_ratio = 0;  // c1* and its two maxima
  double alpha_bar_T = 0, threshold = 0;           // alpha_bar_T against T^(-c1*/2)
  double min_alpha = 0;
  bool qualifies = false;
  std::string message;  // why not, with c1* ("" when it qualifies)
};
LiYanLemma7 li_yan_lemma7(const ScheduleSpec& schedule);

// The condition as the reports show it ("gaussian target", ...).
std::string_view to_string(Requirement);

}  // namespace diffbound
