// The "studies" section of report.json (docs/report-format.md) in every rendering: report.md and
// index.html sections, one JUnit testcase per study check, terminal rows, verdict counts; and reports
// without the section (written before studies existed) render as before.
#include "reports/html.hpp"
#include "reports/junit.hpp"
#include "reports/markdown.hpp"
#include "reports/report_view.hpp"
#include "reports/terminal.hpp"
#include "numerics/input_error.hpp"

#include "report_fixture.hpp"

#include <gtest/gtest.h>

namespace diffbound {
namespace {

nlohmann::json check(const std::string& name, double residual, double estimate) {
  const bool pass = std::abs(residual) <= estimate;
  return {{"name", name}, {"lhs", 1.5}, {"rhs", 1.5 - residual}, {"lhs_str", "1.5"}, {"rhs_str", "1.5"},
          {"residual", residual}, {"error_estimate", estimate}, {"enclosure", "estimated"},
          {"verdict", pass ? "pass" : "fail"}, {"message", pass ? "within" : "outside <estimate> & more"}};
}

// The fixture report (cases, rates, plots) plus two studies: one with a passing and a failing check and
// a data table, one that could not be computed.
nlohmann::json report_with_studies() {
  nlohmann::json r = test::fixture_report();
  nlohmann::json a = {{"id", "smoke/study/0"}, {"suite", "smoke"}, {"kind", "density-identity"}, {"label", "Kong <1-D>"},
                      {"target", "mixture d=1 K=2"}, {"precision", "double"}, {"digits", nullptr}, {"error", nullptr},
                      {"seconds", 0.5}, {"plots", nlohmann::json::array()}};
  a["checks"] = {check("density-identity x = 0.4", 3e-15, 1e-13), check("density-identity x = 3", 2e-12, 1e-13)};
  a["table"] = {{"columns", {"point", "-log p(x) exact", "Kong integral"}}, {"rows", {{"0.4", 1.25, 1.25}, {"3", 2.5, 2.5}}}};
  nlohmann::json b = {{"id", "smoke/study/1"}, {"suite", "smoke"}, {"kind", "gaussian-structure"}, {"label", "gap"},
                      {"target", "mixture d=1 K=2"}, {"precision", "mpfr"}, {"digits", 40}, {"error", "quadrature broke"},
                      {"seconds", 0.1}, {"plots", nlohmann::json::array()}, {"checks", nlohmann::json::array()},
                      {"table", {{"columns", nlohmann::json::array()}, {"rows", nlohmann::json::array()}}}};
  r["studies"] = {a, b};
  return r;
}

TEST(report_studies, MarkdownSection) {
  const std::string md = render_markdown(report_with_studies());
  const auto at = md.find("## Studies");
  ASSERT_NE(at, std::string::npos);
  EXPECT_LT(at, md.find("## Cases"));
  EXPECT_NE(md.find("### Kong &lt;1-D> (density-identity, double)"), std::string::npos);  // markdown_cell escapes <
  // study checks rest on error estimates, and say so on every row
  EXPECT_NE(md.find("| density-identity x = 3 | 1.5 | 1.5 | 2e-12 | 1e-13 | ❌ fail (estimated) |"), std::string::npos) << md;
  EXPECT_NE(md.find("| density-identity x = 0.4 | 1.5 | 1.5 | 3e-15 | 1e-13 | ✅ pass (estimated) |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 0.4 | 1.25 | 1.25 |"), std::string::npos);
  EXPECT_NE(md.find("(gaussian-structure, mpfr 40 digits)"), std::string::npos);
  EXPECT_NE(md.find("💥 error: quadrature broke"), std::string::npos);
  EXPECT_EQ(render_markdown(test::fixture_report()).find("## Studies"), std::string::npos);
}

TEST(report_studies, HtmlSectionIsEscapedAndWellFormed) {
  const std::string html = render_html(report_with_studies());
  const auto at = html.find("<section id=\"studies\">");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(html.find("Kong &lt;1-D&gt;"), std::string::npos);
  EXPECT_EQ(html.find("Kong <1-D>"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"verdict fail\">fail (estimated)</span>"), std::string::npos);
  EXPECT_EQ(render_html(test::fixture_report()).find("id=\"studies\""), std::string::npos);
}

TEST(report_studies, JunitHasOneTestcasePerStudyCheck) {
  const auto base = test::parse_xml(render_junit(test::fixture_report()));
  const auto root = test::parse_xml(render_junit(report_with_studies()));
  // 2 checks + 1 error row
  EXPECT_EQ(root->all("testcase").size(), base->all("testcase").size() + 3);
  EXPECT_EQ(std::stoul(root->attr("failures")), std::stoul(base->attr("failures")) + 1);
  EXPECT_EQ(std::stoul(root->attr("errors")), std::stoul(base->attr("errors")) + 1);
  bool found = false;
  for (const auto* t : root->all("testcase"))
    if (t->attr("name") == "density-identity x = 3 @ Kong <1-D> (estimated)") {
      found = true;
      ASSERT_NE(t->child("failure"), nullptr);
      EXPECT_EQ(t->child("failure")->attr("message"), "outside <estimate> & more");
      EXPECT_NE(t->child("failure")->text.find("error estimate = 1e-13"), std::string::npos);
    }
  EXPECT_TRUE(found);
}

TEST(report_studies, TerminalRowsAndCounts) {
  const auto r = report_with_studies();
  const std::string t = render_terminal_table(r, false);
  EXPECT_NE(t.find("study"), std::string::npos);
  EXPECT_NE(t.find("density-identity x = 0.4"), std::string::npos);
  EXPECT_NE(t.find("pass (estimated)"), std::string::npos) << t;
  EXPECT_NE(t.find("quadrature broke"), std::string::npos);
  const auto base = count_verdicts(test::fixture_report()), n = count_verdicts(r);
  EXPECT_EQ(n.pass, base.pass + 1);
  EXPECT_EQ(n.fail, base.fail + 1);
  EXPECT_EQ(n.error, base.error + 1);
  // a failing study check alone makes the run fail
  nlohmann::json passing = test::fixture_report();
  passing["cases"] = nlohmann::json::array();
  passing["rates"] = nlohmann::json::array();
  EXPECT_EQ(overall_status(passing), "PASS");
  passing["studies"] = nlohmann::json::array({report_with_studies()["studies"][0]});  // array(): clang reads {x} as a copy of x
  EXPECT_EQ(overall_status(passing), "FAIL");
}

TEST(report_studies, MalformedSectionIsRejectedNamingIt) {
  auto r = test::fixture_report();
  r["studies"] = 3;
  try {
    validate_report(r);
    FAIL() << "accepted studies = 3";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "studies");
  }
  r["studies"] = {1};
  EXPECT_THROW(validate_report(r), InputError);
}

}  // namespace
}  // namespace diffbound
