// The diffbound program: parses arguments and calls the layers; no numerics here.
#include "cli/commands.hpp"
#include "cli/stderr_line.hpp"
#ifdef DIFFBOUND_WITH_MPI
#include "cli/mpi_command.hpp"
#endif

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

namespace {

// The version, and whether `mpirun -np N diffbound run` shares the run between ranks (docs/cluster.md#mpi).
std::string version_text() {
#ifdef DIFFBOUND_WITH_MPI
  return std::string(diffbound::version_string()) + "\n" + diffbound::mpi_version_line();
#else
  return std::string(diffbound::version_string()) + "\nMPI: not built in";
#endif
}

// Under an MPI launcher every rank parses the same command line: one message is enough (rank 0's).
bool first_rank() {
  for (const char* v : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"})
    if (const char* rank = std::getenv(v)) return std::string(rank) == "0";
  return true;
}

// `run` started by an MPI launcher is an MPI run; a plain `diffbound run` never initialises MPI.
int run_command(const diffbound::RunCommandOptions& run) {
#ifdef DIFFBOUND_WITH_MPI
  if (diffbound::run_under_mpi()) return diffbound::run_mpi_command(run);
#endif
  return diffbound::run_suites_command(run);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"diffbound: exact KL and TV of diffusion samplers against published convergence bounds"};
  app.require_subcommand(1);
  app.set_version_flag("--version", version_text());

  diffbound::KlOptions kl;
  auto* kl_cmd = app.add_subcommand("kl", "Exact KL(Q_t_out || P_t_out), its decomposition and a TV enclosure for one case file");
  kl_cmd->add_option("case", kl.case_path, "Case file (TOML; keys in docs/case-file.md)")->required();
  kl_cmd->add_flag("--json", kl.json, "Print the result as JSON instead of a summary");
  kl_cmd->add_option("--output,-o", kl.output, "Also write the JSON result to this file (written only on success)");

  diffbound::RunCommandOptions run;
  auto* run_cmd = app.add_subcommand("run", "Run verification suites: exact values, bound checks, rate fits, reports");
  run_cmd->add_option("suites", run.suites, "Suite files (TOML; keys in docs/suite-file.md)")->required();
  run_cmd->add_option("--out,-o", run.out, "Report directory (report.json, report.md, junit.xml, index.html)")->capture_default_str();
  run_cmd->add_option("--jobs,-j", run.jobs, "Cases computed in parallel (0 = all cores)")->capture_default_str();
  run_cmd->add_option("--baseline", run.baseline, "Compare every exact value with this baseline (regression check)");
  run_cmd->add_option("--write-baseline", run.write_baseline, "Store every exact value with its enclosure in this file");
  run_cmd->add_flag("--fail-on-inconclusive", run.fail_on_inconclusive, "Exit with status 3 when inconclusive checks remain");
  run_cmd->add_option("--max-digits", run.max_digits, "Cap of the precision escalation on inconclusive checks")
      ->capture_default_str();
  run_cmd->add_flag("--quiet,-q", run.quiet, "No progress output on stderr");
  run_cmd->add_flag("--github", run.github,
                    "Print GitHub Actions ::error annotations for failing checks (default when GITHUB_ACTIONS=true)");
  run_cmd->add_flag("--dry-run", run.dry_run,
                    "Print the cases, computations and estimated CPU time per suite and engine; compute and write nothing");
  run_cmd->add_option("--shard", run.shard, "K/N: compute shard K of N only and write OUT/part.json (docs/cluster.md)");

  diffbound::MergeCommandOptions merge;
  auto* merge_cmd = app.add_subcommand("merge", "Merge the parts of a sharded run (run --shard K/N) into one report");
  merge_cmd->add_option("parts", merge.parts, "Part directories (or their part.json), one per shard")->required();
  merge_cmd->add_option("--out,-o", merge.out, "Report directory (report.json, report.md, junit.xml, index.html)")->capture_default_str();
  merge_cmd->add_option("--jobs,-j", merge.jobs, "Threads for the limits of minus_limit claims (0 = all cores)")->capture_default_str();
  merge_cmd->add_option("--baseline", merge.baseline, "Compare every exact value with this baseline (regression check)");
  merge_cmd->add_option("--write-baseline", merge.write_baseline, "Store every exact value with its enclosure in this file");
  merge_cmd->add_flag("--fail-on-inconclusive", merge.fail_on_inconclusive, "Exit with status 3 when inconclusive checks remain");
  merge_cmd->add_flag("--quiet,-q", merge.quiet, "No progress output on stderr");
  merge_cmd->add_flag("--github", merge.github,
                      "Print GitHub Actions ::error annotations for failing checks (default when GITHUB_ACTIONS=true)");

  auto* list_cmd = app.add_subcommand("list", "List registered objects");
  std::string what;
  list_cmd->add_option("what", what, "What to list: bounds")->required()->check(CLI::IsMember({"bounds"}));

  diffbound::ReportOptions report;
  auto* report_cmd = app.add_subcommand("report", "Render a report.json as Markdown, JUnit XML, HTML, CSV or LaTeX");
  report_cmd->add_option("report", report.report_json, "A report.json written by `diffbound run`")->required();
  report_cmd->add_option("--format,-f", report.format, "md | junit | html | csv | latex")->capture_default_str();
  report_cmd->add_option("--output,-o", report.output, "Write to this file instead of standard output");

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // The project's style ("diffbound run: error: ...", the usage hint), not CLI11's raw text. Values
    // such as --jobs and --max-digits are taken as text and checked by the commands, which name the
    // option and the value.
    std::string who = "diffbound";
    for (const auto* sub : app.get_subcommands()) who += " " + sub->get_name();
    if (first_rank()) diffbound::print_stderr_line(who + ": error: " + e.what() + " (" + who + " --help lists the arguments)");
    return 2;
  }
  if (kl_cmd->parsed()) return diffbound::run_kl(kl);
  if (run_cmd->parsed()) {
    run.out_given = run_cmd->get_option("--out")->count() > 0;
    return run_command(run);
  }
  if (merge_cmd->parsed()) return diffbound::merge_command(merge);
  if (list_cmd->parsed()) return diffbound::list_bounds_command();
  if (report_cmd->parsed()) return diffbound::report_command(report);
  return 2;
}
