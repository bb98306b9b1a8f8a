// The field an InputError names, for tests of bad input: field_of([&] { call(...); }).
#pragma once

#include "numerics/input_error.hpp"

#include <string>

namespace diffbound::testing {

template <class Call> std::string field_of(Call&& call) {
  try {
    call();
  } catch (const InputError& e) {
    return e.field();
  }
  return "(no error)";
}

}  // namespace diffbound::testing
