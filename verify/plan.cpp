#include "verify/plan.hpp"

#include "numerics/cancellation.hpp"
#include "numerics/zero_shot.hpp"

#include <algorithm>

namespace diffbound {

CasePlan plan_case(const SuiteCase& sc, const BoundRegistry& registry) {
  CasePlan plan;
  plan.source = &sc;
  plan.spec = sc.spec;
  CaseSpec& spec = plan.spec;
  if (spec.target.family == Family::gaussian) {
    // verdicts need enclosures: Gaussian cases always run certified, except DDNM+ with an H that is
    // not coordinate-wise, whose singular vectors are not computed in interval arithmetic (MPFR then;
    // its checks cannot pass)
    const bool point_only = spec.problem && spec.sampler.kind == SamplerKind::ddnm_plus && !resolve_problem(spec).coordinatewise;
    spec.numerics.precision = point_only ? Precision::mpfr : Precision::certified;
    spec.numerics.digits = std::max(spec.numerics.digits, 30u);
  }
  for (const auto& id : sc.checks)
    for (Variable v : registry.at(id).info().needs) {
      plan.needs_far = plan.needs_far || v == Variable::kl_far;
      plan.needs_ddnm = plan.needs_ddnm || v == Variable::kl_ddnm;
    }
  // the DDNM twin exists for BO-DDNM zero-shot cases only
  plan.needs_ddnm = plan.needs_ddnm && spec.problem && spec.score.kind == ScoreKind::bo_ddnm;
  return plan;
}

std::vector<Computation> computations_of(const CasePlan& plan, std::size_t index) {
  std::vector<Computation> out{{index, Role::main, plan.spec}};
  if (plan.needs_far) {
    CaseSpec far = plan.spec;
    far.schedule.steps *= 100;
    out.push_back({index, Role::far_twin, far});
  }
  if (plan.needs_ddnm) {
    CaseSpec twin = plan.spec;
    twin.score.kind = ScoreKind::ddnm;
    out.push_back({index, Role::ddnm_twin, twin});
  }
  return out;
}

Computed compute(const Computation& c) {
  Computed out;
  try {
    out.exact = compute_exact(c.spec);
  } catch (const PrecisionLoss& e) {
    out.error = e.what();
    out.precision_loss = true;
  } catch (const InputError& e) {
    out.error = e.what();
    out.error_field = e.field();
    out.input_error = true;
  } catch (const Cancelled&) {
    throw;  // not the case's error: the run stops (numerics/cancellation.hpp)
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

namespace {
bool can_escalate(const CasePlan& plan, unsigned max_digits) {
  return plan.spec.numerics.precision == Precision::certified && plan.spec.numerics.digits * 2 <= max_digits;
}
CaseResult refused(const Computed& c, bool with_field) {
  CaseResult r;
  r.error = c.error;
  if (with_field) r.error_field = c.error_field;
  return r;
}
}  // namespace

std::optional<CaseResult> settle(CasePlan& plan, const std::vector<const Computed*>& outcomes, const BoundRegistry& registry,
                                 unsigned max_digits) {
  const Computed& main = *outcomes.at(0);
  if (main.precision_loss) {
    // certified enclosures grew too wide for a sign the engine needs: more digits
    if (!can_escalate(plan, max_digits)) return refused(main, false);
    plan.spec.numerics.digits *= 2;
    return std::nullopt;
  }
  // the engine refused this case (e.g. a mixture law it cannot resolve): the case's error, naming the
  // field the engine named; the other cases still run (docs/suite-file.md)
  if (!main.exact) return refused(main, main.input_error);
  CaseResult r;
  r.exact = *main.exact;
  r.computed = plan.spec;
  std::size_t next = 1;
  if (plan.needs_far) {
    const Computed& far = *outcomes.at(next++);
    // e.g. a table schedule, or a twin over the resource caps: the checks that need it say why
    if (far.exact) r.related.kl_far = far.exact->kl;
    else if (far.input_error) r.related.kl_far_refused = far.error;
    else return refused(far, false);
  }
  if (plan.needs_ddnm) {
    const Computed& twin = *outcomes.at(next++);
    if (!twin.exact) return refused(twin, twin.input_error);
    r.related.kl_ddnm = twin.exact->kl;
  }
  bool overlap = false;
  for (const auto& id : plan.source->checks) {
    r.checks.push_back(judge(registry.at(id), CaseFacts{plan.spec, r.exact, r.related}));
    overlap = overlap || r.checks.back().reason == Reason::enclosures_overlap;
  }
  if (overlap && can_escalate(plan, max_digits)) {
    plan.spec.numerics.digits *= 2;
    return std::nullopt;
  }
  return r;
}

}  // namespace diffbound
