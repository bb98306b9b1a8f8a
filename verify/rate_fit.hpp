// Measured exponents for rate claims (docs/math.md#bounds, docs/math.md#verdicts): least-squares slope of log y against log x over
// the asymptotic (upper) half of a sweep.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace diffbound {

// log y = intercept + slope log x, fitted by least squares.
struct PowerFit {
  double slope = 0, intercept = 0;
  std::size_t points = 0;  // points used (the upper half of the sweep)
  double residual = 0;     // root-mean-square residual in log y (0 for an exact power law)
  double x_min = 0, x_max = 0;  // range of x actually fitted
};

// Where the fitted (upper) half of a sweep starts: the median of the swept x (the mean of the two middle
// values for an even count; 0 for none). Points with x >= it are fitted.
double upper_half_start(std::vector<double> x);

// Fits over the upper half of the swept range: points sorted by x, those with x >= the median kept
// (ties at the median are kept). Needs >= 2 distinct x among the kept points, x > 0 and y > 0
// (throws InputError naming `field` and the offending point otherwise).
PowerFit fit_power_law(const std::vector<double>& x, const std::vector<double>& y,
                       const std::string& field = "rate_fit");

// The verdict numbers of a rate claim along one swept variable.
struct RateClaimFit {
  PowerFit ratio;            // fit of measured/shape: its slope is the excess exponent
  PowerFit measured;         // fit of the measured quantity itself: the exponent actually observed
  double implied_constant = 0;  // max(measured/shape) over the whole sweep
  double tolerance = 0;
  bool pass = false;         // ratio.slope <= tolerance
};

// measured and shape are evaluated at the same sweep points x; all must be positive.
RateClaimFit fit_rate_claim(const std::vector<double>& x, const std::vector<double>& measured,
                            const std::vector<double>& shape, double tolerance,
                            const std::string& field = "rate_fit");

}  // namespace diffbound
