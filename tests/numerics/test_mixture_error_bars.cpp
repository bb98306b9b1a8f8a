// How tight the mixture engine's error estimate is (docs/mixture.md, "What the result means"): on
// one-component mixtures, whose KL the certified Gaussian engine gives exactly, the estimate must
// cover the true error (never below it) and not exceed it by much, so that decidable checks are not
// reported inconclusive. Every sampler x t_out {0, 1} x schedule {etc, linear} x T {100, 1000}, in
// double; the table (true error, claimed error, ratio) is printed.
//
// "Not by much" is measured against max(true error, floor), the floor being the rounding level of a
// T-step computation: T independent roundings (u each) of the output law's shape accumulate to a
// relative error ~ sqrt(T) u, which moves KL by that times sqrt(2 KL) + 2 KL (the sensitivity the
// error model uses); below it the true error is an accident of the rounding, not a property the
// estimate could track.
// Measured (double): within 8.4x on all 48 cases (5.3x but for ddpm/posterior at T = 100, where the
// refinement difference dominates). Before the exact, phase-shifted grids and the random-walk drift
// charge 2 sqrt(steps) u (numerics/detail/mixture/grid.hpp, error_model.hpp) six linear cases were at
// 10.1x to 11.0x, the drift then being charged as steps u / 4; before this test's first commit the
// estimate was up to 740x (accelerated, T = 1000; 111x on etc: the continued tails were charged at the
// sensitivity q of int q log(q/p) instead of |p - q|, numerics/detail/mixture/divergences.hpp) and
// 15x at T = 100 (every step's condition number k charged at k - 1 units, line_engine.hpp).
// The issue's two-component case (etc, T = 1000, t_out = 0, accelerated) has no exact twin: against
// the same case in extended precision (its own estimate ~2e-21) the true error is 3.7e-20, a
// twentieth of the floor above, and the estimate 3.4e-18 = 4.6x the floor (it had been 36x a true
// error of 2.3e-19, 250x before the first commit); asserted within 10x of max(true error, floor) like
// the one-component cases.
#include "numerics/exact.hpp"

#include "case_builders.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

namespace diffbound {
namespace {

using testing::kAllSamplers;
using testing::mixture_case;
using testing::name_of;
using testing::sampler_of;

long double parse(const std::string& s) { return std::strtold(s.c_str(), nullptr); }

struct Bar { long double value, claimed; };
Bar bar_of(const Enclosure& e) {
  const long double v = parse(e.value_str);
  return {v, parse(e.hi_str) - v};
}

double floor_of(long steps, double kl) {
  const double u = std::numeric_limits<double>::epsilon();
  const double k = kl > 0 ? kl : 0;
  return std::sqrt(double(steps)) * u * (std::sqrt(2 * k) + 2 * k) + u * u;
}

TEST(MixtureErrorBars, OneComponentEstimateCoversAndIsTight) {
  std::printf("%-7s %-6s %-20s %-6s %-11s %-10s %-10s %-10s %s\n", "sched", "T", "sampler", "t_out", "KL", "true err",
              "claimed", "floor", "claimed/max(true,floor)");
  for (ScheduleKind schedule : {ScheduleKind::etc, ScheduleKind::linear})
    for (long T : {100L, 1000L})
      for (const auto& s : kAllSamplers)
        for (long t_out : {0L, 1L}) {
          CaseSpec m = mixture_case(MixtureSpec{1, MixtureLayout::axis, {"1"}, {"0.5"}, {"0.3"}}, schedule, T,
                                    sampler_of(s.kind, s.variance, t_out));
          CaseSpec g = m;
          g.target.family = Family::gaussian;
          g.target.gaussian.dim = 1;
          g.target.gaussian.scale = "0.3";
          g.target.gaussian.mean = {"0.5"};
          g.numerics.precision = Precision::certified;
          g.numerics.digits = 30;
          const long double truth = parse(compute_exact(g).kl.value_str);
          const Bar est = bar_of(compute_exact(m).kl);
          const double err = static_cast<double>(std::fabs(est.value - truth));
          const double claimed = static_cast<double>(est.claimed);
          const double floor = floor_of(T - t_out, static_cast<double>(truth));
          const double ratio = claimed / std::max(err, floor);
          const std::string sampler = std::string(s.kind) + "/" + s.variance;
          const std::string label = std::string(name_of(schedule)) + " T=" + std::to_string(T) + " " + sampler +
                                    " t_out=" + std::to_string(t_out);
          std::printf("%-7s %-6ld %-20s %-6ld %-11.4e %-10.3e %-10.3e %-10.3e %.1f\n", name_of(schedule), T,
                      sampler.c_str(), t_out, static_cast<double>(truth), err, claimed, floor, ratio);
          EXPECT_LE(err, claimed) << label << ": the estimate is below the true error";
          EXPECT_LE(ratio, 10) << label << ": estimate " << claimed << " against true error " << err << ", floor "
                                << floor;
        }
}

TEST(MixtureErrorBars, IssueTwoComponentCase) {
  CaseSpec c = mixture_case(MixtureSpec{1, MixtureLayout::axis, {"0.3", "0.7"}, {"-1.0", "1.5"}, {"0.5", "0.5"}},
                            ScheduleKind::etc, 1000, sampler_of("accelerated", "theory", 0));
  const Bar dbl = bar_of(compute_exact(c).kl);
  c.numerics.precision = Precision::extended;
  const Bar ext = bar_of(compute_exact(c).kl);
  const double err = static_cast<double>(std::fabs(dbl.value - ext.value));
  const double claimed = static_cast<double>(dbl.claimed);
  const double floor = floor_of(1000, static_cast<double>(ext.value));
  std::printf("two components, etc, T = 1000, t_out = 0, accelerated: KL %.12Le, true error %.3e (extended reference, "
              "+- %.1Le), claimed %.3e, floor %.3e, claimed/max(true,floor) %.1f\n", dbl.value, err, ext.claimed, claimed,
              floor, claimed / std::max(err, floor));
  ASSERT_LT(ext.claimed * 10, err) << "the extended reference must be far more accurate than the double run";
  EXPECT_LE(err + static_cast<double>(ext.claimed), claimed);
  EXPECT_LE(claimed, 10 * std::max(err, floor));
}

}  // namespace
}  // namespace diffbound
