#include "reports/html.hpp"
#include "reports/render.hpp"
#include "reports/svg_plot.hpp"

#include "report_fixture.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

namespace diffbound {
namespace {

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// The <svg ...>...</svg> fragments of a page, in order.
std::vector<std::string> svgs(const std::string& html) {
  std::vector<std::string> out;
  for (auto at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1))
    out.push_back(html.substr(at, html.find("</svg>", at) + 6 - at));
  return out;
}

TEST(report_html, SelfContained) {
  const std::string html = render_html(test::fixture_report());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // The only URL is the SVG namespace name, which is never fetched.
  std::string rest = html;
  for (auto at = rest.find("xmlns=\"http://www.w3.org/2000/svg\""); at != std::string::npos;
       at = rest.find("xmlns=\"http://www.w3.org/2000/svg\""))
    rest.erase(at, 34);
  EXPECT_EQ(rest.find("http://"), std::string::npos);
  EXPECT_EQ(rest.find("https://"), std::string::npos);
  EXPECT_EQ(rest.find("//"), std::string::npos);  // no protocol-relative URLs either
  for (const char* forbidden : {"<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import", "@font-face"})
    EXPECT_EQ(html.find(forbidden), std::string::npos) << forbidden;
}

TEST(report_html, OnePlotPerEntryWithIdsAndWellFormedSvg) {
  const auto report = test::fixture_report();
  const std::string html = render_html(report);
  EXPECT_EQ(occurrences(html, "<svg class=\"plot\""), report["plots"].size());
  EXPECT_NE(html.find("data-plot-id=\"ddpm-rates/plot/0\""), std::string::npos);
  EXPECT_NE(html.find("data-plot-id=\"smoke/plot/0\""), std::string::npos);
  const auto fragments = svgs(html);
  ASSERT_EQ(fragments.size(), 2u);
  for (const auto& svg : fragments) EXPECT_NO_THROW(test::parse_xml(svg)) << svg.substr(0, 200);

  // Plot 0: three curves of three points; the exact one solid, both bounds dashed; decades 10^1..10^3 on x.
  const auto plot0 = test::parse_xml(fragments[0]);
  const auto lines = plot0->all("polyline");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]->attr("stroke-dasharray"), "");
  EXPECT_NE(lines[1]->attr("stroke-dasharray"), "");
  EXPECT_NE(lines[2]->attr("stroke-dasharray"), "");
  for (const auto* l : lines) EXPECT_EQ(occurrences(l->attr("points"), ","), 3u);
  for (const char* decade : {"10<tspan dy=\"-7\" font-size=\"10\">1</tspan>", "10<tspan dy=\"-7\" font-size=\"10\">2</tspan>",
                             "10<tspan dy=\"-7\" font-size=\"10\">3</tspan>", "10<tspan dy=\"-7\" font-size=\"10\">\xE2\x88\x92" "4</tspan>"})
    EXPECT_NE(fragments[0].find(decade), std::string::npos) << decade;
  EXPECT_EQ(plot0->all("g").size() >= 6, true);  // 3 curve groups + 3 legend entries
  EXPECT_NE(fragments[0].find(">KL vs T (d=3, kappa=10, ddpm/theory)</text>"), std::string::npos);

  // Plot 1: null and zero values are skipped (3 points), a curve left with one point has a marker, no line.
  const auto plot1 = test::parse_xml(fragments[1]);
  EXPECT_EQ(plot1->all("polyline").size(), 2u);
  EXPECT_NE(fragments[1].find("3 points not drawn"), std::string::npos);
  EXPECT_NE(fragments[1].find("&lt;smoke &amp; &quot;friends&quot;&gt;"), std::string::npos);
}

TEST(report_html, SummaryFailuresRatesAndCases) {
  const std::string html = render_html(test::fixture_report());
  EXPECT_NE(html.find("<div class=\"badges\" id=\"summary\">"), std::string::npos);
  EXPECT_NE(html.find(">10 passed<"), std::string::npos);
  EXPECT_NE(html.find(">2 failed<"), std::string::npos);
  EXPECT_NE(html.find(">1 inconclusive<"), std::string::npos);
  EXPECT_NE(html.find(">1 error<"), std::string::npos);
  EXPECT_NE(html.find("KL = 0.4093 &gt; bound = 0.3812 at d = 64, T = 100, \xCE\xBA = 1e3"), std::string::npos);
  EXPECT_NE(html.find("<section id=\"rates\">"), std::string::npos);
  EXPECT_NE(html.find("<code>liang2024-accel</code>"), std::string::npos);
  EXPECT_NE(html.find("d=3 T=10 kappa=10 ddim/deterministic exact"), std::string::npos);
  // Order: header, failures, rates, plots, cases.
  EXPECT_LT(html.find("id=\"summary\""), html.find("id=\"failures\""));
  EXPECT_LT(html.find("id=\"failures\""), html.find("id=\"rates\""));
  EXPECT_LT(html.find("id=\"rates\""), html.find("id=\"plots\""));
  EXPECT_LT(html.find("id=\"plots\""), html.find("id=\"cases\""));
  // Escaped description and citation; the raw markup never appears.
  EXPECT_NE(html.find("deliberately wrong &lt;test&gt; &amp; &quot;quoted&quot;"), std::string::npos);
  EXPECT_EQ(html.find("<test>"), std::string::npos);
}

