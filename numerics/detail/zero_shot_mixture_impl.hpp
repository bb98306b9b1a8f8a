#pragma once
// Zero-shot conditional sampling on a Gaussian-mixture prior (docs/math.md#zero-shot) with an H that acts
// coordinate-wise: the posterior separates into 1-D lines (per observed coordinate a mixture whose
// components get the Gaussian update and weights pi_k N(y; h m_k, h^2 v_k + sigma_y^2)), plus, for
// layout = "axis", a Gaussian zero-shot problem on coordinates 2..d (the Gaussian engine's fast path).
//
// On an observed coordinate (entry h, measurement y) DDNM's score is exactly the marginal score of
// the point mass at y/h, BO-DDNM's that of N(y/h, sigma_y^2) (zero_shot_impl.hpp); the exact
// conditional score is the posterior's; DDNM+ runs its own step on the prior's score. On an
// unobserved coordinate every sampler uses the prior's score, and there the posterior is the prior.

#include "numerics/detail/log_sum_exp.hpp"
#include "numerics/mixture_path.hpp"
#include "numerics/zero_shot.hpp"

#include <map>

namespace diffbound::detail {

// The posterior of the 1-D mixture `prior` given y = h x + N(0, sigma_y^2), sigma_y > 0.
template <class Real> Mixture1D<Real> mixture_posterior(const Mixture1D<Real>& prior, const Real& h, const Real& sigma_y, const Real& y) {
  using std::log;
  Mixture1D<Real> post;
  std::vector<Real> log_w;
  const Real s2 = sigma_y * sigma_y;
  for (std::size_t k = 0; k < prior.size(); ++k) {
    const Real G = h * h * prior.variance[k] + s2, r = y - h * prior.mean[k];
    log_w.push_back(log(prior.weight[k]) - log(G) / 2 - r * r / (2 * G));
    post.mean.push_back(prior.mean[k] + prior.variance[k] * h * r / G);
    post.variance.push_back(prior.variance[k] * s2 / G);
  }
  Real top, total;
  exp_from_max(log_w.data(), log_w.size(), top, total);  // log_w: now the unnormalized weights
  for (const auto& e : log_w) post.weight.push_back(e / total);
  return prepare(post);
}

template <class Real> MixtureReduction<Real> reduce_zero_shot_mixture(const CaseSpec& spec) {
  const ResolvedProblem pr = resolve_problem(spec);
  const MixtureSpec& ms = spec.target.mixture;
  const long d = ms.dim;
  const bool axis = ms.layout == MixtureLayout::axis || d == 1;
  const long line_count = axis ? 1 : d;
  if (from_decimal<double>(pr.sigma_y) == 0)
    throw InputError("problem.sigma_y", "0",
                     "a mixture prior needs sigma_y > 0: without noise an observed coordinate's posterior is a point mass "
                     "(no mixture left to propagate)");
  const Real sigma_y = from_decimal<Real>(pr.sigma_y);
  const Mixture1D<Real> prior = mixture_1d<Real>(ms);
  std::vector<long> row_of(static_cast<std::size_t>(d), -1);
  for (std::size_t j = 0; j < pr.column_of_row.size(); ++j) row_of[static_cast<std::size_t>(pr.column_of_row[j])] = static_cast<long>(j);
  const bool ddnm_plus = spec.sampler.kind == SamplerKind::ddnm_plus;

  MixtureReduction<Real> red;
  std::map<std::string, std::size_t> index;
  for (long i = 0; i < line_count; ++i) {
    MixtureLine<Real> line;
    const long j = row_of[static_cast<std::size_t>(i)];
    std::string key = "unobserved";
    if (j < 0) {
      line.target = prior;
      line.score_mixture = prior;
      if (ddnm_plus) line.ddnm_plus = DdnmPlusLine<Real>{Real(0), sigma_y, Real(0)};
    } else {
      const Real h = from_decimal<Real>(pr.entry_of_row[static_cast<std::size_t>(j)]);
      const Real y = from_decimal<Real>(pr.y[static_cast<std::size_t>(j)]);
      line.target = mixture_posterior(prior, h, sigma_y, y);
      switch (spec.score.kind) {
        case ScoreKind::ddnm: line.score_mixture = gaussian_1d(Real(y / h), Real(0)); break;
        case ScoreKind::bo_ddnm: line.score_mixture = gaussian_1d(Real(y / h), Real(sigma_y * sigma_y)); break;
        default: line.score_mixture = ddnm_plus ? prior : line.target; break;  // DDNM+: the prior; exact conditional
      }
      if (ddnm_plus) line.ddnm_plus = DdnmPlusLine<Real>{h, sigma_y, y};
      key = "row " + std::to_string(j);
    }
    auto [it, fresh] = index.emplace(key, red.lines.size());
    if (!fresh) { ++red.lines[it->second].multiplicity; continue; }
    red.lines.push_back(line);
  }

  if (axis && d > 1) {
    // coordinates 2..d: N(0, s^2 I_{d-1}) with the rows of H that observe them
    CaseSpec g = axis_gaussian_factor(spec);
    ProblemSpec sub;
    sub.op = Operator::matrix;
    sub.sigma_y = pr.sigma_y;
    for (std::size_t r = 0; r < pr.column_of_row.size(); ++r) {
      const long c = pr.column_of_row[r];
      if (c == 0) continue;
      std::vector<std::string> row(static_cast<std::size_t>(d - 1), "0");
      row[static_cast<std::size_t>(c - 1)] = pr.entry_of_row[r];
      sub.matrix.push_back(std::move(row));
      sub.y.push_back(pr.y[r]);
    }
    if (sub.matrix.empty()) {
      // nothing observed there: the posterior is the prior, every sampler uses the prior's exact score
      g.problem.reset();
      const ScoreSpec fresh_score;
      g.score = fresh_score;
      if (ddnm_plus) {
        // DDNM+ with nothing to correct is the DDPM posterior-variance sampler
        g.sampler.kind = SamplerKind::ddpm;
        g.sampler.variance = Variance::posterior;
      }
    } else {
      g.problem = sub;
    }
    red.has_gaussian_part = true;
    red.gaussian_part = g;
  }
  return red;
}

}  // namespace diffbound::detail
