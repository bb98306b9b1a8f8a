// The one place bounds are registered: every built-in bound of docs/math.md#bounds, plus the user-defined bounds
// a suite adds. Lookup by id; listing for `diffbound list bounds`.
#pragma once

#include "bounds/bound.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace diffbound {

class BoundRegistry {
public:
  BoundRegistry() = default;  // empty
  // A fresh registry holding every built-in bound (a suite then adds its own with add()).
  static BoundRegistry with_builtins();
  // The built-ins, shared and immutable (for listing and lookups that need no user bounds).
  static const BoundRegistry& builtins();

  // Adds a bound; throws InputError(field, id, ...) if the id is taken.
  void add(std::unique_ptr<Bound> bound, const std::string& field = "bound.id");
  // nullptr when unknown.
  const Bound* find(std::string_view id) const;
  // Throws InputError(field, id, "unknown bound; known: ...") when unknown.
  const Bound& at(std::string_view id, const std::string& field = "checks") const;
  const std::vector<std::unique_ptr<Bound>>& all() const { return bounds_; }

private:
  std::vector<std::unique_ptr<Bound>> bounds_;  // in registration order (the listing order)
};

// One row of `diffbound list bounds`.
struct BoundSummary {
  std::string id, kind, metric, measured, provenance, citation, description;
};
std::vector<BoundSummary> list_bounds(const BoundRegistry& registry);

}  // namespace diffbound
