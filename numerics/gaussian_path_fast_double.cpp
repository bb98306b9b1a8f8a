// Explicit instantiation of the fast Gaussian path for double (one heavy type per translation unit).
#include "numerics/detail/gaussian_path_fast_impl.hpp"

namespace diffbound {
template GaussianPathResult<double> gaussian_path_fast<double>(const CaseSpec&, GaussianPathOptions);
}
