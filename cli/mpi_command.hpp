// `mpirun -np N diffbound run SUITE... --out DIR` (docs/cluster.md#mpi): every rank runs this; rank 0 checks
// the command line, reads the suites, hands out the cases (verify/mpi_run.hpp), writes the report and prints
// what `diffbound run` prints; the other ranks compute and print nothing. Compiled only with DIFFBOUND_WITH_MPI.
#pragma once

#include "cli/commands.hpp"

#include <string>

namespace diffbound {

// Whether `run` is to be an MPI run: this process was started by an MPI launcher.
bool run_under_mpi();
// "MPI: built in (Open MPI 4.1.4)", for --version.
std::string mpi_version_line();
// Rank 0: run_suites_command's exit status; the other ranks: 0, or 4 when one could not take part.
int run_mpi_command(const RunCommandOptions& options);

}  // namespace diffbound
