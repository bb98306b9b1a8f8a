// Direct tests of the cancellation-free kernels (docs/math.md#u-minus-log1p):
//   u_minus_log1p(u) = u - log1p(u)           numerics/divergence.hpp
//   phi_of_ratio(r, u) = r - 1 - ln r         numerics/divergence.hpp
//   expm1_minus_x(x) = expm1(x) - x           numerics/detail/continuous_time_impl.hpp
// in double, long double (where the kernel is templated for it) and MPFR at 50 digits, each against
// an independent reference and for tightness: the relative error in units of the type's epsilon
// (tests/support/ulp_error.hpp) over thousands of inputs, across the cancellation region (arguments
// from 2^-490 up in double, 2^-4000 in long double and MPFR; ratios near 1) and far from it (tiny and huge ratios).
//
// How the references are produced: the naive formula, evaluated with raw MPFR at 800 bits (~240
// digits) plus twice the bits the cancellation can cost (2 |exponent| of the argument), with 1 + u or
// r - 1 formed exactly at that precision. They share no code with the kernels: no series, and
// u - ln(1 + u) and exp(x) - 1 - x instead of the kernels' log1p and expm1. The at least 700 bits
// that survive are 2^-640 below the 50-digit epsilon, so the reference's own error is invisible.
//
// The bounds asserted, and why (eps = 2^(1 - p); correct rounding is 0.5 eps):
//   - double / long double, series region (|u| < 0.1, |x| < 0.1): <= 4 eps. The alternating series
//     has ratio <= 0.1 and first term 1/2; each term is a product of ~k roundings scaled by 0.1^k, so
//     the sum is within ~1.5 eps, then u * u * sum adds two roundings.
//   - double / long double, direct region (|u|, |x| >= 0.1): <= 24 eps. u - log1p(u) magnifies
//     log1p's error by kappa = |log1p u| / |u - log1p u|, at most 20.3 at |u| = 0.1 (19.7 at
//     u = -0.1; the same 20.3 for expm1 at x = 0.1), and glibc's log1p / expm1 are within 1 ulp
//     (<= 1 eps relative): 20.3 + 0.5 for the subtraction, asserted as 24 (slack for a log1p /
//     expm1 slightly over 1 ulp). This is the "costs at most one digit" of numerics/divergence.hpp;
//     the measured worst is ~9 eps, at |u| ~ 0.12.
//   - MPFR (50 digits): <= 1 eps. log1p / expm1 and the difference are taken with log2(1/|u|) + 16
//     guard bits, so only the final rounding (0.5 eps) and 2^-16-relative leftovers remain.
//   - phi_of_ratio, |r - 1| >= 0.5 (u - ln r from r): <= 8 eps: kappa = |ln r| / (r - 1 - ln r) is
//     at most 4.3 (r = 1.5), log is within 1 ulp, and u = r - 1 rounded to the type adds at most
//     (|u| / phi) * 0.5 eps <= 1.3 eps (r = 0.5); 4.3 + 1.3 + 0.5 + 1 (the subtraction) < 8.
// Each test prints its worst error with the input that gave it (WorstEpsError::summary).
#include "numerics/detail/continuous_time_impl.hpp"
#include "numerics/divergence.hpp"
#include "tests/support/ulp_error.hpp"

#include <gtest/gtest.h>

#include <gmp.h>
#include <mpfr.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace diffbound;
using diffbound::testing::WideReal;
using diffbound::testing::WorstEpsError;

