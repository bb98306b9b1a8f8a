#include "reports/studies.hpp"

#include "reports/escape.hpp"
#include "reports/report_view.hpp"

namespace diffbound {

namespace {
constexpr std::size_t max_rows = 200;  // per study table, so one large study cannot crowd out the rest
constexpr std::size_t max_cell = 300;

std::string value_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return format_number(v.get<double>());
  if (v.is_null()) return "n/a";
  return v.dump();
}

const nlohmann::json& array_of(const nlohmann::json& obj, const char* key) {
  static const nlohmann::json empty = nlohmann::json::array();
  if (!obj.is_object() || !obj.contains(key) || !obj.at(key).is_array()) return empty;
  return obj.at(key);
}

std::string heading(const nlohmann::json& s) {
  std::string h = text_of(s, "label") + " (" + text_of(s, "kind") + ", " + text_of(s, "precision");
  if (!text_of(s, "digits").empty()) h += " " + text_of(s, "digits") + " digits";
  return h + ")";
}

std::string md(std::string_view text) { return markdown_cell(truncate_display(text, max_cell)); }

std::string md_verdict(const nlohmann::json& check) {
  const std::string v = verdict_of(check), e = is_estimated(check) && verdict_label(check) != v ? " (estimated)" : "";
  if (v == "pass") return "✅ pass" + e;
  if (v == "fail") return "❌ fail" + e;
  return md(v);
}

std::string esc(std::string_view s) { return xml_escape(s); }
std::string html_verdict(const std::string& verdict, const std::string& label = "") {
  const std::string v = verdict.empty() ? "unknown" : verdict;
  return "<span class=\"verdict " + esc(v) + "\">" + esc(label.empty() ? v : label) + "</span>";
}
}  // namespace

const nlohmann::json& studies_of(const nlohmann::json& report) { return array_of(report, "studies"); }

