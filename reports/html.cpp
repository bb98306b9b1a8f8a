#include "reports/html.hpp"

#include "reports/escape.hpp"
#include "reports/report_view.hpp"
#include "reports/studies.hpp"
#include "reports/svg_plot.hpp"

#include <string_view>

namespace diffbound {

namespace {
constexpr std::string_view style = R"(
:root { --pass: #1a7f37; --fail: #cf222e; --inconclusive: #9a6700; --error: #8250df; --muted: #57606a; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 14px;
       color: #1f2328; background: #f6f8fa; }
header { background: #ffffff; border-bottom: 1px solid #d0d7de; padding: 20px 32px; }
main { padding: 8px 32px 32px; max-width: 1400px; }
h1 { margin: 0 0 6px; font-size: 24px; }
h2 { margin: 28px 0 10px; font-size: 18px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
.meta { color: var(--muted); margin: 4px 0 12px; }
.suites { margin: 0 0 12px; padding-left: 18px; color: var(--muted); }
.badges { display: flex; flex-wrap: wrap; gap: 8px; }
.badge { display: inline-block; padding: 4px 12px; border-radius: 14px; font-weight: 600; color: #ffffff; background: var(--muted); }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); }
.badge.inconclusive { background: var(--inconclusive); } .badge.error { background: var(--error); }
.badge.neutral { background: #eaeef2; color: #1f2328; }
.status { font-size: 14px; vertical-align: middle; margin-left: 8px; }
table { border-collapse: collapse; background: #ffffff; border: 1px solid #d0d7de; margin: 4px 0 12px; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f3f6; }
.scroll { overflow-x: auto; max-width: 100%; }
td.message { min-width: 22em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.verdict { font-weight: 600; white-space: nowrap; }
.verdict.pass { color: var(--pass); } .verdict.fail { color: var(--fail); }
.verdict.inconclusive { color: var(--inconclusive); } .verdict.error { color: var(--error); }
.chip { display: inline-block; margin: 1px 4px 1px 0; padding: 0 6px; border-radius: 8px; border: 1px solid currentColor; }
ul.failures li { margin: 4px 0; }
.plots { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; background: #ffffff; border: 1px solid #d0d7de; padding: 8px; }
figcaption { color: var(--muted); padding: 4px 0 0 8px; }
svg.plot { display: block; max-width: 100%; height: auto; }
footer { color: var(--muted); padding: 0 32px 24px; }
)";

std::string esc(std::string_view s) { return xml_escape(s); }

std::string verdict_span(const std::string& verdict, const std::string& label = "") {
  const std::string v = verdict.empty() ? "unknown" : verdict;
  return "<span class=\"verdict " + esc(v) + "\">" + esc(label.empty() ? v : label) + "</span>";
}

std::string badge(const std::string& cls, std::size_t n, const std::string& what) {
  return "<span class=\"badge " + cls + "\">" + std::to_string(n) + " " + what + "</span>\n";
}

std::string header(const nlohmann::json& report) {
  const auto& s = report.at("summary");
  const auto& build = report.contains("diffbound") ? report.at("diffbound") : nlohmann::json::object();
  const auto n = count_verdicts(report);
  const std::string status = overall_status(report);
  std::string status_class = status == "PASS" ? "pass" : status == "FAIL" ? "fail" : status == "ERROR" ? "error" : "inconclusive";
  std::string out = "<header>\n<h1>diffbound report <span class=\"badge status " + status_class + "\">" + status + "</span></h1>\n";
  double seconds = 0;
  out += "<p class=\"meta\">diffbound " + esc(text_of(build, "version")) + " (revision " + esc(text_of(build, "revision")) +
         ") &middot; started " + esc(text_of(report, "started")) + " &middot; " +
         esc(number_of(report, "seconds", seconds) ? duration_text(seconds) : "n/a") + " on " + esc(text_of(report, "jobs")) +
         (text_of(report, "jobs") == "1" ? " job" : " jobs") + " &middot; exit status " + esc(number_text(s, "exit_status")) + "</p>\n";
  const std::string warning = baseline_warning(report);
  if (!warning.empty()) out += "<p class=\"meta\">" + verdict_span("fail") + " baseline: " + esc(warning) + "</p>\n";
  out += "<ul class=\"suites\">\n";
  for (const auto& suite : report.at("suites")) {
    out += "<li><strong>" + esc(text_of(suite, "name")) + "</strong>";
    if (!text_of(suite, "file").empty()) out += " <code>" + esc(text_of(suite, "file")) + "</code>";
    if (!text_of(suite, "description").empty()) out += ": " + esc(text_of(suite, "description"));
    out += "</li>\n";
  }
  out += "</ul>\n<div class=\"badges\" id=\"summary\">\n";
  out += badge("pass", n.pass, "passed") + badge("fail", n.fail, "failed") + badge("inconclusive", n.inconclusive, "inconclusive");
  if (n.error > 0) out += badge("error", n.error, n.error == 1 ? "error" : "errors");
  out += "<span class=\"badge neutral\">" + esc(number_text(s, "cases")) + " cases</span>\n";
  out += "<span class=\"badge neutral\">" + esc(number_text(s, "checks")) + " checks</span>\n";
  out += "<span class=\"badge neutral\">" + std::to_string(report.at("rates").size()) + " rate claims</span>\n";
  return out + "</div>\n</header>\n";
}

std::string failures(const nlohmann::json& report) {
  std::string items;
  for (const auto& c : report.at("cases")) {
    const std::string where = "<strong>" + esc(text_of(c, "id")) + "</strong> <span class=\"label\">" + esc(case_label(c)) + "</span>";
    const std::string error = case_error(c);
    if (!error.empty()) {
      items += "<li>" + verdict_span("error") + " " + where + ": " + esc(error) + "</li>\n";
      continue;
    }
    for (const auto& check : checks_of(c))
      if (is_failure(check)) {
        const std::string reason = text_of(check, "reason");
        items += "<li>" + verdict_span(verdict_of(check), verdict_label(check)) + " " + where + " <code>" + esc(text_of(check, "bound")) + "</code>" +
                 (reason.empty() ? "" : " [" + esc(reason) + "]") + ": " +
                 esc(check_message(c, check)) + "</li>\n";
      }
  }
  for (const auto& r : report.at("rates"))
    if (is_failure(r))
      items += "<li>" + verdict_span(verdict_of(r), verdict_label(r)) + " <strong>" + esc(text_of(r, "id")) + "</strong> rate claim <code>" +
               esc(text_of(r, "bound")) + "</code> in " + esc(text_of(r, "variable")) + ": " + esc(text_of(r, "message")) + "</li>\n";
  return "<section id=\"failures\">\n<h2>Failures</h2>\n" +
         (items.empty() ? std::string("<p>None.</p>\n") : "<ul class=\"failures\">\n" + items + "</ul>\n") + "</section>\n";
}

std::string rates(const nlohmann::json& report) {
  std::string out = "<section id=\"rates\">\n<h2>Rate claims</h2>\n";
  if (report.at("rates").empty()) return out + "<p>None in this run.</p>\n</section>\n";
  out += "<div class=\"scroll\"><table>\n<tr><th>Bound</th><th>Variable</th><th>Group</th><th>Measured exponent of KL</th>"
         "<th>Fitted exponent of KL/shape</th><th>Tolerance</th><th>Implied constant</th><th>Verdict</th><th>Provenance</th>"
         "<th>Message</th></tr>\n";
  for (const auto& r : report.at("rates"))
    out += "<tr><td><code>" + esc(text_of(r, "bound")) + "</code></td><td>" + esc(text_of(r, "variable")) + "</td><td>" +
           esc(text_of(r, "group")) + "</td><td class=\"num\">" + esc(number_text(r, "kl_exponent")) + "</td><td class=\"num\">" +
           esc(number_text(r, "fitted_exponent")) + "</td><td class=\"num\">&le; " + esc(number_text(r, "tolerance")) +
           "</td><td class=\"num\">" + esc(number_text(r, "implied_constant")) + "</td><td>" + verdict_span(verdict_of(r), verdict_label(r)) +
           "</td><td>" + esc(text_of(r, "provenance")) + "</td><td class=\"message\">" + esc(text_of(r, "message")) + "</td></tr>\n";
  return out + "</table></div>\n</section>\n";
}

std::string plots(const nlohmann::json& report, bool link_plot_files) {
  std::string out = "<section id=\"plots\">\n<h2>Plots</h2>\n";
  if (report.at("plots").empty()) return out + "<p>No plots in this run.</p>\n</section>\n";
  out += "<div class=\"plots\">\n";
  const auto names = plot_file_names(report.at("plots"));
  std::size_t n = 0;
  for (const auto& p : report.at("plots")) {
    out += "<figure>\n" + render_svg_plot(p);
    if (link_plot_files)
      out += "<a class=\"plot-file\" href=\"plots/" + esc(names[n]) + "\">plots/" + esc(names[n]) + "</a>\n";
    ++n;
    if (p.contains("verdicts") && p.at("verdicts").is_object()) {
      const auto& v = p.at("verdicts");
      out += "<figcaption>Verdicts on this sweep: <span class=\"verdict pass\">" + esc(number_text(v, "pass")) +
             " pass</span>, <span class=\"verdict fail\">" + esc(number_text(v, "fail")) +
             " fail</span>, <span class=\"verdict inconclusive\">" + esc(number_text(v, "inconclusive")) +
             " inconclusive</span></figcaption>\n";
    }
    out += "</figure>\n";
  }
  return out + "</div>\n</section>\n";
}

std::string cases(const nlohmann::json& report) {
  std::string out = "<section id=\"cases\">\n<h2>Cases</h2>\n";
  if (report.at("cases").empty()) return out + "<p>No cases.</p>\n</section>\n";
  out += "<div class=\"scroll\"><table>\n<tr><th>Case</th><th>Parameters</th><th>KL</th><th>Method</th><th>Checks (ratio = measured / bound)</th></tr>\n";
  for (const auto& c : report.at("cases")) {
    const nlohmann::json none = nlohmann::json::object();
    const auto& exact = c.contains("exact") && c.at("exact").is_object() ? c.at("exact") : none;
    const auto& kl = exact.contains("kl") && exact.at("kl").is_object() ? exact.at("kl") : none;
    const std::string error = case_error(c);
    out += "<tr><td>" + esc(text_of(c, "id")) + "</td><td>" + esc(case_label(c)) + "</td>";
    if (!error.empty()) {
      out += "<td></td><td></td><td>" + verdict_span("error") + " " + esc(error) + "</td></tr>\n";
      continue;
    }
    out += "<td class=\"num\" title=\"[" + esc(number_text(kl, "lo")) + ", " + esc(number_text(kl, "hi")) + "]\">" +
           esc(number_text(kl, "value")) + "</td><td><code>" + esc(text_of(kl, "method")) + "</code></td><td>";
    for (const auto& check : checks_of(c)) {
      const std::string v = verdict_of(check).empty() ? "unknown" : verdict_of(check);
      const std::string label = verdict_of(check).empty() ? v : verdict_label(check);
      const std::string provenance = text_of(check, "provenance");
      out += "<span class=\"chip verdict " + esc(v) + "\" title=\"" + esc((provenance.empty() ? "" : "[" + provenance + "] ") + check_message(c, check)) + "\">" +
             esc(text_of(check, "bound")) + ": " + esc(label) + " (" + esc(number_text(check, "ratio")) + ")</span>";
    }
    out += "</td></tr>\n";
  }
  return out + "</table></div>\n</section>\n";
}

std::string bounds(const nlohmann::json& report) {
  std::string out = "<section id=\"bounds\">\n<h2>Bounds</h2>\n";
  if (report.at("bounds").empty()) return out + "<p>None.</p>\n</section>\n";
  out += "<div class=\"scroll\"><table>\n<tr><th>Id</th><th>Kind</th><th>Metric</th><th>Formula or shape</th><th>Citation</th><th>Provenance</th></tr>\n";
  for (const auto& b : report.at("bounds")) {
    const std::string formula = text_of(b, "formula").empty() ? text_of(b, "shape") : text_of(b, "formula");
    out += "<tr><td><code>" + esc(text_of(b, "id")) + "</code></td><td>" + esc(text_of(b, "kind")) + "</td><td>" +
           esc(text_of(b, "metric")) + "</td><td><code>" + esc(formula) + "</code></td><td>" + esc(text_of(b, "citation")) +
           "</td><td>" + esc(text_of(b, "provenance")) + "</td></tr>\n";
  }
  return out + "</table></div>\n</section>\n";
}
}  // namespace

std::string render_html(const nlohmann::json& report, bool link_plot_files) {
  validate_report(report);
  std::string suites;
  for (const auto& s : report.at("suites")) suites += (suites.empty() ? "" : ", ") + text_of(s, "name");
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>diffbound report: " + overall_status(report) + " (" + esc(suites) + ")</title>\n";
  out += "<style>" + std::string(style) + "</style>\n</head>\n<body>\n";
  out += header(report);
  out += "<main>\n" + failures(report) + rates(report) + studies_html(report) + plots(report, link_plot_files) + cases(report) + bounds(report) + "</main>\n";
  out += "<footer>Rendered from report.json (" + std::string(report_format_id) + "); nothing on this page is recomputed.</footer>\n";
  return out + "</body>\n</html>\n";
}

}  // namespace diffbound
