// The one worker pool of a run: cases, their twins, the limits of rate claims and studies are all
// tasks of it. Results land at their index, so the output order never depends on the schedule.
#pragma once

#include <cstddef>
#include <functional>

namespace diffbound {

// Threads for `requested` jobs (0: all cores), never more than `tasks` (at least 1).
int worker_count(int requested, std::size_t tasks);

// Runs task(i) for i in [0, n) on `jobs` threads; after each task, done(i) runs under a lock (progress
// output). The first exception a task throws stops the pool and is rethrown here.
void run_parallel(std::size_t n, int jobs, const std::function<void(std::size_t)>& task,
                  const std::function<void(std::size_t)>& done = {});

}  // namespace diffbound
