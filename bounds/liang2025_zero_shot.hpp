// Liang, Ju, Liang, Shroff (ICLR 2025): zero-shot conditional samplers. The paper's qualitative
// claims about DDNM and its bias-optimal variant BO-DDNM, written as checks on exact numbers.
#pragma once

#include "bounds/bound.hpp"

namespace diffbound::bounds {

// With measurement noise, BO-DDNM (denominator 1 - abar_t + abar_t sigma_y^2) has a smaller bias than
// DDNM: its KL is below DDNM's on the same problem. The paper states it for large T; the check is made
// on each case it is listed for, against the same case run with the DDNM score.
struct BoDdnmBelowDdnm {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "bo-ddnm-below-ddnm";
    b.citation = "Liang, Ju, Liang, Shroff (ICLR 2025), zero-shot conditional samplers: BO-DDNM minimizes the "
                 "asymptotic bias under measurement noise";
    b.description = "sigma_y > 0: KL(BO-DDNM) <= KL(DDNM) on the same problem and T";
    b.kind = BoundKind::rigorous;
    b.metric = Metric::KL;
    b.measured = Measured::kl;
    b.provenance = Provenance::paper;
    b.requirements = {Requirement::ddpm_sampler, Requirement::zero_shot_bo_noisy};
    b.notes = {"the paper claims it for large T; the suite lists the check on its large-T cases"};
    b.needs = {Variable::kl_ddnm};
    b.formula = "kl_ddnm";
    return b;
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) { return in.kl_ddnm; }
};

// DDNM's KL does not vanish as T grows (an asymptotic bias): evidence by the same case at 100 T,
// whose KL must be at least half of KL_T, i.e. KL_T <= 2 KL_{100T}. A KL that decays to zero at any
// rate faster than T^{-0.15} fails it. Evidence of a positive limit, not a proof of one.
struct DdnmPersistentBias {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "ddnm-persistent-bias";
    b.citation = "Liang, Ju, Liang, Shroff (ICLR 2025), zero-shot conditional samplers: DDNM's KL does not "
                 "converge to zero as T grows";
    b.description = "DDNM: KL_T <= 2 KL_{100 T} (a hundred times more steps does not halve the KL)";
    b.kind = BoundKind::rigorous;
    b.metric = Metric::KL;
    b.measured = Measured::kl;
    b.provenance = Provenance::paper;
    b.requirements = {Requirement::ddpm_sampler, Requirement::zero_shot_ddnm};
    b.notes = {"evidence of a positive limit (the KL plateaus), not a proof of one"};
    b.needs = {Variable::kl_far};
    b.formula = "2 * kl_far";
    return b;
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) { return 2 * in.kl_far; }
};

}  // namespace diffbound::bounds
