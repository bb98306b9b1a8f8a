#include "verify/rate_fit.hpp"

#include "numerics/input_error.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>

namespace diffbound {

namespace {
std::string point_text(double x, double y) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "(x = %.17g, y = %.17g)", x, y);
  return buf;
}
}  // namespace

double upper_half_start(std::vector<double> x) {
  const std::size_t n = x.size();
  if (n == 0) return 0;
  std::sort(x.begin(), x.end());
  return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

PowerFit fit_power_law(const std::vector<double>& x, const std::vector<double>& y, const std::string& field) {
  if (x.size() != y.size())
    throw InputError(field, std::to_string(x.size()) + " x, " + std::to_string(y.size()) + " y",
                     "x and y must have the same length");
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!(x[i] > 0) || !(y[i] > 0) || !std::isfinite(x[i]) || !std::isfinite(y[i]))
      throw InputError(field, point_text(x[i], y[i]), "a log-log fit needs finite x > 0 and y > 0");

  // Upper half: sort by x and keep x >= median (the asymptotic end of the sweep).
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  const std::size_t n = order.size();
  const double median = upper_half_start(x);
  std::vector<double> lx, ly;
  for (std::size_t i : order)
    if (x[i] >= median) {
      lx.push_back(std::log(x[i]));
      ly.push_back(std::log(y[i]));
    }
  if (lx.size() < 2 || lx.front() == lx.back())
    throw InputError(field, std::to_string(n) + " points",
                     "a rate fit needs at least two distinct x values in the upper half of the sweep "
                     "(sweep at least 3 distinct values)");

  // Centered least squares: numerically stable for the few points of a sweep.
  double m = static_cast<double>(lx.size());
  double mx = std::accumulate(lx.begin(), lx.end(), 0.0) / m;
  double my = std::accumulate(ly.begin(), ly.end(), 0.0) / m;
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < lx.size(); ++i) {
    sxx += (lx[i] - mx) * (lx[i] - mx);
    sxy += (lx[i] - mx) * (ly[i] - my);
  }
  PowerFit fit;
  fit.slope = sxy / sxx;
  fit.intercept = my - fit.slope * mx;
  fit.points = lx.size();
  double ss = 0;
  for (std::size_t i = 0; i < lx.size(); ++i) {
    double r = ly[i] - (fit.intercept + fit.slope * lx[i]);
    ss += r * r;
  }
  fit.residual = std::sqrt(ss / m);
  fit.x_min = std::exp(lx.front());
  fit.x_max = std::exp(lx.back());
  return fit;
}

RateClaimFit fit_rate_claim(const std::vector<double>& x, const std::vector<double>& measured,
                            const std::vector<double>& shape, double tolerance, const std::string& field) {
  if (measured.size() != shape.size())
    throw InputError(field, std::to_string(measured.size()) + " measured, " + std::to_string(shape.size()) + " shape",
                     "measured and shape must have the same length");
  std::vector<double> ratio(measured.size());
  for (std::size_t i = 0; i < measured.size(); ++i) {
    if (!(shape[i] > 0) || !std::isfinite(shape[i]))
      throw InputError(field + ".shape", point_text(x.at(i), shape[i]), "the claimed shape must be finite and > 0");
    ratio[i] = measured[i] / shape[i];
  }
  RateClaimFit out;
  out.measured = fit_power_law(x, measured, field + ".measured");
  out.ratio = fit_power_law(x, ratio, field + ".ratio");
  out.implied_constant = *std::max_element(ratio.begin(), ratio.end());
  out.tolerance = tolerance;
  out.pass = out.ratio.slope <= tolerance;
  return out;
}

}  // namespace diffbound
