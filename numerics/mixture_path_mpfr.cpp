// Explicit instantiation of the mixture engine for mpfr_real (one heavy type per translation unit).
#include "numerics/detail/mixture_path_impl.hpp"

namespace diffbound {
template LineResult<mpfr_real> mixture_line<mpfr_real>(const MixtureLine<mpfr_real>&, const Schedule<mpfr_real>&, const SamplerSpec&,
                                                 MixtureResolution);
template MixturePathResult<mpfr_real> mixture_path<mpfr_real>(const CaseSpec&, MixtureResolution);
template MixtureReduction<mpfr_real> reduce_mixture_case<mpfr_real>(const CaseSpec&);
}  // namespace diffbound
