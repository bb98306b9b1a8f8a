// Studies: the non-sampler checks of docs/math.md#identities declared in a suite's [[study]] blocks
// (docs/suite-file.md): the log-SNR density identity (Kong et al.), the noise-level classifier
// identity (Wu et al.) and hidden Gaussian structure (Li, Dai, Qu). Each study produces checks (both
// sides of an identity, the residual, an error estimate and a verdict), a data table and plots, which
// the runner adds to report.json as "studies" (docs/report-format.md).
#pragma once

#include "numerics/case_spec.hpp"
#include "verify/toml_reader.hpp"

#include "verify/run_summary.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace diffbound {

enum class StudyKind { density_identity, noise_classifier, gaussian_structure };
std::string to_string(StudyKind);

struct StudySpec {
  std::string id;     // "<suite>/study/<index>"
  std::string suite;
  std::string label;  // `name`, else built from kind and target
  StudyKind kind = StudyKind::density_identity;
  TargetSpec target;
  std::vector<std::vector<std::string>> points;  // decimal texts, d entries each
  std::vector<std::string> zeta;                 // noise-classifier: log-SNR levels
  std::vector<std::string> noise_levels;         // gaussian-structure: sigma > 0
  Precision precision = Precision::double_;
  unsigned digits = 40;
};

// Reads one [[study]] table (field names prefixed by `field`, e.g. "study[0]"); validates the target,
// the points' lengths and values, zeta and the noise levels. Throws InputError naming the field.
StudySpec read_study(const TableReader& t, const std::string& suite, long index);

// Runs a study: {"id", "suite", "kind", "label", "target", "precision", "digits", "checks": [...],
// "table": {"columns": [...], "rows": [[...]]}, "plots": [...], "error": null, "seconds"}.
// Numerical failures become "error" (the study then counts as an error); bad input throws InputError.
nlohmann::json run_study(const StudySpec& study);

// Appends the studies' results (run_study's, in suite order) to report["studies"] and their plots to
// report["plots"], and counts their checks and errors.
void append_studies(nlohmann::json& report, std::vector<nlohmann::json>& results, RunSummary& summary);

}  // namespace diffbound
