// A line for stderr, written with one write(2). Under mpirun the ranks' stderr and mpirun's own banner share
// one stream, and a line written piece by piece (each `<<` on the unbuffered std::cerr is a write) came out
// with the banner in the middle of it.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <string>

namespace diffbound {

inline void print_stderr_line(std::string line) {
  if (line.empty() || line.back() != '\n') line += '\n';
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // stderr closed: nowhere left to say it
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace diffbound
