// The exact quantities of a case, computed in the precision the case asks for and returned in a
// precision-independent form: each number as double enclosure plus decimal strings with all digits.
#pragma once

#include "numerics/case_spec.hpp"

#include <optional>
#include <string>
#include <vector>

namespace diffbound {

// One computed number: value with an enclosure [lo, hi]. For certified results the enclosure is
// rigorous; for point results lo = hi = value unless an error estimate widens it.
struct Quantity {
  double value = 0, lo = 0, hi = 0;
  std::string value_str, lo_str, hi_str;
  bool finite = true;
};

// A number of any engine type (double, mpfr_real, interval_real; instantiated in exact.cpp) as a
// Quantity (intervals: outward-rounded ends).
template <class Real> Quantity quantity_of(const Real& x);

// The measurement of a zero-shot case as used (docs/math.md#zero-shot), with the drawn x_0 when y was drawn.
struct ProblemRecord {
  std::string op;  // identity | inpaint | subsample | conditioned | matrix
  long p = 0, rank = 0;
  bool coordinatewise = false;
  double kappa_H = 1, s_max = 1, s_min = 1;
  std::string sigma_y;
  std::vector<std::string> y, x0;
};

struct ExactQuantities {
  Quantity kl, kl_q0_gamma, E_T;
  std::optional<Quantity> D_T, B_T;  // ddpm only
  std::optional<Quantity> girsanov;  // sde-ei only: Girsanov integral G, KL <= E_T + G (numerics/continuous_time.hpp)
  Quantity hellinger2, tv_lo, tv_hi;
  // case descriptors the bounds use
  long dim = 0, steps = 0, t_out = 0;
  double kappa = 1, alpha_bar_T = 0, m2 = 0, lambda_min = 1, lambda_max = 1, epsilon = 0;
  // provenance
  std::string method;  // e.g. "gaussian-fast/certified-50", names engine and precision
  bool certified = false;
  std::string precision;  // double | extended | mpfr | certified
  unsigned digits = 0;    // decimal digits of the working precision
  std::string path;       // fast | dense
  long directions = 0;
  double seconds = 0;
  std::optional<ProblemRecord> problem;  // zero-shot cases: the target is the posterior Q_{0|y}
};

// Computes the exact quantities of a case (dispatching on family and numerics.precision).
// Throws InputError on invalid input.
ExactQuantities compute_exact(const CaseSpec& spec);

// Checks numerics.precision/digits; also used by the parsers.
void validate_numerics(const NumericsSpec& n);

}  // namespace diffbound
