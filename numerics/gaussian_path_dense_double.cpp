// Explicit instantiation of the dense Gaussian path for double (one heavy type per translation unit).
#include "numerics/detail/gaussian_path_dense_impl.hpp"

namespace diffbound {
template GaussianPathResult<double> gaussian_path_dense<double>(const CaseSpec&, GaussianPathOptions);
}
