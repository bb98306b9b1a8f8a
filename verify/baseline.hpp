// Reading a stored baseline (`diffbound run --baseline FILE`, written by --write-baseline from baseline_of in
// verify/runner.hpp). Validated as a whole before any case is compared, so that the comparison only meets
// the shape it expects: an InputError naming the file and the entry otherwise.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace diffbound {

// The quantities a baseline entry stores, each null (the case has no such quantity) or an enclosure
// {"finite": bool, "lo_str", "hi_str": decimal text, lo <= hi, when finite}.
inline constexpr const char* baseline_quantities[] = {"kl", "E_T", "D_T", "B_T", "kl_q0_gamma"};

// A diffbound-baseline/1 object: {"format": "diffbound-baseline/1", "cases": {key: entry, ...}}; file names
// the baseline in error messages.
nlohmann::json parse_baseline(const std::string& text, const std::string& file);
nlohmann::json read_baseline_file(const std::string& path);

}  // namespace diffbound
