// The continuous-time engine (numerics/continuous_time.hpp): closed forms of the exact reverse SDE and
// probability-flow ODE and the Girsanov integral against reference/gen_continuous_values.py (moment
// ODEs and raw-integrand quadrature in 50-digit decimals), the discretizations' convergence orders
// measured from log-log slopes, the identities and bounds of docs/math.md#continuous-time at certified precision, and
// bad input.
#include "numerics/case_kinds.hpp"
#include "numerics/continuous_time.hpp"
#include "numerics/exact.hpp"
#include "numerics/input_error.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <cmath>
#include <string>
#include <vector>

using namespace diffbound;

namespace {

CaseSpec ct_case(SamplerKind kind, long T, long t_out, const std::string& lam, const std::string& mu) {
  CaseSpec c;
  c.target.gaussian.dim = 1;
  c.target.gaussian.spectrum = Spectrum::list;
  c.target.gaussian.eigenvalues = {lam};
  c.target.gaussian.mean = {mu};
  c.schedule.kind = ScheduleKind::linear;
  c.schedule.steps = T;
  c.sampler.kind = kind;
  c.sampler.t_out = t_out;
  return c;
}

// d-dimensional geometric spectrum with condition number kappa, all means equal to mu
CaseSpec ct_case_d(SamplerKind kind, long T, long t_out, long d, const std::string& kappa, const std::string& mu) {
  CaseSpec c = ct_case(kind, T, t_out, "1", mu);
  c.target.gaussian.dim = d;
  c.target.gaussian.spectrum = Spectrum::geometric;
  c.target.gaussian.kappa = kappa;
  c.target.gaussian.eigenvalues.clear();
  return c;
}

struct Reference {
  const char *lam, *mu, *b_min, *b_max;
  long T, t_out;
  const char* kl_sde; double tol_sde;
  const char* kl_ode; double tol_ode;
  const char* girsanov; double tol_g;
};
const Reference kReference[] = {
#include "reference/continuous_values.inc"
};

double rel_error(const mpfr_real& got, const char* expected) {
  const mpfr_real e(expected);
  return static_cast<double>(abs(got - e) / abs(e));
}

// One test per row of the table, so that one failing row does not hide the others.
std::string gtest_name(std::string text) {
  for (char& ch : text)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return text;
}

// gtest prints the row, not its bytes, when a row fails
void PrintTo(const Reference& r, std::ostream* os) {
  *os << "lam=" << r.lam << " mu=" << r.mu << " b=[" << r.b_min << ", " << r.b_max << "] T=" << r.T << " t_out=" << r.t_out;
}

class ContinuousReference : public ::testing::TestWithParam<Reference> {};

TEST_P(ContinuousReference, ClosedFormsMatchMomentOdeReference) {
  PrecisionScope scope(40);
  const Reference& ref = GetParam();
  CaseSpec c = ct_case(SamplerKind::sde_exact, ref.T, ref.t_out, ref.lam, ref.mu);
  c.schedule.b_min = ref.b_min;
  c.schedule.b_max = ref.b_max;
  const std::string where = std::string("lam = ") + ref.lam + ", mu = " + ref.mu + ", T = " + std::to_string(ref.T);
  const auto sde = continuous_time_path<mpfr_real>(c);
  EXPECT_LE(rel_error(sde.kl, ref.kl_sde), std::max(ref.tol_sde, 1e-30)) << "sde-exact " << where << ": " << to_decimal(sde.kl);
  c.sampler.kind = SamplerKind::ode_exact;
  const auto ode = continuous_time_path<mpfr_real>(c);
  EXPECT_LE(rel_error(ode.kl, ref.kl_ode), std::max(ref.tol_ode, 1e-30)) << "ode-exact " << where << ": " << to_decimal(ode.kl);
  c.sampler.kind = SamplerKind::sde_ei;
  const auto ei = continuous_time_path<mpfr_real>(c);
  ASSERT_TRUE(ei.has_girsanov);
  EXPECT_LE(rel_error(ei.girsanov, ref.girsanov), std::max(ref.tol_g, 1e-30)) << "girsanov " << where << ": " << to_decimal(ei.girsanov);
}

INSTANTIATE_TEST_SUITE_P(ContinuousTime, ContinuousReference, ::testing::ValuesIn(kReference),
                         [](const ::testing::TestParamInfo<Reference>& info) {
                           const Reference& r = info.param;
                           return gtest_name(std::to_string(info.index) + "_lam" + r.lam + "_mu" + r.mu + "_T" + std::to_string(r.T) +
                                             "_tout" + std::to_string(r.t_out));
                         });

// Every discretization, with the exact and the perturbed scores (constant and scale), against the
// literal step-by-step schemes of reference/gen_continuous_discrete_values.py (50-digit decimals), and
// the exponential integrator's Girsanov integral against quadrature of the raw integrand.
struct DiscreteReference {
  const char *kind, *perturbation, *epsilon;
  long T, t_out;
  const char *kl, *girsanov;
  double tol_g;
};
const DiscreteReference kDiscrete[] = {
#include "reference/continuous_discrete_values.inc"
};

void PrintTo(const DiscreteReference& r, std::ostream* os) {
  *os << r.kind << " " << r.perturbation << " eps=" << r.epsilon << " T=" << r.T << " t_out=" << r.t_out;
}

class DiscreteReferenceRow : public ::testing::TestWithParam<DiscreteReference> {};

TEST_P(DiscreteReferenceRow, DiscretizationsMatchNaiveReference) {
  PrecisionScope scope(40);
  const DiscreteReference& ref = GetParam();
  const SamplerRow* sampler = row_named(sampler_table, ref.kind);
  ASSERT_TRUE(sampler && sampler->family == SamplerFamily::continuous_time) << ref.kind;
  CaseSpec c = ct_case(sampler->kind, ref.T, ref.t_out, "0.25", "0.5");
  const std::string perturbation = ref.perturbation;
  if (perturbation != "none") {
    c.score.kind = ScoreKind::perturbed;
    c.score.epsilon = ref.epsilon;
    c.score.perturbation = perturbation == "constant" ? Perturbation::constant : Perturbation::scale;
  }
  const std::string where = std::string(ref.kind) + ", " + perturbation + ", T = " + std::to_string(ref.T) + ", t_out = " +
                            std::to_string(ref.t_out);
  const auto r = continuous_time_path<mpfr_real>(c);
  EXPECT_LE(rel_error(r.kl, ref.kl), 1e-30) << where << ": " << to_decimal(r.kl);
  if (std::string(ref.girsanov).empty()) return;
  ASSERT_TRUE(r.has_girsanov) << where;
  EXPECT_LE(rel_error(r.girsanov, ref.girsanov), ref.tol_g) << where << ": " << to_decimal(r.girsanov);
}

INSTANTIATE_TEST_SUITE_P(ContinuousTime, DiscreteReferenceRow, ::testing::ValuesIn(kDiscrete),
                         [](const ::testing::TestParamInfo<DiscreteReference>& info) {
                           const DiscreteReference& r = info.param;
                           return gtest_name(std::to_string(info.index) + "_" + r.kind + "_" + r.perturbation + "_T" + std::to_string(r.T) +
                                             "_tout" + std::to_string(r.t_out));
                         });

// Started at Q_1 instead of gamma, the exact continuous samplers reproduce Q_{s_out} exactly.
TEST(ContinuousTime, ExactSamplersFromQ1AreExact) {
  for (SamplerKind kind : {SamplerKind::sde_exact, SamplerKind::ode_exact}) {
    CaseSpec c = ct_case_d(kind, 50, 1, 6, "100", "0.7");
    c.sampler.init = Init::exact;
    const auto r = continuous_time_path<double>(c);
    EXPECT_EQ(r.kl, 0.0) << to_string(kind);
  }
}

// The discretizations converge to the exact output at their orders: slope of log|error| against
// log T (least squares over T = 100..1600, t_out = 0 so that s_out = 0 is fixed), for the variance
// and the mean of the output law. Expected: Euler-Maruyama 1, exponential integrator 1 (score frozen
// over the step), Euler 1, Heun 2, RK4 4.
double slope(const std::vector<double>& x, const std::vector<double>& y) {
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) { mx += std::log(x[i]); my += std::log(y[i]); }
  mx /= x.size(); my /= y.size();
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (std::log(x[i]) - mx) * (std::log(y[i]) - my);
    sxx += (std::log(x[i]) - mx) * (std::log(x[i]) - mx);
  }
  return sxy / sxx;
}

