// Verdicts (docs/math.md#verdicts) end to end through run_suites: a bound that holds passes, a wrong one fails
// with the numbers in the message, an enclosure straddling the bound is inconclusive (never pass),
// rate claims are judged by fitted exponents, and baselines catch a changed value.
#include "numerics/input_error.hpp"
#include "verify/runner.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
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
  // (the built-in liang2025-score-mismatch claim, docs/math.md#bounds).
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

// Continuous-time references (docs/math.md#continuous-time): the checks that assume the exact SDE / ODE / exponential
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
  // the pass rule for identities is overlap: the message says the residual's enclosure contains 0, and
  // two equal sides are printed with 4 digits, not 40
  EXPECT_NE(identity.find(", contains 0) at"), std::string::npos) << identity;
  EXPECT_LE(identity.find(" matches "), 15u) << identity;
  EXPECT_TRUE(report["cases"][2]["exact"]["decomposition"].contains("girsanov"));
  EXPECT_FALSE(report["cases"][0]["exact"]["decomposition"].contains("girsanov"));
  EXPECT_EQ((*check(report, 4, "tiny-girsanov"))["verdict"], "fail") << (*check(report, 4, "tiny-girsanov"))["message"];
}

// The discretized continuous-time samplers count as stochastic (sde-em, sde-ei) or deterministic
// (ode-*) samplers for the rate claims that assume one; the exact ones (no step) do not: there the
// claim is one inconclusive entry with reason not-applicable (it never vanishes).
TEST(Runner, ContinuousTimeSamplerClasses) {
  auto reason_for = [](const std::string& kind, const std::string& claim) {
    const std::string text = "[suite]\nname = \"c\"\n[[case]]\nchecks = [\"" + claim +
                             "\"]\n[case.target]\ndim = 2\nmean = 0.3\n[case.schedule]\nkind = \"linear\"\n"
                             "steps = [10, 20, 40, 80]\n[case.sampler]\nkind = \"" + kind + "\"\n";
    const auto rates = run_suites({read_suite_text(text, "c.toml")}, quiet())["rates"];
    EXPECT_EQ(rates.size(), 1u) << kind << " " << claim;
    if (rates.size() != 1) return std::string("(none)");
    if (rates[0]["reason"] == "not-applicable") {
      EXPECT_EQ(rates[0]["verdict"], "inconclusive");
      EXPECT_TRUE(rates[0]["fitted_exponent"].is_null());
    } else {
      EXPECT_EQ(rates[0]["points"].size(), 4u) << kind << " " << claim;
    }
    return rates[0]["reason"].get<std::string>();
  };
  EXPECT_EQ(reason_for("ode-rk4", "li-wei-chen-chi2024-ode"), "");
  EXPECT_EQ(reason_for("ode-heun", "li-wei-chen-chi2024-ode"), "");
  EXPECT_EQ(reason_for("ode-exact", "li-wei-chen-chi2024-ode"), "not-applicable");
  EXPECT_EQ(reason_for("sde-ei", "chen2023"), "");
  EXPECT_EQ(reason_for("sde-em", "li-wei-chen-chi2024-ddpm"), "");
  EXPECT_EQ(reason_for("sde-exact", "chen2023"), "not-applicable");
  EXPECT_EQ(reason_for("sde-ei", "li-wei-chen-chi2024-ode"), "not-applicable");
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
    // a named block's cases are labelled by its name and their swept values
    const std::string label = c["label"].get<std::string>();
    EXPECT_EQ(label.substr(label.find(' ')), " T=300") << label;
    for (const auto& ch : c["checks"])
      verdict[label.substr(0, label.find(' ')) + " " + ch["bound"].get<std::string>()] = ch["verdict"].get<std::string>() + " " +
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

// ---- issue 15: the verdict path --------------------------------------------------------------------

namespace {

const char* kBaselineSuite = R"TOML(
[suite]
name = "b"
[[case]]
checks = ["chain-rule"]
[case.target]
dim = 2
spectrum = "two-level"
kappa = 10
[case.schedule]
steps = [20, 40]
)TOML";

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "/" + name + "_" + std::to_string(::getpid()) + ".json";  // unique: ctest -j
}

