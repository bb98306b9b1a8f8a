// Runs a computation with the GIL released on a worker thread while the calling thread waits in short
// slices, checking for signals (Ctrl-C) with the GIL held in between. On a signal the cancel flag is set; the
// worker thread (and run()'s pool threads) are pointed at it, so the engines stop at their next time step
// (numerics/cancellation.hpp), and the Python exception the signal handler raised (KeyboardInterrupt)
// propagates.
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <functional>
#include <string>

namespace diffbound::python {

// Needs the GIL. The work must not touch Python objects. Its InputError becomes ValueError (with
// `message_prefix` before the message, as the CLI prints it), any other exception RuntimeError, except
// Cancelled after a signal, which gives way to the signal's exception.
std::string interruptible(const std::function<std::string(const std::atomic<bool>& cancel)>& work,
                          const std::string& message_prefix = "");

// Whether the last interrupted computation ended at a cancellation point (Cancelled) rather than running to
// its end: what the tests check, without timing anything.
bool last_interrupt_stopped_work();

}  // namespace diffbound::python
