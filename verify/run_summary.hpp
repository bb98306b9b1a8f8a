// The tally of a run and its exit status (the model: Ceres' Solver::Summary): every verdict of every
// check, rate claim and study is counted here, and nowhere else.
#pragma once

#include "verify/verdict.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>

namespace diffbound {

struct RunSummary {
  std::size_t cases = 0;
  long checks = 0, errors = 0;
  VerdictCounts verdicts;
  bool baseline_off = false;  // most cases found no baseline entry: the run fails

  void count(Verdict v, const Expectation& e = {}) {
    ++checks;
    verdicts.count(v, e);
  }
  // 0 all checks pass, 1 some fail (or a case errs, or the baseline is mostly off, or a declared
  // expectation did not happen), 3 inconclusive checks remain with fail_on_inconclusive. A fail or an
  // inconclusive the suite expected leaves the status alone (docs/math.md#expected-verdicts).
  int exit_status(bool fail_on_inconclusive) const {
    if (verdicts.fail - verdicts.expected_fail + verdicts.unexpected + errors > 0 || baseline_off) return 1;
    return verdicts.inconclusive - verdicts.expected_inconclusive > 0 && fail_on_inconclusive ? 3 : 0;
  }
  nlohmann::json to_json(bool fail_on_inconclusive) const {
    nlohmann::json j = verdicts.to_json();
    j["cases"] = cases;
    j["checks"] = checks;
    j["errors"] = errors;
    j["exit_status"] = exit_status(fail_on_inconclusive);
    return j;
  }
};

}  // namespace diffbound
