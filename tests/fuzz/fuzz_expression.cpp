// Fuzz target: the expression language of user-defined bounds (bounds/expression.hpp): parse, then
// evaluate in double, MPFR and interval arithmetic, once with every quantity available and once with
// the optional ones missing. Clean rejections: ExpressionError (an InputError) and BoundNotApplicable
// (a variable the case does not provide), both documented by Expression::evaluate.
#include "fuzz_target.hpp"

#include "bounds/expression.hpp"
#include "bounds/inputs.hpp"
#include "numerics/input_error.hpp"
#include "numerics/real.hpp"

namespace {

using namespace diffbound;

template <class Real> BoundInputs<Real> inputs(bool all) {
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
  in.eps2 = v("0");
  in.kl = v("0.018");
  in.girsanov = v("0.05");
  in.kl_far = v("0.015");
  in.kl_ddnm = v("0.03");
  in.has_D_T = in.has_B_T = in.has_kl = in.has_girsanov = in.has_kl_far = in.has_kl_ddnm = all;
  complete_derived(in, v("0.1"));
  return in;
}

template <class Real> void evaluate(const Expression& e, bool all) {
  try {
    (void)e.evaluate(inputs<Real>(all));
  } catch (const InputError&) {
  } catch (const BoundNotApplicable&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const Expression e = Expression::parse(fuzz::text_of(data, size), "bound[0].expr");
    const PrecisionScope precision(30);
    for (bool all : {true, false}) {
      evaluate<double>(e, all);
      evaluate<mpfr_real>(e, all);
      evaluate<interval_real>(e, all);
    }
  } catch (const InputError&) {
  }
  return 0;
}
