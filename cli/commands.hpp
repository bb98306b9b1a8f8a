// Subcommands of the diffbound program. Exit status: 0 success (run: every check passed), 1 a check
// failed, 2 bad input, 3 inconclusive checks with --fail-on-inconclusive, 4 internal error.
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace diffbound {

struct RunOptions;
struct SuiteSource;

const char* version_string();

// Checks of the paths named on the command line, made before anything is computed so that bad input exits 2
// at once and writes nothing. Each throws InputError naming the option and the path.
//   output file (kl -o, report -o, run --write-baseline): not a directory, not an existing non-regular file
//     (a device, a FIFO), its directory exists, is a directory and is writable.
//   output directory (run --out): not an existing non-directory; it or its nearest existing ancestor is a
//     writable directory, and so is its parent (the new report is assembled in a sibling directory).
//   input file (a case, a suite, --baseline, a report.json): exists, is not a directory, is readable.
void check_output_file(const std::string& option, const std::string& path);
void check_output_directory(const std::string& option, const std::string& path);
void check_input_file(const std::string& option, const std::string& path);

// An integer option given as text, in [lo, hi]; InputError naming the option and the text otherwise.
long parse_integer_option(const std::string& option, const std::string& text, long lo, long hi);
inline constexpr long max_digits_min = 16, max_digits_max = 10000;  // the range of numerics.digits
inline constexpr long jobs_max = 4096;

struct KlOptions {
  std::string case_path;
  bool json = false;
  std::string output;
};
int run_kl(const KlOptions& options);

struct RunCommandOptions {
  std::vector<std::string> suites;
  std::string out = "out";
  // As the command line gives them; run_suites_command checks them (parse_integer_option) before anything else.
  std::string jobs = "0";           // 0 = all cores, at most jobs_max
  std::string max_digits = "160";   // in [max_digits_min, max_digits_max]
  std::string baseline, write_baseline;
  bool fail_on_inconclusive = false;
  bool quiet = false;
  // GitHub Actions output: ::error annotations for failing checks (also when GITHUB_ACTIONS=true)
  bool github = false;
  // "K/N": compute shard K of N only and write OUT/part.json (docs/cluster.md); merge summarizes the parts
  std::string shard;
  // print what the run would compute (cases, computations, estimated CPU time per suite and engine) and stop:
  // nothing is computed or written (with shard: that shard's share)
  bool dry_run = false;
  bool out_given = false;  // --out was on the command line (a dry run writes nothing: then it is an error)
};
// The computation of a checked run, when it is not this process's run_suites: the suites as read (file
// names and texts) and the options; returns the report. cli/mpi_command.cpp's shares the run between the
// ranks of an MPI job; `--shard` is refused then.
using RunComputer = std::function<nlohmann::json(const std::vector<SuiteSource>& sources, const RunOptions& run)>;

// Also appends report.md to the file $GITHUB_STEP_SUMMARY names, when that is set (checked before anything
// is computed: an unwritable path exits 2 naming GITHUB_STEP_SUMMARY).
int run_suites_command(const RunCommandOptions& options, const RunComputer& compute = {});
// The work of run_suites_command short of its terminal output, shared with the Python module's run(): every
// option and path is checked first (InputError), then the suites are read and run; the report files are
// written to options.out (all at once, only when the run completes) when write_reports is set, the baseline
// when options.write_baseline names a file. Returns the report JSON; throws Cancelled (verify/worker_pool.hpp)
// when `cancel` is set during the run.
nlohmann::json run_suites_checked(const RunCommandOptions& options, bool write_reports, const std::atomic<bool>* cancel = nullptr,
                                  const RunComputer& compute = {});

// diffbound merge PART... --out DIR: the parts of a sharded run (verify/shard.hpp) checked and summarized into
// the report a single run writes; the options are run's that concern the whole run.
struct MergeCommandOptions {
  std::vector<std::string> parts;
  std::string out = "out";
  std::string jobs = "0";
  std::string baseline, write_baseline;
  bool fail_on_inconclusive = false;
  bool quiet = false;
  bool github = false;
};
int merge_command(const MergeCommandOptions& options);

int list_bounds_command();

struct ReportOptions {
  std::string report_json;
  std::string format = "md";
  std::string output;
};
int report_command(const ReportOptions& options);

}  // namespace diffbound
