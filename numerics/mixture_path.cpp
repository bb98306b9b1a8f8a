#include "numerics/mixture_path.hpp"
#include "numerics/zero_shot.hpp"

#include "numerics/case_kinds.hpp"
#include "numerics/exact.hpp"
#include "numerics/input_error.hpp"

#include <cmath>

namespace diffbound {

namespace {

void validate_training_law(const CaseSpec& spec) {
  const TargetSpec& train = *spec.score.train;
  const MixtureSpec& m = spec.target.mixture;
  if (train.family == Family::mixture) {
    validate_mixture(train.mixture, "score.train");
    if (train.mixture.dim != m.dim)
      throw InputError("score.train.dim", std::to_string(train.mixture.dim), "must equal target.dim = " + std::to_string(m.dim));
    if (m.dim > 1 && train.mixture.layout != m.layout)
      throw InputError("score.train.layout", to_string(train.mixture.layout),
                       "must equal target.layout = " + to_string(m.layout) + " (the score must separate like the target)");
  } else {
    validate_gaussian(train.gaussian, "score.train");
    if (train.gaussian.dim != m.dim)
      throw InputError("score.train.dim", std::to_string(train.gaussian.dim), "must equal target.dim = " + std::to_string(m.dim));
    if (!traits_of(train.gaussian.spectrum).diagonal)
      throw InputError("score.train.covariance", "(full matrix)",
                       "a mixture target separates into 1-D lines only with a diagonal training covariance");
  }
}

}  // namespace

CaseSpec axis_gaussian_factor(const CaseSpec& spec) {
  const MixtureSpec& ms = spec.target.mixture;
  CaseSpec g = spec;
  const TargetSpec fresh_target;  // (not `TargetSpec{}`: GCC 12 ICEs on it in some contexts)
  g.target = fresh_target;
  g.target.family = Family::gaussian;
  g.target.gaussian.dim = ms.dim - 1;
  g.target.gaussian.spectrum = Spectrum::isotropic;
  g.target.gaussian.scale = ms.variances[0];
  g.target.gaussian.mean = {"0"};
  return g;
}

void validate_mixture_case(const CaseSpec& spec) {
  if (spec.target.family != Family::mixture)
    throw InputError("target.family", to_string(spec.target.family), "the mixture engine needs family = \"mixture\"");
  // any truncation time 0 <= t_out < T (docs/math.md#samplers): the chain runs t = T..t_out+1
  if (spec.sampler.t_out < 0 || spec.sampler.t_out >= spec.schedule.steps)
    throw InputError("sampler.t_out", std::to_string(spec.sampler.t_out),
                     "must be in 0.." + std::to_string(spec.schedule.steps - 1) + " (below schedule.steps)");
  validate_numerics(spec.numerics);
  if (!traits_of(spec.numerics.precision).mixture_engine)
    throw InputError("numerics.precision", to_string(spec.numerics.precision),
                     "the mixture engine is quadrature-based and gives error estimates, not enclosures; "
                     "use \"double\", \"extended\" or \"mpfr\"");
  const MixtureSpec& m = spec.target.mixture;
  validate_mixture(m, "target");
  const ScoreSpec& score = spec.score;
  validate_zero_shot_kinds(spec);
  switch (score.kind) {
    case ScoreKind::exact: break;
    case ScoreKind::ddnm:
    case ScoreKind::bo_ddnm:
    case ScoreKind::exact_conditional: break;  // zero-shot: the problem is checked by resolve_problem
    case ScoreKind::mismatched:
      if (!score.train)
        throw InputError("score.train", "(missing)", "score kind \"mismatched\" needs a [score.train] table");
      validate_training_law(spec);
      break;
    case ScoreKind::gaussian_surrogate:
      if (score.train) validate_training_law(spec);
      break;
    case ScoreKind::perturbed: {
      double eps;
      try { eps = from_decimal<double>(score.epsilon); } catch (...) { throw InputError("score.epsilon", score.epsilon, "not a number"); }
      if (!(eps >= 0) || !std::isfinite(eps)) throw InputError("score.epsilon", score.epsilon, "must be a finite number >= 0");
      if (!score.direction.empty()) {
        if (static_cast<long>(score.direction.size()) != m.dim)
          throw InputError("score.direction", std::to_string(score.direction.size()) + " entries",
                           "must have length dim = " + std::to_string(m.dim));
        double n2 = 0;
        for (std::size_t i = 0; i < score.direction.size(); ++i) {
          double v;
          try { v = from_decimal<double>(score.direction[i]); } catch (...) { v = NAN; }
          if (!std::isfinite(v))
            throw InputError("score.direction[" + std::to_string(i) + "]", score.direction[i], "must be a finite number");
          n2 += v * v;
        }
        if (!(n2 > 0)) throw InputError("score.direction", "(zero vector)", "the error direction must be nonzero");
      }
      break;
    }
  }
}

}  // namespace diffbound
