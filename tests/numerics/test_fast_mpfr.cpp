// The raw MPFR / MPFI exact-score recursion of the fast path (numerics/detail/fast_exact_mpfr.hpp) against
// its twin written with the number types' operators (exact_recursion_generic, the loop the fast path ran
// before), and its D_T against the generic loop at twice the digits:
// - Sigma_t, dm, dS: the same operations in the same order, so the same bits (MPFR) and the same endpoints
//   (MPFI), for every exact-score sampler form, two schedules and t_out 0 and 1;
// - D_T in MPFR (the product form S - log Q): within the generic per-step sum's rounding of it (the same
//   u_t); the product form's own error against sums at 100 digits of the same u_t (ProductFormOfD);
// - D_T in MPFI: contains the 100-digit value, overlaps the generic enclosure and is at most 4 times as
//   wide as the per-step enclosure; with inputs of width (lambda an interval) it covers every lambda inside;
// - the fallback: a direction whose D_T is too small for the product form (lambda = 1 + 1e-30 under
//   ddpm's beta variance: u ~ 1e-30 beta, D_T ~ 1e-61) is recomputed by the per-step kernel, and the
//   ordinary directions are not.
#include "case_builders.hpp"
#include "numerics/detail/fast_exact_mpfr.hpp"
#include "numerics/gaussian_path.hpp"
#include "numerics/schedule.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace diffbound;
using namespace diffbound::testing;

namespace {

const std::pair<const char*, const char*> kForms[] = {{"ddpm", "theory"},      {"ddpm", "beta"},     {"ddpm", "posterior"},
                                                      {"accelerated", "theory"}, {"pf-euler", "theory"}, {"ddim", "theory"}};

// Variances of the directions: a geometric spread over kappa = 1e3, 1 itself, and the near-1 direction of
// the fallback, 1 + 2^-100 (exact at 50 and at 100 digits, so that both runs have the same problem).
std::vector<std::string> lambdas() { return {"0.001", "0.0173", "0.31", "1", "1 + 2^-100", "2.5", "47", "1000"}; }
template <class Real> Real lambda_of(const std::string& text) {
  if (text == "1 + 2^-100") return Real(1) + Real(ldexp(mpfr_real(1), -100));
  return Real(text);
}

template <class Real> struct State {
  std::vector<Real> lambda, sigma, dm, dS, D;
};

// widen: intervals only, each lambda times [1 - widen, 1 + widen]
template <class Real> State<Real> initial(const CaseSpec& c, const Schedule<Real>& sch, const char* widen = nullptr,
                                          int end = 0) {
  using std::sqrt;
  State<Real> s;
  const long T = c.schedule.steps;
  for (const auto& text : lambdas()) {
    Real lam = lambda_of<Real>(text);
    if constexpr (is_interval_v<Real>) {
      if (widen) lam *= make_interval(mpfr_real(1) - mpfr_real(widen), mpfr_real(1) + mpfr_real(widen));
    } else {
      if (widen) lam *= Real(1) + end * Real(widen);  // an end of the widened interval, as a point
    }
    s.lambda.push_back(lam);
    s.sigma.push_back(sch.alpha_bar[T] * lam + sch.one_minus_alpha_bar[T]);
    s.dm.push_back(-sqrt(sch.alpha_bar[T]) * Real("0.3"));
    s.dS.push_back(sch.alpha_bar[T] * (Real(1) - lam));
    s.D.push_back(Real(0));
  }
  return s;
}

template <class Real> std::vector<detail::StepCoefficients<Real>> coefficients(const CaseSpec& c, const Schedule<Real>& sch) {
  std::vector<detail::StepCoefficients<Real>> steps(c.schedule.steps + 1);
  for (long t = c.sampler.t_out + 1; t <= c.schedule.steps; ++t) steps[t] = detail::step_coefficients(sch, c.sampler, t);
  return steps;
}

// Runs the raw loop and the generic loop at 50 digits on the same case, and the generic loop at 100 digits
// from its own coefficients (the enclosures must contain that value).
template <class Real> struct Runs {
  State<Real> raw, generic;
  State<mpfr_real> reference;
  std::size_t fallbacks = 0;
};

template <class Real> Runs<Real> run_all(const CaseSpec& c) {
  Runs<Real> r;
  const long T = c.schedule.steps;
  {
    PrecisionScope p(50);
    const auto sch = make_schedule<Real>(c.schedule);
    const auto steps = coefficients<Real>(c, sch);
    r.raw = initial<Real>(c, sch);
    r.generic = r.raw;
    r.fallbacks = detail::exact_recursion_raw(steps, T, c.sampler.t_out, c.sampler, true, r.raw.lambda, r.raw.sigma,
                                              r.raw.dm, r.raw.dS, r.raw.D);
    detail::exact_recursion_generic(steps, T, c.sampler.t_out, c.sampler, true, r.generic.lambda, r.generic.sigma,
                                    r.generic.dm, r.generic.dS, r.generic.D);
  }
  PrecisionScope p(100);
  const auto sch = make_schedule<mpfr_real>(c.schedule);
  const auto steps = coefficients<mpfr_real>(c, sch);
  r.reference = initial<mpfr_real>(c, sch);
  detail::exact_recursion_generic(steps, T, c.sampler.t_out, c.sampler, true, r.reference.lambda, r.reference.sigma,
                                  r.reference.dm, r.reference.dS, r.reference.D);
  return r;
}

CaseSpec form_case(const char* kind, const char* variance, ScheduleKind schedule, long t_out) {
  CaseSpec c = gaussian_case(8, Spectrum::geometric, "1000", "0.3", schedule, 200);
  c.sampler = sampler_of(kind, variance, t_out);
  return c;
}

std::string label(const CaseSpec& c, std::size_t i) {
  return std::string(to_string(c.sampler.kind)) + "/" + std::string(to_string(c.sampler.variance)) + " " +
         std::string(to_string(c.schedule.kind)) + " t_out=" + std::to_string(c.sampler.t_out) + " lambda=" + lambdas()[i];
}

bool same_bits(const mpfr_real& a, const mpfr_real& b) { return mpfr_equal_p(a.backend().data(), b.backend().data()) != 0; }
bool same_bits(const interval_real& a, const interval_real& b) {
  return mpfr_equal_p(&a.backend().data()->left, &b.backend().data()->left) != 0 &&
         mpfr_equal_p(&a.backend().data()->right, &b.backend().data()->right) != 0;
}

// Sigma, dm and dS of direction i: the raw loop's bits are the generic loop's
template <class Real> void expect_same_state(const Runs<Real>& r, std::size_t i, const std::string& what) {
  EXPECT_TRUE(same_bits(r.raw.sigma[i], r.generic.sigma[i])) << what;
  EXPECT_TRUE(same_bits(r.raw.dm[i], r.generic.dm[i])) << what;
  EXPECT_TRUE(same_bits(r.raw.dS[i], r.generic.dS[i])) << what;
}

}  // namespace

