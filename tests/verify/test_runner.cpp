// Verdicts (MATH.md §7) end to end through run_suites: a bound that holds passes, a wrong one fails
// with the numbers in the message, an enclosure straddling the bound is inconclusive (never pass),
// rate claims are judged by fitted exponents, and baselines catch a changed value.
#include "numerics/input_error.hpp"
#include "verify/runner.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>

using namespace diffbound;

namespace {

const char* kSuite = R"TOML(
[suite]
name = "v"
[[case]]
checks = ["chain-rule", "wrong-chain", "equal-to-kl", "rate-too-fast", "rate-true"]
[case.target]
family = "gaussian"
dim = 3
spectrum = "geometric"
kappa = 10.0
mean = 0.2
[case.schedule]
steps = [100, 200, 400, 800]
[case.score]
kind = "mismatched"
[case.score.train]
family = "gaussian"
dim = 3
[case.numerics]
digits = 30
[[case]]
checks = ["chain-rule"]
[case.target]
dim = 2
[case.schedule]
steps = 50
[case.sampler]
kind = "ddim"
[[bound]]
id = "wrong-chain"
kind = "rigorous"
metric = "KL"
expr = "0.3 * (E_T + D_T + B_T)"
[[bound]]
id = "equal-to-kl"
kind = "rigorous"
metric = "KL"
expr = "kl"
[[bound]]
id = "rate-too-fast"
kind = "rate"
metric = "KL"
shape = "1 / T^2"
variable = "T"
[[bound]]
id = "rate-true"
kind = "rate"
metric = "KL"
shape = "1"
variable = "T"
)TOML";

RunOptions quiet() {
  RunOptions o;
  o.progress = false;
  o.jobs = 2;
  o.max_digits = 60;
  return o;
}

const nlohmann::json* check(const nlohmann::json& report, std::size_t case_index, const std::string& bound) {
  for (const auto& c : report["cases"][case_index]["checks"])
    if (c["bound"] == bound) return &c;
  return nullptr;
}

}  // namespace

TEST(Runner, VerdictPaths) {
  const auto report = run_suites({read_suite_text(kSuite, "v.toml")}, quiet());
  ASSERT_EQ(report["cases"].size(), 5u);
  for (std::size_t i = 0; i < 4; ++i) {
    const auto* chain = check(report, i, "chain-rule");
    ASSERT_TRUE(chain);
    EXPECT_EQ((*chain)["verdict"], "pass");
    EXPECT_GT((*chain)["slack"].get<double>(), 0);
    const auto* half = check(report, i, "wrong-chain");
    EXPECT_EQ((*half)["verdict"], "fail") << (*half)["message"];
    const std::string msg = (*half)["message"];
    EXPECT_NE(msg.find("KL = "), std::string::npos) << msg;
    EXPECT_NE(msg.find("> bound = "), std::string::npos) << msg;
    EXPECT_NE(msg.find("T = "), std::string::npos) << msg;
    // the bound equals the measurement: the enclosures always overlap, so never a pass
    const auto* eq = check(report, i, "equal-to-kl");
    EXPECT_EQ((*eq)["verdict"], "inconclusive");
    EXPECT_EQ((*eq)["reason"], "enclosures-overlap");
  }
  // ddim has no D_T/B_T: the chain rule is not applicable, which is inconclusive, not pass
  const auto* ddim = check(report, 4, "chain-rule");
  EXPECT_EQ((*ddim)["verdict"], "inconclusive");
  EXPECT_EQ((*ddim)["reason"], "not-applicable");
  // rate claims: KL_T tends to a positive limit under mismatch, so a 1/T^2 claim fails and a
  // constant claim passes
  ASSERT_EQ(report["rates"].size(), 2u);
  for (const auto& r : report["rates"]) {
    if (r["bound"] == "rate-too-fast") {
      EXPECT_EQ(r["verdict"], "fail");
      EXPECT_NEAR(r["fitted_exponent"].get<double>(), 2.0, 0.1);
    } else {
      EXPECT_EQ(r["verdict"], "pass");
      EXPECT_LT(std::abs(r["kl_exponent"].get<double>()), 0.1);
    }
    EXPECT_EQ(r["points"].size(), 4u);
  }
  EXPECT_EQ(report["summary"]["exit_status"], 1);
  EXPECT_GT(report["summary"]["fail"].get<int>(), 0);
  EXPECT_GT(report["summary"]["inconclusive"].get<int>(), 0);
}

