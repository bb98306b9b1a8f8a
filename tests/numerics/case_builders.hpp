// Small builders of CaseSpec for the numerics tests.
#pragma once

#include "numerics/case_kinds.hpp"

#include <stdexcept>
#include <string>

namespace diffbound::testing {

// The kind a table names `name` (a test's typo is an error, not some other kind).
template <class Row, std::size_t N> decltype(Row::kind) kind_named(const std::array<Row, N>& table, const std::string& name) {
  if (const Row* row = row_named(table, name)) return row->kind;
  throw std::invalid_argument("no kind named \"" + name + "\" in its table (numerics/case_kinds.hpp)");
}

inline SamplerSpec sampler_of(const std::string& kind, const std::string& variance = "theory", long t_out = 1,
                              const std::string& init = "gaussian") {
  SamplerSpec s;
  s.kind = kind_named(sampler_table, kind);
  s.variance = kind_named(variance_table, variance);
  s.t_out = t_out;
  s.init = kind_named(init_table, init);
  return s;
}

inline CaseSpec gaussian_case(long dim, Spectrum spectrum, const std::string& kappa, const std::string& mean,
                              ScheduleKind schedule, long steps) {
  CaseSpec c;
  c.target.gaussian.dim = dim;
  c.target.gaussian.spectrum = spectrum;
  c.target.gaussian.kappa = kappa;
  c.target.gaussian.mean = {mean};
  c.schedule.kind = schedule;
  c.schedule.steps = steps;
  return c;
}

inline CaseSpec mixture_case(MixtureSpec m, ScheduleKind schedule, long steps, SamplerSpec sampler) {
  CaseSpec c;
  c.target.family = Family::mixture;
  c.target.mixture = std::move(m);
  c.schedule.kind = schedule;
  c.schedule.steps = steps;
  c.sampler = sampler;
  return c;
}

// The parts an axis-layout mixture case separates into (docs/math.md#gaussian-mixtures), built here independently of
// the engine's reduction: the 1-D mixture line, and N(0, s^2 I_{d-1}) with the same sampler and score.
struct AxisParts { CaseSpec line, gaussian; };
inline AxisParts axis_layout_parts(const CaseSpec& c) {
  AxisParts p{c, c};
  p.line.target.mixture.dim = 1;
  const TargetSpec fresh;  // (not `TargetSpec{}`: GCC 12 ICEs on it)
  p.gaussian.target = fresh;
  p.gaussian.target.family = Family::gaussian;
  p.gaussian.target.gaussian.dim = c.target.mixture.dim - 1;
  p.gaussian.target.gaussian.scale = c.target.mixture.variances[0];
  return p;
}

inline const char* name_of(ScheduleKind k) { return row_of(schedule_table, k).name.data(); }

// The sampler configurations every sweep covers: each discrete-chain sampler of the table, with every
// variance choice for those that choose one (the others run with "theory").
struct SamplerConfig { const char* kind; const char* variance; };
inline constexpr std::size_t kDiscreteSamplerConfigs = [] {
  std::size_t n = 0;
  for (const SamplerRow& r : sampler_table)
    if (r.family == SamplerFamily::discrete) n += r.chooses_variance ? variance_table.size() : 1;
  return n;
}();
inline constexpr std::array<SamplerConfig, kDiscreteSamplerConfigs> kAllSamplers = [] {
  std::array<SamplerConfig, kDiscreteSamplerConfigs> out{};
  std::size_t i = 0;
  for (const SamplerRow& r : sampler_table) {
    if (r.family != SamplerFamily::discrete) continue;
    if (!r.chooses_variance) out[i++] = {r.name.data(), row_of(variance_table, Variance::theory).name.data()};
    else
      for (const auto& v : variance_table) out[i++] = {r.name.data(), v.name.data()};
  }
  return out;
}();

}  // namespace diffbound::testing
