#include "reports/junit.hpp"

#include "reports/escape.hpp"
#include "reports/report_view.hpp"
#include "reports/studies.hpp"

#include <cstdio>
#include <map>
#include <vector>

namespace diffbound {

namespace {
enum class Outcome { pass, failure, skipped, error };

struct TestCase {
  std::string name, classname, message, details;
  double seconds = 0;
  Outcome outcome = Outcome::pass;
  bool estimated = false;  // the verdict rests on estimated enclosures: a property, a note in the output
  std::vector<std::pair<std::string, std::string>> properties{};  // provenance, expected verdict
  std::string note{};  // system-out of a passing testcase (an expected fail says so here)
};

struct Suite {
  std::string name, file;
  std::vector<TestCase> cases;
  std::size_t count(Outcome o) const {
    std::size_t n = 0;
    for (const auto& t : cases) n += t.outcome == o;
    return n;
  }
  double seconds() const {
    double s = 0;
    for (const auto& t : cases) s += t.seconds;
    return s;
  }
};

std::string seconds_attr(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s >= 0 ? s : 0.0);
  return buf;
}

Outcome outcome_of(const std::string& verdict) {
  if (verdict == "pass") return Outcome::pass;
  if (verdict == "fail") return Outcome::failure;
  if (verdict == "error") return Outcome::error;
  return Outcome::skipped;  // inconclusive, or a verdict this version does not know: neither pass nor fail
}

// A check or rate claim with the suite's expectation (docs/suite-file.md, expect): an expected verdict
// that happened is a passing testcase whatever the verdict (the note says which); one that did not is a
// <failure> naming the reason.
void apply_expectation(TestCase& t, const nlohmann::json& check) {
  if (!has_expectation(check)) return;
  const auto& e = check.at("expected");
  t.properties.push_back({"expected", text_of(e, "verdict")});
  if (t.outcome == Outcome::error) return;
  if (expectation_met(check)) {
    t.note = verdict_label(check) + ": " + t.message;
    t.outcome = Outcome::pass;
  } else {
    t.message = text_of(e, "reason") + " (expected " + text_of(e, "verdict") + ", got " + verdict_of(check) + "): " + t.message;
    t.outcome = Outcome::failure;
  }
}

std::string interval_text(const nlohmann::json& q) {
  return number_text(q, "value") + " in [" + number_text(q, "lo") + ", " + number_text(q, "hi") + "]";
}

// What a CI reader shows next to a testcase (GitLab, Jenkins): the bound, its provenance, the two
// numbers compared and how far they are certified.
void add_check_properties(TestCase& t, const nlohmann::json& check) {
  const nlohmann::json none = nlohmann::json::object();
  const auto& measured = check.contains("measured") ? check.at("measured") : none;
  const auto& bound = check.contains("bound_value") ? check.at("bound_value") : none;
  t.properties.push_back({"bound", text_of(check, "bound")});
  t.properties.push_back({"provenance", text_of(check, "provenance")});
  t.properties.push_back({"measured", text_of(measured, "name") + " = " + interval_text(measured)});
  t.properties.push_back({"bound_value", interval_text(bound)});
  t.properties.push_back({"enclosure", text_of(check, "enclosure").empty() ? "none" : text_of(check, "enclosure")});
}

void add_rate_properties(TestCase& t, const nlohmann::json& r) {
  t.properties.push_back({"bound", text_of(r, "bound")});
  t.properties.push_back({"provenance", text_of(r, "provenance")});
  t.properties.push_back({"measured", text_of(r, "measured").empty() ? "kl" : text_of(r, "measured")});
  t.properties.push_back({"variable", text_of(r, "variable")});
  t.properties.push_back({"fitted_exponent", number_text(r, "fitted_exponent")});
  t.properties.push_back({"kl_exponent", number_text(r, "kl_exponent")});
  t.properties.push_back({"enclosure", text_of(r, "enclosure").empty() ? "none" : text_of(r, "enclosure")});
}

// GitLab keeps only the first of testcases that share a name: later ones get " #2", " #3", ... in
// report order (deterministic; the labels already carry every swept key, so this is rare).
void make_names_unique(std::vector<Suite>& suites) {
  std::map<std::string, int> seen;
  for (auto& s : suites)
    for (auto& t : s.cases) {
      const int n = ++seen[t.name];
      if (n > 1) {
        std::string name;
        for (int k = n;; ++k) {
          name = t.name + " #" + std::to_string(k);
          if (!seen.count(name)) break;
        }
        ++seen[name];
        t.name = name;
      }
    }
}

std::string check_details(const nlohmann::json& c, const nlohmann::json& check) {
  const nlohmann::json none = nlohmann::json::object();
  const auto& measured = check.contains("measured") ? check.at("measured") : none;
  const auto& bound = check.contains("bound_value") ? check.at("bound_value") : none;
  std::string d = "case " + text_of(c, "id") + ": " + case_label(c) + "\n";
  d += "bound " + text_of(check, "bound") + " (" + text_of(check, "kind") + ", " + text_of(check, "metric") + ")\n";
  d += "measured " + text_of(measured, "name") + " = " + interval_text(measured) + "\n";
  d += "bound value = " + interval_text(bound) + "\n";
  d += "slack = " + number_text(check, "slack") + ", ratio = " + number_text(check, "ratio");
  const std::string reason = text_of(check, "reason");
  if (!reason.empty()) d += "\nreason: " + reason;
  return d;
}

std::string rate_details(const nlohmann::json& r) {
  std::string d = "rate claim " + text_of(r, "bound") + " along " + text_of(r, "variable") + " (" + text_of(r, "group") + ")\n";
  d += "fitted exponent of KL/shape = " + number_text(r, "fitted_exponent") + " (tolerance " + number_text(r, "tolerance") +
       "), exponent of KL = " + number_text(r, "kl_exponent") + ", implied constant = " + number_text(r, "implied_constant") + "\n";
  d += "provenance: " + text_of(r, "provenance") + "; citation: " + text_of(r, "citation");
  if (!text_of(r, "reason").empty()) d += "\nreason: " + text_of(r, "reason");
  if (r.contains("points") && r.at("points").is_array())
    for (const auto& p : r.at("points"))
      d += "\n  " + text_of(r, "variable") + " = " + number_text(p, "x") + ": KL = " + number_text(p, "kl") +
           ", shape = " + number_text(p, "shape") + " (" + text_of(p, "case") + ")";
  return d;
}

Suite& suite_named(std::vector<Suite>& suites, std::map<std::string, std::size_t>& index, const std::string& name) {
  const auto it = index.find(name);
  if (it != index.end()) return suites[it->second];
  index.emplace(name, suites.size());
  suites.push_back(Suite{name, "", {}});
  return suites.back();
}

void write_testcase(std::string& out, const TestCase& t) {
  out += "    <testcase name=\"" + xml_escape(t.name) + "\" classname=\"" + xml_escape(t.classname) + "\" time=\"" +
         seconds_attr(t.seconds) + "\"";
  std::vector<std::pair<std::string, std::string>> properties = t.properties;
  // estimated enclosures never look like certified ones: marked in the name, as a property and in the
  // output of every outcome
  bool has_enclosure = false;
  for (const auto& [name, value] : properties) has_enclosure = has_enclosure || name == "enclosure";
  if (t.estimated && !has_enclosure) properties.push_back({"enclosure", "estimated"});
  const std::string note = t.estimated && t.note.empty() ? "pass (estimated enclosure): " + t.message + "\n" + t.details : t.note;
  if (properties.empty() && t.outcome == Outcome::pass && note.empty()) {
    out += "/>\n";
    return;
  }
  out += ">\n";
  if (!properties.empty()) {
    out += "      <properties>\n";
    for (const auto& [name, value] : properties)
      out += "        <property name=\"" + xml_escape(name) + "\" value=\"" + xml_escape(value) + "\"/>\n";
    out += "      </properties>\n";
  }
  switch (t.outcome) {
    case Outcome::pass:
      if (!note.empty()) out += "      <system-out>" + xml_escape(note) + "</system-out>\n";
      break;
    case Outcome::failure:
    case Outcome::error: {
      const std::string tag = t.outcome == Outcome::failure ? "failure" : "error";
      out += "      <" + tag + " message=\"" + xml_escape(t.message) + "\" type=\"" + (t.outcome == Outcome::failure ? "fail" : "error") +
             "\">" + xml_escape(t.details) + "</" + tag + ">\n";
      break;
    }
    case Outcome::skipped:
      out += "      <skipped message=\"" + xml_escape(t.message) + "\"/>\n      <system-out>" + xml_escape(t.details) + "</system-out>\n";
      break;
  }
  out += "    </testcase>\n";
}
}  // namespace

