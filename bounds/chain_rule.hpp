// Rigorous bounds from the path (chain-rule) decomposition and the forward contraction (docs/math.md#path-decomposition).
#pragma once

#include "bounds/bound.hpp"

namespace diffbound::bounds {

// KL(Q_{t_out} || P_{t_out}) <= E_T + D_T + B_T: the path KL equals the sum exactly, and the marginal
// at t_out can only lose information (data processing).
struct ChainRule {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "chain-rule";
    b.citation = "path (chain-rule) decomposition of the reverse-chain KL + data processing (docs/math.md#path-decomposition)";
    b.description = "sampler KL at t_out is at most initialization + discretization + accumulated score mismatch";
    b.kind = BoundKind::rigorous;
    b.metric = Metric::KL;
    b.measured = Measured::kl;
    b.provenance = Provenance::standard;
    b.requirements = {Requirement::ddpm_sampler};
    b.needs = {Variable::E_T, Variable::D_T, Variable::B_T};
    b.formula = "E_T + D_T + B_T";
    return b;
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) { return in.E_T + in.D_T + in.B_T; }
};

// E_T = KL(Q_T || gamma) <= abar_T KL(Q_0 || gamma): the OU semigroup contracts KL at rate e^{-2 tau}
// because gamma satisfies a log-Sobolev inequality with constant 1 (Bakry-Emery).
struct ForwardContraction {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "forward-contraction";
    b.citation = "Bakry-Emery: log-Sobolev inequality of gamma, exponential KL contraction of the OU process (docs/math.md#path-decomposition)";
    b.description = "initialization error E_T is at most abar_T times KL(Q_0 || gamma)";
    b.kind = BoundKind::rigorous;
    b.metric = Metric::KL;
    b.measured = Measured::E_T;
    b.provenance = Provenance::standard;
    b.needs = {Variable::abar_T, Variable::kl_q0_gamma};
    b.formula = "abar_T * kl_q0_gamma";
    return b;
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) { return in.abar_T * in.kl_q0_gamma; }
};

}  // namespace diffbound::bounds
