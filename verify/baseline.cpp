#include "verify/baseline.hpp"

#include "numerics/input_error.hpp"
#include "numerics/real.hpp"
#include "verify/exact_json.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>

namespace diffbound {

// The canonical text of a decimal number: "10", "10.0", "1e1", "+1.00E+01" -> "1e1"; "0", "-0.0" -> "0";
// "" when the text is not a finite decimal number ("nan", "inf", words).
std::string canonical_decimal(std::string_view t) {
  std::size_t i = 0;
  bool negative = false;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) negative = t[i++] == '-';
  std::string digits;
  long exponent = 0;
  bool dot = false;
  for (; i < t.size(); ++i) {
    if (t[i] >= '0' && t[i] <= '9') {
      digits += t[i];
      if (dot) --exponent;
    } else if (t[i] == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (digits.empty()) return "";
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) eneg = t[i++] == '-';
    if (i == t.size()) return "";
    long e = 0;
    for (; i < t.size(); ++i) {
      if (t[i] < '0' || t[i] > '9' || e > 100000000) return "";
      e = 10 * e + (t[i] - '0');
    }
    exponent += eneg ? -e : e;
  }
  if (i != t.size()) return "";
  const auto first = digits.find_first_not_of('0');
  if (first == std::string::npos) return "0";
  digits.erase(0, first);
  const auto last = digits.find_last_not_of('0');
  exponent += static_cast<long>(digits.size() - 1 - last);
  digits.erase(last + 1);
  return (negative ? "-" : "") + digits + "e" + std::to_string(exponent);
}

namespace {

// An entry is keyed by the case's content alone: the case JSON of report.json (target, schedule, sampler,
// score, numerics, problem) with every number in a canonical decimal form, so `kappa = 10`, `10.0` and
// `1e1` are one key. The suite's name, the case's index and its label are not part of the key: renaming
// a suite or reordering its blocks keeps the regression check; identical cases share one entry.
constexpr const char* baseline_format = "diffbound-baseline/2";
constexpr const char* baseline_format_v1 = "diffbound-baseline/1";  // keys "suite|case JSON"; still read

// A case JSON with every number (JSON numbers and decimal texts alike) in canonical decimal form.
nlohmann::json canonical_case(const nlohmann::json& j) {
  if (j.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : j.items()) out[k] = canonical_case(v);
    return out;
  }
  if (j.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : j) out.push_back(canonical_case(v));
    return out;
  }
  if (j.is_number()) {
    const std::string c = canonical_decimal(j.dump());
    return c.empty() ? j : nlohmann::json(c);
  }
  if (j.is_string()) {
    const std::string c = canonical_decimal(j.get<std::string>());
    return c.empty() ? j : nlohmann::json(c);
  }
  return j;
}


// The stored quantities of an entry; D_T and B_T may be null (samplers without the decomposition).
constexpr std::pair<const char*, bool> baseline_quantities[] = {
    {"kl", false}, {"E_T", false}, {"D_T", true}, {"B_T", true}, {"kl_q0_gamma", false}};

// A stored enclosure must be a finite decimal interval lo <= hi (or "finite": false); anything else
// (nan, inf, a word, a number instead of text, lo > hi) would make the comparison meaningless.
void validate_stored(const nlohmann::json& q, const std::string& field, bool nullable) {
  if (q.is_null()) {
    if (nullable) return;
    throw InputError(field, "null", "expected a stored enclosure {finite, lo_str, hi_str}");
  }
  if (!q.is_object()) throw InputError(field, q.dump(), "expected a stored enclosure {finite, lo_str, hi_str}");
  if (!q.contains("finite") || !q["finite"].is_boolean())
    throw InputError(field + ".finite", q.contains("finite") ? q["finite"].dump() : "(missing)", "expected true or false");
  for (const char* end : {"lo_str", "hi_str"})
    if (!q.contains(end) || !q[end].is_string())
      throw InputError(field + "." + end, q.contains(end) ? q[end].dump() : "(missing)", "expected a decimal number as text");
  if (!q["finite"].get<bool>()) return;
  const std::string lo = q["lo_str"].get<std::string>(), hi = q["hi_str"].get<std::string>();
  if (canonical_decimal(lo).empty()) throw InputError(field + ".lo_str", lo, "not a finite decimal number");
  if (canonical_decimal(hi).empty()) throw InputError(field + ".hi_str", hi, "not a finite decimal number");
  PrecisionScope p(static_cast<unsigned>(std::max<std::size_t>(30, std::max(lo.size(), hi.size()) + 10)));
  if (mpfr_real(lo) > mpfr_real(hi)) throw InputError(field, "[" + lo + ", " + hi + "]", "the lower end exceeds the upper end");
}

