// Explicit instantiation of the dense Gaussian path for mpfr_real (one heavy type per translation unit).
#include "numerics/detail/gaussian_path_dense_impl.hpp"

namespace diffbound {
template GaussianPathResult<mpfr_real> gaussian_path_dense<mpfr_real>(const CaseSpec&, GaussianPathOptions);
}
