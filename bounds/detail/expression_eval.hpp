// Evaluation of a parsed Expression in one number type. Included only by the three instantiation
// files (expression_double.cpp, expression_mpfr.cpp, expression_interval.cpp).
#pragma once

#include "bounds/expression.hpp"

#include <mpfr.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <type_traits>

namespace diffbound {

namespace detail {

// Lower / upper end as MPFR numbers (the value itself for point types).
template <class Real> mpfr_real lo_end(const Real& x) {
  if constexpr (is_interval_v<Real>) return lower_of(x);
  else return mpfr_real(x);
}
template <class Real> mpfr_real hi_end(const Real& x) {
  if constexpr (is_interval_v<Real>) return upper_of(x);
  else return mpfr_real(x);
}

// x^n for an integer n, as a tight enclosure for intervals: each end through MPFR's correctly
// rounded pow with directed rounding, taking the monotone pieces of t -> t^n into account.
inline interval_real interval_ipow(const interval_real& x, long n) {
  mpfr_real lo = lower_of(x), hi = upper_of(x);
  auto p = [n](const mpfr_real& v, mpfr_rnd_t rnd) {
    mpfr_real out;
    mpfr_pow_si(out.backend().data(), v.backend().data(), n, rnd);
    return out;
  };
  if (n % 2 != 0 || lo >= 0) return make_interval(p(lo, MPFR_RNDD), p(hi, MPFR_RNDU));  // increasing
  if (hi <= 0) return make_interval(p(hi, MPFR_RNDD), p(lo, MPFR_RNDU));                // decreasing
  mpfr_real m = -lo > hi ? mpfr_real(-lo) : hi;                                          // straddles 0
  return make_interval(mpfr_real(0), p(m, MPFR_RNDU));
}

// Integer value of an exponent, when it is a point integer of moderate size.
template <class Real> std::optional<long> integer_exponent(const Real& y) {
  mpfr_real lo = lo_end(y), hi = hi_end(y);
  if (lo != hi || !boost::multiprecision::isfinite(lo)) return std::nullopt;
  if (boost::multiprecision::floor(lo) != lo || abs(lo) > 1e6) return std::nullopt;
  return lo.template convert_to<long>();
}

}  // namespace detail

template <class Real> Real Expression::evaluate(const BoundInputs<Real>& in) const {
  require_available(in, variables_, field_);
  Real v = eval(root_, in);
  if (!is_finite_value(v)) domain_error(nodes_[root_], "the value is not finite (overflow?)");
  return v;
}

template <class Real> Real Expression::eval(int index, const BoundInputs<Real>& in) const {
  using detail::hi_end;
  using detail::lo_end;
  using std::exp;
  using std::log;
  using std::pow;
  using std::sqrt;
  const Node& n = nodes_[index];
  switch (n.op) {
    case Op::number:
      if constexpr (std::is_floating_point_v<Real>) {
        // std::stod (from_decimal) throws std::out_of_range on overflow and on underflow; strtod's value is
        // the correctly rounded one double arithmetic means by the literal (0 or a subnormal on underflow).
        // An overflow to infinity is refused like any other non-finite value, naming the number.
        char* end = nullptr;
        const Real v = std::is_same_v<Real, double> ? Real(std::strtod(n.number.c_str(), &end)) : Real(std::strtold(n.number.c_str(), &end));
        if (end != n.number.c_str() + n.number.size()) return from_decimal<Real>(n.number);  // its own error
        if (!std::isfinite(v)) domain_error(n, "the number " + n.number + " overflows this number type");
        return v;
      } else {
        return from_decimal<Real>(n.number);
      }
    case Op::variable: return get(in, n.var);
    case Op::neg: return -eval(n.a, in);
    case Op::add: return eval(n.a, in) + eval(n.b, in);
    case Op::sub: return eval(n.a, in) - eval(n.b, in);
    case Op::mul: return eval(n.a, in) * eval(n.b, in);
    case Op::div: {
      Real x = eval(n.a, in), y = eval(n.b, in);
      if (lo_end(y) <= 0 && hi_end(y) >= 0) domain_error(n, "division by a value that is or may be 0");
      return x / y;
    }
    case Op::pow: {
      Real x = eval(n.a, in), y = eval(n.b, in);
      if (auto k = detail::integer_exponent(y)) {
        if (*k < 0 && lo_end(x) <= 0 && hi_end(x) >= 0) domain_error(n, "negative power of a value that is or may be 0");
        if constexpr (is_interval_v<Real>) {
          if (*k >= 0) return detail::interval_ipow(x, *k);
          return Real(1) / detail::interval_ipow(x, -*k);
        } else {
          return pow(x, y);
        }
      }
      if (!(lo_end(x) > 0)) domain_error(n, "non-integer power of a value that is or may be <= 0");
      if constexpr (is_interval_v<Real>) return exp(y * log(x));
      else return pow(x, y);
    }
    case Op::log: {
      Real x = eval(n.a, in);
      if (!(lo_end(x) > 0)) domain_error(n, "log of a value that is or may be <= 0");
      return log(x);
    }
    case Op::sqrt: {
      Real x = eval(n.a, in);
      if (!(lo_end(x) >= 0)) domain_error(n, "sqrt of a value that is or may be < 0");
      return sqrt(x);
    }
    case Op::exp: return exp(eval(n.a, in));
    case Op::abs: {
      Real x = eval(n.a, in);
      if constexpr (is_interval_v<Real>) {
        mpfr_real lo = lower_of(x), hi = upper_of(x);
        if (lo >= 0) return x;
        if (hi <= 0) return -x;
        return make_interval(mpfr_real(0), -lo > hi ? mpfr_real(-lo) : hi);
      } else {
        using std::abs;
        return abs(x);
      }
    }
    case Op::min: return min_of(eval(n.a, in), eval(n.b, in));
    case Op::max: return max_of(eval(n.a, in), eval(n.b, in));
  }
  domain_error(n, "internal error: unknown node");
}

}  // namespace diffbound
