#pragma once
// A number with its estimated absolute error: evidence from a refinement study (two resolutions, step
// halving), not an enclosure. Enclosures of kind `estimated` are built from these (numerics/enclosure.hpp).

namespace diffbound {

template <class Real> struct Estimate {
  Real value = Real(0), error = Real(0);
};

}  // namespace diffbound
