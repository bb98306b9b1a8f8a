// The one worker pool of a run: cases, their twins, the limits of rate claims and studies are all
// tasks of it. Results land at their index, so the output order never depends on the schedule.
#pragma once

#include "numerics/cancellation.hpp"

#include <atomic>
#include <cstddef>
#include <functional>
#include <stdexcept>

namespace diffbound {

// Threads for `requested` jobs (0: all cores), never more than `tasks` (at least 1).
int worker_count(int requested, std::size_t tasks);

// Runs task(i) for i in [0, n) on `jobs` threads; after each task, done(i) runs under a lock (progress
// output). The first exception a task throws stops the pool and is rethrown here. With `cancel`, the flag is
// read before each task, and each worker thread is pointed at it (numerics/cancellation.hpp), so the running
// computations stop at their next time step: once it is set the pool stops and Cancelled is thrown.
void run_parallel(std::size_t n, int jobs, const std::function<void(std::size_t)>& task,
                  const std::function<void(std::size_t)>& done = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace diffbound
