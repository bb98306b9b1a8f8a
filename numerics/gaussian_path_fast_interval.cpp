// Explicit instantiation of the fast Gaussian path for interval_real (one heavy type per translation unit).
#include "numerics/detail/gaussian_path_fast_impl.hpp"

namespace diffbound {
template GaussianPathResult<interval_real> gaussian_path_fast<interval_real>(const CaseSpec&, GaussianPathOptions);
}
