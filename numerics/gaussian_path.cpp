#include "numerics/gaussian_path.hpp"

#include "numerics/case_kinds.hpp"
#include "numerics/input_error.hpp"
#include "numerics/zero_shot.hpp"

namespace diffbound {

bool fast_path_applies(const CaseSpec& spec) {
  if (!traits_of(spec.target.gaussian.spectrum).diagonal) return false;
  // zero-shot: per coordinate when H acts coordinate-wise
  if (spec.problem) return resolve_problem(spec).coordinatewise;
  if (spec.score.kind == ScoreKind::mismatched && spec.score.train && !traits_of(spec.score.train->gaussian.spectrum).diagonal)
    return false;
  return true;
}

template <class Real> GaussianPathResult<Real> gaussian_path(const CaseSpec& spec, GaussianPathOptions options) {
  switch (spec.numerics.engine) {
    case EnginePath::fast:
      if (!fast_path_applies(spec))
        throw InputError("numerics.engine", "fast", "the fast path needs diagonal covariances (no full covariance matrix) and, with a [problem], an H acting coordinate-wise");
      return gaussian_path_fast<Real>(spec, options);
    case EnginePath::dense: return gaussian_path_dense<Real>(spec, options);
    case EnginePath::automatic: break;
  }
  return fast_path_applies(spec) ? gaussian_path_fast<Real>(spec, options) : gaussian_path_dense<Real>(spec, options);
}

template GaussianPathResult<double> gaussian_path<double>(const CaseSpec&, GaussianPathOptions);
template GaussianPathResult<mpfr_real> gaussian_path<mpfr_real>(const CaseSpec&, GaussianPathOptions);
template GaussianPathResult<interval_real> gaussian_path<interval_real>(const CaseSpec&, GaussianPathOptions);

}  // namespace diffbound
