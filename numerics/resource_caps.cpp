#include "numerics/resource_caps.hpp"

#include "numerics/case_kinds.hpp"
#include "numerics/continuous_time.hpp"
#include "numerics/input_error.hpp"
#include "numerics/zero_shot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace diffbound {

namespace {

// Calibration (measured on the engines, one core, docs/case-file.md "Resource limits"):
// fast path in double: 0.3 us per step plus 50 ns per step and distinct direction; dense path in
// double: 3.7 ns per step and d^3; mixture engine in double: 1 ms per step of one line.
constexpr double fast_step_seconds = 0.3e-6, fast_direction_seconds = 50e-9;
constexpr double dense_unit_seconds = 3.7e-9;
constexpr double mixture_step_seconds = 1e-3;
constexpr double numbers_per_step = 18;  // the schedule (4) and the step coefficients (14) kept per step

// Bytes of one number: MPFR keeps a header and its limbs on the heap; an interval two of them.
double number_bytes(const NumericsSpec& n) {
  const double limbs = std::ceil((3.33 * n.digits + 16) / 64);
  switch (n.precision) {
    case Precision::double_: return 8;
    case Precision::extended: return 16;
    case Precision::mpfr: return 56 + 8 * limbs;
    case Precision::certified: return 2 * (56 + 8 * limbs) + 16;
  }
  return 8;
}

// Cost of one operation relative to double (fast path: MPFR 50 digits ~150x, MPFI ~350x; growing
// like digits^1.6 beyond 50), and on the dense path, whose interval eigen-solves cost ~5000x.
double precision_factor(const NumericsSpec& n, bool dense) {
  const double scale = std::pow(std::max(1.0, n.digits / 50.0), 1.6);
  switch (n.precision) {
    case Precision::double_: return 1;
    case Precision::extended: return 3;
    case Precision::mpfr: return (dense ? 2500 : 150) * scale;
    case Precision::certified: return (dense ? 5000 : 350) * scale;
  }
  return 1;
}

bool runs_dense(const CaseSpec& spec) {
  const GaussianSpec& g = spec.target.gaussian;
  if (!traits_of(g.spectrum).diagonal || spec.numerics.engine == EnginePath::dense) return true;
  if (spec.score.train && spec.score.train->family == Family::gaussian && !traits_of(spec.score.train->gaussian.spectrum).diagonal)
    return true;
  if (!spec.problem) return false;
  if (spec.problem->op == Operator::conditioned) return true;
  if (spec.problem->op == Operator::matrix) return !resolve_problem(spec).coordinatewise;
  return false;  // identity, inpaint, subsample act coordinate-wise
}

double distinct_directions(const CaseSpec& spec) {
  const GaussianSpec& g = spec.target.gaussian;
  if (spec.problem || spec.score.kind == ScoreKind::mismatched) return static_cast<double>(g.dim);
  switch (g.spectrum) {
    case Spectrum::isotropic: return 1;
    case Spectrum::two_level: return 2;
    default: return static_cast<double>(g.dim);
  }
}

std::string bytes_text(double b) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3g GiB", b / (1L << 30));
  return buf;
}

std::string seconds_text(double s) {
  char buf[48];
  if (s < 120) std::snprintf(buf, sizeof buf, "%.3g s", s);
  else if (s < 7200) std::snprintf(buf, sizeof buf, "%.3g min", s / 60);
  else std::snprintf(buf, sizeof buf, "%.3g h", s / 3600);
  return buf;
}

std::string precision_text(const NumericsSpec& n) {
  return to_string(n.precision) +
         (traits_of(n.precision).reads_digits ? " at " + std::to_string(n.digits) + " digits" : "");
}

}  // namespace

ResourceEstimate estimate_resources(const CaseSpec& spec) {
  ResourceEstimate e;
  const double T = static_cast<double>(spec.schedule.steps), b = number_bytes(spec.numerics);
  e.bytes = T * numbers_per_step * b;
  if (spec.target.family == Family::mixture) {
    e.path = "mixture";
    const double d = std::max(30.0, static_cast<double>(spec.numerics.digits)) / 30;
    // MPFR: ~1.2 s per step at 30 digits (grid and stencil both grow with the digits)
    const double per_step = spec.numerics.precision == Precision::mpfr ? 1.2 * d * d
                          : spec.numerics.precision == Precision::extended ? 3 * mixture_step_seconds
                                                                           : mixture_step_seconds;
    e.seconds = T * per_step;
    return e;
  }
  const double d = static_cast<double>(spec.target.gaussian.dim);
  if (!is_continuous_time(spec.sampler.kind) && runs_dense(spec)) {
    e.path = "dense";
    e.bytes += 40 * d * d * b;  // the path's d x d matrices
    e.seconds = T * d * d * d * dense_unit_seconds * precision_factor(spec.numerics, true);
    return e;
  }
  e.path = is_continuous_time(spec.sampler.kind) ? "continuous" : "fast";
  const double n = distinct_directions(spec);
  e.bytes += 10 * n * b;
  e.seconds = T * (fast_step_seconds + n * fast_direction_seconds) * precision_factor(spec.numerics, false);
  return e;
}

void check_resource_caps(const CaseSpec& spec) {
  if (spec.target.family == Family::mixture && spec.numerics.precision == Precision::mpfr &&
      spec.numerics.digits > max_mixture_digits)
    throw InputError("numerics.digits", std::to_string(spec.numerics.digits),
                     "the mixture engine runs MPFR at most at " + std::to_string(max_mixture_digits) +
                         " digits (its grid and stencil are sized from the unit roundoff as a double, which underflows "
                         "above ~323 digits)");
  const ResourceEstimate e = estimate_resources(spec);
  const std::string steps = std::to_string(spec.schedule.steps), dim = std::to_string(spec.target.dim());
  if (e.bytes > max_case_bytes) {
    const bool matrices = e.path == "dense" && 40.0 * spec.target.dim() * spec.target.dim() > spec.schedule.steps * numbers_per_step;
    throw InputError(matrices ? "target.dim" : "schedule.steps", matrices ? dim : steps,
                     "the case would need an estimated " + bytes_text(e.bytes) + " of memory (" + e.path + " path, " +
                         precision_text(spec.numerics) + "); the limit is " + bytes_text(max_case_bytes));
  }
  if (e.seconds > max_case_seconds) {
    if (e.path == "dense")
      throw InputError("target.dim", dim,
                       "with steps = " + steps + " the dense path (full covariance or non-coordinate-wise H) costs ~T d^3: "
                       "estimated " + seconds_text(e.seconds) + " in " + precision_text(spec.numerics) + "; the limit is " +
                           seconds_text(max_case_seconds) + " (fewer steps, a smaller d, or a diagonal covariance)");
    throw InputError("schedule.steps", steps,
                     "estimated " + seconds_text(e.seconds) + " (" + e.path + " path, d = " + dim + ", " +
                         precision_text(spec.numerics) + "); the limit is " + seconds_text(max_case_seconds));
  }
}

}  // namespace diffbound
