// Explicit instantiation of the continuous-time engine for double (one heavy type per translation unit).
#include "numerics/detail/continuous_time_impl.hpp"

namespace diffbound {
template ContinuousTimeResult<double> continuous_time_path<double>(const CaseSpec&);
}
