#include "verify/judge.hpp"

#include "bounds/requirement.hpp"
#include "numerics/continuous_time.hpp"
#include "numerics/schedule.hpp"
#include "numerics/vp_schedule.hpp"
#include "verify/number_text.hpp"

#include <algorithm>
#include <limits>

namespace diffbound {

namespace {

// An interval containing every number of the quantity's enclosure, at the current precision.
interval_real enclosure(const Enclosure& q) {
  if (!q.finite) return interval_real(std::numeric_limits<mpfr_real>::infinity());
  return make_interval(lower_of(interval_real(q.lo_str)), upper_of(interval_real(q.hi_str)));
}

Enclosure measured_of(Measured m, const ExactQuantities& q) {
  switch (m) {
    case Measured::kl: return q.kl;
    case Measured::E_T: return q.E_T;
    case Measured::tv: {
      Enclosure t = q.tv_lo;
      t.hi = q.tv_hi.hi;
      t.hi_str = q.tv_hi.hi_str;
      t.value = (t.lo + t.hi) / 2;
      return t;
    }
    case Measured::w2:
      if (!q.w2) throw BoundNotApplicable("W2 is not computed for this case's engine");
      return *q.w2;
  }
  return q.kl;
}

std::string where(const ExactQuantities& q) {
  return "d = " + std::to_string(q.dim) + ", T = " + std::to_string(q.steps) + ", kappa = " + fmt(q.kappa.value);
}

}  // namespace

BoundInputs<interval_real> inputs_of(const CaseFacts& facts) {
  const CaseSpec& c = facts.spec;
  const ExactQuantities& q = facts.exact;
  const RelatedQuantities& related = facts.related;
  BoundInputs<interval_real> in;
  in.d = interval_real(q.dim);
  in.T = interval_real(q.steps);
  in.t_out = interval_real(q.t_out);
  in.kappa = c.target.family == Family::gaussian ? interval_real(c.target.gaussian.kappa) : enclosure(q.kappa);
  // continuous-time samplers: alpha_bar(1) = exp(-(b_min + b_max)/2) of the VP SDE (numerics/continuous_time.hpp)
  in.abar_T = is_continuous_time(c.sampler.kind)
                  ? interval_real(exp(-(interval_real(c.schedule.b_min) + interval_real(c.schedule.b_max)) / 2))
                  : make_schedule<interval_real>(c.schedule).alpha_bar[c.schedule.steps];
  in.E_T = enclosure(q.E_T);
  in.kl_q0_gamma = enclosure(q.kl_q0_gamma);
  if (q.D_T) { in.D_T = enclosure(*q.D_T); in.has_D_T = true; }
  if (q.B_T) { in.B_T = enclosure(*q.B_T); in.has_B_T = true; }
  if (q.girsanov) { in.girsanov = enclosure(*q.girsanov); in.has_girsanov = true; }
  in.m2 = enclosure(q.m2);  // descriptors as their enclosures, not as doubles: a certified bound reads certified inputs
  const interval_real eps = c.score.kind == ScoreKind::perturbed ? interval_real(c.score.epsilon) : interval_real(0);
  in.eps2 = eps * eps;
  in.kl = enclosure(q.kl);
  in.has_kl = true;
  if (related.kl_far) { in.kl_far = enclosure(*related.kl_far); in.has_kl_far = true; }
  if (related.kl_ddnm) { in.kl_ddnm = enclosure(*related.kl_ddnm); in.has_kl_ddnm = true; }
  if (q.w2) { in.w2 = enclosure(*q.w2); in.has_w2 = true; }
  in.lambda_min = enclosure(q.lambda_min);
  in.lambda_max = enclosure(q.lambda_max);
  if (q.fisher_rel) { in.fisher_rel = enclosure(*q.fisher_rel); in.has_fisher_rel = true; }
  in.sigma_inf = interval_real(c.schedule.sigma_inf);
  if (is_continuous_time(c.sampler.kind)) {
    const auto vp = make_vp_schedule<interval_real>(c.schedule);
    in.horizon = vp.horizon;
    in.beta_int = vp.B(vp.horizon);
    in.has_horizon = true;
    if (q.kl_q0_stationary && q.w2_q0_stationary && q.w2_init && q.mean_norm2) {
      in.has_vp = true;
      in.vp = vp;
      in.kl_q0_stationary = enclosure(*q.kl_q0_stationary);
      in.w2_q0_stationary = enclosure(*q.w2_q0_stationary);
      in.w2_init = enclosure(*q.w2_init);
      in.mean_norm2 = enclosure(*q.mean_norm2);
    }
  }
  complete_derived(in, enclosure(q.lambda_min));
  return in;
}

// Judges one check (docs/math.md#verdicts); rate claims only record their shape here.
CheckOutcome judge(const Bound& bound, const CaseFacts& facts) {
  const CaseSpec& c = facts.spec;
  const ExactQuantities& q = facts.exact;
  CheckOutcome r;
  const BoundInfo& info = bound.info();
  r.bound = info.id;
  r.rate = bound.is_rate();
  r.measured_kind = info.measured;
  if (info.measured == Measured::w2 && !q.w2) {
    r.verdict = Verdict::inconclusive;
    r.reason = Reason::not_applicable;
    r.message = "not applicable: W2 is not computed for this case's engine";
    return r;
  }
  r.measured = measured_of(info.measured, q);
  for (Requirement req : info.requirements)
    if (const std::string why = requirement_unmet(req, c); !why.empty()) {
      r.verdict = Verdict::inconclusive;
      r.reason = Reason::not_applicable;
      r.message = "not applicable: " + why;
      return r;
    }
  // certified enclosures prove; quadrature results carry an estimated error from a refinement
  // study (docs/math.md#verdicts): a pass on those is labelled estimated; a bare double has no enclosure at all
  r.enclosure = r.measured.kind;
  const bool estimated = r.enclosure == EnclosureKind::estimated;
  const bool proven = r.enclosure == EnclosureKind::certified || estimated;
  try {
    PrecisionScope p(std::max(q.digits, 30u));
    const auto in = inputs_of(facts);
    const interval_real b = bound.evaluate(in);
    r.bound_value = enclosure_of(b);
    if (r.rate) {
      r.shape = mid_double(bound.shape(in));
      return r;  // judged over its sweep
    }
    const std::string name = info.measured == Measured::kl    ? "KL"
                             : info.measured == Measured::E_T ? "E_T"
                             : info.measured == Measured::w2  ? "W2"
                                                              : "TV";
    if (!r.bound_value.finite) {
      // KL <= +inf holds for every case and proves nothing about the theorem (e.g. chain-rule with
      // D_T = +inf): vacuous, which is not a pass
      r.verdict = Verdict::inconclusive;
      r.reason = Reason::vacuous;
      r.message = name + " = " + fmt(r.measured) + " <= bound = +inf at " + where(q) + ": vacuous (an infinite bound proves nothing)";
    } else if (info.relation == Relation::identity) {
      // An identity (measured = identity value) cannot be proven by enclosures; it passes when the two
      // enclosures overlap, i.e. the residual's enclosure contains 0, so the numbers cannot tell the two
      // sides apart; |residual| is then at most the residual enclosure's width, which the message shows.
      // decided at the working precision, not on doubles (whose outward rounding would widen the
      // enclosures by ~1e-16 and let a residual of 1e-30 pass)
      const interval_real residual = enclosure(r.measured) - b;
      const bool overlap = !(lower_of(residual) > 0 || upper_of(residual) < 0);
      r.verdict = overlap ? (proven ? Verdict::pass : Verdict::inconclusive) : Verdict::fail;
      if (overlap && !proven) r.reason = Reason::not_certified;
      const auto [m, v] = fmt_distinct(r.measured, r.bound_value);
      r.message = name + " = " + m + (overlap ? " matches " : " != ") + "identity value " + v + " (residual in [" +
                  fmt(lower_double(residual)) + ", " + fmt(upper_double(residual)) + "]" +
                  (overlap ? ", contains 0" : ", excludes 0") + ") at " + where(q) +
                  (overlap && estimated ? " (estimated enclosure)" : overlap && !proven ? " (enclosure not certified)" : "");
    } else if (certainly_less(enclosure(r.measured), make_interval(lower_of(b), lower_of(b))) ||
               (upper_of(enclosure(r.measured)) == lower_of(b))) {
      r.verdict = proven ? Verdict::pass : Verdict::inconclusive;
      if (!proven) r.reason = Reason::not_certified;
      const auto [m, v] = fmt_distinct(r.measured, r.bound_value);
      r.message = name + " = " + m + " <= bound = " + v + " at " + where(q) +
                  (estimated ? " (estimated enclosure)" : proven ? "" : " (enclosure not certified)");
    } else if (certainly_less(make_interval(upper_of(b), upper_of(b)), enclosure(r.measured))) {
      r.verdict = Verdict::fail;
      const auto [m, v] = fmt_distinct(r.measured, r.bound_value);
      r.message = name + " = " + m + " > bound = " + v + " at " + where(q) + (estimated ? " (estimated enclosure)" : "");
    } else {
      r.verdict = Verdict::inconclusive;
      r.reason = Reason::enclosures_overlap;
      r.message = name + " in [" + r.measured.lo_str + ", " + r.measured.hi_str + "] and bound in [" + r.bound_value.lo_str +
                  ", " + r.bound_value.hi_str + "] overlap at " + std::to_string(q.digits) + " digits, " + where(q);
    }
  } catch (const BoundNotApplicable& e) {
    r.verdict = Verdict::inconclusive;
    r.reason = Reason::not_applicable;
    r.message = std::string("not applicable: ") + e.what();
    if (!facts.related.kl_far_refused.empty()) r.message += " (the 100 T twin was refused: " + facts.related.kl_far_refused + ")";
  }
  return r;
}

}  // namespace diffbound
