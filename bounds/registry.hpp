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

// A bound compiled outside bounds/registry.cpp (a header of its own in a program or a test) joins the
// built-ins with one line at namespace scope:  const BoundRegistration<MySpec> my_spec_registered;
// It is then listed by `diffbound list bounds` and usable in any suite's checks, like a built-in.
using BoundFactory = std::unique_ptr<Bound> (*)();
void register_builtin(BoundFactory make);
template <class Spec> struct BoundRegistration {
  BoundRegistration() {
    register_builtin([]() -> std::unique_ptr<Bound> { return std::make_unique<FormulaBound<Spec>>(); });
  }
};

// One row of `diffbound list bounds`.
struct BoundSummary {
  std::string id, kind, metric, measured, provenance, citation, description;
};
std::vector<BoundSummary> list_bounds(const BoundRegistry& registry);

}  // namespace diffbound