TEST(FastMpfr, StateHasTheGenericLoopsBitsAndDTheReferencesDigits) {
  int checked = 0;
  for (const auto& [kind, variance] : kForms)
    for (ScheduleKind schedule : {ScheduleKind::linear, ScheduleKind::cosine})
      for (long t_out : {0L, 1L}) {
        const CaseSpec c = form_case(kind, variance, schedule, t_out);
        const auto r = run_all<mpfr_real>(c);
        // both loops take f(u_t) of the same u_t: the generic sum rounds T + 1 times a step (at most
        // (T + 1) 2^-p of D, f being positive), the product form at most 2^-(p+2) plus the final rounding
        const mpfr_real ulp = pow(mpfr_real(2), -mpfr_real(mpfr_get_prec(r.raw.D[0].backend().data())));
        const mpfr_real tol = (c.schedule.steps + 4) * ulp;
        for (std::size_t i = 0; i < r.raw.lambda.size(); ++i) {
          const std::string what = label(c, i);
          expect_same_state(r, i, what);
          const mpfr_real& G = r.generic.D[i];
          EXPECT_LE(abs(mpfr_real(r.raw.D[i] - G)), tol * G) << what << " D " << r.raw.D[i].str(50) << " generic " << G.str(50);
          ++checked;
        }
      }
  EXPECT_EQ(checked, 6 * 2 * 2 * 8);
}

TEST(FastMpfr, CertifiedStateIsTheGenericOneAndDEnclosesTheReference) {
  for (const auto& [kind, variance] : kForms)
    for (ScheduleKind schedule : {ScheduleKind::linear, ScheduleKind::cosine})
      for (long t_out : {0L, 1L}) {
        const CaseSpec c = form_case(kind, variance, schedule, t_out);
        const auto r = run_all<interval_real>(c);
        for (std::size_t i = 0; i < r.raw.lambda.size(); ++i) {
          const std::string what = label(c, i);
          expect_same_state(r, i, what);
          const interval_real& D = r.raw.D[i];
          const interval_real& G = r.generic.D[i];
          const mpfr_real& ref = r.reference.D[i];
          EXPECT_TRUE(lower_of(D) <= ref && ref <= upper_of(D)) << what << " D [" << lower_of(D).str(40) << ", "
                                                                << upper_of(D).str(40) << "] ref " << ref.str(40);
          EXPECT_TRUE(lower_of(D) <= upper_of(G) && lower_of(G) <= upper_of(D)) << what;
          EXPECT_LE(upper_of(D) - lower_of(D), 4 * (upper_of(G) - lower_of(G))) << what << " width " << mpfr_real(upper_of(D) - lower_of(D)).str(5)
                                                                               << " generic " << mpfr_real(upper_of(G) - lower_of(G)).str(5);
        }
      }
}

