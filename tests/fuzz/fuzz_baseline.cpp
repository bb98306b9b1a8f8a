// Fuzz target: the baseline reader and comparison (`diffbound run --baseline FILE`): run_suites reads and
// validates the file before computing (an InputError is a clean rejection), and for every baseline it accepts a run of a one-case suite (d = 1, T = 5: about
// a millisecond) against it, as `diffbound run` does (the comparison lives in run_suites). The input's
// first "cases" entry is also moved under this case's key, so the comparison itself (not only the lookup
// of a key the fuzzer cannot guess) is reached.
#include "fuzz_target.hpp"

#include "numerics/input_error.hpp"
#include "verify/runner.hpp"
#include "verify/suite.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

using namespace diffbound;

const Suite& suite() {
  static const Suite s = read_suite_text(
      "[suite]\nname = \"fuzz\"\n[[case]]\nchecks = [\"chain-rule\"]\n[case.target]\ndim = 1\n[case.schedule]\nsteps = 5\n",
      "fuzz-suite.toml");
  return s;
}

// The key under which the case's baseline entry is stored (the first key of a baseline of this run).
const std::string& case_key() {
  static const std::string key = [] {
    RunOptions o;
    o.jobs = 1;
    o.progress = false;
    const auto b = baseline_of(run_suites({suite()}, o));
    return b["cases"].begin().key();
  }();
  return key;
}

const std::string& scratch_file() {
  static const std::string path = [] {
    const char* tmp = std::getenv("TMPDIR");
    return std::string(tmp && *tmp ? tmp : "/tmp") + "/diffbound_fuzz_baseline_" + std::to_string(::getpid()) + ".json";
  }();
  return path;
}

void run_against(const std::string& text) {
  { std::ofstream(scratch_file(), std::ios::binary | std::ios::trunc) << text; }
  RunOptions o;
  o.jobs = 1;
  o.progress = false;
  o.baseline = scratch_file();
  try {
    (void)run_suites({suite()}, o);
  } catch (const InputError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz::text_of(data, size);
  (void)case_key();
  run_against(text);
  // The same input with its first "cases" entry (if any) moved under this run's key.
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_object() && j.contains("cases") && j["cases"].is_object() && !j["cases"].empty() && !j["cases"].contains(case_key())) {
    nlohmann::json entry = j["cases"].begin().value();
    j["cases"].erase(j["cases"].begin());
    j["cases"][case_key()] = entry;
    run_against(j.dump());
  }
  std::remove(scratch_file().c_str());
  return 0;
}
