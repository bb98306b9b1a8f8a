// The judge on its own (verify/judge.hpp): every verdict and every reason it gives, on hand-made
// enclosures and a bound whose value is fixed, so each test says exactly which rule decides.
#include "verify/judge.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace diffbound {
namespace {

// A bound with a fixed value (decimal text, or +inf), or one that is not applicable on every case.
class FixedBound final : public Bound {
public:
  FixedBound(std::string value, BoundInfo info, bool throws_not_applicable = false)
      : value_(std::move(value)), info_(std::move(info)), throws_(throws_not_applicable) {}
  const BoundInfo& info() const override { return info_; }
  double evaluate(const BoundInputs<double>&) const override { return static_cast<double>(value<mpfr_real>()); }
  mpfr_real evaluate(const BoundInputs<mpfr_real>&) const override { return value<mpfr_real>(); }
  interval_real evaluate(const BoundInputs<interval_real>&) const override { return value<interval_real>(); }
  double shape(const BoundInputs<double>&) const override { return 0.5; }
  mpfr_real shape(const BoundInputs<mpfr_real>&) const override { return mpfr_real(0.5); }
  interval_real shape(const BoundInputs<interval_real>&) const override { return interval_real(0.5); }

private:
  template <class Real> Real value() const {
    if (throws_) throw BoundNotApplicable("the case has no D_T");
    if (value_ == "inf") return Real(std::numeric_limits<mpfr_real>::infinity());
    return Real(value_);
  }
  std::string value_;
  BoundInfo info_;
  bool throws_;
};

BoundInfo info_of(Relation relation = Relation::upper, BoundKind kind = BoundKind::rigorous) {
  BoundInfo i;
  i.id = "fixed";
  i.kind = kind;
  i.relation = relation;
  return i;
}

Enclosure enclosure(const std::string& lo, const std::string& hi, EnclosureKind kind) {
  Enclosure q;
  q.lo_str = lo;
  q.hi_str = hi;
  q.lo = std::stod(lo);
  q.hi = std::stod(hi);
  q.value = (q.lo + q.hi) / 2;
  q.value_str = std::to_string(q.value);
  q.kind = kind;
  return q;
}

struct Fixture {
  CaseSpec spec;
  ExactQuantities exact;
  RelatedQuantities related;
  Fixture(const std::string& lo, const std::string& hi, EnclosureKind kind) {
    spec.schedule.steps = 10;
    exact.steps = 10;
    exact.dim = 1;
    exact.digits = 30;
    exact.kind = kind;
    exact.kl = enclosure(lo, hi, kind);
    exact.E_T = exact.kl_q0_gamma = enclosure("0.1", "0.1", kind);
    // the descriptors the bound inputs read (inputs_of reads their enclosures)
    exact.kappa = exact.m2 = exact.lambda_min = exact.lambda_max = enclosure("1", "1", kind);
  }
  CheckOutcome judge_with(const Bound& b) const { return judge(b, CaseFacts{spec, exact, related}); }
};

// A new bound input is a row in bounds/inputs.hpp plus its producer here: a variable without one would
// silently read its default; one with two would depend on the order.
TEST(Judge, EveryInputHasExactlyOneProducerExceptTheDerivedOnes) {
  std::vector<int> producers(variable_count, 0);
  for (const InputProducer& p : input_producers()) ++producers[static_cast<std::size_t>(p.variable)];
  for (std::size_t i = 0; i < variable_count; ++i) {
    const Variable v = static_cast<Variable>(i);
    const bool derived = v == Variable::tau || v == Variable::h || v == Variable::L;
    EXPECT_EQ(producers[i], derived ? 0 : 1) << to_string(v);
  }
}

TEST(Judge, CertifiedBelowTheBoundPasses) {
  const Fixture f("0.99", "0.999", EnclosureKind::certified);
  const auto r = f.judge_with(FixedBound("1", info_of()));
  EXPECT_EQ(r.verdict, Verdict::pass);
  EXPECT_EQ(r.reason, Reason::none);
  EXPECT_EQ(r.enclosure, EnclosureKind::certified);
  EXPECT_NE(r.message.find("<= bound = 1"), std::string::npos) << r.message;
}

TEST(Judge, UpperEndEqualToTheBoundPasses) {
  const Fixture f("0.5", "1", EnclosureKind::certified);
  EXPECT_EQ(f.judge_with(FixedBound("1", info_of())).verdict, Verdict::pass);
}

TEST(Judge, CertifiedAboveTheBoundFails) {
  const Fixture f("1.0001", "1.0002", EnclosureKind::certified);
  const auto r = f.judge_with(FixedBound("1", info_of()));
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_NE(r.message.find("> bound"), std::string::npos) << r.message;
}

TEST(Judge, OverlappingEnclosuresAreInconclusive) {
  const Fixture f("0.9", "1.1", EnclosureKind::certified);
  const auto r = f.judge_with(FixedBound("1", info_of()));
  EXPECT_EQ(r.verdict, Verdict::inconclusive);
  EXPECT_EQ(r.reason, Reason::enclosures_overlap);
}

TEST(Judge, EstimatedEnclosureBelowPassesAndSaysSo) {
  const Fixture f("0.5", "0.6", EnclosureKind::estimated);
  const auto r = f.judge_with(FixedBound("1", info_of()));
  EXPECT_EQ(r.verdict, Verdict::pass);
  EXPECT_EQ(r.enclosure, EnclosureKind::estimated);
  EXPECT_NE(r.message.find("(estimated enclosure)"), std::string::npos) << r.message;
}

TEST(Judge, PointValueBelowTheBoundIsNotAPass) {
  const Fixture f("0.5", "0.5", EnclosureKind::point);
  const auto r = f.judge_with(FixedBound("1", info_of()));
  EXPECT_EQ(r.verdict, Verdict::inconclusive);
  EXPECT_EQ(r.reason, Reason::not_certified);
}

TEST(Judge, PointValueAboveTheBoundStillFails) {
  // a point value far above the bound is a counterexample up to its rounding; the judge reports it
  const Fixture f("2", "2", EnclosureKind::point);
  EXPECT_EQ(f.judge_with(FixedBound("1", info_of())).verdict, Verdict::fail);
}

TEST(Judge, InfiniteBoundIsVacuousNotAPass) {
  const Fixture f("0.5", "0.6", EnclosureKind::certified);
  const auto r = f.judge_with(FixedBound("inf", info_of()));
  EXPECT_EQ(r.verdict, Verdict::inconclusive);
  EXPECT_EQ(r.reason, Reason::vacuous);
}

TEST(Judge, UnmetRequirementIsNotApplicable) {
  Fixture f("0.5", "0.6", EnclosureKind::certified);
  f.spec.sampler.kind = SamplerKind::ddim;
  BoundInfo i = info_of();
  i.requirements = {Requirement::ddpm_sampler};
  const auto r = f.judge_with(FixedBound("1", i));
  EXPECT_EQ(r.verdict, Verdict::inconclusive);
  EXPECT_EQ(r.reason, Reason::not_applicable);
  EXPECT_NE(r.message.find("ddpm"), std::string::npos) << r.message;
  f.spec.sampler.kind = SamplerKind::ddpm;  // met: judged
  EXPECT_EQ(f.judge_with(FixedBound("1", i)).verdict, Verdict::pass);
}

TEST(Judge, MissingInputIsNotApplicableWithTheTwinsRefusal) {
  Fixture f("0.5", "0.6", EnclosureKind::certified);
  f.related.kl_far_refused = "schedule.steps = 100000: over the cap";
  const auto r = f.judge_with(FixedBound("1", info_of(), true));
  EXPECT_EQ(r.verdict, Verdict::inconclusive);
  EXPECT_EQ(r.reason, Reason::not_applicable);
  EXPECT_NE(r.message.find("no D_T"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("over the cap"), std::string::npos) << r.message;
}

TEST(Judge, IdentityPassesWhenTheResidualContainsZero) {
  const Fixture f("0.999999", "1.000001", EnclosureKind::certified);
  const auto r = f.judge_with(FixedBound("1", info_of(Relation::identity)));
  EXPECT_EQ(r.verdict, Verdict::pass);
  EXPECT_NE(r.message.find("contains 0"), std::string::npos) << r.message;
}

TEST(Judge, IdentityFailsWhenTheResidualExcludesZero) {
  const Fixture f("1.00001", "1.00002", EnclosureKind::certified);
  const auto r = f.judge_with(FixedBound("1", info_of(Relation::identity)));
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_NE(r.message.find("excludes 0"), std::string::npos) << r.message;
}

TEST(Judge, IdentityOnAPointValueIsNotCertified) {
  const Fixture f("1", "1", EnclosureKind::point);
  const auto r = f.judge_with(FixedBound("1", info_of(Relation::identity)));
  EXPECT_EQ(r.verdict, Verdict::inconclusive);
  EXPECT_EQ(r.reason, Reason::not_certified);
}

TEST(Judge, RateClaimOnlyRecordsItsShape) {
  const Fixture f("0.5", "0.6", EnclosureKind::certified);
  const auto r = f.judge_with(FixedBound("1", info_of(Relation::upper, BoundKind::rate)));
  EXPECT_TRUE(r.rate);
  EXPECT_DOUBLE_EQ(r.shape, 0.5);
  EXPECT_EQ(r.reason, Reason::none);  // judged over its sweep (verify/rate_claims.hpp), not here
}

TEST(Judge, VerdictAndReasonWordsAreTheReportFormats) {
  EXPECT_EQ(to_string(Verdict::pass), "pass");
  EXPECT_EQ(to_string(Verdict::fail), "fail");
  EXPECT_EQ(to_string(Verdict::inconclusive), "inconclusive");
  EXPECT_EQ(to_string(Reason::none), "");
  EXPECT_EQ(to_string(Reason::enclosures_overlap), "enclosures-overlap");
  EXPECT_EQ(to_string(Reason::not_applicable), "not-applicable");
  EXPECT_EQ(to_string(Reason::too_few_points), "too-few-points");
}

}  // namespace
}  // namespace diffbound
