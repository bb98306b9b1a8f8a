// The exact quantities of a case, computed in the precision the case asks for and returned in a
// precision-independent form: each number as double enclosure plus decimal strings with all digits.
#pragma once

#include "numerics/case_spec.hpp"
#include "numerics/enclosure.hpp"

#include <optional>
#include <string>
#include <vector>

namespace diffbound {

// A number of any engine type (double, mpfr_real, interval_real; instantiated in exact.cpp) as an
// Enclosure (intervals: outward-rounded ends).
template <class Real> Enclosure enclosure_of(const Real& x);

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
  Enclosure kl, kl_q0_gamma, E_T;
  std::optional<Enclosure> D_T, B_T;  // ddpm only
  std::optional<Enclosure> girsanov;  // sde-ei only: Girsanov integral G, KL <= E_T + G (numerics/continuous_time.hpp)
  std::optional<Enclosure> w2;        // W2(Q_{t_out}, output) (docs/math.md#w2), where the engine computes it
  bool w2_estimated = false;         // w2 is an estimate (dense path), whatever the case's kind
  Enclosure hellinger2, tv_lo, tv_hi;
  // case descriptors the bounds use, each an enclosure of the engine's kind (kappa = lambda_max / lambda_min)
  long dim = 0, steps = 0, t_out = 0;
  Enclosure kappa, alpha_bar_T, m2, lambda_min, lambda_max;
  double epsilon = 0;
  // Gaussian targets: the relative Fisher information I(Q_0 | N(0, sigma_inf^2 I)) =
  // (tr S + |m|^2)/sigma_inf^4 - 2 d/sigma_inf^2 + tr S^{-1} (docs/math.md#explicit-constant-bounds; sigma_inf = 1 for
  // the discrete chains)
  std::optional<Enclosure> fisher_rel;
  // continuous-time samplers on Gaussian targets (numerics/continuous_time.hpp): KL(Q_0 || N(0, sigma_inf^2 I)),
  // W2(Q_0, N(0, sigma_inf^2 I)), W2(Q_{T_f}, initial law) and |m|^2, read by the explicit-constant bounds
  std::optional<Enclosure> kl_q0_stationary, w2_q0_stationary, w2_init, mean_norm2;
  // provenance: every quantity above carries `kind` and `method` too
  EnclosureKind kind = EnclosureKind::point;
  std::string method;  // e.g. "gaussian-fast/certified-50", names engine and precision
  std::string precision;  // double | extended | mpfr | certified
  unsigned digits = 0;    // decimal digits of the working precision
  Engine engine = Engine::gaussian_fast;
  long directions = 0;
  double seconds = 0;
  std::optional<ProblemRecord> problem;  // zero-shot cases: the target is the posterior Q_{0|y}
  bool certified() const { return kind == EnclosureKind::certified; }
};

// Computes the exact quantities of a case (dispatching on family and numerics.precision).
// Throws InputError on invalid input.
ExactQuantities compute_exact(const CaseSpec& spec);

// Checks numerics.precision/digits; also used by the parsers.
void validate_numerics(const NumericsSpec& n);

}  // namespace diffbound
