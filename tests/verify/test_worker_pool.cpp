// The worker pool's cancel flag (the Python module's Ctrl-C): once set, no task starts and Cancelled is
// thrown; run_suites passes RunOptions::cancel to its pools.
#include "verify/runner.hpp"
#include "verify/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

using namespace diffbound;

TEST(WorkerPool, CancelStopsBeforeTheNextTask) {
  for (int jobs : {1, 3}) {
    std::atomic<bool> cancel{false};
    std::atomic<int> ran{0};
    EXPECT_THROW(run_parallel(
                     1000, jobs,
                     [&](std::size_t) {
                       if (++ran == 5) cancel = true;
                     },
                     {}, &cancel),
                 Cancelled);
    EXPECT_GE(ran.load(), 5);
    EXPECT_LE(ran.load(), 4 + jobs);  // the tasks already started when the flag was set, no more
  }
}

TEST(WorkerPool, UnsetFlagRunsEveryTask) {
  std::atomic<bool> cancel{false};
  std::vector<int> seen(100, 0);
  run_parallel(100, 2, [&](std::size_t i) { seen[i] = 1; }, {}, &cancel);
  for (int s : seen) EXPECT_EQ(s, 1);
}

TEST(WorkerPool, RunSuitesStopsWhenCancelled) {
  const Suite suite = read_suite_text(R"TOML(
[suite]
name = "c"
[[case]]
checks = ["chain-rule"]
[case.target]
family = "gaussian"
dim = 2
spectrum = "geometric"
kappa = 3.0
[case.schedule]
kind = "etc"
steps = [10, 20, 30]
[case.sampler]
kind = "ddpm"
variance = "theory"
)TOML", "c.toml");
  std::atomic<bool> cancel{true};
  RunOptions options;
  options.progress = false;
  options.cancel = &cancel;
  EXPECT_THROW(run_suites({suite}, options), Cancelled);
  cancel = false;
  EXPECT_EQ(run_suites({suite}, options)["summary"]["pass"].get<int>(), 3);
}
