// A case: target, schedule, sampler, score and numerics, as plain data. Numbers are decimal text so
// every number type reads exactly what the user wrote; verify/ parses files into this struct.
#pragma once

#include "numerics/schedule.hpp"

#include <optional>
#include <string>
#include <vector>

namespace diffbound {

enum class Spectrum { isotropic, geometric, two_level, list, matrix };

// N(mean, Sigma). Sigma is diagonal (spectrum given) or a full SPD matrix (covariance given).
struct GaussianSpec {
  long dim = 0;
  Spectrum spectrum = Spectrum::isotropic;
  std::string kappa = "1";
  std::string scale = "1";
  std::vector<std::string> eigenvalues;             // spectrum = list
  std::vector<std::vector<std::string>> covariance;  // spectrum = matrix
  std::vector<std::string> mean = {"0"};            // one entry (every coordinate) or dim entries
};

// Mixture of Gaussians sum_k w_k N(m_k, v_k I) (docs/math.md#gaussian-mixtures), in 1-D or in a separable layout.
enum class MixtureLayout { axis, product };
struct MixtureSpec {
  long dim = 1;
  MixtureLayout layout = MixtureLayout::axis;
  std::vector<std::string> weights, means, variances;
};

enum class Family { gaussian, mixture };
struct TargetSpec {
  Family family = Family::gaussian;
  GaussianSpec gaussian;
  MixtureSpec mixture;
  long dim() const { return family == Family::gaussian ? gaussian.dim : mixture.dim; }
};

// sde_exact .. ode_rk4: continuous-time references on the VP SDE (numerics/continuous_time.hpp);
// ddnm_plus: zero-shot DDNM+ (numerics/zero_shot.hpp); sde_em_end, sde_ei_relative: continuous-time
// discretizations of the general VP SDE (docs/math.md#vp-sde-general)
enum class SamplerKind { ddpm, accelerated, ddim, pf_euler, sde_exact, ode_exact, sde_em, sde_ei, ode_euler, ode_heun, ode_rk4,
                         ddnm_plus, sde_em_end, sde_ei_relative };
enum class Variance { theory, beta, posterior };
enum class Init { gaussian, exact };
// What the output is compared with (docs/math.md#vp-sde-general): Q at the stopping time, or the data law Q_0
// (the truncation bias included).
enum class CompareWith { marginal, data };
struct SamplerSpec {
  SamplerKind kind = SamplerKind::ddpm;
  Variance variance = Variance::theory;
  Init init = Init::gaussian;
  long t_out = 1;
  std::optional<std::string> t_stop;  // continuous-time samplers: stop at t_stop in (0, T_f) instead of t_out h
  CompareWith compare_with = CompareWith::marginal;
};

enum class ScoreKind { exact, mismatched, perturbed, gaussian_surrogate, ddnm, bo_ddnm, exact_conditional };
enum class Perturbation { constant, scale };
struct ScoreSpec {
  ScoreKind kind = ScoreKind::exact;
  std::string epsilon = "0";
  Perturbation perturbation = Perturbation::constant;
  std::vector<std::string> direction;  // constant perturbation: direction of the error (default: all ones)
  std::optional<TargetSpec> train;     // mismatched: the training distribution
};

// extended: long double (x87, 64-bit significand), the mixture engine only: ~3 more digits than
// double at ~3 times its cost, where MPFR would take hundreds of times.
enum class Precision { double_, extended, mpfr, certified };
enum class EnginePath { automatic, fast, dense };
struct NumericsSpec {
  Precision precision = Precision::double_;
  unsigned digits = 50;  // mpfr and certified working precision, decimal digits
  EnginePath engine = EnginePath::automatic;
};

// A linear inverse problem y = H x_0 + n, n ~ N(0, sigma_y^2 I_p) (docs/math.md#zero-shot). With a problem the
// case's [target] is the prior (the training distribution whose score the sampler knows) and the
// distribution the sampler is compared with is the posterior Q_{0|y}.
enum class Operator { matrix, identity, inpaint, subsample, conditioned };
struct ProblemSpec {
  Operator op = Operator::identity;
  std::vector<std::vector<std::string>> matrix;  // op = matrix: p rows of length d
  std::vector<long> observed;                    // op = inpaint: observed coordinates (0-based)
  long factor = 2;                               // op = subsample: coordinates 0, factor, 2 factor, ...
  std::string kappa_H = "1";                     // op = conditioned: s_max / s_min
  long rows = 0;                                 // op = conditioned: p (0: d)
  std::string sigma_y = "0";
  bool draw = false;                             // y = H x_0 + n with x_0 ~ prior, n ~ N(0, sigma_y^2 I)
  unsigned long seed = 1;                        // draw and op = conditioned
  std::vector<std::string> y;                    // given measurement (draw = false)
};

struct CaseSpec {
  std::optional<ProblemSpec> problem;
  TargetSpec target;
  ScheduleSpec schedule;
  SamplerSpec sampler;
  ScoreSpec score;
  NumericsSpec numerics;
};

// Checks dim, kappa, scale, list lengths, NaN, positivity and (full matrices) symmetry and SPD-ness;
// `where` prefixes field names ("target" or "score.train"). Throws InputError.
void validate_gaussian(const GaussianSpec& g, const std::string& where);

std::string to_string(Spectrum);
std::string to_string(SamplerKind);
std::string to_string(Variance);
std::string to_string(Init);
std::string to_string(ScoreKind);
std::string to_string(Perturbation);
std::string to_string(Precision);
std::string to_string(EnginePath);
std::string to_string(Family);
std::string to_string(MixtureLayout);
std::string to_string(Operator);

}  // namespace diffbound
