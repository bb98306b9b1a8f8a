// The one error type for bad input: it names the field and the offending value.
#pragma once

#include <stdexcept>
#include <string>

namespace diffbound {

class InputError : public std::runtime_error {
public:
  InputError(std::string field, std::string value, const std::string& why)
      : std::runtime_error(field + " = " + value + ": " + why), field_(std::move(field)), value_(std::move(value)), why_(why) {}
  const std::string& field() const { return field_; }
  const std::string& why() const { return why_; }
  const std::string& value() const { return value_; }

private:
  std::string field_, value_, why_;
};

}  // namespace diffbound
