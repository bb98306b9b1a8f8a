// report.json as CSV for spreadsheets and papers (diffbound report FILE --format csv): one row per case x
// check, RFC 4180 quoting, every swept key of the report its own column, numbers as their exact decimal text.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace diffbound {

// One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote, CR or LF.
std::string csv_field(std::string_view text);

// The swept keys of the report's cases ("swept": {"target.mean": "1.5", ...}), the union in first-seen order.
std::vector<std::string> swept_keys(const nlohmann::json& report);

// The exact decimal text of obj[key]: its "<key>_str" companion when present, else the number as stored
// (shortest round-trip digits), "inf" when the object says "finite": false, else "".
std::string exact_text(const nlohmann::json& obj, std::string_view key);

// Header row, then one row per check of every case (a case without checks, e.g. one that could not be
// computed, gets one row with the check columns empty); lines end with CRLF as RFC 4180 says.
std::string render_csv(const nlohmann::json& report);

}  // namespace diffbound
