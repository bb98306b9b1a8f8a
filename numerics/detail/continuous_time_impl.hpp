#pragma once
// The continuous-time engine (numerics/continuous_time.hpp) on the general VP SDE
// dX = -(beta/(2 sigma_inf^2)) X dt + sqrt(beta) dB, t in [0, T_f] (docs/math.md#vp-sde-general): per
// eigen-direction closed forms for the exact reverse SDE / probability-flow ODE, affine recursions for
// their discretizations, and the Girsanov integral of the exponential integrator. Derivations:
// docs/derivations.md and docs/math.md#vp-sde-general.

#include "numerics/cancellation.hpp"
#include "numerics/continuous_time.hpp"
#include "numerics/detail/gaussian_path_fast_impl.hpp"  // validate_case_common, fast_directions
#include "numerics/detail/expm1_minus_x.hpp"
#include "numerics/divergence.hpp"
#include "numerics/vp_schedule.hpp"

#include <vector>

namespace diffbound::detail {

// Forward-process values at one time t: mu(t)^2, sigma(t)^2 = sigma_inf^2 (1 - mu^2), beta(t), mu(t).
template <class Real> struct ForwardNode {
  Real mu2, sig2, beta, mu;
};

// The affine map x -> a x + b (one Runge-Kutta stage as a function of the step's start point).
template <class Real> struct Affine {
  Real a, b;
};

}  // namespace diffbound::detail

