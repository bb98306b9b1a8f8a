// Benchmarks of the exact Gaussian engine. Targets (issue "Foundation"):
//   fast path, double:        d = 10^4 distinct eigenvalues, T = 1000   < 0.1 s
//   fast path, MPFR 50 digits: d = 1000, T = 1000                      < 2 s
//   certified (MPFI 50):       d = 1000, T = 1000                      < 5 s
//   dense path, double:       d = 128, T = 1000                        < 3 s
// Issue 12 (the hardware limit), with D_T, B_T (Arg 1): FastDouble/1 is the case of bench/compare-numpy
// (whole process >= 5x faster than numpy; the double fast path is vectorized, fast_exact_double.hpp),
// FastMpfr50/1 <= 1 s, Certified50/1 <= 2 s (raw MPFR / MPFI loop and D_T as S - log Q,
// fast_exact_mpfr.hpp; medians of 3 on the idle machine, 2026-12-02: 0.60 s and 1.51 s, from 7.2 s and
// 16.4 s with the generic loop).
// Each also runs without the D_T/B_T decomposition (one log1p per direction and step) to show its cost,
// and the fast paths (and the dense one) with and without W2 (docs/math.md#w2; issue 14: W2 adds at most
// 10% in double at d = 10^4, T = 1000, at most 20% in MPFR at d = 1000). Arg 0: KL only, 1: with D_T,
// B_T, 2: KL and W2 (no decomposition).
#include "numerics/gaussian_path.hpp"

#include <benchmark/benchmark.h>

using namespace diffbound;

namespace {

CaseSpec geometric_case(long d, long T) {
  CaseSpec c;
  c.target.gaussian.dim = d;
  c.target.gaussian.spectrum = Spectrum::geometric;
  c.target.gaussian.kappa = "1000";
  c.target.gaussian.mean = {"0.3"};
  c.schedule.steps = T;
  return c;
}

template <class Real> void run(benchmark::State& state, CaseSpec c, unsigned digits) {
  PrecisionScope p(digits);
  GaussianPathOptions options;
  options.decomposition = state.range(0) == 1;
  options.w2 = state.range(0) == 2;
  for (auto _ : state) benchmark::DoNotOptimize(gaussian_path<Real>(c, options).kl);
  state.SetLabel(options.decomposition ? "with D_T, B_T" : options.w2 ? "KL and W2" : "KL only");
}

void FastDouble(benchmark::State& s) { run<double>(s, geometric_case(10000, 1000), 16); }
void FastMpfr50(benchmark::State& s) { run<mpfr_real>(s, geometric_case(1000, 1000), 50); }
void Certified50(benchmark::State& s) { run<interval_real>(s, geometric_case(1000, 1000), 50); }
void DenseDouble(benchmark::State& s) {
  CaseSpec c = geometric_case(128, 1000);
  c.numerics.engine = EnginePath::dense;
  run<double>(s, c, 16);
}

}  // namespace

BENCHMARK(FastDouble)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(FastMpfr50)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(Certified50)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(DenseDouble)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK_MAIN();
