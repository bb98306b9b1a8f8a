#include "reports/github.hpp"

#include "report_fixture.hpp"

#include <gtest/gtest.h>

namespace diffbound {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = text.find('\n', start);
    out.push_back(text.substr(start, end - start));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

TEST(report_github, EscapesPerGithubRules) {
  EXPECT_EQ(github_escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
  EXPECT_EQ(github_escape_property("suites/a:b,c%.toml\n"), "suites/a%3Ab%2Cc%25.toml%0A");
}

TEST(report_github, AnErrorPerFailingCheckAtItsCaseBlock) {
  auto report = test::fixture_report();
  for (auto& c : report["cases"]) c["source"] = {{"file", "suites/" + c["suite"].get<std::string>() + ".toml"}, {"line", 7}};
  report["cases"][1]["source"]["line"] = 12;
  const auto lines = lines_of(render_github_annotations(report));
  // the fixture: half-chain fails on smoke/1, smoke/2 could not be computed, the liang2024-accel rate claim fails
  ASSERT_EQ(lines.size(), 3u) << render_github_annotations(report);
  EXPECT_EQ(lines[0].rfind("::error file=suites/smoke.toml,line=12,title=diffbound%3A half-chain fail::smoke/1 (", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find("half-chain fail: KL = "), std::string::npos) << lines[0];
  EXPECT_EQ(lines[1].rfind("::error file=suites/smoke.toml,line=7,title=diffbound%3A case error::smoke/2 (", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2].rfind("::error file=suites/ddpm-rates.toml,line=7,title=diffbound%3A rate claim liang2024-accel fail::", 0), 0u) << lines[2];
  // without a source (a report of before), the annotation has no file but still a title
  report["cases"][1].erase("source");
  EXPECT_EQ(lines_of(render_github_annotations(report))[0].rfind("::error title=diffbound%3A half-chain fail::smoke/1 (", 0), 0u);
}

TEST(report_github, AtMostTenThenANotice) {
  auto report = test::synthetic_report(200);  // every 10th check fails
  const auto lines = lines_of(render_github_annotations(report));
  ASSERT_EQ(lines.size(), 11u);
  for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(lines[i].rfind("::error ", 0), 0u) << lines[i];
  EXPECT_EQ(lines[10].rfind("::notice::", 0), 0u);
  EXPECT_NE(lines[10].find(" more failing checks not annotated"), std::string::npos);
}

TEST(report_github, NothingWhenNothingFails) {
  auto report = test::fixture_report();
  report["rates"] = nlohmann::json::array();
  report["cases"][2]["error"] = nullptr;
  for (auto& c : report["cases"])
    for (auto& ch : c["checks"]) ch["verdict"] = "pass";
  EXPECT_EQ(render_github_annotations(report), "");
}

}  // namespace
}  // namespace diffbound
