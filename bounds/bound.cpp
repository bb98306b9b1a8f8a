#include "bounds/bound.hpp"

#include "numerics/input_error.hpp"

namespace diffbound {

std::string_view to_string(BoundKind k) { return k == BoundKind::rigorous ? "rigorous" : "rate"; }
std::string_view to_string(Metric m) {
  switch (m) {
    case Metric::KL: return "KL";
    case Metric::TV: return "TV";
    case Metric::W2: return "W2";
  }
  return "?";
}
std::string_view to_string(Measured m) {
  switch (m) {
    case Measured::kl: return "kl";
    case Measured::E_T: return "E_T";
    case Measured::tv: return "tv";
    case Measured::w2: return "w2";
  }
  return "?";
}
std::string_view to_string(Provenance p) { return row_of(provenance_table, p).name; }
std::string_view to_string(Relation r) { return r == Relation::upper ? "upper" : "identity"; }
std::string_view to_string(SweepVariable v) {
  switch (v) {
    case SweepVariable::T: return "T";
    case SweepVariable::d: return "d";
    case SweepVariable::kappa: return "kappa";
  }
  return "?";
}

namespace {
// Finds text among the names of enum values 0..count-1, or throws naming the accepted values.
template <class E> E parse_enum(const std::string& field, const std::string& text, int count) {
  std::string accepted;
  for (int i = 0; i < count; ++i) {
    std::string_view name = to_string(static_cast<E>(i));
    if (name == text) return static_cast<E>(i);
    accepted += (i ? ", " : "") + std::string(name);
  }
  throw InputError(field, text, "expected one of: " + accepted);
}
}  // namespace

BoundKind parse_bound_kind(const std::string& field, const std::string& text) {
  return parse_enum<BoundKind>(field, text, 2);
}
Metric parse_metric(const std::string& field, const std::string& text) { return parse_enum<Metric>(field, text, 3); }
Measured parse_measured(const std::string& field, const std::string& text) {
  return parse_enum<Measured>(field, text, 4);
}
SweepVariable parse_sweep_variable(const std::string& field, const std::string& text) {
  return parse_enum<SweepVariable>(field, text, 3);
}
Provenance parse_provenance(const std::string& field, const std::string& text) {
  return parse_enum<Provenance>(field, text, static_cast<int>(provenance_table.size()));
}

std::vector<std::string> BoundInfo::assumptions() const {
  std::vector<std::string> out;
  for (Requirement r : requirements) out.emplace_back(to_string(r));
  out.insert(out.end(), notes.begin(), notes.end());
  return out;
}

}  // namespace diffbound
