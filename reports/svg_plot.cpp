#include "reports/svg_plot.hpp"

#include "reports/escape.hpp"
#include "reports/report_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <vector>

namespace diffbound {

namespace {
// Layout in SVG user units.
constexpr double width = 780, min_height = 420;
constexpr double left = 80, right = 540, plot_height = 316;
constexpr double legend_x = 560, legend_row = 20, legend_line = 14;
constexpr std::size_t legend_chars = 28;  // per line: 12px sans-serif (~6.5 units a character) in the 182 units left
constexpr std::size_t title_chars = 84;   // per line: bold 14px across the width
constexpr double marker_size = 7;         // an enclosure bar is drawn when lo..hi spans more than this

constexpr const char* exact_colors[] = {"#1f3b73", "#000000", "#4a4a4a"};
// "series": exact curves of a [[figure]], compared with one another (distinct hues, solid, dots)
constexpr const char* series_colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};
constexpr const char* bound_colors[] = {"#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f"};

struct Point {
  double x, y;
  double lo = 0, hi = 0;  // the enclosure, when the point carries one ([x, y, lo, hi])
  bool bar = false;
};

struct Curve {
  std::string label, kind, color, dash;
  std::vector<std::vector<Point>> segments;  // broken where a point was skipped
};

// Breaks text into lines of at most `chars` code points at blanks (a longer word is cut, never dropped):
// legends and titles show every character of a label.
std::vector<std::string> wrap(const std::string& text, std::size_t chars) {
  std::vector<std::string> lines{""};
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    start = end + 1;
    while (!word.empty()) {
      std::string& line = lines.back();
      const std::size_t room = line.empty() ? chars : chars - std::min(chars, display_width(line) + 1);
      if (display_width(word) <= room) {
        line += (line.empty() ? "" : " ") + word;
        word.clear();
      } else if (!line.empty()) {
        lines.emplace_back();
      } else {  // one word longer than a line: cut at a code point boundary
        std::size_t cut = 0, n = 0;
        while (cut < word.size() && n < chars) {
          ++cut;
          while (cut < word.size() && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) ++cut;
          ++n;
        }
        line = word.substr(0, cut);
        word = word.substr(cut);
        if (!word.empty()) lines.emplace_back();
      }
    }
  }
  return lines;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

bool loggable(const nlohmann::json& v, double& out) {
  if (!v.is_number()) return false;
  out = v.get<double>();
  return std::isfinite(out) && out > 0;
}

// Decade range [lo, hi] (integer exponents) covering [min, max]; at least one decade wide.
void decades(double min, double max, int& lo, int& hi) {
  lo = static_cast<int>(std::floor(std::log10(min) + 1e-12));
  hi = static_cast<int>(std::ceil(std::log10(max) - 1e-12));
  if (hi <= lo) { --lo; ++hi; }
}

// Decades between labelled ticks: the smallest of 1, 2, 5, 10, 20, 50, ... giving at most 7 labels over
// `decades` (a label is at most ~40 units wide, the x axis 460: 7 never overlap).
int tick_step(int decades) {
  for (int scale = 1;; scale *= 10)
    for (int m : {1, 2, 5})
      if (decades / (m * scale) + 1 <= 7 || scale > 100000000) return m * scale;
}

std::string power_of_ten(int e) {
  std::string exponent = e < 0 ? "\xE2\x88\x92" + std::to_string(-e) : std::to_string(e);  // U+2212 minus
  return "10<tspan dy=\"-7\" font-size=\"10\">" + exponent + "</tspan>";
}

std::string marker(const Curve& c, Point p, double px, double py) {
  const std::string tip = "<title>" + xml_escape(c.label) + ": (" + xml_escape(format_number(p.x)) + ", " +
                          xml_escape(format_number(p.y)) + ")</title>";
  if (c.kind == "exact" || c.kind == "series")
    return "<circle cx=\"" + num(px) + "\" cy=\"" + num(py) + "\" r=\"3.5\" fill=\"" + c.color + "\">" + tip + "</circle>";
  return "<rect x=\"" + num(px - 3.5) + "\" y=\"" + num(py - 3.5) + "\" width=\"7\" height=\"7\" fill=\"#ffffff\" stroke=\"" +
         c.color + "\" stroke-width=\"1.5\">" + tip + "</rect>";
}
}  // namespace

