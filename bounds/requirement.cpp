#include "bounds/requirement.hpp"

#include "numerics/case_kinds.hpp"
#include "numerics/real.hpp"
#include "numerics/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace diffbound {

namespace {

// The samplers the papers' "stochastic" and "deterministic" samplers are: a step rule of the unconditional
// reverse process. The exact continuous-time samplers take no step (they have their own requirements), and
// a zero-shot sampler is claimed for by the zero-shot bounds only.
bool stepped_unconditional(const SamplerRow& s) { return s.time_discretized && s.family != SamplerFamily::zero_shot; }

std::string num(double v) {
  std::ostringstream o;
  o << std::setprecision(6) << v;
  return o.str();
}

}  // namespace

LiYanLemma7 li_yan_lemma7(const ScheduleSpec& spec) {
  LiYanLemma7 r;
  r.T = spec.steps;
  if (r.T < 2) {
    r.message = "Li & Yan's Lemma 7 needs T >= 2 (log T = 0 at T = 1)";
    return r;
  }
  const Schedule<double> s = make_schedule<double>(spec);
  const double T = static_cast<double>(r.T), logT = std::log(T);
  r.min_alpha = 1;
  for (long t = 1; t <= r.T; ++t) {
    // 1 - alpha_t = beta_t exactly, and alpha_t - alpha_bar_t = alpha_t (1 - alpha_bar_{t-1}) without cancellation
    const double one_minus_alpha = s.beta[t];
    r.c1_alpha = std::max(r.c1_alpha, one_minus_alpha * T / logT);
    if (t >= 2) r.c1_ratio = std::max(r.c1_ratio, one_minus_alpha * T / (8 * s.alpha[t] * s.one_minus_alpha_bar[t - 1] * logT));
    r.min_alpha = std::min(r.min_alpha, s.alpha[t]);
  }
  r.c1_star = std::max(r.c1_alpha, r.c1_ratio);
  r.alpha_bar_T = s.alpha_bar[r.T];
  r.threshold = std::pow(T, -r.c1_star / 2);
  r.qualifies = r.alpha_bar_T <= r.threshold && r.min_alpha >= 0.5;
  if (!r.qualifies) {
    r.message = "the schedule fails Li & Yan's Lemma 7: c1* = " + num(r.c1_star) + " (max (1-alpha_t)T/log T = " + num(r.c1_alpha) +
                ", max_{t>=2} (1-alpha_t)T/(8(alpha_t-alpha_bar_t)log T) = " + num(r.c1_ratio) + ")";
    if (r.alpha_bar_T > r.threshold)
      r.message += ", alpha_bar_T = " + num(r.alpha_bar_T) + " > T^(-c1*/2) = " + num(r.threshold);
    if (r.min_alpha < 0.5) r.message += ", min alpha_t = " + num(r.min_alpha) + " < 1/2";
  }
  return r;
}

std::string requirement_unmet(Requirement r, const CaseSpec& c) {
  if (r == Requirement::li_yan_lemma7) {
    try {
      return li_yan_lemma7(c.schedule).message;
    } catch (const std::exception& e) {
      return std::string("Li & Yan's Lemma 7 cannot be evaluated on this schedule: ") + e.what();
    }
  }
  return requirement_met(r, c) ? "" : "the bound assumes " + std::string(to_string(r));
}

