// Explicit instantiation of the Gaussian-structure routines for double (one number type per translation unit).
#include "numerics/detail/gaussian_structure_impl.hpp"

namespace diffbound {
template double noise_level<double>(const std::string&, const std::string&);
template AffineDenoiser<double> gaussian_denoiser<double>(const TargetSpec&, const double&);
template AffineDenoiser<double> lmmse_denoiser<double>(const TargetSpec&, const double&);
template std::vector<double> posterior_mean_denoiser<double>(const TargetSpec&, const std::vector<double>&, const double&);
template GapValue<double> nonlinearity_gap<double>(const TargetSpec&, const double&);
}  // namespace diffbound