TEST(ContinuousTime, DiscretizationsConvergeAtTheirOrders) {
  PrecisionScope scope(40);
  struct Solver { SamplerKind kind, exact; double order; };
  const Solver solvers[] = {{SamplerKind::sde_em, SamplerKind::sde_exact, 1}, {SamplerKind::sde_ei, SamplerKind::sde_exact, 1},
                            {SamplerKind::ode_euler, SamplerKind::ode_exact, 1}, {SamplerKind::ode_heun, SamplerKind::ode_exact, 2},
                            {SamplerKind::ode_rk4, SamplerKind::ode_exact, 4}};
  const std::vector<double> Ts = {100, 200, 400, 800, 1600};
  for (const char* lam : {"0.25", "3"}) {
    for (const auto& s : solvers) {
      const auto exact = continuous_time_path<mpfr_real>(ct_case(s.exact, 100, 0, lam, "0.5"));
      std::vector<double> ev, em;
      for (double T : Ts) {
        const auto r = continuous_time_path<mpfr_real>(ct_case(s.kind, static_cast<long>(T), 0, lam, "0.5"));
        ev.push_back(static_cast<double>(abs(r.variance_deviation[0] - exact.variance_deviation[0])));
        em.push_back(static_cast<double>(abs(r.mean_deviation[0] - exact.mean_deviation[0])));
      }
      const double pv = slope(Ts, ev), pm = slope(Ts, em);
      std::printf("  %-10s lam = %-4s  variance error slope %.3f (error %.2e at T = 1600), mean error slope %.3f (%.2e)\n",
                  to_string(s.kind).c_str(), lam, pv, ev.back(), pm, em.back());
      EXPECT_NEAR(-pv, s.order, 0.1) << to_string(s.kind) << " variance, lam = " << lam;
      EXPECT_NEAR(-pm, s.order, 0.1) << to_string(s.kind) << " mean, lam = " << lam;
    }
  }
}