std::string render_junit(const nlohmann::json& report) {
  validate_report(report);
  std::vector<Suite> suites;
  std::map<std::string, std::size_t> index;
  for (const auto& s : report.at("suites")) suite_named(suites, index, text_of(s, "name")).file = text_of(s, "file");

  for (const auto& c : report.at("cases")) {
    const std::string suite = text_of(c, "suite");
    Suite& target = suite_named(suites, index, suite);
    const auto& checks = checks_of(c);
    const std::string error = case_error(c);
    double seconds = 0;
    if (c.contains("exact") && c.at("exact").is_object() && c.at("exact").contains("engine"))
      number_of(c.at("exact").at("engine"), "seconds", seconds);
    const double share = checks.empty() ? seconds : seconds / static_cast<double>(checks.size());
    if (checks.empty() && !error.empty())
      target.cases.push_back({"error @ " + case_label(c), suite, error, "case " + text_of(c, "id") + ": " + error, seconds,
                              Outcome::error});
    for (const auto& check : checks) {
      TestCase t{text_of(check, "bound") + " @ " + case_label(c), suite, "", "", share, Outcome::pass};
      if (!error.empty()) {
        t.outcome = Outcome::error;
        t.message = error;
        t.details = "case " + text_of(c, "id") + ": " + error;
      } else {
        t.outcome = outcome_of(verdict_of(check));
        t.message = check_message(c, check);
        t.details = check_details(c, check);
        t.estimated = is_estimated(check);
        add_check_properties(t, check);
        if (t.estimated) {
          t.name += " (estimated)";
          t.details += "\nenclosure: estimated (error estimate of a refinement study, not certified)";
        }
        apply_expectation(t, check);
      }
      target.cases.push_back(std::move(t));
    }
  }
  const std::string warning = baseline_warning(report);
  if (!warning.empty()) {
    // most cases found no match in the baseline: the run fails, and CI must see why
    std::string suite = report.at("suites").empty() ? "diffbound" : text_of(report.at("suites").at(0), "name");
    TestCase t{"baseline coverage", suite, warning, warning, 0, Outcome::failure};
    suite_named(suites, index, suite).cases.push_back(std::move(t));
  }
  for (const auto& r : report.at("rates")) {
    const std::string suite = text_of(r, "suite");
    TestCase t{"rate " + text_of(r, "bound") + " in " + text_of(r, "variable") + " @ " + text_of(r, "group"), suite,
               text_of(r, "message"), rate_details(r), 0, outcome_of(verdict_of(r))};
    if (t.message.empty())
      t.message = "fitted exponent " + number_text(r, "fitted_exponent") + " vs tolerance " + number_text(r, "tolerance");
    t.estimated = is_estimated(r);
    if (t.estimated) t.name += " (estimated)";
    add_rate_properties(t, r);
    apply_expectation(t, r);
    suite_named(suites, index, suite).cases.push_back(std::move(t));
  }

  for (const auto& r : study_check_rows(report))  // one testcase per study check
    suite_named(suites, index, r.suite)
        .cases.push_back({r.name + " @ " + r.study + (r.estimated ? " (estimated)" : ""), r.suite, r.message, r.details, r.seconds,
                          outcome_of(r.verdict), r.estimated});
  make_names_unique(suites);
  std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  for (const auto& s : suites) {
    tests += s.cases.size();
    failures += s.count(Outcome::failure);
    errors += s.count(Outcome::error);
    skipped += s.count(Outcome::skipped);
  }
  double total_seconds = 0;
  number_of(report, "seconds", total_seconds);
  const std::string timestamp = text_of(report, "started");
  const auto counts = [](std::size_t t, std::size_t f, std::size_t e, std::size_t s) {
    return " tests=\"" + std::to_string(t) + "\" failures=\"" + std::to_string(f) + "\" errors=\"" + std::to_string(e) +
           "\" skipped=\"" + std::to_string(s) + "\"";
  };

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"diffbound\"" + counts(tests, failures, errors, skipped) + " time=\"" + seconds_attr(total_seconds) +
         "\"" + (timestamp.empty() ? "" : " timestamp=\"" + xml_escape(timestamp) + "\"") + ">\n";
  const auto& build = report.contains("diffbound") ? report.at("diffbound") : nlohmann::json::object();
  for (const auto& s : suites) {
    out += "  <testsuite name=\"" + xml_escape(s.name) + "\"" +
           counts(s.cases.size(), s.count(Outcome::failure), s.count(Outcome::error), s.count(Outcome::skipped)) +
           " time=\"" + seconds_attr(s.seconds()) + "\"" +
           (timestamp.empty() ? "" : " timestamp=\"" + xml_escape(timestamp) + "\"") + ">\n";
    out += "    <properties>\n";
    out += "      <property name=\"diffbound.version\" value=\"" + xml_escape(text_of(build, "version")) + "\"/>\n";
    out += "      <property name=\"diffbound.revision\" value=\"" + xml_escape(text_of(build, "revision")) + "\"/>\n";
    if (!s.file.empty()) out += "      <property name=\"suite.file\" value=\"" + xml_escape(s.file) + "\"/>\n";
    out += "    </properties>\n";
    for (const auto& t : s.cases) write_testcase(out, t);
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace diffbound
