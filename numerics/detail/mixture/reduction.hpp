#pragma once
// What turns a mixture case into 1-D line runs: per-coordinate lines (identical ones counted once)
// and, for layout = "axis", the Gaussian factor of coordinates 2..d with its score.

#include "numerics/detail/zero_shot_mixture_impl.hpp"
#include "numerics/gaussian_target.hpp"
#include "numerics/mixture_path.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace diffbound {

template <class Real> MixtureReduction<Real> reduce_mixture_case(const CaseSpec& spec) {
  using std::sqrt;
  validate_mixture_case(spec);
  if (spec.problem) return detail::reduce_zero_shot_mixture<Real>(spec);
  const MixtureSpec& ms = spec.target.mixture;
  const long d = ms.dim;
  const bool axis = ms.layout == MixtureLayout::axis || d == 1;
  const long line_count = axis ? 1 : d;
  const ScoreSpec& score = spec.score;
  const Mixture1D<Real> target = mixture_1d<Real>(ms);

  // per-coordinate training law (mismatched with a Gaussian train: one Gaussian per coordinate)
  std::vector<DiagonalEntry<Real>> train_gauss;
  std::optional<Mixture1D<Real>> train_mix;
  if (score.train) {
    if (score.train->family == Family::mixture) train_mix = mixture_1d<Real>(score.train->mixture);
    else train_gauss = diagonal_entries<Real>(score.train->gaussian, "score.train");
  }
  std::vector<Real> error;
  const bool constant_error = score.kind == ScoreKind::perturbed && score.perturbation == Perturbation::constant;
  if (constant_error) error = perturbation_vector<Real>(score, d);
  const Real eps = from_decimal<Real>(score.epsilon);

  MixtureReduction<Real> red;
  std::map<std::string, std::size_t> index;
  for (long i = 0; i < line_count; ++i) {
    MixtureLine<Real> line;
    line.target = target;
    std::string key;
    switch (score.kind) {
      case ScoreKind::exact: line.score_mixture = target; break;
      case ScoreKind::perturbed:
        line.score_mixture = target;
        if (constant_error) { line.offset = error[i]; key = to_decimal(error[i]); }
        else line.scale = 1 + eps;
        break;
      case ScoreKind::mismatched:
        if (train_mix) line.score_mixture = *train_mix;
        else { line.score_mixture = gaussian_1d(train_gauss[i].mean, train_gauss[i].variance); key = train_gauss[i].key; }
        break;
      case ScoreKind::ddnm:
      case ScoreKind::bo_ddnm:
      case ScoreKind::exact_conditional: break;  // zero-shot: reduce_zero_shot_mixture (returned above)
      case ScoreKind::gaussian_surrogate: {
        // N(mean, variance) of the training law if one is given, else of the target
        Real mean, variance;
        if (train_mix) mixture_moments(*train_mix, mean, variance);
        else if (!train_gauss.empty()) { mean = train_gauss[i].mean; variance = train_gauss[i].variance; key = train_gauss[i].key; }
        else mixture_moments(target, mean, variance);
        line.score_mixture = gaussian_1d(mean, variance);
        break;
      }
    }
    auto [it, fresh] = index.emplace(key, red.lines.size());
    if (!fresh) { ++red.lines[it->second].multiplicity; continue; }
    red.lines.push_back(line);
  }

  if (axis && d > 1) {
    // the factor N(0, s^2 I_{d-1}) of coordinates 2..d, with the matching score
    CaseSpec g = axis_gaussian_factor(spec);
    const ScoreSpec fresh_score;
    g.score = fresh_score;
    g.score.kind = ScoreKind::exact;
    auto gaussian_train = [&](const std::string& variance, const std::vector<std::string>& means) {
      TargetSpec t;
      t.family = Family::gaussian;
      t.gaussian.dim = d - 1;
      t.gaussian.spectrum = Spectrum::isotropic;
      t.gaussian.scale = variance;
      t.gaussian.mean = means;
      return t;
    };
    // coordinates 2..d of a Gaussian training law, as a Gaussian of its own (a named local:
    // GCC 12 crashes on assigning a braced TargetSpec temporary here)
    auto gaussian_tail_train = [&] {
      TargetSpec t;
      t.family = Family::gaussian;
      t.gaussian.dim = d - 1;
      t.gaussian.spectrum = Spectrum::list;
      t.gaussian.mean.clear();
      for (long i = 1; i < d; ++i) {
        t.gaussian.eigenvalues.push_back(to_decimal(train_gauss[i].variance));
        t.gaussian.mean.push_back(to_decimal(train_gauss[i].mean));
      }
      return t;
    };
    switch (score.kind) {
      case ScoreKind::exact: break;
      case ScoreKind::perturbed:
        g.score.kind = ScoreKind::perturbed;
        g.score.perturbation = score.perturbation;
        g.score.epsilon = score.epsilon;
        if (constant_error) {
          Real rest2(0);
          for (long i = 1; i < d; ++i) rest2 += error[i] * error[i];
          if (rest2 == 0) { g.score.kind = ScoreKind::exact; break; }
          g.score.epsilon = to_decimal(Real(sqrt(rest2)));
          for (long i = 1; i < d; ++i) g.score.direction.push_back(to_decimal(error[i]));
        }
        break;
      case ScoreKind::mismatched:
        g.score.kind = ScoreKind::mismatched;
        if (train_mix) g.score.train = gaussian_train(score.train->mixture.variances[0], {"0"});
        else g.score.train = gaussian_tail_train();
        break;
      case ScoreKind::ddnm:
      case ScoreKind::bo_ddnm:
      case ScoreKind::exact_conditional: break;  // zero-shot: not reached
      case ScoreKind::gaussian_surrogate:
        // the surrogate of coordinates 2..d is the Gaussian of those coordinates of the training law
        // (of the target when none is given, where it is exact)
        if (train_mix) {
          g.score.kind = ScoreKind::mismatched;
          g.score.train = gaussian_train(score.train->mixture.variances[0], {"0"});
        } else if (!train_gauss.empty()) {
          g.score.kind = ScoreKind::mismatched;
          g.score.train = gaussian_tail_train();
        }
        break;
    }
    red.has_gaussian_part = true;
    red.gaussian_part = g;
  }
  return red;
}

}  // namespace diffbound
