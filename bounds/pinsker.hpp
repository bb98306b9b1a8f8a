// Pinsker's inequality, checked only where TV is measured by quadrature (1-D mixtures): elsewhere the
// measured TV's upper end is itself min(Le Cam, sqrt(KL/2)), and the check could not fail.
#pragma once

#include "bounds/bound.hpp"
#include "bounds/detail/formula_helpers.hpp"

namespace diffbound::bounds {

struct Pinsker {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "pinsker";
    b.citation = "Pinsker's inequality (docs/math.md#tv-enclosure)";
    b.description = "TV(Q_{t_out}, P_{t_out}) <= sqrt(KL / 2)";
    b.kind = BoundKind::rigorous;
    b.metric = Metric::TV;
    b.measured = Measured::tv;
    b.provenance = Provenance::standard;
    b.requirements = {Requirement::tv_quadrature};
    b.needs = {Variable::kl};
    b.formula = "sqrt(kl / 2)";
    return b;
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) { return detail::sqrt_nonneg(in.kl / 2); }
};

}  // namespace diffbound::bounds
