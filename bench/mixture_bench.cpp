// Benchmarks of the mixture engine. Targets (issue 3): 1-D two-component mixture, etc schedule, ddpm:
//   T = 1000:  KL with estimated relative error <= 1e-9 in < 0.5 s on one core
//   T = 10^4:  the same in < 5 s
// (Ddpm skips D_T; DdpmWithDT is the full ddpm result, D_T included, to show D_T's cost.)
// Each iteration is a full result: two resolutions (the refinement study), KL, Hellinger, TV, E_T and
// KL(Q_0 || gamma). Counters report the KL and its estimated relative error. The single-resolution run,
// extended precision (long double) and the MPFR mode (reference values; slow by design) are shown for
// scale.
#include "numerics/mixture_path.hpp"

#include <benchmark/benchmark.h>

#include <string>

using namespace diffbound;

namespace {

CaseSpec two_component(long T, SamplerKind kind = SamplerKind::ddpm) {
  CaseSpec c;
  c.target.family = Family::mixture;
  c.target.mixture = MixtureSpec{1, MixtureLayout::axis, {"0.3", "0.7"}, {"-1.0", "1.5"}, {"0.2", "0.5"}};
  c.schedule.kind = ScheduleKind::etc;
  c.schedule.steps = T;
  c.sampler.kind = kind;
  return c;
}

template <class Real> void run(benchmark::State& state, const CaseSpec& c, MixtureResolution res, unsigned digits) {
  PrecisionScope p(digits);
  double kl = 0, rel = 0;
  std::string method;
  for (auto _ : state) {
    const auto r = mixture_path<Real>(c, res);
    kl = static_cast<double>(r.kl.value);
    rel = static_cast<double>(r.kl.error / r.kl.value);
    method = r.method;
    benchmark::DoNotOptimize(kl);
  }
  state.counters["kl"] = benchmark::Counter(kl);
  state.counters["est_rel_err"] = benchmark::Counter(rel);
  state.SetLabel(method);
}

// KL alone (the targets) and the full result with D_T (the chain-rule decomposition)
void Ddpm(benchmark::State& s) {
  MixtureResolution res;
  res.D_T = false;
  run<double>(s, two_component(s.range(0)), res, 16);
}
void DdpmWithDT(benchmark::State& s) {
  PrecisionScope p(16);
  double rel = 0;
  for (auto _ : s) {
    const auto r = mixture_path<double>(two_component(s.range(0)));
    rel = r.D_T.error / r.D_T.value;
    benchmark::DoNotOptimize(rel);
  }
  s.counters["D_T_est_rel_err"] = benchmark::Counter(rel);
}
void DdpmOneResolution(benchmark::State& s) {
  MixtureResolution res;
  res.refine = false;
  res.D_T = false;
  run<double>(s, two_component(s.range(0)), res, 16);
}
void Ddim(benchmark::State& s) { run<double>(s, two_component(s.range(0), SamplerKind::ddim), {}, 16); }
void Accelerated(benchmark::State& s) { run<double>(s, two_component(s.range(0), SamplerKind::accelerated), {}, 16); }
void DdpmMpfr30(benchmark::State& s) { run<mpfr_real>(s, two_component(s.range(0)), {}, 30); }
// extended precision (long double): the KL alone, as Ddpm
void DdpmExtended(benchmark::State& s) {
  MixtureResolution res;
  res.D_T = false;
  run<long double>(s, two_component(s.range(0)), res, 16);
}

}  // namespace

BENCHMARK(Ddpm)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(DdpmWithDT)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(DdpmOneResolution)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(Ddim)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(Accelerated)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(DdpmExtended)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(DdpmMpfr30)->Arg(50)->Unit(benchmark::kMillisecond)->Iterations(1);

BENCHMARK_MAIN();
