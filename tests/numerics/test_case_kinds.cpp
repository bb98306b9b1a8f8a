// The kind tables (numerics/case_kinds.hpp): every row's name leads back to its kind and is what
// to_string prints, and no two rows share a name.
#include "numerics/case_kinds.hpp"

#include <gtest/gtest.h>

#include <set>

namespace diffbound {
namespace {

template <class Row, std::size_t N> void expect_round_trip(const std::array<Row, N>& table) {
  std::set<std::string_view> seen;
  for (const Row& row : table) {
    SCOPED_TRACE(std::string(row.name));
    EXPECT_FALSE(row.name.empty());
    EXPECT_TRUE(seen.insert(row.name).second) << "two rows named " << row.name;
    const Row* named = row_named(table, row.name);  // name -> kind
    ASSERT_NE(named, nullptr);
    EXPECT_EQ(named->kind, row.kind);
    EXPECT_EQ(to_string(named->kind), row.name);  // kind -> name
    EXPECT_EQ(&row_of(table, row.kind), &row);
  }
  EXPECT_EQ(row_named(table, "no-such-kind"), nullptr);
}

TEST(CaseKinds, EveryRowRoundTripsNameKindName) {
  expect_round_trip(sampler_table);
  expect_round_trip(variance_table);
  expect_round_trip(init_table);
  expect_round_trip(score_table);
  expect_round_trip(perturbation_table);
  expect_round_trip(schedule_table);
  expect_round_trip(family_table);
  expect_round_trip(spectrum_table);
  expect_round_trip(layout_table);
  expect_round_trip(precision_table);
  expect_round_trip(engine_table);
  expect_round_trip(operator_table);
}

// Traits that hold by what the kinds are, so a new row cannot contradict its family.
TEST(CaseKinds, SamplerTraitsAgreeWithTheirFamily) {
  for (const SamplerRow& s : sampler_table) {
    SCOPED_TRACE(std::string(s.name));
    EXPECT_TRUE(s.family == SamplerFamily::continuous_time || s.time_discretized);  // a chain takes its T steps
    EXPECT_TRUE(!s.chooses_variance || s.stochastic);  // a variance is the noise a step draws
  }
}

}  // namespace
}  // namespace diffbound
