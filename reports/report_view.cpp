#include "reports/report_view.hpp"

#include "numerics/input_error.hpp"
#include "reports/studies.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace diffbound {

namespace {
const nlohmann::json* field(const nlohmann::json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  const auto it = obj.find(std::string(key));
  return it == obj.end() ? nullptr : &*it;
}

std::string type_text(const nlohmann::json* v) { return v == nullptr ? "(missing)" : std::string(v->type_name()); }
}  // namespace

void validate_report(const nlohmann::json& report) {
  if (!report.is_object()) throw InputError("report", report.type_name(), "expected a JSON object (a diffbound report.json)");
  const auto* format = field(report, "format");
  if (format == nullptr || !format->is_string())
    throw InputError("format", type_text(format), "not a diffbound report: expected \"format\": \"diffbound-report/1\"");
  if (format->get<std::string>() != report_format_id)
    throw InputError("format", format->dump(), "unsupported report format: expected \"diffbound-report/1\"");
  const auto* summary = field(report, "summary");
  if (summary == nullptr || !summary->is_object()) throw InputError("summary", type_text(summary), "expected an object");
  for (const char* key : {"suites", "cases", "rates", "plots", "bounds"}) {
    const auto* v = field(report, key);
    if (v == nullptr || !v->is_array()) throw InputError(key, type_text(v), "expected an array");
    for (const auto& e : *v)
      if (!e.is_object()) throw InputError(std::string(key) + "[]", e.dump(), "expected an object");
  }
  // optional (reports before studies existed have none)
  if (const auto* studies = field(report, "studies")) {
    if (!studies->is_array()) throw InputError("studies", type_text(studies), "expected an array");
    for (const auto& e : *studies)
      if (!e.is_object()) throw InputError("studies[]", e.dump(), "expected an object");
  }
}

namespace {
// %g with `digits` significant digits, exponents without padding: 1e-03 -> 1e-3, 2.5e+10 -> 2.5e10.
std::string general_text(long double v, int digits) {
  if (v == 0) return "0";  // also -0: a sign on zero carries no information here
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*Lg", digits, v);
  std::string s = buf;
  // %g pads exponents to two digits and writes '+'; 1e-03 -> 1e-3, 2.5e+10 -> 2.5e10.
  const auto e = s.find('e');
  if (e != std::string::npos) {
    std::string mantissa = s.substr(0, e), exponent = s.substr(e + 1);
    std::string sign;
    if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-')) {
      if (exponent[0] == '-') sign = "-";
      exponent.erase(0, 1);
    }
    while (exponent.size() > 1 && exponent[0] == '0') exponent.erase(0, 1);
    s = mantissa + "e" + sign + exponent;
  }
  return s;
}
}  // namespace

std::string format_number(double v) { return format_number(v, 4); }

std::string format_number(double v, int digits) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return general_text(v, digits);
}

std::string format_decimal_text(const std::string& text) {
  // long double reaches 1e4932: enough for a bound beyond the double range; beyond that, the text as is
  char* end = nullptr;
  const long double v = std::strtold(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v)) return text;
  return general_text(v, 4);
}

std::pair<std::string, std::string> distinct_number_texts(double a, double b) {
  for (int digits = 4; digits <= 17; ++digits) {
    std::string x = format_number(a, digits), y = format_number(b, digits);
    if (x != y || digits == 17) return {x, y};
  }
  return {format_number(a), format_number(b)};
}

bool number_of(const nlohmann::json& obj, std::string_view key, double& out) {
  const auto* v = field(obj, key);
  if (v == nullptr || !v->is_number()) return false;
  out = v->get<double>();
  return true;
}

std::string text_of(const nlohmann::json& obj, std::string_view key) {
  const auto* v = field(obj, key);
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number_integer()) return v->dump();
  if (v->is_number()) return format_number(v->get<double>());
  if (v->is_boolean()) return v->get<bool>() ? "true" : "false";
  return v->dump();
}

std::string number_text(const nlohmann::json& obj, std::string_view key) {
  const auto* v = field(obj, key);
  if (v != nullptr && v->is_number()) return v->is_number_integer() ? v->dump() : format_number(v->get<double>());
  // a finite number beyond the double range is null in JSON; its decimal text is the number
  const std::string companion = text_of(obj, std::string(key) + "_str");
  if (!companion.empty()) return format_decimal_text(companion);
  const auto* finite = field(obj, "finite");
  if (finite != nullptr && finite->is_boolean() && !finite->get<bool>()) return "inf";
  return "n/a";
}

std::string verdict_of(const nlohmann::json& check) { return text_of(check, "verdict"); }

bool is_estimated(const nlohmann::json& check) { return text_of(check, "enclosure") == "estimated"; }

std::string verdict_label(const nlohmann::json& check) {
  const std::string v = verdict_of(check);
  return (is_estimated(check) && (v == "pass" || v == "fail") ? v + " (estimated)" : v) + expectation_suffix(check);
}

bool has_expectation(const nlohmann::json& check) {
  const auto* e = field(check, "expected");
  return e != nullptr && e->is_object();
}

bool expectation_met(const nlohmann::json& check) {
  const auto* e = field(check, "expected");
  return e != nullptr && e->is_object() && e->contains("met") && (*e)["met"].is_boolean() && (*e)["met"].get<bool>();
}

