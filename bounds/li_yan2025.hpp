// Li & Yan (ICLR 2025): O(d/T) convergence in TV under minimal assumptions (docs/math.md#bound-li-yan2025).
// The theorem was read [read]; its posterior-variance version (their v2) only in a summary [read-secondary].
#pragma once

#include "bounds/bound.hpp"
#include "bounds/detail/formula_helpers.hpp"

namespace diffbound::bounds {

// Thm 1: for Y_{t-1} = (Y_t + (1 - alpha_t) s_t(Y_t) + sqrt(1 - alpha_t) Z) / sqrt(alpha_t) (ddpm, theory
// variance) from Y_T ~ gamma, on any schedule that meets their Lemma 7:
//   TV(Q_1, P_1) <= c d log^3 T / T + c eps sqrt(log T), c an unknown universal constant.
struct LiYan2025 {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "li-yan2025";
    b.citation = "Li & Yan (ICLR 2025), O(d/T) convergence theory for diffusion probabilistic models under "
                 "minimal assumptions, Thm 1 (schedules: their Lemma 7)";
    b.description = "ddpm with the theory variance from gamma: TV(Q_1, P_1) <= c d log^3 T / T + c eps sqrt(log T)";
    b.kind = BoundKind::rate;
    b.metric = Metric::TV;
    b.measured = Measured::tv;
    b.provenance = Provenance::read;
    // the sampler, start and metric the theorem states; the schedule test last (it builds the schedule)
    b.requirements = {Requirement::ddpm_sampler, Requirement::theory_variance, Requirement::gaussian_init,
                      Requirement::t_out_one, Requirement::li_yan_lemma7};
    b.notes = {"universal constant c unknown; the value uses c = 1", "E||X_0|| <= T^{c_M} (holds for every fixed target as T grows)"};
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

// Their v2, posterior variance (1 - alpha_t)(alpha_t - alpha_bar_t) / (1 - alpha_bar_t) / alpha_t:
//   TV(Q_1, P_1) <= c k log^3 T / T + c eps sqrt(log T), k the intrinsic dimension; k = d for a full-rank
// Gaussian, so the claim is registered for Gaussian targets only.
struct LiYan2025Posterior {
  static BoundInfo info() {
    BoundInfo b = LiYan2025::info();
    b.id = "li-yan2025-posterior";
    b.citation = "Li & Yan (ICLR 2025, arXiv v2), O(d/T) convergence theory for diffusion probabilistic models under "
                 "minimal assumptions, posterior-variance version (from a summary)";
    b.description = "ddpm with the posterior variance from gamma: TV(Q_1, P_1) <= c k log^3 T / T + c eps sqrt(log T), k = d";
    b.provenance = Provenance::read_secondary;
    b.requirements = {Requirement::ddpm_sampler, Requirement::posterior_variance, Requirement::gaussian_target,
                      Requirement::gaussian_init, Requirement::t_out_one, Requirement::li_yan_lemma7};
    b.notes = {"universal constant c unknown; the value uses c = 1", "k = d (full-rank Gaussian target)",
               "the schedule condition taken to be Lemma 7 of v1"};
    return b;
  }
  template <class Real> static Real shape(const BoundInputs<Real>& in) { return LiYan2025::shape(in); }
  template <class Real> static Real bound(const BoundInputs<Real>& in) { return LiYan2025::bound(in); }
};

}  // namespace diffbound::bounds
