// The general VP SDE of the continuous-time engine (docs/math.md#vp-sde-general): sigma_inf, horizon T_f,
// linear and exponential schedules, the samplers sde-em, sde-em-end, sde-ei, sde-ei-relative, sde-exact
// (also with a perturbed score), ode-*; any t_out, t_stop, compare_with = "data"; W2 and the quantities
// against the stationary law. References: the independent mpmath file /work/shared/reference/vp.jsonl,
// hand-written literal updates at 200-digit MPFR (a different route from the engine: the step formulas
// of MATH section 2.4 applied to mean and variance, B(t) by its closed form instead of the increment,
// J1 and J2 as differences of exponentials), closed forms, and measured orders of convergence.
#include "numerics/case_kinds.hpp"
#include "numerics/continuous_time.hpp"
#include "numerics/exact.hpp"
#include "numerics/input_error.hpp"
#include "numerics/schedule.hpp"
#include "numerics/vp_schedule.hpp"
#include "tests/input_error_field.hpp"
#include "verify/case_file.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

using namespace diffbound;

namespace {

CaseSpec vp_case(SamplerKind kind, long N, std::vector<std::string> lam, std::vector<std::string> mean) {
  CaseSpec c;
  c.target.gaussian.dim = static_cast<long>(lam.size());
  c.target.gaussian.spectrum = Spectrum::list;
  c.target.gaussian.eigenvalues = std::move(lam);
  c.target.gaussian.mean = std::move(mean);
  c.schedule.kind = ScheduleKind::linear;
  c.schedule.steps = N;
  c.sampler.kind = kind;
  c.sampler.t_out = 0;
  return c;
}

// the two cases of /work/shared/reference/vp.jsonl
CaseSpec vp1(SamplerKind kind) {
  CaseSpec c = vp_case(kind, 80, {"0.5"}, {"0.4"});
  c.schedule.kind = ScheduleKind::exponential;
  c.schedule.b_min = "0.2";
  c.schedule.b_max = "12.0";
  c.schedule.rate = "-2.0";
  c.schedule.horizon = "1.0";
  c.schedule.sigma_inf = "1.5";
  return c;
}
CaseSpec vp3(SamplerKind kind) {
  CaseSpec c = vp_case(kind, 40, {"1.0", "0.3", "0.05"}, {"0.0", "0.5", "-0.2"});
  c.schedule.b_min = "0.1";
  c.schedule.b_max = "8.0";
  c.schedule.horizon = "2.0";
  return c;
}

double rel(const mpfr_real& got, const char* expected) {
  const mpfr_real e(expected);
  return static_cast<double>(abs(got - e) / abs(e));
}

// Independent 40-digit mpmath scalar recursions, /work/shared/reference/vp.jsonl (copied verbatim; the
// helper's own re-derivation with literal updates in mpmath at 60 digits agrees with every figure to
// <= 7e-18 relative, the vp3 rows limited by the reference's binary inputs, the vp1 rows to 1e-30).
struct VpReference {
  int which;  // 1: vp1-exp-neg, 3: vp3-linear-h2
  SamplerKind kind;
  const char *kl, *w2;
};
const VpReference kVpReference[] = {
    {1, SamplerKind::sde_em, "0.0000406059223077280339948581492537", "0.0045484533101396982411757537881"},
    {1, SamplerKind::sde_em_end, "0.0000195374970160302450810410915649", "0.00315913851563585604529844181669"},
    {1, SamplerKind::sde_ei, "0.00052779252428487700651824613262", "0.0166546258863498895248773820561"},
    {1, SamplerKind::sde_ei_relative, "0.000388090676797574657431670741957", "0.0144538254697988345023913107602"},
    {1, SamplerKind::sde_exact, "0.00000708208963039644542742887107568", "0.00266086268044514967314109461959"},
    {3, SamplerKind::sde_em, "0.00311054489766607343755026514171", "0.0232758267940171825375137432529"},
    {3, SamplerKind::sde_em_end, "0.000543882284060014472970040060334", "0.0191122200312115529306930665247"},
    {3, SamplerKind::sde_ei, "0.0191200697346050161561535124734", "0.0539597778249669168026015812209"},
    {3, SamplerKind::sde_ei_relative, "0.0160288544041458715817611205835", "0.0377219479650570229901019707047"},
    {3, SamplerKind::sde_exact, "0.00000000354875824206548230057361941495", "0.000045641651708485537040995249766"},
};

TEST(VpSde, MatchesIndependentMpmathReference) {
  PrecisionScope scope(40);
  for (const auto& ref : kVpReference) {
    const CaseSpec c = ref.which == 1 ? vp1(ref.kind) : vp3(ref.kind);
    const auto r = continuous_time_path<mpfr_real>(c);
    ASSERT_TRUE(r.has_w2);
    EXPECT_LT(rel(r.kl, ref.kl), 1e-12) << "vp" << ref.which << " " << to_string(ref.kind) << ": KL " << to_decimal(r.kl);
    EXPECT_LT(rel(r.w2, ref.w2), 1e-12) << "vp" << ref.which << " " << to_string(ref.kind) << ": W2 " << to_decimal(r.w2);
    // double and certified on the same cases: double to 1e-9 relative, the enclosure contains MPFR
    const auto d = continuous_time_path<double>(c);
    EXPECT_LT(std::abs(d.kl / static_cast<double>(r.kl) - 1), 1e-9) << to_string(ref.kind);
    EXPECT_LT(std::abs(d.w2 / static_cast<double>(r.w2) - 1), 1e-9) << to_string(ref.kind);
    const auto i = continuous_time_path<interval_real>(c);
    EXPECT_TRUE(lower_of(i.kl) <= r.kl && r.kl <= upper_of(i.kl)) << to_string(ref.kind);
    EXPECT_TRUE(lower_of(i.w2) <= r.w2 && r.w2 <= upper_of(i.w2)) << to_string(ref.kind);
    EXPECT_LT(static_cast<double>((upper_of(i.kl) - lower_of(i.kl)) / r.kl), 1e-20) << to_string(ref.kind);
  }
}

// ---- literal updates (a different route): 200-digit MPFR ----
struct Lit {
  mpfr_real bmin, bmax, Tf, s2, a;
  bool expo;
  mpfr_real beta(const mpfr_real& t) const {
    return expo ? bmin + (bmax - bmin) * (exp(a * t) - 1) / (exp(a * Tf) - 1) : bmin + (bmax - bmin) * t / Tf;
  }
  mpfr_real B(const mpfr_real& t) const {
    return expo ? bmin * t + (bmax - bmin) * ((exp(a * t) - 1) / a - t) / (exp(a * Tf) - 1) : bmin * t + (bmax - bmin) * t * t / (2 * Tf);
  }
  mpfr_real A(const mpfr_real& t) const { return B(t) / (2 * s2); }
};

// One reverse step from tau to tau' = tau - h of `kind` on a 1-D target N(m, lam), as the map
// (M, V) -> (a M + c, a^2 V + q), the affine coefficients read off the update applied to x = 0 and x = 1.
void literal_step(SamplerKind kind, const Lit& L, const mpfr_real& lam, const mpfr_real& m, const mpfr_real& tau,
                  const mpfr_real& h, mpfr_real& M, mpfr_real& V) {
  const mpfr_real tp = tau - h;
  auto v = [&](const mpfr_real& t) { const mpfr_real mu = exp(-L.A(t)); return mu * mu * lam + L.s2 * (1 - mu * mu); };
  auto score = [&](const mpfr_real& t, const mpfr_real& x) { return -(x - exp(-L.A(t)) * m) / v(t); };
  auto f = [&](const mpfr_real& t, const mpfr_real& x) { return -L.beta(t) / 2 * (x / L.s2 + score(t, x)); };  // PF ODE velocity
  std::function<mpfr_real(const mpfr_real&)> step;
  mpfr_real q = 0;
  switch (kind) {
    case SamplerKind::sde_em:
      step = [&](const mpfr_real& x) { return x + h * (L.beta(tau) / (2 * L.s2) * x + L.beta(tau) * score(tau, x)); };
      q = L.beta(tau) * h;
      break;
    case SamplerKind::sde_em_end:
      step = [&](const mpfr_real& x) { return x + h * (L.beta(tp) / (2 * L.s2) * x + L.beta(tp) * score(tp, x)); };
      q = L.beta(tp) * h;
      break;
    case SamplerKind::sde_ei: {
      const mpfr_real J1 = 2 * L.s2 * exp(-L.A(tp)) * (exp(L.A(tau)) - exp(L.A(tp)));
      step = [&, J1](const mpfr_real& x) { return exp(L.A(tau) - L.A(tp)) * x + J1 * score(tau, x); };
      q = L.s2 * exp(-2 * L.A(tp)) * (exp(2 * L.A(tau)) - exp(2 * L.A(tp)));
      break;
    }
    case SamplerKind::sde_ei_relative: {
      const mpfr_real d = L.A(tau) - L.A(tp);
      step = [&, d](const mpfr_real& x) { return exp(-d) * x + 2 * L.s2 * (1 - exp(-d)) * (score(tau, x) + x / L.s2); };
      q = L.s2 * (1 - exp(-2 * d));
      break;
    }
    case SamplerKind::ode_euler: step = [&](const mpfr_real& x) { return x - h * f(tau, x); }; break;
    case SamplerKind::ode_heun:
      step = [&](const mpfr_real& x) {
        const mpfr_real k1 = f(tau, x), k2 = f(tp, x - h * k1);
        return x - h / 2 * (k1 + k2);
      };
      break;
    case SamplerKind::ode_rk4:
      step = [&](const mpfr_real& x) {
        const mpfr_real tm = tau - h / 2;
        const mpfr_real k1 = f(tau, x), k2 = f(tm, x - h / 2 * k1), k3 = f(tm, x - h / 2 * k2), k4 = f(tp, x - h * k3);
        return x - h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
      };
      break;
    default: FAIL();
  }
  const mpfr_real c = step(mpfr_real(0)), a = step(mpfr_real(1)) - c;
  M = a * M + c;
  V = a * a * V + q;
}

TEST(VpSde, OneAndTwoStepsMatchLiteralUpdates) {
  PrecisionScope scope(200);
  for (bool expo : {false, true}) {
    Lit L{mpfr_real("0.3"), mpfr_real("7"), mpfr_real("0.7"), mpfr_real("1.5") * mpfr_real("1.5"), mpfr_real("1.3"), expo};
    const mpfr_real lam("0.5"), m("0.4");
    for (SamplerKind kind : {SamplerKind::sde_em, SamplerKind::sde_em_end, SamplerKind::sde_ei, SamplerKind::sde_ei_relative,
                             SamplerKind::ode_euler, SamplerKind::ode_heun, SamplerKind::ode_rk4})
      for (long N : {1, 2}) {
        CaseSpec c = vp_case(kind, N, {"0.5"}, {"0.4"});
        c.schedule.kind = expo ? ScheduleKind::exponential : ScheduleKind::linear;
        c.schedule.b_min = "0.3";
        c.schedule.b_max = "7";
        c.schedule.rate = "1.3";
        c.schedule.horizon = "0.7";
        c.schedule.sigma_inf = "1.5";
        const auto r = continuous_time_path<mpfr_real>(c);
        mpfr_real M = 0, V = L.s2;  // init N(0, sigma_inf^2)
        const mpfr_real h = L.Tf / N;
        for (long n = 0; n < N; ++n) literal_step(kind, L, lam, m, L.Tf - h * n, h, M, V);
        // compared with Q_0 = N(m, lam) at t_out = 0
        const mpfr_real kl = (lam / V - 1 - log(lam / V) + (M - m) * (M - m) / V) / 2;
        const mpfr_real w2 = sqrt((M - m) * (M - m) + (sqrt(V) - sqrt(lam)) * (sqrt(V) - sqrt(lam)));
        const std::string what = std::string(expo ? "exponential " : "linear ") + to_string(kind) + " N = " + std::to_string(N);
        EXPECT_LT(static_cast<double>(abs(r.mean_deviation[0] - (M - m))), 1e-150) << what;
        EXPECT_LT(static_cast<double>(abs(r.variance_deviation[0] - (V - lam))), 1e-150) << what;
        EXPECT_LT(static_cast<double>(abs(r.kl / kl - 1)), 1e-150) << what;
        EXPECT_LT(static_cast<double>(abs(r.w2 / w2 - 1)), 1e-150) << what;
      }
  }
}

// sde-ei-relative integrates the linear part exactly and freezes r = s + x/sigma_inf^2, which is 0 at the
// stationary law: there it is exact, KL = 0 to working precision, for any schedule and step count.
TEST(VpSde, EiRelativeIsExactAtTheStationaryLaw) {
  PrecisionScope scope(50);
  for (bool expo : {false, true})
    for (long N : {1, 7, 100}) {
      CaseSpec c = vp_case(SamplerKind::sde_ei_relative, N, {"2.25", "2.25"}, {"0", "0"});
      c.schedule.sigma_inf = "1.5";
      c.schedule.horizon = "1.3";
      if (expo) {
        c.schedule.kind = ScheduleKind::exponential;
        c.schedule.rate = "-3";
      }
      const auto r = continuous_time_path<mpfr_real>(c);
      EXPECT_LT(static_cast<double>(r.kl), 1e-90) << N;  // KL ~ deviation^2: (1e-48)^2
      EXPECT_LT(static_cast<double>(r.w2), 1e-45) << N;
      EXPECT_LT(static_cast<double>(abs(r.E_T)), 1e-90);
      // while the full-score integrator and EM-end are not exact there (MATH 7: 2e-4 and 5e-5 at N = 100, linear 0.1 -> 20)
      CaseSpec ei = c;
      ei.sampler.kind = SamplerKind::sde_ei;
      EXPECT_GT(static_cast<double>(continuous_time_path<mpfr_real>(ei).kl), 1e-8) << N;
    }
  // the figures the issue quotes, 1-D standard normal target, sigma_inf = 1
  CaseSpec c = vp_case(SamplerKind::sde_ei, 100, {"1"}, {"0"});
  c.schedule.b_min = "0.1";
  c.schedule.b_max = "20";
  const double ei = static_cast<double>(continuous_time_path<mpfr_real>(c).kl);
  c.sampler.kind = SamplerKind::sde_em_end;
  const double em_end = static_cast<double>(continuous_time_path<mpfr_real>(c).kl);
  c.sampler.kind = SamplerKind::sde_ei_relative;
  const double rel_kl = static_cast<double>(continuous_time_path<mpfr_real>(c).kl);
  EXPECT_NEAR(ei, 2e-4, 1e-4) << ei;
  EXPECT_NEAR(em_end, 5e-5, 2.5e-5) << em_end;
  EXPECT_LT(rel_kl, 1e-90);
}

// Measured orders of convergence in N (W2 against Q_0, init exact so that only discretization error
// remains): least-squares slope of log W2 against log N over N = 50..800 at MPFR.
TEST(VpSde, OrdersOfConvergence) {
  PrecisionScope scope(40);
  struct Order { SamplerKind kind; double order; };
  for (const Order& o : {Order{SamplerKind::sde_em, 1}, Order{SamplerKind::sde_em_end, 1}, Order{SamplerKind::sde_ei, 1},
                         Order{SamplerKind::sde_ei_relative, 1}, Order{SamplerKind::ode_euler, 1}, Order{SamplerKind::ode_heun, 2},
                         Order{SamplerKind::ode_rk4, 4}}) {
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int n = 0;
    for (long N : {50, 100, 200, 400, 800}) {
      CaseSpec c = vp1(o.kind);
      c.schedule.steps = N;
      c.sampler.init = Init::exact;
      const double w2 = static_cast<double>(continuous_time_path<mpfr_real>(c).w2);
      const double x = std::log(double(N)), y = std::log(w2);
      sx += x; sy += y; sxx += x * x; sxy += x * y; ++n;
    }
    const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    EXPECT_NEAR(-slope, o.order, 0.12) << to_string(o.kind) << ": measured order " << -slope;
  }
}

// Precisions agree on the new samplers and the general schedules: double within 1e-9 relative of MPFR,
// the certified enclosure contains MPFR.
TEST(VpSde, PrecisionsAgree) {
  PrecisionScope scope(40);
  for (SamplerKind kind : {SamplerKind::sde_exact, SamplerKind::ode_exact, SamplerKind::sde_em, SamplerKind::sde_em_end,
                           SamplerKind::sde_ei, SamplerKind::sde_ei_relative, SamplerKind::ode_euler, SamplerKind::ode_heun,
                           SamplerKind::ode_rk4})
    for (bool expo : {false, true}) {
      // RK4 at N = 300 leaves deviations ~1e-11 of v, where double keeps ~5 digits of them: N = 40 there
      CaseSpec c = vp_case(kind, kind == SamplerKind::ode_rk4 ? 40 : 300, {"1", "0.2", "0.01", "3"}, {"0.4", "0", "-1", "0.1"});
      c.schedule.sigma_inf = "0.8";
      c.schedule.horizon = "1.7";
      c.sampler.t_out = 3;
      if (expo) {
        c.schedule.kind = ScheduleKind::exponential;
        c.schedule.rate = "2.5";
      }
      const auto m = continuous_time_path<mpfr_real>(c);
      const auto d = continuous_time_path<double>(c);
      const auto i = continuous_time_path<interval_real>(c);
      const std::string what = to_string(kind) + (expo ? " exponential" : " linear");
      EXPECT_LT(std::abs(d.kl / static_cast<double>(m.kl) - 1), 1e-9) << what;
      EXPECT_LT(std::abs(d.w2 / static_cast<double>(m.w2) - 1), 1e-9) << what;
      EXPECT_TRUE(lower_of(i.kl) <= m.kl && m.kl <= upper_of(i.kl)) << what;
      EXPECT_TRUE(lower_of(i.w2) <= m.w2 && m.w2 <= upper_of(i.w2)) << what;
      EXPECT_TRUE(lower_of(i.fisher_rel) <= m.fisher_rel && m.fisher_rel <= upper_of(i.fisher_rel)) << what;
    }
}

// The Girsanov integral of sde-ei carried over to sigma_inf != 1 (in the units of X / sigma_inf):
// certified KL(Q_{t_s} || output) <= E_T + G (data processing + Girsanov), G of order 1/N, and no G when
// the output is compared with Q_0.
TEST(VpSde, GirsanovBoundHoldsForGeneralSigma) {
  PrecisionScope scope(30);
  for (const char* sigma : {"0.7", "1.5"})
    for (Init init : {Init::gaussian, Init::exact})
      for (long N : {5, 40, 300}) {
        CaseSpec c = vp1(SamplerKind::sde_ei);
        c.schedule.sigma_inf = sigma;
        c.schedule.steps = N;
        c.sampler.init = init;
        c.sampler.t_out = 1;
        const auto r = continuous_time_path<interval_real>(c);
        ASSERT_TRUE(r.has_girsanov);
        const interval_real bound = (init == Init::gaussian ? r.E_T : interval_real(0)) + r.girsanov;
        EXPECT_TRUE(certainly_less(r.kl, bound)) << sigma << " N = " << N << ": KL " << to_decimal(r.kl) << " bound " << to_decimal(bound);
      }
  CaseSpec c = vp1(SamplerKind::sde_ei);
  c.schedule.steps = 100;
  const double g100 = continuous_time_path<double>(c).girsanov;
  c.schedule.steps = 1000;
  const double g1000 = continuous_time_path<double>(c).girsanov;
  EXPECT_NEAR(g100 / g1000, 10.0, 0.5);
  c.sampler.compare_with = CompareWith::data;
  EXPECT_FALSE(continuous_time_path<double>(c).has_girsanov);
}

// The exponential B(t) increment without cancellation equals the difference of the closed form.
TEST(VpSde, ExponentialIncrementMatchesClosedFormDifference) {
  PrecisionScope scope(100);
  for (const char* a : {"-2", "0.001", "3"}) {
    ScheduleSpec s;
    s.kind = ScheduleKind::exponential;
    s.b_min = "0.1";
    s.b_max = "20";
    s.rate = a;
    s.horizon = "1.5";
    const auto vp = make_vp_schedule<mpfr_real>(s);
    for (const char* t : {"0", "0.3", "1.4"}) {
      const mpfr_real tt(t), h("0.1");
      EXPECT_LT(static_cast<double>(abs(vp.B_increment(tt, h) / (vp.B(tt + h) - vp.B(tt)) - 1)), 1e-90) << a << " " << t;
    }
    EXPECT_LT(static_cast<double>(abs(vp.beta(vp.horizon) - vp.b_max)), 1e-90);
  }
}

// Quantities against the stationary law N(0, sigma_inf^2 I) and Q_{T_f}: closed forms.
TEST(VpSde, StationaryQuantitiesClosedForm) {
  PrecisionScope scope(50);
  CaseSpec c = vp_case(SamplerKind::sde_em, 20, {"0.5", "4"}, {"0.4", "-1"});
  c.schedule.sigma_inf = "1.5";
  const auto r = continuous_time_path<mpfr_real>(c);
  const mpfr_real s2 = mpfr_real("2.25");
  mpfr_real kl(0), w2(0), fisher(0), et(0), wi(0);
  const mpfr_real B = mpfr_real("0.1") + (mpfr_real(20) - mpfr_real("0.1")) / 2;  // B(1), linear
  const mpfr_real mu = exp(-B / (2 * s2));
  for (auto [l, m] : {std::pair<const char*, const char*>{"0.5", "0.4"}, {"4", "-1"}}) {
    const mpfr_real lam(l), mean(m);
    kl += (lam / s2 - 1 - log(lam / s2) + mean * mean / s2) / 2;
    w2 += mean * mean + (sqrt(lam) - sqrt(s2)) * (sqrt(lam) - sqrt(s2));
    fisher += (lam + mean * mean) / (s2 * s2) - 2 / s2 + 1 / lam;
    const mpfr_real v = mu * mu * lam + s2 * (1 - mu * mu);
    et += (v / s2 - 1 - log(v / s2) + mu * mu * mean * mean / s2) / 2;
    wi += mu * mu * mean * mean + (sqrt(v) - sqrt(s2)) * (sqrt(v) - sqrt(s2));
  }
  EXPECT_LT(static_cast<double>(abs(r.kl_q0_stationary / kl - 1)), 1e-45);
  EXPECT_LT(static_cast<double>(abs(r.w2_q0_stationary / sqrt(w2) - 1)), 1e-45);
  EXPECT_LT(static_cast<double>(abs(r.fisher_rel / fisher - 1)), 1e-45);
  EXPECT_LT(static_cast<double>(abs(r.E_T / et - 1)), 1e-30);  // et: the naive form loses ~mu^2 digits
  EXPECT_LT(static_cast<double>(abs(r.w2_init / sqrt(wi) - 1)), 1e-30);
  // compute_exact hands W2 and fisher_rel over, labelled like KL
  c.numerics.precision = Precision::certified;
  c.numerics.digits = 30;
  const auto q = compute_exact(c);
  ASSERT_TRUE(q.w2 && q.fisher_rel);
  EXPECT_EQ(q.w2->kind, EnclosureKind::certified);
  EXPECT_EQ(q.fisher_rel->kind, EnclosureKind::certified);
  EXPECT_NEAR(q.fisher_rel->value, static_cast<double>(fisher), 1e-14 * static_cast<double>(fisher));
}

// Truncation: t_stop on the grid equals the same grid given by t_out; compare_with = "data" against
// closed forms (the exact SDE from Q_{T_f} outputs Q_{t_stop}, so its KL to Q_0 is KL(Q_0 || Q_{t_stop})).
TEST(VpSde, TruncationAndCompareWithData) {
  PrecisionScope scope(50);
  for (SamplerKind kind : {SamplerKind::sde_em, SamplerKind::sde_ei_relative, SamplerKind::ode_rk4}) {
    CaseSpec a = vp_case(kind, 10, {"0.5"}, {"0.4"});
    a.schedule.horizon = "2";
    a.schedule.sigma_inf = "1.5";
    a.sampler.t_out = 3;
    CaseSpec b = a;
    b.schedule.steps = 7;
    b.sampler.t_out = 0;
    b.sampler.t_stop = "0.6";
    const auto ra = continuous_time_path<mpfr_real>(a), rb = continuous_time_path<mpfr_real>(b);
    EXPECT_LT(static_cast<double>(abs(ra.kl / rb.kl - 1)), 1e-40) << to_string(kind);
    EXPECT_LT(static_cast<double>(abs(ra.s_out - mpfr_real("0.6"))), 1e-45);
  }
  CaseSpec c = vp_case(SamplerKind::sde_exact, 10, {"0.5"}, {"0.4"});
  c.sampler.init = Init::exact;
  c.sampler.t_stop = "0.01";
  c.sampler.compare_with = CompareWith::data;
  c.schedule.sigma_inf = "1.5";
  const auto r = continuous_time_path<mpfr_real>(c);
  const mpfr_real s2("2.25"), lam("0.5"), m("0.4"), t("0.01");
  const mpfr_real B = mpfr_real("0.1") * t + (mpfr_real(20) - mpfr_real("0.1")) * t * t / 2;
  const mpfr_real mu = exp(-B / (2 * s2)), v = mu * mu * lam + s2 * (1 - mu * mu);
  const mpfr_real kl = (lam / v - 1 - log(lam / v) + (mu - 1) * (mu - 1) * m * m / v) / 2;
  const mpfr_real w2 = sqrt((mu - 1) * (mu - 1) * m * m + (sqrt(v) - sqrt(lam)) * (sqrt(v) - sqrt(lam)));
  EXPECT_LT(static_cast<double>(abs(r.kl / kl - 1)), 1e-30);
  EXPECT_LT(static_cast<double>(abs(r.w2 / w2 - 1)), 1e-30);
  c.sampler.compare_with = CompareWith::marginal;
  EXPECT_LT(static_cast<double>(continuous_time_path<mpfr_real>(c).kl), 1e-90);  // output = Q_{t_stop}
}

// sde-exact with a perturbed score: its moment ODEs (RK4, Richardson) against two independent routes:
// with epsilon = 0 the closed form; with epsilon > 0 sde-em at N = 4000 and 8000 extrapolated (EM is
// order 1 in the moments); the result is labelled estimated.
TEST(VpSde, PerturbedExactSdeByMomentOdes) {
  PrecisionScope scope(40);
  CaseSpec c = vp1(SamplerKind::sde_exact);
  c.schedule.steps = 40;
  const double closed = static_cast<double>(continuous_time_path<mpfr_real>(c).kl);
  c.score.kind = ScoreKind::perturbed;
  c.score.perturbation = Perturbation::scale;
  c.score.epsilon = "0";
  const auto zero = continuous_time_path<mpfr_real>(c);
  EXPECT_TRUE(zero.estimated);
  EXPECT_LT(std::abs(static_cast<double>(zero.kl) / closed - 1), 1e-8);
  c.score.epsilon = "0.1";
  const auto r = continuous_time_path<mpfr_real>(c);
  CaseSpec em = c;
  em.sampler.kind = SamplerKind::sde_em;
  em.schedule.steps = 4000;
  const double k1 = static_cast<double>(continuous_time_path<mpfr_real>(em).kl);
  em.schedule.steps = 8000;
  const double k2 = static_cast<double>(continuous_time_path<mpfr_real>(em).kl);
  const double extrapolated = 2 * k2 - k1;
  EXPECT_LT(std::abs(static_cast<double>(r.kl) / extrapolated - 1), 1e-4) << static_cast<double>(r.kl) << " vs " << extrapolated;
  EXPECT_LT(static_cast<double>(r.moment_ode_error), 1e-6 * static_cast<double>(r.kl));
  c.numerics.precision = Precision::mpfr;
  c.numerics.digits = 30;
  const auto q = compute_exact(c);
  EXPECT_EQ(q.kind, EnclosureKind::estimated);
  EXPECT_EQ(q.kl.kind, EnclosureKind::estimated);
}

// Pierret & Galerne (ICML 2025) Table 2 on the CIFAR-10 Gaussian (3072 eigenvalues, the data file beside the
// repository: ../shared/data/cifar10-eigenvalues.txt, or $DIFFBOUND_CIFAR10_EIGENVALUES; skipped when absent).
// Linear 0.1 -> 20, T_f = 1, N time points = N - 1 steps over [eps, 1], compared with the data law. The
// paper's figures: EM from p_T, N = 50, eps = 0: 4.77; exact SDE from N(0, I), eps = 1e-5: 2.6e-3. The
// 1e-6 references are an independent python-float run of the literal updates (docs/examples/pierret_galerne.md).
TEST(VpSde, PierretGalerneTable2) {
  const char* env = std::getenv("DIFFBOUND_CIFAR10_EIGENVALUES");
  const std::string path = env ? env : DIFFBOUND_SOURCE_DIR "/../shared/data/cifar10-eigenvalues.txt";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << "no " << path;
  std::vector<std::string> lam;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') lam.push_back(line);
  ASSERT_EQ(lam.size(), 3072u);
  CaseSpec c = vp_case(SamplerKind::sde_em, 49, lam, {"0"});
  c.schedule.b_min = "0.1";
  c.schedule.b_max = "20";
  c.sampler.init = Init::exact;
  c.sampler.compare_with = CompareWith::data;
  const double em = continuous_time_path<double>(c).w2;
  EXPECT_NEAR(em, 4.77368076469786, 1e-6 * 4.77);
  EXPECT_NEAR(em, 4.77, 0.005);  // the paper's figure
  c.sampler.kind = SamplerKind::sde_exact;
  c.sampler.init = Init::gaussian;
  c.sampler.t_stop = "1e-5";
  const double ex = continuous_time_path<double>(c).w2;
  EXPECT_NEAR(ex, 0.002594058152091231, 1e-6 * 2.6e-3);
  EXPECT_NEAR(ex, 2.6e-3, 0.05e-3);
}

std::string case_text(const std::string& schedule, const std::string& sampler) {
  return "[target]\nfamily = \"gaussian\"\ndim = 1\neigenvalues = [0.5]\n[schedule]\n" + schedule + "\n[sampler]\n" + sampler + "\n";
}
std::string parse_field(const std::string& schedule, const std::string& sampler) {
  return diffbound::testing::field_of([&] { read_case_text(case_text(schedule, sampler)); });
}

TEST(VpSde, CaseFileKeys) {
  const std::string lin = "kind = \"linear\"\nsteps = 10\n";
  const CaseSpec c = read_case_text(case_text(
      "kind = \"exponential\"\nsteps = 10\nb_min = 0.2\nb_max = 12\nrate = -2\nhorizon = 1.5\nsigma_inf = 1.5",
      "kind = \"sde-ei-relative\"\nt_stop = 0.01\ncompare_with = \"data\"\ninit = \"exact\""));
  EXPECT_EQ(c.schedule.kind, ScheduleKind::exponential);
  EXPECT_EQ(c.schedule.rate, "-2");
  EXPECT_EQ(c.schedule.horizon, "1.5");
  EXPECT_EQ(c.schedule.sigma_inf, "1.5");
  EXPECT_EQ(c.sampler.kind, SamplerKind::sde_ei_relative);
  ASSERT_TRUE(c.sampler.t_stop.has_value());
  EXPECT_EQ(*c.sampler.t_stop, "0.01");
  EXPECT_EQ(c.sampler.compare_with, CompareWith::data);
  EXPECT_EQ(read_case_text(case_text(lin, "kind = \"sde-em-end\"\nt_out = 7")).sampler.t_out, 7);
  // bad input, each naming its field
  EXPECT_EQ(parse_field(lin, "kind = \"sde-em\"\nt_stop = 0"), "sampler.t_stop");
  EXPECT_EQ(parse_field(lin, "kind = \"sde-em\"\nt_stop = 1"), "sampler.t_stop");
  EXPECT_EQ(parse_field(lin, "kind = \"sde-em\"\nt_stop = -0.5"), "sampler.t_stop");
  EXPECT_EQ(parse_field(lin + "horizon = 2", "kind = \"sde-em\"\nt_stop = 2.5"), "sampler.t_stop");
  EXPECT_EQ(parse_field(lin, "kind = \"sde-em\"\nt_stop = 0.5\nt_out = 0"), "sampler.t_stop");
  EXPECT_EQ(parse_field(lin, "kind = \"sde-em\"\ncompare_with = \"truth\""), "sampler.compare_with");
  EXPECT_EQ(parse_field(lin, "kind = \"ddpm\"\ncompare_with = \"data\""), "sampler.compare_with");
  EXPECT_EQ(parse_field(lin, "kind = \"ddpm\"\nt_stop = 0.5"), "sampler.t_stop");
  for (const char* bad : {"0", "-1"}) {
    EXPECT_EQ(parse_field(lin + "sigma_inf = " + bad, "kind = \"sde-em\""), "schedule.sigma_inf") << bad;
    EXPECT_EQ(parse_field(lin + "horizon = " + bad, "kind = \"sde-em\""), "schedule.horizon") << bad;
    EXPECT_EQ(parse_field(lin + "b_min = " + bad, "kind = \"sde-em\""), "schedule.b_min") << bad;
  }
  EXPECT_EQ(parse_field(lin + "b_min = 2\nb_max = 1", "kind = \"sde-em\""), "schedule.b_max");
  EXPECT_EQ(parse_field("kind = \"exponential\"\nsteps = 10", "kind = \"sde-em\""), "schedule.rate");
  EXPECT_EQ(parse_field("kind = \"exponential\"\nsteps = 10\nrate = 0", "kind = \"sde-em\""), "schedule.rate");
  EXPECT_EQ(parse_field(lin, "kind = \"sde-em\"\nt_out = 10"), "schedule.steps");
  EXPECT_EQ(parse_field(lin, "kind = \"sde-em\"\nt_out = -1"), "sampler.t_out");
  // a discrete chain: no horizon, no sigma_inf, no exponential schedule
  EXPECT_EQ(parse_field("kind = \"linear\"\nsteps = 100\nhorizon = 2", "kind = \"ddpm\""), "schedule.horizon");
  EXPECT_EQ(parse_field("kind = \"linear\"\nsteps = 100\nsigma_inf = 2", "kind = \"ddim\""), "schedule.sigma_inf");
  EXPECT_EQ(parse_field("kind = \"etc\"\nsteps = 100\nrate = 2", "kind = \"sde-em\""), "schedule.rate");  // unused by etc
  const CaseSpec d = read_case_text(case_text("kind = \"exponential\"\nsteps = 10\nrate = 1", "kind = \"ddpm\""));
  EXPECT_EQ(diffbound::testing::field_of([&] { compute_exact(d); }), "schedule.kind");
  EXPECT_EQ(diffbound::testing::field_of([&] { make_schedule<double>(d.schedule); }), "schedule.kind");
}

}  // namespace