std::string expectation_suffix(const nlohmann::json& check) {
  if (!has_expectation(check)) return "";
  if (expectation_met(check)) return " (expected)";
  const auto& e = check.at("expected");
  return " (" + text_of(e, "reason") + ": expected " + text_of(e, "verdict") + ")";
}

bool is_failure(const nlohmann::json& check) {
  if (has_expectation(check)) return !expectation_met(check);
  return verdict_of(check) == "fail";
}

std::string plural(std::size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string baseline_warning(const nlohmann::json& report) {
  const auto* summary = field(report, "summary");
  if (summary == nullptr) return "";
  const auto* baseline = field(*summary, "baseline");
  return baseline == nullptr ? "" : text_of(*baseline, "warning");
}

std::string case_error(const nlohmann::json& c) { return text_of(c, "error"); }

const nlohmann::json& checks_of(const nlohmann::json& c) {
  static const nlohmann::json empty = nlohmann::json::array();
  const auto* v = field(c, "checks");
  return v != nullptr && v->is_array() ? *v : empty;
}

std::string params_text(const nlohmann::json& c) {
  const auto* params = field(c, "params");
  if (params == nullptr || !params->is_object()) return "";
  std::string out;
  const auto append = [&](const std::string& key, const nlohmann::json& v) {
    if (!out.empty()) out += ", ";
    out += key + " = " + (v.is_string() ? v.get<std::string>() : text_of(*params, key));
  };
  for (const char* key : {"d", "T", "kappa"})
    if (const auto* v = field(*params, key)) append(key, *v);
  for (const auto& [key, v] : params->items())
    if (key != "d" && key != "T" && key != "kappa") append(key, v);
  return out;
}

std::string check_message(const nlohmann::json& c, const nlohmann::json& check) {
  std::string message = text_of(check, "message");
  if (!message.empty()) return message;
  const std::string metric = text_of(check, "metric").empty() ? "value" : text_of(check, "metric");
  const auto* measured = field(check, "measured");
  const auto* bound = field(check, "bound_value");
  const nlohmann::json none = nlohmann::json::object();
  const auto& m = measured != nullptr ? *measured : none;
  const auto& b = bound != nullptr ? *bound : none;
  const std::string verdict = verdict_of(check);
  if (verdict == "inconclusive") {
    message = metric + " in [" + number_text(m, "lo") + ", " + number_text(m, "hi") + "] overlaps bound in [" +
              number_text(b, "lo") + ", " + number_text(b, "hi") + "]";
  } else {
    message = metric + " = " + number_text(m, "value") + (verdict == "fail" ? " > " : " <= ") + "bound = " +
              number_text(b, "value");
  }
  const std::string params = params_text(c);
  if (!params.empty()) message += " at " + params;
  return message;
}

std::string case_label(const nlohmann::json& c) {
  std::string label = text_of(c, "label");
  return label.empty() ? text_of(c, "id") : label;
}

std::string duration_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "n/a";
  char buf[64];
  if (seconds < 1) std::snprintf(buf, sizeof buf, "%.3g s", seconds);
  else if (seconds < 120) std::snprintf(buf, sizeof buf, "%.1f s", seconds);
  else if (seconds < 2 * 3600) std::snprintf(buf, sizeof buf, "%d min %d s", static_cast<int>(seconds / 60), static_cast<int>(std::fmod(seconds, 60.0)));
  else if (seconds < 2 * 86400) std::snprintf(buf, sizeof buf, "%.1f h", seconds / 3600);
  else std::snprintf(buf, sizeof buf, "%.1f days", seconds / 86400);
  return buf;
}

void VerdictCounts::add(const std::string& verdict, const nlohmann::json& check) {
  if (has_expectation(check)) {
    if (!expectation_met(check)) ++unexpected;
    else if (verdict == "fail") ++expected_fail;
    else if (verdict == "inconclusive") ++expected_inconclusive;
  }
  if (verdict == "pass") ++pass;
  else if (verdict == "fail") ++fail;
  else if (verdict == "inconclusive") ++inconclusive;
  else if (verdict == "error") ++error;
  else ++other;
}

VerdictCounts count_verdicts(const nlohmann::json& report) {
  VerdictCounts n;
  for (const auto& c : report.at("cases")) {
    const bool failed = !case_error(c).empty();
    const auto& checks = checks_of(c);
    if (failed && checks.empty()) n.add("error");
    for (const auto& check : checks) n.add(failed ? "error" : verdict_of(check), failed ? nlohmann::json() : check);
  }
  for (const auto& r : report.at("rates")) n.add(verdict_of(r), r);
  for (const auto& r : study_check_rows(report)) n.add(r.verdict);
  return n;
}

std::string overall_status(const nlohmann::json& report) {
  const auto n = count_verdicts(report);
  // a fail or inconclusive the suite expected does not change the status; an unexpected verdict fails it
  if (n.fail > n.expected_fail || n.unexpected > 0 || !baseline_warning(report).empty()) return "FAIL";
  if (n.error > 0) return "ERROR";
  if (n.inconclusive > n.expected_inconclusive || n.other > 0) return "INCONCLUSIVE";
  return "PASS";
}

}  // namespace diffbound
