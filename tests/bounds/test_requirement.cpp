// What a Requirement means (bounds/requirement.hpp), for every sampler of the table: the sampler
// conditions the bounds state, written out kind by kind, against the traits they are read from.
#include "bounds/requirement.hpp"
#include "numerics/case_kinds.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace diffbound {
namespace {

TEST(Requirement, SamplerConditionsHoldForExactlyTheirSamplers) {
  using K = SamplerKind;
  const std::map<Requirement, std::set<SamplerKind>> holds_for = {
      {Requirement::ddpm_sampler, {K::ddpm}},
      {Requirement::accelerated_sampler, {K::accelerated}},
      // discretized reverse SDEs count as stochastic samplers, discretized probability-flow ODEs as
      // deterministic ones; the exact continuous-time samplers (no step) and DDNM+ (zero-shot) as neither
      {Requirement::stochastic_sampler, {K::ddpm, K::accelerated, K::sde_em, K::sde_ei, K::sde_em_end, K::sde_ei_relative}},
      {Requirement::deterministic_sampler, {K::ddim, K::pf_euler, K::ode_euler, K::ode_heun, K::ode_rk4}},
      {Requirement::continuous_reverse_sde, {K::sde_exact}},
      {Requirement::continuous_pf_ode, {K::ode_exact}},
      {Requirement::exponential_integrator, {K::sde_ei}},
  };
  for (const auto& [requirement, samplers] : holds_for)
    for (const SamplerRow& s : sampler_table) {
      CaseSpec c;
      c.sampler.kind = s.kind;
      EXPECT_EQ(requirement_met(requirement, c), samplers.count(s.kind) == 1) << to_string(requirement) << ", sampler " << s.name;
    }
}

TEST(Requirement, ExactScoreOfAZeroShotCaseIsTheExactConditionalScoreUnderAScoreSampler) {
  CaseSpec c;
  EXPECT_TRUE(requirement_met(Requirement::exact_score, c));
  c.problem = ProblemSpec{};
  EXPECT_FALSE(requirement_met(Requirement::exact_score, c));
  c.score.kind = ScoreKind::exact_conditional;
  EXPECT_TRUE(requirement_met(Requirement::exact_score, c));
  c.sampler.kind = SamplerKind::ddnm_plus;  // projects onto the measurement: not a score sampler
  EXPECT_FALSE(requirement_met(Requirement::exact_score, c));
}

TEST(Requirement, CaseConditions) {
  CaseSpec c;
  EXPECT_TRUE(requirement_met(Requirement::gaussian_target, c));
  EXPECT_TRUE(requirement_met(Requirement::gaussian_init, c));
  EXPECT_FALSE(requirement_met(Requirement::tv_quadrature, c));
  c.target.family = Family::mixture;
  c.sampler.init = Init::exact;
  EXPECT_FALSE(requirement_met(Requirement::gaussian_target, c));
  EXPECT_FALSE(requirement_met(Requirement::gaussian_init, c));
  EXPECT_TRUE(requirement_met(Requirement::tv_quadrature, c));
  c.target.mixture.dim = 2;
  EXPECT_FALSE(requirement_met(Requirement::tv_quadrature, c));

  CaseSpec z;
  z.problem = ProblemSpec{};
  z.score.kind = ScoreKind::bo_ddnm;
  EXPECT_FALSE(requirement_met(Requirement::zero_shot_bo_noisy, z));  // sigma_y = 0
  z.problem->sigma_y = "0.1";
  EXPECT_TRUE(requirement_met(Requirement::zero_shot_bo_noisy, z));
  EXPECT_FALSE(requirement_met(Requirement::zero_shot_ddnm, z));
  z.score.kind = ScoreKind::ddnm;
  EXPECT_TRUE(requirement_met(Requirement::zero_shot_ddnm, z));
}

}  // namespace
}  // namespace diffbound
