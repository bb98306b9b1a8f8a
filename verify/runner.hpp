// Runs suites: plan (every case expanded into the computations its checks need) -> compute (one
// worker pool, deterministic output order) -> judge (verify/judge.hpp) -> summarize (rate claims,
// studies, figures, baseline, the run summary); the result is the report JSON of
// docs/report-format.md, which reports/ renders.
#pragma once

#include "bounds/registry.hpp"
#include "verify/baseline.hpp"
#include "verify/plan.hpp"
#include "verify/suite.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <string>
#include <vector>

namespace diffbound {

struct RunOptions {
  int jobs = 0;                    // 0: all cores
  unsigned max_digits = 160;       // cap of the precision escalation on inconclusive verdicts
  std::string baseline;            // compare against this baseline file
  bool fail_on_inconclusive = false;
  bool progress = true;            // progress on stderr (a bar on a terminal, a line per case otherwise)
  // Read between computations (the Python module's Ctrl-C): once set, no computation starts and run_suites
  // throws Cancelled (verify/worker_pool.hpp) after the running ones finish.
  const std::atomic<bool>* cancel = nullptr;
};

// Exit status: 0 all checks pass, 1 some fail, 3 inconclusive remain with fail_on_inconclusive.
// Throws Cancelled when options.cancel is set during the run.
nlohmann::json run_suites(const std::vector<Suite>& suites, const RunOptions& options);

// The pieces of run_suites, for a run split into shards (verify/shard.hpp): the run's cases and studies in
// run order, the computed share of them, and the summary of all of them.
struct RunInputs {
  std::vector<const SuiteCase*> cases;
  std::vector<const StudySpec*> studies;
  BoundRegistry registry;
};
RunInputs run_inputs(const std::vector<Suite>& suites);

// plan -> compute -> judge for the cases and studies named (indices into RunInputs), on one pool; results in
// the order of the indices.
struct ComputedShare {
  std::vector<CaseResult> results;
  std::vector<nlohmann::json> study_results;
};
ComputedShare compute_share(const RunInputs& in, const std::vector<std::size_t>& cases, const std::vector<std::size_t>& studies,
                            const RunOptions& options);

// The report of a run whose every case and study is computed (results and study_results in run order): the
// limits of minus_limit claims are computed here, then rate claims, studies, figures, baseline and summary.
nlohmann::json summarize_run(const std::vector<Suite>& suites, const RunInputs& in, const std::vector<CaseResult>& results,
                             const std::vector<nlohmann::json>& study_results, const Baseline* baseline, const RunOptions& options);


}  // namespace diffbound
