// A computed number with its enclosure and how it was obtained: the one currency between the engines
// and the verdicts (docs/math.md#rigorous-verdict: a pass needs a certified or estimated enclosure).
#pragma once

#include <string>
#include <string_view>

namespace diffbound {

// certified: interval arithmetic, the truth is in [lo, hi] by construction.
// estimated: a value with an error estimate (refinement study); [lo, hi] contains the truth when the
//            estimate holds, which the truth sweeps test but nothing proves.
// point:     a bare floating-point value (double or MPFR): lo = hi = value, no enclosure at all.
enum class EnclosureKind { certified, estimated, point };

// The engine that computed a case's numbers (its "path" in report.json).
enum class Engine { gaussian_fast, gaussian_dense, continuous_time, mixture };

struct Enclosure {
  double value = 0, lo = 0, hi = 0;          // doubles, ends rounded outward
  std::string value_str, lo_str, hi_str;     // every digit of the working precision
  bool finite = true;
  EnclosureKind kind = EnclosureKind::point;
  std::string method;                        // engine and precision, e.g. "gaussian-fast/certified-50"
};

std::string_view to_string(EnclosureKind);  // certified | estimated | point
std::string_view to_string(Engine);         // fast | dense | continuous | mixture (report.json's "path")
Engine parse_engine_path(std::string_view path);  // the inverse of to_string(Engine); throws std::logic_error

}  // namespace diffbound
