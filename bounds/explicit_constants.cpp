// Instantiates the explicit-constant bounds of the general VP SDE (docs/math.md#explicit-constant-bounds) in their
// own translation unit: their formulas loop over the grid in MPFI, which is slow to compile.
#include "bounds/kwon_fan_lee2022.hpp"
#include "bounds/registry.hpp"
#include "bounds/strasman2024.hpp"
#include "bounds/tang_zhao2024.hpp"

namespace diffbound {

void add_explicit_constant_bounds(BoundRegistry& r) {
  r.add(std::make_unique<FormulaBound<bounds::KwonFanLee2022>>());
  r.add(std::make_unique<FormulaBound<bounds::Strasman2024Kl>>());
  r.add(std::make_unique<FormulaBound<bounds::Strasman2024W2>>());
  r.add(std::make_unique<FormulaBound<bounds::TangZhao2024Contractive>>());
}

}  // namespace diffbound
