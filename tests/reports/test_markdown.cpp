#include "reports/markdown.hpp"

#include "numerics/input_error.hpp"
#include "report_fixture.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace diffbound {
namespace {

// Number of column separators in a table line: '|' not escaped by a backslash.
std::size_t unescaped_pipes(const std::string& line) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++n;
  return n;
}

// Every table has the same number of columns in each of its lines.
void expect_tables_consistent(const std::string& md) {
  std::istringstream in(md);
  std::string line;
  std::size_t columns = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != '|') { columns = 0; continue; }
    if (columns == 0) columns = unescaped_pipes(line);
    else EXPECT_EQ(unescaped_pipes(line), columns) << line;
  }
}

TEST(report_markdown, SummaryTableComesFirst) {
  const std::string md = render_markdown(test::fixture_report());
  std::istringstream in(md);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line))
    if (!line.empty()) lines.push_back(line);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0], "# diffbound report");
  EXPECT_EQ(lines[1].rfind("| Result | Pass | Fail | Inconclusive | Expected | Unexpected | Errors | Cases | Checks | Exit status |", 0), 0u)
      << lines[1];
  // Result, pass, fail, inconclusive, expected, unexpected (the fixture predates them: 0), errors, cases,
  // checks, exit status, suites, version, duration.
  EXPECT_EQ(lines[3], "| **FAIL** | 10 | 2 | 1 | 0 | 0 | 1 | 7 | 13 | 1 | smoke, ddpm-rates | 0.1.0 (e60db9a) | 12.3 s |");
  EXPECT_LT(md.find("| Result"), md.find("## Failures"));
  EXPECT_LT(md.find("## Failures"), md.find("## Rate claims"));
  EXPECT_LT(md.find("## Rate claims"), md.find("## Cases"));
  expect_tables_consistent(md);
}

TEST(report_markdown, FailuresCarryTheirMessages) {
  const std::string md = render_markdown(test::fixture_report());
  const std::string failures = md.substr(md.find("## Failures"), md.find("## Rate claims") - md.find("## Failures"));
  EXPECT_NE(failures.find("**smoke/1**"), std::string::npos);
  EXPECT_NE(failures.find("`half-chain`: KL = 0.4093 > bound = 0.3812 at d = 64, T = 100, \xCE\xBA = 1e3"), std::string::npos) << failures;
  EXPECT_NE(failures.find("**smoke/2**"), std::string::npos);  // the case that could not be computed
  EXPECT_NE(failures.find("dimension too large"), std::string::npos);
  EXPECT_NE(failures.find("`liang2024-accel` in T"), std::string::npos);
  EXPECT_EQ(failures.find("chain-rule`:"), std::string::npos);  // passing checks are not failures
}

TEST(report_markdown, RateClaimRows) {
  const std::string md = render_markdown(test::fixture_report());
  EXPECT_NE(md.find("| liang2024-ddpm | T | d=3 kappa=10 ddpm/theory | -0.9919 | -0.3441 | \xE2\x89\xA4 0.05 | 0.0109 | \xE2\x9C\x85 pass | shape-only |"),
            std::string::npos) << md;
  EXPECT_NE(md.find("| liang2024-accel | T | d=3 kappa=10 ddpm/theory | -0.9919 | 1.008 | \xE2\x89\xA4 0.05 | 540 | \xE2\x9D\x8C fail |"),
            std::string::npos);
}

TEST(report_markdown, PipesInCellsAreEscaped) {
  auto report = test::fixture_report();
  report["cases"][0]["label"] = "left | right <b>";
  const std::string md = render_markdown(report);
  EXPECT_NE(md.find("left \\| right &lt;b>"), std::string::npos);
  EXPECT_EQ(md.find("left | right"), std::string::npos);
  expect_tables_consistent(md);
}

TEST(report_markdown, LargeReportStaysUnderOneMebibyteWithANote) {
  const auto report = test::synthetic_report(20000);
  const std::string md = render_markdown(report);
  EXPECT_LE(md.size(), markdown_size_limit);
  EXPECT_LT(md.size(), 1024u * 1024u);
  EXPECT_GT(md.size(), markdown_size_limit / 2);  // the budget is used, not thrown away
  EXPECT_EQ(md.find("| Result"), md.find('|'));  // still the summary first
  EXPECT_NE(md.find("| **FAIL** | "), std::string::npos);
  EXPECT_NE(md.find("more failures not shown; see report.json"), std::string::npos);
  const auto note = md.find("_Showing the first ");
  ASSERT_NE(note, std::string::npos);
  EXPECT_NE(md.find(" of 20000 cases to stay under the size limit", note), std::string::npos);
  expect_tables_consistent(md);
}

TEST(report_markdown, HugeFieldsCannotBreakTheLimit) {
  auto report = test::synthetic_report(500);
  const std::string huge(200000, '<');  // every character expands to an entity
  for (auto& c : report["cases"]) {
    c["checks"][0]["message"] = huge;
    c["checks"][0]["verdict"] = "fail";
    c["label"] = huge;
  }
  const std::string md = render_markdown(report);
  EXPECT_LE(md.size(), markdown_size_limit);
  EXPECT_NE(md.find("## Cases"), std::string::npos);
}

TEST(report_markdown, RejectsSomethingThatIsNotAReport) {
  EXPECT_THROW(render_markdown(nlohmann::json{{"format", "diffbound-kl/1"}}), InputError);
  EXPECT_THROW(render_markdown(nlohmann::json::array()), InputError);
}

}  // namespace
}  // namespace diffbound
