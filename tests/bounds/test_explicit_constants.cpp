// The explicit-constant bounds of the general VP SDE (docs/math.md#explicit-constant-bounds): kwon-fan-lee2022,
// strasman2024-kl, strasman2024-w2, tang-zhao2024-contractive.
//
// Reference values: tests/bounds/reference/explicit_constants.py (mpmath, 40 digits), which evaluates each bound
// from its definition in MATH.md: I(t) = exp int (L_f + L_s beta) and the outer integrals by nested quadrature,
// the integrals of C_t and of the min in L_t by quadrature (split at the min's switch point), the distances
// to N(0, sigma_inf^2 I) from the per-direction formulas; none of the closed forms of bounds/detail/vp_integrals.hpp.
// The inputs below are computed in this test by the textbook formulas (not by the engine).
#include "bounds/registry.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace diffbound {
namespace {

struct VpCase {
  std::string name;
  std::vector<std::string> lambdas, means;
  std::string b_min, b_max, rate, horizon, sigma_inf;  // rate empty: linear
  long steps;
  std::string epsilon;
  std::map<std::string, std::string> reference;  // bound id -> value
};

const std::vector<VpCase>& cases() {
  static const std::vector<VpCase> c = {
      {"vp1_exponential_negative_rate", {"0.5"}, {"0.4"}, "0.2", "12", "-2", "1", "1.5", 80, "0",
       {{"kwon-fan-lee2022", "0.00274271551542811178955581568331"},
        {"tang-zhao2024-contractive", "3295390.86511135307597759801593"},
        {"strasman2024-kl", "0.384105602767401952986705770211"},
        {"strasman2024-w2", "5.83228661452313856199044883367"}}},
      {"vp3_linear_horizon2", {"1", "0.3", "0.05"}, {"0", "0.5", "-0.2"}, "0.1", "8", "", "2", "1", 40, "0",
       {{"kwon-fan-lee2022", "0.000163490610329449312302862042455"},
        {"tang-zhao2024-contractive", "1.22175517387163708303127569319e+70"},
        {"strasman2024-kl", "15.9790976474825355936477597645"}}},
      {"n13_linear", {"3"}, {"1"}, "0.1", "2", "", "1", "1", 50, "0",
       {{"kwon-fan-lee2022", "0.694260642379505041898283189714"},
        {"tang-zhao2024-contractive", "3.21245325704182968547640501879"},
        {"strasman2024-kl", "0.519350334612213122631546373635"},
        {"strasman2024-w2", "0.601295562554572610134494096641"}}},
      // constant score error eps: lambda_max - sigma_inf^2 > 0, < 0 and = 0 (the three branches of the
      // closed form of int beta I dt; = 0 also takes the series for an interval c that contains 0)
      {"eps_lambda_above_stationary", {"2", "0.5"}, {"0.3", "0"}, "0.1", "20", "", "1", "1", 100, "0.05",
       {{"kwon-fan-lee2022", "0.155791246572949926385647512938"},
        {"strasman2024-kl", "0.461137739795972800684378736897"},
        {"strasman2024-w2", "7.6468472499046540097301765842"}}},
      {"eps_lambda_below_stationary", {"0.25"}, {"0.1"}, "0.1", "20", "", "1", "1.2", 100, "0.05",
       {{"kwon-fan-lee2022", "0.0411119619088608041054667894558"},
        {"strasman2024-kl", "1.12015741212872454291898071064"},
        {"strasman2024-w2", "14.4362104467204682291378380988"}}},
      {"eps_lambda_at_stationary", {"1", "0.5"}, {"0", "0.2"}, "0.1", "20", "", "1", "1", 20, "0.1",
       {{"kwon-fan-lee2022", "0.19869432014223201968981246735"},
        {"strasman2024-kl", "1.18050503431781689394112351669"},
        {"strasman2024-w2", "29.1462225665397172324371296946"}}},
  };
  return c;
}

// The bound inputs of a case by the textbook formulas: Q_{T_f} = N(mu m, mu^2 lambda + s2 (1 - mu^2)),
// KL and W2 of one-dimensional Gaussians, I(Q_0 | N(0, s2)) = (tr S + |m|^2)/s2^2 - 2 d/s2 + tr S^{-1}.
template <class Real> BoundInputs<Real> inputs_of(const VpCase& c) {
  using std::exp; using std::log; using std::sqrt;
  BoundInputs<Real> in;
  in.has_vp = true;
  auto& vp = in.vp;
  vp.b_min = from_decimal<Real>(c.b_min);
  vp.b_max = from_decimal<Real>(c.b_max);
  vp.exponential = !c.rate.empty();
  if (vp.exponential) vp.rate = from_decimal<Real>(c.rate);
  vp.horizon = from_decimal<Real>(c.horizon);
  vp.sigma_inf = from_decimal<Real>(c.sigma_inf);
  vp.sigma_inf2 = vp.sigma_inf * vp.sigma_inf;
  const Real s2 = vp.sigma_inf2;
  const Real eps = from_decimal<Real>(c.epsilon);
  in.eps2 = eps * eps;
  in.d = Real(static_cast<long>(c.lambdas.size()));
  in.T = Real(c.steps);
  in.sigma_inf = vp.sigma_inf;
  in.horizon = vp.horizon;
  in.has_horizon = true;
  const Real mu2 = exp(-vp.B(vp.horizon) / s2);
  Real w2q0(0), w2init(0), fisher(0), kl0(0), m2(0), mn2(0);
  in.lambda_min = from_decimal<Real>(c.lambdas[0]);
  in.lambda_max = from_decimal<Real>(c.lambdas[0]);
  for (std::size_t i = 0; i < c.lambdas.size(); ++i) {
    const Real l = from_decimal<Real>(c.lambdas[i]), m = from_decimal<Real>(c.means[i]);
    in.lambda_min = min_of(in.lambda_min, l);
    in.lambda_max = max_of(in.lambda_max, l);
    kl0 += (l / s2 - 1 - log(l / s2) + m * m / s2) / 2;
    w2q0 += m * m + (sqrt(l) - vp.sigma_inf) * (sqrt(l) - vp.sigma_inf);
    const Real v = mu2 * l + s2 * (1 - mu2);
    w2init += mu2 * m * m + (sqrt(v) - vp.sigma_inf) * (sqrt(v) - vp.sigma_inf);
    fisher += (l + m * m) / (s2 * s2) - 2 / s2 + 1 / l;
    m2 += l + m * m;
    mn2 += m * m;
  }
  in.kl_q0_stationary = kl0;
  in.w2_q0_stationary = sqrt(w2q0);
  in.w2_init = sqrt(w2init);
  in.fisher_rel = fisher;
  in.has_fisher_rel = true;
  in.m2 = m2;
  in.mean_norm2 = mn2;
  return in;
}

struct Check {
  const VpCase* vp_case;
  std::string bound;
};
void PrintTo(const Check& c, std::ostream* os) { *os << c.vp_case->name << " " << c.bound; }
std::vector<Check> checks() {
  std::vector<Check> out;
  for (const auto& c : cases())
    for (const auto& [id, value] : c.reference) out.push_back({&c, id});
  return out;
}

class ExplicitConstantBound : public ::testing::TestWithParam<Check> {
protected:
  const Bound& bound() const { return BoundRegistry::builtins().at(GetParam().bound); }
  const VpCase& vp_case() const { return *GetParam().vp_case; }
  std::string reference() const { return vp_case().reference.at(GetParam().bound); }
};

// 30 digits of the reference (the quadratures are good to ~35 of their 40)
TEST_P(ExplicitConstantBound, MpfrMatchesTheDefinitionByQuadrature) {
  PrecisionScope scope(60);
  const mpfr_real ref(reference());
  const mpfr_real got = bound().evaluate(inputs_of<mpfr_real>(vp_case()));
  EXPECT_LT(abs(got - ref), mpfr_real("1e-28") * ref) << got.str(35) << " vs " << reference();
}

TEST_P(ExplicitConstantBound, CertifiedEnclosesMpfr100AndIsNarrow) {
  mpfr_real point;
  {
    PrecisionScope scope(100);
    point = bound().evaluate(inputs_of<mpfr_real>(vp_case()));
  }
  PrecisionScope scope(30);
  const interval_real iv = bound().evaluate(inputs_of<interval_real>(vp_case()));
  EXPECT_LE(lower_of(iv), point);
  EXPECT_GE(upper_of(iv), point);
  EXPECT_LT(upper_of(iv) - lower_of(iv), mpfr_real("1e-20") * abs(point)) << (upper_of(iv) - lower_of(iv)).str(5);
}

TEST_P(ExplicitConstantBound, DoubleAgreesWithMpfr) {
  const double ref = std::stod(reference());
  EXPECT_NEAR(bound().evaluate(inputs_of<double>(vp_case())), ref, 1e-12 * ref);
}

INSTANTIATE_TEST_SUITE_P(Cases, ExplicitConstantBound, ::testing::ValuesIn(checks()), [](const auto& info) {
  std::string name = info.param.vp_case->name + "_" + info.param.bound;
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
});

// The independent reference file of the project's spec (../shared/reference/vp.jsonl, 40-digit mpmath) for
// the two VP cases; three of its values equal ours to all 30 digits (above). Its strasman2024-w2 value for vp1,
// 5.83228661082041484838357867247, is 6.3e-10 below ours: its quadrature of I_k does not split the integrand
// at the kink of the min in L_t (the step from t = 0.175 to 0.1875 holds it); the closed form and the split
// quadrature agree to 30 digits. This test keeps the finding visible.
TEST(ExplicitConstantReference, SpecFileStrasmanW2ErrsAtTheKinkOfLt) {
  PrecisionScope scope(60);
  const mpfr_real spec_value("5.83228661082041484838357867247");
  const mpfr_real got = BoundRegistry::builtins().at("strasman2024-w2").evaluate(inputs_of<mpfr_real>(cases()[0]));
  const mpfr_real gap = (got - spec_value) / got;
  EXPECT_GT(gap, mpfr_real("5e-10"));
  EXPECT_LT(gap, mpfr_real("8e-10"));
}

// Q_0 = N(0, sigma_inf^2 I): E1 = 0 and I(Q_0 | N(0, sigma_inf^2 I)) = 0, so strasman2024-kl is 0 with the exact
// score (MATH §5.2: the discrete schemes' KL is not, which suites/findings.toml shows).
TEST(ExplicitConstantReference, StrasmanKlVanishesAtTheStationaryLaw) {
  VpCase c{"stationary", {"2.25", "2.25"}, {"0", "0"}, "0.1", "20", "", "1", "1.5", 100, "0", {}};
  PrecisionScope scope(30);
  const interval_real b = BoundRegistry::builtins().at("strasman2024-kl").evaluate(inputs_of<interval_real>(c));
  EXPECT_LE(lower_of(b), 0);
  EXPECT_GE(upper_of(b), 0);
  EXPECT_LT(upper_of(b), mpfr_real("1e-25"));
}

// tang-zhao2024-contractive with eps > 0 holds for every h > 0; the bound takes the h of a grid search in double.
// References: the minimum over h by mpmath (grid, then findroot on the derivative of the log, 30 digits) in
// tests/bounds/reference/explicit_constants.py's second part. Ours can only be at or above it, and close.
TEST(ExplicitConstantReference, TangZhaoWithScoreErrorIsNearItsMinimumOverH) {
  const std::vector<std::pair<std::size_t, std::string>> minima = {
      {3, "9445349290.974179668204865"}, {4, "831704515462592263.7766733"}, {5, "18883947251.44597050486665"}};
  PrecisionScope scope(30);
  for (const auto& [index, minimum] : minima) {
    const interval_real b = BoundRegistry::builtins().at("tang-zhao2024-contractive").evaluate(inputs_of<interval_real>(cases()[index]));
    const mpfr_real m(minimum);
    EXPECT_GE(lower_of(b), m * (1 - mpfr_real("1e-20"))) << cases()[index].name;
    EXPECT_LE(upper_of(b), m * (1 + mpfr_real("1e-3"))) << cases()[index].name;
  }
}

TEST(ExplicitConstantReference, EveryExplicitConstantBoundIsRegisteredAndTested) {
  std::map<std::string, int> tested;
  for (const auto& ch : checks()) ++tested[ch.bound];
  for (const char* id : {"kwon-fan-lee2022", "strasman2024-kl", "strasman2024-w2", "tang-zhao2024-contractive"}) {
    EXPECT_NO_THROW(BoundRegistry::builtins().at(id)) << id;
    EXPECT_GE(tested[id], 2) << id;
  }
}

TEST(ExplicitConstantReference, WithoutTheVpSdeTheBoundsAreNotApplicable) {
  BoundInputs<double> in;  // has_vp = false: a discrete case
  for (const char* id : {"kwon-fan-lee2022", "strasman2024-kl", "strasman2024-w2", "tang-zhao2024-contractive"})
    EXPECT_THROW(BoundRegistry::builtins().at(id).evaluate(in), BoundNotApplicable) << id;
}

}  // namespace
}  // namespace diffbound
