// Plots people can trust at a glance (issue 11): enclosure bars where an enclosure is wider than the
// marker, the fitted slope with its exponent in the legend, untruncated labels, log-log ticks whose
// labels never overlap, and one well-formed SVG file per plot with a stable, unique, safe name.
#include "reports/svg_plot.hpp"

#include "report_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

namespace diffbound {
namespace {

using test::XmlNode;

nlohmann::json plot_with(const nlohmann::json& curves, const std::string& title = "KL vs T (d=1 mean=0.5)") {
  return {{"id", "s/plot/0"}, {"title", title}, {"x_label", "T"}, {"y_label", "KL"}, {"curves", curves}};
}

// All text of an element and its descendants (the label a reader sees, tspans joined by blanks).
std::string text_of_node(const XmlNode& n) {
  std::string t = n.text;
  for (const auto& c : n.children) {
    const std::string inner = text_of_node(*c);
    if (c->name == "title") continue;  // tooltips are not the visible text
    t += (t.empty() || inner.empty() ? "" : " ") + inner;
  }
  return t;
}

// Wrapping breaks lines at blanks, or inside a word longer than a line: compare without blanks.
std::string no_blanks(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  return s;
}

std::size_t bars(const XmlNode& svg) {
  std::size_t n = 0;
  for (const auto* p : svg.all("path")) n += p->attr("class") == "enclosure-bar";
  return n;
}

TEST(report_svg_plot, EnclosureBarsOnlyWhereTheEnclosureIsVisible) {
  // an estimated mixture result: KL 1e-2 in [5e-3, 2e-2]; a certified point carries no lo/hi
  const auto estimated = plot_with({{{"label", "exact KL"}, {"kind", "exact"},
                                     {"points", {{10, 1e-2, 5e-3, 2e-2}, {100, 1e-3, 9.9999e-4, 1.00001e-3}, {1000, 1e-4}}}}});
  const auto svg = test::parse_xml(render_svg_plot(estimated));
  // the first point's bar spans a factor 4 (visible); the second is thinner than its marker; the third has none
  EXPECT_EQ(bars(*svg), 1u);
  const auto certified = plot_with({{{"label", "exact KL"}, {"kind", "exact"}, {"points", {{10, 1e-2}, {100, 1e-3}, {1000, 1e-4}}}}});
  EXPECT_EQ(bars(*test::parse_xml(render_svg_plot(certified))), 0u);
  // a lower end at 0 (an estimate that reaches zero) bars down to the axis, still well-formed
  const auto zero = plot_with({{{"label", "exact KL"}, {"kind", "exact"}, {"points", {{10, 1e-2, 0, 2e-2}, {100, 1e-3}}}}});
  EXPECT_EQ(bars(*test::parse_xml(render_svg_plot(zero))), 1u);
}

TEST(report_svg_plot, FittedSlopeIsALineWithItsExponentInTheLegend) {
  const auto plot = plot_with({{{"label", "exact KL"}, {"kind", "exact"}, {"points", {{10, 1e-1}, {100, 1e-2}, {1000, 1e-3}}}},
                               {{"label", "fitted KL ~ T^-1.002"}, {"kind", "fit"}, {"exponent", -1.002}, {"points", {{100, 1e-2}, {1000, 1e-3}}}}});
  const std::string text = render_svg_plot(plot);
  const auto svg = test::parse_xml(text);
  const XmlNode* fit = nullptr;
  for (const auto* g : svg->all("g"))
    if (g->attr("class") == "curve curve-fit") fit = g;
  ASSERT_NE(fit, nullptr);
  EXPECT_EQ(fit->all("polyline").size(), 1u);
  EXPECT_EQ(fit->all("circle").size() + fit->all("rect").size(), 0u);  // a line, not data
  bool in_legend = false;
  for (const auto* g : svg->all("g"))
    if (g->attr("class") == "legend-entry" && text_of_node(*g).find("T^-1.002") != std::string::npos) in_legend = true;
  EXPECT_TRUE(in_legend) << text;
}

TEST(report_svg_plot, LongLabelsAreWrappedNotTruncated) {
  const std::string label = "li-yan2025-ddpm-explicit-constants (shape, C = 1) over mean=[0.5,0.5,0.5] sigma_y=0.01 kappa_H=1000";
  const std::string title = "KL vs T (d=3 kappa=10 ddpm/theory mismatched sigma_y=0.01 kappa_H=1000 mean=[0.5,0.5,0.5] "
                            "train.mean=[1,1,1] precision=certified)";
  const auto plot = plot_with({{{"label", "exact KL"}, {"kind", "exact"}, {"points", {{10, 1e-1}, {100, 1e-2}}}},
                               {{"label", label}, {"kind", "bound"}, {"points", {{10, 2e-1}, {100, 2e-2}}}}},
                              title);
  const std::string text = render_svg_plot(plot);
  const auto svg = test::parse_xml(text);
  EXPECT_EQ(text.find("\xE2\x80\xA6"), std::string::npos) << "no ellipsis";
  bool found_label = false;
  for (const auto* t : svg->all("text")) {
    if (t->attr("class") == "legend-label" && no_blanks(text_of_node(*t)) == no_blanks(label)) {
      found_label = true;
      EXPECT_GT(t->all("tspan").size(), 1u);  // wrapped
      for (const auto* line : t->all("tspan")) EXPECT_LE(line->text.size(), 28u) << line->text;
    }
    if (t->attr("class") == "plot-title") {
      EXPECT_EQ(text_of_node(*t), title);
    }
  }
  EXPECT_TRUE(found_label) << text;
  // the legend grows the picture instead of running off it
  nlohmann::json curves = nlohmann::json::array();
  for (int i = 0; i < 16; ++i) curves.push_back({{"label", label + " " + std::to_string(i)}, {"kind", "bound"}, {"points", {{10, 1e-1}, {100, 1e-2}}}});
  const auto tall = test::parse_xml(render_svg_plot(plot_with(curves, title)));
  std::size_t legend_lines = 0;
  for (const auto* t : tall->all("text"))
    if (t->attr("class") == "legend-label") legend_lines += t->all("tspan").size();
  EXPECT_GT(legend_lines, 16u);
  EXPECT_GE(std::stod(tall->attr("height")), 46 + 20.0 * 16 + 14.0 * static_cast<double>(legend_lines - 16));
}

// Labelled ticks: at most 7 per axis, at multiples of a 1-2-5 step of decades, and no two x labels
// closer than their widths (12px digits ~7 units, 10px exponent digits ~6).
TEST(report_svg_plot, TickLabelsNeverOverlap) {
  for (const auto& [lo, hi] : std::vector<std::pair<double, double>>{{1, 1e10}, {1e-3, 1e7}, {1e-300, 1}, {10, 1000}, {1e-15, 1e15}}) {
    const auto plot = plot_with({{{"label", "exact KL"}, {"kind", "exact"}, {"points", {{lo, lo}, {hi, hi}}}}});
    const auto svg = test::parse_xml(render_svg_plot(plot));
    std::vector<std::pair<double, double>> xs;  // (x, width)
    std::size_t y_labels = 0;
    for (const auto* t : svg->all("text")) {
      if (t->attr("class") == "tick tick-x") {
        const std::string exponent = t->child("tspan")->text;
        xs.push_back({std::stod(t->attr("x")), 2 * 7.0 + 6.0 * static_cast<double>(exponent.size())});
      }
      y_labels += t->attr("class") == "tick tick-y";
    }
    ASSERT_GE(xs.size(), 2u) << lo << ".." << hi;
    EXPECT_LE(xs.size(), 7u) << lo << ".." << hi;
    EXPECT_LE(y_labels, 7u);
    for (std::size_t i = 1; i < xs.size(); ++i)
      EXPECT_GT(xs[i].first - xs[i - 1].first, (xs[i].second + xs[i - 1].second) / 2 + 4) << lo << ".." << hi << " label " << i;
  }
  // 10 decades: labels at 10^0, 10^2, ..., 10^10, minor ticks at the other decades
  const auto ten = render_svg_plot(plot_with({{{"label", "e"}, {"kind", "exact"}, {"points", {{1, 1}, {1e10, 1e10}}}}}));
  EXPECT_NE(ten.find(">10<tspan dy=\"-7\" font-size=\"10\">10</tspan>"), std::string::npos);
  EXPECT_EQ(ten.find(">10<tspan dy=\"-7\" font-size=\"10\">3</tspan>"), std::string::npos);
}

TEST(report_svg_plot, FileNamesAreStableUniqueAndSafe) {
  const nlohmann::json plots = {{{"id", "s/plot/0"}, {"title", "KL vs T (d=1 T=10 mean=0.5) <x> & \xCE\xBA"}},
                                {{"id", "s/plot/1"}, {"title", "KL vs T (d=1 T=10 mean=0.5) <x> & \xCE\xBA"}},
                                {{"id", "s/plot/0"}, {"title", "KL vs T (d=1 T=10 mean=0.5) <x> & \xCE\xBA"}},
                                {{"id", "../../etc"}, {"title", ""}},
                                {{"title", std::string(500, 'a')}}};
  const auto names = plot_file_names(plots);
  ASSERT_EQ(names.size(), plots.size());
  EXPECT_EQ(names, plot_file_names(plots));
  EXPECT_EQ(names[0], "s-plot-0_kl-vs-t-d-1-t-10-mean-0-5-x.svg");
  EXPECT_EQ(names[2], "s-plot-0_kl-vs-t-d-1-t-10-mean-0-5-x-2.svg");
  EXPECT_EQ(names[3], "etc.svg");
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  for (const auto& n : names) {
    EXPECT_LE(n.size(), 104u) << n;
    EXPECT_EQ(n.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_."), std::string::npos) << n;
    EXPECT_NE(n.front(), '.');
  }
}

TEST(report_svg_plot, FilesAreWellFormedForXmllint) {
  if (!std::filesystem::exists("/usr/bin/xmllint")) GTEST_SKIP() << "xmllint not installed (scripts/install-deps installs libxml2-utils)";
  test::ScratchDir dir;
  const auto report = test::fixture_report();
  auto plot = report["plots"][0];
  plot["curves"][0]["points"][0] = {10, 0.052, 0.01, 0.2};  // with an enclosure bar
  plot["curves"].push_back({{"label", "fitted KL ~ T^-1 <&>"}, {"kind", "fit"}, {"points", {{10, 0.05}, {100, 0.005}}}});
  test::write_text(dir.path() + "/p.svg", render_svg_file(plot));
  EXPECT_EQ(test::run("/usr/bin/xmllint --noout '" + dir.path() + "/p.svg'"), 0);
}

}  // namespace
}  // namespace diffbound
