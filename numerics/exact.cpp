#include "numerics/exact.hpp"

#include "numerics/case_kinds.hpp"
#include "numerics/continuous_time.hpp"
#include "numerics/gaussian_path.hpp"
#include "numerics/input_error.hpp"
#include "numerics/mixture_path.hpp"
#include "numerics/resource_caps.hpp"
#include "numerics/zero_shot.hpp"

#include <chrono>
#include <cmath>
#include <limits>

namespace diffbound {

template <class Real> Enclosure enclosure_of(const Real& x) {
  Enclosure q;
  q.finite = is_finite_value(x);
  q.value = mid_double(x);
  q.lo = lower_double(x);
  q.hi = upper_double(x);
  q.value_str = to_decimal(x);
  q.lo_str = lower_decimal(x);
  q.hi_str = upper_decimal(x);
  return q;
}
template Enclosure enclosure_of<double>(const double&);
template Enclosure enclosure_of<long double>(const long double&);
template Enclosure enclosure_of<mpfr_real>(const mpfr_real&);
template Enclosure enclosure_of<interval_real>(const interval_real&);

namespace {

// The TV enclosure and the case descriptors, which every engine's result names alike.
template <class Result> void copy_descriptors(ExactQuantities& q, const Result& r) {
  q.hellinger2 = enclosure_of(r.hellinger2);
  q.tv_lo = enclosure_of(r.tv_lo);
  q.tv_hi = enclosure_of(r.tv_hi);
  q.alpha_bar_T = enclosure_of(r.alpha_bar_T);
  q.m2 = enclosure_of(r.m2);
  q.lambda_min = enclosure_of(r.lambda_min);
  q.lambda_max = enclosure_of(r.lambda_max);
  q.kappa = enclosure_of(decltype(r.lambda_max)(r.lambda_max / r.lambda_min));
}

// W2 and the relative Fisher information, where the engine computes them (GaussianPathResult and
// ContinuousTimeResult, which inherits it).
template <class Result> void copy_w2_and_fisher(ExactQuantities& q, const Result& r) {
  if (r.has_w2) {
    q.w2 = enclosure_of(r.w2);
    q.w2_estimated = r.w2_estimated;
  }
  if (r.has_fisher_rel) q.fisher_rel = enclosure_of(r.fisher_rel);
}

// Continuous-time references (docs/math.md#continuous-time): same result shape, plus the Girsanov integral (sde-ei).
template <class Real> ExactQuantities continuous_exact(const CaseSpec& spec) {
  const auto r = continuous_time_path<Real>(spec);
  ExactQuantities q;
  q.kl = enclosure_of(r.kl);
  q.kl_q0_gamma = enclosure_of(r.kl_q0_gamma);
  q.E_T = enclosure_of(r.E_T);
  if (r.has_girsanov) q.girsanov = enclosure_of(r.girsanov);
  // what the explicit-constant bounds read (docs/math.md#explicit-constant-bounds); W2(Q_{T_f}, nu) is 0 when the
  // sampler starts from Q_{T_f} itself
  q.kl_q0_stationary = enclosure_of(r.kl_q0_stationary);
  q.w2_q0_stationary = enclosure_of(r.w2_q0_stationary);
  q.w2_init = spec.sampler.init == Init::gaussian ? enclosure_of(r.w2_init) : enclosure_of(Real(0));
  q.mean_norm2 = enclosure_of(r.mean_norm2);
  copy_w2_and_fisher(q, r);
  copy_descriptors(q, r);
  q.engine = parse_engine_path(r.path);
  q.directions = r.directions;
  return q;
}

template <class Real> ExactQuantities gaussian_exact(const CaseSpec& spec) {
  if (is_continuous_time(spec.sampler.kind)) return continuous_exact<Real>(spec);
  const auto r = gaussian_path<Real>(spec);
  ExactQuantities q;
  q.kl = enclosure_of(r.kl);
  q.kl_q0_gamma = enclosure_of(r.kl_q0_gamma);
  q.E_T = enclosure_of(r.E_T);
  if (r.has_decomposition) {
    q.D_T = enclosure_of(r.D_T);
    q.B_T = enclosure_of(r.B_T);
  }
  copy_w2_and_fisher(q, r);
  copy_descriptors(q, r);
  q.engine = parse_engine_path(r.path);
  q.directions = r.directions;
  return q;
}

// The double nearest x on the low (high) side: static_cast rounds to nearest, and an extended or
// MPFR enclosure narrower than a double's ulp would otherwise lose its end past the truth.
template <class Real> double double_below(const Real& x) {
  const double d = static_cast<double>(x);
  return Real(d) > x ? std::nextafter(d, -std::numeric_limits<double>::infinity()) : d;
}
template <class Real> double double_above(const Real& x) {
  const double d = static_cast<double>(x);
  return Real(d) < x ? std::nextafter(d, std::numeric_limits<double>::infinity()) : d;
}

// A refinement-study estimate as a quantity: [value - error, value + error], labelled estimated
// by the caller; its double ends rounded outward.
template <class Real> Enclosure quantity_of_estimate(const Estimate<Real>& e, bool nonnegative) {
  Enclosure q = enclosure_of(e.value);
  Real lo = e.value - e.error, hi = e.value + e.error;
  if (nonnegative && lo < 0) lo = Real(0);
  q.lo = double_below(lo);
  q.hi = double_above(hi);
  q.lo_str = to_decimal(lo);
  q.hi_str = to_decimal(hi);
  q.finite = q.finite && is_finite_value(e.error);
  return q;
}

template <class Real> ExactQuantities mixture_exact(const CaseSpec& spec) {
  const auto r = mixture_path<Real>(spec);
  ExactQuantities q;
  q.kl = quantity_of_estimate(r.kl, true);
  q.kl_q0_gamma = quantity_of_estimate(r.kl_q0_gamma, true);
  q.E_T = quantity_of_estimate(r.E_T, true);
  if (r.has_B_T) q.B_T = quantity_of_estimate(r.B_T, true);
  if (r.has_D_T) q.D_T = quantity_of_estimate(r.D_T, true);
  q.w2 = quantity_of_estimate(r.w2, true);
  copy_descriptors(q, r);
  q.tv_lo.lo = double_below(r.tv_lo);
  q.tv_hi.hi = double_above(r.tv_hi);
  q.engine = Engine::mixture;
  q.directions = r.lines;
  q.method = r.method;
  return q;
}

// Every quantity of a result gets the result's kind and method: one engine, one precision per case.
void label_enclosures(ExactQuantities& q, EnclosureKind kind) {
  q.kind = kind;
  for (Enclosure* x : {&q.kl, &q.kl_q0_gamma, &q.E_T, &q.hellinger2, &q.tv_lo, &q.tv_hi, &q.kappa, &q.alpha_bar_T, &q.m2,
                      &q.lambda_min, &q.lambda_max}) {
    x->kind = kind;
    x->method = q.method;
  }
  for (auto* x : {&q.D_T, &q.B_T, &q.girsanov, &q.w2, &q.fisher_rel, &q.kl_q0_stationary, &q.w2_q0_stationary, &q.w2_init,
                  &q.mean_norm2})
    if (*x) {
      (*x)->kind = kind;
      (*x)->method = q.method;
    }
  // the dense path's W2 is an estimate (two precisions agree) even in a certified run (docs/math.md#w2-dense)
  if (q.w2 && q.w2_estimated && kind == EnclosureKind::certified) {
    q.w2->kind = EnclosureKind::estimated;
    q.w2->method += "/w2-two-precisions";
  }
}

}  // namespace

void validate_numerics(const NumericsSpec& n) {
  if (traits_of(n.precision).reads_digits && (n.digits < 16 || n.digits > 10000))
    throw InputError("numerics.digits", std::to_string(n.digits), "must be between 16 and 10000");
}

// The engines on a case whose problem (if any) is explicit.
ExactQuantities compute_exact_explicit(const CaseSpec& spec);

// A Gaussian case in double whose KL, E_T, KL(Q_0 || gamma) or B_T is not finite has overflowed:
// these are finite for every Gaussian path (D_T alone is +inf, where some sigma_t = 0). Reporting
// them as infinite would misstate a finite number, so the case is refused, with the value MPFR gives.
// (Mixtures: their double run is refused by the engine when a grid value overflows.)
void refuse_double_overflow(const CaseSpec& spec, const ExactQuantities& q) {
  if (spec.target.family != Family::gaussian || spec.numerics.precision != Precision::double_) return;
  const std::pair<const char*, const Enclosure*> quantities[] = {
      {"KL", &q.kl}, {"E_T", &q.E_T}, {"KL(Q_0 || gamma)", &q.kl_q0_gamma},
      // B_T is +inf with D_T where a kernel is a point mass and the score errs
      {"B_T", q.B_T && !(q.D_T && !q.D_T->finite) ? &*q.B_T : nullptr}};
  for (const auto& [name, value] : quantities) {
    if (!value || (value->finite && std::isfinite(value->value))) continue;
    CaseSpec wide = spec;
    wide.numerics.precision = Precision::mpfr;
    wide.numerics.digits = 30;
    std::string in_mpfr = "(MPFR at 30 digits could not compute it either)";
    try {
      const ExactQuantities w = compute_exact_explicit(wide);
      const Enclosure& v = std::string(name) == "KL" ? w.kl : std::string(name) == "E_T" ? w.E_T
                          : std::string(name) == "B_T" ? *w.B_T : w.kl_q0_gamma;
      in_mpfr = "(MPFR at 30 digits gives " + v.value_str + ")";
    } catch (const std::exception&) {
    }
    throw InputError("numerics.precision", "double",
                     std::string(name) + " overflows the double range on this case " + in_mpfr +
                         "; use precision = \"mpfr\" or \"certified\"");
  }
}

ExactQuantities compute_exact(const CaseSpec& spec_in) {
  validate_numerics(spec_in.numerics);
  validate_zero_shot_kinds(spec_in);
  check_resource_caps(spec_in);  // before any work: memory and time estimates under their limits
  // zero-shot: resolve the measurement once (a drawn y, a random H) so every engine reads the same numbers
  std::optional<ProblemRecord> record;
  CaseSpec explicit_spec;
  if (spec_in.problem) {
    ResolvedProblem rp;
    explicit_spec = with_explicit_problem(spec_in, rp);
    ProblemRecord rec;
    rec.op = to_string(spec_in.problem->op);
    rec.p = rp.p;
    rec.rank = rp.rank;
    rec.coordinatewise = rp.coordinatewise;
    rec.kappa_H = rp.kappa_H;
    rec.s_max = rp.s_max;
    rec.s_min = rp.s_min;
    rec.sigma_y = rp.sigma_y;
    rec.y = rp.y;
    rec.x0 = rp.x0;
    record = rec;
  }
  const CaseSpec& spec = spec_in.problem ? explicit_spec : spec_in;
  ExactQuantities q = compute_exact_explicit(spec);
  refuse_double_overflow(spec, q);
  q.problem = record;
  return q;
}

ExactQuantities compute_exact_explicit(const CaseSpec& spec) {
  if (is_continuous_time(spec.sampler.kind)) validate_continuous_case(spec);  // e.g. a mixture target: clear error
  if (spec.target.family == Family::mixture) {
    // quadrature-based: estimated errors (refinement study), never certified
    validate_mixture_case(spec);
    const auto start = std::chrono::steady_clock::now();
    ExactQuantities q;
    if (spec.numerics.precision == Precision::mpfr) {
      PrecisionScope scope(spec.numerics.digits);
      q = mixture_exact<mpfr_real>(spec);
      q.digits = spec.numerics.digits;
    } else if (spec.numerics.precision == Precision::extended) {
      q = mixture_exact<long double>(spec);
      q.digits = std::numeric_limits<long double>::digits10;
    } else {
      q = mixture_exact<double>(spec);
      q.digits = 16;
    }
    q.precision = to_string(spec.numerics.precision);
    q.method += "/" + q.precision +
                (spec.numerics.precision == Precision::mpfr ? "-" + std::to_string(q.digits) : std::string());
    label_enclosures(q, EnclosureKind::estimated);
    q.dim = spec.target.dim();
    q.steps = spec.schedule.steps;
    q.t_out = spec.sampler.t_out;
    try { q.epsilon = std::stod(spec.score.epsilon); } catch (...) { q.epsilon = 0; }
    q.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return q;
  }
  const auto start = std::chrono::steady_clock::now();
  ExactQuantities q;
  switch (spec.numerics.precision) {
    case Precision::extended:
      throw InputError("numerics.precision", "extended",
                       "extended precision is for mixture targets (family = \"mixture\"); the Gaussian engines are "
                       "closed forms, accurate to roundoff in double: use \"mpfr\" or \"certified\" for more digits");
    case Precision::double_:
      q = gaussian_exact<double>(spec);
      q.digits = 16;
      break;
    case Precision::mpfr: {
      PrecisionScope scope(spec.numerics.digits);
      q = gaussian_exact<mpfr_real>(spec);
      q.digits = spec.numerics.digits;
      break;
    }
    case Precision::certified: {
      PrecisionScope scope(spec.numerics.digits);
      q = gaussian_exact<interval_real>(spec);
      q.digits = spec.numerics.digits;
      break;
    }
  }
  q.precision = to_string(spec.numerics.precision);
  q.method = "gaussian-" + std::string(to_string(q.engine)) + "/" + q.precision +
             (spec.numerics.precision == Precision::double_ ? "" : "-" + std::to_string(q.digits));
  // sde-exact with a perturbed score integrates its moment ODEs numerically: estimates, whatever the precision
  label_enclosures(q, is_continuous_time(spec.sampler.kind) && continuous_result_estimated(spec) ? EnclosureKind::estimated
                      : spec.numerics.precision == Precision::certified                            ? EnclosureKind::certified
                                                                                                   : EnclosureKind::point);
  q.dim = spec.target.dim();
  q.steps = spec.schedule.steps;
  q.t_out = spec.sampler.t_out;
  try { q.epsilon = std::stod(spec.score.epsilon); } catch (...) { q.epsilon = 0; }
  q.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return q;
}

}  // namespace diffbound
