#pragma once
// W2 between a sampled 1-D output density and the target mixture (docs/math.md#w2-mixture):
// W2^2 = int_0^1 (F^-1(u) - G^-1(u))^2 du = int (x - G^-1(F(x)))^2 p(x) dx, with F the output's
// cumulative mass on the grid and G the target's CDF in closed form.

#include "numerics/detail/log_sum_exp.hpp"
#include "numerics/mixture_target.hpp"

#include <boost/math/constants/constants.hpp>

#include <cmath>
#include <vector>

namespace diffbound::detail {

// log G(x) (upper = false) or log(1 - G(x)) (upper = true) of a 1-D mixture, per component by erfc so
// that neither tail loses digits to 1 - (something near 1).
template <class Real> Real log_mixture_tail(const Mixture1D<Real>& q, const Real& x, bool upper) {
  using std::erfc; using std::log; using std::sqrt;
  const Real r2 = boost::math::constants::root_two<Real>();
  std::vector<Real> a(q.size());
  for (std::size_t k = 0; k < q.size(); ++k) {
    const Real z = (x - q.mean[k]) * sqrt(q.precision[k]);
    a[k] = log(Real(erfc(Real((upper ? z : Real(-z)) / r2)) / 2));
  }
  return log_sum_exp(a.data(), a.size(), q.weight.data());
}

template <class Real> struct GridW2 {
  Real w2_squared = Real(0);
  Real x_max = Real(0);  // largest |x| carrying mass: the nodes' rounding scale
};

// x[j], p[j] (p[j] <= 0 or !usable[j]: no mass) on a uniform grid of spacing h; q the target's marginal.
// Cumulative masses cell by cell (an eighth-order interpolatory rule), accumulated from both ends so
// that each tail keeps its relative accuracy; the monotone map T = G^-1 o F is solved per node by
// Newton on log G (or log(1 - G) in the upper half) from the previous node's solution; the outer
// integral is the trapezoid rule (smooth, decaying integrand).
template <class Real>
GridW2<Real> w2_squared_on_grid(const Real& h, const std::vector<Real>& x, const std::vector<Real>& p_in,
                                const std::vector<char>& usable, const Mixture1D<Real>& q) {
  using std::abs; using std::exp; using std::log; using std::sqrt;
  const long n = static_cast<long>(p_in.size());
  std::vector<Real> p(n);
  for (long j = 0; j < n; ++j) p[j] = usable[j] && p_in[j] > 0 ? p_in[j] : Real(0);
  auto at = [&](long j) { return j < 0 || j >= n ? Real(0) : p[j]; };
  // cell masses by the 8-point interpolatory rule over the middle cell (eighth order; weights
  // integrate the Lagrange basis on nodes -3..4 over [0, 1], exact rationals; nodes past the grid ends,
  // where p is ~0, count as 0), clipped at 0 in the tails
  const Real w0 = Real(68323) / 120960, w1 = Real(-353) / 4480, w2 = Real(1879) / 120960, w3 = Real(-191) / 120960;
  std::vector<Real> cell(n > 0 ? n - 1 : 0);
  for (long j = 0; j + 1 < n; ++j) {
    const Real c = h * (w0 * (p[j] + p[j + 1]) + w1 * (at(j - 1) + at(j + 2)) + w2 * (at(j - 2) + at(j + 3)) +
                        w3 * (at(j - 3) + at(j + 4)));
    cell[j] = c > 0 ? c : Real(0);
  }
  std::vector<Real> lower(n, Real(0)), upper(n, Real(0));
  for (long j = 1; j < n; ++j) lower[j] = lower[j - 1] + cell[j - 1];
  for (long j = n - 2; j >= 0; --j) upper[j] = upper[j + 1] + cell[j];
  GridW2<Real> out;
  if (n < 3) return out;
  const Real mass = lower[n - 1];
  Real mass_p(0);
  for (long j = 0; j < n; ++j) mass_p += p[j];
  mass_p *= h;
  Real sd_max(0), sd_min(-1);
  for (const Real& v : q.variance) {
    const Real s = sqrt(v);
    if (s > sd_max) sd_max = s;
    if (sd_min < 0 || s < sd_min) sd_min = s;
  }
  const Real u = unit_roundoff<Real>();
  const Real floor_mass = Real(1e-280) > u * u * u ? Real(1e-280) : Real(u * u * u);
  Real T = x[0], sum(0);
  bool have_T = false;
  for (long j = 0; j < n; ++j) {
    if (!(p[j] > 0)) continue;
    const Real F = lower[j] / mass, S = upper[j] / mass;
    const bool up = S < F;
    const Real target_mass = up ? S : F;
    if (!(target_mass > floor_mass)) continue;  // below any representable tail: p there is ~0 too
    const Real ell = log(target_mass);
    if (!have_T) T = x[j];
    have_T = true;
    for (int it = 0; it < 200; ++it) {
      const Real L = log_mixture_tail(q, T, up);
      const Real f = L - ell;
      const Real slope = exp(Real(log_density(q, T) - L)) * (up ? Real(-1) : Real(1));
      Real step = -f / slope;
      // log G underflowed (T far below the target's support) or log(1 - G) did (far above): move
      // toward the support
      if (!is_finite_value(step)) step = up ? Real(-sd_max) : Real(sd_max);
      if (abs(step) > 2 * sd_max) step = step > 0 ? Real(2 * sd_max) : Real(-2 * sd_max);
      T += step;
      if (abs(step) <= 4 * u * (abs(T) + sd_min)) break;
    }
    const Real dx = x[j] - T;
    sum += p[j] * dx * dx;
    if (abs(x[j]) > out.x_max) out.x_max = abs(x[j]);
  }
  out.w2_squared = h * sum / mass_p;
  return out;
}

}  // namespace diffbound::detail