bool requirement_met(Requirement r, const CaseSpec& c) {
  const SamplerRow& sampler = traits_of(c.sampler.kind);
  switch (r) {
    case Requirement::gaussian_target: return c.target.family == Family::gaussian;
    case Requirement::ddpm_sampler: return c.sampler.kind == SamplerKind::ddpm;
    case Requirement::accelerated_sampler: return c.sampler.kind == SamplerKind::accelerated;
    case Requirement::stochastic_sampler: return stepped_unconditional(sampler) && sampler.stochastic;
    case Requirement::deterministic_sampler: return stepped_unconditional(sampler) && !sampler.stochastic;
    case Requirement::tv_quadrature: return c.target.family == Family::mixture && c.target.dim() == 1;
    case Requirement::continuous_reverse_sde:
      return sampler.family == SamplerFamily::continuous_time && !sampler.time_discretized && sampler.stochastic;
    case Requirement::continuous_pf_ode:
      return sampler.family == SamplerFamily::continuous_time && !sampler.time_discretized && !sampler.stochastic;
    case Requirement::exponential_integrator: return c.sampler.kind == SamplerKind::sde_ei;
    case Requirement::exact_score:  // zero-shot: the exact conditional score is the exact score of the target
      return c.problem ? c.score.kind == ScoreKind::exact_conditional && sampler.family != SamplerFamily::zero_shot
                       : c.score.kind == ScoreKind::exact;
    case Requirement::zero_shot_ddnm: return c.problem && c.score.kind == ScoreKind::ddnm;
    case Requirement::zero_shot_bo_noisy:
      return c.problem && c.score.kind == ScoreKind::bo_ddnm && from_decimal<double>(c.problem->sigma_y) > 0;
    case Requirement::gaussian_init: return c.sampler.init == Init::gaussian;
    case Requirement::output_at_time_zero: return c.sampler.t_out == 0 && !c.sampler.t_stop;
    case Requirement::constant_score_error:
      return c.score.kind == ScoreKind::exact ||
             (c.score.kind == ScoreKind::perturbed && c.score.perturbation == Perturbation::constant);
    case Requirement::strasman_scheme:
      return c.sampler.kind == SamplerKind::sde_em_end || c.sampler.kind == SamplerKind::sde_ei ||
             c.sampler.kind == SamplerKind::sde_ei_relative;
    case Requirement::unit_horizon: return from_decimal<double>(c.schedule.horizon) == 1;
    case Requirement::theory_variance: return sampler.chooses_variance && c.sampler.variance == Variance::theory;
    case Requirement::posterior_variance: return sampler.chooses_variance && c.sampler.variance == Variance::posterior;
    case Requirement::t_out_one: return !c.sampler.t_stop && c.sampler.t_out == 1;
    case Requirement::li_yan_lemma7: return requirement_unmet(r, c).empty();
  }
  return false;
}

std::string_view to_string(Requirement r) {
  switch (r) {
    case Requirement::gaussian_target: return "gaussian target";
    case Requirement::ddpm_sampler: return "ddpm sampler";
    case Requirement::accelerated_sampler: return "accelerated sampler";
    case Requirement::stochastic_sampler: return "stochastic sampler";
    case Requirement::deterministic_sampler: return "deterministic sampler";
    case Requirement::tv_quadrature: return "TV by quadrature (1-D mixture)";
    case Requirement::continuous_reverse_sde: return "continuous-time reverse SDE";
    case Requirement::continuous_pf_ode: return "continuous-time probability-flow ODE";
    case Requirement::exponential_integrator: return "exponential integrator (sde-ei)";
    case Requirement::exact_score: return "exact score";
    case Requirement::gaussian_init: return "initialized from gamma";
    case Requirement::zero_shot_ddnm: return "zero-shot, DDNM score";
    case Requirement::zero_shot_bo_noisy: return "zero-shot, BO-DDNM score, sigma_y > 0";
    case Requirement::output_at_time_zero: return "output at time 0 (t_out = 0, no t_stop)";
    case Requirement::constant_score_error: return "score error constant in time (exact or constant perturbation)";
    case Requirement::strasman_scheme: return "sde-em-end, sde-ei or sde-ei-relative";
    case Requirement::unit_horizon: return "horizon T_f = 1";
    case Requirement::theory_variance: return "theory variance (beta_t / alpha_t)";
    case Requirement::posterior_variance: return "posterior variance";
    case Requirement::t_out_one: return "metric at t_out = 1";
    case Requirement::li_yan_lemma7: return "schedule meets Li & Yan's Lemma 7 (alpha_bar_T <= T^(-c1*/2), alpha_t >= 1/2)";
  }
  return "?";
}

}  // namespace diffbound
