// Chen, Chewi, Li, Li, Salim, Zhang (ICLR 2023): TV for the discretized reverse SDE with L-Lipschitz
// scores. [shape only]
#pragma once

#include "bounds/bound.hpp"
#include "bounds/detail/formula_helpers.hpp"

namespace diffbound::bounds {

// TV <~ sqrt(KL(Q_0 || gamma)) e^{-tau} + (L sqrt(d h) + L m_2 h) sqrt(tau) + eps sqrt(tau), in OU time
// tau with step h. m_2 = sqrt(E||X_0||^2) = sqrt(m2); h = tau/T, L = max(1, 1/lambda_min)
// (bounds/inputs.hpp). Every term is part of the claim, so the shape is the whole right-hand side.
struct Chen2023 {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "chen2023";
    b.citation = "Chen, Chewi, Li, Li, Salim, Zhang (ICLR 2023), Sampling is as easy as learning the score: "
                 "theory for diffusion models with minimal data assumptions; main TV theorem (Thm. 2, recalled)";
    b.description = "reverse SDE, step h in OU time: TV <~ sqrt(KL(Q_0||gamma)) e^-tau + (L sqrt(dh) + L m_2 h) sqrt(tau) + eps sqrt(tau)";
    b.kind = BoundKind::rate;
    b.metric = Metric::TV;
    b.measured = Measured::tv;
    b.provenance = Provenance::read_secondary;
    b.requirements = {Requirement::stochastic_sampler, Requirement::gaussian_init};
    b.notes = {"their sampler is the exponential integrator with uniform steps; the discrete chain's mean OU step "
               "h = tau/T stands in", "L = max(1, 1/lambda_min) for Gaussian targets; m_2 = sqrt(m2)"};
    b.needs = {Variable::kl_q0_gamma, Variable::tau, Variable::L, Variable::d, Variable::h, Variable::m2, Variable::eps2};
    b.formula = b.shape =
        "sqrt(kl_q0_gamma) * exp(-tau) + (L * sqrt(d * h) + L * sqrt(m2) * h) * sqrt(tau) + sqrt(eps2) * sqrt(tau)";
    b.swept = {SweepVariable::T, SweepVariable::d, SweepVariable::kappa};
    return b;
  }
  template <class Real> static Real shape(const BoundInputs<Real>& in) {
    using std::exp;
    using detail::sqrt_nonneg;
    Real sqrt_tau = sqrt_nonneg(in.tau);
    return sqrt_nonneg(in.kl_q0_gamma) * exp(-in.tau) +
           (in.L * sqrt_nonneg(in.d * in.h) + in.L * sqrt_nonneg(in.m2) * in.h) * sqrt_tau +
           sqrt_nonneg(in.eps2) * sqrt_tau;
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) { return shape(in); }
};

}  // namespace diffbound::bounds
