// Expression evaluation instantiated for interval_real (one number type per file: they compile in parallel).
#include "bounds/detail/expression_eval.hpp"

namespace diffbound {
template interval_real Expression::evaluate<interval_real>(const BoundInputs<interval_real>&) const;
}  // namespace diffbound