// The fine discretizations meet the closed forms (an independent route to them, also with t_out = 1
// and in d > 1): RK4 at T = 2000 and the exponential integrator at T = 20000.
TEST(ContinuousTime, FineDiscretizationsMeetClosedForms) {
  PrecisionScope scope(40);
  for (long t_out : {0L, 1L}) {
    // s_out = t_out / T, so both runs must share T
    const auto ode = continuous_time_path<mpfr_real>(ct_case_d(SamplerKind::ode_exact, 2000, t_out, 5, "50", "0.3"));
    const auto rk4 = continuous_time_path<mpfr_real>(ct_case_d(SamplerKind::ode_rk4, 2000, t_out, 5, "50", "0.3"));
    EXPECT_LE(static_cast<double>(abs(rk4.kl - ode.kl) / ode.kl), 1e-9) << "t_out = " << t_out;
    // double suffices here (rounding ~ eps T = 4e-12 against a first-order error of O(1/T) = 5e-5)
    const auto sde = continuous_time_path<double>(ct_case_d(SamplerKind::sde_exact, 20000, t_out, 5, "50", "0.3"));
    const auto ei = continuous_time_path<double>(ct_case_d(SamplerKind::sde_ei, 20000, t_out, 5, "50", "0.3"));
    for (std::size_t i = 0; i < sde.variance_deviation.size(); ++i) {
      EXPECT_LE(std::abs(ei.variance_deviation[i] - sde.variance_deviation[i]), 1e-3) << i;
      EXPECT_LE(std::abs(ei.mean_deviation[i] - sde.mean_deviation[i]), 1e-3) << i;
    }
  }
}

// pf-ode-identity at certified precision: the exact ODE's KL enclosure overlaps E_T's, both tight;
// sde-data-processing: the exact SDE's KL is certainly below E_T. Sweep over d, kappa, mean, t_out.
TEST(ContinuousTime, IdentityAndDataProcessingCertified) {
  PrecisionScope scope(40);
  for (long d : {1L, 7L}) for (const char* kappa : {"1", "30", "1000"}) for (const char* mu : {"0", "1.5"}) for (long t_out : {0L, 1L}) {
    const std::string where = "d = " + std::to_string(d) + ", kappa = " + kappa + ", mu = " + mu + ", t_out = " + std::to_string(t_out);
    const auto ode = continuous_time_path<interval_real>(ct_case_d(SamplerKind::ode_exact, 100, t_out, d, kappa, mu));
    if ((d == 1 || std::string(kappa) == "1") && std::string(mu) == "0") {  // the target is gamma: everything vanishes
      EXPECT_TRUE(ode.kl == 0 && ode.E_T == 0) << where;
      EXPECT_TRUE(continuous_time_path<interval_real>(ct_case_d(SamplerKind::sde_exact, 100, t_out, d, kappa, mu)).kl == 0) << where;
      continue;
    }
    EXPECT_FALSE(certainly_less(ode.kl, ode.E_T) || certainly_less(ode.E_T, ode.kl)) << where;
    EXPECT_LE(static_cast<double>((upper_of(ode.kl) - lower_of(ode.kl)) / upper_of(ode.kl)), 1e-30) << where;
    EXPECT_LE(static_cast<double>(abs(mpfr_real(median(ode.kl)) - mpfr_real(median(ode.E_T))) / upper_of(ode.E_T)), 1e-30) << where;
    const auto sde = continuous_time_path<interval_real>(ct_case_d(SamplerKind::sde_exact, 100, t_out, d, kappa, mu));
    EXPECT_TRUE(certainly_less(sde.kl, sde.E_T)) << where;
  }
}

