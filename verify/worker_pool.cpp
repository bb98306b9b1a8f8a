#include "verify/worker_pool.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace diffbound {

int worker_count(int requested, std::size_t tasks) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int jobs = requested > 0 ? requested : cores;
  return std::max(1, std::min<int>(jobs, static_cast<int>(std::max<std::size_t>(1, tasks))));
}

void run_parallel(std::size_t n, int jobs, const std::function<void(std::size_t)>& task, const std::function<void(std::size_t)>& done,
                  const std::atomic<bool>* cancel) {
  std::atomic<std::size_t> next{0};
  std::mutex lock;
  std::exception_ptr failure;
  auto worker = [&] {
    const CancelScope scope(cancel);  // the engines poll it once per time step
    for (;;) {
      if (cancel && cancel->load()) {
        next = n;
        return;
      }
      const std::size_t i = next++;
      if (i >= n) return;
      try {
        task(i);
      } catch (...) {
        std::lock_guard<std::mutex> guard(lock);
        if (!failure) failure = std::current_exception();
        next = n;
        return;
      }
      if (done) {
        std::lock_guard<std::mutex> guard(lock);
        done(i);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int j = 0; j < std::max(1, jobs) && static_cast<std::size_t>(j) < n; ++j) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  if (cancel && cancel->load()) throw Cancelled();
}

}  // namespace diffbound
