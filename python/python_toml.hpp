// A Python dict as the text of a TOML case file, so that diffbound.kl(dict) reads it with the same reader
// (and the same field-naming errors) as a file. Floats are written as Python's repr (the shortest decimal
// that reads back to the same double) and decimal.Decimal as its exact text: the engines read numbers from
// their decimal text (verify/toml_reader.hpp), so Decimal("0.1") reaches MPFR as 0.1, not its double.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

namespace diffbound::python {

// Needs the GIL. Throws InputError naming the key path ("target.mean[1]") of a value TOML cannot hold.
std::string toml_text_of(const pybind11::dict& table);

}  // namespace diffbound::python
