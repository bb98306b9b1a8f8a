// The numbers a bound is evaluated on: exact quantities of one case (computed by numerics, handed
// over by verify) and case descriptors, all in the number type of the measurement.
//
// Conventions for a discrete schedule (docs/math.md#forward-process, docs/math.md#bounds):
//  - tau   = -1/2 log abar_T: the Ornstein-Uhlenbeck time the forward chain covers (abar = e^{-2 tau}).
//  - h     = tau / T: the mean step in OU time (schedules are not uniform in tau; the rate claims
//            that use h speak of a uniform step, and the mean is the natural stand-in).
//  - L     = max(1, 1/lambda_min): the Lipschitz constant of the score of a Gaussian target (Chen et
//            al. 2023 take L >= 1).
//  - m2    = E||X_0||^2 (as numerics computes it); Chen et al.'s m_2 is sqrt(m2).
//  - eps2  = epsilon^2, the squared L2 score error of a `perturbed` score (0 for the exact score).
//  - kl    = the measured KL(Q_{t_out} || P_{t_out}) itself; bounds on TV (Pinsker) are functions of it.
//  - kl_far  = the same case's KL with 100 T steps (zero-shot: does the KL vanish as T grows?).
//  - kl_ddnm = the same zero-shot case's KL with the DDNM score (BO-DDNM against DDNM).
//  - w2    = the measured W2(Q_{t_out}, P_{t_out}) (docs/math.md#w2), where the engine computes it.
//  - sigma_inf, horizon, beta_int = sigma_inf, T_f and int_0^{T_f} beta of the general VP SDE
//            (docs/math.md#vp-sde-general); for the discrete chains sigma_inf = 1 and horizon, beta_int are absent.
//  - lambda_min, lambda_max = the extreme eigenvalues of the target covariance.
//  - fisher_rel = I(Q_0 | N(0, sigma_inf^2 I)), the relative Fisher information (Gaussian targets).
//  - girsanov = the Girsanov integral G of the exponential integrator (sde-ei sampler only,
//            numerics/continuous_time.hpp): KL <= E_T + G.
//  For the continuous-time samplers abar_T = alpha_bar(1) = exp(-(b_min + b_max)/2).
// complete_derived() fills tau, h and L from abar_T, T and lambda_min with exactly these definitions.
#pragma once

#include "numerics/real.hpp"
#include "numerics/vp_schedule.hpp"

#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace diffbound {

// Every quantity a bound (built-in or user-defined) may read. The names are the expression language's;
// everything else about a variable is its row in variable_rows() below.
enum class Variable { d, T, kappa, t_out, abar_T, E_T, D_T, B_T, kl_q0_gamma, m2, eps2, L, h, tau, kl, girsanov, kl_far, kl_ddnm,
                      w2, sigma_inf, horizon, lambda_min, lambda_max, fisher_rel, beta_int };
inline constexpr std::size_t variable_count = static_cast<std::size_t>(Variable::beta_int) + 1;

template <class Real> struct BoundInputs {
  Real d = 0, T = 0, kappa = 1, t_out = 0, abar_T = 0;
  Real E_T = 0, D_T = 0, B_T = 0, kl_q0_gamma = 0;
  Real m2 = 0, eps2 = 0, L = 1, h = 0, tau = 0;
  Real kl = 0;
  Real girsanov = 0;
  Real kl_far = 0, kl_ddnm = 0;
  Real w2 = 0, sigma_inf = 1, horizon = 0, lambda_min = 1, lambda_max = 1, fisher_rel = 0, beta_int = 0;
  // Whether a variable that only some cases have is present (its row names the flag).
  bool has_D_T = false, has_B_T = false, has_kl = false, has_kl_far = false, has_kl_ddnm = false;
  bool has_girsanov = false, has_w2 = false, has_horizon = false, has_fisher_rel = false;  // horizon also gives beta_int
  // The explicit-constant bounds (docs/math.md#explicit-constant-bounds) read the case's VP SDE itself and the
  // distances the continuous-time engine computes (numerics/continuous_time.hpp); not expression variables.
  // has_vp: a continuous-time sampler on a Gaussian target.
  bool has_vp = false;
  VpSchedule<Real> vp;
  Real kl_q0_stationary = 0, w2_q0_stationary = 0, w2_init = 0, mean_norm2 = 0;
};

// One row per variable, in the order of the enum: its name, where its value lives, the flag that says
// whether a case has it (null: every case has it) and, for those, which cases do. A new input is a new
// enum value, a member above, one row here and its producer (verify/judge.cpp's input_producers).
template <class Real> struct VariableRow {
  Variable variable;
  std::string_view name;
  Real BoundInputs<Real>::*value;
  bool BoundInputs<Real>::*present;  // nullptr: always present
  std::string_view present_for;       // which cases have it, for the not-applicable message (may be empty)
};