// girsanov-ei: KL(Q_{s_out} || EI output) <= E_T + G, certified, on a sweep (T, d, kappa, mean, b_max,
// t_out, init); G vanishes like 1/T.
TEST(ContinuousTime, GirsanovBoundHoldsOnSweep) {
  PrecisionScope scope(30);
  for (long T : {2L, 5L, 20L, 100L}) for (const char* kappa : {"1", "50", "2000"}) for (const char* mu : {"0", "3"})
    for (const char* b_max : {"20", "2"}) for (long t_out : {0L, 1L}) for (Init init : {Init::gaussian, Init::exact})
    for (const char* score : {"exact", "constant-0.5", "scale-0.3"}) {
      if (T <= t_out) continue;
      CaseSpec c = ct_case_d(SamplerKind::sde_ei, T, t_out, 4, kappa, mu);
      c.schedule.b_max = b_max;
      c.sampler.init = init;
      if (std::string(score) != "exact") {
        c.score.kind = ScoreKind::perturbed;
        c.score.perturbation = std::string(score).starts_with("constant") ? Perturbation::constant : Perturbation::scale;
        c.score.epsilon = std::string(score).substr(std::string(score).find('-') + 1);
      }
      const auto r = continuous_time_path<interval_real>(c);
      const interval_real bound = (init == Init::gaussian ? r.E_T : interval_real(0)) + r.girsanov;
      EXPECT_TRUE(certainly_less(r.kl, bound)) << "T = " << T << ", kappa = " << kappa << ", mu = " << mu << ", b_max = " << b_max
                                               << ", t_out = " << t_out << ", init = " << to_string(init) << ", score " << score << ": KL = "
                                               << to_decimal(r.kl) << ", bound = " << to_decimal(bound);
    }
  const auto g100 = continuous_time_path<double>(ct_case_d(SamplerKind::sde_ei, 100, 0, 4, "50", "0")).girsanov;
  const auto g1000 = continuous_time_path<double>(ct_case_d(SamplerKind::sde_ei, 1000, 0, 4, "50", "0")).girsanov;
  EXPECT_NEAR(g100 / g1000, 10.0, 0.5);
}

// The three number types agree: double within 1e-11 relative of MPFR (discretization at T = 400 loses
// about eps T), and the certified enclosure contains the MPFR value.
TEST(ContinuousTime, PrecisionsAgree) {
  PrecisionScope scope(40);
  for (SamplerKind kind : {SamplerKind::sde_exact, SamplerKind::ode_exact, SamplerKind::sde_em, SamplerKind::sde_ei,
                           SamplerKind::ode_euler, SamplerKind::ode_heun, SamplerKind::ode_rk4}) {
    const CaseSpec c = ct_case_d(kind, 400, 1, 5, "20", "0.4");
    const auto m = continuous_time_path<mpfr_real>(c);
    const auto d = continuous_time_path<double>(c);
    const auto i = continuous_time_path<interval_real>(c);
    EXPECT_LE(std::abs(d.kl - static_cast<double>(m.kl)) / static_cast<double>(m.kl), 1e-9) << to_string(kind);
    EXPECT_TRUE(lower_of(i.kl) <= m.kl && m.kl <= upper_of(i.kl)) << to_string(kind);
    EXPECT_TRUE(lower_of(i.tv_lo) <= m.tv_lo && m.tv_hi <= upper_of(i.tv_hi)) << to_string(kind);
  }
}

