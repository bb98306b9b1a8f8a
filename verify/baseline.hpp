// Baselines (docs/suite-file.md, "Baselines"): every exact value of a run stored with its enclosure,
// keyed by the case's content; a later run's values must overlap the stored enclosures.
#pragma once

#include "verify/suite.hpp"
#include "verify/verdict.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace diffbound {

// The canonical text of a decimal number: "10", "10.0", "1e1", "+1.00E+01" -> "1e1"; "0", "-0.0" -> "0";
// "" when the text is not a finite decimal number ("nan", "inf", words).
std::string canonical_decimal(std::string_view t);
// The key of a case (its case JSON, numbers canonical): `kappa = 10` and `10.0` are one key.
std::string baseline_key(const nlohmann::json& case_content);

// The baseline of a run (format diffbound-baseline/2): every exact value with its enclosure, keyed by the case's
// content with numbers in canonical form (not by the suite name).
nlohmann::json baseline_of(const nlohmann::json& report);

// A baseline read, validated and matched against a run's cases before anything is computed.
class Baseline {
public:
  // Reads `path` (every error names the file and field) and matches every case; throws InputError when
  // none matches. Most cases without an entry: a warning (printed) that makes the run fail.
  Baseline(const std::string& path, const std::vector<const SuiteCase*>& cases);

  struct Outcome {
    Verdict verdict = Verdict::pass;
    Reason reason = Reason::none;
    std::string message;
  };
  // The regression check of case `i` (its exact JSON as in report.json).
  Outcome check(std::size_t i, const nlohmann::json& exact) const;
  // {file, cases, matched, unmatched, warning} for the run summary.
  const nlohmann::json& summary() const { return summary_; }
  // Most cases found no entry: regression is mostly off, which must not look like a pass.
  bool mostly_off() const { return !summary_["warning"].is_null(); }

private:
  std::string path_;
  std::map<std::string, nlohmann::json> entries_;
  std::vector<std::string> keys_;  // per case
  nlohmann::json summary_;
};

}  // namespace diffbound
