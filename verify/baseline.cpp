#include "verify/baseline.hpp"

#include "numerics/input_error.hpp"
#include "numerics/real.hpp"

#include <fstream>
#include <sstream>

namespace diffbound {

namespace {

std::string abridged(const std::string& s) { return s.size() > 60 ? s.substr(0, 60) + "..." : s; }

// A decimal number as MPFR reads it, finite; the text of the error otherwise.
bool finite_decimal(const std::string& text, mpfr_real& out) {
  try {
    out = mpfr_real(text);
  } catch (const std::exception&) {
    return false;
  }
  return boost::multiprecision::isfinite(out);
}

void check_quantity(const nlohmann::json& q, const std::string& file, const std::string& field) {
  auto fail = [&](const std::string& why) { throw InputError("--baseline", file, field + ": " + why); };
  if (q.is_null()) return;
  if (!q.is_object()) fail("expected an enclosure object or null");
  const auto finite = q.find("finite");
  if (finite == q.end() || !finite->is_boolean()) fail("\"finite\" must be true or false");
  if (!finite->get<bool>()) return;
  mpfr_real lo, hi;
  for (const char* end : {"lo_str", "hi_str"}) {
    const auto it = q.find(end);
    if (it == q.end() || !it->is_string()) fail(std::string("\"") + end + "\" must be a decimal number (text)");
    if (!finite_decimal(it->get<std::string>(), end[0] == 'l' ? lo : hi))
      fail(std::string("\"") + end + "\" = " + abridged(it->get<std::string>()) + " is not a finite decimal number");
  }
  if (!(lo <= hi)) fail("lo_str > hi_str");
}

}  // namespace

nlohmann::json parse_baseline(const std::string& text, const std::string& file) {
  nlohmann::json b = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (b.is_discarded()) throw InputError("--baseline", file, "not valid JSON");
  if (!b.is_object() || !b.contains("format") || b["format"] != "diffbound-baseline/1")
    throw InputError("--baseline", file, "not a diffbound baseline (format diffbound-baseline/1)");
  const auto cases = b.find("cases");
  if (cases == b.end() || !cases->is_object()) throw InputError("--baseline", file, "\"cases\" must be an object");
  for (const auto& [key, entry] : cases->items()) {
    const std::string field = "cases[\"" + abridged(key) + "\"]";
    if (!entry.is_object()) throw InputError("--baseline", file, field + ": expected an object");
    for (const char* name : baseline_quantities) {
      const auto q = entry.find(name);
      if (q == entry.end()) throw InputError("--baseline", file, field + "." + name + ": missing");
      check_quantity(*q, file, field + "." + name);
    }
  }
  return b;
}

nlohmann::json read_baseline_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("--baseline", path, "cannot be opened");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError("--baseline", path, "cannot be read");
  return parse_baseline(text.str(), path);
}

}  // namespace diffbound
