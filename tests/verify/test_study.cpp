// [[study]] blocks: reading (every key, strictness, bad values named by field) and running through
// run_suites (the "studies" section, checks counted in the summary, the gap plot).
#include "numerics/input_error.hpp"
#include "verify/runner.hpp"
#include "verify/suite.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace diffbound;

namespace {

const std::string kHead = "[suite]\nname = \"s\"\n";

const std::string kDensity = R"TOML(
[[study]]
kind = "density-identity"
name = "kong"
points = [0.5, -1]
[study.target]
family = "mixture"
weights = [0.3, 0.7]
means = [-2, 1.5]
variances = [0.25, 0.5]
)TOML";

const std::string kClassifier = R"TOML(
[[study]]
kind = "noise-classifier"
points = [[0.3, -1], [1, 0.2]]
zeta = [-2, 0, 1.5]
[study.target]
family = "mixture"
dim = 2
layout = "product"
weights = [0.4, 0.6]
means = [-1, 2]
variances = [0.5, 0.2]
[study.numerics]
precision = "mpfr"
digits = 30
)TOML";

const std::string kStructure = R"TOML(
[[study]]
kind = "gaussian-structure"
noise_levels = [0.1, 1, 10]
[study.target]
family = "mixture"
weights = [0.5, 0.5]
means = [-1, 1]
variances = [0.2, 0.2]
)TOML";

std::string field_of_error(const std::string& text) {
  try {
    read_suite_text(text, "x.toml");
  } catch (const InputError& e) {
    return e.field();
  }
  return "(no error)";
}

RunOptions quiet() {
  RunOptions o;
  o.progress = false;
  o.jobs = 2;
  return o;
}

}  // namespace

TEST(Study, ReadsEveryKey) {
  const Suite s = read_suite_text(kHead + kDensity + kClassifier + kStructure, "x.toml");
  EXPECT_TRUE(s.cases.empty());  // a suite of studies only is allowed
  ASSERT_EQ(s.studies.size(), 3u);
  EXPECT_EQ(s.studies[0].id, "s/study/0");
  EXPECT_EQ(s.studies[0].label, "kong");
  EXPECT_EQ(s.studies[0].kind, StudyKind::density_identity);
  EXPECT_EQ(s.studies[0].points, (std::vector<std::vector<std::string>>{{"0.5"}, {"-1"}}));
  EXPECT_EQ(s.studies[0].precision, Precision::double_);
  EXPECT_EQ(s.studies[1].kind, StudyKind::noise_classifier);
  EXPECT_EQ(s.studies[1].points[1], (std::vector<std::string>{"1", "0.2"}));
  EXPECT_EQ(s.studies[1].zeta, (std::vector<std::string>{"-2", "0", "1.5"}));
  EXPECT_EQ(s.studies[1].precision, Precision::mpfr);
  EXPECT_EQ(s.studies[1].digits, 30u);
  EXPECT_EQ(s.studies[1].target.mixture.layout, MixtureLayout::product);
  EXPECT_EQ(s.studies[2].noise_levels, (std::vector<std::string>{"0.1", "1", "10"}));
  EXPECT_NE(s.studies[2].label.find("gaussian-structure"), std::string::npos);
}

