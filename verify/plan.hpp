// plan -> compute: every case expanded, before anything runs, into the computations its checks need
// (the case, its 100 T twin, its DDNM twin); the worker pool computes them; a case whose rigorous
// checks stay inconclusive on overlapping enclosures is planned again at twice the digits.
#pragma once

#include "bounds/registry.hpp"
#include "numerics/exact.hpp"
#include "verify/judge.hpp"
#include "verify/suite.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace diffbound {

struct CasePlan {
  const SuiteCase* source = nullptr;
  CaseSpec spec;  // at the precision its checks are decided at (Gaussian: certified, >= 30 digits)
  bool needs_far = false, needs_ddnm = false;
};

// The case's plan at its first precision.
CasePlan plan_case(const SuiteCase& sc, const BoundRegistry& registry);

enum class Role { main, far_twin, ddnm_twin };
struct Computation {
  std::size_t plan = 0;  // index into the run's plans
  Role role = Role::main;
  CaseSpec spec;
};
// The computations of a plan: the case itself and the twins its checks read.
std::vector<Computation> computations_of(const CasePlan& plan, std::size_t index);

// One computation's outcome: the quantities, or the error (InputError: the field it named).
struct Computed {
  std::optional<ExactQuantities> exact;
  std::string error, error_field;
  bool input_error = false, precision_loss = false;
};
Computed compute(const Computation& c);

// A case as judged, or as refused.
struct CaseResult {
  ExactQuantities exact;
  RelatedQuantities related;
  CaseSpec computed;  // the spec at the precision that decided the checks
  std::vector<CheckOutcome> checks;
  std::string error;
  std::string error_field;  // the field an InputError of the engine named ("" for other errors)
};

// Judges a plan's computations (main first, then its twins, in `outcomes` order of computations_of).
// Returns the result, or nothing when the plan must run again at twice the digits (certified
// enclosures too wide for a sign the engine needs, or overlapping with a bound), which `plan` then is.
std::optional<CaseResult> settle(CasePlan& plan, const std::vector<const Computed*>& outcomes, const BoundRegistry& registry,
                                 unsigned max_digits);

}  // namespace diffbound
