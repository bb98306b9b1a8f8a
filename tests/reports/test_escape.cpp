#include "reports/escape.hpp"
#include "reports/report_view.hpp"

#include <gtest/gtest.h>

namespace diffbound {
namespace {

TEST(report_escape, XmlEscapesMarkupQuotesAndControlCharacters) {
  EXPECT_EQ(xml_escape("a&b<c>\"d'e"), "a&amp;b&lt;c&gt;&quot;d&#39;e");
  EXPECT_EQ(xml_escape("line1\nline2\tx\r"), "line1&#10;line2&#9;x&#13;");
  EXPECT_EQ(xml_escape(std::string("bell\x07") + "nul" + std::string(1, '\0')), "bell\xEF\xBF\xBDnul\xEF\xBF\xBD");
  EXPECT_EQ(xml_escape("\xCE\xBA = 1e3"), "\xCE\xBA = 1e3");         // κ passes through
  EXPECT_EQ(xml_escape("bad \xC3 utf8"), "bad \xEF\xBF\xBD utf8");  // truncated sequence
  EXPECT_EQ(xml_escape("\xEF\xBF\xBF"), "\xEF\xBF\xBD");            // U+FFFF is not an XML character
  EXPECT_EQ(xml_escape("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");    // overlong '/'
}

TEST(report_escape, MarkdownCellEscapesPipesAndHtml) {
  EXPECT_EQ(markdown_cell("a|b"), "a\\|b");
  EXPECT_EQ(markdown_cell("x<script>&"), "x&lt;script>&");
  EXPECT_EQ(markdown_cell("two\nlines"), "two lines");
  EXPECT_EQ(markdown_cell("ctl\x01"), "ctl");
}

TEST(report_escape, TruncationCountsCodePoints) {
  EXPECT_EQ(display_width("\xCE\xBA\xCE\xBA"), 2u);
  EXPECT_EQ(truncate_display("abcdef", 4), "abc\xE2\x80\xA6");
  EXPECT_EQ(truncate_display("\xCE\xBA\xCE\xBA\xCE\xBA", 3), "\xCE\xBA\xCE\xBA\xCE\xBA");
  EXPECT_EQ(display_width(truncate_display("\xCE\xBA\xCE\xBA\xCE\xBA\xCE\xBA", 3)), 3u);
}

TEST(report_view, NumbersAndInfiniteValues) {
  EXPECT_EQ(format_number(0.40931), "0.4093");
  EXPECT_EQ(format_number(1e-3), "0.001");
  EXPECT_EQ(format_number(2.5e-7), "2.5e-7");
  EXPECT_EQ(format_number(2.5e10), "2.5e10");
  const nlohmann::json inf_with_str = {{"value", nullptr}, {"value_str", "inf"}};
  const nlohmann::json inf_flag = {{"value", nullptr}, {"finite", false}};
  const nlohmann::json missing = {{"value", nullptr}};
  EXPECT_EQ(number_text(inf_with_str, "value"), "inf");
  EXPECT_EQ(number_text(inf_flag, "value"), "inf");
  EXPECT_EQ(number_text(missing, "value"), "n/a");
  EXPECT_EQ(number_text(nlohmann::json{{"n", 7}}, "n"), "7");
}

TEST(report_view, MessageBuiltFromNumbersWhenAbsent) {
  const nlohmann::json c = {{"params", {{"kappa", 1000}, {"T", 100}, {"d", 64}}}};
  const nlohmann::json check = {{"metric", "KL"}, {"verdict", "fail"}, {"message", ""},
                                {"measured", {{"value", 0.4093}}}, {"bound_value", {{"value", 0.3812}}}};
  EXPECT_EQ(check_message(c, check), "KL = 0.4093 > bound = 0.3812 at d = 64, T = 100, kappa = 1000");
}

}  // namespace
}  // namespace diffbound