TEST(Study, BadInputNamesTheField) {
  auto replace = [](std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  const std::pair<std::string, std::string> cases[] = {
      {replace(kDensity, "name = \"kong\"", "wat = 1"), "study[0].wat"},
      {replace(kDensity, "kind = \"density-identity\"\n", ""), "study[0].kind"},
      {replace(kDensity, "\"density-identity\"", "\"density\""), "study[0].kind"},
      {replace(kDensity, "points = [0.5, -1]", "points = [0.5, [1, 2]]"), "study[0].points[1]"},
      {replace(kDensity, "points = [0.5, -1]", "points = [0.5, nan]"), "study[0].points[1]"},
      {replace(kDensity, "points = [0.5, -1]\n", ""), "study[0].points"},
      {replace(kDensity, "name = \"kong\"", "zeta = [1]"), "study[0].zeta"},
      {replace(kDensity, "variances = [0.25, 0.5]", "variances = [0.25, -0.5]"), "study[0].target.variances[1]"},
      {replace(kClassifier, "zeta = [-2, 0, 1.5]", "zeta = [-2, inf]"), "study[0].zeta[1]"},
      {replace(kClassifier, "zeta = [-2, 0, 1.5]\n", ""), "study[0].zeta"},
      {replace(kClassifier, "points = [[0.3, -1], [1, 0.2]]", "points = [[0.3, -1], [1, 0.2, 3]]"), "study[0].points[1]"},
      {replace(kClassifier, "digits = 30", "digits = 30\nengine = \"fast\""), "study[0].numerics.engine"},
      {replace(kClassifier, "precision = \"mpfr\"", "precision = \"certified\""), "study[0].numerics.precision"},
      {replace(kClassifier, "precision = \"mpfr\"", "precision = \"double\""), "study[0].numerics.digits"},  // unused
      {replace(kStructure, "noise_levels = [0.1, 1, 10]", "noise_levels = [0.1, 0, 10]"), "study[0].noise_levels[1]"},
      {replace(kStructure, "noise_levels = [0.1, 1, 10]", "noise_levels = [-1]"), "study[0].noise_levels[0]"},
      {replace(kStructure, "noise_levels = [0.1, 1, 10]", "points = [1]"), "study[0].points"},
      {replace(kStructure, "family = \"mixture\"", "family = \"mixture\"\ndim = 13\nlayout = \"product\""), "study[0].target.dim"},
      {"[[study]]\nkind = \"density-identity\"\npoints = [0, 0]\n[study.target]\ndim = 2\ncovariance = [[1, 0.5], [0.5, 1]]\n",
       "study[0].target.covariance"},
  };
  for (const auto& [text, field] : cases) EXPECT_EQ(field_of_error(kHead + text), "x.toml: " + field) << text;
  EXPECT_EQ(field_of_error(kHead), "x.toml: case");  // neither cases nor studies
}

TEST(Study, RunnerAddsStudiesAndCountsTheirChecks) {
  const std::string caseblock = R"TOML(
[[case]]
checks = ["forward-contraction"]
[case.target]
dim = 1
[case.schedule]
steps = 10
)TOML";
  const auto report = run_suites({read_suite_text(kHead + kDensity + kStructure + caseblock, "x.toml")}, quiet());
  ASSERT_EQ(report["studies"].size(), 2u);
  const auto& kong = report["studies"][0];
  EXPECT_EQ(kong["kind"], "density-identity");
  EXPECT_TRUE(kong["error"].is_null());
  ASSERT_EQ(kong["checks"].size(), 2u);
  for (const auto& c : kong["checks"]) {
    EXPECT_EQ(c["verdict"], "pass") << c.dump();
    EXPECT_LE(std::abs(c["residual"].get<double>()), c["error_estimate"].get<double>());
    EXPECT_LT(c["error_estimate"].get<double>(), 1e-10);
    EXPECT_EQ(c["enclosure"], "estimated");
  }
  EXPECT_EQ(kong["table"]["rows"].size(), 2u);
  const auto& gap = report["studies"][1];
  EXPECT_EQ(gap["checks"].size(), 3u);
  EXPECT_EQ(gap["table"]["rows"].size(), 3u);
  bool plotted = false;
  for (const auto& p : report["plots"])
    if (p["id"] == "s/study/1/plot") {
      plotted = true;
      EXPECT_EQ(p["curves"][0]["points"].size(), 3u);
      EXPECT_EQ(p["x_label"], "sigma");
    }
  EXPECT_TRUE(plotted);
  // 1 case check + 2 + 3 study checks
  EXPECT_EQ(report["summary"]["checks"], 6);
  EXPECT_EQ(report["summary"]["pass"], 6);
  EXPECT_EQ(report["summary"]["exit_status"], 0);
}

TEST(Study, ClassifierProbabilitiesBothWays) {
  // the mixture study in double (MPFR mixtures take seconds per point; numerics tests cover them)
  std::string text = kClassifier;
  text.replace(text.find("precision = \"mpfr\""), 18, "precision = \"double\"");
  text.erase(text.find("digits = 30\n"), 12);  // double has no digits
  const auto report = run_suites({read_suite_text(kHead + text, "x.toml")}, quiet());
  const auto& s = report["studies"][0];
  EXPECT_EQ(s["precision"], "double");
  // per (point, zeta): the Wu identity and the classifier probability
  ASSERT_EQ(s["checks"].size(), 12u);
  for (const auto& c : s["checks"]) {
    EXPECT_EQ(c["verdict"], "pass") << c.dump();
    EXPECT_LT(c["error_estimate"].get<double>(), 1e-11);
  }
  for (const auto& row : s["table"]["rows"]) {
    const double exact = row[6], integral = row[7];
    EXPECT_GT(exact, 0.0);
    EXPECT_LT(exact, 1.0);
    EXPECT_NEAR(exact, integral, 1e-11);
  }
}

