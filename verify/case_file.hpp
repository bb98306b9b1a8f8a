// Case tables ([target], [schedule], [sampler], [score], [numerics]) -> CaseSpec. The keys are
// documented in docs/case-file.md; unknown keys and values are errors naming the field.
#pragma once

#include "numerics/case_spec.hpp"
#include "verify/toml_reader.hpp"

#include <set>
#include <string>

namespace diffbound {

// The keys a case table may have at its top level (a suite's [[case]] adds its own, e.g. checks).
const std::set<std::string>& case_sections();

// Reads a case from a table holding the sections; `extra_keys` are keys the caller handles itself.
CaseSpec read_case(const TableReader& root, const std::set<std::string>& extra_keys = {});

// Reads a case file (diffbound kl CASE.toml).
CaseSpec read_case_file(const std::string& path);
CaseSpec read_case_text(const std::string& text, const std::string& name = "case");

TargetSpec read_target(const TableReader& t);

}  // namespace diffbound
