#pragma once
// u - log1p(u) for |u| < 0.1 in double with a fixed number of terms, so that loops over directions
// vectorize (no data-dependent exit, no call); the double fast path's D_T (fast_exact_double.hpp).

namespace diffbound::detail {

// u^2 sum_{k<16} (-u)^k / (k + 2) by Horner. 16 terms are exact to double: the tail is at most
// |u|^16 / (18 (1 - |u|)) <= 1e-16 / 16.2 against a sum >= 1/2 - |u|/3 >= 0.466, i.e. <= 1.4e-17
// relative, below a quarter of the unit roundoff 2^-53 = 1.1e-16; what remains is the rounding of the
// 16 coefficients and of Horner's steps, a few units in the last place (tests/numerics/test_fast_double.cpp).
inline double u_minus_log1p_small(double u) {
  const double x = -u;  // written out: a loop here, even of constant length, keeps callers from vectorizing
  double s = 1.0 / 17;
  s = s * x + 1.0 / 16; s = s * x + 1.0 / 15; s = s * x + 1.0 / 14; s = s * x + 1.0 / 13;
  s = s * x + 1.0 / 12; s = s * x + 1.0 / 11; s = s * x + 1.0 / 10; s = s * x + 1.0 / 9;
  s = s * x + 1.0 / 8; s = s * x + 1.0 / 7; s = s * x + 1.0 / 6; s = s * x + 1.0 / 5;
  s = s * x + 1.0 / 4; s = s * x + 1.0 / 3; s = s * x + 1.0 / 2;
  return u * u * s;
}

}  // namespace diffbound::detail
