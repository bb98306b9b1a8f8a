// A bound added "the new way": one header with its formula and one registration line (in
// test_new_bound.cpp), nothing else edited. KL <= KL + E_T holds for every case (E_T >= 0), so it
// must pass wherever the enclosures are certified.
#pragma once

#include "bounds/bound.hpp"

namespace diffbound::test {

struct KlPlusInitialization {
  static BoundInfo info() {
    BoundInfo b;
    b.id = "example-kl-plus-e-t";
    b.citation = "test bound (tests/verify/example_bound.hpp)";
    b.description = "KL <= KL + E_T (E_T >= 0)";
    b.kind = BoundKind::rigorous;
    b.provenance = Provenance::standard;
    b.needs = {Variable::kl, Variable::E_T};
    b.formula = "kl + E_T";
    return b;
  }
  template <class Real> static Real bound(const BoundInputs<Real>& in) { return in.kl + in.E_T; }
};

}  // namespace diffbound::test
