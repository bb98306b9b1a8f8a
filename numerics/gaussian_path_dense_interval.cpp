// Explicit instantiation of the dense Gaussian path for interval_real (one heavy type per translation unit).
#include "numerics/detail/gaussian_path_dense_impl.hpp"

namespace diffbound {
template GaussianPathResult<interval_real> gaussian_path_dense<interval_real>(const CaseSpec&, GaussianPathOptions);
}
