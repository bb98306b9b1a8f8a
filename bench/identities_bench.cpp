// Benchmarks of the log-SNR identities and the Gaussian-structure gap (numerics/log_snr_identities.hpp,
// numerics/gaussian_structure.hpp). A study's cost is one density identity per point (two integrals
// for the noise classifier): 1-D two-component mixture in double and at 40 digits, and a diagonal
// Gaussian (closed-form integrand) for scale. Counters: the residual against the exact log-density and
// the error estimate.
#include "numerics/gaussian_structure.hpp"
#include "numerics/log_snr_identities.hpp"

#include <benchmark/benchmark.h>

using namespace diffbound;

namespace {

TargetSpec mixture() {
  TargetSpec t;
  t.family = Family::mixture;
  t.mixture = MixtureSpec{1, MixtureLayout::axis, {"0.3", "0.7"}, {"-2", "1.5"}, {"0.25", "0.5"}};
  return t;
}

TargetSpec gaussian() {
  TargetSpec t;
  t.gaussian.dim = 8;
  t.gaussian.spectrum = Spectrum::geometric;
  t.gaussian.kappa = "100";
  t.gaussian.mean = {"0.5"};
  return t;
}

template <class Real> void density(benchmark::State& state, const TargetSpec& t, std::vector<std::string> x, unsigned digits) {
  PrecisionScope p(digits);
  double residual = 0, estimate = 0;
  for (auto _ : state) {
    const auto r = density_identity<Real>(t, x);
    residual = static_cast<double>(r.residual());
    estimate = static_cast<double>(r.error_estimate);
    benchmark::DoNotOptimize(residual);
  }
  state.counters["residual"] = residual;
  state.counters["estimate"] = estimate;
}

void BM_DensityMixtureDouble(benchmark::State& s) { density<double>(s, mixture(), {"0.4"}, 16); }
void BM_DensityMixtureMpfr40(benchmark::State& s) { density<mpfr_real>(s, mixture(), {"0.4"}, 40); }
void BM_DensityGaussian8Double(benchmark::State& s) {
  density<double>(s, gaussian(), {"0", "1", "-1", "0.5", "2", "0", "0.1", "-0.3"}, 16);
}

void BM_GapMixtureDouble(benchmark::State& state) {
  double gap = 0;
  for (auto _ : state) {
    gap = nonlinearity_gap<double>(mixture(), 0.3).value;
    benchmark::DoNotOptimize(gap);
  }
  state.counters["gap"] = gap;
}

}  // namespace

BENCHMARK(BM_DensityMixtureDouble)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DensityMixtureMpfr40)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_DensityGaussian8Double)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GapMixtureDouble)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
