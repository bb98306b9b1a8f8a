// The registry holds every bound of docs/math.md#bounds, each self-describing and consistent with its kind.
#include "bounds/chain_rule.hpp"
#include "bounds/registry.hpp"
#include "numerics/input_error.hpp"
#include "sample_inputs.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace diffbound {
namespace {

const std::vector<std::string> math_section5_ids = {
    "chain-rule", "forward-contraction", "pf-ode-identity", "sde-data-processing", "girsanov-ei", "pinsker",
    "bo-ddnm-below-ddnm", "ddnm-persistent-bias",
    "liang2025-score-mismatch", "liang2024-regular", "liang2024-accelerated", "li-yan2025",
    "li-wei-chen-chi2024-ddpm", "li-wei-chen-chi2024-ode", "chen2023", "benton2024",
    "kwon-fan-lee2022", "strasman2024-kl", "strasman2024-w2", "tang-zhao2024-contractive"};

TEST(BoundRegistry, HoldsEveryBoundOfMathSection5Once) {
  const BoundRegistry& r = BoundRegistry::builtins();
  EXPECT_EQ(r.all().size(), math_section5_ids.size());
  for (const auto& id : math_section5_ids) EXPECT_NE(r.find(id), nullptr) << id;
  std::set<std::string> ids;
  for (const auto& b : r.all()) EXPECT_TRUE(ids.insert(b->id()).second) << "duplicate " << b->id();
}

TEST(BoundRegistry, RateClaimsAreShapeOnlyWithShapeAndSweep) {
  for (const auto& b : BoundRegistry::builtins().all()) {
    const BoundInfo& i = b->info();
    EXPECT_FALSE(i.citation.empty()) << i.id;
    EXPECT_FALSE(i.description.empty()) << i.id;
    EXPECT_FALSE(i.formula.empty()) << i.id;
    EXPECT_FALSE(i.needs.empty()) << i.id;
    if (i.kind == BoundKind::rate) {
      EXPECT_EQ(i.provenance, Provenance::shape_only) << i.id;  // docs/math.md: [shape only], never a threshold
      EXPECT_FALSE(i.shape.empty()) << i.id;
      EXPECT_FALSE(i.swept.empty()) << i.id;
    } else if (i.id == "bo-ddnm-below-ddnm" || i.id == "ddnm-persistent-bias" || i.id == "kwon-fan-lee2022" ||
               i.id == "strasman2024-kl" || i.id == "strasman2024-w2" || i.id == "tang-zhao2024-contractive") {
      EXPECT_EQ(i.provenance, Provenance::paper) << i.id;  // the zero-shot paper's claims (docs/math.md#zero-shot [paper])
      EXPECT_TRUE(i.shape.empty()) << i.id;
    } else {
      EXPECT_EQ(i.provenance, Provenance::standard) << i.id;
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
  for (const auto& row : rows) {
    if (row.kind == "rate") {
      EXPECT_EQ(row.provenance, "shape-only") << row.id;
    }
  }
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
