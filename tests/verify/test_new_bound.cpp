// issue 13's acceptance: a bound added in one header (example_bound.hpp) plus one registration line
// appears in `diffbound list bounds` and is judged in a suite.
#include "example_bound.hpp"

#include "bounds/registry.hpp"
#include "verify/runner.hpp"
#include "verify/suite.hpp"

#include <gtest/gtest.h>

namespace diffbound {
namespace {

const BoundRegistration<test::KlPlusInitialization> example_registered;  // the one registry line

TEST(NewBound, IsListedWithTheBuiltins) {
  bool listed = false;
  for (const auto& row : list_bounds(BoundRegistry::builtins()))
    if (row.id == "example-kl-plus-e-t") {
      listed = true;
      EXPECT_EQ(row.kind, "rigorous");
      EXPECT_EQ(row.provenance, "standard");
    }
  EXPECT_TRUE(listed);
}

TEST(NewBound, IsJudgedInASuite) {
  const Suite s = read_suite_text(R"(
[suite]
name = "new-bound"
[[case]]
target = { family = "gaussian", dim = 2, spectrum = "geometric", kappa = 10 }
schedule = { kind = "etc", steps = [10, 20] }
sampler = { kind = "ddpm", variance = "theory" }
checks = ["example-kl-plus-e-t"]
)", "new.toml");
  RunOptions o;
  o.progress = false;
  const auto report = run_suites({s}, o);
  ASSERT_EQ(report["cases"].size(), 2u);
  for (const auto& c : report["cases"]) {
    ASSERT_EQ(c["checks"].size(), 1u);
    EXPECT_EQ(c["checks"][0]["bound"], "example-kl-plus-e-t");
    EXPECT_EQ(c["checks"][0]["verdict"], "pass") << c["checks"][0]["message"];
  }
  EXPECT_EQ(report["summary"]["pass"], 2);
  bool in_bounds = false;
  for (const auto& b : report["bounds"]) in_bounds = in_bounds || b["id"] == "example-kl-plus-e-t";
  EXPECT_TRUE(in_bounds);
}

}  // namespace
}  // namespace diffbound
