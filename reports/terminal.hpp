// The terminal rendering of report.json: a fixed-width table of cases x checks with verdicts (and one of
// rate claims), closed by "diffbound: 50 passed, 2 failed, 8 inconclusive (24 cases) in 12.3 s".
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace diffbound {

// `color`: ANSI colours on verdicts (the caller decides, e.g. stdout is a terminal and NO_COLOR unset).
// Throws InputError when `report` is not a diffbound-report/1 object.
std::string render_terminal_table(const nlohmann::json& report, bool color);

// The closing line alone (no newline).
std::string terminal_summary_line(const nlohmann::json& report);

}  // namespace diffbound
