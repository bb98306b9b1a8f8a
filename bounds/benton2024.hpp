// Benton, De Bortoli, Doucet, Deligiannidis (ICLR 2024): nearly d-linear KL bounds. [shape only]
#pragma once

#include "bounds/bound.hpp"

namespace diffbound::bounds {

// KL <~ eps^2 + kappa_B^2 d N + kappa_B d tau + d e^{-2 tau}, where kappa_B is the paper's step-size
// parameter (NOT the conditioning kappa) and N the number of steps. We take kappa_B = h = tau/T and
// N = T; then d e^{-2 tau} = d abar_T.
struct Benton2024 {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "benton2024";
    b.citation = "Benton, De Bortoli, Doucet, Deligiannidis (ICLR 2024), Nearly d-linear convergence bounds for "
                 "diffusion models via stochastic localization; main KL theorem (Thm. 1, recalled)";
    b.description = "KL <~ eps^2 + h^2 d T + h d tau + d e^{-2 tau} (paper's step parameter taken as h = tau/T)";
    b.kind = BoundKind::rate;
    b.metric = Metric::KL;
    b.measured = Measured::kl;
    b.provenance = Provenance::read_secondary;
    b.requirements = {Requirement::stochastic_sampler, Requirement::gaussian_init};
    b.notes = {"the paper's kappa is a step-size parameter, taken as the mean OU step h; N = T"};
    b.needs = {Variable::eps2, Variable::h, Variable::d, Variable::T, Variable::tau};
    b.formula = b.shape = "eps2 + h^2 * d * T + h * d * tau + d * exp(-2 * tau)";
    b.swept = {SweepVariable::T, SweepVariable::d};
    return b;
  }
  template <class Real> static Real shape(const BoundInputs<Real>& in) {
    using std::exp;
    return in.eps2 + in.h * in.h * in.d * in.T + in.h * in.d * in.tau + in.d * exp(-2 * in.tau);
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) { return shape(in); }
};

}  // namespace diffbound::bounds
