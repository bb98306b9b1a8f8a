// Fuzz target: the case-file reader and validator (verify/case_file.hpp), then the case's JSON echo
// (verify/exact_json.hpp), which every report of the case prints.
#include "fuzz_target.hpp"

#include "numerics/input_error.hpp"
#include "verify/exact_json.hpp"
#include "verify/case_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const diffbound::CaseSpec spec = diffbound::read_case_text(diffbound::fuzz::text_of(data, size), "fuzz.toml");
    (void)diffbound::case_json(spec).dump();
  } catch (const diffbound::InputError&) {
  }
  return 0;
}