TEST(Runner, InconclusiveExitStatusOnlyOnRequest) {
  const char* text = R"TOML(
[suite]
name = "i"
[[case]]
checks = ["equal-to-kl"]
[case.target]
dim = 1
[case.schedule]
steps = 10
[[bound]]
id = "equal-to-kl"
expr = "kl"
)TOML";
  auto o = quiet();
  EXPECT_EQ(run_suites({read_suite_text(text, "i.toml")}, o)["summary"]["exit_status"], 0);
  o.fail_on_inconclusive = true;
  EXPECT_EQ(run_suites({read_suite_text(text, "i.toml")}, o)["summary"]["exit_status"], 3);
}

TEST(Runner, BaselineCatchesAChangedValue) {
  const char* text = R"TOML(
[suite]
name = "b"
[[case]]
checks = ["chain-rule"]
[case.target]
dim = 2
spectrum = "two-level"
kappa = 5
[case.schedule]
steps = [20, 40]
)TOML";
  const Suite suite = read_suite_text(text, "b.toml");
  const auto first = run_suites({suite}, quiet());
  auto baseline = baseline_of(first);
  const std::string path = ::testing::TempDir() + "/baseline_" + std::to_string(::getpid()) + ".json";  // unique: ctest -j
  std::ofstream(path) << baseline.dump();
  auto o = quiet();
  o.baseline = path;
  const auto again = run_suites({suite}, o);
  EXPECT_EQ(again["summary"]["fail"], 0);
  EXPECT_EQ((*check(again, 0, "baseline"))["verdict"], "pass");
  // perturb one stored enclosure: the second case's KL moves by a relative 1e-12
  auto& entry = baseline["cases"].begin().value();
  const double kl = entry["kl"]["value"].get<double>();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", kl * (1 + 1e-12));
  entry["kl"]["lo_str"] = buf;
  entry["kl"]["hi_str"] = buf;
  std::ofstream(path) << baseline.dump();
  const auto changed = run_suites({suite}, o);
  EXPECT_EQ(changed["summary"]["fail"], 1);
  bool found = false;
  for (std::size_t i = 0; i < 2; ++i) {
    const auto* c = check(changed, i, "baseline");
    if ((*c)["verdict"] == "fail") {
      found = true;
      EXPECT_EQ((*c)["reason"], "regression");
      EXPECT_NE((*c)["message"].get<std::string>().find("does not overlap"), std::string::npos);
    }
  }
  EXPECT_TRUE(found);
}

TEST(Runner, ScoreMismatchShapeAppliesToTheVanishingPart) {
  // Under mismatch KL_T -> KL_inf > 0, so the vanishing shape d^2 log^2 T / T cannot describe KL_T
  // itself (a user rate claim with that shape on KL_T fails) but does describe |KL_T - KL_inf|
  // (the built-in liang2025-score-mismatch claim, MATH.md §5).
  const char* text = R"TOML(
[suite]
name = "m"
[[case]]
checks = ["liang2025-score-mismatch", "vanishing-on-kl"]
[case.target]
dim = 16
spectrum = "geometric"
kappa = 10.0
mean = 0.2
[case.schedule]
steps = [30, 100, 300, 1000, 3000]
[case.score]
kind = "mismatched"
[case.score.train]
dim = 16
scale = 0.5
[case.numerics]
digits = 30
[[bound]]
id = "vanishing-on-kl"
kind = "rate"
shape = "d^2 * log(T)^2 / T"
variable = "T"
)TOML";
  const auto report = run_suites({read_suite_text(text, "m.toml")}, quiet());
  ASSERT_EQ(report["rates"].size(), 2u);
  for (const auto& r : report["rates"]) {
    if (r["bound"] == "liang2025-score-mismatch") {
      EXPECT_EQ(r["measured"], "|kl - kl_inf|");
      EXPECT_EQ(r["verdict"], "pass") << r["message"];
      // the limit against the accumulated mismatch is reported: KL_inf and B_inf are both positive
      ASSERT_EQ(r["limits"].size(), 5u);
      EXPECT_GT(r["limit_constant"].get<double>(), 0.0);
      for (const auto& l : r["limits"]) EXPECT_GT(l["B_inf"].get<double>(), 0.0);
    } else {
      EXPECT_EQ(r["measured"], "kl");
      EXPECT_EQ(r["verdict"], "fail") << r["message"];
    }
  }
}

