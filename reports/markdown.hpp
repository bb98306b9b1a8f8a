// report.md: the Markdown rendering of report.json, fit for a GitHub job summary ($GITHUB_STEP_SUMMARY,
// which takes at most 1 MiB): the summary table first, then failures, rate claims and a per-case table,
// truncated with a note so the whole stays under markdown_size_limit.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

namespace diffbound {

inline constexpr std::size_t markdown_size_limit = 1000 * 1000;  // bytes; 1 MiB = 1,048,576 leaves a margin

// Throws InputError when `report` is not a diffbound-report/1 object.
std::string render_markdown(const nlohmann::json& report);

}  // namespace diffbound