// Reads and validates a baseline file; returns its entries by canonical key. Every error names the
// file and the field; nothing is computed before this passes.
std::map<std::string, nlohmann::json> read_baseline(const std::string& path) {
  nlohmann::json baseline;
  std::ifstream in(path);
  if (!in) throw InputError("--baseline", path, "cannot be opened");
  try {
    in >> baseline;
  } catch (const std::exception& e) {
    throw InputError("--baseline", path, std::string("not valid JSON: ") + e.what());
  }
  if (!baseline.is_object()) throw InputError("--baseline", path, "not a diffbound baseline (expected a JSON object)");
  const std::string format = baseline.contains("format") && baseline["format"].is_string() ? baseline["format"].get<std::string>() : "";
  if (format != baseline_format && format != baseline_format_v1)
    throw InputError(path + ": format", format.empty() ? "(missing)" : format,
                     std::string("not a diffbound baseline (expected \"") + baseline_format + "\" or \"" + baseline_format_v1 + "\")");
  if (!baseline.contains("cases") || !baseline["cases"].is_object())
    throw InputError(path + ": cases", baseline.contains("cases") ? baseline["cases"].type_name() : "(missing)",
                     "expected an object of stored cases");
  std::map<std::string, nlohmann::json> entries;
  std::size_t n = 0;
  for (const auto& [stored_key, entry] : baseline["cases"].items()) {
    // named by the stored id when there is one, else by position
    std::string name = "#" + std::to_string(n++);
    if (entry.is_object() && entry.contains("id") && entry["id"].is_string()) name = entry["id"].get<std::string>();
    const std::string where = path + ": cases[" + nlohmann::json(name).dump() + "]";
    if (!entry.is_object()) throw InputError(where, entry.dump(), "expected an object with the stored enclosures");
    for (const auto& [q, nullable] : baseline_quantities) {
      if (!entry.contains(q)) throw InputError(where + "." + q, "(missing)", "every entry stores kl, E_T, D_T, B_T and kl_q0_gamma");
      validate_stored(entry[q], where + "." + q, nullable);
    }
    std::string key = stored_key;
    if (format == baseline_format_v1) {
      // v1 keyed "suite|<case JSON as written>": re-key on the case's content
      const auto bar = stored_key.find("|{");
      nlohmann::json content;
      try {
        if (bar == std::string::npos) throw std::runtime_error("no \"|{\"");
        content = nlohmann::json::parse(stored_key.substr(bar + 1));
      } catch (const std::exception&) {
        throw InputError(where + " (key)", stored_key.substr(0, 80), "a diffbound-baseline/1 key is \"<suite>|<case JSON>\"");
      }
      key = baseline_key(content);
    } else {
      nlohmann::json content;
      try {
        content = nlohmann::json::parse(stored_key);
        if (!content.is_object()) throw std::runtime_error("not an object");
      } catch (const std::exception&) {
        throw InputError(where + " (key)", stored_key.substr(0, 80), "a diffbound-baseline/2 key is the case's canonical JSON");
      }
      key = baseline_key(content);  // a hand-edited key ("10" for "1e1") still matches
    }
    entries.emplace(key, entry);
  }
  return entries;
}

