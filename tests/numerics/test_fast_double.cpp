// The vectorized double fast path (numerics/detail/fast_exact_double.hpp) against MPFR-100 on cases as
// demanding as issue 12's d = 10^4, T = 1000 (the same spectrum range kappa = 1000 and schedule, fewer
// directions or steps so that MPFR-100 takes about a second): KL, E_T, D_T, B_T and W2 to 1e-10 relative, with
// more than one block of directions (512) and a partial last block, for every exact-score sampler.
#include "case_builders.hpp"
#include "numerics/detail/fast_exact_double.hpp"
#include "numerics/detail/u_minus_log1p_small.hpp"
#include "numerics/engine_threads.hpp"
#include "numerics/schedule.hpp"
#include "numerics/divergence.hpp"
#include "numerics/gaussian_path.hpp"

#include <atomic>
#include <cstring>
#include <random>

#include <gtest/gtest.h>

using namespace diffbound;
using namespace diffbound::testing;

namespace {

double relative(double got, const mpfr_real& ref) {
  if (ref == 0) return std::abs(got);
  if (isinf(ref)) return got == static_cast<double>(ref) ? 0.0 : INFINITY;  // e.g. D_T with a noiseless last step
  return static_cast<double>(abs(mpfr_real(got) - ref) / abs(ref));
}

void expect_agrees(const CaseSpec& c, const std::string& what) {
  GaussianPathResult<mpfr_real> ref;
  {
    PrecisionScope p(100);
    ref = gaussian_path<mpfr_real>(c);
  }
  const auto got = gaussian_path<double>(c);
  ASSERT_EQ(got.has_decomposition, ref.has_decomposition) << what;
  EXPECT_LE(relative(got.kl, ref.kl), 1e-10) << what << " KL " << got.kl << " mpfr " << ref.kl.str(20);
  EXPECT_LE(relative(got.E_T, ref.E_T), 1e-10) << what << " E_T " << got.E_T << " mpfr " << ref.E_T.str(20);
  EXPECT_LE(relative(got.w2, ref.w2), 1e-10) << what << " W2 " << got.w2 << " mpfr " << ref.w2.str(20);
  EXPECT_LE(relative(got.kl_q0_gamma, ref.kl_q0_gamma), 1e-10) << what;
  if (ref.has_decomposition) {
    EXPECT_GT(ref.D_T, 0) << what;
    EXPECT_LE(relative(got.D_T, ref.D_T), 1e-10) << what << " D_T " << got.D_T << " mpfr " << ref.D_T.str(20);
    EXPECT_EQ(got.B_T, 0) << what;  // exact score
    EXPECT_EQ(ref.B_T, 0) << what;
  }
}

}  // namespace

// The fixed-degree series against u - log1p u at 100 digits on |u| < 0.1, both signs, from tiny to the
// edge: within 4 units of double's epsilon (2.2e-16) relative.
TEST(FastDouble, SeriesIsExactToDouble) {
  PrecisionScope p(100);
  std::mt19937_64 rng(12);
  std::uniform_real_distribution<double> mantissa(1, 2);
  std::uniform_int_distribution<int> exponent(-60, -4);
  double worst = 0;
  for (int i = 0; i < 20000; ++i) {
    double u = std::ldexp(mantissa(rng), exponent(rng));
    if (i % 2) u = -u;
    if (i == 0) u = std::nextafter(0.1, 0.0);
    if (i == 1) u = -std::nextafter(0.1, 0.0);
    if (!(std::abs(u) < 0.1)) continue;
    const mpfr_real ref = u_minus_log1p(mpfr_real(u));
    worst = std::max(worst, relative(detail::u_minus_log1p_small(u), ref));
  }
  EXPECT_LE(worst, 4 * 2.2204460492503131e-16);
  RecordProperty("worst_relative_error", std::to_string(worst));
}

// The issue's case (ddpm, theory variance, geometric kappa = 1000, mean 0.3, etc, T = 1000) at d = 100.
TEST(FastDouble, IssueCaseAgreesWithMpfr100) {
  CaseSpec c = gaussian_case(100, Spectrum::geometric, "1000", "0.3", ScheduleKind::etc, 1000);
  expect_agrees(c, "d=100 T=1000 ddpm/theory");
}

