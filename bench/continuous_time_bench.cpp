// Benchmarks of the continuous-time engine (numerics/continuous_time.hpp): d = 1000 distinct
// eigenvalues, T = 1000 steps, for the cheapest (Euler-Maruyama), the exponential integrator with its
// Girsanov integral, and RK4 (four stages per step), in double and certified MPFI at 30 digits.
#include "numerics/continuous_time.hpp"

#include <benchmark/benchmark.h>

using namespace diffbound;

namespace {

CaseSpec ct_case(SamplerKind kind, long d, long T) {
  CaseSpec c;
  c.target.gaussian.dim = d;
  c.target.gaussian.spectrum = Spectrum::geometric;
  c.target.gaussian.kappa = "1000";
  c.target.gaussian.mean = {"0.3"};
  c.schedule.kind = ScheduleKind::linear;
  c.schedule.steps = T;
  c.sampler.kind = kind;
  return c;
}

template <class Real> void run(benchmark::State& state, SamplerKind kind, unsigned digits) {
  PrecisionScope p(digits);
  const CaseSpec c = ct_case(kind, 1000, 1000);
  for (auto _ : state) benchmark::DoNotOptimize(continuous_time_path<Real>(c).kl);
  state.SetLabel(to_string(kind));
}

void Double(benchmark::State& s) { run<double>(s, static_cast<SamplerKind>(s.range(0)), 16); }
void Certified30(benchmark::State& s) { run<interval_real>(s, static_cast<SamplerKind>(s.range(0)), 30); }

}  // namespace

BENCHMARK(Double)
    ->Arg(static_cast<int>(SamplerKind::sde_em))
    ->Arg(static_cast<int>(SamplerKind::sde_ei))
    ->Arg(static_cast<int>(SamplerKind::ode_rk4))
    ->Unit(benchmark::kMillisecond);
BENCHMARK(Certified30)
    ->Arg(static_cast<int>(SamplerKind::sde_em))
    ->Arg(static_cast<int>(SamplerKind::sde_ei))
    ->Arg(static_cast<int>(SamplerKind::ode_rk4))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
