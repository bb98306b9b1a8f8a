#include "cli/commands.hpp"
#include "cli/stderr_line.hpp"

#include "numerics/engine_threads.hpp"
#include "numerics/exact.hpp"
#include "numerics/input_error.hpp"
#include "verify/exact_json.hpp"
#include "verify/version.hpp"
#include "bounds/registry.hpp"
#include "reports/file_write.hpp"
#include "reports/github.hpp"
#include "reports/markdown.hpp"
#include "reports/render.hpp"
#include "reports/duration_text.hpp"
#include "reports/terminal.hpp"
#include "verify/case_file.hpp"
#include "verify/run_estimate.hpp"
#include "verify/runner.hpp"
#include "verify/worker_pool.hpp"
#include "verify/shard.hpp"
#include "verify/suite.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <thread>
#include <fcntl.h>
#include <unistd.h>

namespace diffbound {

const char* version_string() { return DIFFBOUND_VERSION " (" DIFFBOUND_GIT_REVISION ")"; }

namespace {

namespace fs = std::filesystem;

bool writable_directory(const fs::path& dir) { return ::access(dir.c_str(), W_OK | X_OK) == 0; }

// The directory a relative or absolute path lives in ("." for a bare name).
fs::path directory_of(const fs::path& path) {
  const fs::path parent = path.parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// "out/" and "out/." name the directory out; fs::path's parent_path of "out/" would be "out".
fs::path normalized(const std::string& path) {
  fs::path p = fs::path(path).lexically_normal();
  if (p.filename().empty() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
  return p;
}

// $name, or "" when unset.
std::string environment(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

// The GitHub step summary must be appendable (an existing regular file, or a new one in a writable
// directory); checked with the other outputs, before anything is computed.
void check_step_summary(const std::string& path) {
  const std::string var = "GITHUB_STEP_SUMMARY";
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (fs::exists(st)) {
    if (!fs::is_regular_file(st)) throw InputError(var, path, "exists and is not a regular file");
    if (::access(path.c_str(), W_OK) != 0) throw InputError(var, path, "is not writable: " + std::string(std::strerror(errno)));
    return;
  }
  const fs::path dir = directory_of(path);
  if (!fs::is_directory(fs::status(dir, ec))) throw InputError(var, path, "its directory " + dir.string() + " does not exist");
  if (!writable_directory(dir)) throw InputError(var, path, "its directory " + dir.string() + " is not writable");
}

// Appends (GitHub's summary file collects every step's output; overwriting would drop the others).
void append_step_summary(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw InputError("GITHUB_STEP_SUMMARY", path, "cannot open for appending: " + std::string(std::strerror(errno)));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      throw InputError("GITHUB_STEP_SUMMARY", path, "cannot append: " + std::string(std::strerror(e)));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw InputError("GITHUB_STEP_SUMMARY", path, "cannot append: " + std::string(std::strerror(errno)));
}

}  // namespace

long parse_integer_option(const std::string& option, const std::string& text, long lo, long hi) {
  const std::string range = "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
  std::size_t i = 0;
  if (i < text.size() && text[i] == '+') ++i;
  const bool negative = i < text.size() && text[i] == '-';
  if (negative) ++i;
  if (i == text.size()) throw InputError(option, "\"" + text + "\"", range);
  long value = 0;
  bool overflow = false;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') throw InputError(option, text, range);
    const int digit = text[i] - '0';
    if (value > (hi - digit) / 10) overflow = true;  // beyond hi: out of range whatever follows
    else value = value * 10 + digit;
  }
  if (negative && value != 0) overflow = true;  // every range here starts at lo >= 0
  if (overflow || value < lo || value > hi) throw InputError(option, text.size() > 40 ? text.substr(0, 40) + "... (" + std::to_string(text.size()) + " characters)" : text, range);
  return value;
}

void check_input_file(const std::string& option, const std::string& path) {
  if (path.empty()) throw InputError(option, "\"\"", "a file must be named");
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (!fs::exists(st)) throw InputError(option, path, "no such file");
  if (fs::is_directory(st)) throw InputError(option, path, "is a directory; expected a file");
  if (::access(path.c_str(), R_OK) != 0) throw InputError(option, path, "cannot be read: " + std::string(std::strerror(errno)));
}

void check_output_file(const std::string& option, const std::string& path) {
  if (path.empty()) throw InputError(option, "\"\"", "a file must be named");
  const fs::path p(path);
  std::error_code ec;
  const auto st = fs::status(p, ec);
  if (fs::is_directory(st) || p.filename().empty() || p.filename() == "." || p.filename() == "..")
    throw InputError(option, path, "is a directory; expected a file name");
  if (fs::exists(st) && !fs::is_regular_file(st))
    throw InputError(option, path, "exists and is not a regular file (it would be replaced)");
  const fs::path dir = directory_of(p);
  const auto dst = fs::status(dir, ec);
  if (!fs::exists(dst)) throw InputError(option, path, "its directory " + dir.string() + " does not exist");
  if (!fs::is_directory(dst)) throw InputError(option, path, dir.string() + " is not a directory");
  if (!writable_directory(dir)) throw InputError(option, path, "its directory " + dir.string() + " is not writable");
}

void check_output_directory(const std::string& option, const std::string& path) {
  if (path.empty()) throw InputError(option, "\"\"", "the report directory must be named");
  const fs::path p = fs::absolute(normalized(path));
  std::error_code ec;
  const auto st = fs::status(p, ec);
  if (fs::exists(st) && !fs::is_directory(st)) throw InputError(option, path, "exists and is not a directory");
  if (fs::exists(st) && !writable_directory(p)) throw InputError(option, path, "is not writable");
  // The nearest existing ancestor: the directories below it are created.
  fs::path ancestor = p.parent_path();
  while (!ancestor.empty() && !fs::exists(fs::status(ancestor, ec)) && ancestor != ancestor.root_path()) ancestor = ancestor.parent_path();
  if (!fs::is_directory(fs::status(ancestor, ec))) throw InputError(option, path, ancestor.string() + " is not a directory");
  if (!writable_directory(ancestor)) throw InputError(option, path, ancestor.string() + " is not writable");
}

int run_kl(const KlOptions& options) {
  try {
    check_input_file("case", options.case_path);
    if (!options.output.empty()) check_output_file("-o", options.output);
  } catch (const InputError& e) {
    print_stderr_line(std::string("diffbound kl: error: ") + e.what());
    return 2;
  }
  try {
    const CaseSpec spec = read_case_file(options.case_path);
    // one computation: it may use every core (numerics/engine_threads.hpp)
    const EngineThreadsScope threads(std::max(1u, std::thread::hardware_concurrency()));
    const ExactQuantities q = compute_exact(spec);
    const auto j = exact_json(spec, q);
    if (!options.output.empty()) write_file_atomically(options.output, j.dump(2) + "\n", "-o");
    if (options.json) std::cout << j.dump(2) << "\n";
    else std::cout << exact_summary(spec, q);
    return 0;
  } catch (const InputError& e) {
    print_stderr_line(std::string("diffbound kl: error: ") + options.case_path + ": " + e.what());
    return 2;
  } catch (const std::exception& e) {
    print_stderr_line(std::string("diffbound kl: internal error: ") + e.what());
    return 4;
  }
}

namespace {

std::string file_text(const std::string& option, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(option, path, "cannot be opened");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

nlohmann::json run_suites_checked(const RunCommandOptions& options, bool write_reports, const std::atomic<bool>* cancel,
                                  const RunComputer& compute) {
  // Every option and path first: nothing is read, computed or written when one of them is wrong.
  RunOptions run;
  run.jobs = static_cast<int>(parse_integer_option("--jobs", options.jobs, 0, jobs_max));
  run.max_digits = static_cast<unsigned>(parse_integer_option("--max-digits", options.max_digits, max_digits_min, max_digits_max));
  for (const auto& path : options.suites) check_input_file("suite", path);
  if (!options.baseline.empty()) check_input_file("--baseline", options.baseline);
  if (write_reports) check_output_directory("--out", options.out);
  if (!options.write_baseline.empty()) check_output_file("--write-baseline", options.write_baseline);

  run.baseline = options.baseline;
  run.fail_on_inconclusive = options.fail_on_inconclusive;
  run.progress = !options.quiet;
  run.cancel = cancel;
  nlohmann::json report;
  if (compute) {
    // the texts themselves, read once: whoever computes parses the same suites (an MPI run sends them)
    std::vector<SuiteSource> sources;
    for (const auto& path : options.suites) sources.push_back({path, file_text("suite", path)});
    (void)suites_of(sources);  // every suite parsed, and their names distinct, before anything is computed
    report = compute(sources, run);
  } else {
    std::vector<Suite> suites;
    for (const auto& path : options.suites) suites.push_back(read_suite_file(path));
    check_distinct_suites(suites);
    report = run_suites(suites, run);
  }
  // Written only now, all at once: an interrupted or failed run leaves the previous report intact.
  if (write_reports) write_report_files(report, options.out);
  if (!options.write_baseline.empty())
    write_file_atomically(options.write_baseline, baseline_of(report).dump(1) + "\n", "--write-baseline");
  return report;
}

namespace {

// What run and merge print after the report is written: the verdict table, where the report is, the
// baseline, GitHub annotations and the step summary; returns the run's exit status.
int report_outcome(const nlohmann::json& report, const std::string& out, const std::string& write_baseline, bool github,
                   const std::string& step_summary, bool colour = ::isatty(1) != 0) {
  std::cout << render_terminal_table(report, colour);
  std::cout << "report: " << out << "/index.html (also report.md, junit.xml, report.json)\n";
  if (!write_baseline.empty()) std::cout << "baseline written: " << write_baseline << "\n";
  if (github) std::cout << render_github_annotations(report);
  if (!step_summary.empty()) append_step_summary(step_summary, render_markdown(report));
  return report["summary"]["exit_status"].get<int>();
}

// run --shard K/N (docs/cluster.md): the shard's share, written as OUT/part.json; what needs every case
// (rate claims, figures, baselines, the summary) is merge's.
int run_shard_command(const RunCommandOptions& options) {
  const ShardSpec shard = parse_shard("--shard", options.shard);
  const std::string why = "belongs to `diffbound merge`, which summarizes the parts; a shard only computes";
  if (!options.baseline.empty()) throw InputError("--baseline", options.baseline, why);
  if (!options.write_baseline.empty()) throw InputError("--write-baseline", options.write_baseline, why);
  if (options.fail_on_inconclusive) throw InputError("--fail-on-inconclusive", "set", why);
  if (options.github) throw InputError("--github", "set", why);
  RunOptions run;
  run.jobs = static_cast<int>(parse_integer_option("--jobs", options.jobs, 0, jobs_max));
  run.max_digits = static_cast<unsigned>(parse_integer_option("--max-digits", options.max_digits, max_digits_min, max_digits_max));
  for (const auto& path : options.suites) check_input_file("suite", path);
  check_output_directory("--out", options.out);
  std::vector<SuiteSource> sources;
  for (const auto& path : options.suites) sources.push_back({path, file_text("suite", path)});
  (void)suites_of(sources);  // every suite parsed, and their names distinct, before anything is computed
  run.progress = !options.quiet;
  const nlohmann::json part = run_shard(sources, shard, run);
  std::error_code ec;
  fs::create_directories(options.out, ec);
  if (ec) throw InputError("--out", options.out, "cannot be created: " + ec.message());
  const std::string file = (fs::path(options.out) / "part.json").string();
  write_file_atomically(file, part.dump() + "\n", "--out");
  std::cout << "shard " << options.shard << ": " << part["cases"].size() << " cases, " << part["studies"].size() << " studies in "
            << part["seconds"].get<double>() << " s; part written: " << file << "\n";
  return 0;
}

// The estimate as `run --dry-run` prints it: a line per suite and per engine, the total, and the wall time on
// `workers` threads (CPU time / workers: the pool runs the largest estimated costs first).
std::string render_run_estimate(const std::vector<SuiteEstimate>& estimate, const std::string& scope, int workers) {
  std::ostringstream out;
  char line[256];
  auto row = [&](const std::string& name, std::size_t cases, std::size_t computations, std::size_t studies, double seconds) {
    std::snprintf(line, sizeof line, "%-28s %8zu %13zu %8zu  %s\n", name.c_str(), cases, computations, studies, duration_text(seconds).c_str());
    out << line;
  };
  out << "dry run of " << scope << ": nothing is computed or written\n";
  std::snprintf(line, sizeof line, "%-28s %8s %13s %8s  %s\n", "suite / engine", "cases", "computations", "studies", "estimated CPU time");
  out << line;
  std::size_t cases = 0, computations = 0, studies = 0;
  double seconds = 0;
  for (const auto& s : estimate) {
    row(s.suite, s.cases, s.computations, s.studies, s.seconds);
    for (const auto& [engine, e] : s.by_engine) {
      std::snprintf(line, sizeof line, "  %-26s %8s %13zu %8s  %s\n", engine.c_str(), "", e.computations, "", duration_text(e.seconds).c_str());
      out << line;
    }
    cases += s.cases;
    computations += s.computations;
    studies += s.studies;
    seconds += s.seconds;
  }
  row("total", cases, computations, studies, seconds);
  out << "wall time on " << workers << (workers == 1 ? " worker" : " workers") << ": ~" << duration_text(seconds / std::max(1, workers))
      << " (the resource model of docs/case-file.md#resource-limits, good to a small factor; rounds of precision escalation on "
         "inconclusive checks come on top)\n";
  return out.str();
}

// run --dry-run: the plan and its estimated cost (verify/run_estimate.hpp), per suite and engine; nothing is
// computed or written, so the options that only matter for output are errors here.
int dry_run_command(const RunCommandOptions& options) {
  const std::string why = "a dry run computes and writes nothing";
  if (options.out_given) throw InputError("--out", options.out, why);
  if (!options.baseline.empty()) throw InputError("--baseline", options.baseline, why);
  if (!options.write_baseline.empty()) throw InputError("--write-baseline", options.write_baseline, why);
  if (options.fail_on_inconclusive) throw InputError("--fail-on-inconclusive", "set", why);
  if (options.github) throw InputError("--github", "set", why);
  const int jobs = static_cast<int>(parse_integer_option("--jobs", options.jobs, 0, jobs_max));
  (void)parse_integer_option("--max-digits", options.max_digits, max_digits_min, max_digits_max);
  for (const auto& path : options.suites) check_input_file("suite", path);
  std::vector<Suite> suites;
  for (const auto& path : options.suites) suites.push_back(read_suite_file(path));
  check_distinct_suites(suites);
  const RunInputs in = run_inputs(suites);
  std::vector<std::size_t> cases(in.cases.size()), studies(in.studies.size());
  for (std::size_t i = 0; i < cases.size(); ++i) cases[i] = i;
  for (std::size_t j = 0; j < studies.size(); ++j) studies[j] = j;
  std::string scope = "the run";
  if (!options.shard.empty()) {
    const ShardSpec shard = parse_shard("--shard", options.shard);
    const ShardShare share = shard_share(in, shard);
    cases = share.cases;
    studies = share.studies;
    scope = "shard " + options.shard;
  }
  const std::vector<SuiteEstimate> estimate = estimate_run(in, cases, studies);
  std::cout << render_run_estimate(estimate, scope, worker_count(jobs, cases.size() + studies.size()));
  return 0;
}

}  // namespace

int run_suites_command(const RunCommandOptions& options, const RunComputer& compute) {
  try {
    if (options.dry_run) return dry_run_command(options);
    if (!options.shard.empty() && compute)
      throw InputError("--shard", options.shard, "splits a run between separate processes; under mpirun the ranks share the run "
                                                 "dynamically: give one or the other (docs/cluster.md)");
    if (!options.shard.empty()) return run_shard_command(options);
    // GitHub Actions (docs/suite-file.md#github-actions): the step summary's path is checked before anything runs
    const std::string step_summary = environment("GITHUB_STEP_SUMMARY");
    if (!step_summary.empty()) check_step_summary(step_summary);
    const bool github = options.github || environment("GITHUB_ACTIONS") == "true";
    const nlohmann::json report = run_suites_checked(options, true, nullptr, compute);
    // no colours under MPI: a rank's stdout is a terminal of mpirun's, whatever mpirun's own stdout is
    return report_outcome(report, options.out, options.write_baseline, github, step_summary, !compute && ::isatty(1) != 0);
  } catch (const InputError& e) {
    print_stderr_line(std::string("diffbound run: error: ") + e.what());
    return 2;
  } catch (const std::exception& e) {
    print_stderr_line(std::string("diffbound run: internal error: ") + e.what());
    return 4;
  }
}

int merge_command(const MergeCommandOptions& options) {
  try {
    const std::string step_summary = environment("GITHUB_STEP_SUMMARY");
    if (!step_summary.empty()) check_step_summary(step_summary);
    const bool github = options.github || environment("GITHUB_ACTIONS") == "true";
    // Every option and path first, then every part read and checked: nothing is written on a bad one.
    RunOptions run;
    run.jobs = static_cast<int>(parse_integer_option("--jobs", options.jobs, 0, jobs_max));
    if (!options.baseline.empty()) check_input_file("--baseline", options.baseline);
    check_output_directory("--out", options.out);
    if (!options.write_baseline.empty()) check_output_file("--write-baseline", options.write_baseline);
    std::vector<PartFile> parts;
    for (const auto& path : options.parts) parts.push_back(read_part(path));
    run.baseline = options.baseline;
    run.fail_on_inconclusive = options.fail_on_inconclusive;
    run.progress = !options.quiet;
    const nlohmann::json report = merge_parts(parts, run);
    write_report_files(report, options.out);
    if (!options.write_baseline.empty())
      write_file_atomically(options.write_baseline, baseline_of(report).dump(1) + "\n", "--write-baseline");
    return report_outcome(report, options.out, options.write_baseline, github, step_summary);
  } catch (const InputError& e) {
    print_stderr_line(std::string("diffbound merge: error: ") + e.what());
    return 2;
  } catch (const std::exception& e) {
    print_stderr_line(std::string("diffbound merge: internal error: ") + e.what());
    return 4;
  }
}

int list_bounds_command() {
  const auto rows = list_bounds(BoundRegistry::builtins());
  std::size_t w = 2;
  for (const auto& r : rows) w = std::max(w, r.id.size());
  for (const auto& r : rows) {
    std::cout << r.id << std::string(w + 2 - r.id.size(), ' ') << r.kind << (r.kind == "rate" ? "      " : "  ") << r.metric
              << "  " << r.provenance << std::string(r.provenance.size() < 16 ? 16 - r.provenance.size() : 1, ' ') << r.citation
              << "\n";
  }
  return 0;
}

int report_command(const ReportOptions& options) {
  try {
    const auto& formats = report_formats();
    if (std::find(formats.begin(), formats.end(), options.format) == formats.end())
      throw InputError("--format", options.format, "unknown report format; expected " + report_formats_text());
    check_input_file("report", options.report_json);
    if (!options.output.empty()) check_output_file("-o", options.output);
    const nlohmann::json report = read_report_file(options.report_json);
    const std::string text = render_format(report, options.format);
    if (options.output.empty()) std::cout << text;
    else write_file_atomically(options.output, text, "-o");
    return 0;
  } catch (const InputError& e) {
    print_stderr_line(std::string("diffbound report: error: ") + e.what());
    return 2;
  } catch (const std::exception& e) {
    print_stderr_line(std::string("diffbound report: internal error: ") + e.what());
    return 4;
  }
}

}  // namespace diffbound
