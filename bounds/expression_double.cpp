// Expression evaluation instantiated for double (one number type per file: they compile in parallel).
#include "bounds/detail/expression_eval.hpp"

namespace diffbound {
template double Expression::evaluate<double>(const BoundInputs<double>&) const;
}  // namespace diffbound
