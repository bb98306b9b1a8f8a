// Li, Wei, Chen, Chi (ICLR 2024): non-asymptotic TV rates for stochastic (DDPM-type) and
// deterministic (ODE-type) samplers. [shape only; powers of d and log T unconfirmed, so the claims
// speak of T only]
#pragma once

#include "bounds/bound.hpp"

namespace diffbound::bounds {

inline constexpr const char* li_wei_chen_chi2024_citation =
    "Li, Wei, Chen, Chi (ICLR 2024), Towards non-asymptotic convergence for diffusion-based generative "
    "models (theorem numbers not confirmed)";

struct LiWeiChenChi2024Ddpm {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "li-wei-chen-chi2024-ddpm";
    b.citation = li_wei_chen_chi2024_citation;
    b.description = "DDPM-type stochastic sampler: TV <~ 1/sqrt(T)";
    b.kind = BoundKind::rate;
    b.metric = Metric::TV;
    b.measured = Measured::tv;
    b.provenance = Provenance::read_secondary;
    b.requirements = {Requirement::stochastic_sampler};
    b.notes = {"powers of d and log T unconfirmed: the claim speaks of T only"};
    b.needs = {Variable::T};
    b.formula = b.shape = "1 / sqrt(T)";
    b.swept = {SweepVariable::T};
    return b;
  }
  template <class Real> static Real shape(const BoundInputs<Real>& in) {
    using std::sqrt;
    return Real(1) / sqrt(in.T);
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) { return shape(in); }
};

struct LiWeiChenChi2024Ode {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "li-wei-chen-chi2024-ode";
    b.citation = li_wei_chen_chi2024_citation;
    b.description = "ODE-type deterministic sampler: TV <~ 1/T";
    b.kind = BoundKind::rate;
    b.metric = Metric::TV;
    b.measured = Measured::tv;
    b.provenance = Provenance::read_secondary;
    b.requirements = {Requirement::deterministic_sampler};
    b.notes = {"powers of d and log T unconfirmed: the claim speaks of T only"};
    b.needs = {Variable::T};
    b.formula = b.shape = "1 / T";
    b.swept = {SweepVariable::T};
    return b;
  }
  template <class Real> static Real shape(const BoundInputs<Real>& in) { return Real(1) / in.T; }
  template <class Real> static Real bound(const BoundInputs<Real>& in) { return shape(in); }
};

}  // namespace diffbound::bounds
