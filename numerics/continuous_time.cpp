#include "numerics/continuous_time.hpp"

#include "numerics/case_kinds.hpp"
#include "numerics/input_error.hpp"
#include "numerics/vp_schedule.hpp"

#include <cmath>

namespace diffbound {

bool is_continuous_time(SamplerKind kind) { return traits_of(kind).family == SamplerFamily::continuous_time; }

bool continuous_result_estimated(const CaseSpec& spec) {
  return spec.sampler.kind == SamplerKind::sde_exact && spec.score.kind == ScoreKind::perturbed;
}

void validate_continuous_grid(const CaseSpec& spec) {
  const VpSchedule<double> vp = make_vp_schedule<double>(spec.schedule);  // b_min, b_max, rate, horizon, sigma_inf: finite, in range
  (void)vp;
  const long N = spec.schedule.steps;
  if (N < 1) throw InputError("schedule.steps", std::to_string(N), "must be at least 1");
  if (spec.sampler.t_out < 0) throw InputError("sampler.t_out", std::to_string(spec.sampler.t_out), "must be >= 0");
  if (spec.sampler.t_out >= N)  // named as the discrete engines name it
    throw InputError("schedule.steps", std::to_string(N),
                     "must exceed sampler.t_out = " + std::to_string(spec.sampler.t_out) + " (the sampler stops at t_out h, h = T_f / steps)");
  if (spec.sampler.t_stop) {
    const std::string& text = *spec.sampler.t_stop;
    double t;
    try { t = from_decimal<double>(text); } catch (...) { throw InputError("sampler.t_stop", text, "not a number"); }
    if (spec.sampler.t_out != 0)
      throw InputError("sampler.t_stop", text, "conflicts with sampler.t_out = " + std::to_string(spec.sampler.t_out) +
                                                   ": give the stopping time or the grid index, not both");
    // compared exactly: the decimals as the engine reads them, at double and at 60 digits
    PrecisionScope scope(60);
    const mpfr_real tm = from_decimal<mpfr_real>(text), Tf = from_decimal<mpfr_real>(spec.schedule.horizon);
    if (!(t > 0) || !(tm > 0) || !(tm < Tf))
      throw InputError("sampler.t_stop", text, "must lie in (0, T_f) = (0, " + spec.schedule.horizon + ")");
  }
}

void validate_continuous_case(const CaseSpec& spec) {
  const std::string why = "sampler kind \"" + to_string(spec.sampler.kind) + "\" (continuous time) ";
  if (!is_continuous_time(spec.sampler.kind))
    throw InputError("sampler.kind", to_string(spec.sampler.kind), "not a continuous-time sampler");
  if (spec.target.family != Family::gaussian)
    throw InputError("target.family", to_string(spec.target.family), why + "has closed forms for Gaussian targets only");
  if (spec.schedule.kind != ScheduleKind::linear && spec.schedule.kind != ScheduleKind::exponential)
    throw InputError("schedule.kind", to_string(spec.schedule.kind),
                     why + "needs the linear or the exponential schedule of the VP SDE (docs/math.md#vp-sde-general)");
  validate_continuous_grid(spec);
  // sde-exact takes an affine perturbed score through its moment ODEs; ode-exact is the exact flow map only
  const bool exact_sampler = spec.sampler.kind == SamplerKind::ode_exact;
  if (spec.score.kind != ScoreKind::exact && (exact_sampler || spec.score.kind != ScoreKind::perturbed))
    throw InputError("score.kind", to_string(spec.score.kind),
                     why + (exact_sampler ? "is the closed form with the exact score: use score kind \"exact\""
                                          : "supports the exact and perturbed scores only"));
  if (!fast_path_applies(spec))
    throw InputError("target.covariance", "(full matrix)",
                     why + "runs per eigen-direction: give the spectrum (KL of these samplers is rotation invariant)");
  if (spec.numerics.engine == EnginePath::dense)
    throw InputError("numerics.engine", "dense", why + "has a single per-eigen-direction engine; leave numerics.engine at \"auto\"");
}

}  // namespace diffbound
