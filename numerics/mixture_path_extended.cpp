// Explicit instantiation of the mixture engine for long double, the `extended` precision (one heavy
// type per translation unit).
#include "numerics/detail/mixture_path_impl.hpp"

namespace diffbound {
template LineResult<long double> mixture_line<long double>(const MixtureLine<long double>&,
                                                           const Schedule<long double>&, const SamplerSpec&,
                                                           MixtureResolution);
template MixturePathResult<long double> mixture_path<long double>(const CaseSpec&, MixtureResolution);
template MixtureReduction<long double> reduce_mixture_case<long double>(const CaseSpec&);
}  // namespace diffbound