// Every exact-score form of the fused loop, over two blocks, t_out 0 and 1, both initializations.
TEST(FastDouble, EverySamplerAgreesWithMpfr100) {
  const std::pair<const char*, const char*> samplers[] = {{"ddpm", "theory"}, {"ddpm", "beta"}, {"ddpm", "posterior"},
                                                          {"accelerated", "theory"}, {"pf-euler", "theory"},
                                                          {"ddim", "theory"}};
  int i = 0;
  for (const auto& [kind, variance] : samplers) {
    CaseSpec c = gaussian_case(520, Spectrum::geometric, "1000", "-0.4", ScheduleKind::cosine, 20);
    c.sampler = sampler_of(kind, variance, i % 2, i % 3 == 2 ? "exact" : "gaussian");
    expect_agrees(c, std::string(kind) + "/" + variance + " t_out=" + std::to_string(i % 2));
    ++i;
  }
}

namespace {

// The state of 2600 directions (6 blocks, the last partial) at the start of the issue-12 case's recursion.
struct DoubleRun {
  std::vector<detail::StepCoefficients<double>> steps;
  SamplerSpec sampler;
  std::vector<double> lambda, sigma, dm, dS, D;
  long T = 1000;
};
DoubleRun double_run(const char* kind, const char* variance) {
  DoubleRun r;
  CaseSpec c = gaussian_case(2600, Spectrum::geometric, "1000", "0.3", ScheduleKind::linear, r.T);
  c.sampler = sampler_of(kind, variance, 0);
  r.sampler = c.sampler;
  const auto sch = make_schedule<double>(c.schedule);
  r.steps.resize(r.T + 1);
  for (long t = 1; t <= r.T; ++t) r.steps[t] = detail::step_coefficients(sch, c.sampler, t);
  for (long i = 0; i < 2600; ++i) {
    const double lam = std::pow(1000.0, -double(i) / 2599);
    r.lambda.push_back(lam);
    r.sigma.push_back(sch.alpha_bar[r.T] * lam + sch.one_minus_alpha_bar[r.T]);
    r.dm.push_back(-std::sqrt(sch.alpha_bar[r.T]) * 0.3);
    r.dS.push_back(sch.alpha_bar[r.T] * (1 - lam));
    r.D.push_back(0);
  }
  return r;
}
std::size_t run_with(DoubleRun& r, unsigned threads) {
  const EngineThreadsScope scope(threads);
  return detail::exact_recursion_double(r.steps, r.T, 0, r.sampler, true, r.lambda, r.sigma, r.dm, r.dS, r.D);
}

}  // namespace

// Threads across directions (numerics/engine_threads.hpp): with 2 and 3 threads (more than the machine's
// cores is allowed) every direction's Sigma, dm, dS and D_T have the one-thread bits, for every exact-score
// form; the threads are really used (the count returned), and 1 is the default.
TEST(FastDouble, ThreadsAcrossDirectionsGiveTheSameBits) {
  const std::pair<const char*, const char*> samplers[] = {{"ddpm", "theory"}, {"ddpm", "beta"}, {"ddpm", "posterior"},
                                                          {"accelerated", "theory"}, {"pf-euler", "theory"},
                                                          {"ddim", "theory"}};
  EXPECT_EQ(engine_threads(), 1u);
  for (const auto& [kind, variance] : samplers) {
    DoubleRun one = double_run(kind, variance);
    ASSERT_EQ(run_with(one, 1), 1u);
    for (unsigned threads : {2u, 3u}) {
      DoubleRun many = double_run(kind, variance);
      EXPECT_EQ(run_with(many, threads), threads) << kind;
      for (std::size_t i = 0; i < one.lambda.size(); ++i) {
        ASSERT_EQ(std::memcmp(&one.sigma[i], &many.sigma[i], sizeof(double)), 0) << kind << " " << i;
        ASSERT_EQ(std::memcmp(&one.dm[i], &many.dm[i], sizeof(double)), 0) << kind << " " << i;
        ASSERT_EQ(std::memcmp(&one.dS[i], &many.dS[i], sizeof(double)), 0) << kind << " " << i;
        ASSERT_EQ(std::memcmp(&one.D[i], &many.D[i], sizeof(double)), 0) << kind << " " << i;
      }
    }
  }
  // below the work threshold (10^6 direction-steps) one thread, whatever is allowed
  DoubleRun small = double_run("ddpm", "theory");
  small.T = 300;
  EXPECT_EQ(run_with(small, 4), 1u);
}

// A cancellation reaches the spawned threads (the caller's flag) and comes back as Cancelled.
TEST(FastDouble, ThreadsStopOnTheCallersCancellation) {
  std::atomic<bool> flag{true};
  DoubleRun r = double_run("ddpm", "theory");
  const CancelScope scope(&flag);
  EXPECT_THROW(run_with(r, 3), Cancelled);
}
