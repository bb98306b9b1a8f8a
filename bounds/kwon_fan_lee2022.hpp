// Kwon, Fan & Lee (NeurIPS 2022), "Score-based generative modeling secretly minimizes the Wasserstein
// distance", Thm 1 (docs/math.md#bound-kwon-fan-lee2022). [read-secondary]
#pragma once

#include "bounds/bound.hpp"
#include "bounds/detail/vp_bound_info.hpp"
#include "bounds/detail/formula_helpers.hpp"
#include "bounds/detail/vp_integrals.hpp"

namespace diffbound::bounds {

// For the continuous-time reverse SDE with score s started from nu at T_f:
// W2(Q_0, output) <= int_0^{T_f} beta(t) I(t) sqrt(b(t)) dt + I(T_f) W2(Q_{T_f}, nu),
// I(t) = exp int_0^t (L_f + L_s beta), L_f = beta/(2 sigma_inf^2), L_s the one-sided Lipschitz constant of the
// score used: -1/lambda_max(Sigma_r) for the exact Gaussian score and for one shifted by a constant (same
// Jacobian). Both integrals in closed form (bounds/detail/vp_integrals.hpp); b = eps^2 is constant here.
struct KwonFanLee2022 {
  static BoundInfo info() {
    BoundInfo b = detail::reverse_sde_w2_info("kwon-fan-lee2022", Provenance::read_secondary);
    b.citation = "Kwon, Fan & Lee (NeurIPS 2022), Score-based generative modeling secretly minimizes the Wasserstein "
                 "distance, Thm 1 (docs/math.md#bound-kwon-fan-lee2022)";
    b.description = "continuous-time reverse SDE: W2 <= int beta I sqrt(b) dt + I(T_f) W2(Q_T_f, nu)";
    b.notes = {"assumptions from the authors' poster, constant checked against their notebook (read-secondary)",
               "I(t) = lambda_max mu(t) / v_lambda_max(t) in closed form; b(t) = eps^2"};
    b.needs = {Variable::eps2, Variable::lambda_max};
    b.formula = "sqrt(eps2) * int_0^T_f beta I dt + I(T_f) * W2(Q_T_f, nu)";
    return b;
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) {
    if (!in.has_vp) throw BoundNotApplicable("kwon-fan-lee2022 needs the VP SDE of a continuous-time case");
    const Real growth = detail::kwon_growth(in.vp, in.lambda_max, in.vp.horizon);
    return detail::sqrt_nonneg(in.eps2) * detail::kwon_weight_integral(in.vp, in.lambda_max) + growth * in.w2_init;
  }
};

}  // namespace diffbound::bounds
