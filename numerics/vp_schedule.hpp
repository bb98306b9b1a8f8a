// The schedule of the general VP SDE dX = -(beta(t)/(2 sigma_inf^2)) X dt + sqrt(beta(t)) dB on
// [0, T_f] (docs/math.md#vp-sde-general), in any number type: beta, its integral B, A = B/(2 sigma_inf^2),
// the marginal scale mu = e^{-A} and variance sigma^2 = sigma_inf^2 (1 - mu^2) of Q_t = law(mu X_0 + sigma Z).
// The continuous-time engine and the explicit-constant bounds read it.
#pragma once

#include "numerics/detail/expm1_minus_x.hpp"
#include "numerics/input_error.hpp"
#include "numerics/real.hpp"
#include "numerics/schedule.hpp"

#include <cmath>

namespace diffbound {

template <class Real> struct VpSchedule {
  Real b_min, b_max, horizon, sigma_inf, sigma_inf2;
  bool exponential = false;
  Real rate;  // exponential only

  // beta(t): linear b_min + (b_max - b_min) t / T_f
  Real beta(const Real& t) const {
    using std::expm1;
    if (!exponential) return b_min + (b_max - b_min) * t / horizon;
    return b_min + (b_max - b_min) * expm1(rate * t) / expm1(rate * horizon);
  }
  // B(t) = int_0^t beta
  Real B(const Real& t) const {
    using std::expm1;
    if (!exponential) return b_min * t + (b_max - b_min) * t * t / (2 * horizon);
    // (e^{at} - 1)/a - t = (expm1(at) - at)/a, evaluated without cancellation
    return b_min * t + (b_max - b_min) * detail::expm1_minus_x(Real(rate * t)) / (rate * expm1(rate * horizon));
  }
  // B(t + h) - B(t) without cancellation (docs/math.md#vp-sde-general): linear h beta(t + h/2); exponential
  // (e^{a(t+h)} - e^{at})/a - h = e^{at} g(ah)/a + h expm1(at), g(x) = expm1(x) - x: both terms have the sign
  // of a, as has expm1(a T_f)
  Real B_increment(const Real& t, const Real& h) const {
    using std::exp; using std::expm1;
    if (!exponential) return h * beta(Real(t + h / 2));
    const Real inner = exp(rate * t) * detail::expm1_minus_x(Real(rate * h)) / rate + h * expm1(rate * t);
    return b_min * h + (b_max - b_min) * inner / expm1(rate * horizon);
  }
  Real A(const Real& t) const { return B(t) / (2 * sigma_inf2); }
  Real mu(const Real& t) const { using std::exp; return exp(-A(t)); }
  Real mu2(const Real& t) const { using std::exp; return exp(-2 * A(t)); }
  // sigma(t)^2 = sigma_inf^2 (1 - mu^2), as -expm1 so it keeps its digits near t = 0
  Real sigma2(const Real& t) const { using std::expm1; return -sigma_inf2 * expm1(-2 * A(t)); }
};

// Reads kind (linear | exponential), b_min, b_max, rate, horizon and sigma_inf, or throws InputError
// naming the field: b_min <= 0, b_max < b_min, horizon <= 0, sigma_inf <= 0, rate missing or 0 with
// exponential.
template <class Real> VpSchedule<Real> make_vp_schedule(const ScheduleSpec& spec) {
  auto number = [](const std::string& field, const std::string& text) {
    double v;
    try { v = from_decimal<double>(text); } catch (...) { throw InputError(field, text, "not a number"); }
    if (!std::isfinite(v)) throw InputError(field, text, "must be a finite number");
    return v;
  };
  auto positive = [&](const std::string& field, const std::string& text) {
    if (!(number(field, text) > 0)) throw InputError(field, text, "must be > 0");
  };
  positive("schedule.b_min", spec.b_min);
  positive("schedule.horizon", spec.horizon);
  positive("schedule.sigma_inf", spec.sigma_inf);
  if (!(number("schedule.b_max", spec.b_max) >= number("schedule.b_min", spec.b_min)))
    throw InputError("schedule.b_max", spec.b_max, "must be >= schedule.b_min = " + spec.b_min);
  VpSchedule<Real> s;
  s.b_min = from_decimal<Real>(spec.b_min);
  s.b_max = from_decimal<Real>(spec.b_max);
  s.horizon = from_decimal<Real>(spec.horizon);
  s.sigma_inf = from_decimal<Real>(spec.sigma_inf);
  s.sigma_inf2 = s.sigma_inf * s.sigma_inf;
  if (spec.kind == ScheduleKind::linear) return s;
  if (spec.kind == ScheduleKind::exponential) {
    if (spec.rate.empty())
      throw InputError("schedule.rate", "(missing)", "the exponential schedule needs rate = a (a != 0; a -> 0 is the linear schedule)");
    if (!(number("schedule.rate", spec.rate) != 0))
      throw InputError("schedule.rate", spec.rate, "must be nonzero (a -> 0 is the linear schedule: use kind = \"linear\")");
    s.exponential = true;
    s.rate = from_decimal<Real>(spec.rate);
    return s;
  }
  throw InputError("schedule.kind", to_string(spec.kind), "the continuous-time samplers take linear or exponential");
}

}  // namespace diffbound
