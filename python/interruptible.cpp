#include "interruptible.hpp"

#include "numerics/input_error.hpp"
#include "numerics/cancellation.hpp"

#include <chrono>
#include <exception>
#include <future>
#include <memory>

namespace py = pybind11;

namespace diffbound::python {

namespace {
std::atomic<bool> last_interrupt_stopped{false};
}  // namespace

bool last_interrupt_stopped_work() { return last_interrupt_stopped.load(); }

std::string interruptible(const std::function<std::string(const std::atomic<bool>& cancel)>& work, const std::string& message_prefix) {
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  std::future<std::string> result = std::async(std::launch::async, [cancel, &work] {
    const CancelScope scope(cancel.get());  // the engines poll it once per time step (numerics/cancellation.hpp)
    return work(*cancel);
  });
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    // 50 ms: Ctrl-C is felt at once, and the waiting thread costs nothing next to the computation.
    while (result.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
      if (interrupted) continue;
      py::gil_scoped_acquire acquire;
      if (PyErr_CheckSignals() != 0) {  // the handler raised (KeyboardInterrupt): stop the work, keep the error set
        interrupted = true;
        cancel->store(true);
      }
    }
  }
  if (interrupted) {
    bool stopped = false;
    try {
      result.get();
    } catch (const Cancelled&) {
      stopped = true;  // the engines saw the flag: the work ended at a cancellation point, not at its end
    } catch (...) {    // whatever else the stopped work threw: the interrupt is what the caller asked for
    }
    last_interrupt_stopped.store(stopped);
    throw py::error_already_set();
  }
  try {
    return result.get();
  } catch (const InputError& e) {
    throw py::value_error(message_prefix + e.what());
  } catch (const Cancelled&) {
    throw std::runtime_error("diffbound: the computation was cancelled");
  }
}

}  // namespace diffbound::python
