// Explicit instantiation of the continuous-time engine for mpfr_real (one heavy type per translation unit).
#include "numerics/detail/continuous_time_impl.hpp"

namespace diffbound {
template ContinuousTimeResult<mpfr_real> continuous_time_path<mpfr_real>(const CaseSpec&);
}