// Writes `baseline` to a file and runs `suite` against it.
nlohmann::json run_against(const std::string& suite, const nlohmann::json& baseline, const std::string& name) {
  const std::string path = temp_path(name);
  std::ofstream(path) << baseline.dump();
  auto o = quiet();
  o.baseline = path;
  return run_suites({read_suite_text(suite, "b.toml")}, o);
}

// The InputError of a run against `baseline`, as "field = value: why" ("(no error)" if it ran).
std::string baseline_error(const nlohmann::json& baseline, const std::string& name) {
  try {
    run_against(kBaselineSuite, baseline, name);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

// A stored enclosure that is not a finite decimal interval used to "match" (a NaN compares false with
// everything): every corruption is now an error naming the file and the field, before any computing.
TEST(Runner, CorruptedBaselineIsAnErrorNamingFileAndField) {
  const auto good = baseline_of(run_suites({read_suite_text(kBaselineSuite, "b.toml")}, quiet()));
  ASSERT_EQ(good["cases"].size(), 2u);
  EXPECT_EQ(good["format"], "diffbound-baseline/2");
  EXPECT_EQ(baseline_error(good, "good"), "(no error)");
  const std::string file = temp_path("corrupt");
  const auto corrupt = [&](const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json b = good;
    edit(b["cases"].begin().value());
    return baseline_error(b, "corrupt");
  };
  const std::string id = good["cases"].begin().value()["id"];
  const std::string where = file + ": cases[\"" + id + "\"].";
  for (const char* bad : {"nan", "inf", "-inf", "+inf", "NaN", "1.5e", "0x1p3", "one", ""}) {
    EXPECT_EQ(corrupt([&](nlohmann::json& e) { e["kl"]["lo_str"] = bad; }), where + "kl.lo_str = " + bad + ": not a finite decimal number")
        << bad;
    EXPECT_EQ(corrupt([&](nlohmann::json& e) { e["E_T"]["hi_str"] = bad; }), where + "E_T.hi_str = " + bad + ": not a finite decimal number")
        << bad;
  }
  // wrong shapes
  EXPECT_NE(corrupt([](nlohmann::json& e) { e["kl"]["lo_str"] = 0.5; }).find(where + "kl.lo_str = 0.5: expected a decimal number as text"),
            std::string::npos);
  EXPECT_NE(corrupt([](nlohmann::json& e) { e["kl"] = 3; }).find(where + "kl = 3: expected a stored enclosure"), std::string::npos);
  EXPECT_NE(corrupt([](nlohmann::json& e) { e["kl"] = nullptr; }).find(where + "kl = null"), std::string::npos);
  EXPECT_NE(corrupt([](nlohmann::json& e) { e.erase("kl_q0_gamma"); }).find(where + "kl_q0_gamma = (missing)"), std::string::npos);
  EXPECT_NE(corrupt([](nlohmann::json& e) { e["D_T"]["finite"] = "yes"; }).find(where + "D_T.finite = \"yes\""), std::string::npos);
  EXPECT_NE(corrupt([](nlohmann::json& e) { e["kl"]["lo_str"] = "2"; e["kl"]["hi_str"] = "1"; })
                .find(where + "kl = [2, 1]: the lower end exceeds the upper end"),
            std::string::npos);
  nlohmann::json b = good;
  b["cases"] = nlohmann::json::array();
  EXPECT_NE(baseline_error(b, "corrupt").find(file + ": cases = array"), std::string::npos);
  b = good;
  b["format"] = "diffbound-baseline/9";
  EXPECT_NE(baseline_error(b, "corrupt").find(file + ": format = diffbound-baseline/9"), std::string::npos);
  // "finite": false is a legitimate stored value (an infinite D_T); against a finite one it is a regression
  const auto r = [&] {
    nlohmann::json x = good;
    for (auto& e : x["cases"]) e["kl"] = {{"finite", false}, {"lo_str", "inf"}, {"hi_str", "inf"}};
    return run_against(kBaselineSuite, x, "corrupt");
  }();
  EXPECT_EQ((*check(r, 0, "baseline"))["verdict"], "fail");
  EXPECT_NE((*check(r, 0, "baseline"))["message"].get<std::string>().find("kl changed finiteness"), std::string::npos);
}

// The key is the case's content with numbers compared as numbers: `kappa = 10` and `10.0`, a renamed
// suite, reordered blocks all find their entries; a baseline of version 1 (keyed "suite|case JSON as
// written") is still read.
TEST(Runner, BaselineKeyIsTheCaseValueNotItsText) {
  const auto good = baseline_of(run_suites({read_suite_text(kBaselineSuite, "b.toml")}, quiet()));
  std::string respelled = kBaselineSuite;
  respelled.replace(respelled.find("kappa = 10"), 10, "kappa = 1.0e1");
  respelled.replace(respelled.find("name = \"b\""), 10, "name = \"renamed\"");
  respelled.replace(respelled.find("steps = [20, 40]"), 16, "steps = [40, 20]");
  const auto again = run_against(respelled, good, "respelled");
  ASSERT_EQ(again["cases"].size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ((*check(again, i, "baseline"))["verdict"], "pass") << i;
  EXPECT_EQ(again["summary"]["baseline"]["matched"], 2);
  EXPECT_TRUE(again["summary"]["baseline"]["warning"].is_null());
  EXPECT_EQ(again["summary"]["exit_status"], 0);
  // a value that differs is another case: kappa = 10.5 finds nothing
  std::string other = kBaselineSuite;
  other.replace(other.find("kappa = 10"), 10, "kappa = 10.5");
  try {
    run_against(other, good, "respelled");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("none of the 2 cases of this run has an entry in it"), std::string::npos) << e.what();
  }
  // version 1: keys "suite|<case JSON>" with the numbers as written
  const auto report = run_suites({read_suite_text(kBaselineSuite, "b.toml")}, quiet());
  nlohmann::json v1 = {{"format", "diffbound-baseline/1"}, {"cases", nlohmann::json::object()}};
  for (const auto& [key, entry] : good["cases"].items()) {
    for (const auto& c : report["cases"])
      if (c["id"] == entry["id"]) v1["cases"]["b|" + c["case"].dump()] = entry;
  }
  ASSERT_EQ(v1["cases"].size(), 2u);
  EXPECT_NE(v1["cases"].begin().key().find("\"kappa\":\"10\""), std::string::npos) << v1["cases"].begin().key();
  const auto old = run_against(respelled, v1, "v1");
  for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ((*check(old, i, "baseline"))["verdict"], "pass") << i;
}

// When most cases find no entry, the regression check is mostly off: the run warns and fails (exit 1)
// with the count; a minority without an entry is only their own inconclusive check.
TEST(Runner, BaselineMostlyUnmatchedFailsTheRun) {
  const auto good = baseline_of(run_suites({read_suite_text(kBaselineSuite, "b.toml")}, quiet()));
  std::string wider = kBaselineSuite;
  wider.replace(wider.find("steps = [20, 40]"), 16, "steps = [20, 30, 50, 60, 70]");
  const auto r = run_against(wider, good, "wider");
  ASSERT_EQ(r["cases"].size(), 5u);
  EXPECT_EQ(r["summary"]["fail"], 0);
  EXPECT_EQ(r["summary"]["exit_status"], 1);
  EXPECT_EQ(r["summary"]["baseline"]["matched"], 1);
  EXPECT_EQ(r["summary"]["baseline"]["unmatched"], 4);
  EXPECT_NE(r["summary"]["baseline"]["warning"].get<std::string>().find("4 of 5 cases found no match in the baseline"), std::string::npos);
  EXPECT_EQ((*check(r, 1, "baseline"))["reason"], "no-baseline");
  // 1 of 3 unmatched: no warning, exit 0 (the unmatched case's check is inconclusive)
  std::string one_more = kBaselineSuite;
  one_more.replace(one_more.find("steps = [20, 40]"), 16, "steps = [20, 40, 80]");
  const auto m = run_against(one_more, good, "wider");
  EXPECT_TRUE(m["summary"]["baseline"]["warning"].is_null());
  EXPECT_EQ(m["summary"]["exit_status"], 0);
  EXPECT_EQ((*check(m, 2, "baseline"))["verdict"], "inconclusive");
}

// A rate claim with nothing to fit (its variable not swept, a group of fewer than 3 points) used to
// vanish, leaving "PASS with 0 checks" even under --fail-on-inconclusive.
TEST(Runner, RateClaimsWithNothingToFitAreInconclusive) {
  auto suite = [](const std::string& steps, const std::string& kappa) {
    return "[suite]\nname = \"r\"\n[[case]]\nchecks = [\"rate-true\"]\n[case.target]\ndim = 2\nspectrum = \"geometric\"\nkappa = " + kappa +
           "\n[case.schedule]\nsteps = " + steps +
           "\n[[bound]]\nid = \"rate-true\"\nkind = \"rate\"\nshape = \"1\"\nvariable = \"T\"\n";
  };
  auto o = quiet();
  o.fail_on_inconclusive = true;
  // two points along T
  auto r = run_suites({read_suite_text(suite("[100, 200]", "10"), "r.toml")}, o);
  ASSERT_EQ(r["rates"].size(), 1u);
  EXPECT_EQ(r["rates"][0]["verdict"], "inconclusive");
  EXPECT_EQ(r["rates"][0]["reason"], "too-few-points");
  EXPECT_NE(r["rates"][0]["message"].get<std::string>().find("2 points along T (T = 100, 200)"), std::string::npos) << r["rates"][0]["message"];
  EXPECT_EQ(r["rates"][0]["points"].size(), 2u);
  EXPECT_EQ(r["summary"]["checks"], 1);
  EXPECT_EQ(r["summary"]["inconclusive"], 1);
  EXPECT_EQ(r["summary"]["exit_status"], 3);
  // T not swept (kappa is): one entry for the block
  r = run_suites({read_suite_text(suite("100", "[2, 4, 8]"), "r.toml")}, o);
  ASSERT_EQ(r["rates"].size(), 1u);
  EXPECT_EQ(r["rates"][0]["reason"], "not-swept");
  EXPECT_NE(r["rates"][0]["message"].get<std::string>().find("speaks of T and this block sweeps target.kappa"), std::string::npos)
      << r["rates"][0]["message"];
  EXPECT_EQ(r["summary"]["exit_status"], 3);
  // nothing swept at all
  r = run_suites({read_suite_text(suite("100", "10"), "r.toml")}, o);
  ASSERT_EQ(r["rates"].size(), 1u);
  EXPECT_EQ(r["rates"][0]["reason"], "not-swept");
  EXPECT_EQ(r["summary"]["exit_status"], 3);
  // three points: fitted (KL decreases in T, so a constant shape holds)
  r = run_suites({read_suite_text(suite("[100, 200, 400]", "10"), "r.toml")}, o);
  ASSERT_EQ(r["rates"].size(), 1u);
  EXPECT_EQ(r["rates"][0]["verdict"], "pass") << r["rates"][0]["message"];
  EXPECT_EQ(r["rates"][0]["reason"], "");
  EXPECT_FALSE(r["rates"][0]["fitted_exponent"].is_null());
  EXPECT_EQ(r["rates"][0]["enclosure"], "certified");
  EXPECT_EQ(r["summary"]["exit_status"], 0);
}

// The engine refusing a case inside `run` (here a mixture prior with sigma_y = 0, whose posterior is a
// point mass, and a mixture whose law outgrows the grid cap) makes that case an error naming the suite
// file, the case and the field; the other cases still run; exit 1.
TEST(Runner, EngineRefusalIsTheCasesError) {
  const char* text = R"TOML(
[suite]
name = "refuse"
[[case]]
checks = ["chain-rule"]
[case.target]
family = "mixture"
weights = [0.5, 0.5]
means = [-1.0, 1.0]
variances = [0.05, 0.05]
[case.schedule]
steps = 20
[case.sampler]
kind = "ddnm-plus"
[case.problem]
H = "identity"
sigma_y = 0
y = [0.9]
[[case]]
checks = ["chain-rule"]
[case.target]
family = "mixture"
weights = [0.5, 0.5]
means = [-1.0, 1.0]
variances = [1e-12, 1e-12]
[case.schedule]
steps = 1000
[[case]]
checks = ["chain-rule"]
[case.target]
dim = 2
[case.schedule]
steps = 20
)TOML";
  const auto r = run_suites({read_suite_text(text, "suites/refuse.toml")}, quiet());
  ASSERT_EQ(r["cases"].size(), 3u);
  const std::string e0 = r["cases"][0]["error"], e1 = r["cases"][1]["error"];
  EXPECT_EQ(e0.rfind("suites/refuse.toml: case refuse/0 (", 0), 0u) << e0;
  EXPECT_NE(e0.find("problem.sigma_y = 0"), std::string::npos) << e0;
  EXPECT_EQ(r["cases"][0]["error_field"], "problem.sigma_y");
  EXPECT_EQ(e1.rfind("suites/refuse.toml: case refuse/1 (", 0), 0u) << e1;
  EXPECT_FALSE(r["cases"][1]["error_field"].get<std::string>().empty());
  EXPECT_TRUE(r["cases"][2]["error"].is_null());
  EXPECT_EQ((*check(r, 2, "chain-rule"))["verdict"], "pass");
  EXPECT_EQ(r["summary"]["errors"], 2);
  EXPECT_EQ(r["summary"]["exit_status"], 1);
}

// A bound of +inf (chain-rule with D_T = +inf: posterior variance with t_out = 0 makes the last reverse
// kernel a point mass) holds vacuously: inconclusive with reason vacuous, not a pass.
TEST(Runner, InfiniteBoundIsVacuousNotPass) {
  const char* text = R"TOML(
[suite]
name = "vac"
[[case]]
checks = ["chain-rule"]
[case.target]
dim = 2
[case.schedule]
steps = 20
[case.sampler]
variance = "posterior"
t_out = [0, 1]
)TOML";
  auto o = quiet();
  o.fail_on_inconclusive = true;
  const auto r = run_suites({read_suite_text(text, "vac.toml")}, o);
  ASSERT_EQ(r["cases"].size(), 2u);
  ASSERT_FALSE(r["cases"][0]["exact"]["decomposition"]["D_T"]["finite"].get<bool>());
  const auto& vac = *check(r, 0, "chain-rule");
  EXPECT_EQ(vac["verdict"], "inconclusive");
  EXPECT_EQ(vac["reason"], "vacuous");
  EXPECT_NE(vac["message"].get<std::string>().find("<= bound = +inf"), std::string::npos) << vac["message"];
  EXPECT_EQ((*check(r, 1, "chain-rule"))["verdict"], "pass");  // t_out = 1: D_T finite
  EXPECT_EQ(r["summary"]["exit_status"], 3);
}

