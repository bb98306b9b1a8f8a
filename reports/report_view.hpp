// Reading report.json (docs/report-format.md) for the renderers: validation and tolerant accessors.
// A renderer never recomputes anything; these helpers only find and format what the report holds.
#pragma once

#include "reports/duration_text.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace diffbound {

inline constexpr std::string_view report_format_id = "diffbound-report/1";

// Throws InputError naming the field unless `report` is a diffbound-report/1 object with the top-level
// fields every renderer relies on (summary, suites, cases, rates, plots, bounds) of the right types.
void validate_report(const nlohmann::json& report);

// obj[key] as text: strings as they are, numbers formatted, booleans "true"/"false"; "" when obj is not an
// object or the field is absent or null.
std::string text_of(const nlohmann::json& obj, std::string_view key);

// obj[key] as a number if it is one.
bool number_of(const nlohmann::json& obj, std::string_view key, double& out);

// 4 significant digits, exponents without padding: 0.4093, 1e-3, 2.5e+10 -> "2.5e10", inf, nan; -0 -> "0".
std::string format_number(double v);
std::string format_number(double v, int digits);

// A number's decimal text ("1.2345678e+400", e.g. a finite bound beyond the double range) with 4
// significant digits ("1.235e400"); text that is not a number comes back as it is.
std::string format_decimal_text(const std::string& text);

// a and b with the fewest significant digits (4 to 17) at which their texts differ, so a table never
// shows "0.1235 > 0.1235".
std::pair<std::string, std::string> distinct_number_texts(double a, double b);

// A number that may be infinite or beyond the double range: the value, else its "<key>_str" companion
// (4 significant digits when it is a number), else "inf" when the object says "finite": false, else "n/a".
std::string number_text(const nlohmann::json& obj, std::string_view key);

// The verdict of a check or rate claim ("pass", "fail", "inconclusive"; "" when absent).
std::string verdict_of(const nlohmann::json& check);

// True when the check's verdict rests on estimated (not certified) enclosures ("enclosure": "estimated").
bool is_estimated(const nlohmann::json& check);

// The verdict as every rendering shows it: "pass (estimated)" / "fail (estimated)" on estimated
// enclosures, so they never look like certified ones; otherwise the verdict; then the
// expectation_suffix ("fail (expected)").
std::string verdict_label(const nlohmann::json& check);

// The suite's expectation of a check or rate claim ("expected": {"verdict", "met", "reason"} or null):
// declared at all, and happened.
bool has_expectation(const nlohmann::json& check);
bool expectation_met(const nlohmann::json& check);
// " (expected)" when the declared verdict happened, " (unexpected-pass: expected fail)" when it did
// not, "" when none was declared; verdict_label ends with it.
std::string expectation_suffix(const nlohmann::json& check);
// True when the check fails the run: an unexpected verdict, or a fail nobody expected.
bool is_failure(const nlohmann::json& check);

// "1 job", "2 jobs".
std::string plural(std::size_t n, const std::string& one, const std::string& many);

// summary.baseline.warning: most cases found no match in the --baseline file ("" when absent).
std::string baseline_warning(const nlohmann::json& report);

// Text of a case's "error" (absent, null or "" mean the case was computed).
std::string case_error(const nlohmann::json& c);

// The checks of a case, or an empty array.
const nlohmann::json& checks_of(const nlohmann::json& c);

// The message of a check; when the report has none, one built from its numbers
// ("KL = 0.4093 > bound = 0.3812 at d = 64, T = 100, kappa = 1000").
std::string check_message(const nlohmann::json& c, const nlohmann::json& check);

// "d = 64, T = 100, kappa = 1000" from a case's params (d, T, kappa first, then the rest).
std::string params_text(const nlohmann::json& c);

// The case's label, else its id.
std::string case_label(const nlohmann::json& c);


// Counts over the case checks and rate claims of a report (what JUnit and the badges show).
// expected_fail / expected_inconclusive: those verdicts the suite expected; unexpected: checks whose
// declared verdict did not happen (also counted under their own verdict).
struct VerdictCounts {
  std::size_t pass = 0, fail = 0, inconclusive = 0, error = 0, other = 0;
  std::size_t expected_fail = 0, expected_inconclusive = 0, unexpected = 0;
  void add(const std::string& verdict, const nlohmann::json& check = nullptr);
};
VerdictCounts count_verdicts(const nlohmann::json& report);

// The run as a whole, the first that applies: "FAIL" (a check failed, or most cases found no match in
// the baseline), "ERROR" (a case could not be
// computed), "INCONCLUSIVE", "PASS".
std::string overall_status(const nlohmann::json& report);

}  // namespace diffbound
