#include "numerics/continuous_time.hpp"

#include "numerics/case_kinds.hpp"
#include "numerics/input_error.hpp"

#include <cmath>

namespace diffbound {

bool is_continuous_time(SamplerKind kind) { return traits_of(kind).family == SamplerFamily::continuous_time; }

void validate_continuous_case(const CaseSpec& spec) {
  const std::string why = "sampler kind \"" + to_string(spec.sampler.kind) + "\" (continuous time) ";
  if (!is_continuous_time(spec.sampler.kind))
    throw InputError("sampler.kind", to_string(spec.sampler.kind), "not a continuous-time sampler");
  if (spec.target.family != Family::gaussian)
    throw InputError("target.family", to_string(spec.target.family), why + "has closed forms for Gaussian targets only");
  if (spec.schedule.kind != ScheduleKind::linear)
    throw InputError("schedule.kind", to_string(spec.schedule.kind),
                     why + "needs the linear schedule: beta(s) = b_min + s (b_max - b_min) on s in [0, 1]");
  for (const auto& [field, text] : {std::pair<std::string, std::string>{"schedule.b_min", spec.schedule.b_min},
                                    {"schedule.b_max", spec.schedule.b_max}}) {
    double v;
    try { v = from_decimal<double>(text); } catch (...) { v = NAN; }
    if (!(v > 0) || !std::isfinite(v))
      throw InputError(field, text, "the noise level beta(s) of the VP SDE must be a finite number > 0");
  }
  const bool exact_sampler = !traits_of(spec.sampler.kind).time_discretized;
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
