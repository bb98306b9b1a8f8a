#include "reports/terminal.hpp"

#include "reports/escape.hpp"
#include "reports/report_view.hpp"
#include "reports/studies.hpp"

#include <algorithm>
#include <array>
#include <tuple>
#include <vector>

namespace diffbound {

namespace {
template <std::size_t N>
using Row = std::array<std::string, N>;

// Widest cell per column, capped so one long label cannot push the table off the screen (the last column
// pads nothing after it and gets more room).
constexpr std::size_t max_column = 48;

// The colour follows the verdict's first word: "pass (estimated)" is painted as a pass.
std::string paint(const std::string& label, const std::string& text, bool color) {
  if (!color) return text;
  const std::string verdict = label.substr(0, label.find(' '));
  const char* code = verdict == "pass" ? "\033[32m" : verdict == "fail" ? "\033[31;1m"
                   : verdict == "inconclusive" ? "\033[33m" : verdict == "error" ? "\033[35;1m" : "";
  return *code ? code + text + "\033[0m" : text;
}

// Rows are sanitized and truncated first, so padding by code points lines the columns up.
template <std::size_t N>
std::string table(const Row<N>& head, std::vector<Row<N>> rows, std::size_t verdict_column, bool color) {
  std::array<std::size_t, N> width{};
  for (auto& r : rows)
    for (std::size_t i = 0; i < N; ++i) r[i] = truncate_display(sanitize_utf8(r[i]), i + 1 < N ? max_column : 4 * max_column);
  for (std::size_t i = 0; i < N; ++i) {
    width[i] = display_width(head[i]);
    for (const auto& r : rows) width[i] = std::max(width[i], display_width(r[i]));
  }
  const auto line = [&](const Row<N>& r, bool is_head) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
      const std::string pad(width[i] - display_width(r[i]), ' ');
      out += !is_head && i == verdict_column ? paint(r[i], r[i], color) : r[i];
      if (i + 1 < N) out += pad + "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(head, true);
  for (std::size_t i = 0; i < N; ++i) out += std::string(width[i], '-') + (i + 1 < N ? "  " : "\n");
  for (const auto& r : rows) out += line(r, false);
  return out;
}

// The reason, then the bound's provenance level in brackets ("enclosures-overlap [read]").
std::string note_of(const nlohmann::json& check) {
  const std::string reason = text_of(check, "reason"), provenance = text_of(check, "provenance");
  if (provenance.empty()) return reason;
  return reason + (reason.empty() ? "" : " ") + "[" + provenance + "]";
}
}  // namespace

std::string terminal_summary_line(const nlohmann::json& report) {
  validate_report(report);
  const auto& s = report.at("summary");
  const auto n = count_verdicts(report);
  std::string out = "diffbound: " + number_text(s, "pass") + " passed, " + number_text(s, "fail") + " failed, " +
                    number_text(s, "inconclusive") + " inconclusive";
  if (n.error > 0) out += ", " + plural(n.error, "error", "errors");
  // checks whose declared verdict happened / did not (docs/suite-file.md, expect)
  double expected = 0, unexpected = 0;
  if (number_of(s, "expected", expected) && expected > 0) out += ", " + number_text(s, "expected") + " as expected";
  if (number_of(s, "unexpected", unexpected) && unexpected > 0) out += ", " + number_text(s, "unexpected") + " unexpected";
  double cases = 0;
  out += " (" + (number_of(s, "cases", cases) ? plural(static_cast<std::size_t>(cases), "case", "cases") : number_text(s, "cases") + " cases") + ")";
  double seconds = 0;
  if (number_of(report, "seconds", seconds)) out += " in " + duration_text(seconds);
  const std::string warning = baseline_warning(report);
  if (!warning.empty()) out += "\ndiffbound: baseline: " + warning;
  return out;
}

std::string render_terminal_table(const nlohmann::json& report, bool color) {
  validate_report(report);
  std::vector<Row<7>> rows;
  for (const auto& c : report.at("cases")) {
    const std::string error = case_error(c);
    if (!error.empty()) {
      rows.push_back({case_label(c), "-", "error", "", "", "", error});
      continue;
    }
    for (const auto& check : checks_of(c)) {
      const nlohmann::json none = nlohmann::json::object();
      const auto& m = check.contains("measured") ? check.at("measured") : none;
      const auto& b = check.contains("bound_value") ? check.at("bound_value") : none;
      const std::string verdict = verdict_of(check);
      // An inconclusive verdict is about overlapping enclosures: show them, 4 digits would hide the gap.
      const bool show_intervals = verdict == "inconclusive" && text_of(check, "reason") != "vacuous";
      const auto value = [&](const nlohmann::json& q) {
        return show_intervals ? "[" + number_text(q, "lo") + ", " + number_text(q, "hi") + "]" : number_text(q, "value");
      };
      std::string measured = value(m), bound = value(b);
      // pass and fail: enough digits that the two numbers visibly differ
      double mv = 0, bv = 0;
      if (!show_intervals && number_of(m, "value", mv) && number_of(b, "value", bv))
        std::tie(measured, bound) = distinct_number_texts(mv, bv);
      rows.push_back({case_label(c), text_of(check, "bound"), verdict_label(check), measured, bound, number_text(check, "ratio"),
                      note_of(check)});
    }
  }
  std::string out;
  if (!rows.empty())
    out += table<7>({"case", "check", "verdict", "measured", "bound", "ratio", "note"}, std::move(rows), 2, color);

  std::vector<Row<7>> rates;
  for (const auto& r : report.at("rates"))
    rates.push_back({text_of(r, "bound"), text_of(r, "variable") + " @ " + text_of(r, "group"), verdict_label(r),
                     number_text(r, "fitted_exponent"), number_text(r, "tolerance"), number_text(r, "kl_exponent"),
                     note_of(r)});
  if (!rates.empty()) {
    if (!out.empty()) out += "\n";
    out += table<7>({"rate claim", "sweep", "verdict", "fitted exp.", "tolerance", "KL exp.", "note"}, std::move(rates), 2, color);
  }
  auto studies = study_terminal_rows(report);
  if (!studies.empty()) {
    if (!out.empty()) out += "\n";
    out += table<5>({"study", "check", "verdict", "residual", "error estimate"}, std::move(studies), 2, color);
  }
  if (!out.empty()) out += "\n";
  return out + terminal_summary_line(report) + "\n";
}

}  // namespace diffbound