// Compares the stored enclosure with the new one: they must overlap (certified or estimated).
std::string regression_of(const nlohmann::json& stored, const nlohmann::json& now, const std::string& name) {
  if (stored.is_null() || now.is_null()) return stored.is_null() == now.is_null() ? "" : name + " appeared or disappeared";
  if (stored["finite"] != now["finite"]) return name + " changed finiteness";
  if (!now["finite"].get<bool>()) return "";
  std::size_t longest = 0;
  for (const auto* q : {&stored, &now})
    for (const char* end : {"lo_str", "hi_str"}) longest = std::max(longest, (*q)[end].get<std::string>().size());
  PrecisionScope p(static_cast<unsigned>(std::max<std::size_t>(30, longest + 10)));  // every stored digit counts
  const mpfr_real slo(stored["lo_str"].get<std::string>()), shi(stored["hi_str"].get<std::string>());
  const mpfr_real nlo(now["lo_str"].get<std::string>()), nhi(now["hi_str"].get<std::string>());
  if (nhi < slo || nlo > shi)
    return name + " = [" + now["lo_str"].get<std::string>() + ", " + now["hi_str"].get<std::string>() +
           "] does not overlap the baseline [" + stored["lo_str"].get<std::string>() + ", " + stored["hi_str"].get<std::string>() + "]";
  return "";
}

}  // namespace

std::string baseline_key(const nlohmann::json& case_content) { return canonical_case(case_content).dump(); }

nlohmann::json baseline_of(const nlohmann::json& report) {
  nlohmann::json b;
  b["format"] = baseline_format;
  b["diffbound"] = report["diffbound"];
  b["cases"] = nlohmann::json::object();
  for (const auto& c : report["cases"]) {
    if (c["exact"].is_null()) continue;
    const auto& e = c["exact"];
    b["cases"][baseline_key(c["case"])] = {{"id", c["id"]}, {"suite", c["suite"]}, {"kl", e["kl"]}, {"E_T", e["decomposition"]["E_T"]},
                                   {"D_T", e["decomposition"]["D_T"]}, {"B_T", e["decomposition"]["B_T"]},
                                   {"kl_q0_gamma", e["kl_q0_gamma"]}};
  }
  return b;
}

Baseline::Baseline(const std::string& path, const std::vector<const SuiteCase*>& cases) : path_(path), keys_(cases.size()) {
  entries_ = read_baseline(path);
  std::size_t matched = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    keys_[i] = baseline_key(case_json(cases[i]->spec));
    matched += entries_.count(keys_[i]);
  }
  const std::size_t unmatched = cases.size() - matched;
  if (!cases.empty() && matched == 0)
    throw InputError("--baseline", path,
                     "none of the " + std::to_string(cases.size()) +
                         " cases of this run has an entry in it (entries are keyed by the case's content: target, schedule, "
                         "sampler, score, numerics, problem; is it the baseline of other suites?)");
  summary_ = {{"file", path}, {"cases", cases.size()}, {"matched", matched}, {"unmatched", unmatched}, {"warning", nullptr}};
  if (2 * unmatched > cases.size()) {
    const std::string warning = std::to_string(unmatched) + " of " + std::to_string(cases.size()) + " cases found no match in the baseline " +
                                path + ": the regression check is mostly off (the run fails; write a new baseline " +
                                "with --write-baseline if the cases changed on purpose)";
    summary_["warning"] = warning;
    std::fprintf(stderr, "diffbound: warning: %s\n", warning.c_str());
  }
}

Baseline::Outcome Baseline::check(std::size_t i, const nlohmann::json& e) const {
  const auto it = entries_.find(keys_.at(i));
  if (it == entries_.end()) return {Verdict::inconclusive, Reason::no_baseline, "no stored value for this case in " + path_};
  const auto& s = it->second;
  std::string msg;
  for (auto [name, now] : {std::pair<std::string, nlohmann::json>{"kl", e["kl"]}, {"E_T", e["decomposition"]["E_T"]},
                           {"D_T", e["decomposition"]["D_T"]}, {"B_T", e["decomposition"]["B_T"]}, {"kl_q0_gamma", e["kl_q0_gamma"]}}) {
    std::string m = regression_of(s[name], now, name);
    if (!m.empty()) msg += (msg.empty() ? "" : "; ") + m;
  }
  if (msg.empty()) return {Verdict::pass, Reason::none, "matches the baseline"};
  return {Verdict::fail, Reason::regression, msg};
}

}  // namespace diffbound
