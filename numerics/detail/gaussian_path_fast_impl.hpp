#pragma once
// Fast path of the Gaussian engine: target, training distribution and score error share the
// coordinate eigenbasis, so the recursion is d scalar recursions; equal directions run once.

#include "numerics/cancellation.hpp"
#include "numerics/detail/fast_exact_double.hpp"
#include "numerics/detail/fast_exact_mpfr.hpp"
#include "numerics/detail/sampler_step.hpp"
#include "numerics/divergence.hpp"
#include "numerics/gaussian_path.hpp"
#include "numerics/gaussian_target.hpp"
#include "numerics/detail/zero_shot_impl.hpp"

#include <map>
#include <optional>

namespace diffbound::detail {

template <class Real> struct FastDirection {
  long multiplicity = 0;
  std::optional<ZeroShotCoordinate<Real>> zero_shot;  // DDNM+: the coordinate's prior and measurement
  Real lambda, mean;          // target
  Real lambda_gap, mean_gap;  // mismatched: lambda - lambda', m - m'
  Real lambda_train;          // mismatched: lambda'
  Real error;                 // perturbed constant: coordinate of the error vector
};

inline void validate_case_common(const CaseSpec& spec) {
  // any truncation time 0 <= t_out < T (docs/math.md#samplers): the chain runs t = T..t_out+1
  if (spec.sampler.t_out < 0 || spec.sampler.t_out >= spec.schedule.steps)
    throw InputError("sampler.t_out", std::to_string(spec.sampler.t_out),
                     "must be in 0.." + std::to_string(spec.schedule.steps - 1) + " (below schedule.steps)");
  validate_zero_shot_kinds(spec);
  validate_gaussian(spec.target.gaussian, "target");
  if (spec.score.kind == ScoreKind::mismatched) {
    if (!spec.score.train || spec.score.train->family != Family::gaussian)
      throw InputError("score.train", "(missing)", "score kind \"mismatched\" on a Gaussian target needs a Gaussian [score.train] table");
    validate_gaussian(spec.score.train->gaussian, "score.train");
    if (spec.score.train->gaussian.dim != spec.target.gaussian.dim)
      throw InputError("score.train.dim", std::to_string(spec.score.train->gaussian.dim),
                       "must equal target.dim = " + std::to_string(spec.target.gaussian.dim));
  }
  if (spec.score.kind == ScoreKind::perturbed) {
    double eps;
    try { eps = from_decimal<double>(spec.score.epsilon); } catch (...) { throw InputError("score.epsilon", spec.score.epsilon, "not a number"); }
    if (!(eps >= 0) || !std::isfinite(eps)) throw InputError("score.epsilon", spec.score.epsilon, "must be a finite number >= 0");
    if (!spec.score.direction.empty()) {
      if (static_cast<long>(spec.score.direction.size()) != spec.target.gaussian.dim)
        throw InputError("score.direction", std::to_string(spec.score.direction.size()) + " entries",
                         "must have length dim = " + std::to_string(spec.target.gaussian.dim));
      double n2 = 0;
      for (std::size_t i = 0; i < spec.score.direction.size(); ++i) {
        double v;
        try { v = from_decimal<double>(spec.score.direction[i]); } catch (...) { v = NAN; }
        if (!std::isfinite(v)) throw InputError("score.direction[" + std::to_string(i) + "]", spec.score.direction[i], "must be a finite number");
        n2 += v * v;
      }
      if (!(n2 > 0)) throw InputError("score.direction", "(zero vector)", "the error direction must be nonzero");
    }
  }
}

// Zero-shot, coordinate-wise H: one direction per distinct coordinate, the posterior as target and
// the Gaussian law whose marginal score the sampler uses as training law (zero_shot_impl.hpp).
template <class Real> std::vector<FastDirection<Real>> zero_shot_directions(const CaseSpec& spec) {
  const ResolvedProblem pr = resolve_problem(spec);
  std::map<std::string, std::size_t> index;
  std::vector<FastDirection<Real>> out;
  for (const auto& c : zero_shot_coordinates<Real>(spec, pr)) {
    auto [it, fresh] = index.emplace(c.key, out.size());
    if (!fresh) { ++out[it->second].multiplicity; continue; }
    FastDirection<Real> dir;
    dir.multiplicity = 1;
    dir.lambda = c.variance;
    dir.mean = c.mean;
    dir.lambda_train = c.train_variance;
    dir.lambda_gap = c.variance - c.train_variance;
    dir.mean_gap = c.mean - c.train_mean;
    dir.error = Real(0);
    if (spec.sampler.kind == SamplerKind::ddnm_plus) dir.zero_shot = c;
    out.push_back(dir);
  }
  return out;
}

template <class Real> std::vector<FastDirection<Real>> fast_directions(const CaseSpec& spec) {
  if (spec.problem) return zero_shot_directions<Real>(spec);
  const long d = spec.target.gaussian.dim;
  auto target = diagonal_entries<Real>(spec.target.gaussian, "target");
  std::vector<DiagonalEntry<Real>> train;
  if (spec.score.kind == ScoreKind::mismatched) train = diagonal_entries<Real>(spec.score.train->gaussian, "score.train");
  std::vector<Real> error;
  const bool constant_error = spec.score.kind == ScoreKind::perturbed && spec.score.perturbation == Perturbation::constant;
  if (constant_error) error = perturbation_vector<Real>(spec.score, d);

  std::map<std::string, std::size_t> index;
  std::vector<FastDirection<Real>> out;
  for (long i = 0; i < d; ++i) {
    std::string key = target[i].key;
    if (!train.empty()) key += "#" + train[i].key;
    if (constant_error) key += "#" + (spec.score.direction.empty() ? std::string("1") : spec.score.direction[i]);
    auto [it, fresh] = index.emplace(key, out.size());
    if (!fresh) { ++out[it->second].multiplicity; continue; }
    FastDirection<Real> dir;
    dir.multiplicity = 1;
    dir.lambda = target[i].variance;
    dir.mean = target[i].mean;
    dir.lambda_gap = Real(0);
    dir.mean_gap = Real(0);
    dir.lambda_train = dir.lambda;
    dir.error = Real(0);
    if (!train.empty()) {
      dir.lambda_train = train[i].variance;
      dir.lambda_gap = dir.lambda - dir.lambda_train;
      dir.mean_gap = dir.mean - train[i].mean;
    }
    if (constant_error) dir.error = error[i];
    out.push_back(dir);
  }
  return out;
}

}  // namespace diffbound::detail