// Equal eigenvalues are merged, and a d-dimensional isotropic case is d times the 1-D one.
TEST(ContinuousTime, IsotropicIsDTimesOneDimensional) {
  for (SamplerKind kind : {SamplerKind::sde_ei, SamplerKind::ode_heun}) {
    CaseSpec one = ct_case(kind, 50, 1, "0.3", "0.2");
    CaseSpec many = one;
    many.target.gaussian.dim = 9;
    many.target.gaussian.eigenvalues.assign(9, "0.3");
    const auto a = continuous_time_path<double>(one), b = continuous_time_path<double>(many);
    EXPECT_EQ(b.directions, 1);
    EXPECT_NEAR(b.kl, 9 * a.kl, 1e-14 * b.kl);
  }
}

void expect_input_error(const CaseSpec& c, const std::string& field) {
  try {
    compute_exact(c);
    ADD_FAILURE() << "no error; expected one naming " << field;
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), field) << e.what();
  }
}

TEST(ContinuousTime, BadInputNamesTheField) {
  const CaseSpec good = ct_case(SamplerKind::sde_ei, 10, 1, "0.5", "0");
  EXPECT_NO_THROW(compute_exact(good));
  CaseSpec c = good;
  c.schedule.kind = ScheduleKind::cosine;
  expect_input_error(c, "schedule.kind");
  for (const char* bad : {"0", "-1", "nan", "inf", "abc"}) {
    c = good;
    c.schedule.b_min = bad;
    expect_input_error(c, "schedule.b_min");
    c = good;
    c.schedule.b_max = bad;
    expect_input_error(c, "schedule.b_max");
  }
  c = good;
  c.target.family = Family::mixture;
  c.target.mixture.weights = {"0.5", "0.5"};
  c.target.mixture.means = {"-1", "1"};
  c.target.mixture.variances = {"0.1", "0.1"};
  expect_input_error(c, "target.family");
  c = good;
  c.score.kind = ScoreKind::mismatched;
  c.score.train = c.target;
  expect_input_error(c, "score.kind");
  // the exact flow map takes the exact score only (sde-exact takes a perturbed one through its moment ODEs)
  for (SamplerKind exact : {SamplerKind::ode_exact}) {
    c = good;
    c.sampler.kind = exact;
    c.score.kind = ScoreKind::perturbed;
    c.score.epsilon = "0.1";
    expect_input_error(c, "score.kind");
  }
  for (const char* bad : {"-0.1", "nan"}) {  // the perturbed score's size
    c = good;
    c.score.kind = ScoreKind::perturbed;
    c.score.epsilon = bad;
    expect_input_error(c, "score.epsilon");
  }
  c = good;
  c.target.gaussian.dim = 2;
  c.target.gaussian.spectrum = Spectrum::matrix;
  c.target.gaussian.covariance = {{"1", "0.5"}, {"0.5", "1"}};
  expect_input_error(c, "target.covariance");
  c = good;
  c.sampler.t_out = -1;  // any 0 <= t_out < steps is a grid point (docs/math.md#vp-sde-general)
  expect_input_error(c, "sampler.t_out");
  c = good;
  c.schedule.steps = 1;
  expect_input_error(c, "schedule.steps");
  c = good;
  c.target.gaussian.eigenvalues = {"-0.5"};
  EXPECT_THROW(compute_exact(c), InputError);
}

// compute_exact hands the Girsanov integral over for sde-ei only, and E_T uses alpha_bar(1).
TEST(ContinuousTime, ExactQuantitiesCarryGirsanov) {
  CaseSpec c = ct_case(SamplerKind::sde_ei, 20, 1, "0.5", "0");
  c.numerics.precision = Precision::certified;
  c.numerics.digits = 30;
  const auto q = compute_exact(c);
  ASSERT_TRUE(q.girsanov.has_value());
  EXPECT_TRUE(q.certified());
  EXPECT_EQ(q.kl.kind, EnclosureKind::certified);
  EXPECT_FALSE(q.D_T.has_value());
  EXPECT_NEAR(q.alpha_bar_T.value, std::exp(-10.05), 1e-15);
  // E_T = KL(N(0, 1 + ab(1)(lam - 1)) || N(0, 1)) with lam = 0.5
  const double u = -0.5 * std::exp(-10.05);
  EXPECT_NEAR(q.E_T.value, (u - std::log1p(u)) / 2, 1e-18);  // double cancellation: ~eps |u|
  c.sampler.kind = SamplerKind::sde_exact;
  EXPECT_FALSE(compute_exact(c).girsanov.has_value());
}

}  // namespace
