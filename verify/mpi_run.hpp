// A run shared by the ranks of an MPI job (`mpirun -np N diffbound run ...`, docs/cluster.md#mpi): rank 0
// reads and checks the suites, hands out one case or study at a time (largest estimated cost first) to the
// ranks that ask for more, gathers their results (verify/part_json.hpp: every digit) and summarizes them as
// a single process would (runner.hpp's summarize_run). Compiled only with DIFFBOUND_WITH_MPI; the library
// layers know nothing of MPI, and this header names none of its types.
#pragma once

#include "verify/runner.hpp"
#include "verify/shard.hpp"

#include <memory>
#include <string>
#include <vector>

namespace diffbound {

// Whether this process was started by an MPI launcher (mpirun, mpiexec, srun with PMIx), read from the
// environment the launcher sets: a plain `diffbound run` never initialises MPI.
bool launched_by_mpi();
// The MPI this program was built with, e.g. "Open MPI 4.1.4".
std::string mpi_implementation();

// MPI initialised for the lifetime of the object. Every rank makes one: rank 0 then calls run() (or nothing,
// on bad input), the others serve(). A rank 0 that never reached run() (bad input, any exception) tells the
// others to stop when the session ends, so no rank waits forever.
class MpiSession {
public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const;
  int size() const;

  // Rank 0: the report of the suites (read from `sources`), computed by all ranks; with one rank, by this
  // one. The baseline (options.baseline) is read and matched before anything is handed out. Throws
  // InputError on bad input and, when a rank fails on an item (an exception that is not a case's own result:
  // out of memory, a cancellation), std::runtime_error (InputError for bad input found there) naming the
  // rank and the case, after every rank has stopped; nothing is then returned to write.
  nlohmann::json run(const std::vector<SuiteSource>& sources, const RunOptions& options);

  // The other ranks: compute what rank 0 hands out until it says stop. Returns the exit status: 0, or 4 when
  // this rank could not take part (reported to rank 0 too).
  int serve();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace diffbound