namespace diffbound {

template <class Real>
GaussianPathResult<Real> gaussian_path_fast(const CaseSpec& spec, GaussianPathOptions options) {
  using std::sqrt; using std::log1p; using detail::step_coefficients;
  detail::validate_case_common(spec);
  const SamplerSpec& sampler = spec.sampler;
  const ScoreSpec& score = spec.score;
  const auto sch = make_schedule<Real>(spec.schedule);
  const long T = sch.steps, t_out = sampler.t_out;
  const auto directions = detail::fast_directions<Real>(spec);

  std::vector<detail::StepCoefficients<Real>> steps(T + 1);
  for (long t = t_out + 1; t <= T; ++t) steps[t] = step_coefficients(sch, sampler, t);

  const bool ddpm = sampler.kind == SamplerKind::ddpm;
  const bool want_decomposition = ddpm && options.decomposition;
  const bool accelerated = sampler.kind == SamplerKind::accelerated;
  const Real eps = from_decimal<Real>(score.epsilon);
  const bool scaled_error = score.kind == ScoreKind::perturbed && score.perturbation == Perturbation::scale;
  // zero-shot DDNM / BO-DDNM: per coordinate the marginal score of a Gaussian "training" law
  const bool mismatched = score.kind == ScoreKind::mismatched || score.kind == ScoreKind::ddnm || score.kind == ScoreKind::bo_ddnm;
  const bool has_error = mismatched || score.kind == ScoreKind::perturbed || sampler.kind == SamplerKind::ddnm_plus;
  bool singular_target = false;  // zero-shot with sigma_y = 0: the posterior is a point mass along H
  const Real one(1);

  GaussianPathResult<Real> r;
  r.path = "fast";
  r.directions = static_cast<long>(directions.size());
  r.kl = Real(0); r.kl_q0_gamma = Real(0); r.E_T = Real(0); r.D_T = Real(0); r.B_T = Real(0);
  r.m2 = Real(0);
  r.alpha_bar_T = sch.alpha_bar[T];
  r.lambda_min = directions.front().lambda;
  r.lambda_max = directions.front().lambda;
  r.has_decomposition = want_decomposition;
  bool d_infinite = false, b_infinite = false;
  Real log_bc(0);
  // W2^2 summed per direction from the deviations (docs/math.md#w2); the relative Fisher information
  // I(Q_0 | N(0, I)) per direction as (lambda - 1)^2 / lambda + m^2, the cancellation-free form of
  // lambda + m^2 - 2 + 1/lambda (docs/math.md#fisher-rel)
  Real w2_squared(0), fisher(0);

  // Exact score: the directions are independent scalar recursions. Running all directions per step
  // (instead of all steps per direction) breaks the serial division-multiply latency chain.
  const std::size_t n = directions.size();
  std::vector<Real> exact_dm, exact_dS, exact_D, exact_sigma;
  if (!has_error) {
    exact_dm.assign(n, Real(0));
    exact_dS.assign(n, Real(0));
    exact_D.assign(n, Real(0));
    exact_sigma.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const Real& lam = directions[i].lambda;
      exact_sigma[i] = sch.alpha_bar[T] * lam + sch.one_minus_alpha_bar[T];
      if (sampler.init == Init::gaussian) {
        exact_dm[i] = -sqrt(sch.alpha_bar[T]) * directions[i].mean;
        exact_dS[i] = sch.alpha_bar[T] * (one - lam);
      }
    }
    if (want_decomposition)
      for (long t = T; t > t_out; --t)
        if (!certainly_positive(steps[t].noise)) d_infinite = true;  // the reverse kernel is a point mass
    std::vector<Real> lambda(n);
    for (std::size_t i = 0; i < n; ++i) lambda[i] = directions[i].lambda;
    if constexpr (std::is_same_v<Real, double>)
      // fused, vectorized loop over blocks of directions (fast_exact_double.hpp); same operations
      detail::exact_recursion_double(steps, T, t_out, sampler, want_decomposition, lambda, exact_sigma, exact_dm,
                                     exact_dS, exact_D);
    else
      // raw MPFR / MPFI, no allocation per operation (fast_exact_mpfr.hpp); the generic loop is its test twin
      detail::exact_recursion_raw(steps, T, t_out, sampler, want_decomposition, lambda, exact_sigma, exact_dm, exact_dS,
                                  exact_D);
  }