std::string render_svg_plot(const nlohmann::json& plot) {
  const std::string id = text_of(plot, "id");
  const std::string title = text_of(plot, "title").empty() ? id : text_of(plot, "title");
  const std::string x_label = text_of(plot, "x_label"), y_label = text_of(plot, "y_label");

  std::vector<Curve> curves;
  std::size_t skipped = 0, exact_n = 0, series_n = 0, bound_n = 0;
  double xmin = std::numeric_limits<double>::infinity(), xmax = 0, ymin = xmin, ymax = 0;
  if (plot.contains("curves") && plot.at("curves").is_array())
    for (const auto& c : plot.at("curves")) {
      Curve curve{text_of(c, "label"), text_of(c, "kind"), "", "", {{}}};
      if (curve.kind == "fit") curve.color = "#e08a00";  // the fitted slope of a rate claim: orange, no markers
      else if (curve.kind == "exact") curve.color = exact_colors[exact_n++ % std::size(exact_colors)];
      else if (curve.kind == "series") curve.color = series_colors[series_n++ % std::size(series_colors)];
      else curve.color = bound_colors[bound_n++ % std::size(bound_colors)];
      curve.dash = curve.kind == "exact" || curve.kind == "series" ? "" : curve.kind == "bound" ? "7 4" : curve.kind == "fit" ? "12 3 2 3" : "2 3";
      if (c.contains("points") && c.at("points").is_array())
        for (const auto& p : c.at("points")) {
          Point q{};
          if (!p.is_array() || p.size() < 2 || !loggable(p[0], q.x) || !loggable(p[1], q.y)) {
            ++skipped;
            if (!curve.segments.back().empty()) curve.segments.emplace_back();
            continue;
          }
          // [x, y, lo, hi]: an enclosure; a non-positive lower end is clipped to the axis below
          if (p.size() >= 4 && p[3].is_number() && loggable(p[3], q.hi)) {
            q.bar = true;
            if (!loggable(p[2], q.lo)) q.lo = 0;
          }
          curve.segments.back().push_back(q);
          xmin = std::min(xmin, q.x); xmax = std::max(xmax, q.x);
          ymin = std::min(ymin, q.y); ymax = std::max(ymax, q.y);
          if (q.bar) {
            ymax = std::max(ymax, q.hi);
            if (q.lo > 0) ymin = std::min(ymin, q.lo);
          }
        }
      curves.push_back(std::move(curve));
    }

  const auto title_lines = wrap(title, title_chars);
  const double top = 46 + 17 * static_cast<double>(title_lines.size() - 1);
  std::vector<std::vector<std::string>> legend_lines;
  double legend_height = 0;
  for (const auto& c : curves) {
    legend_lines.push_back(wrap(c.label, legend_chars));
    legend_height += legend_row + legend_line * static_cast<double>(legend_lines.back().size() - 1);
  }
  const double height = std::max(min_height + top - 46, top + legend_height + 3 * legend_row);
  const double bottom = top + plot_height;
  std::string out = "<svg class=\"plot\" data-plot-id=\"" + xml_escape(id) +
                    "\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\" width=\"" + num(width) + "\" height=\"" +
                    num(height) + "\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\">\n";
  out += "<title>" + xml_escape(title) + "</title>\n";
  out += "<rect x=\"0\" y=\"0\" width=\"" + num(width) + "\" height=\"" + num(height) + "\" fill=\"#ffffff\"/>\n";
  out += "<text class=\"plot-title\" x=\"" + num(width / 2) + "\" y=\"24\" text-anchor=\"middle\" font-size=\"14\" "
         "font-weight=\"bold\">";
  if (title_lines.size() == 1) out += xml_escape(title);
  else  // wrapped, never cut
    for (std::size_t i = 0; i < title_lines.size(); ++i)
      out += "<tspan x=\"" + num(width / 2) + "\"" + (i ? " dy=\"17\"" : "") + ">" + xml_escape(title_lines[i]) + "</tspan>";
  out += "</text>\n";
  out += "<text x=\"" + num((left + right) / 2) + "\" y=\"" + num(bottom + 44) + "\" text-anchor=\"middle\">" +
         xml_escape(x_label) + "</text>\n";
  out += "<text x=\"20\" y=\"" + num(top + plot_height / 2) + "\" text-anchor=\"middle\" transform=\"rotate(-90 20 " +
         num(top + plot_height / 2) + ")\">" + xml_escape(y_label) + "</text>\n";

  if (xmax == 0) {  // nothing positive and finite to draw
    out += "<rect x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" + num(right - left) + "\" height=\"" +
           num(plot_height) + "\" fill=\"none\" stroke=\"#333333\"/>\n";
    out += "<text x=\"" + num((left + right) / 2) + "\" y=\"" + num(top + plot_height / 2) +
           "\" text-anchor=\"middle\" fill=\"#666666\">no positive finite values to plot</text>\n</svg>\n";
    return out;
  }

  int x_lo = 0, x_hi = 0, y_lo = 0, y_hi = 0;
  decades(xmin, xmax, x_lo, x_hi);
  decades(ymin, ymax, y_lo, y_hi);
  const auto px = [&](double x) { return left + (std::log10(x) - x_lo) / (x_hi - x_lo) * (right - left); };
  const auto py = [&](double y) { return bottom - (std::log10(y) - y_lo) / (y_hi - y_lo) * plot_height; };

  // Grid and ticks: a labelled tick and a grid line at every multiple of `step` decades (1, 2, 5, 10, 20,
  // ... chosen for at most 7 labels, so that labels never overlap), a minor tick at the other decades, and
  // minor ticks at 2..9 times each decade when the axis spans at most 6 decades.
  const auto axis = [&](int lo, int hi, bool is_x) {
    const int step = tick_step(hi - lo);
    for (int e = lo; e <= hi; ++e) {
      const double v = std::pow(10.0, e);
      const double p = is_x ? px(v) : py(v);
      const bool labelled = e % step == 0;
      if (is_x) {
        if (labelled)
          out += "<line x1=\"" + num(p) + "\" y1=\"" + num(top) + "\" x2=\"" + num(p) + "\" y2=\"" + num(bottom) +
                 "\" stroke=\"#e4e4e4\"/>\n";
        out += "<line x1=\"" + num(p) + "\" y1=\"" + num(bottom) + "\" x2=\"" + num(p) + "\" y2=\"" +
               num(bottom + (labelled ? 6 : 3)) + "\" stroke=\"#333333\"/>\n";
        if (labelled)
          out += "<text class=\"tick tick-x\" x=\"" + num(p) + "\" y=\"" + num(bottom + 22) + "\" text-anchor=\"middle\">" +
                 power_of_ten(e) + "</text>\n";
      } else {
        if (labelled)
          out += "<line x1=\"" + num(left) + "\" y1=\"" + num(p) + "\" x2=\"" + num(right) + "\" y2=\"" + num(p) +
                 "\" stroke=\"#e4e4e4\"/>\n";
        out += "<line x1=\"" + num(left - (labelled ? 6 : 3)) + "\" y1=\"" + num(p) + "\" x2=\"" + num(left) + "\" y2=\"" +
               num(p) + "\" stroke=\"#333333\"/>\n";
        if (labelled)
          out += "<text class=\"tick tick-y\" x=\"" + num(left - 9) + "\" y=\"" + num(p + 4) + "\" text-anchor=\"end\">" +
                 power_of_ten(e) + "</text>\n";
      }
      if (hi - lo <= 6 && e < hi)
        for (int m = 2; m <= 9; ++m) {
          const double q = is_x ? px(m * v) : py(m * v);
          out += is_x ? "<line x1=\"" + num(q) + "\" y1=\"" + num(bottom) + "\" x2=\"" + num(q) + "\" y2=\"" +
                            num(bottom + 3) + "\" stroke=\"#333333\"/>\n"
                      : "<line x1=\"" + num(left - 3) + "\" y1=\"" + num(q) + "\" x2=\"" + num(left) + "\" y2=\"" +
                            num(q) + "\" stroke=\"#333333\"/>\n";
        }
    }
  };
  axis(x_lo, x_hi, true);
  axis(y_lo, y_hi, false);
  out += "<rect x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" + num(right - left) + "\" height=\"" +
         num(plot_height) + "\" fill=\"none\" stroke=\"#333333\"/>\n";

  for (const auto& c : curves) {
    out += "<g class=\"curve curve-" + xml_escape(c.kind) + "\">\n";
    for (const auto& seg : c.segments) {
      if (seg.size() >= 2) {
        out += "<polyline fill=\"none\" stroke=\"" + c.color + "\" stroke-width=\"2\"" +
               (c.dash.empty() ? "" : " stroke-dasharray=\"" + c.dash + "\"") + " points=\"";
        for (std::size_t i = 0; i < seg.size(); ++i) out += (i ? " " : "") + num(px(seg[i].x)) + "," + num(py(seg[i].y));
        out += "\"/>\n";
      }
      if (c.kind == "fit") continue;  // a line, no data points
      for (const auto& p : seg) {
        // the enclosure as a vertical bar with caps, where it is wider than the marker
        if (p.bar) {
          const double y_hi = py(p.hi), y_lo = p.lo > 0 ? std::min(bottom, py(p.lo)) : bottom;
          if (y_lo - y_hi > marker_size) {
            const double x = px(p.x);
            out += "<path class=\"enclosure-bar\" d=\"M" + num(x) + " " + num(y_lo) + "V" + num(y_hi) + "M" + num(x - 4) + " " +
                   num(y_hi) + "H" + num(x + 4) + "M" + num(x - 4) + " " + num(y_lo) + "H" + num(x + 4) + "\" stroke=\"" + c.color +
                   "\" stroke-width=\"1.2\" fill=\"none\"><title>" + xml_escape(c.label) + " enclosure at " + xml_escape(format_number(p.x)) +
                   ": [" + xml_escape(format_number(p.lo)) + ", " + xml_escape(format_number(p.hi)) + "]</title></path>\n";
          }
        }
        out += marker(c, p, px(p.x), py(p.y)) + "\n";
      }
    }
    out += "</g>\n";
  }

  // Legend: a line sample with the curve's dash and marker, then its label, wrapped (never cut).
  double y = top + 8;
  for (std::size_t k = 0; k < curves.size(); ++k) {
    const auto& c = curves[k];
    out += "<g class=\"legend-entry\">";
    out += "<line x1=\"" + num(legend_x) + "\" y1=\"" + num(y) + "\" x2=\"" + num(legend_x + 30) + "\" y2=\"" + num(y) +
           "\" stroke=\"" + c.color + "\" stroke-width=\"2\"" +
           (c.dash.empty() ? "" : " stroke-dasharray=\"" + c.dash + "\"") + "/>";
    if (c.kind != "fit")  // a fit is a line only
      out += c.kind == "exact" || c.kind == "series" ? "<circle cx=\"" + num(legend_x + 15) + "\" cy=\"" + num(y) + "\" r=\"3.5\" fill=\"" + c.color + "\"/>"
                             : "<rect x=\"" + num(legend_x + 11.5) + "\" y=\"" + num(y - 3.5) +
                                   "\" width=\"7\" height=\"7\" fill=\"#ffffff\" stroke=\"" + c.color + "\" stroke-width=\"1.5\"/>";
    out += "<text class=\"legend-label\" x=\"" + num(legend_x + 38) + "\" y=\"" + num(y + 4) + "\">";
    for (std::size_t i = 0; i < legend_lines[k].size(); ++i)
      out += "<tspan x=\"" + num(legend_x + 38) + "\"" + (i ? " dy=\"" + num(legend_line) + "\"" : "") + ">" +
             xml_escape(legend_lines[k][i]) + "</tspan>";
    out += "</text></g>\n";
    y += legend_row + legend_line * static_cast<double>(legend_lines[k].size() - 1);
  }
  if (skipped > 0)
    out += "<text class=\"skipped-note\" x=\"" + num(legend_x) + "\" y=\"" + num(y + 8) + "\" fill=\"#666666\" font-size=\"11\">" +
           std::to_string(skipped) + (skipped == 1 ? " point" : " points") + " not drawn<tspan x=\"" + num(legend_x) +
           "\" dy=\"14\">(not positive, or infinite)</tspan></text>\n";
  out += "</svg>\n";
  return out;
}

