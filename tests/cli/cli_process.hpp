// The diffbound program run from a test (tests/cli/test_cli.cpp, test_mpi.cpp): a scratch directory of this
// process, files in it, a shell command with its exit status, stdout and stderr, and reports compared
// timings aside.
#pragma once

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace cli_test {

struct Result {
  int status;
  std::string out, err;
};

// A scratch directory of this process: ctest runs each test as its own process, two at a time, and shared
// file names in TempDir() (the stderr capture, "bad.toml") raced between them.
inline const std::string& scratch() {
  static const std::string dir = [] {
    const std::string d = ::testing::TempDir() + "/diffbound_cli_" + std::to_string(::getpid());
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

inline std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string write(const std::string& name, const std::string& text) {
  const std::string path = scratch() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// `command` through the shell, stdout and stderr captured. The GitHub Actions variables of the environment
// the tests run in are removed first, so CI runs of these tests print no annotations and leave the CI's own
// step summary alone. With `cwd`, the command runs in that directory.
inline Result shell(const std::string& command, const std::string& cwd = "") {
  const std::string err_file = scratch() + "/diffbound_stderr.txt";
  const std::string cmd = (cwd.empty() ? "" : "cd '" + cwd + "' && ") + "env -u GITHUB_ACTIONS -u GITHUB_STEP_SUMMARY " + command + " 2>" + err_file;
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
  const int raw = pclose(pipe);
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, out, read(err_file)};
}

// A report without its timings and the jobs it ran with (what differs between equal runs).
inline nlohmann::json without_timings(nlohmann::json j) {
  if (j.is_object()) {
    for (const char* key : {"seconds", "started", "jobs"}) j.erase(key);
    for (auto& [k, v] : j.items()) v = without_timings(v);
  } else if (j.is_array()) {
    for (auto& v : j) v = without_timings(v);
  }
  return j;
}

inline nlohmann::json report_at(const std::string& dir) { return nlohmann::json::parse(read(dir + "/report.json")); }

}  // namespace cli_test
