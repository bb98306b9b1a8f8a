// What a run will cost before it runs (`run --dry-run`, the progress line's ETA, the shards' balance): every
// planned computation's estimated seconds from the resource model (numerics/resource_caps.hpp, "good to a
// small factor"). Rounds of precision escalation on inconclusive checks are not foreseen.
#pragma once

#include "verify/plan.hpp"
#include "verify/runner.hpp"

#include <map>
#include <string>
#include <vector>

namespace diffbound {

// The estimated seconds of one computation (at least 1e-6; a case the engines refuse costs 1e-6: its error
// is reported at once).
double computation_cost(const CaseSpec& spec);
// A case's computations: the case itself and the twins its checks read (verify/plan.hpp).
double plan_cost(const CasePlan& plan);

// Per suite, in run order: cases, computations (twins included), studies and the estimated seconds, also by
// engine (fast | dense | continuous | mixture, the resource model's paths). Studies are costed at the run's
// mean case (they are short: a few density evaluations) and listed as engine "study".
struct EngineEstimate {
  std::size_t computations = 0;
  double seconds = 0;
};
struct SuiteEstimate {
  std::string suite;
  std::size_t cases = 0, computations = 0, studies = 0;
  double seconds = 0;
  std::map<std::string, EngineEstimate> by_engine;
};
std::vector<SuiteEstimate> estimate_run(const RunInputs& in, const std::vector<std::size_t>& cases, const std::vector<std::size_t>& studies);


}  // namespace diffbound
