// Strasman, Ocello, Boyer, Le Corff & Lemaire (TMLR 2025), "An analysis of the noise schedule for score-based
// generative models": the KL theorem and the Gaussian branch of the W2 theorem, as the authors' public code
// computes them (docs/math.md#bound-strasman2024). [authors' code]
#pragma once

#include "bounds/bound.hpp"
#include "bounds/detail/vp_bound_info.hpp"
#include "bounds/detail/formula_helpers.hpp"
#include "bounds/detail/vp_integrals.hpp"

namespace diffbound::bounds {

// KL(Q_0 || output) <= E1 + E2 + E3 for N steps of size h = T_f/N:
//   E1 = KL(Q_0 || N(0, s2 I)) e^{-2 A(T_f)},
//   E2 = sum_k [B(T_f - kh) - B(T_f - (k+1)h)] b(T_f - kh) = eps^2 B(T_f) for a constant b,
//   E3 = 2 h beta(T_f) max{h beta(T_f)/(4 s2), 1} I(Q_0 | N(0, s2 I)).
struct Strasman2024Kl {
  static BoundInfo info() {
    BoundInfo b = detail::strasman_info("strasman2024-kl", Metric::KL, Measured::kl);
    b.citation = "Strasman, Ocello, Boyer, Le Corff & Lemaire (TMLR 2025), An analysis of the noise schedule for "
                 "score-based generative models, KL theorem as the authors' code computes it "
                 "(docs/math.md#bound-strasman2024)";
    b.description = "VP SDE schemes: KL <= KL(Q_0 || N(0, s2)) e^{-2A(T_f)} + eps^2 B(T_f) + 2 h beta(T_f) max{h beta/(4 s2), 1} I(Q_0 | N(0, s2))";
    b.notes = {"the code pairs it with sde-em-end and sde-ei; which scheme the theorem covers is not known",
               "theorem text not read: assumptions may be narrower than the code suggests"};
    b.needs = {Variable::T, Variable::eps2, Variable::fisher_rel};
    b.formula = "E1 + E2 + E3";
    return b;
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) {
    using std::exp;
    if (!in.has_vp) throw BoundNotApplicable("strasman2024-kl needs the VP SDE of a continuous-time case");
    const auto& vp = in.vp;
    const Real h = vp.horizon / in.T;
    const Real hb = h * vp.beta(vp.horizon);
    const Real E1 = in.kl_q0_stationary * exp(Real(-2 * vp.A(vp.horizon)));
    const Real E2 = in.eps2 * vp.B(vp.horizon);
    const Real E3 = 2 * hb * max_of(Real(hb / (4 * vp.sigma_inf2)), Real(1)) * in.fisher_rel;
    return E1 + E2 + E3;
  }
};

// W2(Q_0, output) <= M + sum_k I_k (M2 + 2 I_k) Bbar + epsbar T_f beta(T_f) + lbar h T_f beta(T_f) (1 + 2 Bbar), T_f = 1,
// with every term as docs/math.md#bound-strasman2024 states it; the code's two 100-point trapezoids (the
// integrals in M and I_k) are replaced by their closed forms (bounds/detail/vp_integrals.hpp).
struct Strasman2024W2 {
  static BoundInfo info() {
    BoundInfo b = detail::strasman_info("strasman2024-w2", Metric::W2, Measured::w2);
    b.citation = "Strasman, Ocello, Boyer, Le Corff & Lemaire (TMLR 2025), An analysis of the noise schedule for "
                 "score-based generative models, W2 theorem, Gaussian branch of the authors' code "
                 "(docs/math.md#bound-strasman2024)";
    b.description = "VP SDE schemes, T_f = 1: W2 <= M + sum_k I_k (M2 + 2 I_k) Bbar + epsbar beta(T_f) + lbar h beta(T_f) (1 + 2 Bbar)";
    b.requirements.push_back(Requirement::unit_horizon);
    b.notes = {"integrals computed exactly where the code uses 100-point trapezoids",
               "L_t < 0 where lambda_min mu_t^2 > sigma_inf^2: the coded bound can fall below the exact W2"};
    b.needs = {Variable::T, Variable::d, Variable::m2, Variable::eps2, Variable::lambda_min, Variable::lambda_max};
    b.formula = "M + sum_k I_k (M2 + 2 I_k) Bbar + epsbar T_f beta(T_f) + lbar h T_f beta(T_f) (1 + 2 Bbar)";
    return b;
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) {
    using std::abs; using std::exp; using std::sqrt;
    if (!in.has_vp) throw BoundNotApplicable("strasman2024-w2 needs the VP SDE of a continuous-time case");
    const auto& vp = in.vp;
    const Real& s2 = vp.sigma_inf2;
    const long N = static_cast<long>(std::llround(mid_double(in.T)));
    const Real h = vp.horizon / Real(N);
    const Real beta_f = vp.beta(vp.horizon);
    const Real M = in.w2_q0_stationary * exp(Real(-2 * vp.A(vp.horizon))) *
                   exp(Real(-detail::strasman_contraction_integral(vp, in.lambda_max)));
    const Real M2 = sqrt(Real(2 * h * beta_f)) / vp.sigma_inf + h * beta_f / (2 * s2);
    const Real Bbar = sqrt(Real(in.m2 + s2 * in.d));
    const Real mean_norm = detail::sqrt_nonneg(in.mean_norm2);
    const Real gap = in.lambda_min - s2;
    Real sum(0), lbar(0);
    for (long k = 0; k < N; ++k) {
      // I_k over [T_f - (k+1) h, T_f - k h], the grid points written as multiples of h so the last one is 0
      const Real Ik = detail::strasman_lipschitz_integral(vp, in.lambda_min, Real(h * Real(N - k - 1)), Real(h * Real(N - k)));
      sum += Ik * (M2 + 2 * Ik) * Bbar;
      // forward times t_k = k h, as the code has them
      const Real tk = h * Real(k), tk1 = h * Real(k + 1);
      const Real mu_k = vp.mu(tk), mu_k1 = vp.mu(tk1);
      const Real Dk = abs(Real((s2 + mu_k * mu_k * gap) * (s2 + mu_k1 * mu_k1 * gap)));
      const Real b1 = vp.beta(tk1);
      const Real kappa1 = (b1 / s2) * mu_k * mu_k * abs(gap) / Dk;
      const Real kappa2 = mean_norm * (b1 / (2 * s2)) * mu_k * abs(Real(mu_k * mu_k1 * gap - s2)) / Dk;
      lbar = max_of(lbar, max_of(kappa1, kappa2));
    }
    const Real epsbar = detail::sqrt_nonneg(in.eps2);
    return M + sum + epsbar * vp.horizon * beta_f + lbar * h * vp.horizon * beta_f * (1 + 2 * Bbar);
  }
};

}  // namespace diffbound::bounds
