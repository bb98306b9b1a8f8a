// The case every bound test evaluates on: round decimal inputs, all quantities available.
// Reference values (tests/bounds/test_bound_formulas.cpp) were computed with mpmath at 40 digits from
// the formulas of docs/math.md#bounds (script in the comment there).
#pragma once

#include "bounds/inputs.hpp"

namespace diffbound::test {

template <class Real> BoundInputs<Real> sample_inputs() {
  BoundInputs<Real> in;
  auto v = [](const char* s) { return from_decimal<Real>(s); };
  in.d = v("4");
  in.T = v("100");
  in.kappa = v("10");
  in.t_out = v("1");
  in.abar_T = v("0.01");
  in.E_T = v("0.02");
  in.D_T = v("0.003");
  in.B_T = v("0.0004");
  in.kl_q0_gamma = v("2");
  in.m2 = v("5");
  in.eps2 = v("0.09");
  in.kl = v("0.018");
  in.girsanov = v("0.05");
  in.kl_far = v("0.015");
  in.kl_ddnm = v("0.03");
  in.w2 = v("0.07");
  in.sigma_inf = v("1.5");
  in.horizon = v("2");
  in.fisher_rel = v("3.5");
  in.beta_int = v("10.1");
  in.has_w2 = in.has_horizon = in.has_fisher_rel = true;
  in.has_D_T = in.has_B_T = in.has_kl = in.has_girsanov = in.has_kl_far = in.has_kl_ddnm = true;
  in.lambda_min = v("0.1");
  in.lambda_max = v("1");
  complete_derived(in, v("0.1"));  // lambda_min = 0.1 -> L = 10; tau = log 10; h = tau / 100
  return in;
}

}  // namespace diffbound::test
