// Fuzz target: the expression language of user-defined bounds (bounds/expression.hpp): parse, then
// evaluate in double, MPFR and interval arithmetic, once with every quantity available and once with
// the optional ones missing. Clean rejections: ExpressionError (an InputError) and BoundNotApplicable
// (a variable the case does not provide), both documented by Expression::evaluate.
#include "fuzz_target.hpp"

#include "bounds/expression.hpp"
#include "bounds/inputs.hpp"
#include "numerics/input_error.hpp"
#include "numerics/real.hpp"
#include "tests/bounds/sample_inputs.hpp"

namespace {

using namespace diffbound;

// The bound tests' sample case; without `all`, every optional variable is marked missing (its row's flag).
template <class Real> BoundInputs<Real> inputs(bool all) {
  BoundInputs<Real> in = test::sample_inputs<Real>();
  if (!all)
    for (const auto& row : variable_rows<Real>())
      if (row.present) in.*(row.present) = false;
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
