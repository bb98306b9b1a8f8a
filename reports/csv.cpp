#include "reports/csv.hpp"

#include "reports/escape.hpp"
#include "reports/report_view.hpp"

#include <set>

namespace diffbound {

namespace {
const nlohmann::json& member(const nlohmann::json& obj, std::string_view key) {
  static const nlohmann::json none = nlohmann::json::object();
  if (!obj.is_object()) return none;
  const auto it = obj.find(std::string(key));
  return it == obj.end() || !it->is_object() ? none : *it;
}

void add_row(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
  out += "\r\n";
}

// value, lo, hi of an enclosure object as exact decimal texts.
void add_enclosure(std::vector<std::string>& row, const nlohmann::json& e) {
  for (const char* k : {"value", "lo", "hi"}) row.push_back(exact_text(e, k));
}
}  // namespace

std::string csv_field(std::string_view text) {
  // control characters other than CR, LF and tab would corrupt a spreadsheet import; invalid UTF-8 too
  std::string clean;
  for (std::size_t start = 0;;) {
    const std::size_t cr = text.find('\r', start);
    clean += sanitize_utf8(text.substr(start, cr == std::string_view::npos ? std::string_view::npos : cr - start));
    if (cr == std::string_view::npos) break;
    clean += '\r';
    start = cr + 1;
  }
  if (clean.find_first_of(",\"\r\n") == std::string::npos) return clean;
  std::string out = "\"";
  for (char ch : clean) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

std::vector<std::string> swept_keys(const nlohmann::json& report) {
  std::vector<std::string> keys;
  std::set<std::string> seen;
  for (const auto& c : report.at("cases"))
    for (const auto& [k, v] : member(c, "swept").items())
      if (seen.insert(k).second) keys.push_back(k);
  return keys;
}

std::string exact_text(const nlohmann::json& obj, std::string_view key) {
  const std::string companion = text_of(obj, std::string(key) + "_str");
  if (!companion.empty()) return companion;
  if (obj.is_object()) {
    const auto it = obj.find(std::string(key));
    if (it != obj.end() && it->is_number()) return it->dump();  // shortest text that reads back the same double
  }
  const auto& finite = obj.is_object() && obj.contains("finite") ? obj.at("finite") : nlohmann::json();
  return finite.is_boolean() && !finite.get<bool>() ? "inf" : "";
}

std::string render_csv(const nlohmann::json& report) {
  validate_report(report);
  const auto keys = swept_keys(report);
  std::vector<std::string> header = {"suite", "case", "label"};
  header.insert(header.end(), keys.begin(), keys.end());
  for (const char* h : {"error", "kl", "kl_lo", "kl_hi", "w2", "w2_lo", "w2_hi", "tv_lo", "tv_hi", "bound", "metric", "measured",
                        "measured_value", "measured_lo", "measured_hi", "bound_value", "bound_lo", "bound_hi", "verdict",
                        "expected", "reason", "provenance", "enclosure", "message"})
    header.push_back(h);
  std::string out;
  add_row(out, header);
  for (const auto& c : report.at("cases")) {
    std::vector<std::string> head = {text_of(c, "suite"), text_of(c, "id"), case_label(c)};
    const auto& swept = member(c, "swept");
    for (const auto& k : keys) head.push_back(text_of(swept, k));
    head.push_back(case_error(c));
    const auto& exact = member(c, "exact");
    add_enclosure(head, member(exact, "kl"));
    add_enclosure(head, member(exact, "w2"));
    head.push_back(exact_text(member(exact, "tv"), "lo"));
    head.push_back(exact_text(member(exact, "tv"), "hi"));
    const auto& checks = checks_of(c);
    if (checks.empty()) {
      head.resize(header.size());
      add_row(out, head);
    }
    for (const auto& check : checks) {
      std::vector<std::string> row = head;
      row.push_back(text_of(check, "bound"));
      row.push_back(text_of(check, "metric"));
      const auto& measured = member(check, "measured");
      row.push_back(text_of(measured, "name"));
      add_enclosure(row, measured);
      add_enclosure(row, member(check, "bound_value"));
      row.push_back(verdict_of(check));
      row.push_back(has_expectation(check) ? text_of(check.at("expected"), "verdict") : "");
      row.push_back(text_of(check, "reason"));
      row.push_back(text_of(check, "provenance"));
      row.push_back(text_of(check, "enclosure"));
      row.push_back(check_message(c, check));
      add_row(out, row);
    }
  }
  return out;
}

}  // namespace diffbound
