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

namespace {
using Produced = std::optional<interval_real>;
Produced optional_enclosure(const std::optional<Enclosure>& q) { return q ? Produced(enclosure(*q)) : std::nullopt; }
Produced continuous_only(const CaseSpec& c, interval_real (*of)(const VpSchedule<interval_real>&)) {
  if (!is_continuous_time(c.sampler.kind)) return std::nullopt;
  return of(make_vp_schedule<interval_real>(c.schedule));
}
}  // namespace

// Descriptors are produced as their enclosures, not as doubles: a certified bound reads certified inputs.
const std::vector<InputProducer>& input_producers() {
  using V = Variable;
  static const std::vector<InputProducer> producers = {
      {V::d, [](const CaseFacts& f) -> Produced { return interval_real(f.exact.dim); }},
      {V::T, [](const CaseFacts& f) -> Produced { return interval_real(f.exact.steps); }},
      {V::t_out, [](const CaseFacts& f) -> Produced { return interval_real(f.exact.t_out); }},
      {V::kappa, [](const CaseFacts& f) -> Produced {
         return f.spec.target.family == Family::gaussian ? interval_real(f.spec.target.gaussian.kappa) : enclosure(f.exact.kappa);
       }},
      // continuous-time samplers: alpha_bar(1) = exp(-(b_min + b_max)/2) of the VP SDE (numerics/continuous_time.hpp)
      {V::abar_T, [](const CaseFacts& f) -> Produced {
         const CaseSpec& c = f.spec;
         return is_continuous_time(c.sampler.kind)
                    ? interval_real(exp(-(interval_real(c.schedule.b_min) + interval_real(c.schedule.b_max)) / 2))
                    : make_schedule<interval_real>(c.schedule).alpha_bar[c.schedule.steps];
       }},
      {V::E_T, [](const CaseFacts& f) -> Produced { return enclosure(f.exact.E_T); }},
      {V::D_T, [](const CaseFacts& f) { return optional_enclosure(f.exact.D_T); }},
      {V::B_T, [](const CaseFacts& f) { return optional_enclosure(f.exact.B_T); }},
      {V::kl_q0_gamma, [](const CaseFacts& f) -> Produced { return enclosure(f.exact.kl_q0_gamma); }},
      {V::m2, [](const CaseFacts& f) -> Produced { return enclosure(f.exact.m2); }},
      {V::eps2, [](const CaseFacts& f) -> Produced {
         const interval_real eps = f.spec.score.kind == ScoreKind::perturbed ? interval_real(f.spec.score.epsilon) : interval_real(0);
         return eps * eps;
       }},
      {V::kl, [](const CaseFacts& f) -> Produced { return enclosure(f.exact.kl); }},
      {V::girsanov, [](const CaseFacts& f) { return optional_enclosure(f.exact.girsanov); }},
      {V::kl_far, [](const CaseFacts& f) { return optional_enclosure(f.related.kl_far); }},
      {V::kl_ddnm, [](const CaseFacts& f) { return optional_enclosure(f.related.kl_ddnm); }},
      {V::w2, [](const CaseFacts& f) { return optional_enclosure(f.exact.w2); }},
      {V::sigma_inf, [](const CaseFacts& f) -> Produced { return interval_real(f.spec.schedule.sigma_inf); }},
      {V::horizon, [](const CaseFacts& f) {
         return continuous_only(f.spec, [](const VpSchedule<interval_real>& vp) { return vp.horizon; });
       }},
      {V::lambda_min, [](const CaseFacts& f) -> Produced { return enclosure(f.exact.lambda_min); }},
      {V::lambda_max, [](const CaseFacts& f) -> Produced { return enclosure(f.exact.lambda_max); }},
      {V::fisher_rel, [](const CaseFacts& f) { return optional_enclosure(f.exact.fisher_rel); }},
      {V::beta_int, [](const CaseFacts& f) {
         return continuous_only(f.spec, [](const VpSchedule<interval_real>& vp) { return vp.B(vp.horizon); });
       }},
  };
  return producers;
}

BoundInputs<interval_real> inputs_of(const CaseFacts& facts) {
  const CaseSpec& c = facts.spec;
  const ExactQuantities& q = facts.exact;
  BoundInputs<interval_real> in;
  for (const InputProducer& p : input_producers())
    if (Produced value = p.produce(facts)) set(in, p.variable, std::move(*value));
  // the explicit-constant bounds' own inputs: the VP SDE and the engine's distances (bounds/inputs.hpp)
  if (is_continuous_time(c.sampler.kind) && q.kl_q0_stationary && q.w2_q0_stationary && q.w2_init && q.mean_norm2) {
    in.has_vp = true;
    in.vp = make_vp_schedule<interval_real>(c.schedule);
    in.kl_q0_stationary = enclosure(*q.kl_q0_stationary);
    in.w2_q0_stationary = enclosure(*q.w2_q0_stationary);
    in.w2_init = enclosure(*q.w2_init);
    in.mean_norm2 = enclosure(*q.mean_norm2);
  }
  complete_derived(in, in.lambda_min);
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
