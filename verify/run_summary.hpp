// The tally of a run and its exit status (the model: Ceres' Solver::Summary): every verdict of every
// check, rate claim and study is counted here, and nowhere else.
#pragma once

#include "verify/verdict.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>

namespace diffbound {

struct RunSummary {
  std::size_t cases = 0;
  long checks = 0, pass = 0, fail = 0, inconclusive = 0, errors = 0;
  bool baseline_off = false;  // most cases found no baseline entry: the run fails

  void count(Verdict v) {
    ++checks;
    (v == Verdict::pass ? pass : v == Verdict::fail ? fail : inconclusive)++;
  }
  // 0 all checks pass, 1 some fail (or a case errs, or the baseline is mostly off), 3 inconclusive
  // checks remain with fail_on_inconclusive.
  int exit_status(bool fail_on_inconclusive) const {
    if (fail + errors > 0 || baseline_off) return 1;
    return inconclusive > 0 && fail_on_inconclusive ? 3 : 0;
  }
  nlohmann::json to_json(bool fail_on_inconclusive) const {
    return {{"cases", cases}, {"checks", checks}, {"pass", pass}, {"fail", fail}, {"inconclusive", inconclusive},
            {"errors", errors}, {"exit_status", exit_status(fail_on_inconclusive)}};
  }
};

}  // namespace diffbound