TEST(report_html, TextFromTheReportCannotInjectMarkup) {
  auto report = test::fixture_report();
  report["cases"][0]["label"] = "</td><script>alert(1)</script>";
  report["plots"][0]["id"] = "\"><script>";
  report["plots"][0]["curves"][0]["label"] = "<b>exact</b>";
  const std::string html = render_html(report);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<b>exact"), std::string::npos);
  for (const auto& svg : svgs(html)) EXPECT_NO_THROW(test::parse_xml(svg));
}

TEST(report_svg_plot, NothingPlottable) {
  const nlohmann::json plot = {{"id", "p"}, {"title", "empty"}, {"x_label", "T"}, {"y_label", "KL"},
                               {"curves", {{{"label", "exact KL"}, {"kind", "exact"}, {"points", {{10, 0}, {-1, 1}, {nullptr, 2}}}}}}};
  const std::string svg = render_svg_plot(plot);
  EXPECT_NO_THROW(test::parse_xml(svg));
  EXPECT_NE(svg.find("no positive finite values to plot"), std::string::npos);
  EXPECT_EQ(svg.find("<polyline"), std::string::npos);
  EXPECT_NO_THROW(test::parse_xml(render_svg_plot(nlohmann::json::object())));
}

TEST(report_svg_plot, SinglePointAndWideRanges) {
  const nlohmann::json one = {{"id", "p"}, {"curves", {{{"label", "x"}, {"kind", "exact"}, {"points", {{100, 0.5}}}}}}};
  const std::string svg = render_svg_plot(one);
  EXPECT_NO_THROW(test::parse_xml(svg));
  EXPECT_NE(svg.find("<circle"), std::string::npos);
  // 30 decades: labelled ticks thinned to at most 9 per axis, every coordinate finite.
  const nlohmann::json wide = {{"id", "w"}, {"curves", {{{"label", "x"}, {"kind", "bound"}, {"points", {{1e-15, 1e-15}, {1e15, 1e15}}}}}}};
  const std::string w = render_svg_plot(wide);
  EXPECT_NO_THROW(test::parse_xml(w));
  EXPECT_LE(occurrences(w, "class=\"tick tick-"), 2u * 9u);
  EXPECT_GE(occurrences(w, "class=\"tick tick-"), 2u * 2u);
  EXPECT_EQ(w.find("nan"), std::string::npos);
  EXPECT_EQ(w.find("inf"), std::string::npos);
}

// The page in a real browser: Debian's chromium loads it from disk and the DOM it builds has the plots.
TEST(report_html, LoadsInHeadlessChromium) {
  const std::string chromium = "/usr/bin/chromium";
  if (!std::filesystem::exists(chromium))
    GTEST_SKIP() << chromium << " is absent; install it with scripts/install-deps --browser";
  test::ScratchDir dir;
  write_report_files(test::fixture_report(), dir.path() + "/out");
  const std::string page = dir.path() + "/out/index.html";
  const std::string dom = dir.path() + "/dom.html";
  const std::string command = "timeout 120 " + chromium +
                              " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                              " --disable-background-networking --disable-component-update --disable-sync"
                              " --user-data-dir='" + dir.path() + "/profile' --dump-dom 'file://" + page + "' > '" + dom +
                              "' 2> '" + dir.path() + "/chromium.log'";
  ASSERT_EQ(test::run(command), 0) << command << "\n" << test::read_text(dir.path() + "/chromium.log");
  const std::string loaded = test::read_text(dom);
  EXPECT_EQ(occurrences(loaded, "class=\"plot\""), 2u) << loaded.substr(0, 500);
  EXPECT_NE(loaded.find("data-plot-id=\"ddpm-rates/plot/0\""), std::string::npos);
  EXPECT_NE(loaded.find("id=\"summary\""), std::string::npos);
  EXPECT_NE(loaded.find("10 passed"), std::string::npos);
  EXPECT_GE(occurrences(loaded, "<polyline"), 5u);  // the browser parsed the SVG content, not just the tag
  EXPECT_NE(loaded.find("</html>"), std::string::npos);
}

}  // namespace
}  // namespace diffbound
