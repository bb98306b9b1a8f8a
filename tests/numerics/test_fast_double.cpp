// The vectorized double fast path (numerics/detail/fast_exact_double.hpp) against MPFR-100 on cases as
// demanding as issue 12's d = 10^4, T = 1000 (the same spectrum range kappa = 1000 and schedule, fewer
// directions or steps so that MPFR-100 takes about a second): KL, E_T, D_T, B_T and W2 to 1e-10 relative, with
// more than one block of directions (512) and a partial last block, for every exact-score sampler.
#include "case_builders.hpp"
#include "numerics/detail/u_minus_log1p_small.hpp"
#include "numerics/divergence.hpp"
#include "numerics/gaussian_path.hpp"

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
