// Numbers as text for verdict messages and report.json, one set of formatters for verify.
#pragma once

#include "numerics/enclosure.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>

namespace diffbound {

// `digits` significant digits; -0 prints as 0.
std::string fmt(double v, int digits = 4);
// An enclosure's value with `digits` significant digits: the double when it is in range, else the
// decimal text (a finite bound beyond the double range, e.g. 1.2e+400, is not "inf"); "+inf" if infinite.
std::string fmt(const Enclosure& q, int digits = 4);
// Both numbers with the fewest significant digits (at least 4) at which their texts differ, so a
// message "KL = ... > bound = ..." never shows two equal numbers (doubles: up to 17; enclosures: 40).
std::pair<std::string, std::string> fmt_distinct(double a, double b);
std::pair<std::string, std::string> fmt_distinct(const Enclosure& a, const Enclosure& b);

// A double for report.json: null when not finite (JSON has no infinity; the *_str companions carry
// the number then); -0 written as 0.
nlohmann::json number_or_null(double v);
// {value, lo, hi, value_str, lo_str, hi_str, finite} of an enclosure (nulls where not finite).
nlohmann::json enclosure_brief(const Enclosure& q);

// The current UTC time as 2026-12-01T12:00:00Z.
std::string now_iso();

}  // namespace diffbound