namespace {
// Lower-case letters, digits and '-': safe on every file system and in a URL, never "." or "..".
std::string slug(const std::string& text, std::size_t max_chars) {
  std::string s;
  for (unsigned char ch : text) {
    const bool keep = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    const bool upper = ch >= 'A' && ch <= 'Z';
    if (keep || upper) s += static_cast<char>(upper ? ch - 'A' + 'a' : ch);
    else if (!s.empty() && s.back() != '-') s += '-';
    if (s.size() >= max_chars) break;
  }
  while (!s.empty() && s.back() == '-') s.pop_back();
  return s;
}
}  // namespace

std::vector<std::string> plot_file_names(const nlohmann::json& plots) {
  std::vector<std::string> names;
  std::set<std::string> used;
  if (!plots.is_array()) return names;
  for (const auto& p : plots) {
    const std::string id = slug(text_of(p, "id"), 40), title = slug(text_of(p, "title"), 59);
    std::string base = id.empty() ? "plot" : id;
    if (!title.empty()) base += "_" + title;
    std::string name = base;
    for (int k = 2; used.count(name); ++k) name = base + "-" + std::to_string(k);
    used.insert(name);
    names.push_back(name + ".svg");
  }
  return names;
}

std::string render_svg_file(const nlohmann::json& plot) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + render_svg_plot(plot);
}

}  // namespace diffbound
