// Number types of diffbound and the few operations the engines need that differ between a
// point type (double, long double, MPFR) and an interval type (MPFI). Every engine is a template on
// Real. `long double` (x87 extended, 64-bit significand, u = 5.4e-20) is the mixture engine's
// `extended` precision: hardware speed with three more digits than double.
#pragma once

#include <boost/multiprecision/mpfi.hpp>
#include <boost/multiprecision/mpfr.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace diffbound {

// MPFR with the precision chosen at run time (thread-local default precision).
// Expression templates are off so that `auto` in generic code never captures a dangling expression.
using mpfr_real = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<0>,
                                                boost::multiprecision::et_off>;

// Certified type: MPFI intervals through Boost.Multiprecision. Chosen over Arb because it plugs into
// the same templated code as mpfr_real (same operators, log1p/expm1/cos/pow with outward rounding),
// so the certified engine is the very code path the point engines run, not a re-implementation.
using interval_real = boost::multiprecision::number<boost::multiprecision::mpfi_float_backend<0>,
                                                    boost::multiprecision::et_off>;

template <class Real> inline constexpr bool is_interval_v = std::is_same_v<Real, interval_real>;

// A certified computation whose enclosures grew too wide to decide a sign it needs (e.g. a Cholesky
// pivot): more digits fix it, so verify retries at a higher precision.
class PrecisionLoss : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};
template <class Real> inline constexpr bool is_multiprecision_v = !std::is_floating_point_v<Real>;

// Sets the working precision (decimal digits) of MPFR and MPFI numbers created on this thread.
class PrecisionScope {
public:
  explicit PrecisionScope(unsigned digits10)
      : old_mpfr_(mpfr_real::thread_default_precision()),
        old_mpfi_(interval_real::thread_default_precision()) {
    mpfr_real::thread_default_precision(digits10);
    interval_real::thread_default_precision(digits10);
  }
  ~PrecisionScope() {
    mpfr_real::thread_default_precision(old_mpfr_);
    interval_real::thread_default_precision(old_mpfi_);
  }
  PrecisionScope(const PrecisionScope&) = delete;
  PrecisionScope& operator=(const PrecisionScope&) = delete;

private:
  unsigned old_mpfr_, old_mpfi_;
};

// A decimal literal as Real: for intervals, an enclosure of the decimal value itself, so that
// inputs like 0.001 are represented exactly in the certified sense.
template <class Real> Real from_decimal(const std::string& text) {
  if constexpr (std::is_same_v<Real, double>) {
    std::size_t used = 0;
    double v = std::stod(text, &used);
    if (used != text.size()) throw std::invalid_argument("not a number: " + text);
    return v;
  } else if constexpr (std::is_same_v<Real, long double>) {
    std::size_t used = 0;
    long double v = std::stold(text, &used);
    if (used != text.size()) throw std::invalid_argument("not a number: " + text);
    return v;
  } else {
    return Real(text);
  }
}

template <class Real> Real from_int(long long n) { return Real(n); }

// Lower and upper ends of the enclosure (the value itself for point types).
template <class Real> double lower_double(const Real& x) {
  if constexpr (is_interval_v<Real>) {
    mpfr_real lo;
    mpfi_get_left(lo.backend().data(), x.backend().data());
    return mpfr_get_d(lo.backend().data(), MPFR_RNDD);  // rounded down: still a lower bound
  } else {
    return static_cast<double>(x);
  }
}
template <class Real> double upper_double(const Real& x) {
  if constexpr (is_interval_v<Real>) {
    mpfr_real hi;
    mpfi_get_right(hi.backend().data(), x.backend().data());
    return mpfr_get_d(hi.backend().data(), MPFR_RNDU);  // rounded up: still an upper bound
  } else {
    return static_cast<double>(x);
  }
}
template <class Real> double mid_double(const Real& x) {
  if constexpr (is_interval_v<Real>) {
    mpfr_real m;
    mpfi_mid(m.backend().data(), x.backend().data());
    return static_cast<double>(m);
  } else {
    return static_cast<double>(x);
  }
}

