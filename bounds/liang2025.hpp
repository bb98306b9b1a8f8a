// Liang, Ju, Liang, Shroff (ICLR 2025): score-mismatched diffusion models. [shape only]
#pragma once

#include "bounds/bound.hpp"
#include "bounds/detail/formula_helpers.hpp"

namespace diffbound::bounds {

// KL(Q_1 || P_1) <~ (vanishing term in d, T) + (accumulated mismatch). The accumulated mismatch is
// taken to be B_T (docs/math.md#path-decomposition); the vanishing term's shape d^2 log^2 T / T is recalled, unconfirmed.
struct Liang2025ScoreMismatch {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "liang2025-score-mismatch";
    b.citation = "Liang, Ju, Liang, Shroff (ICLR 2025), Theory on score-mismatched diffusion models and "
                 "zero-shot conditional samplers; main theorem (number not confirmed)";
    b.description = "mismatched score: KL <~ d^2 log^2 T / T + accumulated mismatch B_T";
    b.kind = BoundKind::rate;
    b.metric = Metric::KL;
    b.measured = Measured::kl;
    b.provenance = Provenance::shape_only;
    b.requirements = {Requirement::ddpm_sampler, Requirement::gaussian_init};
    b.notes = {"vanishing-term shape d^2 log^2 T / T recalled, unconfirmed",
               "accumulated mismatch taken to be B_T of docs/math.md#path-decomposition",
               "checks: KL_T - KL_inf decays at least as fast as the shape; KL_inf <= C B_inf with C bounded "
               "across mismatches"};
    b.needs = {Variable::d, Variable::T, Variable::B_T};
    b.formula = "d^2 * log(T)^2 / T + B_T";
    b.shape = "d^2 * log(T)^2 / T";
    b.swept = {SweepVariable::T, SweepVariable::d};
    b.minus_limit = true;  // under mismatch KL_T -> KL_inf > 0: the shape is that of KL_T - KL_inf
    return b;
  }
  template <class Real> static Real shape(const BoundInputs<Real>& in) {
    return in.d * in.d * detail::log_pow(in.T, 2) / in.T;
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) { return shape(in) + in.B_T; }
};

}  // namespace diffbound::bounds
