#include "numerics/schedule.hpp"

#include "numerics/input_error.hpp"

#include <boost/math/constants/constants.hpp>

namespace diffbound {

namespace {

template <class Real> std::vector<Real> betas_of(const ScheduleSpec& spec) {
  using std::cos; using std::log; using std::pow; using std::sin;
  const long T = spec.steps;
  std::vector<Real> beta(T + 1, Real(0));
  switch (spec.kind) {
    case ScheduleKind::etc: {
      const Real c = from_decimal<Real>(spec.c), delta = from_decimal<Real>(spec.delta);
      const Real rate = c * log(Real(T)) / Real(T);
      beta[1] = delta;
      for (long t = 2; t <= T; ++t) beta[t] = rate * min_of(delta * pow(Real(1) + rate, Real(t)), Real(1));
      break;
    }
    case ScheduleKind::linear: {
      const Real lo = from_decimal<Real>(spec.b_min), hi = from_decimal<Real>(spec.b_max);
      for (long t = 1; t <= T; ++t) {
        const Real frac = T > 1 ? Real(t - 1) / Real(T - 1) : Real(0);
        beta[t] = (lo + (hi - lo) * frac) / Real(T);
      }
      break;
    }
    case ScheduleKind::cosine: {
      // 1 - f(t)/f(t-1) with f = cos^2(theta): written as sin(a+b) sin(b-a) / cos^2(a), which has no
      // cancellation when consecutive f values are close.
      const Real s = from_decimal<Real>(spec.s);
      const Real half_pi = boost::math::constants::half_pi<Real>();
      auto theta = [&](long u) { return (Real(u) / Real(T) + s) / (Real(1) + s) * half_pi; };
      const Real cap = from_decimal<Real>("0.999");
      for (long t = 1; t <= T; ++t) {
        const Real a = theta(t - 1), b = theta(t);
        const Real ca = cos(a);
        beta[t] = min_of(Real(sin(a + b) * sin(b - a) / (ca * ca)), cap);
      }
      break;
    }
    case ScheduleKind::constant: {
      const Real eta = from_decimal<Real>(spec.eta);
      for (long t = 1; t <= T; ++t) beta[t] = eta;
      break;
    }
    case ScheduleKind::table:
      for (long t = 1; t <= T; ++t) beta[t] = from_decimal<Real>(spec.betas[t - 1]);
      break;
    case ScheduleKind::exponential: break;  // refused by make_schedule
  }
  return beta;
}

}  // namespace

template <class Real> Schedule<Real> make_schedule(const ScheduleSpec& spec) {
  using std::exp; using std::expm1; using std::log1p;
  if (spec.steps < 1) throw InputError("schedule.steps", std::to_string(spec.steps), "must be at least 1");
  if (spec.kind == ScheduleKind::exponential)
    throw InputError("schedule.kind", "exponential",
                     "the exponential schedule is a continuous-time beta(t) (docs/math.md#vp-sde-general): use it with the "
                     "continuous-time samplers (sde-em, sde-ei, ode-rk4, ...), not a discrete chain");
  if (spec.kind == ScheduleKind::table && static_cast<long>(spec.betas.size()) != spec.steps)
    throw InputError("schedule.betas", std::to_string(spec.betas.size()) + " entries",
                     "must list exactly steps = " + std::to_string(spec.steps) + " values");
  Schedule<Real> out;
  out.steps = spec.steps;
  out.beta = betas_of<Real>(spec);
  const long T = spec.steps;
  out.alpha.assign(T + 1, Real(1));
  out.alpha_bar.assign(T + 1, Real(1));
  out.one_minus_alpha_bar.assign(T + 1, Real(0));
  Real log_alpha_bar(0);
  for (long t = 1; t <= T; ++t) {
    const Real& b = out.beta[t];
    if (!certainly_positive(b) || !certainly_less(b, Real(1))) {
      std::string field = spec.kind == ScheduleKind::table ? "schedule.betas[" + std::to_string(t - 1) + "]"
                                                           : "schedule (" + to_string(spec.kind) + ") beta_" + std::to_string(t);
      std::string hint = spec.kind == ScheduleKind::linear ? " (the linear schedule needs steps > b_max, i.e. T > 20 by default)" : "";
      throw InputError(field, to_decimal(Real(b)), "every beta_t must lie in (0, 1)" + hint);
    }
    out.alpha[t] = Real(1) - b;
    log_alpha_bar += log1p(-b);
    out.alpha_bar[t] = exp(log_alpha_bar);
    out.one_minus_alpha_bar[t] = -expm1(log_alpha_bar);
  }
  return out;
}

template Schedule<double> make_schedule<double>(const ScheduleSpec&);
template Schedule<long double> make_schedule<long double>(const ScheduleSpec&);
template Schedule<mpfr_real> make_schedule<mpfr_real>(const ScheduleSpec&);
template Schedule<interval_real> make_schedule<interval_real>(const ScheduleSpec&);

}  // namespace diffbound
