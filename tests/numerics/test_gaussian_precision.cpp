// double against MPFR-100 on sweeps over d, T, kappa, schedules, samplers and scores; the certified
// interval at 50 digits contains the MPFR-100 value and is narrow (>= 30 correct digits).
#include "case_builders.hpp"
#include "numerics/exact.hpp"
#include "numerics/gaussian_path.hpp"
#include "numerics/input_error.hpp"

#include <gtest/gtest.h>

using namespace diffbound;
using namespace diffbound::testing;

namespace {

std::vector<CaseSpec> sweep() {
  std::vector<CaseSpec> out;
  for (long d : {1L, 6L})
    for (long T : {10L, 100L, 1000L})
      for (const char* kappa : {"1", "10", "1000"})
        for (auto sched : {ScheduleKind::etc, ScheduleKind::linear, ScheduleKind::cosine})
          for (const auto& s : kAllSamplers) {
            if (sched == ScheduleKind::linear && T <= 20) continue;  // beta_T = 20/T must be < 1
            CaseSpec c = gaussian_case(d, Spectrum::geometric, kappa, "0.4", sched, T);
            c.sampler = sampler_of(s.kind, s.variance, T % 2);  // alternate t_out 0 and 1
            out.push_back(c);
          }
  // score errors on a smaller grid
  for (long T : {50L, 800L})
    for (const auto& s : kAllSamplers)
      for (int score = 0; score < 3; ++score) {
        CaseSpec c = gaussian_case(4, Spectrum::two_level, "30", "-0.7", ScheduleKind::etc, T);
        c.sampler = sampler_of(s.kind, s.variance);
        if (score == 0) {
          c.score.kind = ScoreKind::mismatched;
          TargetSpec train;
          train.gaussian.dim = 4;
          train.gaussian.spectrum = Spectrum::geometric;
          train.gaussian.kappa = "3";
          train.gaussian.mean = {"0.1"};
          c.score.train = train;
        } else {
          c.score.kind = ScoreKind::perturbed;
          c.score.epsilon = "0.05";
          c.score.perturbation = score == 1 ? Perturbation::constant : Perturbation::scale;
        }
        out.push_back(c);
      }
  return out;
}

std::string describe(const CaseSpec& c) {
  return "d=" + std::to_string(c.target.gaussian.dim) + " T=" + std::to_string(c.schedule.steps) + " kappa=" +
         c.target.gaussian.kappa + " " + to_string(c.schedule.kind) + " " + to_string(c.sampler.kind) + "/" +
         to_string(c.sampler.variance) + " " + to_string(c.score.kind) + " t_out=" + std::to_string(c.sampler.t_out);
}

}  // namespace

TEST(GaussianPrecision, DoubleAgreesWithMpfr100) {
  int compared = 0;
  double worst = 0;
  for (const auto& c : sweep()) {
    mpfr_real ref;
    {
      PrecisionScope p(100);
      ref = gaussian_path<mpfr_real>(c).kl;
    }
    const double got = gaussian_path<double>(c).kl;
    if (ref <= mpfr_real("1e-12")) continue;
    ++compared;
    const double rel = static_cast<double>(abs(mpfr_real(got) - ref) / ref);
    worst = std::max(worst, rel);
    EXPECT_LE(rel, 1e-10) << describe(c) << " double " << got << " mpfr " << ref.str(20);
  }
  EXPECT_GT(compared, 300);
  RecordProperty("worst_relative_difference", std::to_string(worst));
}

TEST(GaussianPrecision, CertifiedEnclosesMpfr100AndIsNarrow) {
  int checked = 0;
  for (const auto& c : sweep()) {
    if (c.schedule.steps > 100 && checked % 3 != 0) { ++checked; continue; }  // keep the runtime modest
    ++checked;
    mpfr_real ref;
    {
      PrecisionScope p(100);
      ref = gaussian_path<mpfr_real>(c).kl;
    }
    PrecisionScope p(50);
    const auto r = gaussian_path<interval_real>(c);
    const mpfr_real lo = lower_of(r.kl), hi = upper_of(r.kl);
    EXPECT_LE(lo, ref) << describe(c);
    EXPECT_GE(hi, ref) << describe(c);
    if (ref > 0) {
      EXPECT_LE(static_cast<double>((hi - lo) / ref), 1e-30) << describe(c) << " width " << (hi - lo).str(5);
    }
  }
}

// A finite KL beyond the double range (mean 1e200: KL ~ 1e400/2) is not reported as infinite: the case
// is refused naming numerics.precision, and MPFR computes it.
TEST(GaussianPrecision, DoubleOverflowIsRefusedNotReportedInfinite) {
  CaseSpec c = gaussian_case(2, Spectrum::isotropic, "1", "1e200", ScheduleKind::etc, 20);
  try {
    compute_exact(c);
    FAIL() << "an overflowing double case was not refused";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "numerics.precision");
    EXPECT_NE(std::string(e.what()).find("overflows"), std::string::npos) << e.what();
  }
  c.numerics.precision = Precision::mpfr;
  c.numerics.digits = 30;
  const ExactQuantities q = compute_exact(c);
  EXPECT_TRUE(q.kl.finite);
  EXPECT_NE(q.kl.value_str.find("e+"), std::string::npos) << q.kl.value_str;
}
