#include "bounds/requirement.hpp"

#include "numerics/case_kinds.hpp"
#include "numerics/real.hpp"

namespace diffbound {

namespace {

// The samplers the papers' "stochastic" and "deterministic" samplers are: a step rule of the unconditional
// reverse process. The exact continuous-time samplers take no step (they have their own requirements), and
// a zero-shot sampler is claimed for by the zero-shot bounds only.
bool stepped_unconditional(const SamplerRow& s) { return s.time_discretized && s.family != SamplerFamily::zero_shot; }

}  // namespace

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
    case Requirement::strasman_scheme: {
      const std::string name = to_string(c.sampler.kind);
      return name == "sde-em-end" || name == "sde-ei" || name == "sde-ei-relative";
    }
    case Requirement::unit_horizon: return from_decimal<double>(c.schedule.horizon) == 1;
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
  }
  return "?";
}

}  // namespace diffbound
