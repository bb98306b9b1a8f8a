// Shared by the fuzz targets: the input as text, and the one rule of every target. InputError (and the
// exceptions documented next to an entry point as a clean rejection) is the expected outcome of bad
// input; anything else escaping LLVMFuzzerTestOneInput (another exception, a crash, a sanitizer report)
// is a finding. The same sources build two ways (tests/fuzz/CMakeLists.txt): with libFuzzer under
// -DDIFFBOUND_FUZZ=ON (clang), and with replay_main.cpp as a ctest test that feeds every corpus file
// to the same function in the normal build.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace diffbound::fuzz {

inline std::string text_of(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace diffbound::fuzz
