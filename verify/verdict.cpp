#include "verify/verdict.hpp"

#include "numerics/input_error.hpp"

namespace diffbound {

std::string_view to_string(Verdict v) { return row_of(verdict_table, v).name; }

std::string_view to_string(Reason r) { return row_of(reason_table, r).name; }

Verdict parse_verdict(const std::string& field, const std::string& text) {
  if (const auto* row = row_named(verdict_table, text)) return row->kind;
  std::string names;
  for (const auto& n : names_of(verdict_table)) names += (names.empty() ? "" : ", ") + n;
  throw InputError(field, "\"" + text + "\"", "unknown verdict (expected one of: " + names + ")");
}

Expectation expectation_of(Verdict actual, std::optional<Verdict> expected) {
  Expectation e;
  e.expected = expected;
  if (expected && *expected != actual)
    e.unexpected = actual == Verdict::pass ? Reason::unexpected_pass
                   : actual == Verdict::fail ? Reason::unexpected_fail
                                             : Reason::unexpected_inconclusive;
  return e;
}

nlohmann::json Expectation::to_json() const {
  if (!expected) return nullptr;
  return {{"verdict", diffbound::to_string(*expected)}, {"met", met()}, {"reason", diffbound::to_string(unexpected)}};
}

void VerdictCounts::count(Verdict v, const Expectation& e) {
  (v == Verdict::pass ? pass : v == Verdict::fail ? fail : inconclusive)++;
  if (!e.expected) return;
  if (!e.met()) {
    ++unexpected;
    return;
  }
  ++expected;
  if (v == Verdict::fail) ++expected_fail;
  if (v == Verdict::inconclusive) ++expected_inconclusive;
}

nlohmann::json VerdictCounts::to_json() const {
  return {{to_string(Verdict::pass), pass},
          {to_string(Verdict::fail), fail},
          {to_string(Verdict::inconclusive), inconclusive},
          {"expected", expected},
          {"unexpected", unexpected}};
}

}  // namespace diffbound
