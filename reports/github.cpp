#include "reports/github.hpp"

#include "reports/escape.hpp"
#include "reports/report_view.hpp"

#include <map>
#include <vector>

namespace diffbound {

namespace {
struct Annotation {
  const nlohmann::json* source = nullptr;  // the case's {"file", "line"}, or null
  std::string title, message;
};

std::string command(const Annotation& a) {
  std::string props;
  if (a.source != nullptr && a.source->is_object()) {
    const std::string file = text_of(*a.source, "file");
    if (!file.empty()) props += "file=" + github_escape_property(file);
    const auto line = a.source->find("line");
    if (!file.empty() && line != a.source->end() && line->is_number_integer()) props += ",line=" + line->dump();
  }
  props += std::string(props.empty() ? "" : ",") + "title=" + github_escape_property(a.title);
  return "::error " + props + "::" + github_escape_data(a.message) + "\n";
}

const nlohmann::json* source_of(const nlohmann::json& c) {
  const auto it = c.find("source");
  return it == c.end() ? nullptr : &*it;
}
}  // namespace

std::string github_escape_data(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == '%') out += "%25";
    else if (ch == '\r') out += "%0D";
    else if (ch == '\n') out += "%0A";
    else out += ch;
  }
  return sanitize_utf8(out);  // no line breaks are left; other control characters and bad UTF-8 become U+FFFD
}

std::string github_escape_property(std::string_view text) {
  std::string out;
  for (char ch : github_escape_data(text)) {
    if (ch == ':') out += "%3A";
    else if (ch == ',') out += "%2C";
    else out += ch;
  }
  return out;
}

std::string render_github_annotations(const nlohmann::json& report, std::size_t max) {
  validate_report(report);
  std::vector<Annotation> all;
  std::map<std::string, const nlohmann::json*> case_by_id;
  for (const auto& c : report.at("cases")) {
    case_by_id[text_of(c, "id")] = &c;
    const std::string where = text_of(c, "id") + " (" + case_label(c) + ")";
    const std::string error = case_error(c);
    if (!error.empty()) {
      all.push_back({source_of(c), "diffbound: case error", where + ": " + error});
      continue;
    }
    for (const auto& check : checks_of(c))
      if (is_failure(check))
        all.push_back({source_of(c), "diffbound: " + text_of(check, "bound") + " " + verdict_label(check),
                       where + ": " + text_of(check, "bound") + " " + verdict_label(check) + ": " + check_message(c, check)});
  }
  for (const auto& r : report.at("rates")) {
    if (!is_failure(r)) continue;
    const nlohmann::json* source = nullptr;
    if (r.contains("points") && r.at("points").is_array() && !r.at("points").empty()) {
      const auto it = case_by_id.find(text_of(r.at("points").at(0), "case"));
      if (it != case_by_id.end()) source = source_of(*it->second);
    }
    all.push_back({source, "diffbound: rate claim " + text_of(r, "bound") + " " + verdict_label(r),
                   text_of(r, "id") + " (" + text_of(r, "group") + "): " + text_of(r, "message")});
  }
  std::string out;
  for (std::size_t i = 0; i < all.size() && i < max; ++i) out += command(all[i]);
  if (all.size() > max)
    out += "::notice::" + github_escape_data(std::to_string(all.size() - max) + " more failing checks not annotated; see report.md") + "\n";
  return out;
}

}  // namespace diffbound
