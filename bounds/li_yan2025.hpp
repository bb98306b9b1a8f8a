// Li & Yan (ICLR 2025): O(d/T) convergence in TV under minimal assumptions. [shape only]
#pragma once

#include "bounds/bound.hpp"
#include "bounds/detail/formula_helpers.hpp"

namespace diffbound::bounds {

// TV(Q_1, P_1) <= c d log^3 T / T + c eps sqrt(log T), c an unknown universal constant.
struct LiYan2025 {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "li-yan2025";
    b.citation = "Li & Yan (ICLR 2025), O(d/T) convergence theory for diffusion probabilistic models under "
                 "minimal assumptions; main theorem (number not confirmed)";
    b.description = "DDPM-type sampler: TV <= c d log^3 T / T + c eps sqrt(log T)";
    b.kind = BoundKind::rate;
    b.metric = Metric::TV;
    b.measured = Measured::tv;
    b.provenance = Provenance::shape_only;
    b.requirements = {Requirement::stochastic_sampler, Requirement::gaussian_init};
    b.notes = {"universal constant c unknown; the value uses c = 1"};
    b.needs = {Variable::d, Variable::T, Variable::eps2};
    b.formula = "d * log(T)^3 / T + sqrt(eps2) * sqrt(log(T))";
    b.shape = "d * log(T)^3 / T";
    b.swept = {SweepVariable::T, SweepVariable::d};
    return b;
  }
  template <class Real> static Real shape(const BoundInputs<Real>& in) { return in.d * detail::log_pow(in.T, 3) / in.T; }
  template <class Real> static Real bound(const BoundInputs<Real>& in) {
    using std::log;
    return shape(in) + detail::sqrt_nonneg(in.eps2) * detail::sqrt_nonneg(log(in.T));
  }
};

}  // namespace diffbound::bounds
