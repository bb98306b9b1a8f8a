// Liang, Ju, Liang, Shroff (2024), the predecessor of the ICLR 2025 paper: regular and accelerated
// DDPM-type samplers. [shape only; rates recalled, unconfirmed]
#pragma once

#include "bounds/bound.hpp"
#include "bounds/detail/formula_helpers.hpp"

namespace diffbound::bounds {

inline constexpr const char* liang2024_citation =
    "Liang, Ju, Liang, Shroff (2024), Broadening target distributions for accelerated diffusion models "
    "via a novel analysis approach (theorem not confirmed)";

struct Liang2024Regular {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "liang2024-regular";
    b.citation = liang2024_citation;
    b.description = "regular DDPM sampler: KL <~ d^2 log^2 T / T";
    b.kind = BoundKind::rate;
    b.metric = Metric::KL;
    b.measured = Measured::kl;
    b.provenance = Provenance::shape_only;
    b.requirements = {Requirement::ddpm_sampler, Requirement::exact_score};
    b.notes = {"rate recalled, unconfirmed"};
    b.needs = {Variable::d, Variable::T};
    b.formula = b.shape = "d^2 * log(T)^2 / T";
    b.swept = {SweepVariable::T, SweepVariable::d};
    return b;
  }
  template <class Real> static Real shape(const BoundInputs<Real>& in) {
    return in.d * in.d * detail::log_pow(in.T, 2) / in.T;
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) { return shape(in); }
};

struct Liang2024Accelerated {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "liang2024-accelerated";
    b.citation = liang2024_citation;
    b.description = "accelerated stochastic sampler: KL <~ 1/T^2 in T";
    b.kind = BoundKind::rate;
    b.metric = Metric::KL;
    b.measured = Measured::kl;
    b.provenance = Provenance::shape_only;
    b.requirements = {Requirement::accelerated_sampler, Requirement::exact_score};
    b.notes = {"rate recalled, unconfirmed; speaks of T only (d and log T factors unknown)"};
    b.needs = {Variable::T};
    b.formula = b.shape = "1 / T^2";
    b.swept = {SweepVariable::T};
    return b;
  }
  template <class Real> static Real shape(const BoundInputs<Real>& in) { return Real(1) / (in.T * in.T); }
  template <class Real> static Real bound(const BoundInputs<Real>& in) { return shape(in); }
};

}  // namespace diffbound::bounds
