#include "reports/markdown.hpp"

#include "reports/escape.hpp"
#include "reports/report_view.hpp"
#include "reports/studies.hpp"

#include <string_view>

namespace diffbound {

namespace {
// Section caps keep the fixed sections small, so the per-case table always gets most of the budget.
constexpr std::size_t max_failures = 200;
constexpr std::size_t max_rate_rows = 300;
constexpr std::size_t failures_budget = 300 * 1000;  // bytes
constexpr std::size_t rates_budget = 200 * 1000;     // bytes
constexpr std::size_t max_cell = 300;     // code points per table cell
constexpr std::size_t max_message = 600;  // code points per failure message

std::string cell(std::string_view text) { return markdown_cell(truncate_display(text, max_cell)); }

std::string verdict_cell(const std::string& verdict) {
  if (verdict == "pass") return "✅ pass";
  if (verdict == "fail") return "❌ fail";
  if (verdict == "inconclusive") return "⚠️ inconclusive";
  if (verdict == "error") return "💥 error";
  return cell(verdict);
}

// A check's verdict; on estimated enclosures "✅ pass (estimated)", never a bare certified-looking pass.
std::string check_verdict_cell(const nlohmann::json& check) {
  const std::string v = verdict_of(check);
  return verdict_cell(v) + (is_estimated(check) && (v == "pass" || v == "fail") ? " (estimated)" : "") + cell(expectation_suffix(check));
}

std::string summary_table(const nlohmann::json& report) {
  const auto& s = report.at("summary");
  const auto& build = report.contains("diffbound") ? report.at("diffbound") : nlohmann::json::object();
  std::string suites;
  for (const auto& suite : report.at("suites")) suites += (suites.empty() ? "" : ", ") + text_of(suite, "name");
  double seconds = 0;
  const std::string duration = number_of(report, "seconds", seconds) ? duration_text(seconds) : "n/a";
  const std::size_t errors = count_verdicts(report).error;
  std::string out;
  // expected / unexpected: checks whose declared verdict happened / did not (docs/suite-file.md, expect)
  const std::string expected = s.contains("expected") ? number_text(s, "expected") : "0";
  const std::string unexpected = s.contains("unexpected") ? number_text(s, "unexpected") : "0";
  out += "| Result | Pass | Fail | Inconclusive | Expected | Unexpected | Errors | Cases | Checks | Exit status | Suites | diffbound | Duration |\n";
  out += "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|\n";
  out += "| **" + overall_status(report) + "** | " + number_text(s, "pass") + " | " + number_text(s, "fail") + " | " +
         number_text(s, "inconclusive") + " | " + expected + " | " + unexpected + " | " + std::to_string(errors) + " | " + number_text(s, "cases") + " | " +
         number_text(s, "checks") + " | " + number_text(s, "exit_status") + " | " + cell(suites) + " | " +
         cell(text_of(build, "version") + " (" + text_of(build, "revision") + ")") + " | " + cell(duration) + " |\n";
  const std::string started = text_of(report, "started");
  const std::string jobs = text_of(report, "jobs");
  if (!started.empty() || !jobs.empty())
    out += "\nStarted " + markdown_cell(started) + (jobs.empty() ? "" : ", " + markdown_cell(jobs) + (jobs == "1" ? " job" : " jobs")) + ".\n";
  const std::string warning = baseline_warning(report);
  if (!warning.empty()) out += "\n**Baseline:** " + markdown_cell(warning) + "\n";
  return out;
}

std::string failures_section(const nlohmann::json& report) {
  std::string items;
  std::size_t listed = 0, total = 0;
  const auto add = [&](const std::string& line) {
    // In order: once one failure is left out, so are all later ones.
    if (listed == total && listed < max_failures && items.size() + line.size() + 3 <= failures_budget) {
      items += "- " + line + "\n";
      ++listed;
    }
    ++total;
  };
  for (const auto& c : report.at("cases")) {
    const std::string where = "**" + cell(text_of(c, "id")) + "** (" + cell(case_label(c)) + ")";
    const std::string error = case_error(c);
    if (!error.empty()) add(where + " error: " + markdown_cell(truncate_display(error, max_message)));
    else
      for (const auto& check : checks_of(c))
        if (is_failure(check)) {
          const std::string reason = text_of(check, "reason");
          add(where + " `" + cell(text_of(check, "bound")) + "`" + (reason.empty() ? "" : " [" + cell(reason) + "]") +
              (is_estimated(check) ? " (estimated)" : "") + cell(expectation_suffix(check)) + ": " +
              markdown_cell(truncate_display(check_message(c, check), max_message)));
        }
  }
  for (const auto& r : report.at("rates"))
    if (is_failure(r))
      add("**" + cell(text_of(r, "id")) + "** rate claim `" + cell(text_of(r, "bound")) + "`" + cell(expectation_suffix(r)) + " in " +
          cell(text_of(r, "variable")) + ": " + markdown_cell(truncate_display(text_of(r, "message"), max_message)));
  std::string out = "\n## Failures\n\n";
  if (total == 0) return out + "None.\n";
  out += items;
  if (total > listed)
    out += "\n_" + std::to_string(total - listed) + " more failures not shown; see report.json._\n";
  return out;
}

std::string rates_section(const nlohmann::json& report) {
  const auto& rates = report.at("rates");
  std::string out = "\n## Rate claims\n\n";
  if (rates.empty()) return out + "None in this run.\n";
  out += "| Bound | Variable | Group | Measured exponent | Fitted exponent | Tolerance | Implied constant | Verdict | Provenance |\n";
  out += "|---|---|---|---:|---:|---:|---:|---|---|\n";
  std::size_t rows = 0;
  std::string table;
  for (const auto& r : rates) {
    if (rows == max_rate_rows) break;
    std::string row = "| " + cell(text_of(r, "bound")) + " | " + cell(text_of(r, "variable")) + " | " + cell(text_of(r, "group")) +
           " | " + number_text(r, "kl_exponent") + " | " + number_text(r, "fitted_exponent") + " | ≤ " +
           number_text(r, "tolerance") + " | " + number_text(r, "implied_constant") + " | " +
           check_verdict_cell(r) + (text_of(r, "reason").empty() ? "" : " (" + cell(text_of(r, "reason")) + ")") + " | " +
           cell(text_of(r, "provenance")) + " |\n";
    if (table.size() + row.size() > rates_budget) break;
    table += row;
    ++rows;
  }
  out += table;
  if (rates.size() > rows)
    out += "\n_" + std::to_string(rates.size() - rows) + " more rate claims not shown; see report.json._\n";
  return out;
}

std::string case_row(const nlohmann::json& c) {
  std::string checks;
  const std::string error = case_error(c);
  if (!error.empty()) checks = "💥 error: " + cell(error);
  for (const auto& check : checks_of(c)) {
    if (!checks.empty()) checks += "<br>";
    const std::string provenance = text_of(check, "provenance");
    checks += cell(text_of(check, "bound")) + (provenance.empty() ? "" : " [" + cell(provenance) + "]") + " " + check_verdict_cell(check);
  }
  const auto& exact = c.contains("exact") ? c.at("exact") : nlohmann::json::object();
  const auto& kl = exact.is_object() && exact.contains("kl") ? exact.at("kl") : nlohmann::json::object();
  return "| " + cell(text_of(c, "id")) + " | " + cell(case_label(c)) + " | " +
         (error.empty() ? number_text(kl, "value") : "") + " | " + checks + " |\n";
}
}  // namespace

std::string render_markdown(const nlohmann::json& report) {
  validate_report(report);
  std::string out = "# diffbound report\n\n";
  out += summary_table(report);
  out += failures_section(report);
  out += rates_section(report);
  out += studies_markdown(report);

  const auto& cases = report.at("cases");
  out += "\n## Cases\n\n";
  if (cases.empty()) return out + "No cases.\n";
  out += "| Case | Parameters | KL | Checks |\n|---|---|---:|---|\n";
  // Rows stop while there is still room for the truncation note (sized for the largest counts).
  const std::string note_template = "\n_Showing the first 0000000000 of 0000000000 cases to stay under the size limit; "
                                    "the full list is in report.json._\n";
  std::size_t shown = 0;
  for (const auto& c : cases) {
    std::string row = case_row(c);
    if (out.size() + row.size() + note_template.size() > markdown_size_limit) break;
    out += row;
    ++shown;
  }
  if (shown < cases.size())
    out += "\n_Showing the first " + std::to_string(shown) + " of " + std::to_string(cases.size()) +
           " cases to stay under the size limit; the full list is in report.json._\n";
  return out;
}

}  // namespace diffbound
