// W2 (docs/math.md#w2) and the relative Fisher information (docs/math.md#fisher-rel) of the Gaussian
// engine: double against MPFR-100, certified enclosures around MPFR-100, the independent mpmath
// reference table, closed forms, and the labels compute_exact gives them.
#include "case_builders.hpp"
#include "numerics/exact.hpp"
#include "numerics/gaussian_path.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace diffbound;
using namespace diffbound::testing;

namespace {

CaseSpec geometric_case(const char* sampler, const char* variance, ScheduleKind schedule, long steps) {
  CaseSpec c = gaussian_case(3, Spectrum::geometric, "10", "0.2", schedule, steps);
  if (schedule == ScheduleKind::etc) { c.schedule.c = "4"; c.schedule.delta = "0.001"; }
  c.sampler = sampler_of(sampler, variance);
  return c;
}

double rel(const mpfr_real& got, const mpfr_real& want) { return static_cast<double>(abs(got - want) / abs(want)); }

// A sweep of fast-path cases: every discrete sampler on three schedules, exact and perturbed scores,
// W2 from O(1) down to ~1e-5.
std::vector<CaseSpec> sweep() {
  std::vector<CaseSpec> out;
  for (const auto& s : kAllSamplers)
    for (ScheduleKind k : {ScheduleKind::linear, ScheduleKind::cosine, ScheduleKind::etc})
      for (int score = 0; score < 2; ++score) {
        CaseSpec c = geometric_case(s.kind, s.variance, k, 200);
        c.target.gaussian.dim = 4;
        if (score == 1) {
          c.score.kind = ScoreKind::perturbed;
          c.score.epsilon = "0.05";
          c.score.perturbation = Perturbation::scale;
        }
        out.push_back(c);
      }
  return out;
}

}  // namespace

TEST(W2, DoubleAgreesWithMpfr100) {
  int compared = 0;
  for (const CaseSpec& c : sweep()) {
    mpfr_real ref;
    {
      PrecisionScope p(100);
      const auto r = gaussian_path<mpfr_real>(c);
      ASSERT_TRUE(r.has_w2);
      ref = r.w2;
    }
    const auto d = gaussian_path<double>(c);
    ASSERT_TRUE(d.has_w2);
    if (!(ref > mpfr_real("1e-6"))) continue;
    ++compared;
    EXPECT_LE(rel(mpfr_real(d.w2), ref), 1e-10) << to_string(c.sampler.kind) << " " << to_string(c.schedule.kind) << " "
                                                << to_string(c.score.kind) << ": " << d.w2 << " vs " << to_decimal(ref);
  }
  EXPECT_GE(compared, 20);
}

TEST(W2, CertifiedContainsMpfr100AndIsNarrow) {
  for (const CaseSpec& c : sweep()) {
    mpfr_real ref;
    {
      PrecisionScope p(100);
      ref = gaussian_path<mpfr_real>(c).w2;
    }
    PrecisionScope p(50);
    const auto r = gaussian_path<interval_real>(c);
    ASSERT_FALSE(r.w2_estimated);  // the fast path's W2 is a closed form: certified
    const std::string what = to_string(c.sampler.kind) + " " + to_string(c.schedule.kind) + " " + to_string(c.score.kind);
    EXPECT_LE(lower_of(r.w2), ref) << what;
    EXPECT_GE(upper_of(r.w2), ref) << what;
    EXPECT_LE(static_cast<double>((upper_of(r.w2) - lower_of(r.w2)) / ref), 1e-40) << what;
  }
}

// Values from /work/shared/reference/gaussian.jsonl (an independent mpmath computation, t_out = 1:
// d = 3, geometric spectrum kappa = 10, mean 0.2, exact score). The engine at 60 digits matches each to
// the 40 digits the file gives.
TEST(W2, MatchesIndependentMpmathTable) {
  struct Row { const char *sampler, *variance; ScheduleKind schedule; long steps; const char* w2; };
  const Row rows[] = {
      {"ddpm", "theory", ScheduleKind::etc, 20, "0.3148504988658232749513854687362284137753"},
      {"ddpm", "beta", ScheduleKind::etc, 500, "0.004239788601752514166851460075240159774985"},
      {"accelerated", "theory", ScheduleKind::etc, 500, "0.0001986561303514078957291981806457995504467"},
      {"ddim", "theory", ScheduleKind::linear, 50, "0.05018512530933851340887668374740635260065"},
      {"pf-euler", "theory", ScheduleKind::linear, 500, "0.04363390761180135939714364909569642367141"},
      {"accelerated", "theory", ScheduleKind::linear, 500, "0.00002933570960909625811070647724930175848067"},
      {"ddpm", "beta", ScheduleKind::cosine, 20, "0.03821334030353116465919864260975294601097"},
      {"pf-euler", "theory", ScheduleKind::cosine, 20, "28.0093338170641773565457339036745821193"},
      {"ddim", "theory", ScheduleKind::cosine, 500, "0.00321010954624128986137442868767221797234"},
  };
  for (const Row& row : rows) {
    const CaseSpec c = geometric_case(row.sampler, row.variance, row.schedule, row.steps);
    PrecisionScope p(60);
    const auto r = gaussian_path<mpfr_real>(c);
    EXPECT_LE(rel(r.w2, mpfr_real(row.w2)), 1e-38) << row.sampler << " " << to_string(row.schedule) << " " << row.steps
                                                   << ": " << to_decimal(r.w2);
    // and the double engine to its precision
    EXPECT_LE(rel(mpfr_real(gaussian_path<double>(c).w2), mpfr_real(row.w2)), 1e-12) << row.sampler;
  }
  // the mismatched row: train N(0, I)
  CaseSpec c = geometric_case("ddpm", "theory", ScheduleKind::etc, 300);
  c.score.kind = ScoreKind::mismatched;
  TargetSpec train;
  train.gaussian.dim = 3;
  train.gaussian.spectrum = Spectrum::isotropic;
  train.gaussian.mean = {"0"};
  c.score.train = train;
  PrecisionScope p(60);
  EXPECT_LE(rel(gaussian_path<mpfr_real>(c).w2, mpfr_real("0.9132355243605701578529258840423607300308")), 1e-38);
}

