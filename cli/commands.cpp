#include "cli/commands.hpp"

#include "numerics/exact.hpp"
#include "numerics/input_error.hpp"
#include "reports/exact_json.hpp"
#include "reports/version.hpp"
#include "bounds/registry.hpp"
#include "reports/render.hpp"
#include "reports/terminal.hpp"
#include "verify/case_file.hpp"
#include "verify/runner.hpp"
#include "verify/suite.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace diffbound {

const char* version_string() { return DIFFBOUND_VERSION " (" DIFFBOUND_GIT_REVISION ")"; }

void write_file_atomically(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path tmp = target.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError("output", path, "cannot write here");
    out << text;
    out.flush();
    if (!out) { fs::remove(tmp); throw InputError("output", path, "write failed"); }
  }
  fs::rename(tmp, target);
}

int run_kl(const KlOptions& options) {
  try {
    const CaseSpec spec = read_case_file(options.case_path);
    const ExactQuantities q = compute_exact(spec);
    const auto j = exact_json(spec, q);
    if (!options.output.empty()) write_file_atomically(options.output, j.dump(2) + "\n");
    if (options.json) std::cout << j.dump(2) << "\n";
    else std::cout << exact_summary(spec, q);
    return 0;
  } catch (const InputError& e) {
    std::cerr << "diffbound kl: error: " << options.case_path << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "diffbound kl: internal error: " << e.what() << "\n";
    return 4;
  }
}

int run_suites_command(const RunCommandOptions& options) {
  try {
    std::vector<Suite> suites;
    for (const auto& path : options.suites) suites.push_back(read_suite_file(path));
    check_distinct_suites(suites);
    RunOptions run;
    run.jobs = options.jobs;
    run.baseline = options.baseline;
    run.fail_on_inconclusive = options.fail_on_inconclusive;
    run.progress = !options.quiet;
    run.max_digits = options.max_digits;
    const nlohmann::json report = run_suites(suites, run);
    // Written only now, all at once: an interrupted or failed run leaves the previous report intact.
    write_report_files(report, options.out);
    if (!options.write_baseline.empty()) write_file_atomically(options.write_baseline, baseline_of(report).dump(1) + "\n");
    std::cout << render_terminal_table(report, ::isatty(1) != 0);
    std::cout << "report: " << options.out << "/index.html (also report.md, junit.xml, report.json)\n";
    if (!options.write_baseline.empty()) std::cout << "baseline written: " << options.write_baseline << "\n";
    return report["summary"]["exit_status"].get<int>();
  } catch (const InputError& e) {
    std::cerr << "diffbound run: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "diffbound run: internal error: " << e.what() << "\n";
    return 4;
  }
}

int list_bounds_command() {
  const auto rows = list_bounds(BoundRegistry::builtins());
  std::size_t w = 2;
  for (const auto& r : rows) w = std::max(w, r.id.size());
  for (const auto& r : rows) {
    std::cout << r.id << std::string(w + 2 - r.id.size(), ' ') << r.kind << (r.kind == "rate" ? "      " : "  ") << r.metric
              << "  " << r.provenance << std::string(r.provenance.size() < 11 ? 11 - r.provenance.size() : 1, ' ') << r.citation
              << "\n";
  }
  return 0;
}

int report_command(const ReportOptions& options) {
  try {
    const nlohmann::json report = read_report_file(options.report_json);
    const std::string text = render_format(report, options.format);
    if (options.output.empty()) std::cout << text;
    else write_file_atomically(options.output, text);
    return 0;
  } catch (const InputError& e) {
    std::cerr << "diffbound report: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "diffbound report: internal error: " << e.what() << "\n";
    return 4;
  }
}

}  // namespace diffbound
