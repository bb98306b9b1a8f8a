#include "verify/run_estimate.hpp"

#include "numerics/resource_caps.hpp"

#include <algorithm>

namespace diffbound {

namespace {

ResourceEstimate estimate_of(const CaseSpec& spec) {
  try {
    ResourceEstimate e = estimate_resources(spec);
    e.seconds = std::max(e.seconds, 1e-6);
    return e;
  } catch (const std::exception&) {
    return {0, 1e-6, "refused"};
  }
}

SuiteEstimate& suite_entry(std::vector<SuiteEstimate>& out, const std::string& suite) {
  for (auto& s : out)
    if (s.suite == suite) return s;
  out.push_back({});
  out.back().suite = suite;
  return out.back();
}

}  // namespace

double computation_cost(const CaseSpec& spec) { return estimate_of(spec).seconds; }

double plan_cost(const CasePlan& plan) {
  double seconds = 0;
  for (const auto& c : computations_of(plan, 0)) seconds += computation_cost(c.spec);
  return seconds;
}

std::vector<SuiteEstimate> estimate_run(const RunInputs& in, const std::vector<std::size_t>& cases, const std::vector<std::size_t>& studies) {
  std::vector<SuiteEstimate> out;
  double total = 0;
  std::size_t planned = 0;
  for (std::size_t i : cases) {
    const SuiteCase& sc = *in.cases.at(i);
    SuiteEstimate& s = suite_entry(out, sc.suite);
    ++s.cases;
    try {
      for (const auto& c : computations_of(plan_case(sc, in.registry), i)) {
        const ResourceEstimate e = estimate_of(c.spec);
        ++s.computations;
        s.seconds += e.seconds;
        auto& by = s.by_engine[e.path];
        ++by.computations;
        by.seconds += e.seconds;
        total += e.seconds;
      }
      ++planned;
    } catch (const std::exception&) {
      // a case that cannot be planned fails at once when run; it costs nothing here
    }
  }
  const double study_cost = planned == 0 ? 1.0 : total / static_cast<double>(planned);
  for (std::size_t j : studies) {
    SuiteEstimate& s = suite_entry(out, in.studies.at(j)->suite);
    ++s.studies;
    s.seconds += study_cost;
    auto& by = s.by_engine["study"];
    ++by.computations;
    by.seconds += study_cost;
  }
  return out;
}

}  // namespace diffbound