TEST(Study, MpfrPrecisionReachesTheStudy) {
  const std::string text = R"TOML(
[[study]]
kind = "noise-classifier"
points = [[0.3, -1]]
zeta = [0.5]
[study.target]
family = "gaussian"
dim = 2
spectrum = "list"
eigenvalues = [2, 0.1]
mean = [0.5, -0.5]
[study.numerics]
precision = "mpfr"
digits = 30
)TOML";
  const auto report = run_suites({read_suite_text(kHead + text, "x.toml")}, quiet());
  const auto& s = report["studies"][0];
  EXPECT_EQ(s["digits"], 30);
  ASSERT_EQ(s["checks"].size(), 2u);
  for (const auto& c : s["checks"]) {
    EXPECT_EQ(c["verdict"], "pass") << c.dump();
    EXPECT_LT(c["error_estimate"].get<double>(), 1e-26);  // a double run could not get below ~1e-14
    EXPECT_GT(c["lhs_str"].get<std::string>().size(), 30u);
  }
}

// A point or noise level where the identity's terms overflow double is refused at read time, naming
// the field and value; it never becomes a "fail" verdict with NaN on both sides.
TEST(Study, OutOfRangePointsAreInputErrorsNotVerdicts) {
  auto replace = [](std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  const std::string gaussian = "[[study]]\nkind = \"density-identity\"\npoints = [1e300]\n[study.target]\ndim = 1\n";
  const std::pair<std::string, std::string> cases[] = {
      {gaussian, "study[0].points[0]"},
      {replace(kDensity, "points = [0.5, -1]", "points = [0.5, 1e155]"), "study[0].points[1]"},
      {replace(kClassifier, "points = [[0.3, -1], [1, 0.2]]", "points = [[0.3, -1], [1e160, 0.2]]"), "study[0].points[1]"},
      {replace(kStructure, "noise_levels = [0.1, 1, 10]", "noise_levels = [0.1, 1e160]"), "study[0].noise_levels[1]"},
  };
  for (const auto& [text, field] : cases) EXPECT_EQ(field_of_error(kHead + text), "x.toml: " + field) << text;
  try {
    read_suite_text(kHead + gaussian, "x.toml");
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("x.toml: study[0].points[0] = 1e300: too far from the target", 0), 0u) << e.what();
  }
  // just inside the limits the two sides are finite and the check gets a verdict (here: pass)
  const Suite inside = read_suite_text(kHead + replace(gaussian, "1e300", "1e149") +
                                           replace(kStructure, "noise_levels = [0.1, 1, 10]", "noise_levels = [1e150]"),
                                       "x.toml");
  for (const auto& study : inside.studies) {
    const auto out = run_study(study);
    EXPECT_TRUE(out["error"].is_null()) << out["error"];
    for (const auto& c : out["checks"]) EXPECT_EQ(c["verdict"], "pass") << c.dump();
  }
}

// Past the read-time limits a side can still be NaN (here the Kong integral of a variance-1e-270
// Gaussian): the study gets an error naming the check, and no verdict is made of the NaN.
TEST(Study, ANonFiniteSideIsAnErrorNotAVerdict) {
  const Suite s = read_suite_text(kHead + "[[study]]\nkind = \"density-identity\"\npoints = [1e-5]\n[study.target]\ndim = 1\nscale = 1e-270\n",
                                  "x.toml");
  const auto out = run_study(s.studies.at(0));
  ASSERT_TRUE(out["error"].is_string());
  EXPECT_NE(out["error"].get<std::string>().find("x = 1e-5: not finite"), std::string::npos) << out["error"];
  for (const auto& c : out["checks"]) {
    EXPECT_TRUE(std::isfinite(c["residual"].get<double>())) << c.dump();
    EXPECT_TRUE(std::isfinite(c["error_estimate"].get<double>())) << c.dump();
  }
}