// Continuous-time references (MATH §2.3): the checks that assume the exact SDE / ODE / exponential
// integrator apply to those samplers only; each holds where it applies; the identity's message shows
// the residual; a bound that is deliberately too small (half of E_T + girsanov on a case where KL is
// close to it) is not passed.
TEST(Runner, ContinuousTimeChecks) {
  const char* text = R"TOML(
[suite]
name = "ct"
[[case]]
checks = ["pf-ode-identity", "sde-data-processing", "girsanov-ei", "chain-rule"]
[case.target]
dim = 3
spectrum = "geometric"
kappa = 20.0
mean = 0.5
[case.schedule]
kind = "linear"
b_max = 5.0
steps = 4
[case.sampler]
kind = ["ode-exact", "sde-exact", "sde-ei", "ode-rk4"]
[[case]]
checks = ["tiny-girsanov"]
[case.target]
dim = 1
mean = 3.0
[case.schedule]
kind = "linear"
b_max = 1.0
steps = 2
[case.sampler]
kind = "sde-ei"
t_out = 0
[[bound]]
id = "tiny-girsanov"
kind = "rigorous"
metric = "KL"
expr = "0.01 * girsanov"
)TOML";
  const auto report = run_suites({read_suite_text(text, "ct.toml")}, quiet());
  ASSERT_EQ(report["cases"].size(), 5u);
  const char* applies[] = {"pf-ode-identity", "sde-data-processing", "girsanov-ei", nullptr};
  for (std::size_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(report["cases"][i]["error"].is_null()) << report["cases"][i]["error"];
    for (const char* id : {"pf-ode-identity", "sde-data-processing", "girsanov-ei", "chain-rule"}) {
      const auto* c = check(report, i, id);
      ASSERT_TRUE(c);
      if (applies[i] && std::string(id) == applies[i]) {
        EXPECT_EQ((*c)["verdict"], "pass") << id << ": " << (*c)["message"];
      } else {
        EXPECT_EQ((*c)["verdict"], "inconclusive") << id << " on case " << i;
        EXPECT_EQ((*c)["reason"], "not-applicable") << id << " on case " << i;
      }
    }
  }
  const std::string identity = (*check(report, 0, "pf-ode-identity"))["message"];
  EXPECT_NE(identity.find("residual in ["), std::string::npos) << identity;
  EXPECT_TRUE(report["cases"][2]["exact"]["decomposition"].contains("girsanov"));
  EXPECT_FALSE(report["cases"][0]["exact"]["decomposition"].contains("girsanov"));
  EXPECT_EQ((*check(report, 4, "tiny-girsanov"))["verdict"], "fail") << (*check(report, 4, "tiny-girsanov"))["message"];
}

// The discretized continuous-time samplers count as stochastic (sde-em, sde-ei) or deterministic
// (ode-*) samplers for the rate claims that assume one; the exact ones (no step) do not.
TEST(Runner, ContinuousTimeSamplerClasses) {
  auto rates_for = [](const std::string& kind, const std::string& claim) {
    const std::string text = "[suite]\nname = \"c\"\n[[case]]\nchecks = [\"" + claim +
                             "\"]\n[case.target]\ndim = 2\nmean = 0.3\n[case.schedule]\nkind = \"linear\"\n"
                             "steps = [10, 20, 40, 80]\n[case.sampler]\nkind = \"" + kind + "\"\n";
    return run_suites({read_suite_text(text, "c.toml")}, quiet())["rates"].size();
  };
  EXPECT_EQ(rates_for("ode-rk4", "li-wei-chen-chi2024-ode"), 1u);
  EXPECT_EQ(rates_for("ode-heun", "li-wei-chen-chi2024-ode"), 1u);
  EXPECT_EQ(rates_for("ode-exact", "li-wei-chen-chi2024-ode"), 0u);
  EXPECT_EQ(rates_for("sde-ei", "chen2023"), 1u);
  EXPECT_EQ(rates_for("sde-em", "li-wei-chen-chi2024-ddpm"), 1u);
  EXPECT_EQ(rates_for("sde-exact", "chen2023"), 0u);
  EXPECT_EQ(rates_for("sde-ei", "li-wei-chen-chi2024-ode"), 0u);
}