// Inputs with width: each lambda an interval of relative width 2e-20, so that u_t is as wide and the D_T
// enclosure must cover every lambda inside (here: both ends, run as points at 100 digits). Without the
// mean-value spread the product form's enclosure would be a near-point at the midpoints.
TEST(FastMpfr, CertifiedDCoversTheWidthOfItsInputs) {
  for (const auto& [kind, variance] : kForms) {
    const CaseSpec c = form_case(kind, variance, ScheduleKind::linear, 1);
    const long T = c.schedule.steps;
    State<interval_real> raw, generic;
    {
      PrecisionScope p(50);
      const auto sch = make_schedule<interval_real>(c.schedule);
      const auto steps = coefficients<interval_real>(c, sch);
      raw = initial<interval_real>(c, sch, "1e-20");
      generic = raw;
      detail::exact_recursion_raw(steps, T, 1, c.sampler, true, raw.lambda, raw.sigma, raw.dm, raw.dS, raw.D);
      detail::exact_recursion_generic(steps, T, 1, c.sampler, true, generic.lambda, generic.sigma, generic.dm, generic.dS,
                                      generic.D);
    }
    PrecisionScope p(100);
    const auto sch = make_schedule<mpfr_real>(c.schedule);
    const auto steps = coefficients<mpfr_real>(c, sch);
    for (int end : {-1, 1}) {
      State<mpfr_real> ref = initial<mpfr_real>(c, sch, "1e-20", end);
      detail::exact_recursion_generic(steps, T, 1, c.sampler, true, ref.lambda, ref.sigma, ref.dm, ref.dS, ref.D);
      for (std::size_t i = 0; i < ref.D.size(); ++i) {
        const std::string what = label(c, i) + " end " + std::to_string(end);
        const interval_real& D = raw.D[i];
        EXPECT_TRUE(lower_of(D) <= ref.D[i] && ref.D[i] <= upper_of(D))
            << what << " D [" << lower_of(D).str(30) << ", " << upper_of(D).str(30) << "] ref " << ref.D[i].str(30);
        const interval_real& G = generic.D[i];
        // at most the mean-value bound's worst case against the per-step enclosure: a u_t whose interval
        // contains 0 (lambda = 1 under ddpm's beta variance), where |f(u) - f(m)| <= r^2 gives 2 r^2 and the
        // per-step f([-r, r]) = [0, r^2 / 2]: 4 times, plus 1% for the bounds' upward roundings at 64 bits.
        // Elsewhere the product form is tighter than the per-step sum (0.0002 to 1 times here).
        EXPECT_LE(upper_of(D) - lower_of(D), mpfr_real("4.04") * (upper_of(G) - lower_of(G))) << what;
      }
    }
  }
}

TEST(FastMpfr, OnlyTheDirectionTooNearOneFallsBack) {
  for (const auto& [kind, variance] : kForms) {
    const CaseSpec c = form_case(kind, variance, ScheduleKind::linear, 1);
    const bool beta = std::string(variance) == "beta";
    const auto m = run_all<mpfr_real>(c);
    const auto i = run_all<interval_real>(c);
    // ddpm beta: lambda = 1 has u = 0 (D = 0, nothing to lose) and 1 + 1e-30 falls back; the others never
    EXPECT_EQ(m.fallbacks, beta ? 1u : 0u) << kind << "/" << variance;
    EXPECT_EQ(i.fallbacks, beta ? 1u : 0u) << kind << "/" << variance;
  }
}