// I(Q_0 | N(0, I)) = tr S + |m|^2 - 2d + tr S^-1, by hand for S = diag(0.5, 2, 0.1), m = (0.2, -0.5, 0):
// 2.6 + 0.29 - 6 + (2 + 0.5 + 10) = 9.39 exactly; the dense path on the same law rotated by 90 degrees
// in the (1, 2) plane (exact entries) gives the same.
TEST(FisherRel, ClosedFormFastAndDense) {
  GaussianSpec g;
  g.dim = 3;
  g.spectrum = Spectrum::list;
  g.eigenvalues = {"0.5", "2", "0.1"};
  g.mean = {"0.2", "-0.5", "0"};
  CaseSpec c = gaussian_case(3, Spectrum::list, "1", "0", ScheduleKind::linear, 50);
  c.target.gaussian = g;
  {
    PrecisionScope p(50);
    const auto r = gaussian_path<interval_real>(c);
    ASSERT_TRUE(r.has_fisher_rel);
    EXPECT_LE(lower_of(r.fisher_rel), mpfr_real("9.39"));
    EXPECT_GE(upper_of(r.fisher_rel), mpfr_real("9.39"));
    EXPECT_LE(static_cast<double>(upper_of(r.fisher_rel) - lower_of(r.fisher_rel)), 1e-45);
  }
  // S' = R S R^T, R = [[0, -1], [1, 0]] in the (1, 2) plane: diag(2, 0.5, 0.1), m' = R m = (0.5, 0.2, 0),
  // given as a full matrix and forced onto the dense path
  c.target.gaussian.spectrum = Spectrum::matrix;
  c.target.gaussian.eigenvalues.clear();
  c.target.gaussian.covariance = {{"2", "0", "0"}, {"0", "0.5", "0"}, {"0", "0", "0.1"}};
  c.target.gaussian.mean = {"0.5", "0.2", "0"};
  c.numerics.engine = EnginePath::dense;
  const auto d = gaussian_path<double>(c);
  ASSERT_EQ(d.path, "dense");
  EXPECT_NEAR(d.fisher_rel, 9.39, 1e-13);
}

// compute_exact: the fast path's W2 is certified in a certified run; the dense path's is labelled
// estimated while its KL stays certified (docs/math.md#w2-dense).
TEST(W2, ExactQuantitiesLabels) {
  CaseSpec c = geometric_case("ddpm", "theory", ScheduleKind::linear, 50);
  c.numerics.precision = Precision::certified;
  c.numerics.digits = 40;
  const ExactQuantities fast = compute_exact(c);
  ASSERT_TRUE(fast.w2 && fast.fisher_rel);
  EXPECT_EQ(fast.w2->kind, EnclosureKind::certified);
  EXPECT_EQ(fast.fisher_rel->kind, EnclosureKind::certified);
  EXPECT_NEAR(fast.w2->value, 0.08127325768116896, 1e-15);  // gaussian.jsonl: 0.08127325768116896112...
  c.numerics.engine = EnginePath::dense;
  const ExactQuantities dense = compute_exact(c);
  ASSERT_TRUE(dense.w2);
  EXPECT_EQ(dense.kl.kind, EnclosureKind::certified);
  EXPECT_EQ(dense.w2->kind, EnclosureKind::estimated);
  EXPECT_LE(dense.w2->lo, 0.08127325768116896112143843189733844115144);
  EXPECT_GE(dense.w2->hi, 0.08127325768116896112143843189733844115144);
  EXPECT_NEAR(dense.fisher_rel->value, fast.fisher_rel->value, 1e-12);
}
