// report.json as LaTeX for papers (diffbound report FILE --format latex): a booktabs table of the cases and
// their verdicts, and one of the rate claims with fitted exponents and implied constants. A fragment to
// \input into a document that loads booktabs.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace diffbound {

// LaTeX text mode: & % $ # _ { } ~ ^ \ < > become their commands, line breaks become spaces, control
// characters and invalid UTF-8 are dropped (suite text is untrusted and must not break the document).
std::string latex_escape(std::string_view text);

// Two table environments (cases x checks, then rate claims; "None" rows when a report has none).
std::string render_latex(const nlohmann::json& report);

}  // namespace diffbound