namespace diffbound {

template <class Real> ContinuousTimeResult<Real> continuous_time_path(const CaseSpec& spec) {
  using std::exp; using std::expm1; using std::sqrt; using std::abs;
  using detail::Affine; using detail::ForwardNode;
  validate_continuous_case(spec);
  {
    CaseSpec common = spec;  // t_out was checked against steps above (any 0 <= t_out < steps)
    common.sampler.t_out = 0;
    detail::validate_case_common(common);
  }
  // score the discretizations use: (1 + eps_scale) times the exact score, plus a constant error e
  // (per direction; |e| = epsilon) -- docs/math.md#score-perturbed; exact: eps_scale = 0, e = 0
  const bool scaled_error = spec.score.kind == ScoreKind::perturbed && spec.score.perturbation == Perturbation::scale;
  const Real eps_scale = scaled_error ? from_decimal<Real>(spec.score.epsilon) : Real(0);
  const SamplerKind kind = spec.sampler.kind;
  const VpSchedule<Real> vp = make_vp_schedule<Real>(spec.schedule);
  const Real& s2 = vp.sigma_inf2;
  const long N = spec.schedule.steps;
  // grid t_j = base + j h, j = j0..N (docs/math.md#vp-sde-general): t_out h .. T_f, or t_stop .. T_f
  const long j0 = spec.sampler.t_stop ? 0 : spec.sampler.t_out;
  const Real base = spec.sampler.t_stop ? from_decimal<Real>(*spec.sampler.t_stop) : Real(0);
  const Real span = vp.horizon - base;
  const Real one(1), half = Real(1) / 2;
  const Real h = span / Real(N);
  auto node_at = [&](const Real& t) {
    ForwardNode<Real> n;
    const Real A = vp.A(t);
    n.mu2 = exp(-2 * A);
    n.sig2 = -s2 * expm1(-2 * A);
    n.beta = vp.beta(t);
    n.mu = exp(-A);
    return n;
  };
  auto time_of = [&](long j) { return Real(base + span * Real(j) / Real(N)); };
  std::vector<ForwardNode<Real>> node(N + 1), mid(N + 1);  // mid[j]: t = base + (j - 1/2) h
  std::vector<Real> U(N + 1);                               // U[j] = B(t_j) - B(t_{j-1})
  for (long j = j0; j <= N; ++j) node[j] = node_at(time_of(j));
  node[N] = node_at(vp.horizon);  // t = T_f exactly
  for (long j = j0 + 1; j <= N; ++j) {
    mid[j] = node_at(Real(base + span * Real(2 * j - 1) / Real(2 * N)));
    // linear: h beta(midpoint) is the exact increment
    U[j] = vp.exponential ? vp.B_increment(time_of(j - 1), h) : Real(h * mid[j].beta);
  }
  // per-step functions of delta = U / (2 sigma_inf^2) = A(t_j) - A(t_{j-1}) shared by every direction
  // (exponential integrators, Girsanov integral)
  struct StepExp { Real exp_d, expm1_d, expm1_2d, exp_md, expm1_md, expm1_m2d, g_2d, g_md; };
  std::vector<StepExp> step_exp;
  if (kind == SamplerKind::sde_ei || kind == SamplerKind::sde_ei_relative) {
    step_exp.resize(N + 1);
    for (long j = j0 + 1; j <= N; ++j) {
      auto& e = step_exp[j];
      const Real d = U[j] / (2 * s2);
      e.exp_d = exp(d);
      e.expm1_d = expm1(d);
      e.expm1_2d = expm1(Real(2 * d));
      e.exp_md = exp(-d);
      e.expm1_md = expm1(-d);
      e.expm1_m2d = expm1(Real(-2 * d));
      e.g_2d = detail::expm1_minus_x(Real(2 * d));
      e.g_md = detail::expm1_minus_x(Real(-d));
    }
  }
  const auto& end = node[N];
  const auto& out = node[j0];
  const bool to_data = spec.sampler.compare_with == CompareWith::data;

  const auto directions = detail::fast_directions<Real>(spec);
  ContinuousTimeResult<Real> r;
  r.path = "continuous";
  r.directions = static_cast<long>(directions.size());
  r.kl = Real(0); r.kl_q0_gamma = Real(0); r.E_T = Real(0); r.D_T = Real(0); r.B_T = Real(0); r.m2 = Real(0);
  r.kl_q0_stationary = Real(0);
  r.mean_norm2 = Real(0);
  Real w2sq(0), w2sq_q0(0), w2sq_init(0);
  r.fisher_rel = Real(0);
  r.has_fisher_rel = true;
  r.has_w2 = true;
  r.has_decomposition = false;
  r.alpha_bar_T = end.mu2;
  r.s_out = spec.sampler.t_stop ? base : time_of(j0);
  // G bounds KL to Q at the stopping time: not offered when the output is compared with Q_0
  r.has_girsanov = kind == SamplerKind::sde_ei && !to_data;
  r.girsanov = Real(0);
  r.lambda_min = directions.front().lambda;
  r.lambda_max = directions.front().lambda;
  const bool perturbed_exact = kind == SamplerKind::sde_exact && spec.score.kind == ScoreKind::perturbed;
  r.estimated = perturbed_exact;
  std::vector<ForwardNode<Real>> ode_nodes;  // perturbed sde-exact: the moment ODEs' RK4 grid (below)
  if (perturbed_exact) {
    const long fine = 2 * 16 * (N - j0);  // half steps of 16 RK4 steps per grid step
    ode_nodes.resize(fine + 1);
    for (long i = 0; i <= fine; ++i) ode_nodes[i] = node_at(Real(vp.horizon - (vp.horizon - r.s_out) * Real(i) / Real(fine)));
  }
  r.moment_ode_error = Real(0);
  Real log_bc(0);

  for (const auto& dir : directions) {
    throw_if_cancelled();  // numerics/cancellation.hpp: once per direction
    const Real mult(dir.multiplicity);
    const Real& lam = dir.lambda;
    const Real& mu = dir.mean;
    const Real lam_m1 = lam - one;
    const Real lam_ms = lam - s2;  // lambda - sigma_inf^2: v - sigma_inf^2 = mu^2 (lambda - sigma_inf^2)
    r.lambda_min = min_of(r.lambda_min, lam);
    r.lambda_max = max_of(r.lambda_max, lam);
    r.m2 += mult * (lam + mu * mu);
    r.mean_norm2 += mult * mu * mu;
    r.kl_q0_gamma += mult * (phi_of_ratio(lam, lam_m1) + mu * mu) / 2;
    r.kl_q0_stationary += mult * (phi_of_ratio(Real(lam / s2), Real(lam_ms / s2)) + mu * mu / s2) / 2;
    w2sq_q0 += mult * w2_squared_from_deviation(s2, lam_ms, mu);
    // I(Q_0 | N(0, s2)) per direction: (lambda + m^2)/s2^2 - 2/s2 + 1/lambda = (s2 - lambda)^2/(lambda s2^2) + m^2/s2^2
    r.fisher_rel += mult * (lam_ms * lam_ms / lam + mu * mu) / (s2 * s2);
    // E_T = KL(Q_{T_f} || N(0, s2)): v_end / s2 - 1 = mu^2 (lambda - s2) / s2
    r.E_T += mult * (phi_of_ratio(Real((end.mu2 * lam + end.sig2) / s2), Real(end.mu2 * lam_ms / s2)) + end.mu2 * mu * mu / s2) / 2;
    w2sq_init += mult * w2_squared_from_deviation(s2, Real(end.mu2 * lam_ms), Real(end.mu * mu));

    // Q_t = N(mu(t) m, v), v = s2 + mu^2 (lambda - s2); the exact score is -(x - mu(t) m) / v
    auto var = [&](const ForwardNode<Real>& n) { return Real(s2 + n.mu2 * lam_ms); };
    const Real gain = one + eps_scale;  // the used score is gain * exact score + shift
    const Real& shift = dir.error;
    const Real v_end = var(end), v_out = var(out);
    const Real m_end = end.mu * mu, m_out = out.mu * mu;
    // deviation of the sampler's law from Q_{T_f}: Y ~ N(0, s2) or Y ~ Q_{T_f}
    const bool from_gaussian = spec.sampler.init == Init::gaussian;
    const Real dm_end = from_gaussian ? Real(-m_end) : Real(0);
    const Real dS_end = from_gaussian ? Real(-end.mu2 * lam_ms) : Real(0);
    // x / s2 + used score = x (mu^2 (lambda - s2) - eps s2) / (s2 v) - gain mu m / v - shift: without cancellation
    auto relative_slope = [&](const ForwardNode<Real>& n) { return Real((n.mu2 * lam_ms - eps_scale * s2) / (s2 * var(n))); };
    auto score_offset = [&](const ForwardNode<Real>& n) { return Real(gain * n.mu * mu / var(n) + shift); };

    Real dm, dS;
    if ((kind == SamplerKind::ode_exact || kind == SamplerKind::sde_exact) && !perturbed_exact) {
      // Both exact maps send a deviation (dm, dS) at T_f to (G dm, G^2 dS) at the stopping time t_s:
      //   ODE flow map x -> m_out + sqrt(v_out / v_end)(x - m_end):       G = sqrt(v_out / v_end)
      //   SDE kernel Q_{t_s|T_f}(.|x) = N(m_out + a v_out / v_end (x - m_end), .), a = mu(T_f)/mu(t_s):
      //                                                                   G = a v_out / v_end
      const Real G = kind == SamplerKind::ode_exact ? Real(sqrt(v_out / v_end)) : Real(end.mu / out.mu * v_out / v_end);
      dm = G * dm_end;
      dS = G * G * dS_end;
    } else if (perturbed_exact) {
      // the continuous reverse SDE with the affine score -K x + k stays linear: in reverse time
      // m' = (alpha - beta K) m + beta k, v' = 2 (alpha - beta K) v + beta (docs/math.md#vp-sde-general),
      // alpha - beta K = beta (1/(2 s2) - K), K = gain / v, k = the score's offset.
      // RK4 on the grid refined M and 2M times; the Richardson difference is the stated error.
      // forward values on the finest RK4 grid's half steps, t_i = T_f - i (T_f - t_s)/(2 M), shared by both
      // resolutions (the coarse one uses every other node); computed once for all directions
      auto rhs = [&](const ForwardNode<Real>& n, const Real& m, const Real& v, Real& dm_out, Real& dv_out) {
        const Real a = n.beta * (half / s2 - gain / var(n));
        dm_out = a * m + n.beta * score_offset(n);
        dv_out = 2 * a * v + n.beta;
      };
      auto integrate = [&](long stride, Real& m, Real& v) {  // stride 1: the fine grid (2 M), 2: the coarse
        m = m_end + dm_end;
        v = v_end + dS_end;
        const long M = static_cast<long>(ode_nodes.size() - 1) / (2 * stride);
        const Real k = (vp.horizon - r.s_out) / Real(M);
        for (long i = 0; i < M; ++i) {  // reverse time: t decreases by k
          throw_if_cancelled();  // numerics/cancellation.hpp: once per step
          const auto& n0 = ode_nodes[2 * stride * i];
          const auto& nh = ode_nodes[2 * stride * i + stride];
          const auto& n1 = ode_nodes[2 * stride * (i + 1)];
          Real a1, b1, a2, b2, a3, b3, a4, b4;
          rhs(n0, m, v, a1, b1);
          rhs(nh, Real(m + k / 2 * a1), Real(v + k / 2 * b1), a2, b2);
          rhs(nh, Real(m + k / 2 * a2), Real(v + k / 2 * b2), a3, b3);
          rhs(n1, Real(m + k * a3), Real(v + k * b3), a4, b4);
          m += k / 6 * (a1 + 2 * a2 + 2 * a3 + a4);
          v += k / 6 * (b1 + 2 * b2 + 2 * b3 + b4);
        }
      };
      Real m1, v1, m2, v2;
      integrate(2, m1, v1);  // 8 RK4 steps per grid step
      integrate(1, m2, v2);  // 16
      dm = m2 - m_out;
      dS = v2 - v_out;
      const Real kl1 = gaussian_kl_from_deviation(v_out, Real(v1 - v_out), Real(m1 - m_out));
      const Real kl2 = gaussian_kl_from_deviation(v_out, dS, dm);
      r.moment_ode_error += mult * abs(Real(kl2 - kl1)) / 15;  // RK4: error of the finer ~ difference / (2^4 - 1)
    } else {
      // the law N(mY, SY) of the discretization, stepped from t_j to t_{j-1}: y -> A y + c (+ noise n)
      Real mY = m_end + dm_end, SY = v_end + dS_end;
      // probability-flow velocity f(t, x) = -1/2 beta (x/s2 + score) = p x + q (integrated backward in t)
      auto velocity = [&](const ForwardNode<Real>& n, const Affine<Real>& x) {
        const Real p = -half * n.beta * relative_slope(n);
        const Real q = -half * n.beta * score_offset(n);
        return Affine<Real>{p * x.a, p * x.b + q};
      };
      auto axpy = [](const Affine<Real>& x, const Real& c, const Affine<Real>& k) {
        return Affine<Real>{x.a + c * k.a, x.b + c * k.b};
      };
      const Affine<Real> start{one, Real(0)};
      for (long j = N; j > j0; --j) {
        const auto& hi = node[j];
        Real A, c, n(0);
        switch (kind) {
          case SamplerKind::sde_em:
          case SamplerKind::sde_em_end: {
            // reverse time: dY = [alpha Y + beta score] dr + sqrt(beta) dW, alpha = beta / (2 s2);
            // coefficients frozen at the step's start t_j (sde-em) or end t_{j-1} (sde-em-end)
            const auto& at = kind == SamplerKind::sde_em ? hi : node[j - 1];
            const Real hb = h * at.beta;
            A = one + hb * (half / s2 - gain / var(at));
            c = hb * score_offset(at);
            n = hb;
            break;
          }
          case SamplerKind::sde_ei: {
            // linear drift exact, full score frozen at t_j: Y' = e^d Y + J1 score(Y) + sqrt(J2) Z with
            // J1 = 2 s2 expm1(d), J2 = s2 expm1(2 d), d = A(t_j) - A(t_{j-1})
            const auto& e = step_exp[j];
            const Real J1 = 2 * s2 * e.expm1_d;
            A = e.exp_d - J1 * gain / var(hi);
            c = J1 * score_offset(hi);
            n = s2 * e.expm1_2d;
            break;
          }
          case SamplerKind::sde_ei_relative: {
            // linear part -alpha Y exact, relative score r = score + Y/s2 frozen at t_j:
            // Y' = e^{-d} Y + 2 s2 (1 - e^{-d}) r(Y) + sqrt(s2 (1 - e^{-2d})) Z; r(y) = slope y + offset
            const auto& e = step_exp[j];
            const Real J1 = -2 * s2 * e.expm1_md;
            A = e.exp_md + J1 * relative_slope(hi);
            c = J1 * score_offset(hi);
            n = -s2 * e.expm1_m2d;
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
    // the reference law: Q_{t_s} = N(m_out, v_out), or Q_0 = N(m, lambda) with
    // m_out - m = expm1(-A) m and v_out - lambda = -expm1(-2A)(s2 - lambda) = sigma^2 (1 - lambda/s2)
    Real ref_v = v_out, ref_dm = dm, ref_dS = dS;
    if (to_data) {
      const Real A_out = vp.A(r.s_out);
      ref_v = lam;
      ref_dm = dm + expm1(-A_out) * mu;
      ref_dS = dS - out.sig2 * lam_ms / s2;
    }
    r.kl += mult * gaussian_kl_from_deviation(ref_v, ref_dS, ref_dm);
    w2sq += mult * w2_squared_from_deviation(ref_v, ref_dS, ref_dm);
    log_bc += mult * log_bhattacharyya_from_deviation(ref_v, ref_dS, ref_dm);

    if (r.has_girsanov) {
      // int_{t_{j-1}}^{t_j} 1/2 beta E(score_t(X_t) - score_{t_j}(X_{t_j}))^2 dt: in the units of
      // X / sigma_inf (a VP SDE with sigma_inf = 1, beta / s2) it is, with U' = 2 d, v' = v / s2,
      //   1/2 [ phi(y) - rho g(U') + 4 g(-U'/2) / v' ],  phi(y) = y - log1p(y), g(x) = expm1(x) - x,
      //   rho = mu_j^2 (lambda - s2) / v_j, y = rho expm1(U')   (docs/derivations.md, docs/math.md#vp-sde-general)
      Real G(0);
      for (long j = N; j > j0; --j) {
        const Real v = var(node[j]);
        const Real rho = node[j].mu2 * lam_ms / v;
        const auto& e = step_exp[j];
        const Real y = rho * e.expm1_2d;
        G += (u_minus_log1p(y) - rho * e.g_2d + 4 * s2 * e.g_md / v) / 2;
        // score error: constant e adds e^2 U/2; scale eps adds s2 (eps^2 d + 2 eps g(-d)) / v_j
        if (scaled_error) G += s2 * (eps_scale * eps_scale * U[j] / (2 * s2) + 2 * eps_scale * e.g_md) / v;
        else G += shift * shift * U[j] / 2;
      }
      r.girsanov += mult * G;
    }
  }
  r.kl = max_of(r.kl, Real(0));  // KL >= 0: clipping an enclosure at 0 keeps it valid
  r.w2 = sqrt(max_of(w2sq, Real(0)));
  r.w2_q0_stationary = sqrt(w2sq_q0);
  r.w2_init = sqrt(w2sq_init);
  if (r.has_girsanov) r.girsanov = max_of(r.girsanov, Real(0));
  auto tv = tv_enclosure(log_bc, r.kl);
  r.hellinger2 = tv.hellinger2;
  r.tv_lo = tv.lo;
  r.tv_hi = tv.hi;
  return r;
}

}  // namespace diffbound
