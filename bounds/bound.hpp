// A bound: a small self-describing object (what it claims, where it comes from, what it needs) with
// its formula evaluable in every number type of the project. Bounds never compute exact quantities;
// they receive them in BoundInputs (bounds/inputs.hpp).
#pragma once

#include "bounds/inputs.hpp"
#include "bounds/requirement.hpp"
#include "numerics/kind_table.hpp"

#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace diffbound {

// rigorous: explicit constants, a hard pass/fail.  rate: a shape with an unknown constant, judged by
// measured exponents (docs/math.md#verdicts), never by a threshold.
enum class BoundKind { rigorous, rate };
// The divergence the paper states the bound in (at t_out).
enum class Metric { KL, TV, W2 };
// The measured quantity the verify layer compares the bound with: the sampler's KL, the
// initialization error E_T (forward-contraction bounds E_T, not the sampler's KL), TV, or W2.
enum class Measured { kl, E_T, tv, w2 };
// How far the statement a bound encodes was read: MATH's levels (docs/math.md#provenance), plus `user`
// for a suite-defined bound that declares none. Shown by `diffbound list bounds` and in every report.
enum class Provenance { standard, paper, read, read_secondary, authors_code, shape_only, user };
struct ProvenanceRow {
  Provenance kind;
  std::string_view name;         // as report.json and suite files write it
  std::string_view description;  // one line, for `diffbound list bounds --levels` style help and the docs
};
inline constexpr std::array provenance_table{
    ProvenanceRow{Provenance::standard, "standard", "textbook material, derived in docs/math.md"},
    ProvenanceRow{Provenance::paper, "paper", "the construction is in the cited paper or its authors' code; restated here"},
    ProvenanceRow{Provenance::read, "read", "a theorem whose statement was read in the paper's own text"},
    ProvenanceRow{Provenance::read_secondary, "read-secondary", "a theorem read only in a third-party summary of the paper"},
    ProvenanceRow{Provenance::authors_code, "authors-code",
                  "the bound as the authors' public code computes it; the theorem text was not read"},
    ProvenanceRow{Provenance::shape_only, "shape-only", "a published rate whose constants (maybe exponents) could not be read"},
    ProvenanceRow{Provenance::user, "user", "defined in a suite file without a declared level"},
};
static_assert(lists_every_kind_in_order(provenance_table));
// upper: measured <= bound.  identity: measured = bound (an exact identity; verify checks overlap).
enum class Relation { upper, identity };
// Sweep variables a rate claim speaks of.
enum class SweepVariable { T, d, kappa };

std::string_view to_string(BoundKind);
std::string_view to_string(Metric);
std::string_view to_string(Measured);
std::string_view to_string(Provenance);
std::string_view to_string(Relation);
std::string_view to_string(SweepVariable);
// Parsers for suite files; throw InputError(field, text, ...) naming the accepted values.
BoundKind parse_bound_kind(const std::string& field, const std::string& text);
Metric parse_metric(const std::string& field, const std::string& text);
Measured parse_measured(const std::string& field, const std::string& text);
SweepVariable parse_sweep_variable(const std::string& field, const std::string& text);
Provenance parse_provenance(const std::string& field, const std::string& text);

struct BoundInfo {
  std::string id;
  std::string citation;     // authors (venue year), theorem where known
  std::string description;  // one line
  BoundKind kind = BoundKind::rigorous;
  Metric metric = Metric::KL;
  Measured measured = Measured::kl;
  Provenance provenance = Provenance::standard;
  Relation relation = Relation::upper;
  std::vector<Requirement> requirements;
  std::vector<std::string> notes;  // free-text caveats ("exponents of d and log T unconfirmed")
  std::vector<Variable> needs;     // quantities the formula reads (checked before evaluation)
  std::string formula;             // human-readable formula, e.g. "E_T + D_T + B_T"
  // rate claims only: the claimed rate and the sweep variables it speaks of
  std::string shape;
  std::vector<SweepVariable> swept;
  // rate claims whose shape speaks of KL_T - KL_inf (the part that vanishes), not of KL_T itself:
  // verify fits KL_T - KL_inf, with KL_inf estimated at 100 T steps.
  bool minus_limit = false;

  // Requirements and notes as display strings ("gaussian target", ...).
  std::vector<std::string> assumptions() const;
};

class Bound {
public:
  virtual ~Bound() = default;
  virtual const BoundInfo& info() const = 0;

  // The bound's value. For rate claims: the claimed right-hand side with every unknown constant set
  // to 1 (for plots only; a rate claim is judged by its shape).
  virtual double evaluate(const BoundInputs<double>& in) const = 0;
  virtual mpfr_real evaluate(const BoundInputs<mpfr_real>& in) const = 0;
  virtual interval_real evaluate(const BoundInputs<interval_real>& in) const = 0;

  // Rate claims: the claimed rate (e.g. d^2 log^2 T / T). Rigorous bounds throw std::logic_error.
  virtual double shape(const BoundInputs<double>& in) const = 0;
  virtual mpfr_real shape(const BoundInputs<mpfr_real>& in) const = 0;
  virtual interval_real shape(const BoundInputs<interval_real>& in) const = 0;

  const std::string& id() const { return info().id; }
  bool is_rate() const { return info().kind == BoundKind::rate; }
};

// Adapts a formula struct to Bound. Spec provides
//   static BoundInfo info();
//   template <class Real> static Real bound(const BoundInputs<Real>&);
//   template <class Real> static Real shape(const BoundInputs<Real>&);   // rate claims only
// The per-paper headers define such structs; the registry instantiates them (bounds/registry.cpp).
template <class Spec> class FormulaBound final : public Bound {
public:
  FormulaBound() : info_(Spec::info()) {}
  const BoundInfo& info() const override { return info_; }

  double evaluate(const BoundInputs<double>& in) const override { return value(in); }
  mpfr_real evaluate(const BoundInputs<mpfr_real>& in) const override { return value(in); }
  interval_real evaluate(const BoundInputs<interval_real>& in) const override { return value(in); }
  double shape(const BoundInputs<double>& in) const override { return rate(in); }
  mpfr_real shape(const BoundInputs<mpfr_real>& in) const override { return rate(in); }
  interval_real shape(const BoundInputs<interval_real>& in) const override { return rate(in); }

private:
  template <class Real> Real value(const BoundInputs<Real>& in) const {
    require_available(in, info_.needs, info_.id);
    return Spec::template bound<Real>(in);
  }
  template <class Real> Real rate(const BoundInputs<Real>& in) const {
    if constexpr (requires { Spec::template shape<Real>(in); }) {
      require_available(in, info_.needs, info_.id);
      return Spec::template shape<Real>(in);
    } else {
      throw std::logic_error("bound " + info_.id + " is rigorous: it has no rate shape");
    }
  }
  BoundInfo info_;
};

}  // namespace diffbound