// Messages: a finite bound beyond the double range prints its decimal text (not "inf"); numbers that
// differ in the 7th digit are shown with 7 digits; a bound of -0 prints as 0.
TEST(Runner, MessagesShowTheNumbersAsTheyAre) {
  const char* text = R"TOML(
[suite]
name = "msg"
[[case]]
checks = ["huge", "just-above", "just-below", "minus-zero"]
[case.target]
dim = 2
spectrum = "geometric"
kappa = 10.0
[case.schedule]
steps = 20
[[bound]]
id = "huge"
expr = "exp(1000)"
[[bound]]
id = "just-above"
expr = "kl * 1.000001"
[[bound]]
id = "just-below"
expr = "kl * 0.999999"
[[bound]]
id = "minus-zero"
expr = "-0 * kl"
)TOML";
  const auto r = run_suites({read_suite_text(text, "msg.toml")}, quiet());
  const auto& huge = *check(r, 0, "huge");
  EXPECT_EQ(huge["verdict"], "pass");
  EXPECT_NE(huge["message"].get<std::string>().find("<= bound = 1.97e+434 at"), std::string::npos) << huge["message"];
  EXPECT_TRUE(huge["bound_value"]["value"].is_null());  // beyond the double range ...
  EXPECT_TRUE(huge["bound_value"]["finite"].get<bool>());  // ... but finite
  EXPECT_EQ(huge["bound_value"]["value_str"].get<std::string>().rfind("1.97007", 0), 0u) << huge["bound_value"];
  for (const char* id : {"just-above", "just-below"}) {
    const auto& c = *check(r, 0, id);
    EXPECT_EQ(c["verdict"], std::string(id) == "just-above" ? "pass" : "fail") << c["message"];
    const std::string m = c["message"];
    // "KL = x <= bound = y at ...": x and y differ as texts
    const auto a = m.find("KL = ") + 5, b = m.find(" ", a), c2 = m.find("bound = ") + 8, d = m.find(" ", c2);
    EXPECT_NE(m.substr(a, b - a), m.substr(c2, d - c2)) << m;
    EXPECT_GE(m.substr(a, b - a).size(), 7u) << m;  // 4 digits would show the same number twice
  }
  const std::string mz = (*check(r, 0, "minus-zero"))["message"];
  EXPECT_NE(mz.find("> bound = 0 at"), std::string::npos) << mz;
}

