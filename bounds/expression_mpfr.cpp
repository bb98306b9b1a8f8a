// Expression evaluation instantiated for mpfr_real (one number type per file: they compile in parallel).
#include "bounds/detail/expression_eval.hpp"

namespace diffbound {
template mpfr_real Expression::evaluate<mpfr_real>(const BoundInputs<mpfr_real>&) const;
}  // namespace diffbound
