// One table per kind of a case (the enums of numerics/case_spec.hpp and numerics/schedule.hpp): the
// name a case file writes, the family and the traits the layers read. Parsing (verify/case_file.cpp),
// printing (to_string), the predicates (is_continuous_time, bounds/requirement.cpp, ...) and the test
// builders read these rows; a new kind is a new enumerator plus its row here, in enum order.
#pragma once

#include "numerics/case_spec.hpp"
#include "numerics/kind_table.hpp"
#include "numerics/schedule.hpp"

namespace diffbound {

// ---- samplers ----
enum class SamplerFamily {
  discrete,         // a reverse chain on the schedule's T steps (numerics/gaussian_path.hpp, mixture_path.hpp)
  continuous_time,  // the VP SDE / probability-flow ODE, solved exactly or by a step rule (continuous_time.hpp)
  zero_shot,        // a conditional sampler for a [problem] built on the prior's score (zero_shot.hpp)
};
struct SamplerRow {
  SamplerKind kind;
  std::string_view name;
  SamplerFamily family;
  bool stochastic;        // fresh noise every step (ancestral chain, reverse SDE); else a deterministic map of Y_T
  bool time_discretized;  // takes finite steps; sde-exact and ode-exact solve the continuous dynamics exactly
  bool chooses_variance;  // reads sampler.variance (theory | beta | posterior); the others fix their noise
};
inline constexpr std::array sampler_table{
    //         kind                      name           family                          stochastic time_discretized chooses_variance
    SamplerRow{SamplerKind::ddpm,        "ddpm",        SamplerFamily::discrete,        true,      true,            true},
    SamplerRow{SamplerKind::accelerated, "accelerated", SamplerFamily::discrete,        true,      true,            false},
    SamplerRow{SamplerKind::ddim,        "ddim",        SamplerFamily::discrete,        false,     true,            false},
    SamplerRow{SamplerKind::pf_euler,    "pf-euler",    SamplerFamily::discrete,        false,     true,            false},
    SamplerRow{SamplerKind::sde_exact,   "sde-exact",   SamplerFamily::continuous_time, true,      false,           false},
    SamplerRow{SamplerKind::ode_exact,   "ode-exact",   SamplerFamily::continuous_time, false,     false,           false},
    SamplerRow{SamplerKind::sde_em,      "sde-em",      SamplerFamily::continuous_time, true,      true,            false},
    SamplerRow{SamplerKind::sde_ei,      "sde-ei",      SamplerFamily::continuous_time, true,      true,            false},
    SamplerRow{SamplerKind::ode_euler,   "ode-euler",   SamplerFamily::continuous_time, false,     true,            false},
    SamplerRow{SamplerKind::ode_heun,    "ode-heun",    SamplerFamily::continuous_time, false,     true,            false},
    SamplerRow{SamplerKind::ode_rk4,     "ode-rk4",     SamplerFamily::continuous_time, false,     true,            false},
    SamplerRow{SamplerKind::ddnm_plus,   "ddnm-plus",   SamplerFamily::zero_shot,       true,      true,            false},
    SamplerRow{SamplerKind::sde_em_end,  "sde-em-end",  SamplerFamily::continuous_time, true,      true,            false},
    SamplerRow{SamplerKind::sde_ei_relative, "sde-ei-relative", SamplerFamily::continuous_time, true, true,         false},
};
static_assert(lists_every_kind_in_order(sampler_table));
constexpr const SamplerRow& traits_of(SamplerKind k) { return row_of(sampler_table, k); }

inline constexpr std::array<NameRow<Variance>, 3> variance_table{
    {{Variance::theory, "theory"}, {Variance::beta, "beta"}, {Variance::posterior, "posterior"}}};
static_assert(lists_every_kind_in_order(variance_table));

inline constexpr std::array<NameRow<Init>, 2> init_table{{{Init::gaussian, "gaussian"}, {Init::exact, "exact"}}};
static_assert(lists_every_kind_in_order(init_table));

// ---- scores ----
struct ScoreRow {
  ScoreKind kind;
  std::string_view name;
  bool conditional;  // a zero-shot score: corrects the prior's score with y, so the case needs a [problem]
  bool reads_train;  // takes [score.train], the distribution the score was learnt from
  KeyList keys;
};
inline constexpr std::array score_table{
    ScoreRow{ScoreKind::exact, "exact", false, false, {}},
    ScoreRow{ScoreKind::mismatched, "mismatched", false, true, {}},
    ScoreRow{ScoreKind::perturbed, "perturbed", false, false, {"epsilon", "perturbation", "direction"}},
    ScoreRow{ScoreKind::gaussian_surrogate, "gaussian-surrogate", false, false, {}},
    ScoreRow{ScoreKind::ddnm, "ddnm", true, false, {}},
    ScoreRow{ScoreKind::bo_ddnm, "bo-ddnm", true, false, {}},
    ScoreRow{ScoreKind::exact_conditional, "exact-conditional", true, false, {}},
};
static_assert(lists_every_kind_in_order(score_table));
constexpr const ScoreRow& traits_of(ScoreKind k) { return row_of(score_table, k); }

struct PerturbationRow {
  Perturbation kind;
  std::string_view name;
  KeyList keys;
};
inline constexpr std::array perturbation_table{PerturbationRow{Perturbation::constant, "constant", {"direction"}},
                                               PerturbationRow{Perturbation::scale, "scale", {}}};
static_assert(lists_every_kind_in_order(perturbation_table));

// ---- schedules ----
struct ScheduleRow {
  ScheduleKind kind;
  std::string_view name;
  KeyList keys;  // beyond kind and steps
};
inline constexpr std::array schedule_table{
    ScheduleRow{ScheduleKind::etc, "etc", {"c", "delta"}},
    // horizon, sigma_inf: the continuous-time samplers only (checked with the sampler, verify/case_file.cpp)
    ScheduleRow{ScheduleKind::linear, "linear", {"b_min", "b_max", "horizon", "sigma_inf"}},
    ScheduleRow{ScheduleKind::cosine, "cosine", {"s"}},
    ScheduleRow{ScheduleKind::constant, "constant", {"eta"}},
    ScheduleRow{ScheduleKind::table, "table", {"betas"}},
    ScheduleRow{ScheduleKind::exponential, "exponential", {"b_min", "b_max", "rate", "horizon", "sigma_inf"}},
};
static_assert(lists_every_kind_in_order(schedule_table));

// ---- targets ----
struct FamilyRow {
  Family kind;
  std::string_view name;
  bool chooses_engine;  // reads numerics.engine (fast | dense); the mixture engine has one path
};
inline constexpr std::array family_table{FamilyRow{Family::gaussian, "gaussian", true}, FamilyRow{Family::mixture, "mixture", false}};
static_assert(lists_every_kind_in_order(family_table));

struct SpectrumRow {
  Spectrum kind;
  std::string_view name;
  bool diagonal;  // Sigma is diagonal (eigenvalues); matrix: a full SPD covariance
  KeyList keys;   // beyond the keys every Gaussian target reads
};
inline constexpr std::array spectrum_table{
    SpectrumRow{Spectrum::isotropic, "isotropic", true, {}},
    SpectrumRow{Spectrum::geometric, "geometric", true, {"kappa"}},
    SpectrumRow{Spectrum::two_level, "two-level", true, {"kappa"}},
    SpectrumRow{Spectrum::list, "list", true, {"eigenvalues"}},
    SpectrumRow{Spectrum::matrix, "matrix", false, {"covariance"}},
};
static_assert(lists_every_kind_in_order(spectrum_table));
constexpr const SpectrumRow& traits_of(Spectrum k) { return row_of(spectrum_table, k); }

inline constexpr std::array<NameRow<MixtureLayout>, 2> layout_table{{{MixtureLayout::axis, "axis"}, {MixtureLayout::product, "product"}}};
static_assert(lists_every_kind_in_order(layout_table));

// ---- numerics ----
struct PrecisionRow {
  Precision kind;
  std::string_view name;
  bool reads_digits;    // works at numerics.digits decimal digits (MPFR, MPFI)
  bool mixture_engine;  // the mixture engine runs in it (quadrature gives estimates: never certified)
};
inline constexpr std::array precision_table{
    //           kind                  name         reads_digits mixture_engine
    PrecisionRow{Precision::double_,   "double",    false,       true},
    PrecisionRow{Precision::extended,  "extended",  false,       true},
    PrecisionRow{Precision::mpfr,      "mpfr",      true,        true},
    PrecisionRow{Precision::certified, "certified", true,        false},
};
static_assert(lists_every_kind_in_order(precision_table));
constexpr const PrecisionRow& traits_of(Precision k) { return row_of(precision_table, k); }

inline constexpr std::array<NameRow<EnginePath>, 3> engine_table{
    {{EnginePath::automatic, "auto"}, {EnginePath::fast, "fast"}, {EnginePath::dense, "dense"}}};
static_assert(lists_every_kind_in_order(engine_table));

// ---- problems ----
struct OperatorRow {
  Operator kind;
  std::string_view name;
  bool named;    // written H = "name"; matrix is written as its list of rows
  KeyList keys;  // beyond H, sigma_y, y and seed
};
inline constexpr std::array operator_table{
    OperatorRow{Operator::matrix, "matrix", false, {}},
    OperatorRow{Operator::identity, "identity", true, {}},
    OperatorRow{Operator::inpaint, "inpaint", true, {"observed"}},
    OperatorRow{Operator::subsample, "subsample", true, {"factor"}},
    OperatorRow{Operator::conditioned, "conditioned", true, {"kappa_H", "rows"}},
};
static_assert(lists_every_kind_in_order(operator_table));

}  // namespace diffbound
