// The judge: one bound against one computed case, as a pure function of the two (docs/math.md#verdicts).
// Nothing here computes a case; the runner hands in everything the check reads.
#pragma once

#include "bounds/bound.hpp"
#include "numerics/case_spec.hpp"
#include "numerics/exact.hpp"
#include "verify/verdict.hpp"

#include <optional>
#include <string>
#include <vector>

namespace diffbound {

// Quantities of related cases that some checks compare with (computed only when a check needs them).
struct RelatedQuantities {
  std::optional<Enclosure> kl_far;   // the same case with 100 T steps
  std::string kl_far_refused;       // why the 100 T twin could not be computed (shown, never dropped)
  std::optional<Enclosure> kl_ddnm;  // the same zero-shot case with the DDNM score
};

// Everything a check reads: the case as computed (at the precision that decides it), its exact
// quantities and those of its twins.
struct CaseFacts {
  const CaseSpec& spec;
  const ExactQuantities& exact;
  const RelatedQuantities& related;
};

struct CheckOutcome {
  std::string bound;
  Verdict verdict = Verdict::inconclusive;
  Reason reason = Reason::none;
  std::string message;
  EnclosureKind enclosure = EnclosureKind::point;  // of the measured quantity
  Measured measured_kind = Measured::kl;
  Enclosure measured, bound_value;
  // rate claims are judged over a sweep (verify/rate_claims.hpp): here only their shape at this case
  bool rate = false;
  double shape = 0;
};

// Judges one check. Rigorous bounds: pass when the measured enclosure is at or below the bound's
// lower end and the enclosure is certified or estimated; fail when it is above the bound's upper end;
// otherwise inconclusive with the reason. Identities: pass when the residual's enclosure contains 0.
// An infinite bound is vacuous; a requirement the case does not meet makes it not-applicable.
CheckOutcome judge(const Bound& bound, const CaseFacts& facts);

// Where a bound input comes from (bounds/inputs.hpp's variable table): its enclosure for a case, at the
// current precision, or nothing when the case does not have it. tau, h and L are derived from the others
// (complete_derived) and have no producer; every other variable has exactly one (tested).
struct InputProducer {
  Variable variable;
  std::optional<interval_real> (*produce)(const CaseFacts&);
};
const std::vector<InputProducer>& input_producers();

// The quantities a bound reads, as intervals at the current precision.
BoundInputs<interval_real> inputs_of(const CaseFacts& facts);

}  // namespace diffbound
