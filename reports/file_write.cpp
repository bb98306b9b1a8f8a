#include "reports/file_write.hpp"

#include "numerics/input_error.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace diffbound {

namespace fs = std::filesystem;

std::string write_new_file_synced(const fs::path& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot create " + path.string() + ": " + std::strerror(errno);
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      return "cannot write " + path.string() + ": " + std::strerror(e);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int e = errno;
    ::close(fd);
    return "cannot write " + path.string() + ": " + std::strerror(e);
  }
  if (::close(fd) != 0) return "cannot write " + path.string() + ": " + std::strerror(errno);
  return "";
}

void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

void write_file_atomically(const std::string& path, const std::string& text, const std::string& option) {
  const fs::path target(path);
  const fs::path tmp = target.string() + ".tmp." + std::to_string(::getpid());
  auto fail = [&](const std::string& why) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw InputError(option, path, why);
  };
  {
    std::error_code ignored;
    fs::remove(tmp, ignored);  // a leftover of a killed run with the same pid
  }
  if (const std::string why = write_new_file_synced(tmp, text); !why.empty()) fail(why);
  if (::rename(tmp.c_str(), target.c_str()) != 0) fail(std::string("cannot replace it: ") + std::strerror(errno));
  fs::path dir = target.parent_path();
  sync_directory(dir.empty() ? fs::path(".") : dir);
}

}  // namespace diffbound