// Zero-shot: the paper's claims as checks (BO-DDNM below DDNM under noise, DDNM's bias persists, the
// exact conditional score's chain rule with B_T = 0), and a [[figure]] drawing two named blocks.
TEST(Runner, ZeroShotClaimsAndFigure) {
  // two blocks on the same problem, differing in name, score and checks
  auto block = [](const std::string& name, const std::string& score, const std::string& checks) {
    return "[[case]]\nname = \"" + name + "\"\nchecks = [" + checks + "]\n" + R"TOML([case.target]
dim = 3
spectrum = "geometric"
kappa = 10.0
[case.schedule]
steps = [100, 300]
[case.score]
kind = ")TOML" + score + R"TOML("
[case.problem]
H = "inpaint"
observed = [0]
sigma_y = 0.2
y = [0.7]
[case.numerics]
digits = 30
)TOML";
  };
  const std::string suite =
      "[suite]\nname = \"zs\"\n" +
      block("BO", "bo-ddnm", "\"chain-rule\", \"bo-ddnm-below-ddnm\", \"ddnm-persistent-bias\"") +
      block("DDNM", "ddnm", "\"chain-rule\", \"ddnm-persistent-bias\", \"bo-ddnm-below-ddnm\"") +
      "[[figure]]\ntitle = \"KL vs T\"\ncurves = [\"BO\", \"DDNM\"]\n";
  RunOptions o;
  o.progress = false;
  const auto report = run_suites({read_suite_text(suite, "zs.toml")}, o);
  std::map<std::string, std::string> verdict;  // "<block> <bound>" of the T = 300 cases
  for (const auto& c : report["cases"]) {
    ASSERT_TRUE(c["error"].is_null()) << c["error"];
    if (c["params"]["T"] != "300") continue;
    for (const auto& ch : c["checks"])
      verdict[c["label"].get<std::string>() + " " + ch["bound"].get<std::string>()] = ch["verdict"].get<std::string>() + " " +
                                                                                       ch["reason"].get<std::string>();
  }
  EXPECT_EQ(verdict["BO chain-rule"], "pass ");
  EXPECT_EQ(verdict["BO bo-ddnm-below-ddnm"], "pass ");
  EXPECT_EQ(verdict["BO ddnm-persistent-bias"], "inconclusive not-applicable");  // a DDNM claim
  EXPECT_EQ(verdict["DDNM chain-rule"], "pass ");
  EXPECT_EQ(verdict["DDNM ddnm-persistent-bias"], "pass ");
  EXPECT_EQ(verdict["DDNM bo-ddnm-below-ddnm"], "inconclusive not-applicable");
  bool figure = false;
  for (const auto& p : report["plots"])
    if (p["id"].get<std::string>().find("/figure/") != std::string::npos) {
      figure = true;
      ASSERT_EQ(p["curves"].size(), 2u);
      EXPECT_EQ(p["curves"][0]["label"], "BO");
      EXPECT_EQ(p["curves"][0]["kind"], "series");
      EXPECT_EQ(p["curves"][0]["points"].size(), 2u);
    }
  EXPECT_TRUE(figure);
  // a figure naming no block is an error naming the field
  std::string bad = suite;
  bad.replace(bad.find("\"DDNM\"]"), 7, "\"nope\"]");
  try {
    read_suite_text(bad, "zs.toml");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("figure[0].curves[1]"), std::string::npos) << e.what();
  }
}

// A claim on the vanishing part KL_T - KL_inf is not fitted across a sign change of KL_T - KL_inf:
// there |KL_T - KL_inf| dips through zero (here BO-DDNM over d: KL_T is above its limit at d = 2 and 8
// and below it at d = 32; the fitted half is d >= 8) and a power-law exponent means nothing:
// inconclusive, never pass or fail.
TEST(Runner, VanishingPartChangingSignIsInconclusive) {
  const char* suite = R"TOML(
[suite]
name = "sign"
[[case]]
checks = ["liang2025-score-mismatch"]
[case.target]
dim = [2, 8, 32]
spectrum = "geometric"
kappa = 10.0
mean = 0.2
[case.schedule]
steps = 1000
[case.score]
kind = "bo-ddnm"
[case.problem]
H = "subsample"
factor = 2
sigma_y = 0.1
y = "draw"
seed = 5
[case.numerics]
digits = 30
)TOML";
  RunOptions o;
  o.progress = false;
  const auto report = run_suites({read_suite_text(suite, "sign.toml")}, o);
  ASSERT_EQ(report["rates"].size(), 1u);
  const auto& rate = report["rates"][0];
  EXPECT_EQ(rate["variable"], "d");
  EXPECT_EQ(rate["verdict"], "inconclusive") << rate["message"];
  EXPECT_NE(rate["message"].get<std::string>().find("changes sign"), std::string::npos) << rate["message"];
}
