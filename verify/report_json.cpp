#include "verify/report_json.hpp"

#include "verify/exact_json.hpp"
#include "verify/number_text.hpp"

#include <set>

namespace diffbound {

nlohmann::json report_header(const std::vector<Suite>& suites, const BoundRegistry& registry,
                             const std::vector<const SuiteCase*>& cases, int jobs) {
  nlohmann::json report;
  report["format"] = "diffbound-report/1";
  report["diffbound"] = build_json();
  report["started"] = now_iso();
  report["jobs"] = jobs;
  report["suites"] = nlohmann::json::array();
  for (const auto& s : suites) report["suites"].push_back({{"name", s.name}, {"description", s.description}, {"file", s.file}});
  report["bounds"] = nlohmann::json::array();
  std::set<std::string> used;
  for (const auto* c : cases) used.insert(c->checks.begin(), c->checks.end());
  for (const auto& b : registry.all()) {
    if (!used.count(b->id())) continue;
    const auto& i = b->info();
    report["bounds"].push_back({{"id", i.id}, {"kind", to_string(i.kind)}, {"metric", to_string(i.metric)},
                                {"measured", to_string(i.measured)}, {"citation", i.citation}, {"provenance", to_string(i.provenance)},
                                {"assumptions", i.assumptions()}, {"description", i.description}, {"formula", i.formula},
                                {"shape", i.shape.empty() ? nlohmann::json(nullptr) : nlohmann::json(i.shape)}});
  }
  return report;
}

nlohmann::json check_json(const CheckOutcome& ch, const Bound& b, const Expectation& expected) {
  nlohmann::json j;
  j["bound"] = ch.bound;
  j["kind"] = to_string(b.info().kind);
  j["metric"] = to_string(b.info().metric);
  j["provenance"] = to_string(b.info().provenance);
  j["verdict"] = to_string(ch.verdict);
  j["expected"] = expected.to_json();
  const Enclosure& m = ch.measured;
  j["measured"] = {{"name", to_string(ch.measured_kind)}, {"value", number_or_null(m.value)}, {"lo", number_or_null(m.lo)},
                   {"hi", number_or_null(m.hi)}, {"value_str", m.value_str}, {"lo_str", m.lo_str}, {"hi_str", m.hi_str},
                   {"finite", m.finite}};
  j["bound_value"] = enclosure_brief(ch.bound_value);
  const bool finite = ch.bound_value.finite && ch.reason != Reason::not_applicable;
  j["slack"] = finite ? number_or_null(ch.bound_value.value - m.value) : nlohmann::json(nullptr);
  j["ratio"] = finite && ch.bound_value.value != 0 ? number_or_null(m.value / ch.bound_value.value) : nlohmann::json(nullptr);
  j["reason"] = to_string(ch.reason);
  j["message"] = ch.message;
  // report.json says "none" for a bare point value: no enclosure at all (docs/report-format.md)
  j["enclosure"] = ch.enclosure == EnclosureKind::point ? "none" : to_string(ch.enclosure);
  return j;
}

nlohmann::json case_entry(const SuiteCase& sc, const CaseResult& r, const std::string& suite_file, const BoundRegistry& registry,
                          const Baseline* baseline, std::size_t index, RunSummary& summary) {
  nlohmann::json c;
  c["id"] = sc.id;
  c["suite"] = sc.suite;
  c["index"] = sc.index;
  c["label"] = sc.label;
  c["params"] = sc.params;
  // the block's swept keys with this case's values (CSV columns); strings without describe()'s quotes
  c["swept"] = nlohmann::json::object();
  for (const auto& [k, v] : sc.swept)
    c["swept"][k] = v.size() >= 2 && v.front() == '"' && v.back() == '"' ? v.substr(1, v.size() - 2) : v;
  // where the case was written: CI annotations point at the [[case]] block
  c["source"] = {{"file", suite_file}, {"line", sc.line > 0 ? nlohmann::json(sc.line) : nlohmann::json(nullptr)}};
  c["case"] = case_json(sc.spec);
  // the error names the suite file and the case, so it stands on its own in any rendering
  c["error"] = r.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(suite_file + ": case " + sc.id + " (" + sc.label + "): " + r.error);
  if (!r.error_field.empty()) c["error_field"] = r.error_field;
  c["checks"] = nlohmann::json::array();
  if (r.error.empty()) {
    auto e = exact_json(r.computed, r.exact);
    e.erase("case");
    e.erase("diffbound");
    c["exact"] = e;
  } else {
    c["exact"] = nullptr;
    ++summary.errors;  // a case that could not be computed fails the run
  }
  for (const auto& ch : r.checks) {
    if (ch.rate) continue;  // judged over the sweep (verify/rate_claims.hpp)
    const Expectation e = sc.expectation(ch.bound, ch.verdict);
    c["checks"].push_back(check_json(ch, registry.at(ch.bound), e));
    summary.count(ch.verdict, e);
  }
  if (baseline && r.error.empty()) {
    const Baseline::Outcome o = baseline->check(index, c["exact"]);
    c["checks"].push_back({{"bound", "baseline"}, {"kind", "regression"}, {"metric", "KL"}, {"measured", {{"name", "kl"}}},
                           {"bound_value", nullptr}, {"slack", nullptr}, {"ratio", nullptr}, {"verdict", to_string(o.verdict)},
                           {"reason", to_string(o.reason)}, {"message", o.message}, {"expected", nullptr}});
    summary.count(o.verdict);
  }
  return c;
}

}  // namespace diffbound