// A rate claim that misses its tolerance by 1e-7 says so with enough digits: the exponent and the
// tolerance in its message are different numbers.
TEST(Runner, RateMessageShowsTheExponentAgainstTheTolerance) {
  auto suite = [](const std::string& tolerance) {
    return "[suite]\nname = \"t\"\n" + (tolerance.empty() ? std::string() : "[rates]\ntolerance = " + tolerance + "\n") +
           "[[case]]\nchecks = [\"steep\"]\n[case.target]\ndim = 2\nspectrum = \"geometric\"\nkappa = 10.0\n"
           "[case.schedule]\nsteps = [100, 200, 400, 800]\n"
           "[[bound]]\nid = \"steep\"\nkind = \"rate\"\nshape = \"1 / T^3\"\nvariable = \"T\"\n";
  };
  const auto first = run_suites({read_suite_text(suite(""), "t.toml")}, quiet());
  ASSERT_EQ(first["rates"].size(), 1u);
  const double e = first["rates"][0]["fitted_exponent"].get<double>();
  ASSERT_GT(e, 0.5);
  char tol[40];
  std::snprintf(tol, sizeof tol, "%.12g", e - 1e-7);
  const auto r = run_suites({read_suite_text(suite(tol), "t.toml")}, quiet());
  ASSERT_EQ(r["rates"].size(), 1u);
  EXPECT_EQ(r["rates"][0]["verdict"], "fail");
  const std::string m = r["rates"][0]["message"];
  const auto a = m.find("^") + 1, b = m.find(" ", a), c = m.find("(tolerance ") + 11, d = m.find(")", c);
  EXPECT_NE(m.substr(a, b - a), m.substr(c, d - c)) << m;
}

// The baseline is checked before anything is computed: with a corrupted one, no case is started (the
// progress lines of computed cases never appear).
TEST(Runner, CorruptedBaselineStopsTheRunBeforeAnyCase) {
  auto b = baseline_of(run_suites({read_suite_text(kBaselineSuite, "b.toml")}, quiet()));
  b["cases"].begin().value()["B_T"]["hi_str"] = "nan";
  const std::string path = temp_path("before");
  std::ofstream(path) << b.dump();
  auto o = quiet();
  o.baseline = path;
  o.progress = true;
  ::testing::internal::CaptureStderr();
  EXPECT_THROW(run_suites({read_suite_text(kBaselineSuite, "b.toml")}, o), InputError);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.find("b/0"), std::string::npos) << err;
  EXPECT_EQ(err.find("b/1"), std::string::npos) << err;
  // the same run with the intact baseline does report its cases' progress (so the check above can fail)
  std::ofstream(path) << baseline_of(run_suites({read_suite_text(kBaselineSuite, "b.toml")}, quiet())).dump();
  ::testing::internal::CaptureStderr();
  run_suites({read_suite_text(kBaselineSuite, "b.toml")}, o);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("b/1"), std::string::npos);
}