// Interval endpoints as MPFR numbers at the current precision (exact copies of the endpoints).
inline mpfr_real lower_of(const interval_real& x) {
  mpfr_real lo;
  mpfi_get_left(lo.backend().data(), x.backend().data());
  return lo;
}
inline mpfr_real upper_of(const interval_real& x) {
  mpfr_real hi;
  mpfi_get_right(hi.backend().data(), x.backend().data());
  return hi;
}
inline interval_real make_interval(const mpfr_real& lo, const mpfr_real& hi) {
  interval_real r;
  mpfi_interv_fr(r.backend().data(), lo.backend().data(), hi.backend().data());
  return r;
}

// Decimal string with every digit the type carries.
template <class Real> std::string to_decimal(const Real& x) {
  if constexpr (std::is_same_v<Real, double>) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
  } else if constexpr (std::is_same_v<Real, long double>) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.21Lg", x);
    return buf;
  } else if constexpr (is_interval_v<Real>) {
    return to_decimal(mpfr_real(boost::multiprecision::median(x)));
  } else {
    return x.str(0, std::ios_base::scientific);
  }
}

// Directed decimal strings for interval ends: rounded outward so the printed interval still
// contains the true value.
std::string directed_decimal(const mpfr_real& x, bool round_up);
template <class Real> std::string lower_decimal(const Real& x) {
  if constexpr (is_interval_v<Real>) return directed_decimal(lower_of(x), false);
  else return to_decimal(x);
}
template <class Real> std::string upper_decimal(const Real& x) {
  if constexpr (is_interval_v<Real>) return directed_decimal(upper_of(x), true);
  else return to_decimal(x);
}

// True only when x is certainly below / above y (for intervals: the whole enclosure).
template <class Real> bool certainly_less(const Real& x, const Real& y) {
  if constexpr (is_interval_v<Real>) return upper_of(x) < lower_of(y);
  else return x < y;
}
template <class Real> bool certainly_positive(const Real& x) { return certainly_less(Real(0), x); }

template <class Real> bool is_finite_value(const Real& x) {
  using std::isfinite;
  if constexpr (is_interval_v<Real>) return isfinite(lower_of(x)) && isfinite(upper_of(x));
  else if constexpr (std::is_floating_point_v<Real>) return std::isfinite(x);
  else return boost::multiprecision::isfinite(x);
}

// min(x, y) as an enclosure: for intervals the hull of the possible minima.
template <class Real> Real min_of(const Real& x, const Real& y) {
  if constexpr (is_interval_v<Real>) {
    mpfr_real xl = lower_of(x), yl = lower_of(y), xh = upper_of(x), yh = upper_of(y);
    mpfr_real lo = xl < yl ? xl : yl, hi = xh < yh ? xh : yh;
    return make_interval(lo, hi);
  } else {
    return x < y ? x : y;
  }
}
template <class Real> Real max_of(const Real& x, const Real& y) {
  if constexpr (is_interval_v<Real>) {
    mpfr_real xl = lower_of(x), yl = lower_of(y), xh = upper_of(x), yh = upper_of(y);
    mpfr_real lo = xl < yl ? yl : xl, hi = xh < yh ? yh : xh;
    return make_interval(lo, hi);
  } else {
    return x < y ? y : x;
  }
}

// Unit roundoff of the working type: thresholds are expressed through it, never as literals.
template <class Real> Real unit_roundoff() {
  if constexpr (std::is_floating_point_v<Real>) return std::numeric_limits<Real>::epsilon();
  else return Real(std::numeric_limits<mpfr_real>::epsilon());
}

template <class Real> Real positive_infinity() {
  if constexpr (std::is_floating_point_v<Real>) return std::numeric_limits<Real>::infinity();
  else return Real(std::numeric_limits<mpfr_real>::infinity());
}

}  // namespace diffbound
