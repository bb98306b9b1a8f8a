// The one worker pool of a run: cases, their twins, the limits of rate claims and studies are all
// tasks of it. Results land at their index, so the output order never depends on the schedule.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <stdexcept>

namespace diffbound {

// Threads for `requested` jobs (0: all cores), never more than `tasks` (at least 1).
int worker_count(int requested, std::size_t tasks);

// What run_parallel throws when its cancel flag was set (the Python module's Ctrl-C): no task starts after
// the flag is seen; the running ones finish first (a computation has no cancellation point of its own).
class Cancelled : public std::runtime_error {
public:
  Cancelled() : std::runtime_error("cancelled") {}
};

// Runs task(i) for i in [0, n) on `jobs` threads; after each task, done(i) runs under a lock (progress
// output). The first exception a task throws stops the pool and is rethrown here. With `cancel`, the flag is
// read before each task: once it is set the pool stops and Cancelled is thrown.
void run_parallel(std::size_t n, int jobs, const std::function<void(std::size_t)>& task,
                  const std::function<void(std::size_t)>& done = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace diffbound
