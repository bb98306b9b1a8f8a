// Uses an installed diffbound: one exact KL through diffbound::numerics, printed with 11 digits.
// The case is examples/gaussian.toml at double precision (d = 3, geometric spectrum kappa = 10,
// mean 0.2, etc schedule T = 500, ddpm with the theory variance, exact score, t_out = 1).
#include "numerics/exact.hpp"

#include <cstdio>

int main() {
  diffbound::CaseSpec spec;
  spec.target.family = diffbound::Family::gaussian;
  spec.target.gaussian.dim = 3;
  spec.target.gaussian.spectrum = diffbound::Spectrum::geometric;
  spec.target.gaussian.kappa = "10";
  spec.target.gaussian.mean = {"0.2"};
  spec.schedule.kind = diffbound::ScheduleKind::etc;
  spec.schedule.steps = 500;
  spec.numerics.precision = diffbound::Precision::double_;
  const diffbound::ExactQuantities q = diffbound::compute_exact(spec);
  std::printf("KL = %.10e\n", q.kl.value);
  return 0;
}
