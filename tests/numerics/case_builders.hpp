// Small builders of CaseSpec for the numerics tests.
#pragma once

#include "numerics/case_spec.hpp"

#include <string>

namespace diffbound::testing {

inline SamplerSpec sampler_of(const std::string& kind, const std::string& variance = "theory", long t_out = 1,
                              const std::string& init = "gaussian") {
  SamplerSpec s;
  s.kind = kind == "ddpm" ? SamplerKind::ddpm : kind == "accelerated" ? SamplerKind::accelerated
         : kind == "ddim" ? SamplerKind::ddim : SamplerKind::pf_euler;
  s.variance = variance == "theory" ? Variance::theory : variance == "beta" ? Variance::beta : Variance::posterior;
  s.t_out = t_out;
  s.init = init == "gaussian" ? Init::gaussian : Init::exact;
  return s;
}

inline CaseSpec gaussian_case(long dim, Spectrum spectrum, const std::string& kappa, const std::string& mean,
                              ScheduleKind schedule, long steps) {
  CaseSpec c;
  c.target.gaussian.dim = dim;
  c.target.gaussian.spectrum = spectrum;
  c.target.gaussian.kappa = kappa;
  c.target.gaussian.mean = {mean};
  c.schedule.kind = schedule;
  c.schedule.steps = steps;
  return c;
}

inline CaseSpec mixture_case(MixtureSpec m, ScheduleKind schedule, long steps, SamplerSpec sampler) {
  CaseSpec c;
  c.target.family = Family::mixture;
  c.target.mixture = std::move(m);
  c.schedule.kind = schedule;
  c.schedule.steps = steps;
  c.sampler = sampler;
  return c;
}

// The parts an axis-layout mixture case separates into (docs/math.md#gaussian-mixtures), built here independently of
// the engine's reduction: the 1-D mixture line, and N(0, s^2 I_{d-1}) with the same sampler and score.
struct AxisParts { CaseSpec line, gaussian; };
inline AxisParts axis_layout_parts(const CaseSpec& c) {
  AxisParts p{c, c};
  p.line.target.mixture.dim = 1;
  const TargetSpec fresh;  // (not `TargetSpec{}`: GCC 12 ICEs on it)
  p.gaussian.target = fresh;
  p.gaussian.target.family = Family::gaussian;
  p.gaussian.target.gaussian.dim = c.target.mixture.dim - 1;
  p.gaussian.target.gaussian.scale = c.target.mixture.variances[0];
  return p;
}

inline const char* name_of(ScheduleKind k) {
  return k == ScheduleKind::etc ? "etc" : k == ScheduleKind::linear ? "linear" : "cosine";
}

// The eight score/sampler configurations every sweep covers.
struct SamplerConfig { const char* kind; const char* variance; };
inline constexpr SamplerConfig kAllSamplers[] = {
    {"ddpm", "theory"}, {"ddpm", "beta"}, {"ddpm", "posterior"}, {"accelerated", "theory"}, {"ddim", "theory"}, {"pf-euler", "theory"}};

}  // namespace diffbound::testing