std::vector<StudyCheckRow> study_check_rows(const nlohmann::json& report) {
  std::vector<StudyCheckRow> rows;
  for (const auto& s : studies_of(report)) {
    if (!s.is_object()) continue;
    const auto& checks = array_of(s, "checks");
    double seconds = 0;
    number_of(s, "seconds", seconds);
    const std::string error = text_of(s, "error");
    if (!error.empty())
      rows.push_back({text_of(s, "suite"), text_of(s, "label"), "error", "error", error, "study " + text_of(s, "id") + ": " + error,
                      seconds});
    for (const auto& c : checks) {
      StudyCheckRow r{text_of(s, "suite"), text_of(s, "label"), text_of(c, "name"), verdict_of(c), text_of(c, "message"), "", 0};
      r.details = "study " + text_of(s, "id") + ": " + heading(s) + "\ntarget " + text_of(s, "target") + "\nlhs = " +
                  text_of(c, "lhs_str") + "\nrhs = " + text_of(c, "rhs_str") + "\nresidual = " + number_text(c, "residual") +
                  ", error estimate = " + number_text(c, "error_estimate") + " (" + text_of(c, "enclosure") + ")";
      r.seconds = checks.empty() ? 0 : seconds / static_cast<double>(checks.size());
      r.estimated = is_estimated(c);
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

std::vector<std::array<std::string, 5>> study_terminal_rows(const nlohmann::json& report) {
  std::vector<std::array<std::string, 5>> rows;
  for (const auto& s : studies_of(report)) {
    if (!s.is_object()) continue;
    const std::string error = text_of(s, "error");
    if (!error.empty()) rows.push_back({text_of(s, "label"), "-", "error", "", error});
    for (const auto& c : array_of(s, "checks"))
      rows.push_back({text_of(s, "label"), text_of(c, "name"), verdict_label(c), number_text(c, "residual"),
                      number_text(c, "error_estimate")});
  }
  return rows;
}

std::string studies_markdown(const nlohmann::json& report) {
  const auto& studies = studies_of(report);
  if (studies.empty()) return "";
  std::string out = "\n## Studies\n\nIdentity checks pass when |lhs − rhs| ≤ the combined error estimate (estimated, not certified).\n";
  for (const auto& s : studies) {
    if (!s.is_object()) continue;
    out += "\n### " + md(heading(s)) + "\n\nTarget: " + md(text_of(s, "target")) + "\n";
    const std::string error = text_of(s, "error");
    if (!error.empty()) out += "\n💥 error: " + md(error) + "\n";
    const auto& checks = array_of(s, "checks");
    if (!checks.empty()) {
      out += "\n| Check | lhs | rhs | residual | error estimate | Verdict |\n|---|---:|---:|---:|---:|---|\n";
      std::size_t n = 0;
      for (const auto& c : checks) {
        if (n++ == max_rows) {
          out += "\n_" + std::to_string(checks.size() - max_rows) + " more checks in report.json._\n";
          break;
        }
        out += "| " + md(text_of(c, "name")) + " | " + number_text(c, "lhs") + " | " + number_text(c, "rhs") + " | " +
               number_text(c, "residual") + " | " + number_text(c, "error_estimate") + " | " + md_verdict(c) + " |\n";
      }
    }
    const auto& table = s.contains("table") ? s.at("table") : nlohmann::json::object();
    const auto& columns = array_of(table, "columns");
    const auto& rows = array_of(table, "rows");
    if (!columns.empty() && !rows.empty()) {
      out += "\n|";
      for (const auto& c : columns) out += " " + md(value_text(c)) + " |";
      out += "\n|";
      for (std::size_t i = 0; i < columns.size(); ++i) out += "---|";
      out += "\n";
      std::size_t n = 0;
      for (const auto& r : rows) {
        if (n++ == max_rows) {
          out += "\n_" + std::to_string(rows.size() - max_rows) + " more rows in report.json._\n";
          break;
        }
        out += "|";
        if (r.is_array())
          for (const auto& v : r) out += " " + md(value_text(v)) + " |";
        out += "\n";
      }
    }
  }
  return out;
}

std::string studies_html(const nlohmann::json& report) {
  const auto& studies = studies_of(report);
  if (studies.empty()) return "";
  std::string out = "<section id=\"studies\">\n<h2>Studies</h2>\n<p>Identity checks pass when |lhs &minus; rhs| &le; the "
                    "combined error estimate (estimated, not certified).</p>\n";
  for (const auto& s : studies) {
    if (!s.is_object()) continue;
    out += "<h3>" + esc(heading(s)) + "</h3>\n<p>Target: " + esc(text_of(s, "target")) + "</p>\n";
    const std::string error = text_of(s, "error");
    if (!error.empty()) out += "<p>" + html_verdict("error") + " " + esc(error) + "</p>\n";
    const auto& checks = array_of(s, "checks");
    if (!checks.empty()) {
      out += "<div class=\"scroll\"><table>\n<tr><th>Check</th><th>lhs</th><th>rhs</th><th>Residual</th><th>Error estimate</th>"
             "<th>Verdict</th></tr>\n";
      std::size_t n = 0;
      for (const auto& c : checks) {
        if (n++ == max_rows) break;
        out += "<tr><td>" + esc(text_of(c, "name")) + "</td><td class=\"num\" title=\"" + esc(text_of(c, "lhs_str")) + "\">" +
               esc(number_text(c, "lhs")) + "</td><td class=\"num\" title=\"" + esc(text_of(c, "rhs_str")) + "\">" +
               esc(number_text(c, "rhs")) + "</td><td class=\"num\">" + esc(number_text(c, "residual")) +
               "</td><td class=\"num\">" + esc(number_text(c, "error_estimate")) + "</td><td>" +
               html_verdict(verdict_of(c), verdict_label(c)) + "</td></tr>\n";
      }
      out += "</table></div>\n";
    }
    const auto& table = s.contains("table") ? s.at("table") : nlohmann::json::object();
    const auto& columns = array_of(table, "columns");
    const auto& rows = array_of(table, "rows");
    if (!columns.empty() && !rows.empty()) {
      out += "<div class=\"scroll\"><table class=\"data\">\n<tr>";
      for (const auto& c : columns) out += "<th>" + esc(value_text(c)) + "</th>";
      out += "</tr>\n";
      std::size_t n = 0;
      for (const auto& r : rows) {
        if (n++ == max_rows) break;
        out += "<tr>";
        if (r.is_array())
          for (const auto& v : r) out += std::string("<td") + (v.is_number() ? " class=\"num\"" : "") + ">" + esc(value_text(v)) + "</td>";
        out += "</tr>\n";
      }
      out += "</table></div>\n";
    }
  }
  return out + "</section>\n";
}

}  // namespace diffbound
