// Verdicts and their reasons: the words report.json uses, defined once (docs/math.md#verdicts), and
// the expected verdicts a suite may declare per check (docs/math.md#expected-verdicts).
#pragma once

#include "numerics/kind_table.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace diffbound {

enum class Verdict { pass, fail, inconclusive };

// Why a check is inconclusive or failed (none: a pass, or a fail that needs no reason).
enum class Reason {
  none,
  not_applicable,
  not_certified,
  enclosures_overlap,
  vacuous,
  regression,
  no_baseline,
  not_swept,
  too_few_points,
  cannot_fit,
  sign_change,
  unexpected_pass,
  unexpected_fail,
  unexpected_inconclusive,
};

struct ReasonRow {
  Reason kind;
  std::string_view name;         // the word report.json writes
  std::string_view description;  // what it means (docs/report-format.md lists the same)
};
inline constexpr std::array reason_table{
    ReasonRow{Reason::none, "", "a pass, or a fail that needs no reason"},
    ReasonRow{Reason::not_applicable, "not-applicable", "the case does not meet the bound's requirements, or an input it reads is missing"},
    ReasonRow{Reason::not_certified, "not-certified", "measured <= bound on point values, with no enclosure to prove it"},
    ReasonRow{Reason::enclosures_overlap, "enclosures-overlap", "the measured and bound enclosures overlap at the working precision"},
    ReasonRow{Reason::vacuous, "vacuous", "an infinite bound: holds for every case and proves nothing"},
    ReasonRow{Reason::regression, "regression", "the exact values left the baseline's enclosures"},
    ReasonRow{Reason::no_baseline, "no-baseline", "the baseline has no entry for this case"},
    ReasonRow{Reason::not_swept, "not-swept", "a rate claim whose variable the block does not sweep"},
    ReasonRow{Reason::too_few_points, "too-few-points", "a rate claim with fewer than 3 points along its variable"},
    ReasonRow{Reason::cannot_fit, "cannot-fit", "the rate fit failed (no finite positive points)"},
    ReasonRow{Reason::sign_change, "sign-change", "KL_T - KL_inf changes sign in the fitted half: no power law describes it"},
    ReasonRow{Reason::unexpected_pass, "unexpected-pass", "the suite expected another verdict and the check passed"},
    ReasonRow{Reason::unexpected_fail, "unexpected-fail", "the suite expected another verdict and the check failed"},
    ReasonRow{Reason::unexpected_inconclusive, "unexpected-inconclusive",
              "the suite expected another verdict and the check is inconclusive"},
};
static_assert(lists_every_kind_in_order(reason_table));

inline constexpr std::array<NameRow<Verdict>, 3> verdict_table{
    {{Verdict::pass, "pass"}, {Verdict::fail, "fail"}, {Verdict::inconclusive, "inconclusive"}}};
static_assert(lists_every_kind_in_order(verdict_table));

std::string_view to_string(Verdict);  // pass | fail | inconclusive
std::string_view to_string(Reason);   // "" for none, else e.g. "not-applicable"
// A verdict name of a suite file; throws InputError(field, "\"text\"", ...) naming the accepted names.
Verdict parse_verdict(const std::string& field, const std::string& text);

// A declared expectation against the verdict that happened (docs/math.md#expected-verdicts). The
// verdict itself is reported unchanged; `unexpected` says why the suite fails when it did not happen.
struct Expectation {
  std::optional<Verdict> expected;   // none declared: the check counts as usual
  Reason unexpected = Reason::none;  // unexpected-pass | -fail | -inconclusive when it did not happen
  bool met() const { return expected.has_value() && unexpected == Reason::none; }
  // null when none was declared, else {"verdict": "fail", "met": true, "reason": "" | "unexpected-pass"}
  nlohmann::json to_json() const;
};
Expectation expectation_of(Verdict actual, std::optional<Verdict> expected);

// Counts of verdicts, as a plot's or a summary's {"pass": n, "fail": n, "inconclusive": n, "expected": n,
// "unexpected": n}: expected counts the checks whose declared verdict happened (whatever it was),
// unexpected those whose did not; both are also counted under their own verdict.
struct VerdictCounts {
  long pass = 0, fail = 0, inconclusive = 0;
  long expected = 0, unexpected = 0;
  long expected_fail = 0, expected_inconclusive = 0;  // the expected among fail and inconclusive
  void count(Verdict v, const Expectation& e = {});
  nlohmann::json to_json() const;
};

}  // namespace diffbound
