// The one writer of report.json (docs/report-format.md): every entry of a run's report is built here
// or by the units it calls (rate claims, studies, figures); reports/ only reads and renders it.
#pragma once

#include "verify/baseline.hpp"
#include "verify/plan.hpp"
#include "verify/run_summary.hpp"
#include "verify/suite.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace diffbound {

// format, diffbound (version, revision), started, jobs, suites, and the bounds the run checks.
nlohmann::json report_header(const std::vector<Suite>& suites, const BoundRegistry& registry,
                             const std::vector<const SuiteCase*>& cases, int jobs);

// The entry of a rigorous check (rate claims appear in report["rates"] instead), with the suite's
// expectation of it ("expected": null when none was declared).
nlohmann::json check_json(const CheckOutcome& check, const Bound& bound, const Expectation& expected = {});

// The entry of case `index`: its spec, exact values (or error) and checks, with the baseline's
// regression check when there is a baseline; every verdict is counted in `summary`.
nlohmann::json case_entry(const SuiteCase& sc, const CaseResult& r, const std::string& suite_file, const BoundRegistry& registry,
                          const Baseline* baseline, std::size_t index, RunSummary& summary);

}  // namespace diffbound
