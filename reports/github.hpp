// GitHub Actions workflow commands for a report (diffbound run under GITHUB_ACTIONS=true or --github):
// an ::error annotation per failing check at the suite line of its [[case]] block, so failures show in the
// pull request's diff and the run's summary.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace diffbound {

inline constexpr std::size_t github_annotations_max = 10;  // GitHub shows 10 error annotations per step

// A workflow command's message: % CR LF become %25 %0D %0A (GitHub's escaping rules).
std::string github_escape_data(std::string_view text);
// A property value (file=, title=): also : and , become %3A and %2C.
std::string github_escape_property(std::string_view text);

// "::error file=F,line=N,title=T::MESSAGE" lines for the failures of the report in order (case errors,
// checks that fail the run, failed rate claims, which point at their first case's block), at most `max`,
// then one "::notice::" line saying how many more there are; "" when nothing failed.
std::string render_github_annotations(const nlohmann::json& report, std::size_t max = github_annotations_max);

}  // namespace diffbound
