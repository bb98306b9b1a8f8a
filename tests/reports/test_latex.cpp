#include "reports/latex.hpp"

#include "reports/render.hpp"
#include "report_fixture.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace diffbound {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// Every brace balanced and every environment closed in order: a fragment LaTeX can \input.
void expect_balanced(const std::string& tex) {
  int depth = 0;
  for (std::size_t i = 0; i < tex.size(); ++i) {
    if (tex[i] == '\\') { ++i; continue; }  // \{ \} \\ are not groups
    if (tex[i] == '%') { i = tex.find('\n', i); if (i == std::string::npos) break; continue; }
    if (tex[i] == '{') ++depth;
    if (tex[i] == '}') --depth;
    ASSERT_GE(depth, 0) << "at " << i;
  }
  EXPECT_EQ(depth, 0);
  std::vector<std::string> stack;
  const std::regex env(R"(\\(begin|end)\{([a-z]+)\})");
  for (auto it = std::sregex_iterator(tex.begin(), tex.end(), env); it != std::sregex_iterator(); ++it) {
    if ((*it)[1] == "begin") stack.push_back((*it)[2]);
    else {
      ASSERT_FALSE(stack.empty());
      EXPECT_EQ(stack.back(), (*it)[2]);
      stack.pop_back();
    }
  }
  EXPECT_TRUE(stack.empty());
}

TEST(report_latex, EscapesEverySpecialCharacter) {
  EXPECT_EQ(latex_escape("a & b % c $ d # e _ f { g } h"), "a \\& b \\% c \\$ d \\# e \\_ f \\{ g \\} h");
  EXPECT_EQ(latex_escape("~^\\"), "\\textasciitilde{}\\textasciicircum{}\\textbackslash{}");
  EXPECT_EQ(latex_escape("KL < bound > 0"), "KL \\textless{} bound \\textgreater{} 0");
  EXPECT_EQ(latex_escape("two\nlines"), "two lines");  // a blank line would end the row
  EXPECT_EQ(latex_escape("bell\x07!"), "bell!");
  EXPECT_EQ(latex_escape("\\end{table}"), "\\textbackslash{}end\\{table\\}");
}

TEST(report_latex, TwoBooktabsTablesOfCasesAndRateClaims) {
  const auto report = test::fixture_report();
  const std::string tex = render_latex(report);
  EXPECT_EQ(render_format(report, "latex"), tex);
  EXPECT_EQ(count(tex, "\\begin{tabular}"), 2u);
  EXPECT_EQ(count(tex, "\\toprule"), 2u);
  EXPECT_EQ(count(tex, "\\midrule"), 2u);
  EXPECT_EQ(count(tex, "\\bottomrule"), 2u);
  EXPECT_EQ(count(tex, "\\hline"), 0u);
  expect_balanced(tex);
  // one row per check, and one per case that could not be computed (smoke/2 in the fixture)
  std::size_t checks = 0;
  for (const auto& c : report["cases"]) checks += c["checks"].size() + (c["error"].is_string() ? 1 : 0);
  const auto cases_table = tex.substr(0, tex.find("tab:diffbound-rates"));
  EXPECT_EQ(count(cases_table, " \\\\\n"), checks + 1);  // and the header
  EXPECT_NE(cases_table.find("\\texttt{half-chain}"), std::string::npos);
  EXPECT_NE(cases_table.find("fail"), std::string::npos);
  EXPECT_NE(cases_table.find("error: target.dim = 100000000"), std::string::npos);
  // rate claims: the fitted exponent and the implied constant of each
  const auto rates_table = tex.substr(tex.find("tab:diffbound-rates"));
  EXPECT_NE(rates_table.find("\\texttt{liang2024-accel}"), std::string::npos);
  EXPECT_NE(rates_table.find(" & 1.008 & "), std::string::npos) << rates_table;  // fitted exponent
  EXPECT_NE(rates_table.find(" & 540 & "), std::string::npos) << rates_table;    // implied constant
  EXPECT_NE(rates_table.find(" & -0.9919 & "), std::string::npos) << rates_table;  // KL exponent
  EXPECT_NE(rates_table.find("Implied constant"), std::string::npos);
}

TEST(report_latex, HostileLabelsCannotBreakTheTable) {
  auto report = test::fixture_report();
  report["cases"][0]["label"] = "50% & $x_1$ {#} ~^\\\\end{tabular}\n\nnew paragraph";
  report["rates"][0]["group"] = "d=3 & kappa_H=10%";
  const std::string tex = render_latex(report);
  expect_balanced(tex);
  EXPECT_NE(tex.find("50\\% \\& \\$x\\_1\\$ \\{\\#\\} \\textasciitilde{}\\textasciicircum{}\\textbackslash{}\\textbackslash{}end\\{tabular\\}  new paragraph"),
            std::string::npos);
  EXPECT_NE(tex.find("d=3 \\& kappa\\_H=10\\%"), std::string::npos);
  EXPECT_EQ(count(tex, "\\end{tabular}"), 2u);
  EXPECT_EQ(tex.find("\n\n\n"), std::string::npos);
}

TEST(report_latex, EmptySectionsSayNone) {
  auto report = test::fixture_report();
  report["rates"] = nlohmann::json::array();
  const std::string tex = render_latex(report);
  EXPECT_NE(tex.find("\\multicolumn{9}{l}{None.}"), std::string::npos);
  expect_balanced(tex);
}

}  // namespace
}  // namespace diffbound
