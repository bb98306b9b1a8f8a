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
#include <string>
#include <string_view>
#include <vector>

namespace diffbound {

// Every quantity a bound (built-in or user-defined) may read. The names are the expression language's.
enum class Variable { d, T, kappa, t_out, abar_T, E_T, D_T, B_T, kl_q0_gamma, m2, eps2, L, h, tau, kl, girsanov, kl_far, kl_ddnm,
                      w2, sigma_inf, horizon, lambda_min, lambda_max, fisher_rel, beta_int };

inline constexpr std::array<std::string_view, 25> variable_names = {
    "d", "T", "kappa", "t_out", "abar_T", "E_T", "D_T", "B_T", "kl_q0_gamma", "m2", "eps2", "L", "h", "tau", "kl", "girsanov",
    "kl_far", "kl_ddnm", "w2", "sigma_inf", "horizon", "lambda_min", "lambda_max", "fisher_rel", "beta_int"};

inline std::string_view to_string(Variable v) { return variable_names[static_cast<std::size_t>(v)]; }
inline std::optional<Variable> variable_from_name(std::string_view name) {
  for (std::size_t i = 0; i < variable_names.size(); ++i)
    if (variable_names[i] == name) return static_cast<Variable>(i);
  return std::nullopt;
}

template <class Real> struct BoundInputs {
  Real d = 0, T = 0, kappa = 1, t_out = 0, abar_T = 0;
  Real E_T = 0, D_T = 0, B_T = 0, kl_q0_gamma = 0;
  Real m2 = 0, eps2 = 0, L = 1, h = 0, tau = 0;
  Real kl = 0;
  Real girsanov = 0;
  Real kl_far = 0, kl_ddnm = 0;
  Real w2 = 0, sigma_inf = 1, horizon = 0, lambda_min = 1, lambda_max = 1, fisher_rel = 0, beta_int = 0;
  bool has_w2 = false, has_horizon = false, has_fisher_rel = false;  // horizon also gives beta_int
  // The explicit-constant bounds (docs/math.md#explicit-constant-bounds) read the case's VP SDE itself and the
  // distances the continuous-time engine computes (numerics/continuous_time.hpp); not expression variables. has_vp: a continuous-time sampler on a
  // Gaussian target.
  bool has_vp = false;
  VpSchedule<Real> vp;
  Real kl_q0_stationary = 0, w2_q0_stationary = 0, w2_init = 0, mean_norm2 = 0;
  // D_T and B_T exist only for the ddpm sampler (docs/math.md#path-decomposition); kl only once the case is measured;
  // kl_far and kl_ddnm only when verify computed them for a check that needs them.
  bool has_D_T = false, has_B_T = false, has_kl = false, has_kl_far = false, has_kl_ddnm = false;
  bool has_girsanov = false;  // sde-ei only
};

template <class Real> const Real& get(const BoundInputs<Real>& in, Variable v) {
  switch (v) {
    case Variable::d: return in.d;
    case Variable::T: return in.T;
    case Variable::kappa: return in.kappa;
    case Variable::t_out: return in.t_out;
    case Variable::abar_T: return in.abar_T;
    case Variable::E_T: return in.E_T;
    case Variable::D_T: return in.D_T;
    case Variable::B_T: return in.B_T;
    case Variable::kl_q0_gamma: return in.kl_q0_gamma;
    case Variable::m2: return in.m2;
    case Variable::eps2: return in.eps2;
    case Variable::L: return in.L;
    case Variable::h: return in.h;
    case Variable::tau: return in.tau;
    case Variable::kl: return in.kl;
    case Variable::kl_far: return in.kl_far;
    case Variable::kl_ddnm: return in.kl_ddnm;
    case Variable::girsanov: return in.girsanov;
    case Variable::w2: return in.w2;
    case Variable::sigma_inf: return in.sigma_inf;
    case Variable::horizon: return in.horizon;
    case Variable::lambda_min: return in.lambda_min;
    case Variable::lambda_max: return in.lambda_max;
    case Variable::fisher_rel: return in.fisher_rel;
    case Variable::beta_int: return in.beta_int;
  }
  return in.d;  // unreachable: the switch is exhaustive
}

template <class Real> bool available(const BoundInputs<Real>& in, Variable v) {
  if (v == Variable::D_T) return in.has_D_T;
  if (v == Variable::B_T) return in.has_B_T;
  if (v == Variable::kl) return in.has_kl;
  if (v == Variable::kl_far) return in.has_kl_far;
  if (v == Variable::kl_ddnm) return in.has_kl_ddnm;
  if (v == Variable::girsanov) return in.has_girsanov;
  if (v == Variable::w2) return in.has_w2;
  if (v == Variable::horizon || v == Variable::beta_int) return in.has_horizon;
  if (v == Variable::fisher_rel) return in.has_fisher_rel;
  return true;
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
    if (!available(in, v))
      throw BoundNotApplicable("bound " + bound_id + " needs " + std::string(to_string(v)) +
                               ", which this case does not provide" +
                               (v == Variable::girsanov ? " (girsanov exists for the sde-ei sampler only)"
                                : v == Variable::horizon || v == Variable::beta_int ? " (the continuous-time samplers only)"
                                : v == Variable::fisher_rel ? " (Gaussian targets only)"
                                : v == Variable::D_T || v == Variable::B_T ? " (D_T and B_T exist for the ddpm sampler only)" : ""));
}

}  // namespace diffbound
