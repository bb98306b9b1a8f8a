// Rate fitting (docs/math.md#verdicts) on synthetic data with known exponents.
#include "verify/rate_fit.hpp"

#include "numerics/input_error.hpp"

#include "tests/input_error_field.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace diffbound {
namespace {

std::vector<double> geometric(double first, double ratio, int n) {
  std::vector<double> x;
  for (int i = 0; i < n; ++i) x.push_back(first * std::pow(ratio, i));
  return x;
}

// The one definition of the fitted half (rate fits and the zero-crossing test of minus_limit claims both
// read it): the median of the swept values, in any order, with the mean of the middle two for an even count.
TEST(RateFit, UpperHalfStartsAtTheMedianOfTheSweep) {
  EXPECT_EQ(upper_half_start({}), 0);
  EXPECT_EQ(upper_half_start({7}), 7);
  EXPECT_EQ(upper_half_start({400, 100, 200}), 200);
  EXPECT_EQ(upper_half_start({800, 100, 400, 200}), 300);
  EXPECT_EQ(upper_half_start({5, 5, 1, 5}), 5);
}

TEST(RateFit, ExactPowerLawGivesItsExponent) {
  auto x = geometric(10, 2, 10);
  std::vector<double> y;
  for (double v : x) y.push_back(3 * std::pow(v, -1.5));
  PowerFit f = fit_power_law(x, y);
  EXPECT_NEAR(f.slope, -1.5, 1e-12);
  EXPECT_NEAR(f.intercept, std::log(3.0), 1e-10);
  EXPECT_EQ(f.points, 5u);  // upper half of 10 points
  EXPECT_LT(f.residual, 1e-12);
  EXPECT_DOUBLE_EQ(f.x_min, 320);  // median (160 + 320)/2 = 240
  EXPECT_DOUBLE_EQ(f.x_max, 5120);
}

TEST(RateFit, UpperHalfKeepsPointsAtOrAboveTheMedian) {
  std::vector<double> x = {1, 2, 3, 4, 5, 6, 7, 8, 9};  // median 5: keeps 5..9
  std::vector<double> y;
  for (double v : x) y.push_back(1 / v);
  PowerFit f = fit_power_law(x, y);
  EXPECT_EQ(f.points, 5u);
  EXPECT_DOUBLE_EQ(f.x_min, 5);
  EXPECT_NEAR(f.slope, -1, 1e-12);
}

TEST(RateFit, UpperHalfSelectionMatters) {
  // Pre-asymptotic x^-2 up to x = 16, then exactly x^-1 (continuous at 16). The sweep's upper half
  // (x >= 16) sees only the asymptotic rate; a fit over all points would be steeper.
  auto x = geometric(1, 2, 9);  // 1 .. 256, median 16
  std::vector<double> y;
  for (double v : x) y.push_back(v <= 16 ? std::pow(v, -2) : 1 / (16 * v));
  PowerFit f = fit_power_law(x, y);
  EXPECT_NEAR(f.slope, -1, 1e-12);
  EXPECT_EQ(f.points, 5u);
  EXPECT_LT(f.residual, 1e-12);
}

TEST(RateFit, OrderOfTheSweepDoesNotMatter) {
  std::vector<double> x = {64, 2, 256, 8, 1, 32, 4, 128, 16};
  std::vector<double> y;
  for (double v : x) y.push_back(v <= 16 ? std::pow(v, -2) : 1 / (16 * v));
  EXPECT_NEAR(fit_power_law(x, y).slope, -1, 1e-12);
}

TEST(RateFit, LogSquaredOverTIsFittedAsItsLocalExponent) {
  // y = 5 log^2 x / x has local exponent -1 + 2/log x: the fitted exponent lies between its values at
  // the ends of the fitted range and is visibly slower than 1/x.
  auto x = geometric(16, 2, 17);  // 2^4 .. 2^20, upper half 2^12 .. 2^20
  std::vector<double> y, shape, inverse;
  for (double v : x) {
    double l = std::log(v);
    y.push_back(5 * l * l / v);
    shape.push_back(l * l / v);
    inverse.push_back(1 / v);
  }
  RateClaimFit claim = fit_rate_claim(x, y, shape, 0.05);
  EXPECT_NEAR(claim.ratio.slope, 0, 1e-12);
  EXPECT_NEAR(claim.implied_constant, 5, 1e-12);
  EXPECT_TRUE(claim.pass);
  double lo = -1 + 2 / std::log(claim.measured.x_max), hi = -1 + 2 / std::log(claim.measured.x_min);
  EXPECT_GT(claim.measured.slope, lo);
  EXPECT_LT(claim.measured.slope, hi);
  EXPECT_GT(claim.measured.residual, 0);  // not a pure power law

  // Against the faster claim 1/x, the excess exponent is the log factor's: the claim fails.
  RateClaimFit faster = fit_rate_claim(x, y, inverse, 0.05);
  EXPECT_NEAR(faster.ratio.slope, claim.measured.slope + 1, 1e-12);
  EXPECT_GT(faster.ratio.slope, 0.1);
  EXPECT_FALSE(faster.pass);
  EXPECT_NEAR(faster.implied_constant, 5 * std::pow(std::log(x.back()), 2), 1e-6);
}

TEST(RateFit, ClaimSlowerThanMeasuredPassesAndReportsTheObservedExponent) {
  auto x = geometric(10, 10, 5);  // 10 .. 1e5
  std::vector<double> kl, shape;
  for (double v : x) {
    kl.push_back(0.7 / (v * v));      // measured decays like T^-2
    shape.push_back(1 / std::sqrt(v));  // claim T^-1/2
  }
  RateClaimFit c = fit_rate_claim(x, kl, shape, 0.0);
  EXPECT_TRUE(c.pass);
  EXPECT_NEAR(c.ratio.slope, -1.5, 1e-12);
  EXPECT_NEAR(c.measured.slope, -2, 1e-12);
  EXPECT_NEAR(c.implied_constant, 0.7 / std::pow(10, 1.5), 1e-15);  // max ratio at the smallest x
}

TEST(RateFit, BadDataIsAnInputErrorNamingTheField) {
  std::vector<double> x = {1, 2, 3, 4};
  EXPECT_EQ(testing::field_of([&] { fit_power_law(x, {1, 2, 0, 4}, "T"); }), "T");        // y <= 0
  EXPECT_EQ(testing::field_of([&] { fit_power_law(x, {1, 2, NAN, 4}, "T"); }), "T");      // NaN
  EXPECT_EQ(testing::field_of([&] { fit_power_law(x, {1, 2, 3}, "T"); }), "T");           // lengths differ
  EXPECT_EQ(testing::field_of([&] { fit_power_law({1, 2}, {1, 2}, "T"); }), "T");         // one point in upper half
  EXPECT_EQ(testing::field_of([&] { fit_power_law({1, 5, 5, 5}, {1, 2, 3, 4}, "T"); }), "T");  // no distinct x kept
  EXPECT_EQ(testing::field_of([&] { fit_rate_claim(x, {1, 1, 1, 1}, {1, 0, 1, 1}, 0.1, "c"); }), "c.shape");
  EXPECT_NO_THROW(fit_power_law({1, 2, 3}, {1, 2, 3}));  // median 2: keeps 2 and 3
}

}  // namespace
}  // namespace diffbound
