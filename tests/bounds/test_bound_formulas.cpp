// Every built-in formula: a hand-computed value, the same value in all three number types, the
// interval enclosing a higher-precision point value, and the documented formula text agreeing with
// the compiled formula (parsed by the expression language: an independent route).
//
// Reference values: mpmath, mp.dps = 40, with d=4, T=100, abar_T=0.01, E_T=0.02, D_T=0.003,
// B_T=0.0004, kl_q0_gamma=2, m2=5, eps2=0.09, kl=0.018, kl_far=0.015, kl_ddnm=0.03, L=10, tau=-log(abar_T)/2, h=tau/T, e.g.
//   chen = sqrt(klg)*exp(-tau) + (L*sqrt(d*h) + L*sqrt(m2)*h)*sqrt(tau) + sqrt(eps2)*sqrt(tau)
#include "bounds/expression.hpp"
#include "bounds/registry.hpp"
#include "sample_inputs.hpp"

#include <gtest/gtest.h>

#include <map>

namespace diffbound {
namespace {

struct Reference {
  const char* bound;  // value of evaluate()
  const char* shape;  // value of shape(), rate claims only
};

const std::map<std::string, Reference> references = {
    {"chain-rule", {"0.0234", nullptr}},
    {"forward-contraction", {"0.02", nullptr}},
    {"pf-ode-identity", {"0.02", nullptr}},
    {"sde-data-processing", {"0.02", nullptr}},
    {"girsanov-ei", {"0.07", nullptr}},  // E_T + girsanov = 0.02 + 0.05
    {"pinsker", {"0.094868329805051379959966806333", nullptr}},
    {"bo-ddnm-below-ddnm", {"0.03", nullptr}},    // kl_ddnm
    {"ddnm-persistent-bias", {"0.03", nullptr}},  // 2 kl_far = 2 * 0.015
    {"liang2025-score-mismatch", {"3.3936147907061747267594664887", "3.3932147907061747267594664887"}},
    {"liang2024-regular", {"3.3932147907061747267594664887", "3.3932147907061747267594664887"}},
    {"liang2024-accelerated", {"0.0001", "0.0001"}},
    {"li-yan2025", {"4.55037270509027846980635815918", "3.90658289720347429791550308809"}},
    // k = d (full-rank Gaussian): k log^3 T / T + sqrt(eps2) sqrt(log T), mpmath as above
    {"li-yan2025-posterior", {"4.55037270509027846980635815918", "3.90658289720347429791550308809"}},
    {"li-wei-chen-chi2024-ddpm", {"0.1", "0.1"}},
    {"li-wei-chen-chi2024-ode", {"0.01", "0.01"}},
    {"chen2023", {"5.9831029700520709204424826582", "5.9831029700520709204424826582"}},
    {"benton2024", {"0.554151848838271840844933311088", "0.554151848838271840844933311088"}},
};

class BuiltinBound : public ::testing::TestWithParam<std::string> {
protected:
  const Bound& bound() const { return BoundRegistry::builtins().at(GetParam()); }
  const Reference& reference() const { return references.at(GetParam()); }
};

TEST_P(BuiltinBound, DoubleMatchesHandComputedValue) {
  double ref = std::stod(reference().bound);
  EXPECT_NEAR(bound().evaluate(test::sample_inputs<double>()), ref, 1e-14 * ref);
  if (reference().shape) {
    double sref = std::stod(reference().shape);
    EXPECT_NEAR(bound().shape(test::sample_inputs<double>()), sref, 1e-14 * sref);
  }
}

TEST_P(BuiltinBound, MpfrMatchesHandComputedValueTo28Digits) {
  PrecisionScope scope(50);
  mpfr_real ref(reference().bound);
  mpfr_real got = bound().evaluate(test::sample_inputs<mpfr_real>());
  EXPECT_LT(abs(got - ref), mpfr_real("1e-28") * ref) << got.str(30);
}

TEST_P(BuiltinBound, IntervalEnclosesHighPrecisionValueAndIsTight) {
  mpfr_real point, shape_point;
  {
    PrecisionScope scope(80);
    point = bound().evaluate(test::sample_inputs<mpfr_real>());
    if (bound().is_rate()) shape_point = bound().shape(test::sample_inputs<mpfr_real>());
  }
  PrecisionScope scope(30);
  interval_real iv = bound().evaluate(test::sample_inputs<interval_real>());
  EXPECT_LE(lower_of(iv), point);
  EXPECT_GE(upper_of(iv), point);
  EXPECT_LT(upper_of(iv) - lower_of(iv), mpfr_real("1e-25") * abs(point));
  double d = bound().evaluate(test::sample_inputs<double>());
  EXPECT_NEAR(d, mid_double(iv), 1e-14 * std::abs(d));  // the double result agrees to double precision
  if (bound().is_rate()) {
    interval_real s = bound().shape(test::sample_inputs<interval_real>());
    EXPECT_LE(lower_of(s), shape_point);
    EXPECT_GE(upper_of(s), shape_point);
  }
}

TEST_P(BuiltinBound, DocumentedFormulaTextEvaluatesToTheSameValue) {
  const BoundInfo& info = bound().info();
  auto in = test::sample_inputs<double>();
  Expression formula = Expression::parse(info.formula, info.id + ".formula");
  double v = bound().evaluate(in);
  EXPECT_NEAR(formula.evaluate(in), v, 1e-13 * std::abs(v)) << info.formula;
  for (Variable var : formula.variables())
    EXPECT_NE(std::find(info.needs.begin(), info.needs.end(), var), info.needs.end())
        << info.id << " reads " << to_string(var) << " without declaring it";
  if (bound().is_rate()) {
    Expression shape = Expression::parse(info.shape, info.id + ".shape");
    double s = bound().shape(in);
    EXPECT_NEAR(shape.evaluate(in), s, 1e-13 * std::abs(s)) << info.shape;
  }
}

// The explicit-constant bounds of the VP SDE read the schedule itself and are tested on their own cases
// (tests/bounds/test_explicit_constants.cpp); their formulas loop over the grid, so they have no expression text.
bool reads_the_vp_sde(const std::string& id) {
  return id == "kwon-fan-lee2022" || id == "strasman2024-kl" || id == "strasman2024-w2" || id == "tang-zhao2024-contractive";
}

std::vector<std::string> all_ids() {
  std::vector<std::string> ids;
  for (const auto& b : BoundRegistry::builtins().all())
    if (!reads_the_vp_sde(b->id())) ids.push_back(b->id());
  return ids;
}

INSTANTIATE_TEST_SUITE_P(Registry, BuiltinBound, ::testing::ValuesIn(all_ids()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(BuiltinBoundReferences, EveryRegisteredBoundHasAReference) {
  for (const auto& id : all_ids()) EXPECT_TRUE(references.count(id)) << id;
}

TEST(DerivedInputs, TauHAndLFollowTheDocumentedConventions) {
  BoundInputs<double> in;
  in.T = 50;
  in.abar_T = std::exp(-3.0);  // tau = 1.5
  complete_derived(in, 0.25);
  EXPECT_NEAR(in.tau, 1.5, 1e-15);
  EXPECT_NEAR(in.h, 0.03, 1e-16);
  EXPECT_EQ(in.L, 4.0);
  complete_derived(in, 2.0);  // lambda_min > 1: L = max(1, 1/2) = 1
  EXPECT_EQ(in.L, 1.0);
}

TEST(Pinsker, ClampsAnEnclosureOfKlThatDipsBelowZero) {
  PrecisionScope scope(30);
  auto in = test::sample_inputs<interval_real>();
  in.kl = make_interval(mpfr_real("-1e-20"), mpfr_real("1e-10"));
  interval_real tv = BoundRegistry::builtins().at("pinsker").evaluate(in);
  EXPECT_EQ(lower_of(tv), 0);
  EXPECT_GE(upper_of(tv), sqrt(mpfr_real("0.5e-10")));
}

}  // namespace
}  // namespace diffbound