namespace {

constexpr unsigned kMpfrDigits = 50;

long abs_exponent(mpfr_srcptr x) { return mpfr_zero_p(x) ? 0 : std::labs(static_cast<long>(mpfr_get_exp(x))); }

// u - ln(1 + u), naive, with 1 + u exact (see the header comment for the precision).
void reference_u_minus_log1p(WideReal& out, mpfr_srcptr u) {
  const long bits = 800 + static_cast<long>(mpfr_get_prec(u)) + 2 * abs_exponent(u);
  mpfr_set_prec(out.get(), bits);
  WideReal one_plus_u(bits);
  mpfr_add_ui(one_plus_u.get(), u, 1, MPFR_RNDN);  // exact: bits covers 2^0 .. the last bit of u
  mpfr_log(one_plus_u.get(), one_plus_u.get(), MPFR_RNDN);
  mpfr_sub(out.get(), u, one_plus_u.get(), MPFR_RNDN);
}

// r - 1 - ln r, naive, with r - 1 exact.
void reference_phi_of_r(WideReal& out, mpfr_srcptr r) {
  WideReal u(800 + static_cast<long>(mpfr_get_prec(r)) + 2 * abs_exponent(r));
  mpfr_sub_ui(u.get(), r, 1, MPFR_RNDN);  // exact
  const long bits = u.bits() + 2 * abs_exponent(u.get());
  mpfr_set_prec(out.get(), bits);
  WideReal log_r(bits);
  mpfr_log(log_r.get(), r, MPFR_RNDN);
  mpfr_sub(out.get(), u.get(), log_r.get(), MPFR_RNDN);
}

// exp(x) - 1 - x, naive (no expm1): the two subtractions cost up to 2 log2(1/|x|) bits.
void reference_expm1_minus_x(WideReal& out, mpfr_srcptr x) {
  const long bits = 800 + static_cast<long>(mpfr_get_prec(x)) + 3 * abs_exponent(x);
  mpfr_set_prec(out.get(), bits);
  WideReal e(bits);
  mpfr_exp(e.get(), x, MPFR_RNDN);
  mpfr_sub_ui(e.get(), e.get(), 1, MPFR_RNDN);
  mpfr_sub(out.get(), e.get(), x, MPFR_RNDN);
}

template <class Real> void to_wide(WideReal& out, const Real& x) {
  mpfr_set_prec(out.get(), diffbound::testing::significand_bits(x));
  diffbound::testing::set_exact(out.get(), x);
}

// Deterministic inputs: n values with a full random significand of the type's precision, magnitude
// in [2^kmin, 2^kmax) (exponent uniform, so log-uniform), of the given sign. Seeded: the same inputs
// every run.
template <class Real> std::vector<Real> random_inputs(long n, long kmin, long kmax, int sign, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<long> exponent(kmin, kmax - 1);
  std::vector<Real> out;
  out.reserve(static_cast<std::size_t>(n));
  if constexpr (std::is_floating_point_v<Real>) {
    constexpr int p = std::numeric_limits<Real>::digits;
    for (long i = 0; i < n; ++i) {
      const std::uint64_t bits = (rng() >> (64 - p)) | (std::uint64_t{1} << (p - 1));  // [2^(p-1), 2^p)
      out.push_back(sign * std::ldexp(static_cast<Real>(bits), static_cast<int>(exponent(rng) - p + 1)));
    }
  } else {
    gmp_randstate_t state;
    gmp_randinit_default(state);
    gmp_randseed_ui(state, static_cast<unsigned long>(seed));
    for (long i = 0; i < n; ++i) {
      Real x;
      mpfr_ptr m = x.backend().data();
      do mpfr_urandomb(m, state);
      while (mpfr_zero_p(m));
      mpfr_set_exp(m, static_cast<mpfr_exp_t>(exponent(rng) + 1));  // m in [2^k, 2^(k+1))
      if (sign < 0) mpfr_neg(m, m, MPFR_RNDN);
      out.push_back(x);
    }
    gmp_randclear(state);
  }
  return out;
}

template <class Real> Real next_toward(const Real& x, const Real& toward) {
  if constexpr (std::is_floating_point_v<Real>) {
    return std::nextafter(x, toward);
  } else {
    Real y = x;
    if (toward > x) mpfr_nextabove(y.backend().data());
    else mpfr_nextbelow(y.backend().data());
    return y;
  }
}

template <class Real> std::string type_name() {
  if constexpr (std::is_same_v<Real, double>) return "double";
  else if constexpr (std::is_same_v<Real, long double>) return "long double";
  else return "mpfr-" + std::to_string(kMpfrDigits);
}

// Smallest |u| exponent used: the result u^2/2 must stay a normal number of the type (double's
// 2^-1022 is reached at |u| ~ 2^-511).
template <class Real> long smallest_exponent() { return std::is_same_v<Real, double> ? -490 : -4000; }

// The series region |u| < 0.1 (both signs, tiny to 0.1) and its edge.
template <class Real> std::vector<Real> small_arguments() {
  using std::abs;
  std::vector<Real> u;
  for (int sign : {1, -1}) {
    auto part = random_inputs<Real>(1500, smallest_exponent<Real>(), -4, sign, sign > 0 ? 1 : 2);  // |u| < 2^-4
    u.insert(u.end(), part.begin(), part.end());
    part = random_inputs<Real>(500, -4, -3, sign, sign > 0 ? 3 : 4);  // [2^-4, 2^-3) crosses 0.1
    for (const Real& x : part)
      if (abs(x) < Real(1) / 10) u.push_back(x);
  }
  for (const Real& tenth : {Real(Real(1) / 10), Real(-Real(1) / 10)}) u.push_back(next_toward(tenth, Real(0)));
  return u;
}

// The direct region |u| >= 0.1, u > -1: from the edge to huge, and toward -1.
template <class Real> std::vector<Real> large_arguments() {
  using std::abs;
  std::vector<Real> u;
  auto add = [&](const std::vector<Real>& part) {
    for (const Real& x : part)
      if (abs(x) >= Real(1) / 10 && x > -1) u.push_back(x);
  };
  add(random_inputs<Real>(500, -4, -3, 1, 5));
  add(random_inputs<Real>(500, -4, -3, -1, 6));
  add(random_inputs<Real>(1000, -3, 1000, 1, 7));  // up to 2^1000 ~ 1e301
  add(random_inputs<Real>(1000, -3, 0, -1, 8));    // -0.125 .. -1
  for (const Real& tenth : {Real(Real(1) / 10), Real(-Real(1) / 10)}) u.push_back(tenth), u.push_back(next_toward(tenth, Real(2 * tenth)));
  Real near_minus_one = next_toward(Real(-1), Real(0));
  for (int i = 0; i < 8; ++i) u.push_back(near_minus_one = next_toward(near_minus_one, Real(0)));
  return u;
}

template <class Real> WorstEpsError u_minus_log1p_error(const std::vector<Real>& args) {
  WorstEpsError worst("u_minus_log1p<" + type_name<Real>() + ">", "u");
  WideReal u(64), ref(64);
  for (const Real& x : args) {
    to_wide(u, x);
    reference_u_minus_log1p(ref, u.get());
    worst.record(u_minus_log1p(x), ref.get(), diffbound::testing::exact_text(x));
  }
  return worst;
}

template <class Real> WorstEpsError expm1_minus_x_error(const std::vector<Real>& args) {
  WorstEpsError worst("expm1_minus_x<" + type_name<Real>() + ">", "x");
  WideReal x(64), ref(64);
  for (const Real& a : args) {
    to_wide(x, a);
    reference_expm1_minus_x(ref, x.get());
    worst.record(diffbound::detail::expm1_minus_x(a), ref.get(), diffbound::testing::exact_text(a));
  }
  return worst;
}

// phi_of_ratio's two callers' situations: near r = 1 the caller knows u exactly and r = 1 + u only
// rounded (the kernel must use u); far from 1 it knows r exactly and u = r - 1 rounded to the type.
template <class Real> WorstEpsError phi_near_one_error(const std::vector<Real>& us) {
  using std::abs;
  WorstEpsError worst("phi_of_ratio<" + type_name<Real>() + "> near r = 1", "u");
  WideReal u(64), ref(64);
  for (const Real& x : us) {
    if (!(abs(x) < Real(1) / 2)) continue;
    to_wide(u, x);
    reference_u_minus_log1p(ref, u.get());  // r - 1 - ln r at the exact r = 1 + u
    worst.record(phi_of_ratio(Real(1 + x), x), ref.get(), diffbound::testing::exact_text(x));
  }
  return worst;
}

template <class Real> WorstEpsError phi_far_from_one_error(const std::vector<Real>& rs) {
  using std::abs;
  WorstEpsError worst("phi_of_ratio<" + type_name<Real>() + "> far from r = 1", "r");
  WideReal r(64), ref(64);
  for (const Real& x : rs) {
    const Real u = x - 1;  // rounded to the type, as the callers form it
    if (!(abs(u) >= Real(1) / 2)) continue;
    to_wide(r, x);
    reference_phi_of_r(ref, r.get());
    worst.record(phi_of_ratio(x, u), ref.get(), diffbound::testing::exact_text(x));
  }
  return worst;
}

// Ratios r > 0 with |r - 1| >= 1/2: tiny (down to 2^-1000 ~ 1e-301) to 1/2, and 3/2 to huge.
template <class Real> std::vector<Real> ratios_far_from_one() {
  std::vector<Real> r = random_inputs<Real>(1500, -1000, -1, 1, 9);
  const auto big = random_inputs<Real>(1500, 0, 1000, 1, 10);
  r.insert(r.end(), big.begin(), big.end());
  for (const Real& edge : {Real(Real(1) / 2), Real(Real(3) / 2)}) r.push_back(edge), r.push_back(next_toward(edge, Real(1)));
  return r;
}

constexpr double kSeriesBound = 4;   // eps, double / long double, |u| < 0.1
constexpr double kDirectBound = 24;  // eps, double / long double, |u| >= 0.1 (one digit of cancellation)
constexpr double kMpfrBound = 1;     // eps, MPFR with guard bits
constexpr double kFarPhiBound = 8;   // eps, phi_of_ratio from r, |r - 1| >= 1/2

// Prints the measured worst error (so that the log shows how tight each bound is).
void report(const WorstEpsError& w) { std::printf("[measured] %s\n", w.summary().c_str()); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// u - log1p(u)

TEST(UMinusLog1p, DoubleSeriesRegion) {
  const auto w = u_minus_log1p_error(small_arguments<double>());
  report(w);
  EXPECT_LE(w.worst(), kSeriesBound) << w.summary();
}
TEST(UMinusLog1p, DoubleDirectRegion) {
  const auto w = u_minus_log1p_error(large_arguments<double>());
  report(w);
  EXPECT_LE(w.worst(), kDirectBound) << w.summary();
}
TEST(UMinusLog1p, LongDoubleSeriesRegion) {
  const auto w = u_minus_log1p_error(small_arguments<long double>());
  report(w);
  EXPECT_LE(w.worst(), kSeriesBound) << w.summary();
}
TEST(UMinusLog1p, LongDoubleDirectRegion) {
  const auto w = u_minus_log1p_error(large_arguments<long double>());
  report(w);
  EXPECT_LE(w.worst(), kDirectBound) << w.summary();
}
TEST(UMinusLog1p, MpfrEverywhere) {
  PrecisionScope scope(kMpfrDigits);
  auto u = small_arguments<mpfr_real>();
  const auto big = large_arguments<mpfr_real>();
  u.insert(u.end(), big.begin(), big.end());
  // below 2^-p the kernel returns u^2/2 (u^3/3 is under the last bit): straddle that switch
  const long p = static_cast<long>(mpfr_get_prec(u.front().backend().data()));
  for (int sign : {1, -1}) {
    const auto edge = random_inputs<mpfr_real>(200, -p - 3, -p + 3, sign, sign > 0 ? 11 : 12);
    u.insert(u.end(), edge.begin(), edge.end());
  }
  const auto w = u_minus_log1p_error(u);
  report(w);
  EXPECT_LE(w.worst(), kMpfrBound) << w.summary();
}
TEST(UMinusLog1p, ZeroIsExactlyZero) {
  EXPECT_EQ(u_minus_log1p(0.0), 0.0);
  EXPECT_EQ(u_minus_log1p(0.0L), 0.0L);
  PrecisionScope scope(kMpfrDigits);
  EXPECT_EQ(u_minus_log1p(mpfr_real(0)), 0);
}

// ---------------------------------------------------------------------------------------------
// r - 1 - ln r from (r, u)

TEST(PhiOfRatio, DoubleNearOne) {
  const auto w = phi_near_one_error(small_arguments<double>());
  report(w);
  EXPECT_LE(w.worst(), kSeriesBound) << w.summary();
  // 0.1 <= |u| < 0.5 goes through the direct form of u_minus_log1p
  const auto d = phi_near_one_error(large_arguments<double>());
  report(d);
  EXPECT_LE(d.worst(), kDirectBound) << d.summary();
}
TEST(PhiOfRatio, DoubleFarFromOne) {
  const auto w = phi_far_from_one_error(ratios_far_from_one<double>());
  report(w);
  EXPECT_LE(w.worst(), kFarPhiBound) << w.summary();
}
TEST(PhiOfRatio, LongDoubleNearOne) {
  const auto w = phi_near_one_error(small_arguments<long double>());
  report(w);
  EXPECT_LE(w.worst(), kSeriesBound) << w.summary();
  const auto d = phi_near_one_error(large_arguments<long double>());
  report(d);
  EXPECT_LE(d.worst(), kDirectBound) << d.summary();
}
TEST(PhiOfRatio, LongDoubleFarFromOne) {
  const auto w = phi_far_from_one_error(ratios_far_from_one<long double>());
  report(w);
  EXPECT_LE(w.worst(), kFarPhiBound) << w.summary();
}
TEST(PhiOfRatio, MpfrNearAndFarFromOne) {
  PrecisionScope scope(kMpfrDigits);
  auto u = small_arguments<mpfr_real>();
  const auto big = large_arguments<mpfr_real>();
  u.insert(u.end(), big.begin(), big.end());
  const auto near = phi_near_one_error(u);
  report(near);
  EXPECT_LE(near.worst(), kMpfrBound) << near.summary();
  // u - ln r: the 16 guard bits are not there, so the bound is the floating-point one
  const auto far = phi_far_from_one_error(ratios_far_from_one<mpfr_real>());
  report(far);
  EXPECT_LE(far.worst(), kFarPhiBound) << far.summary();
}

// ---------------------------------------------------------------------------------------------
// expm1(x) - x (templated for double, MPFR and MPFI only)

// |x| <= 2^9 = 512 keeps expm1 finite in double.
template <class Real> std::vector<Real> expm1_large_arguments() {
  using std::abs;
  std::vector<Real> x;
  for (int sign : {1, -1}) {
    for (const Real& a : random_inputs<Real>(1000, -4, 9, sign, sign > 0 ? 13 : 14))
      if (abs(a) >= Real(1) / 10) x.push_back(a);
  }
  for (const Real& tenth : {Real(Real(1) / 10), Real(-Real(1) / 10)}) x.push_back(tenth), x.push_back(next_toward(tenth, Real(2 * tenth)));
  return x;
}

TEST(Expm1MinusX, DoubleSeriesRegion) {
  const auto w = expm1_minus_x_error(small_arguments<double>());
  report(w);
  EXPECT_LE(w.worst(), kSeriesBound) << w.summary();
}
TEST(Expm1MinusX, DoubleDirectRegion) {
  const auto w = expm1_minus_x_error(expm1_large_arguments<double>());
  report(w);
  EXPECT_LE(w.worst(), kDirectBound) << w.summary();
}
TEST(Expm1MinusX, MpfrEverywhere) {
  PrecisionScope scope(kMpfrDigits);
  auto x = small_arguments<mpfr_real>();
  const auto big = expm1_large_arguments<mpfr_real>();
  x.insert(x.end(), big.begin(), big.end());
  const auto w = expm1_minus_x_error(x);
  report(w);
  EXPECT_LE(w.worst(), kMpfrBound) << w.summary();
}

// ---------------------------------------------------------------------------------------------
// The certified (MPFI) u_minus_log1p: the enclosure of a point input contains the reference (the
// series branch adds its rigorous tail bound below |u| = 1e-6, the direct branch rounds outward).

TEST(UMinusLog1p, IntervalEnclosesReference) {
  PrecisionScope scope(kMpfrDigits);
  auto u = small_arguments<mpfr_real>();
  const auto big = large_arguments<mpfr_real>();
  u.insert(u.end(), big.begin(), big.end());
  WideReal w(64), ref(64), lo(64), hi(64);
  long missed = 0;
  double widest = 0;
  std::string widest_at;
  for (const mpfr_real& x : u) {
    to_wide(w, x);
    reference_u_minus_log1p(ref, w.get());
    const interval_real r = u_minus_log1p(make_interval(x, x));
    to_wide(lo, lower_of(r));
    to_wide(hi, upper_of(r));
    const bool inside = mpfr_lessequal_p(lo.get(), ref.get()) && mpfr_lessequal_p(ref.get(), hi.get());
    if (!inside) ++missed;
    EXPECT_TRUE(inside) << "u = " << diffbound::testing::exact_text(x) << ": [" << diffbound::testing::exact_text(lower_of(r)) << ", "
                        << diffbound::testing::exact_text(upper_of(r)) << "] misses " << diffbound::testing::mpfr_text(ref.get(), 60);
    const double width = diffbound::testing::error_in_eps(upper_of(r), ref.get()) + diffbound::testing::error_in_eps(lower_of(r), ref.get());
    if (width > widest) widest = width, widest_at = diffbound::testing::exact_text(x);
  }
  std::printf("[measured] u_minus_log1p<interval-%u>: %ld of %zu enclosures miss; widest %.3g eps at u = %s\n", kMpfrDigits, missed,
              u.size(), widest, widest_at.c_str());
}
