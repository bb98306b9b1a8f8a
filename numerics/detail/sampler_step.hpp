// One reverse step of an affine sampler on a Gaussian target, written as deviations from the target
// marginal so that tiny KLs keep their digits (docs/math.md#samplers, docs/math.md#gaussian-path).
//
// A sampler with score s(x) = -K x + k maps y to A y + b (+ noise N). With K = K* + dK, K* = Sigma_t^-1
// the exact precision, and ds = s(mu_t) - s*(mu_t) the score error at the target mean, the deviations
// dm = m - mu, dS = S - Sigma of the sampler's law from the target's evolve as
//   dm_{t-1} = A dm_t + c ds,   dS_{t-1} = A dS_t A^T + l_t,
//   l_t = [A* Sigma_t A*^T + N* - Sigma_{t-1}] + [A Sigma_t A^T - A* Sigma_t A*^T] + [N - N*],
// where c is the sampler's score gain and the first bracket (the exact-score local error) has a closed
// form for every sampler, derived by hand below so that no two nearly equal terms are subtracted.
// The same formulas serve scalars (one eigen-direction) and Eigen matrices; Id is 1 or the identity.
#pragma once

#include "numerics/case_spec.hpp"
#include "numerics/schedule.hpp"

#include <cmath>
#include <stdexcept>