  for (std::size_t index = 0; index < n; ++index) {
    throw_if_cancelled();  // numerics/cancellation.hpp: once per direction (each runs every step)
    const auto& dir = directions[index];
    const Real mult(dir.multiplicity);
    const Real& lam = dir.lambda;
    r.lambda_min = min_of(r.lambda_min, lam);
    r.lambda_max = max_of(r.lambda_max, lam);
    r.m2 += mult * (lam + dir.mean * dir.mean);
    if (certainly_positive(lam)) {
      r.kl_q0_gamma += mult * (phi_of_ratio(lam, Real(lam - one)) + dir.mean * dir.mean) / 2;
      const Real lam_gap = lam - one;
      fisher += mult * (lam_gap * lam_gap / lam + dir.mean * dir.mean);
    } else {
      singular_target = true;
    }
    // E_T = KL(N(sqrt(ab_T) m, Sigma_T) || N(0, 1)); Sigma_T - 1 = ab_T (lambda - 1)
    r.E_T += mult * (phi_of_ratio(Real(sch.alpha_bar[T] * lam + sch.one_minus_alpha_bar[T]), Real(sch.alpha_bar[T] * (lam - one))) +
                     sch.alpha_bar[T] * dir.mean * dir.mean) / 2;

    auto marginal = [&](long t) { return Real(sch.alpha_bar[t] * lam + sch.one_minus_alpha_bar[t]); };
    Real dm(0), dS(0);
    if (sampler.init == Init::gaussian) {
      dm = -sqrt(sch.alpha_bar[T]) * dir.mean;
      dS = sch.alpha_bar[T] * (one - lam);
    }
    Real D(0), B(0);
    Real sigma_t = marginal(T);
    if (!has_error) {  // computed above, all directions at once
      dm = exact_dm[index];
      dS = exact_dS[index];
      D = exact_D[index];
      sigma_t = exact_sigma[index];
    }
    if (sampler.kind == SamplerKind::ddnm_plus) {
      // its own affine update (zero_shot_impl.hpp), deviations advanced directly:
      // dS_{t-1} = A^2 dS + (A^2 Sigma_t + n - Sigma_{t-1}), dm_{t-1} = A dm + (A mu_t + b - mu_{t-1})
      const Real sy = from_decimal<Real>(spec.problem->sigma_y), sy2 = sy * sy;
      for (long t = T; t > t_out; --t) {
        const auto st = detail::ddnm_plus_scalar_step(sch, t, *dir.zero_shot, sy2);
        const Real sigma_prev = marginal(t - 1);
        dm = st.A * dm + (st.A * sqrt(sch.alpha_bar[t]) * dir.mean + st.b - sqrt(sch.alpha_bar[t - 1]) * dir.mean);
        dS = st.A * st.A * dS + (st.A * st.A * sigma_t + st.n - sigma_prev);
        sigma_t = sigma_prev;
      }
    }
    for (long t = (has_error && sampler.kind != SamplerKind::ddnm_plus) ? T : t_out; t > t_out; --t) {
      const auto& s = steps[t];
      const Real sigma_prev = marginal(t - 1);
      const Real P = one / sigma_t;
      const Real a_star = detail::exact_map(s, sampler.kind, lam, sigma_t, sigma_prev, P, one);
      const Real l_star = detail::exact_local_error(s, sampler, lam, P, one);
      // score error: s = s* - dK (x - mu_t) + ds
      Real dK(0), ds(0);
      if (mismatched) {
        const Real sigma_train = sch.alpha_bar[t] * dir.lambda_train + sch.one_minus_alpha_bar[t];
        dK = sch.alpha_bar[t] * dir.lambda_gap / (sigma_t * sigma_train);
        ds = -sqrt(sch.alpha_bar[t]) * dir.mean_gap / sigma_train;
      } else if (scaled_error) {
        dK = eps * P;
      } else {
        ds = dir.error;
      }
      const Real cdK = s.gain * dK;
      const Real A = a_star - cdK;
      Real l = l_star - cdK * (2 * a_star - cdK) * sigma_t;
      if (accelerated) {
        const Real half_beta_dK = s.beta * dK / 2;
        l -= s.noise * half_beta_dK * (2 * (one - s.beta * P / 2) - half_beta_dK);
      }
      dm = A * dm + s.gain * ds;
      dS = A * A * dS + l;
      if (want_decomposition) {
        const Real err2 = dK * dK * sigma_t + ds * ds;
        if (certainly_positive(s.noise)) {
          D += u_minus_log1p(Real(-l_star / s.noise)) / 2;
          B += s.beta * s.beta / (2 * s.alpha * s.noise) * err2;
        } else {
          d_infinite = true;  // the reverse kernel is a point mass: the path KL is infinite
          if (!(err2 == 0)) b_infinite = true;
        }
      }
      sigma_t = sigma_prev;
    }
    // sigma_t now holds Sigma_{t_out}
    r.kl += mult * gaussian_kl_from_deviation(sigma_t, dS, dm);
    log_bc += mult * log_bhattacharyya_from_deviation(sigma_t, dS, dm);
    if (options.w2) w2_squared += mult * w2_squared_from_deviation(sigma_t, dS, dm);
    r.D_T += mult * D;
    r.B_T += mult * B;
  }
  if (singular_target) r.kl_q0_gamma = positive_infinity<Real>();
  r.has_w2 = options.w2;
  if (options.w2) r.w2 = sqrt(max_of(w2_squared, Real(0)));
  r.has_fisher_rel = true;
  r.fisher_rel = singular_target ? positive_infinity<Real>() : fisher;  // a point-mass direction: tr S^-1 = +inf
  if (d_infinite) r.D_T = positive_infinity<Real>();
  if (b_infinite) r.B_T = positive_infinity<Real>();
  r.kl = max_of(r.kl, Real(0));  // KL >= 0: clipping an enclosure at 0 keeps it valid
  auto tv = tv_enclosure(log_bc, r.kl);
  r.hellinger2 = tv.hellinger2;
  r.tv_lo = tv.lo;
  r.tv_hi = tv.hi;
  return r;
}

}  // namespace diffbound
