// Cooperative cancellation of a long computation (the Python module's Ctrl-C, docs/python.md#interrupting):
// whoever runs a computation may point the running thread at a flag (CancelScope); the engines poll it once
// per time step (throw_if_cancelled) and throw Cancelled when it is set. Without a flag, as in the CLI,
// a poll is one thread-local load and a branch.
#pragma once

#include <atomic>
#include <stdexcept>

namespace diffbound {

class Cancelled : public std::runtime_error {
public:
  Cancelled() : std::runtime_error("cancelled") {}
};

namespace detail {
inline thread_local const std::atomic<bool>* cancel_flag = nullptr;
}  // namespace detail

// Points the calling thread at `flag` for the scope's lifetime (the previous flag is restored after).
class CancelScope {
public:
  explicit CancelScope(const std::atomic<bool>* flag) : previous_(detail::cancel_flag) { detail::cancel_flag = flag; }
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;
  ~CancelScope() { detail::cancel_flag = previous_; }

private:
  const std::atomic<bool>* previous_;
};

inline bool cancel_requested() {
  const std::atomic<bool>* flag = detail::cancel_flag;
  return flag != nullptr && flag->load(std::memory_order_relaxed);
}

inline void throw_if_cancelled() {
  if (cancel_requested()) throw Cancelled();
}

}  // namespace diffbound
