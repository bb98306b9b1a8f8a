// Suites: a TOML file with [suite], [[case]] blocks (the case-file tables, where any scalar may be a
// list: the block expands to the Cartesian product), [[bound]] tables (user-defined bounds) and
// [[study]] blocks (identity and Gaussian-structure studies, verify/study.hpp).
// Field reference: docs/suite-file.md.
#pragma once

#include "bounds/expression.hpp"
#include "bounds/registry.hpp"
#include "numerics/case_spec.hpp"
#include "verify/study.hpp"
#include "verify/verdict.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace diffbound {

struct SuiteCase {
  std::string id;      // "<suite>/<index>"
  std::string suite;
  long index = 0;      // position in the suite's expanded case list
  long block = 0;      // which [[case]] block it came from
  long line = 0;       // the line of that block's [[case]] header in the suite file (0: unknown)
  std::string label;   // "d=3 T=100 kappa=10 ddpm/theory exact"
  std::string block_name;  // the block's `name`, if given
  std::map<std::string, std::string> params;  // d, T, kappa, sampler, variance, score, schedule, ...
  std::map<std::string, std::string> swept;   // the values of the block's swept keys (dotted path -> text)
  CaseSpec spec;
  std::vector<std::string> checks;  // bound ids
  // expect = { "bound-id" = "fail" }: the verdicts the suite expects (docs/math.md#expected-verdicts)
  std::map<std::string, Verdict> expect;
  // The expectation of the check of `bound` against the verdict it got (none declared: no expectation).
  Expectation expectation(const std::string& bound, Verdict actual) const {
    const auto it = expect.find(bound);
    return expectation_of(actual, it == expect.end() ? std::nullopt : std::optional<Verdict>(it->second));
  }
};

struct RateSettings {
  double tolerance = 0.05;  // a rate claim passes when the fitted exponent of KL/shape is <= tolerance
};

// [[figure]]: one plot of KL against a swept variable with a curve per named [[case]] block (e.g.
// DDNM, BO-DDNM and DDNM+ against T), which the per-block plots cannot draw together.
struct FigureSpec {
  std::string title;
  std::string x = "T";              // T | d | kappa | kappa_H
  std::string metric = "KL";        // KL | W2 (docs/math.md#w2): the exact quantity on the y axis
  std::vector<std::string> curves;  // names of [[case]] blocks
};

struct Suite {
  std::string name, description, file;
  std::vector<FigureSpec> figures;
  std::vector<SuiteCase> cases;
  std::vector<UserBoundSpec> user_bounds;
  RateSettings rates;
  std::vector<StudySpec> studies;  // [[study]] blocks (verify/study.hpp)
};

// The built-in bounds plus a suite's user-defined ones.
BoundRegistry registry_for(const std::vector<const Suite*>& suites);

// Reads and expands a suite; every error names the file and field; checks must name a built-in or a
// user-defined bound.
Suite read_suite_file(const std::string& path);
Suite read_suite_text(const std::string& text, const std::string& name);

// Suites run together must have distinct names (case ids are "name/index", baselines are keyed by
// suite name): throws InputError naming the second file's suite.name.
void check_distinct_suites(const std::vector<Suite>& suites);

}  // namespace diffbound
