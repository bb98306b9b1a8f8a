// Explicit instantiation of the Gaussian-structure routines for mpfr_real (one number type per translation unit).
#include "numerics/detail/gaussian_structure_impl.hpp"

namespace diffbound {
template mpfr_real noise_level<mpfr_real>(const std::string&, const std::string&);
template AffineDenoiser<mpfr_real> gaussian_denoiser<mpfr_real>(const TargetSpec&, const mpfr_real&);
template AffineDenoiser<mpfr_real> lmmse_denoiser<mpfr_real>(const TargetSpec&, const mpfr_real&);
template std::vector<mpfr_real> posterior_mean_denoiser<mpfr_real>(const TargetSpec&, const std::vector<mpfr_real>&, const mpfr_real&);
template GapValue<mpfr_real> nonlinearity_gap<mpfr_real>(const TargetSpec&, const mpfr_real&);
}  // namespace diffbound
