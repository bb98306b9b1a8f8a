#pragma once
// The continuous-time engine (numerics/continuous_time.hpp): per eigen-direction closed forms for
// the exact reverse SDE / probability-flow ODE, affine recursions for their discretizations, and the
// Girsanov integral of the exponential integrator. Derivations: docs/derivations.md.

#include "numerics/continuous_time.hpp"
#include "numerics/detail/gaussian_path_fast_impl.hpp"  // validate_case_common, fast_directions
#include "numerics/detail/expm1_minus_x.hpp"
#include "numerics/divergence.hpp"

#include <vector>

namespace diffbound::detail {

// Forward-process values at one time s: alpha_bar(s), 1 - alpha_bar(s), beta(s).
template <class Real> struct ForwardNode {
  Real ab, omab, beta, sqrt_ab;
};

// The affine map x -> a x + b (one Runge-Kutta stage as a function of the step's start point).
template <class Real> struct Affine {
  Real a, b;
};

}  // namespace diffbound::detail

namespace diffbound {

template <class Real> ContinuousTimeResult<Real> continuous_time_path(const CaseSpec& spec) {
  using std::exp; using std::expm1; using std::sqrt;
  using detail::Affine; using detail::ForwardNode;
  validate_continuous_case(spec);
  detail::validate_case_common(spec);
  // score the discretizations use: (1 + eps_scale) times the exact score, plus a constant error e
  // (per direction; |e| = epsilon) -- docs/math.md#score-perturbed; exact: eps_scale = 0, e = 0
  const bool scaled_error = spec.score.kind == ScoreKind::perturbed && spec.score.perturbation == Perturbation::scale;
  const Real eps_scale = scaled_error ? from_decimal<Real>(spec.score.epsilon) : Real(0);
  const SamplerKind kind = spec.sampler.kind;
  const long T = spec.schedule.steps, t_out = spec.sampler.t_out;
  const Real one(1), half = Real(1) / 2;
  const Real b_min = from_decimal<Real>(spec.schedule.b_min), b_max = from_decimal<Real>(spec.schedule.b_max);
  const Real slope = b_max - b_min;
  const Real h = one / Real(T);
  // forward quantities at s = x / T: int_0^s beta = b_min s + slope s^2 / 2
  auto node_at = [&](const Real& s) {
    ForwardNode<Real> n;
    const Real B = b_min * s + slope * s * s / 2;
    n.ab = exp(-B);
    n.omab = -expm1(-B);
    n.beta = b_min + slope * s;
    n.sqrt_ab = exp(-B / 2);
    return n;
  };
  std::vector<ForwardNode<Real>> node(T + 1), mid(T + 1);  // mid[j]: s = (j - 1/2) / T
  std::vector<Real> U(T + 1);                               // U[j] = int_{s_{j-1}}^{s_j} beta = h beta(mid)
  for (long j = t_out; j <= T; ++j) node[j] = node_at(Real(j) / Real(T));
  node[T] = node_at(one);  // s = 1 exactly
  for (long j = t_out + 1; j <= T; ++j) {
    mid[j] = node_at((Real(2 * j - 1)) / Real(2 * T));
    U[j] = h * mid[j].beta;
  }
  // per-step functions of U shared by every direction (exponential integrator, Girsanov integral)
  struct StepExp { Real exp_half, expm1_half, expm1_full, g_full, g_minus_half; };
  std::vector<StepExp> step_exp;
  if (kind == SamplerKind::sde_ei) {
    step_exp.resize(T + 1);
    for (long j = t_out + 1; j <= T; ++j) {
      auto& e = step_exp[j];
      e.exp_half = exp(U[j] / 2);
      e.expm1_half = expm1(U[j] / 2);
      e.expm1_full = expm1(U[j]);
      e.g_full = detail::expm1_minus_x(U[j]);
      e.g_minus_half = detail::expm1_minus_x(Real(-U[j] / 2));
    }
  }
  const auto& end = node[T];
  const auto& out = node[t_out];

  const auto directions = detail::fast_directions<Real>(spec);
  ContinuousTimeResult<Real> r;
  r.path = "continuous";
  r.directions = static_cast<long>(directions.size());
  r.kl = Real(0); r.kl_q0_gamma = Real(0); r.E_T = Real(0); r.D_T = Real(0); r.B_T = Real(0); r.m2 = Real(0);
  r.has_decomposition = false;
  r.alpha_bar_T = end.ab;
  r.s_out = Real(t_out) / Real(T);
  r.has_girsanov = kind == SamplerKind::sde_ei;
  r.girsanov = Real(0);
  r.lambda_min = directions.front().lambda;
  r.lambda_max = directions.front().lambda;
  Real log_bc(0);

  for (const auto& dir : directions) {
    const Real mult(dir.multiplicity);
    const Real& lam = dir.lambda;
    const Real& mu = dir.mean;
    const Real lam_m1 = lam - one;
    r.lambda_min = min_of(r.lambda_min, lam);
    r.lambda_max = max_of(r.lambda_max, lam);
    r.m2 += mult * (lam + mu * mu);
    r.kl_q0_gamma += mult * (phi_of_ratio(lam, lam_m1) + mu * mu) / 2;
    r.E_T += mult * (phi_of_ratio(Real(end.ab * lam + end.omab), Real(end.ab * lam_m1)) + end.ab * mu * mu) / 2;

    // Q_s = N(sqrt(ab) mu, v), v = 1 + ab (lambda - 1); the exact score is -(x - sqrt(ab) mu) / v
    auto var = [&](const ForwardNode<Real>& n) { return Real(one + n.ab * lam_m1); };
    const Real gain = one + eps_scale;  // the used score is gain * exact score + shift
    const Real& shift = dir.error;
    const Real v_end = var(end), v_out = var(out);
    const Real m_end = end.sqrt_ab * mu, m_out = out.sqrt_ab * mu;
    // deviation of the sampler's law from Q_s at s = 1: Y_1 ~ gamma or Y_1 ~ Q_1
    const bool from_gamma = spec.sampler.init == Init::gaussian;
    const Real dm_end = from_gamma ? Real(-m_end) : Real(0);
    const Real dS_end = from_gamma ? Real(-end.ab * lam_m1) : Real(0);

    Real dm, dS;
    if (kind == SamplerKind::ode_exact || kind == SamplerKind::sde_exact) {
      // Both exact maps send a deviation (dm, dS) at s = 1 to (G dm, G^2 dS) at s_out:
      //   ODE flow map x -> m_out + sqrt(v_out / v_1)(x - m_1):          G = sqrt(v_out / v_1)
      //   SDE kernel Q_{s_out|1}(.|x) = N(m_out + a v_out / v_1 (x - m_1), v_out - a^2 v_out^2 / v_1),
      //   a = sqrt(ab(1) / ab(s_out)):                                   G = a v_out / v_1
      const Real G = kind == SamplerKind::ode_exact ? Real(sqrt(v_out / v_end))
                                                    : Real(sqrt(end.ab / out.ab) * v_out / v_end);
      dm = G * dm_end;
      dS = G * G * dS_end;
    } else {
      // the law N(mY, SY) of the discretization, stepped from s_j to s_{j-1}: y -> A y + c (+ noise n)
      Real mY = m_end + dm_end, SY = v_end + dS_end;
      // probability-flow velocity f(s, x) = -1/2 beta (x + score) = p x + q with
      // p = -1/2 beta ab (lambda - 1) / v, q = -1/2 beta sqrt(ab) mu / v (integrated backward in s)
      auto velocity = [&](const ForwardNode<Real>& n, const Affine<Real>& x) {
        const Real v = var(n);
        // with the score error: p = -1/2 beta (v - gain)/v, v - gain = ab (lambda - 1) - eps_scale
        const Real p = -half * n.beta * (n.ab * lam_m1 - eps_scale) / v;
        const Real q = -half * n.beta * (gain * n.sqrt_ab * mu / v + shift);
        return Affine<Real>{p * x.a, p * x.b + q};
      };
      auto axpy = [](const Affine<Real>& x, const Real& c, const Affine<Real>& k) {
        return Affine<Real>{x.a + c * k.a, x.b + c * k.b};
      };
      const Affine<Real> start{one, Real(0)};
      for (long j = T; j > t_out; --j) {
        const auto& hi = node[j];
        const Real v = var(hi);
        Real A, c, n(0);
        switch (kind) {
          case SamplerKind::sde_em: {
            // reverse time: dY = [1/2 beta Y + beta score] dr + sqrt(beta) dW, coefficients frozen at s_j
            const Real hb = h * hi.beta;
            A = one + hb * (half - gain / v);
            c = hb * (gain * hi.sqrt_ab * mu / v + shift);
            n = hb;
            break;
          }
          case SamplerKind::sde_ei: {
            // linear drift and beta weight exact, score frozen at s_j:
            // Y' = e^{U/2} Y + 2 (e^{U/2} - 1) score_{s_j}(Y) + sqrt(e^U - 1) Z
            const auto& e = step_exp[j];
            A = e.exp_half - 2 * e.expm1_half * gain / v;
            c = 2 * e.expm1_half * (gain * hi.sqrt_ab * mu / v + shift);
            n = e.expm1_full;
            break;
          }
          case SamplerKind::ode_euler: {
            const auto k1 = velocity(hi, start);
            const auto x = axpy(start, -h, k1);
            A = x.a; c = x.b;
            break;
          }
          case SamplerKind::ode_heun: {  // explicit trapezoid
            const auto k1 = velocity(hi, start);
            const auto k2 = velocity(node[j - 1], axpy(start, -h, k1));
            const auto x = axpy(axpy(start, -h / 2, k1), -h / 2, k2);
            A = x.a; c = x.b;
            break;
          }
          case SamplerKind::ode_rk4: {  // classical RK4
            const auto k1 = velocity(hi, start);
            const auto k2 = velocity(mid[j], axpy(start, -h / 2, k1));
            const auto k3 = velocity(mid[j], axpy(start, -h / 2, k2));
            const auto k4 = velocity(node[j - 1], axpy(start, -h, k3));
            auto x = axpy(start, -h / 6, k1);
            x = axpy(x, -h / 3, k2);
            x = axpy(x, -h / 3, k3);
            x = axpy(x, -h / 6, k4);
            A = x.a; c = x.b;
            break;
          }
          default: throw std::logic_error("continuous_time_path: not a discretized continuous-time sampler");
        }
        mY = A * mY + c;
        SY = A * A * SY + n;
      }
      dm = mY - m_out;
      dS = SY - v_out;
    }
    r.mean_deviation.push_back(dm);
    r.variance_deviation.push_back(dS);
    r.kl += mult * gaussian_kl_from_deviation(v_out, dS, dm);
    log_bc += mult * log_bhattacharyya_from_deviation(v_out, dS, dm);

    if (r.has_girsanov) {
      // int_{s_{j-1}}^{s_j} 1/2 beta E(score_s(X_s) - score_{s_j}(X_{s_j}))^2 ds
      //   = 1/2 [ phi(y) - rho g(U) + 4 g(-U/2) / v_j ],  phi(y) = y - log1p(y), g(x) = expm1(x) - x,
      //   rho = ab_j (lambda - 1) / v_j, y = rho expm1(U)   (docs/derivations.md)
      Real G(0);
      for (long j = T; j > t_out; --j) {
        const Real v = var(node[j]);
        const Real rho = node[j].ab * lam_m1 / v;
        const auto& e = step_exp[j];
        const Real y = rho * e.expm1_full;
        G += (u_minus_log1p(y) - rho * e.g_full + 4 * e.g_minus_half / v) / 2;
        // score error: constant e adds e^2 U/2; scale eps adds (eps^2 U/2 + 2 eps g(-U/2)) / v_j
        if (scaled_error) G += (eps_scale * eps_scale * U[j] / 2 + 2 * eps_scale * e.g_minus_half) / v;
        else G += shift * shift * U[j] / 2;
      }
      r.girsanov += mult * G;
    }
  }
  r.kl = max_of(r.kl, Real(0));  // KL >= 0: clipping an enclosure at 0 keeps it valid
  if (r.has_girsanov) r.girsanov = max_of(r.girsanov, Real(0));
  auto tv = tv_enclosure(log_bc, r.kl);
  r.hellinger2 = tv.hellinger2;
  r.tv_lo = tv.lo;
  r.tv_hi = tv.hi;
  return r;
}

}  // namespace diffbound
