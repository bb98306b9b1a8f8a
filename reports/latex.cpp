#include "reports/latex.hpp"

#include "reports/escape.hpp"
#include "reports/report_view.hpp"

#include <vector>

namespace diffbound {

namespace {
constexpr std::string_view replacement = "\xEF\xBF\xBD";  // what sanitize_utf8 puts for what it drops

std::string row(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? " & " : "") + cells[i];
  return out + " \\\\\n";
}

// The verdict as every rendering shows it ("pass (estimated)", "fail (expected)"), with its reason.
std::string verdict_text(const nlohmann::json& check) {
  const std::string reason = text_of(check, "reason");
  return latex_escape(verdict_label(check) + (reason.empty() ? "" : " (" + reason + ")"));
}

std::string table(const std::string& caption, const std::string& label, const std::string& columns,
                  const std::vector<std::string>& head, const std::string& body) {
  std::string out = "\\begin{table}[htbp]\n\\centering\n\\caption{" + caption + "}\n\\label{" + label + "}\n";
  out += "\\begin{tabular}{" + columns + "}\n\\toprule\n" + row(head) + "\\midrule\n" + body + "\\bottomrule\n";
  return out + "\\end{tabular}\n\\end{table}\n";
}

std::string cases_table(const nlohmann::json& report) {
  std::string body;
  for (const auto& c : report.at("cases")) {
    const std::string id = latex_escape(text_of(c, "id")), label = latex_escape(case_label(c));
    const std::string error = case_error(c);
    if (!error.empty()) body += row({id, label, "", "", "", latex_escape("error: " + error)});
    for (const auto& check : checks_of(c)) {
      const auto& m = check.contains("measured") ? check.at("measured") : nlohmann::json::object();
      const auto& b = check.contains("bound_value") ? check.at("bound_value") : nlohmann::json::object();
      body += row({id, label, "\\texttt{" + latex_escape(text_of(check, "bound")) + "}",
                   latex_escape(text_of(m, "name") + " = " + number_text(m, "value")),
                   b.is_object() ? latex_escape(number_text(b, "value")) : "", verdict_text(check)});
    }
  }
  if (body.empty()) body = "\\multicolumn{6}{l}{None.} \\\\\n";
  return table("Exact values against the bounds (diffbound)", "tab:diffbound-cases", "llllrl",
               {"Case", "Parameters", "Bound", "Measured", "Bound value", "Verdict"}, body);
}

std::string rates_table(const nlohmann::json& report) {
  std::string body;
  for (const auto& r : report.at("rates"))
    body += row({"\\texttt{" + latex_escape(text_of(r, "bound")) + "}", latex_escape(text_of(r, "variable")),
                 latex_escape(text_of(r, "group")), latex_escape(number_text(r, "kl_exponent")),
                 latex_escape(number_text(r, "fitted_exponent")), latex_escape(number_text(r, "tolerance")),
                 latex_escape(number_text(r, "implied_constant")), verdict_text(r), latex_escape(text_of(r, "provenance"))});
  if (body.empty()) body = "\\multicolumn{9}{l}{None.} \\\\\n";
  return table("Rate claims: exponents fitted over the sweep (diffbound)", "tab:diffbound-rates", "lllrrrrll",
               {"Bound", "Variable", "Group", "KL exponent", "Fitted exponent", "Tolerance", "Implied constant", "Verdict",
                "Provenance"},
               body);
}
}  // namespace

std::string latex_escape(std::string_view text) {
  std::string out;
  const std::string clean = sanitize_utf8(text);
  for (std::size_t i = 0; i < clean.size(); ++i) {
    if (clean.compare(i, replacement.size(), replacement) == 0) {
      i += replacement.size() - 1;
      continue;
    }
    const char ch = clean[i];
    switch (ch) {
      case '&': case '%': case '$': case '#': case '_': case '{': case '}': out += '\\'; out += ch; break;
      case '~': out += "\\textasciitilde{}"; break;
      case '^': out += "\\textasciicircum{}"; break;
      case '\\': out += "\\textbackslash{}"; break;
      case '<': out += "\\textless{}"; break;     // OT1 text fonts print < and > as inverted ! and ?
      case '>': out += "\\textgreater{}"; break;
      case '\n': case '\t': out += ' '; break;    // a blank line would end the table row's paragraph
      default: out += ch;
    }
  }
  return out;
}

std::string render_latex(const nlohmann::json& report) {
  validate_report(report);
  std::string out = "% diffbound report: \\input this fragment into a document with \\usepackage{booktabs}\n";
  std::string suites;
  for (const auto& s : report.at("suites")) suites += (suites.empty() ? "" : ", ") + text_of(s, "name");
  out += "% suites: " + latex_escape(suites) + "; overall " + overall_status(report) + "\n";
  return out + cases_table(report) + "\n" + rates_table(report);
}

}  // namespace diffbound
