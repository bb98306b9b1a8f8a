#include "cli/mpi_command.hpp"

#include "verify/mpi_run.hpp"

namespace diffbound {

bool run_under_mpi() { return launched_by_mpi(); }

std::string mpi_version_line() { return "MPI: built in (" + mpi_implementation() + ")"; }

int run_mpi_command(const RunCommandOptions& options) {
  MpiSession mpi;
  if (mpi.rank() != 0) return mpi.serve();
  // the usual checks and messages; only the computation is the ranks'. A rank 0 that stops before handing
  // anything out (bad input) tells the others when `mpi` ends.
  return run_suites_command(options, [&](const std::vector<SuiteSource>& sources, const RunOptions& run) { return mpi.run(sources, run); });
}

}  // namespace diffbound
