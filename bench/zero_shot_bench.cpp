// Benchmarks of zero-shot conditional sampling on a Gaussian prior (issue "Zero-shot conditional
// samplers"). Target: d = 64, dense H with kappa(H) = 100, T = 1000, double: under 2 s (for DDNM,
// BO-DDNM and the exact conditional score, with D_T and B_T). Also DDNM+ (dense) and the
// coordinate-wise (fast) path, and the certified dense path at d = 8 for scale.
#include "numerics/exact.hpp"
#include "numerics/gaussian_path.hpp"
#include "numerics/zero_shot.hpp"

#include <benchmark/benchmark.h>

using namespace diffbound;

namespace {

// The problem is made explicit once (the random H and the drawn y), as compute_exact does.
CaseSpec conditioned_case(long d, long T, ScoreKind score, bool ddnm_plus) {
  CaseSpec c;
  c.target.gaussian.dim = d;
  c.target.gaussian.spectrum = Spectrum::geometric;
  c.target.gaussian.kappa = "10";
  c.target.gaussian.mean = {"0.2"};
  c.schedule.steps = T;
  c.score.kind = ddnm_plus ? ScoreKind::exact : score;
  if (ddnm_plus) c.sampler.kind = SamplerKind::ddnm_plus;
  ProblemSpec p;
  p.op = Operator::conditioned;
  p.kappa_H = "100";
  p.sigma_y = "0.05";
  p.draw = true;
  p.seed = 5;
  c.problem = p;
  ResolvedProblem resolved;
  return with_explicit_problem(c, resolved);
}

template <class Real> void run(benchmark::State& state, const CaseSpec& c, unsigned digits) {
  PrecisionScope p(digits);
  for (auto _ : state) benchmark::DoNotOptimize(gaussian_path<Real>(c).kl);
}

void DenseDdnm(benchmark::State& s) { run<double>(s, conditioned_case(64, 1000, ScoreKind::ddnm, false), 16); }
void DenseBoDdnm(benchmark::State& s) { run<double>(s, conditioned_case(64, 1000, ScoreKind::bo_ddnm, false), 16); }
void DenseExactConditional(benchmark::State& s) {
  run<double>(s, conditioned_case(64, 1000, ScoreKind::exact_conditional, false), 16);
}
void DenseDdnmPlus(benchmark::State& s) { run<double>(s, conditioned_case(64, 1000, ScoreKind::exact, true), 16); }
void CertifiedDenseBoDdnm8(benchmark::State& s) {
  CaseSpec c = conditioned_case(8, 1000, ScoreKind::bo_ddnm, false);
  run<interval_real>(s, c, 30);
}
void FastInpaintBoDdnm(benchmark::State& s) {
  CaseSpec c;
  c.target.gaussian.dim = 10000;
  c.target.gaussian.spectrum = Spectrum::geometric;
  c.target.gaussian.kappa = "10";
  c.schedule.steps = 1000;
  c.score.kind = ScoreKind::bo_ddnm;
  ProblemSpec p;
  p.op = Operator::subsample;
  p.factor = 2;
  p.sigma_y = "0.05";
  p.draw = true;
  c.problem = p;
  ResolvedProblem resolved;
  run<double>(s, with_explicit_problem(c, resolved), 16);
}

}  // namespace

BENCHMARK(DenseDdnm)->Unit(benchmark::kMillisecond);
BENCHMARK(DenseBoDdnm)->Unit(benchmark::kMillisecond);
BENCHMARK(DenseExactConditional)->Unit(benchmark::kMillisecond);
BENCHMARK(DenseDdnmPlus)->Unit(benchmark::kMillisecond);
BENCHMARK(CertifiedDenseBoDdnm8)->Unit(benchmark::kMillisecond);
BENCHMARK(FastInpaintBoDdnm)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
