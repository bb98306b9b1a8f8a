#include "reports/terminal.hpp"

#include "report_fixture.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace diffbound {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(report_terminal, ClosingLine) {
  const std::string table = render_terminal_table(test::fixture_report(), false);
  const auto lines = lines_of(table);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), "diffbound: 10 passed, 2 failed, 1 inconclusive, 1 error (7 cases) in 12.3 s");
  auto report = test::fixture_report();
  report["cases"][2]["error"] = nullptr;
  EXPECT_EQ(terminal_summary_line(report), "diffbound: 10 passed, 2 failed, 1 inconclusive (7 cases) in 12.3 s");
}

TEST(report_terminal, FixedWidthColumns) {
  const auto lines = lines_of(render_terminal_table(test::fixture_report(), false));
  ASSERT_GE(lines.size(), 14u);
  EXPECT_EQ(lines[0].rfind("case", 0), 0u);
  const auto verdict_at = lines[0].find("verdict");
  const auto measured_at = lines[0].find("measured");
  ASSERT_NE(verdict_at, std::string::npos);
  // Rows 2..13: 11 checks and 1 error row; ASCII labels, so byte offsets are columns.
  std::size_t rows = 0;
  for (std::size_t i = 2; i < lines.size() && !lines[i].empty(); ++i, ++rows) {
    const std::string v = lines[i].substr(verdict_at, lines[i].find(' ', verdict_at) - verdict_at);
    EXPECT_TRUE(v == "pass" || v == "fail" || v == "inconclusive" || v == "error") << lines[i];
    EXPECT_EQ(lines[i].size() >= measured_at, true);
  }
  EXPECT_EQ(rows, 12u);
  const std::string all = render_terminal_table(test::fixture_report(), false);
  EXPECT_NE(all.find("half-chain"), std::string::npos);
  EXPECT_NE(all.find("rate claim"), std::string::npos);
  EXPECT_NE(all.find("liang2024-accel"), std::string::npos);
  EXPECT_EQ(all.find('\033'), std::string::npos);
  EXPECT_EQ(all.find(" \n"), std::string::npos);  // no trailing blanks
}

TEST(report_terminal, InconclusiveShowsTheOverlappingEnclosures) {
  const std::string all = render_terminal_table(test::fixture_report(), false);
  EXPECT_NE(all.find("inconclusive  [4.99e-5, 5.01e-5]  [4.995e-5, 5.005e-5]"), std::string::npos) << all;
}

TEST(report_terminal, ColorOnlyWhenAsked) {
  const std::string colored = render_terminal_table(test::fixture_report(), true);
  EXPECT_NE(colored.find("\033[31;1mfail\033[0m"), std::string::npos);
  EXPECT_NE(colored.find("\033[32mpass\033[0m"), std::string::npos);
  EXPECT_NE(colored.find("\033[33minconclusive\033[0m"), std::string::npos);
}

TEST(report_terminal, ControlCharactersInLabelsAreNeutralized) {
  auto report = test::fixture_report();
  report["cases"][0]["label"] = "evil\033[2J label";
  const std::string table = render_terminal_table(report, false);
  EXPECT_EQ(table.find('\033'), std::string::npos);
}

}  // namespace
}  // namespace diffbound
