// Fuzz target: the suite reader (verify/suite.hpp): TOML, [[case]] expansion, [[bound]] expressions,
// [[study]] and [[figure]] blocks, and the registry of its user-defined bounds.
#include "fuzz_target.hpp"

#include "numerics/input_error.hpp"
#include "verify/suite.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const diffbound::Suite suite = diffbound::read_suite_text(diffbound::fuzz::text_of(data, size), "fuzz.toml");
    (void)diffbound::registry_for({&suite});
  } catch (const diffbound::InputError&) {
  }
  return 0;
}
