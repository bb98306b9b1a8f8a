// Continuous-time references (MATH §2.3): exact reverse SDE and exact probability-flow ODE, both with
// the exact score and started from gamma. They anchor the discrete samplers for Gaussian targets.
#pragma once

#include "bounds/bound.hpp"

namespace diffbound::bounds {

// The exact reverse SDE maps Q_end to Q_0; started from gamma instead, data processing gives
// KL(Q_0 || output) <= KL(Q_end || gamma) = E_T.
struct SdeDataProcessing {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "sde-data-processing";
    b.citation = "data-processing inequality for the exact reverse SDE (MATH.md §2.3)";
    b.description = "continuous-time reverse SDE from gamma: KL(Q_0 || output) <= KL(Q_end || gamma)";
    b.kind = BoundKind::rigorous;
    b.metric = Metric::KL;
    b.measured = Measured::kl;
    b.provenance = Provenance::standard;
    b.requirements = {Requirement::continuous_reverse_sde, Requirement::exact_score, Requirement::gaussian_init,
                      Requirement::gaussian_target};
    b.needs = {Variable::E_T};
    b.formula = "E_T";
    return b;
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) { return in.E_T; }
};

// The exact probability-flow map is a bijection pushing Q_end to Q_0, and KL is invariant under
// bijections: KL(Q_0 || output) = KL(Q_end || gamma) exactly. Relation::identity.
struct PfOdeIdentity {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "pf-ode-identity";
    b.citation = "invariance of KL under the probability-flow bijection (MATH.md §2.3)";
    b.description = "continuous-time probability-flow ODE from gamma: KL(Q_0 || output) = KL(Q_end || gamma)";
    b.kind = BoundKind::rigorous;
    b.metric = Metric::KL;
    b.measured = Measured::kl;
    b.provenance = Provenance::standard;
    b.relation = Relation::identity;
    b.requirements = {Requirement::continuous_pf_ode, Requirement::exact_score, Requirement::gaussian_init,
                      Requirement::gaussian_target};
    b.needs = {Variable::E_T};
    b.formula = "E_T";
    return b;
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) { return in.E_T; }
};

}  // namespace diffbound::bounds
