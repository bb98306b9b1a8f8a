// Explicit instantiation of the fast Gaussian path for mpfr_real (one heavy type per translation unit).
#include "numerics/detail/gaussian_path_fast_impl.hpp"

namespace diffbound {
template GaussianPathResult<mpfr_real> gaussian_path_fast<mpfr_real>(const CaseSpec&, GaussianPathOptions);
}
