// Verdicts and their reasons: the words report.json uses, defined once (docs/math.md#verdicts).
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace diffbound {

enum class Verdict { pass, fail, inconclusive };

// Why a check is inconclusive or failed (none: a pass, or a fail that needs no reason).
enum class Reason {
  none,
  not_applicable,      // the case does not meet the bound's requirements, or an input it reads is missing
  not_certified,       // measured <= bound on point values, with no enclosure to prove it
  enclosures_overlap,  // the measured and bound enclosures overlap at the working precision
  vacuous,             // an infinite bound: holds for every case and proves nothing
  regression,          // the exact values left the baseline's enclosures
  no_baseline,         // the baseline has no entry for this case
  not_swept,           // a rate claim whose variable the block does not sweep
  too_few_points,      // a rate claim with fewer than 3 points along its variable
  cannot_fit,          // the rate fit failed (no finite positive points)
  sign_change,         // KL_T - KL_inf changes sign in the fitted half: no power law describes it
};

std::string_view to_string(Verdict);  // pass | fail | inconclusive
std::string_view to_string(Reason);   // "" for none, else e.g. "not-applicable"

// Counts of verdicts, as a plot's or a summary's {"pass": n, "fail": n, "inconclusive": n}.
struct VerdictCounts {
  long pass = 0, fail = 0, inconclusive = 0;
  void count(Verdict v) { (v == Verdict::pass ? pass : v == Verdict::fail ? fail : inconclusive)++; }
  nlohmann::json to_json() const;
};

}  // namespace diffbound
