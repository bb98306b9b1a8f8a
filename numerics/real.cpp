#include "numerics/real.hpp"

#include <mpfr.h>

namespace diffbound {

std::string directed_decimal(const mpfr_real& x, bool round_up) {
  if (!boost::multiprecision::isfinite(x)) return x.str();
  if (x == 0) return "0";
  mpfr_exp_t exponent = 0;
  // Enough digits to represent the binary value, rounded away from the enclosed truth's side.
  std::size_t digits = 0;  // MPFR picks the number of digits that round-trips
  char* raw = mpfr_get_str(nullptr, &exponent, 10, digits, x.backend().data(), round_up ? MPFR_RNDU : MPFR_RNDD);
  std::string mantissa(raw);
  mpfr_free_str(raw);
  std::string sign;
  if (!mantissa.empty() && mantissa[0] == '-') { sign = "-"; mantissa.erase(0, 1); }
  std::string out = sign + mantissa.substr(0, 1);
  if (mantissa.size() > 1) out += "." + mantissa.substr(1);
  out += "e" + std::to_string(static_cast<long>(exponent) - 1);
  return out;
}

}  // namespace diffbound
