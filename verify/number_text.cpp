#include "verify/number_text.hpp"

#include "numerics/real.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace diffbound {

std::string fmt(double v, int digits) {
  if (v == 0) v = 0;  // -0.0 == 0: print "0", not "-0"
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

std::string fmt(const Enclosure& q, int digits) {
  if (!q.finite) return "+inf";
  if (std::isfinite(q.value) && digits <= 17) return fmt(q.value, digits);
  if (q.value_str.empty()) return fmt(q.value, digits);
  PrecisionScope p(std::max(digits + 5, 30));
  const mpfr_real x(q.value_str);
  if (x == 0) return "0";
  return x.str(digits, std::ios_base::fmtflags(0));
}

std::pair<std::string, std::string> fmt_distinct(double a, double b) {
  for (int digits = 4; digits <= 17; ++digits) {
    std::string x = fmt(a, digits), y = fmt(b, digits);
    if (x != y) return {x, y};
  }
  return {fmt(a), fmt(b)};
}

std::pair<std::string, std::string> fmt_distinct(const Enclosure& a, const Enclosure& b) {
  for (int digits = 4; digits <= 40; ++digits) {
    std::string x = fmt(a, digits), y = fmt(b, digits);
    if (x != y) return {x, y};
  }
  return {fmt(a), fmt(b)};
}

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v == 0 ? 0.0 : v) : nlohmann::json(nullptr); }

nlohmann::json enclosure_brief(const Enclosure& q) {
  return {{"value", q.finite ? number_or_null(q.value) : nlohmann::json(nullptr)},
          {"lo", q.finite ? number_or_null(q.lo) : nlohmann::json(nullptr)},
          {"hi", q.finite ? number_or_null(q.hi) : nlohmann::json(nullptr)},
          {"value_str", q.value_str}, {"lo_str", q.lo_str}, {"hi_str", q.hi_str}, {"finite", q.finite}};
}

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

}  // namespace diffbound