template <class Real> const std::array<VariableRow<Real>, variable_count>& variable_rows() {
  using B = BoundInputs<Real>;
  using V = Variable;
  static const std::array<VariableRow<Real>, variable_count> rows = {{
      {V::d, "d", &B::d, nullptr, ""},
      {V::T, "T", &B::T, nullptr, ""},
      {V::kappa, "kappa", &B::kappa, nullptr, ""},
      {V::t_out, "t_out", &B::t_out, nullptr, ""},
      {V::abar_T, "abar_T", &B::abar_T, nullptr, ""},
      {V::E_T, "E_T", &B::E_T, nullptr, ""},
      {V::D_T, "D_T", &B::D_T, &B::has_D_T, "D_T and B_T exist for the ddpm sampler only"},
      {V::B_T, "B_T", &B::B_T, &B::has_B_T, "D_T and B_T exist for the ddpm sampler only"},
      {V::kl_q0_gamma, "kl_q0_gamma", &B::kl_q0_gamma, nullptr, ""},
      {V::m2, "m2", &B::m2, nullptr, ""},
      {V::eps2, "eps2", &B::eps2, nullptr, ""},
      {V::L, "L", &B::L, nullptr, ""},
      {V::h, "h", &B::h, nullptr, ""},
      {V::tau, "tau", &B::tau, nullptr, ""},
      {V::kl, "kl", &B::kl, &B::has_kl, ""},
      {V::girsanov, "girsanov", &B::girsanov, &B::has_girsanov, "girsanov exists for the sde-ei sampler only"},
      {V::kl_far, "kl_far", &B::kl_far, &B::has_kl_far, ""},
      {V::kl_ddnm, "kl_ddnm", &B::kl_ddnm, &B::has_kl_ddnm, ""},
      {V::w2, "w2", &B::w2, &B::has_w2, ""},
      {V::sigma_inf, "sigma_inf", &B::sigma_inf, nullptr, ""},
      {V::horizon, "horizon", &B::horizon, &B::has_horizon, "the continuous-time samplers only"},
      {V::lambda_min, "lambda_min", &B::lambda_min, nullptr, ""},
      {V::lambda_max, "lambda_max", &B::lambda_max, nullptr, ""},
      {V::fisher_rel, "fisher_rel", &B::fisher_rel, &B::has_fisher_rel, "Gaussian targets only"},
      {V::beta_int, "beta_int", &B::beta_int, &B::has_horizon, "the continuous-time samplers only"},
  }};
  return rows;
}

template <class Real> const VariableRow<Real>& row_of(Variable v) { return variable_rows<Real>()[static_cast<std::size_t>(v)]; }

inline std::string_view to_string(Variable v) { return row_of<double>(v).name; }
inline std::optional<Variable> variable_from_name(std::string_view name) {
  for (const auto& row : variable_rows<double>())
    if (row.name == name) return row.variable;
  return std::nullopt;
}
// The expression language's variable names, in enum order.
inline std::vector<std::string_view> variable_names() {
  std::vector<std::string_view> names;
  for (const auto& row : variable_rows<double>()) names.push_back(row.name);
  return names;
}

template <class Real> const Real& get(const BoundInputs<Real>& in, Variable v) { return in.*(row_of<Real>(v).value); }
template <class Real> Real& get(BoundInputs<Real>& in, Variable v) { return in.*(row_of<Real>(v).value); }

template <class Real> bool available(const BoundInputs<Real>& in, Variable v) {
  const auto present = row_of<Real>(v).present;
  return present == nullptr || in.*present;
}

// Sets a variable's value and marks it present.
template <class Real> void set(BoundInputs<Real>& in, Variable v, Real value) {
  const VariableRow<Real>& row = row_of<Real>(v);
  in.*(row.value) = std::move(value);
  if (row.present) in.*(row.present) = true;
}

// Fills tau, h and L by the conventions above. abar_T must be in (0, 1], lambda_min > 0.
template <class Real> void complete_derived(BoundInputs<Real>& in, const Real& lambda_min) {
  using std::log;
  in.tau = -log(in.abar_T) / 2;
  in.h = in.tau / in.T;
  in.L = max_of(Real(1), Real(1) / lambda_min);
}

// A bound asked for a quantity the case does not have (e.g. B_T for a deterministic sampler).
class BoundNotApplicable : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

template <class Real> void require_available(const BoundInputs<Real>& in, const std::vector<Variable>& needs,
                                             const std::string& bound_id) {
  for (Variable v : needs)
    if (!available(in, v)) {
      const std::string_view which = row_of<Real>(v).present_for;
      throw BoundNotApplicable("bound " + bound_id + " needs " + std::string(to_string(v)) + ", which this case does not provide" +
                               (which.empty() ? "" : " (" + std::string(which) + ")"));
    }
}

}  // namespace diffbound
