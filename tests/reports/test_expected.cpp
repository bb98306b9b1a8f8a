// Provenance levels and expected verdicts (docs/suite-file.md, expect; docs/report-format.md) in every
// rendering: a check that ends as its suite expected reads "fail (expected)" and is no failure (not in
// the failures lists, not a JUnit <failure>, not a FAIL status); one that does not names its reason
// ("pass (unexpected-pass: expected fail)") and fails the run; each check shows its bound's level.
#include "reports/html.hpp"
#include "reports/junit.hpp"
#include "reports/markdown.hpp"
#include "reports/report_view.hpp"
#include "reports/terminal.hpp"

#include "report_fixture.hpp"

#include <gtest/gtest.h>

namespace diffbound {
namespace {

nlohmann::json met(const std::string& verdict) { return {{"verdict", verdict}, {"met", true}, {"reason", ""}}; }

// The fixture with smoke/1's half-chain fail and the liang2024-accel rate fail expected, provenance on
// every check (as run_suites writes it), and the expectations counted in the summary.
nlohmann::json with_expected_fails() {
  auto r = test::fixture_report();
  for (auto& c : r["cases"])
    for (auto& check : c["checks"]) {
      check["provenance"] = check["bound"] == "half-chain" ? "read" : "standard";
      check["expected"] = nullptr;
    }
  r["cases"][1]["checks"][1]["expected"] = met("fail");
  for (auto& rate : r["rates"]) rate["expected"] = rate["bound"] == "liang2024-accel" ? met("fail") : nlohmann::json(nullptr);
  r["summary"]["expected"] = 2;
  r["summary"]["unexpected"] = 0;
  r["summary"]["exit_status"] = 0;
  return r;
}

// ... and smoke/0's chain-rule pass expected to fail: an unexpected pass.
nlohmann::json with_unexpected_pass() {
  auto r = with_expected_fails();
  r["cases"][0]["checks"][0]["expected"] = {{"verdict", "fail"}, {"met", false}, {"reason", "unexpected-pass"}};
  r["summary"]["unexpected"] = 1;
  r["summary"]["exit_status"] = 1;
  return r;
}

TEST(report_expected, StatusIgnoresExpectedFailsAndFailsOnUnexpected) {
  // the fixture's fails are both expected: what is left is its case error (ERROR), no longer FAIL
  EXPECT_EQ(overall_status(test::fixture_report()), "FAIL");
  EXPECT_EQ(overall_status(with_expected_fails()), "ERROR");
  EXPECT_EQ(overall_status(with_unexpected_pass()), "FAIL");
  auto errorless = with_expected_fails();
  errorless["cases"].erase(2);  // smoke/2, the case error: the fixture's inconclusive check is then the status
  EXPECT_EQ(overall_status(errorless), "INCONCLUSIVE");
  const auto report = with_unexpected_pass();
  const auto& check = report["cases"][0]["checks"][0];
  EXPECT_EQ(verdict_label(check), "pass (unexpected-pass: expected fail)");
  EXPECT_TRUE(is_failure(check));
  EXPECT_FALSE(is_failure(with_expected_fails()["cases"][1]["checks"][1]));
}

TEST(report_expected, Markdown) {
  const std::string md = render_markdown(with_expected_fails());
  EXPECT_NE(md.find("half-chain [read] ❌ fail (expected)"), std::string::npos) << md;
  EXPECT_NE(md.find("chain-rule [standard] ✅ pass"), std::string::npos) << md;
  EXPECT_NE(md.find("❌ fail (expected) | shape-only |"), std::string::npos) << md;  // the rate claim's row
  const auto failures = md.substr(md.find("## Failures"), md.find("## Rate claims") - md.find("## Failures"));
  EXPECT_EQ(failures.find("half-chain"), std::string::npos) << failures;  // only the case error is left
  EXPECT_EQ(failures.find("liang2024-accel"), std::string::npos) << failures;
  EXPECT_NE(failures.find("smoke/2"), std::string::npos) << failures;
  EXPECT_NE(md.find("| Expected | Unexpected |"), std::string::npos);
  const std::string bad = render_markdown(with_unexpected_pass());
  const auto listed = bad.substr(bad.find("## Failures"), bad.find("## Rate claims") - bad.find("## Failures"));
  EXPECT_NE(listed.find("`chain-rule` (unexpected-pass: expected fail): KL = "), std::string::npos) << listed;
  EXPECT_EQ(listed.find("half-chain"), std::string::npos) << listed;
  EXPECT_NE(bad.find("| **FAIL** |"), std::string::npos);
}

TEST(report_expected, Junit) {
  const auto root = test::parse_xml(render_junit(with_unexpected_pass()));
  int seen = 0;
  for (const auto* t : root->all("testcase")) {
    const std::string name = t->attr("name");
    std::map<std::string, std::string> props;
    if (const auto* p = t->child("properties"))
      for (const auto* q : p->all("property")) props[q->attr("name")] = q->attr("value");
    if (name.rfind("half-chain @", 0) == 0) {  // an expected fail is not a <failure>
      ++seen;
      EXPECT_EQ(t->child("failure"), nullptr);
      EXPECT_EQ(props["expected"], "fail");
      EXPECT_EQ(props["provenance"], "read");
      ASSERT_NE(t->child("system-out"), nullptr);
      EXPECT_EQ(t->child("system-out")->text.rfind("fail (expected): ", 0), 0u) << t->child("system-out")->text;
    }
    if (name.rfind("chain-rule @ d=3 T=100 kappa=10 ddpm/theory exact", 0) == 0 && props.count("expected")) {  // an unexpected pass is
      ++seen;
      ASSERT_NE(t->child("failure"), nullptr);
      EXPECT_EQ(t->child("failure")->attr("message").rfind("unexpected-pass (expected fail, got pass): ", 0), 0u);
      EXPECT_EQ(props["provenance"], "standard");
    }
    if (name.rfind("rate liang2024-accel", 0) == 0) {
      ++seen;
      EXPECT_EQ(t->child("failure"), nullptr);
      EXPECT_EQ(props["provenance"], "shape-only");
    }
  }
  EXPECT_EQ(seen, 3);
  EXPECT_EQ(root->attr("failures"), "1");
}

TEST(report_expected, Html) {
  const std::string html = render_html(with_unexpected_pass());
  EXPECT_NE(html.find("half-chain: fail (expected)"), std::string::npos);
  EXPECT_NE(html.find("chain-rule: pass (unexpected-pass: expected fail)"), std::string::npos);
  EXPECT_NE(html.find("title=\"[read] "), std::string::npos);  // the level on the chip
  EXPECT_NE(html.find("<td>shape-only</td>"), std::string::npos);  // the bounds table
  const auto failures = html.substr(html.find("<section id=\"failures\">"));
  const auto end = failures.find("</section>");
  EXPECT_NE(failures.substr(0, end).find("unexpected-pass"), std::string::npos);
  EXPECT_EQ(failures.substr(0, end).find("half-chain"), std::string::npos);
}

TEST(report_expected, Terminal) {
  const std::string out = render_terminal_table(with_unexpected_pass(), false);
  EXPECT_NE(out.find("fail (expected)"), std::string::npos) << out;
  EXPECT_NE(out.find("pass (unexpected-pass: expected fail)"), std::string::npos) << out;
  EXPECT_NE(out.find("[read]"), std::string::npos) << out;
  EXPECT_NE(out.find("[shape-only]"), std::string::npos) << out;
  EXPECT_NE(out.find("2 as expected, 1 unexpected"), std::string::npos) << out;
}

}  // namespace
}  // namespace diffbound
