// Runs suites: every case computed (in parallel, deterministic output order), every check judged
// (docs/math.md#verdicts), rate claims fitted, baselines compared; the result is the report JSON of
// docs/report-format.md, which reports/ renders.
#pragma once

#include "verify/suite.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace diffbound {

struct RunOptions {
  int jobs = 0;                    // 0: all cores
  unsigned max_digits = 160;       // cap of the precision escalation on inconclusive verdicts
  std::string baseline;            // compare against this baseline file
  bool fail_on_inconclusive = false;
  bool progress = true;            // progress on stderr (a bar on a terminal, a line per case otherwise)
};

// Exit status: 0 all checks pass, 1 some fail, 3 inconclusive remain with fail_on_inconclusive.
nlohmann::json run_suites(const std::vector<Suite>& suites, const RunOptions& options);

// The baseline of a run (format diffbound-baseline/2): every exact value with its enclosure, keyed by the
// case's content with numbers in canonical form (not by the suite name; docs/suite-file.md, "Baselines").
nlohmann::json baseline_of(const nlohmann::json& report);

}  // namespace diffbound
