// W2 of the mixture engine (docs/math.md#w2-mixture) against independent routes: one-component
// mixtures against the closed-form Gaussian engine in MPFR (40 digits; its W2 per direction has no
// cancellation, docs/math.md#w2), and the separable layouts against their factors (W2^2 adds up over
// independent coordinates).
#include "case_builders.hpp"
#include "numerics/exact.hpp"
#include "numerics/gaussian_path.hpp"
#include "numerics/mixture_path.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

namespace diffbound {
namespace {

using testing::mixture_case;
using testing::name_of;
using testing::sampler_of;

struct CasePair { CaseSpec mixture, gaussian; };
CasePair one_component(ScheduleKind schedule, long steps, const char* kind, const char* variance) {
  CasePair c;
  c.mixture = mixture_case(MixtureSpec{1, MixtureLayout::axis, {"1"}, {"0.5"}, {"0.3"}}, schedule, steps, sampler_of(kind, variance));
  c.gaussian = c.mixture;
  c.gaussian.target.family = Family::gaussian;
  c.gaussian.target.gaussian.dim = 1;
  c.gaussian.target.gaussian.scale = "0.3";
  c.gaussian.target.gaussian.mean = {"0.5"};
  return c;
}

TEST(MixtureW2, OneComponentMatchesGaussianEngine) {
  int tight = 0;
  for (ScheduleKind s : {ScheduleKind::etc, ScheduleKind::linear, ScheduleKind::cosine})
    for (long T : {30L, 300L})
      for (const auto& k : testing::kAllSamplers) {
        const auto [m, g] = one_component(s, T, k.kind, k.variance);
        double exact;
        {
          PrecisionScope scope(40);
          exact = static_cast<double>(gaussian_path<mpfr_real>(g).w2);
        }
        const auto r = mixture_path<double>(m);
        const double err = std::abs(r.w2.value - exact);
        std::printf("[w2 one-component] %-6s T=%-4ld %-11s %-9s w2=%.10e rel.err=%.2e est.rel=%.2e\n", name_of(s), T, k.kind,
                    k.variance, exact, err / exact, r.w2.error / exact);
        EXPECT_LE(err, r.w2.error) << name_of(s) << " " << T << " " << k.kind << " " << k.variance
                                   << ": the error estimate does not cover the true error";
        if (r.w2.error <= 1e-9 * exact) {
          ++tight;
          EXPECT_LE(err, 1e-9 * exact);
        }
      }
  EXPECT_GT(tight, 0);
}

TEST(MixtureW2, AxisLayoutIsLinePlusGaussianPart) {
  for (const char* kind : {"ddpm", "ddim"}) {
    CaseSpec c = mixture_case(MixtureSpec{4, MixtureLayout::axis, {"0.4", "0.6"}, {"-1", "1.2"}, {"0.3", "0.3"}},
                              ScheduleKind::etc, 100, sampler_of(kind));
    const auto whole = mixture_path<double>(c);
    const auto parts = testing::axis_layout_parts(c);
    const auto line = mixture_path<double>(parts.line);
    const auto gauss = gaussian_path<double>(parts.gaussian);
    const double sum = line.w2.value * line.w2.value + gauss.w2 * gauss.w2;
    EXPECT_NEAR(whole.w2.value * whole.w2.value, sum, 1e-13 * sum) << kind;
    EXPECT_GT(gauss.w2 * gauss.w2, 0.01 * sum) << kind;  // the Gaussian part matters in this case
  }
}

TEST(MixtureW2, ProductLayoutIsSumOverCoordinates) {
  // constant score error along (1, 2, 2)/3: each coordinate is a 1-D case with its own offset
  CaseSpec c = mixture_case(MixtureSpec{3, MixtureLayout::product, {"0.3", "0.7"}, {"-1", "1.5"}, {"0.2", "0.5"}},
                            ScheduleKind::etc, 100, sampler_of("ddpm"));
  c.score.kind = ScoreKind::perturbed;
  c.score.epsilon = "0.3";
  c.score.direction = {"1", "2", "2"};
  const auto whole = mixture_path<double>(c);
  double sum = 0, err = 0;
  for (const char* eps : {"0.1", "0.2", "0.2"}) {
    CaseSpec line = c;
    line.target.mixture.dim = 1;
    line.score.epsilon = eps;
    line.score.direction.clear();
    const auto r = mixture_path<double>(line);
    sum += r.w2.value * r.w2.value;
    err += 2 * r.w2.value * r.w2.error;
  }
  // two computations (offsets 0.3 (1, 2, 2)/3 against the decimals above): within the estimates
  EXPECT_NEAR(whole.w2.value * whole.w2.value, sum, 2 * whole.w2.value * whole.w2.error + err);
  EXPECT_GT(whole.w2.value, 0.05);
}

TEST(MixtureW2, ExactQuantitiesCarryAnEstimatedW2) {
  CaseSpec c = mixture_case(MixtureSpec{1, MixtureLayout::axis, {"0.4", "0.6"}, {"-1", "1.2"}, {"0.3", "0.5"}},
                            ScheduleKind::linear, 50, sampler_of("ddpm", "beta"));
  const ExactQuantities q = compute_exact(c);
  ASSERT_TRUE(q.w2);
  EXPECT_EQ(q.w2->kind, EnclosureKind::estimated);
  EXPECT_LT(q.w2->lo, q.w2->value);
  EXPECT_GT(q.w2->hi, q.w2->value);
  EXPECT_GT(q.w2->value, 0);
}

}  // namespace
}  // namespace diffbound
