// W2 end to end (docs/math.md#w2): a user [[bound]] with metric = "W2" and an expression over w2 is
// judged on the measured W2 in a suite, report.json carries the measured W2 and a W2 plot, and
// metric = "W2" with measured = "kl" is refused naming the field.
#include "../input_error_field.hpp"
#include "verify/exact_json.hpp"
#include "verify/runner.hpp"
#include "verify/suite.hpp"

#include <gtest/gtest.h>

#include <string>

namespace diffbound {
namespace {

const char* kSuite = R"TOML(
[suite]
name = "w2"
[[case]]
name = "ddpm"
checks = ["w2-twice", "w2-half"]
target = { family = "gaussian", dim = 2, spectrum = "geometric", kappa = 10 }
schedule = { kind = "linear", steps = [40, 80, 160] }
sampler = { kind = "ddpm", variance = "beta" }
numerics = { precision = "certified", digits = 30 }
[[bound]]
id = "w2-twice"
kind = "rigorous"
metric = "W2"
expr = "2 * w2"
[[bound]]
id = "w2-half"
kind = "rigorous"
metric = "W2"
expr = "w2 / 2"
[[figure]]
title = "W2 against T"
metric = "W2"
curves = ["ddpm"]
)TOML";

TEST(W2Suite, UserBoundOnW2IsJudgedOnTheMeasuredW2) {
  RunOptions o;
  o.progress = false;
  o.jobs = 1;
  const auto report = run_suites({read_suite_text(kSuite, "w2.toml")}, o);
  ASSERT_EQ(report["cases"].size(), 3u);
  for (const auto& c : report["cases"]) {
    ASSERT_TRUE(c["exact"]["w2"].is_object());
    const double w2 = c["exact"]["w2"]["value"];
    EXPECT_GT(w2, 0);
    EXPECT_TRUE(c["exact"]["w2"]["certified"].get<bool>());
    for (const auto& ch : c["checks"]) {
      EXPECT_EQ(ch["metric"], "W2");
      EXPECT_EQ(ch["measured"]["name"], "w2");
      EXPECT_DOUBLE_EQ(ch["measured"]["value"].get<double>(), w2);
      // w2 <= 2 w2 holds and w2 <= w2 / 2 does not, with certified enclosures either way
      EXPECT_EQ(ch["verdict"], ch["bound"] == "w2-twice" ? "pass" : "fail") << ch["message"];
      EXPECT_EQ(ch["enclosure"], "certified");
    }
  }
  // a W2 plot from the [[figure]] and one from the T sweep, each with a point per case
  int w2_plots = 0;
  for (const auto& p : report["plots"])
    if (p["y_label"] == "W2") {
      ++w2_plots;
      ASSERT_GE(p["curves"].size(), 1u);
      EXPECT_EQ(p["curves"][0]["points"].size(), 3u) << p["title"];
    }
  EXPECT_EQ(w2_plots, 2);
}

TEST(W2Suite, MetricW2JudgedOnKlIsRefused) {
  const std::string text = R"TOML(
[suite]
name = "bad"
[[case]]
checks = ["bad-w2"]
target = { family = "gaussian", dim = 1 }
schedule = { kind = "linear", steps = 10 }
[[bound]]
id = "bad-w2"
metric = "W2"
measured = "kl"
expr = "w2"
)TOML";
  EXPECT_EQ(testing::field_of([&] { read_suite_text(text, "bad.toml"); }), "bad.toml: bound[0].measured");
}

TEST(W2Suite, ExactJsonHasW2LikeKl) {
  CaseSpec c;
  c.target.gaussian.dim = 2;
  c.schedule.steps = 30;
  c.numerics.precision = Precision::certified;
  c.numerics.digits = 30;
  const ExactQuantities q = compute_exact(c);
  const auto j = exact_json(c, q);
  ASSERT_TRUE(j["w2"].is_object());
  for (const char* key : {"value", "lo", "hi", "value_str", "lo_str", "hi_str", "certified", "method"})
    EXPECT_TRUE(j["w2"].contains(key)) << key;
  EXPECT_EQ(j["w2"]["method"], j["kl"]["method"]);
  // the decimal strings carry the working digits (30), like kl's
  EXPECT_GE(j["w2"]["value_str"].get<std::string>().size(), 30u) << j["w2"]["value_str"];
  EXPECT_LE(j["w2"]["lo"].get<double>(), j["w2"]["hi"].get<double>());
  EXPECT_NE(exact_summary(c, q).find("W2(Q_t_out, P_t_out)"), std::string::npos);
}

}  // namespace
}  // namespace diffbound