// Through the engine: with the raw loop, MPFR-50 and certified-50 agree with MPFR-100 on KL, E_T and D_T of
// the issue-12 spectrum (d = 200 here, T = 1000).
TEST(FastMpfr, EngineAgreesWithMpfr100) {
  CaseSpec c = gaussian_case(200, Spectrum::geometric, "1000", "0.3", ScheduleKind::linear, 1000);
  GaussianPathResult<mpfr_real> ref;
  {
    PrecisionScope p(100);
    ref = gaussian_path<mpfr_real>(c);
  }
  PrecisionScope p(50);
  const auto m = gaussian_path<mpfr_real>(c);
  const auto iv = gaussian_path<interval_real>(c);
  const mpfr_real tol("1e-45");
  ASSERT_TRUE(m.has_decomposition);
  EXPECT_LE(abs(mpfr_real(m.kl - ref.kl)), tol * ref.kl);
  EXPECT_LE(abs(mpfr_real(m.D_T - ref.D_T)), tol * ref.D_T);
  EXPECT_LE(abs(mpfr_real(m.E_T - ref.E_T)), tol * ref.E_T);
  EXPECT_TRUE(lower_of(iv.kl) <= ref.kl && ref.kl <= upper_of(iv.kl));
  EXPECT_TRUE(lower_of(iv.D_T) <= ref.D_T && ref.D_T <= upper_of(iv.D_T));
  EXPECT_LE(mpfr_real(upper_of(iv.D_T) - lower_of(iv.D_T)), tol * ref.D_T);
}

// The product form alone: sums of f(u) = u - log1p u over sequences of 1000 u at 50 digits (magnitudes
// 1e-1 to 1e-12 of both signs, a few near -1 and large positive ones) against the per-step sum of the same
// u at 100 digits: within 2 units of 2^-p relative when it accepts (2^-(p+2) of its own, and rounding
// once to p); a sequence of u ~ 1e-25 (D ~ 1e-50 against sum |u| ~ 1e-22) must be refused, not
// returned with lost digits. Intervals: each u widened by 1e-40 relative, the enclosure contains the
// 100-digit sum at the midpoints and at both ends.
TEST(FastMpfr, ProductFormOfD) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> mantissa(1, 10);
  std::uniform_int_distribution<int> exponent(-12, -1);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<std::string> us;
    for (int k = 0; k < 1000; ++k) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%s%.17ge%d", (rng() & 1) ? "-" : "", mantissa(rng), exponent(rng));
      us.push_back(buf);
    }
    us[17] = "-0.999";
    us[400] = "-0.9999999";
    us[500] = "5";
    us[900] = "100";
    const bool tiny = trial == 19;
    if (tiny)
      for (auto& u : us) u = (u[0] == '-' ? "-1.5e-25" : "2.5e-25");
    std::vector<mpfr_real> u50;
    {
      PrecisionScope p(50);
      for (const auto& u : us) u50.emplace_back(u);
    }
    // at 100 digits, the same (50-digit) u: f is ill-conditioned near -1, the decimal texts would not do
    auto lifted = [](const mpfr_real& x) {
      mpfr_real r;  // the current precision
      mpfr_set(r.backend().data(), x.backend().data(), MPFR_RNDN);
      return r;
    };
    mpfr_real ref(0);
    {
      PrecisionScope p(100);
      for (const auto& u : u50) ref += u_minus_log1p(lifted(u));
      ref /= 2;
    }
    PrecisionScope p(50);
    const mpfr_prec_t bits = mpfr_get_prec(mpfr_real(0).backend().data());
    detail::ProductD<mpfr_real> point(bits, bits + 64);
    detail::ProductD<interval_real> enclosure(bits, bits + 64);
    for (const mpfr_real& x : u50) {
      point.add(x.backend().data());
      const interval_real xi = make_interval(x, x) * make_interval(mpfr_real(1) - mpfr_real("1e-40"), mpfr_real(1) + mpfr_real("1e-40"));
      enclosure.add(xi.backend().data());
    }
    mpfr_real D(0);
    interval_real Di(0);
    const bool accepted = point.finish(D.backend().data());
    const bool accepted_i = enclosure.finish(Di.backend().data());
    const std::string what = "trial " + std::to_string(trial);
    if (tiny) {
      EXPECT_FALSE(accepted) << what;
      EXPECT_FALSE(accepted_i) << what;
      EXPECT_EQ(D, 0) << what << ": refused, D untouched";
      continue;
    }
    ASSERT_TRUE(accepted) << what;
    ASSERT_TRUE(accepted_i) << what;
    const mpfr_real ulp = pow(mpfr_real(2), -mpfr_real(bits));
    PrecisionScope p100(100);
    EXPECT_LE(abs(mpfr_real(mpfr_real(D) - ref)), 2 * ulp * ref) << what << " D " << D.str(50) << " ref " << ref.str(50);
    EXPECT_TRUE(lower_of(Di) <= ref && ref <= upper_of(Di)) << what;
    // the ends: u (1 -+ 1e-40) for every u, at 100 digits
    for (int end : {-1, 1}) {
      mpfr_real e(0);
      for (const auto& u : u50) e += u_minus_log1p(mpfr_real(lifted(u) * (1 + end * mpfr_real("1e-40"))));
      e /= 2;
      EXPECT_TRUE(lower_of(Di) <= e && e <= upper_of(Di)) << what << " end " << end;
    }
  }
}
