// How verdicts read in every rendering (issue 15): a pass on estimated enclosures says "(estimated)" in
// report.md, junit.xml, index.html and the terminal table, so it never looks like a certified one; a
// finite bound beyond the double range prints its decimal text, not "inf"; -0 prints as 0; numbers that
// differ are shown with enough digits to see it; "1 job"; and a baseline most cases found no match in
// is shown as a failure of the run.
#include "reports/html.hpp"
#include "reports/junit.hpp"
#include "reports/markdown.hpp"
#include "reports/report_view.hpp"
#include "reports/terminal.hpp"

#include "report_fixture.hpp"

#include <gtest/gtest.h>

namespace diffbound {
namespace {

// The fixture with smoke/0's chain-rule pass resting on estimated enclosures (as a mixture case's would).
nlohmann::json with_estimated_pass() {
  auto r = test::fixture_report();
  r["cases"][0]["checks"][0]["enclosure"] = "estimated";
  r["cases"][0]["checks"][1]["enclosure"] = "certified";
  return r;
}

TEST(report_verdict_marks, MarkdownMarksEstimatedPasses) {
  const std::string md = render_markdown(with_estimated_pass());
  EXPECT_NE(md.find("chain-rule ✅ pass (estimated)<br>forward-contraction ✅ pass |"), std::string::npos) << md;
  // the certified one is unchanged, and without the mark nothing says estimated
  EXPECT_EQ(render_markdown(test::fixture_report()).find("(estimated)"), std::string::npos);
}

// The value of a testcase's <property name=...>, "" when absent.
std::string property(const test::XmlNode& t, const std::string& name) {
  if (const auto* props = t.child("properties"))
    for (const auto* p : props->all("property"))
      if (p->attr("name") == name) return p->attr("value");
  return "";
}

TEST(report_verdict_marks, JunitMarksEstimatedPasses) {
  const auto root = test::parse_xml(render_junit(with_estimated_pass()));
  bool found = false;
  for (const auto* t : root->all("testcase")) {
    if (t->attr("name") == "chain-rule @ d=3 T=100 kappa=10 ddpm/theory exact (estimated)") {
      found = true;
      EXPECT_EQ(t->child("failure"), nullptr);  // still a pass
      ASSERT_NE(t->child("properties"), nullptr);
      EXPECT_EQ(property(*t, "enclosure"), "estimated");
      ASSERT_NE(t->child("system-out"), nullptr);
      EXPECT_EQ(t->child("system-out")->text.rfind("pass (estimated enclosure): KL = 0.001234", 0), 0u) << t->child("system-out")->text;
    }
    if (t->attr("name") == "forward-contraction @ d=3 T=100 kappa=10 ddpm/theory exact") {
      EXPECT_NE(property(*t, "enclosure"), "estimated");  // nothing says estimated
    }
  }
  EXPECT_TRUE(found);
  // counts are unchanged by the mark
  const auto base = test::parse_xml(render_junit(test::fixture_report()));
  EXPECT_EQ(root->attr("tests"), base->attr("tests"));
  EXPECT_EQ(root->attr("failures"), base->attr("failures"));
}

TEST(report_verdict_marks, TerminalMarksEstimatedPasses) {
  const std::string plain = render_terminal_table(with_estimated_pass(), false);
  EXPECT_NE(plain.find("chain-rule           pass (estimated)"), std::string::npos) << plain;
  // coloured as a pass
  EXPECT_NE(render_terminal_table(with_estimated_pass(), true).find("\033[32mpass (estimated)\033[0m"), std::string::npos);
  EXPECT_EQ(render_terminal_table(test::fixture_report(), false).find("(estimated)"), std::string::npos);
}

TEST(report_verdict_marks, HtmlMarksEstimatedPasses) {
  const std::string html = render_html(with_estimated_pass());
  EXPECT_NE(html.find(">chain-rule: pass (estimated) (0.7216)</span>"), std::string::npos);
  EXPECT_EQ(render_html(test::fixture_report()).find("(estimated)"), std::string::npos);
}

TEST(report_verdict_marks, EstimatedRateClaimsAreMarked) {
  auto r = test::fixture_report();
  r["rates"][0]["enclosure"] = "estimated";
  const std::string md = render_markdown(r);
  EXPECT_NE(md.find("| liang2024-ddpm | T |"), std::string::npos);
  EXPECT_NE(md.find("pass (estimated)"), std::string::npos) << md;
  EXPECT_NE(render_terminal_table(r, false).find("pass (estimated)"), std::string::npos);
  bool found = false;
  const auto root = test::parse_xml(render_junit(r));
  for (const auto* t : root->all("testcase"))
    found = found || t->attr("name") == "rate liang2024-ddpm in T @ d=3 kappa=10 ddpm/theory (estimated)";
  EXPECT_TRUE(found);
}

// A finite bound beyond the double range: its doubles are null in JSON, the decimal text is the number.
TEST(report_verdict_marks, FiniteBoundBeyondDoubleRangeIsNotInf) {
  auto r = test::fixture_report();
  auto& b = r["cases"][0]["checks"][0]["bound_value"];
  b = {{"value", nullptr}, {"lo", nullptr}, {"hi", nullptr}, {"value_str", "1.23456789012345678901234567e+400"},
       {"lo_str", "1.23456789012345678901234566e+400"}, {"hi_str", "1.23456789012345678901234568e+400"}, {"finite", true}};
  EXPECT_EQ(number_text(b, "value"), "1.235e400");
  const std::string t = render_terminal_table(r, false);
  const std::string row = t.substr(t.find("chain-rule"), t.find('\n', t.find("chain-rule")) - t.find("chain-rule"));
  EXPECT_NE(row.find("1.235e400"), std::string::npos) << row;
  EXPECT_EQ(row.find("inf"), std::string::npos) << row;
  // infinite stays infinite
  EXPECT_EQ(number_text({{"value", nullptr}, {"value_str", "inf"}, {"finite", false}}, "value"), "inf");
}

TEST(report_verdict_marks, NegativeZeroPrintsAsZero) {
  EXPECT_EQ(format_number(-0.0), "0");
  EXPECT_EQ(format_number(0.0), "0");
  EXPECT_EQ(format_number(-1e-300), "-1e-300");  // a negative number keeps its sign
  EXPECT_EQ(number_text({{"slack", -0.0}}, "slack"), "0");
}

TEST(report_verdict_marks, DifferentNumbersShowEnoughDigits) {
  auto [a, b] = distinct_number_texts(0.123456789, 0.123457);
  EXPECT_NE(a, b);
  EXPECT_EQ(a, "0.1234568");
  EXPECT_EQ(b, "0.123457");
  std::tie(a, b) = distinct_number_texts(1.0, 1.0 + 4e-16);
  EXPECT_NE(a, b);
  std::tie(a, b) = distinct_number_texts(0.5, 0.25);
  EXPECT_EQ(a, "0.5");
  EXPECT_EQ(b, "0.25");
  // in the terminal table: a failing check whose numbers agree to 4 digits
  auto r = test::fixture_report();
  auto& ch = r["cases"][1]["checks"][1];
  ch["measured"]["value"] = 0.38123456;
  ch["bound_value"]["value"] = 0.38121;
  const std::string t = render_terminal_table(r, false);
  const std::string row = t.substr(t.find("half-chain"), t.find('\n', t.find("half-chain")) - t.find("half-chain"));
  EXPECT_NE(row.find("0.38123 "), std::string::npos) << row;
  EXPECT_NE(row.find("0.38121 "), std::string::npos) << row;
}

TEST(report_verdict_marks, OneJobIsSingular) {
  auto r = test::fixture_report();
  r["jobs"] = 1;
  EXPECT_NE(render_markdown(r).find(", 1 job."), std::string::npos);
  EXPECT_NE(render_html(r).find(" on 1 job &middot;"), std::string::npos);
  r["jobs"] = 2;
  EXPECT_NE(render_markdown(r).find(", 2 jobs."), std::string::npos);
  r["summary"]["cases"] = 1;
  EXPECT_NE(terminal_summary_line(r).find("(1 case)"), std::string::npos) << terminal_summary_line(r);
}

TEST(report_verdict_marks, BaselineWithoutMatchesFailsTheRunInEveryRendering) {
  auto r = test::fixture_report();
  r["cases"] = nlohmann::json::array({r["cases"][0]});
  r["rates"] = nlohmann::json::array();
  EXPECT_EQ(overall_status(r), "PASS");
  const std::string warning = "6 of 7 cases found no match in the baseline b.json";
  r["summary"]["baseline"] = {{"file", "b.json"}, {"cases", 7}, {"matched", 1}, {"unmatched", 6}, {"warning", warning}};
  EXPECT_EQ(overall_status(r), "FAIL");
  EXPECT_NE(render_markdown(r).find("**Baseline:** " + warning), std::string::npos);
  EXPECT_NE(terminal_summary_line(r).find("baseline: " + warning), std::string::npos);
  EXPECT_NE(render_html(r).find(warning), std::string::npos);
  const auto root = test::parse_xml(render_junit(r));
  bool found = false;
  for (const auto* t : root->all("testcase"))
    if (t->attr("name") == "baseline coverage") {
      found = true;
      ASSERT_NE(t->child("failure"), nullptr);
      EXPECT_EQ(t->child("failure")->attr("message"), warning);
    }
  EXPECT_TRUE(found);
  // a baseline every case matched adds nothing
  r["summary"]["baseline"]["warning"] = nullptr;
  EXPECT_EQ(overall_status(r), "PASS");
}

}  // namespace
}  // namespace diffbound
