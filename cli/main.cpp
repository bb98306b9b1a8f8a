// The diffbound program: parses arguments and calls the layers; no numerics here.
#include "cli/commands.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"diffbound: exact KL and TV of diffusion samplers against published convergence bounds"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(diffbound::version_string()));

  diffbound::KlOptions kl;
  auto* kl_cmd = app.add_subcommand("kl", "Exact KL(Q_t_out || P_t_out), its decomposition and a TV enclosure for one case file");
  kl_cmd->add_option("case", kl.case_path, "Case file (TOML; keys in docs/case-file.md)")->required();
  kl_cmd->add_flag("--json", kl.json, "Print the result as JSON instead of a summary");
  kl_cmd->add_option("--output,-o", kl.output, "Also write the JSON result to this file (written only on success)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (kl_cmd->parsed()) return diffbound::run_kl(kl);
  return 2;
}
