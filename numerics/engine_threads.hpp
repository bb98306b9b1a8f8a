// How many threads one computation may use: the double fast path splits its directions between them
// (numerics/detail/fast_exact_double.hpp, issue 12: threads across directions for very large d). 1 unless
// the caller raises it for the calling thread (EngineThreadsScope): a run's worker pool already has one
// computation per core, while `diffbound kl` and Python's kl() run a single one and give it the machine.
#pragma once

namespace diffbound {

namespace detail {
inline thread_local unsigned engine_thread_budget = 1;
}  // namespace detail

inline unsigned engine_threads() { return detail::engine_thread_budget; }

// Lets computations on the calling thread use `threads` threads for the scope's lifetime (at least 1).
class EngineThreadsScope {
public:
  explicit EngineThreadsScope(unsigned threads) : previous_(detail::engine_thread_budget) {
    detail::engine_thread_budget = threads == 0 ? 1 : threads;
  }
  EngineThreadsScope(const EngineThreadsScope&) = delete;
  EngineThreadsScope& operator=(const EngineThreadsScope&) = delete;
  ~EngineThreadsScope() { detail::engine_thread_budget = previous_; }

private:
  unsigned previous_;
};

}  // namespace diffbound
