// Subcommands of the diffbound program. Exit status: 0 success (run: every check passed), 1 a check
// failed, 2 bad input, 3 inconclusive checks with --fail-on-inconclusive, 4 internal error.
#pragma once

#include <string>
#include <vector>

namespace diffbound {

const char* version_string();

struct KlOptions {
  std::string case_path;
  bool json = false;
  std::string output;
};
int run_kl(const KlOptions& options);

struct RunCommandOptions {
  std::vector<std::string> suites;
  std::string out = "out";
  int jobs = 0;
  std::string baseline, write_baseline;
  bool fail_on_inconclusive = false;
  bool quiet = false;
  unsigned max_digits = 160;
};
int run_suites_command(const RunCommandOptions& options);

int list_bounds_command();

struct ReportOptions {
  std::string report_json;
  std::string format = "md";
  std::string output;
};
int report_command(const ReportOptions& options);

// Writes `text` to `path` atomically (temporary file + rename), so a failed run never leaves a
// partial file and never clobbers an existing one.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace diffbound
