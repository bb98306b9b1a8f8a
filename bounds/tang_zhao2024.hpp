// Tang & Zhao (2024), "Contractive diffusion probabilistic models", Thm 1
// (docs/math.md#bound-tang-zhao2024-contractive). [read-secondary]
#pragma once

#include "bounds/bound.hpp"
#include "bounds/detail/vp_bound_info.hpp"
#include "bounds/detail/formula_helpers.hpp"

#include <cmath>

namespace diffbound::bounds {

// W2(Q_0, output) <= sqrt(eta^2 e^{u(T_f)} + (eps^2/(2h)) int_0^{T_f} beta(t) e^{u(T_f) - u(T_f - t)} dt) for any h > 0,
// eta = W2(Q_{T_f}, nu), u(t) = int_{T_f - t}^{T_f} (beta/s2 + (2L + 2h) beta), L = max(1/s2, 1/lambda_min) for Gaussians.
// With k = 1/s2 + 2L + 2h: u(T_f) = k B(T_f) and the integral is expm1(k B(T_f))/k. eps = 0: h -> 0 gives
// eta exp(B(T_f)(1/(2 s2) + L)); eps > 0: every h gives a valid bound, h is chosen by minimizing in double and the
// bound evaluated at that h in the working type.
struct TangZhao2024Contractive {
  static BoundInfo info() {
    BoundInfo b = detail::reverse_sde_w2_info("tang-zhao2024-contractive", Provenance::read_secondary);
    b.citation = "Tang & Zhao (2024), Contractive diffusion probabilistic models, Thm 1 "
                 "(docs/math.md#bound-tang-zhao2024-contractive)";
    b.description = "continuous-time reverse SDE: W2 <= sqrt(eta^2 e^u + eps^2/(2h) int beta e^{u(T_f)-u(T_f-t)} dt)";
    b.notes = {"L = max(1/sigma_inf^2, 1/lambda_min); very loose: a sanity check"};
    b.needs = {Variable::eps2, Variable::lambda_min};
    b.formula = "sqrt(eta^2 e^{k B} + eps2 expm1(k B) / (2 h k)), k = 1/sigma_inf^2 + 2 L + 2 h";
    return b;
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) {
    using std::exp; using std::expm1; using std::sqrt;
    if (!in.has_vp) throw BoundNotApplicable("tang-zhao2024-contractive needs the VP SDE of a continuous-time case");
    const Real s2 = in.vp.sigma_inf2;
    const Real L = max_of(Real(1 / s2), Real(1 / in.lambda_min));
    const Real Bf = in.vp.B(in.vp.horizon);
    if (!certainly_positive(in.eps2) && !(upper_double(in.eps2) > 0)) return in.w2_init * exp(Bf * (1 / (2 * s2) + L));
    const double h = best_h(mid_double(in.w2_init), mid_double(in.eps2), mid_double(Real(1 / s2 + 2 * L)), mid_double(Bf));
    const Real k = 1 / s2 + 2 * L + 2 * Real(h);
    return sqrt(in.w2_init * in.w2_init * exp(k * Bf) + in.eps2 * expm1(k * Bf) / (2 * Real(h) * k));
  }
  // log of the squared bound at h, in double (only picks h; the bound is evaluated at it in the working type)
  static double log_square(double h, double eta, double eps2, double k0, double B) {
    const double k = k0 + 2 * h;
    const double a = 2 * std::log(std::max(eta, 1e-300)) + k * B;
    const double b = std::log(eps2) + std::log(-std::expm1(-k * B)) + k * B - std::log(2 * h * k);
    const double m = std::max(a, b);
    return m + std::log1p(std::exp(-std::abs(a - b)));
  }
  static double best_h(double eta, double eps2, double k0, double B) {
    double best = 1, best_value = log_square(1, eta, eps2, k0, B);
    for (int i = -400; i <= 200; ++i) {  // log10 h from -20 to 10
      const double h = std::pow(10.0, i / 20.0), v = log_square(h, eta, eps2, k0, B);
      if (v < best_value) { best_value = v; best = h; }
    }
    return best;
  }
};

}  // namespace diffbound::bounds