namespace diffbound::detail {

template <class Real> struct StepCoefficients {
  Real beta, alpha, sqrt_alpha;
  Real ab, ab_prev;            // alpha_bar_t, alpha_bar_{t-1}
  Real omab, omab_prev;        // 1 - alpha_bar_t, 1 - alpha_bar_{t-1}
  Real gain;                   // c: y -> ... + c * s(y)
  Real noise;                  // sigma_t^2 of the ddpm kernel (accelerated: beta/alpha, times M M^T)
  Real ddim_local;             // ddim: alpha_bar_{t-1}^2 beta^2 / (sqrt(ab(1-ab_prev)) + sqrt(ab_prev(1-ab)))^2
  Real ddim_mix_signal, ddim_mix_noise;  // ddim: sqrt(ab ab_prev), sqrt((1-ab)(1-ab_prev))
  Real local_factor;           // the scalar factor of the exact-score local error (see below)
};

template <class Real>
StepCoefficients<Real> step_coefficients(const Schedule<Real>& sch, const SamplerSpec& sampler, long t) {
  using std::sqrt;
  StepCoefficients<Real> s;
  s.beta = sch.beta[t];
  s.alpha = sch.alpha[t];
  s.sqrt_alpha = sqrt(s.alpha);
  s.ab = sch.alpha_bar[t];
  s.ab_prev = sch.alpha_bar[t - 1];
  s.omab = sch.one_minus_alpha_bar[t];
  s.omab_prev = sch.one_minus_alpha_bar[t - 1];
  s.noise = Real(0);
  s.ddim_local = Real(0);
  s.ddim_mix_signal = Real(0);
  s.ddim_mix_noise = Real(0);
  switch (sampler.kind) {
    case SamplerKind::ddpm:
    case SamplerKind::ddnm_plus:  // has its own update (zero_shot_impl.hpp); coefficients unused
      s.gain = s.beta / s.sqrt_alpha;
      switch (sampler.variance) {
        case Variance::theory: s.noise = s.beta / s.alpha; break;
        case Variance::beta: s.noise = s.beta; break;
        case Variance::posterior: s.noise = s.beta * s.omab_prev / s.omab; break;
      }
      break;
    case SamplerKind::accelerated:
      s.gain = s.beta / s.sqrt_alpha;
      s.noise = s.beta / s.alpha;
      break;
    case SamplerKind::pf_euler:
      s.gain = s.beta / (2 * s.sqrt_alpha);
      break;
    case SamplerKind::ddim: {
      // c = sqrt(1-ab) [sqrt(1-ab)/sqrt(alpha) - sqrt(1-ab_prev)], and the bracket equals
      // (beta/alpha) / (sqrt(1-ab)/sqrt(alpha) + sqrt(1-ab_prev)) since (1-ab)/alpha - (1-ab_prev) = beta/alpha.
      const Real r = sqrt(s.omab);
      s.gain = r * (s.beta / s.alpha) / (r / s.sqrt_alpha + sqrt(s.omab_prev));
      const Real cross = sqrt(s.ab * s.omab_prev) + sqrt(s.ab_prev * s.omab);
      s.ddim_local = s.ab_prev * s.ab_prev * s.beta * s.beta / (cross * cross);
      s.ddim_mix_signal = sqrt(s.ab * s.ab_prev);
      s.ddim_mix_noise = sqrt(s.omab * s.omab_prev);
      break;
    }
    default: throw std::logic_error("continuous-time sampler in the discrete engine");  // dispatched elsewhere (exact.cpp)
  }
  const Real b2 = s.beta * s.beta;
  switch (sampler.kind) {
    case SamplerKind::ddpm:
    case SamplerKind::ddnm_plus:
      switch (sampler.variance) {
        case Variance::theory: s.local_factor = b2 / s.alpha; break;
        case Variance::beta: s.local_factor = b2 * s.ab_prev; break;
        case Variance::posterior: s.local_factor = -b2 * s.ab_prev / s.omab; break;
      }
      break;
    case SamplerKind::accelerated: s.local_factor = b2 * s.beta / (4 * s.alpha); break;
    case SamplerKind::pf_euler: s.local_factor = b2 / (4 * s.alpha); break;
    case SamplerKind::ddim: s.local_factor = -s.ddim_local; break;
    default: throw std::logic_error("continuous-time sampler in the discrete engine");  // dispatched elsewhere (exact.cpp)
  }
  return s;
}

// A* = the sampler's linear map with the exact score, as a function of Sigma (target covariance),
// Sigma_t, Sigma_{t-1} and P = Sigma_t^-1 (all of which commute).
template <class M, class Real>
M exact_map(const StepCoefficients<Real>& s, SamplerKind kind, const M& Sigma, const M& Sigma_t,
            const M& Sigma_prev, const M& P, const M& Id) {
  switch (kind) {
    case SamplerKind::ddpm:
    case SamplerKind::ddnm_plus:
    case SamplerKind::accelerated: return M(Sigma_prev * P * s.sqrt_alpha);  // (I - beta P)/sqrt(alpha)
    case SamplerKind::pf_euler: return M((Sigma_t - Id * (s.beta / 2)) * P / s.sqrt_alpha);
    case SamplerKind::ddim: return M((Sigma * s.ddim_mix_signal + Id * s.ddim_mix_noise) * P);
    default: throw std::logic_error("continuous-time sampler in the discrete engine");  // dispatched elsewhere (exact.cpp)
  }
  return Id;
}

// The exact-score local error A* Sigma_t A*^T + N* - Sigma_{t-1}, in closed form:
//   ddpm theory:    beta^2/alpha P
//   ddpm beta:      beta^2 ab_prev (I - Sigma) P
//   ddpm posterior: -beta^2 ab_prev / (1 - ab) Sigma P
//   accelerated:    beta^3 / (4 alpha) P^2
//   pf-euler:       beta^2 / (4 alpha) P
//   ddim:           -ab_prev^2 beta^2 / (sqrt(ab(1-ab_prev)) + sqrt(ab_prev(1-ab)))^2 Sigma P
// (derivations: docs/derivations.md).
template <class M, class Real>
M exact_local_error(const StepCoefficients<Real>& s, const SamplerSpec& sampler, const M& Sigma, const M& P,
                    const M& Id) {
  switch (sampler.kind) {
    case SamplerKind::ddpm:
    case SamplerKind::ddnm_plus:
      switch (sampler.variance) {
        case Variance::theory: return M(P * s.local_factor);
        case Variance::beta: return M((Id - Sigma) * P * s.local_factor);
        case Variance::posterior: return M(Sigma * P * s.local_factor);
      }
      break;
    case SamplerKind::accelerated: return M(P * P * s.local_factor);
    case SamplerKind::pf_euler: return M(P * s.local_factor);
    case SamplerKind::ddim: return M(Sigma * P * s.local_factor);
    default: throw std::logic_error("continuous-time sampler in the discrete engine");  // dispatched elsewhere (exact.cpp)
  }
  return Id;
}

}  // namespace diffbound::detail
