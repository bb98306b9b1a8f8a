// Explicit instantiation of the continuous-time engine for interval_real (one heavy type per translation unit).
#include "numerics/detail/continuous_time_impl.hpp"

namespace diffbound {
template ContinuousTimeResult<interval_real> continuous_time_path<interval_real>(const CaseSpec&);
}
