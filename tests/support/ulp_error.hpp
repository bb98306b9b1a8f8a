// Errors in units of a type's epsilon, with the worst input kept, for tests that compare a kernel
// evaluated in double, long double or MPFR against a reference computed in MPFR at a much higher
// precision. A failing EXPECT prints e.g.
//   "u_minus_log1p<double>: worst 37 eps at u = 0.1000000000000000056 (got ..., reference ...), 2400 inputs"
//
// epsilon is the type's machine epsilon 2^(1 - p) for a p-bit significand (DBL_EPSILON = 2^-52,
// LDBL_EPSILON = 2^-63 for x87 long double, 2^(1 - p) for an MPFR number of p bits), so correct
// rounding is at most 0.5 eps of relative error and a bound "<= 4 eps" means "<= 8 rounding errors".
#pragma once

#include "numerics/real.hpp"

#include <mpfr.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

namespace diffbound::testing {

// Significand bits of a value of type Real (for MPFR: of that number).
template <class Real> long significand_bits(const Real& x) {
  if constexpr (std::is_floating_point_v<Real>) {
    (void)x;
    return std::numeric_limits<Real>::digits;
  } else {
    return static_cast<long>(mpfr_get_prec(x.backend().data()));
  }
}

// The type's epsilon 2^(1 - p) (a double: MPFR epsilons down to 2^-1000 are representable).
template <class Real> double epsilon_of(const Real& x) { return std::ldexp(1.0, static_cast<int>(1 - significand_bits(x))); }

// An MPFR number with its own precision, independent of the thread's default (RAII around mpfr_t).
class WideReal {
public:
  explicit WideReal(long bits) { mpfr_init2(v_, static_cast<mpfr_prec_t>(bits)); }
  WideReal(const WideReal&) = delete;
  WideReal& operator=(const WideReal&) = delete;
  ~WideReal() { mpfr_clear(v_); }
  mpfr_ptr get() { return v_; }
  mpfr_srcptr get() const { return v_; }
  long bits() const { return static_cast<long>(mpfr_get_prec(v_)); }

private:
  mpfr_t v_;
};

// x exactly, into a WideReal of at least x's precision.
template <class Real> void set_exact(mpfr_ptr out, const Real& x) {
  if constexpr (std::is_same_v<Real, double>) mpfr_set_d(out, x, MPFR_RNDN);
  else if constexpr (std::is_same_v<Real, long double>) mpfr_set_ld(out, x, MPFR_RNDN);
  else mpfr_set(out, x.backend().data(), MPFR_RNDN);
}

// Decimal text of an MPFR number with `digits` significant digits.
inline std::string mpfr_text(mpfr_srcptr x, int digits) {
  char* s = nullptr;
  mpfr_asprintf(&s, "%.*Rg", digits, x);
  std::string out = s ? s : "?";
  mpfr_free_str(s);
  return out;
}

// Enough digits to identify x exactly (17 for double, 21 for long double, p log10 2 + 2 for MPFR).
template <class Real> std::string exact_text(const Real& x) {
  WideReal w(significand_bits(x));
  set_exact(w.get(), x);
  return mpfr_text(w.get(), static_cast<int>(static_cast<double>(significand_bits(x)) * 0.30103) + 2);
}

// Relative error of `got` against `reference` in units of got's epsilon; +inf when got is not finite
// or the reference is 0 and got is not.
template <class Real> double error_in_eps(const Real& got, mpfr_srcptr reference) {
  WideReal g(mpfr_get_prec(reference) > significand_bits(got) ? static_cast<long>(mpfr_get_prec(reference)) : significand_bits(got));
  set_exact(g.get(), got);
  if (!mpfr_number_p(g.get())) return std::numeric_limits<double>::infinity();
  if (mpfr_zero_p(reference)) return mpfr_zero_p(g.get()) ? 0.0 : std::numeric_limits<double>::infinity();
  WideReal d(g.bits() + 64);
  mpfr_sub(d.get(), g.get(), reference, MPFR_RNDN);
  mpfr_div(d.get(), d.get(), reference, MPFR_RNDN);
  mpfr_abs(d.get(), d.get(), MPFR_RNDN);
  mpfr_mul_2si(d.get(), d.get(), significand_bits(got) - 1, MPFR_RNDN);  // / 2^(1 - p)
  return mpfr_get_d(d.get(), MPFR_RNDU);
}

// The worst error in eps over many inputs, with the input, the value and the reference that gave it.
class WorstEpsError {
public:
  explicit WorstEpsError(std::string what, std::string argument = "x") : what_(std::move(what)), argument_(std::move(argument)) {}

  // Records one input (described by `input`) and returns its error in eps.
  template <class Real> double record(const Real& got, mpfr_srcptr reference, const std::string& input) {
    const double e = error_in_eps(got, reference);
    ++count_;
    if (count_ == 1 || e > worst_) {  // error_in_eps is never NaN: a non-finite value counts as +inf
      worst_ = e;
      input_ = input;
      got_ = exact_text(got);
      reference_ = mpfr_text(reference, static_cast<int>(static_cast<double>(significand_bits(got)) * 0.30103) + 4);
    }
    return e;
  }

  double worst() const { return worst_; }
  long count() const { return count_; }
  const std::string& worst_input() const { return input_; }

  // "what: worst 37 eps at x = ... (got ..., reference ...), N inputs"
  std::string summary() const {
    if (count_ == 0) return what_ + ": no inputs";
    char e[32];
    std::snprintf(e, sizeof e, "%.3g", worst_);
    return what_ + ": worst " + e + " eps at " + argument_ + " = " + input_ + " (got " + got_ + ", reference " + reference_ + "), " +
           std::to_string(count_) + " inputs";
  }

private:
  std::string what_, argument_;
  double worst_ = 0;
  long count_ = 0;
  std::string input_, got_, reference_;
};

}  // namespace diffbound::testing
