// Instantiates every built-in bound (their formulas in double, MPFR and MPFI) and registers them.
#include "bounds/registry.hpp"

#include "bounds/benton2024.hpp"
#include "bounds/chain_rule.hpp"
#include "bounds/chen2023.hpp"
#include "bounds/continuous_time.hpp"
#include "bounds/li_wei_chen_chi2024.hpp"
#include "bounds/li_yan2025.hpp"
#include "bounds/liang2024.hpp"
#include "bounds/liang2025.hpp"
#include "bounds/liang2025_zero_shot.hpp"
#include "bounds/pinsker.hpp"
#include "numerics/input_error.hpp"

namespace diffbound {

namespace {
// The factories of BoundRegistration objects (static initialization, so before main: a function-local
// static, constructed on first use, whatever the order of the translation units).
std::vector<BoundFactory>& registered() {
  static std::vector<BoundFactory> factories;
  return factories;
}
}  // namespace

void register_builtin(BoundFactory make) { registered().push_back(make); }

void add_explicit_constant_bounds(BoundRegistry& r);

BoundRegistry BoundRegistry::with_builtins() {
  BoundRegistry r;
  // rigorous (docs/math.md#bounds)
  r.add(std::make_unique<FormulaBound<bounds::ChainRule>>());
  r.add(std::make_unique<FormulaBound<bounds::ForwardContraction>>());
  r.add(std::make_unique<FormulaBound<bounds::SdeDataProcessing>>());
  r.add(std::make_unique<FormulaBound<bounds::PfOdeIdentity>>());
  r.add(std::make_unique<FormulaBound<bounds::GirsanovEi>>());
  r.add(std::make_unique<FormulaBound<bounds::Pinsker>>());
  add_explicit_constant_bounds(r);  // the VP SDE's published bounds (bounds/explicit_constants.cpp)
  // the zero-shot paper's claims (Liang et al. 2025), checked on exact numbers
  r.add(std::make_unique<FormulaBound<bounds::BoDdnmBelowDdnm>>());
  r.add(std::make_unique<FormulaBound<bounds::DdnmPersistentBias>>());
  // rate claims (judged by fitted exponents; provenance per bound: read, read-secondary or shape-only)
  r.add(std::make_unique<FormulaBound<bounds::Liang2025ScoreMismatch>>());
  r.add(std::make_unique<FormulaBound<bounds::Liang2024Regular>>());
  r.add(std::make_unique<FormulaBound<bounds::Liang2024Accelerated>>());
  r.add(std::make_unique<FormulaBound<bounds::LiYan2025>>());
  r.add(std::make_unique<FormulaBound<bounds::LiYan2025Posterior>>());
  r.add(std::make_unique<FormulaBound<bounds::LiWeiChenChi2024Ddpm>>());
  r.add(std::make_unique<FormulaBound<bounds::LiWeiChenChi2024Ode>>());
  r.add(std::make_unique<FormulaBound<bounds::Chen2023>>());
  r.add(std::make_unique<FormulaBound<bounds::Benton2024>>());
  // bounds registered from their own headers (BoundRegistration)
  for (BoundFactory make : registered()) r.add(make(), "bound.id");
  return r;
}

const BoundRegistry& BoundRegistry::builtins() {
  static const BoundRegistry registry = with_builtins();
  return registry;
}

void BoundRegistry::add(std::unique_ptr<Bound> bound, const std::string& field) {
  if (find(bound->id()))
    throw InputError(field, bound->id(), "a bound with this id already exists (built-in ids cannot be redefined)");
  bounds_.push_back(std::move(bound));
}

const Bound* BoundRegistry::find(std::string_view id) const {
  for (const auto& b : bounds_)
    if (b->id() == id) return b.get();
  return nullptr;
}

const Bound& BoundRegistry::at(std::string_view id, const std::string& field) const {
  if (const Bound* b = find(id)) return *b;
  std::string known;
  for (const auto& b : bounds_) known += (known.empty() ? "" : ", ") + b->id();
  throw InputError(field, std::string(id), "unknown bound; known: " + known);
}

std::vector<BoundSummary> list_bounds(const BoundRegistry& registry) {
  std::vector<BoundSummary> rows;
  for (const auto& b : registry.all()) {
    const BoundInfo& i = b->info();
    rows.push_back({i.id, std::string(to_string(i.kind)), std::string(to_string(i.metric)),
                    std::string(to_string(i.measured)), std::string(to_string(i.provenance)), i.citation,
                    i.description});
  }
  return rows;
}

}  // namespace diffbound
