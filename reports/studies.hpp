// The "studies" section of report.json (identity and Gaussian-structure studies, verify/study.hpp;
// docs/report-format.md) for the renderers. Reports written before studies existed have no such
// section: every function here then returns nothing, so `diffbound report` keeps working on them.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <vector>

namespace diffbound {

// report["studies"] if it is an array, else an empty array.
const nlohmann::json& studies_of(const nlohmann::json& report);

// One row per study check, plus one row with verdict "error" per study that could not be computed.
struct StudyCheckRow {
  std::string suite, study, name, verdict, message, details;
  double seconds = 0;  // the study's time shared among its checks
  bool estimated = false;  // "enclosure": "estimated" (every study check of this version)
};
std::vector<StudyCheckRow> study_check_rows(const nlohmann::json& report);

// Terminal rows: study, check, verdict, residual, error estimate.
std::vector<std::array<std::string, 5>> study_terminal_rows(const nlohmann::json& report);

// "## Studies" for report.md (checks and data table per study); "" when the report has none.
std::string studies_markdown(const nlohmann::json& report);

// <section id="studies"> for index.html; "" when the report has none. The studies' plots are in the
// report's "plots" and drawn with the others.
std::string studies_html(const nlohmann::json& report);

}  // namespace diffbound
