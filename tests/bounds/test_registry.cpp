// The registry holds every bound of docs/math.md#bounds, each self-describing and consistent with its kind.
#include "bounds/chain_rule.hpp"
#include "bounds/registry.hpp"
#include "numerics/input_error.hpp"
#include "sample_inputs.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

namespace diffbound {
namespace {

const std::vector<std::string> math_section5_ids = {
    "chain-rule", "forward-contraction", "pf-ode-identity", "sde-data-processing", "girsanov-ei", "pinsker",
    "bo-ddnm-below-ddnm", "ddnm-persistent-bias",
    "liang2025-score-mismatch", "liang2024-regular", "liang2024-accelerated", "li-yan2025", "li-yan2025-posterior",
    "li-wei-chen-chi2024-ddpm", "li-wei-chen-chi2024-ode", "chen2023", "benton2024",
    "kwon-fan-lee2022", "strasman2024-kl", "strasman2024-w2", "tang-zhao2024-contractive"};

// Each bound's provenance level as MATH.md tags it (§5.1 [standard] but girsanov-ei [read-secondary];
// §5.3: Li & Yan [read], its posterior variant and Li-Wei-Chen-Chi, Chen et al., Benton et al.
// [read-secondary], Liang et al. [shape only]; the zero-shot claims [paper], docs/math.md#zero-shot-claims).
const std::map<std::string, Provenance> math_provenance = {
    {"chain-rule", Provenance::standard}, {"forward-contraction", Provenance::standard},
    {"pf-ode-identity", Provenance::standard}, {"sde-data-processing", Provenance::standard},
    {"girsanov-ei", Provenance::read_secondary}, {"pinsker", Provenance::standard},
    {"bo-ddnm-below-ddnm", Provenance::paper}, {"ddnm-persistent-bias", Provenance::paper},
    {"liang2025-score-mismatch", Provenance::shape_only}, {"liang2024-regular", Provenance::shape_only},
    {"liang2024-accelerated", Provenance::shape_only}, {"li-yan2025", Provenance::read},
    {"li-yan2025-posterior", Provenance::read_secondary}, {"li-wei-chen-chi2024-ddpm", Provenance::read_secondary},
    {"li-wei-chen-chi2024-ode", Provenance::read_secondary}, {"chen2023", Provenance::read_secondary},
    {"benton2024", Provenance::read_secondary},
    // §5.2: the explicit-constant bounds
    {"kwon-fan-lee2022", Provenance::read_secondary}, {"strasman2024-kl", Provenance::authors_code},
    {"strasman2024-w2", Provenance::authors_code}, {"tang-zhao2024-contractive", Provenance::read_secondary}};

TEST(BoundRegistry, HoldsEveryBoundOfMathSection5Once) {
  const BoundRegistry& r = BoundRegistry::builtins();
  EXPECT_EQ(r.all().size(), math_section5_ids.size());
  for (const auto& id : math_section5_ids) EXPECT_NE(r.find(id), nullptr) << id;
  std::set<std::string> ids;
  for (const auto& b : r.all()) EXPECT_TRUE(ids.insert(b->id()).second) << "duplicate " << b->id();
}

TEST(BoundRegistry, RateClaimsHaveShapeAndSweepAndEveryBoundItsMathProvenance) {
  for (const auto& b : BoundRegistry::builtins().all()) {
    const BoundInfo& i = b->info();
    EXPECT_FALSE(i.citation.empty()) << i.id;
    EXPECT_FALSE(i.description.empty()) << i.id;
    EXPECT_FALSE(i.formula.empty()) << i.id;
    EXPECT_FALSE(i.needs.empty()) << i.id;
    ASSERT_TRUE(math_provenance.count(i.id)) << i.id;
    EXPECT_EQ(i.provenance, math_provenance.at(i.id)) << i.id;
    if (i.kind == BoundKind::rate) {
      EXPECT_FALSE(i.shape.empty()) << i.id;
      EXPECT_FALSE(i.swept.empty()) << i.id;
    } else {
      EXPECT_TRUE(i.shape.empty()) << i.id;
      EXPECT_THROW(b->shape(test::sample_inputs<double>()), std::logic_error) << i.id;
    }
  }
}

TEST(BoundRegistry, KindsMetricsAndMeasuredQuantities) {
  const BoundRegistry& r = BoundRegistry::builtins();
  for (const char* id : {"chain-rule", "forward-contraction", "pf-ode-identity", "sde-data-processing", "girsanov-ei", "pinsker"})
    EXPECT_EQ(r.at(id).info().kind, BoundKind::rigorous) << id;
  EXPECT_EQ(r.at("forward-contraction").info().measured, Measured::E_T);
  EXPECT_EQ(r.at("chain-rule").info().measured, Measured::kl);
  EXPECT_EQ(r.at("pinsker").info().metric, Metric::TV);
  EXPECT_EQ(r.at("pinsker").info().measured, Measured::tv);
  EXPECT_EQ(r.at("pf-ode-identity").info().relation, Relation::identity);
  EXPECT_EQ(r.at("li-yan2025").info().metric, Metric::TV);
  EXPECT_EQ(r.at("benton2024").info().metric, Metric::KL);
  auto pinsker = r.at("pinsker").info().assumptions();
  EXPECT_NE(std::find(pinsker.begin(), pinsker.end(), "TV by quadrature (1-D mixture)"), pinsker.end());
  auto chain = r.at("chain-rule").info().assumptions();
  EXPECT_NE(std::find(chain.begin(), chain.end(), "ddpm sampler"), chain.end());
}

TEST(BoundRegistry, UnknownIdIsAnInputErrorListingTheKnownOnes) {
  const BoundRegistry& r = BoundRegistry::builtins();
  EXPECT_EQ(r.find("no-such-bound"), nullptr);
  try {
    r.at("no-such-bound", "case[3].checks");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "case[3].checks");
    EXPECT_EQ(e.value(), "no-such-bound");
    EXPECT_NE(std::string(e.what()).find("chain-rule"), std::string::npos);
  }
}

TEST(BoundRegistry, DuplicateIdIsRejected) {
  BoundRegistry r = BoundRegistry::with_builtins();
  EXPECT_THROW(r.add(std::make_unique<FormulaBound<bounds::ChainRule>>(), "bound[0].id"), InputError);
}

TEST(BoundRegistry, ListingHasOneRowPerBoundWithProvenance) {
  auto rows = list_bounds(BoundRegistry::builtins());
  ASSERT_EQ(rows.size(), math_section5_ids.size());
  EXPECT_EQ(rows[0].id, "chain-rule");
  EXPECT_EQ(rows[0].kind, "rigorous");
  EXPECT_EQ(rows[0].metric, "KL");
  EXPECT_EQ(rows[0].provenance, "standard");
  for (const auto& row : rows) EXPECT_EQ(row.provenance, to_string(math_provenance.at(row.id))) << row.id;
  const auto li_yan = std::find_if(rows.begin(), rows.end(), [](const BoundSummary& r) { return r.id == "li-yan2025"; });
  ASSERT_NE(li_yan, rows.end());
  EXPECT_EQ(li_yan->provenance, "read");
}

TEST(BoundRegistry, MissingDdpmQuantitiesMakeTheBoundNotApplicable) {
  auto in = test::sample_inputs<double>();
  in.has_D_T = in.has_B_T = false;
  const BoundRegistry& r = BoundRegistry::builtins();
  EXPECT_THROW(r.at("chain-rule").evaluate(in), BoundNotApplicable);
  EXPECT_THROW(r.at("liang2025-score-mismatch").shape(in), BoundNotApplicable);
  EXPECT_NO_THROW(r.at("forward-contraction").evaluate(in));
  in.has_kl = false;
  EXPECT_THROW(r.at("pinsker").evaluate(in), BoundNotApplicable);
}

}  // namespace
}  // namespace diffbound
