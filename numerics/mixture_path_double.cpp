// Explicit instantiation of the mixture engine for double (one heavy type per translation unit).
#include "numerics/detail/mixture_path_impl.hpp"

namespace diffbound {
template LineResult<double> mixture_line<double>(const MixtureLine<double>&, const Schedule<double>&, const SamplerSpec&,
                                                 MixtureResolution);
template MixturePathResult<double> mixture_path<double>(const CaseSpec&, MixtureResolution);
template MixtureReduction<double> reduce_mixture_case<double>(const CaseSpec&);
}  // namespace diffbound
