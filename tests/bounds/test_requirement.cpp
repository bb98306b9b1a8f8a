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


// Li & Yan's Lemma 7 (docs/math.md#li-yan-lemma7). The references are an independent computation in
// mpmath at 50 digits from the schedule's definition (1 - alpha_t = beta_t, alpha_bar_t the product of
// the alpha_t, alpha_t - alpha_bar_t as the difference, not as alpha_t (1 - alpha_bar_{t-1})):
//   from mpmath import mp, mpf, log, power; mp.dps = 50
//   def etc(T, c=mpf(4), delta=mpf('0.001')):
//       r = c*log(T)/T; return [delta] + [r*min(delta*power(1+r, t), 1) for t in range(2, T+1)]
//   def linear(T, lo=mpf('0.1'), hi=mpf(20)): return [(lo + (hi-lo)*mpf(t-1)/(T-1))/T for t in range(1, T+1)]
//   def lemma7(betas):
//       T = len(betas); L = log(T); alpha = [1-b for b in betas]; abar = []; p = mpf(1)
//       for a in alpha: p *= a; abar.append(p)
//       c1 = max(max((1-a)*T/L for a in alpha), max((1-alpha[t])*T/(8*(alpha[t]-abar[t])*L) for t in range(1, T)))
//       return c1, abar[-1] <= power(T, -c1/2) and min(alpha) >= mpf(1)/2
// etc (c = 4, delta = 1e-3): T = 10 -> c1* = 2.7378559202460238, fails (alpha_bar_T = 0.1705 > T^(-c1*/2)
// = 0.04276, min alpha_t = 0.3696); T = 20 fails (min alpha_t = 0.40); T = 30, 50, 100, 1000 -> c1* = 4 (the
// capped steps have (1 - alpha_t) T / log T = c exactly), qualifies (T = 100: alpha_bar_T = 1.695e-6 <= 1e-4).
// linear 0.1 -> 20, T = 50 -> c1* = 8.1686961670122826, fails (alpha_bar_T = 7.745e-6 > 1.150e-7).
// constant eta = 0.1, T = 10 -> c1* = 0.60318678042118309, qualifies (0.3487 <= 0.4994).
ScheduleSpec etc_schedule(long T) {
  ScheduleSpec s;
  s.kind = ScheduleKind::etc;
  s.steps = T;
  return s;
}

TEST(Requirement, LiYanLemma7OnEtcSchedules) {
  const LiYanLemma7 t10 = li_yan_lemma7(etc_schedule(10));
  EXPECT_FALSE(t10.qualifies);
  EXPECT_NEAR(t10.c1_star, 2.7378559202460238, 1e-12);
  EXPECT_NEAR(t10.alpha_bar_T, 0.170514, 1e-6);
  EXPECT_NE(t10.message.find("c1* = 2.73786"), std::string::npos) << t10.message;
  EXPECT_NE(t10.message.find("min alpha_t = 0.369585 < 1/2"), std::string::npos) << t10.message;
  EXPECT_FALSE(li_yan_lemma7(etc_schedule(20)).qualifies);
  for (long T : {30, 50, 100, 1000}) {
    const LiYanLemma7 r = li_yan_lemma7(etc_schedule(T));
    EXPECT_TRUE(r.qualifies) << T << ": " << r.message;
    EXPECT_NEAR(r.c1_star, 4.0, 1e-12) << T;
    EXPECT_TRUE(r.message.empty()) << r.message;
  }
  EXPECT_NEAR(li_yan_lemma7(etc_schedule(100)).alpha_bar_T, 1.695e-6, 1e-9);
}

TEST(Requirement, LiYanLemma7FailsOnLinearAndHoldsOnAShortConstantSchedule) {
  ScheduleSpec lin;
  lin.kind = ScheduleKind::linear;
  lin.steps = 50;
  const LiYanLemma7 l = li_yan_lemma7(lin);
  EXPECT_FALSE(l.qualifies);
  EXPECT_NEAR(l.c1_star, 8.1686961670122826, 1e-11);
  EXPECT_NE(l.message.find("c1* = 8.1687"), std::string::npos) << l.message;
  EXPECT_NE(l.message.find("alpha_bar_T = 7.74477e-06 > T^(-c1*/2)"), std::string::npos) << l.message;
  ScheduleSpec k;
  k.kind = ScheduleKind::constant;
  k.eta = "0.1";
  k.steps = 10;
  const LiYanLemma7 c = li_yan_lemma7(k);
  EXPECT_TRUE(c.qualifies) << c.message;
  EXPECT_NEAR(c.c1_star, 0.60318678042118309, 1e-13);
  // as a requirement: the unmet message is the lemma's, with c1*
  CaseSpec cs;
  cs.schedule = lin;
  EXPECT_FALSE(requirement_met(Requirement::li_yan_lemma7, cs));
  EXPECT_NE(requirement_unmet(Requirement::li_yan_lemma7, cs).find("c1* = 8.1687"), std::string::npos);
  cs.schedule = k;
  EXPECT_TRUE(requirement_met(Requirement::li_yan_lemma7, cs));
  cs.schedule.steps = 1;  // log T = 0: the lemma says nothing
  EXPECT_FALSE(requirement_met(Requirement::li_yan_lemma7, cs));
}

TEST(Requirement, VarianceAndTOutConditions) {
  CaseSpec c;  // ddpm, theory variance, t_out = 1
  EXPECT_TRUE(requirement_met(Requirement::theory_variance, c));
  EXPECT_FALSE(requirement_met(Requirement::posterior_variance, c));
  EXPECT_TRUE(requirement_met(Requirement::t_out_one, c));
  c.sampler.variance = Variance::posterior;
  EXPECT_FALSE(requirement_met(Requirement::theory_variance, c));
  EXPECT_TRUE(requirement_met(Requirement::posterior_variance, c));
  c.sampler.t_out = 0;
  EXPECT_FALSE(requirement_met(Requirement::t_out_one, c));
  EXPECT_EQ(requirement_unmet(Requirement::t_out_one, c), "the bound assumes metric at t_out = 1");
  c.sampler.kind = SamplerKind::ddim;  // fixes its own noise: no variance choice at all
  EXPECT_FALSE(requirement_met(Requirement::posterior_variance, c));
}

}  // namespace
}  // namespace diffbound
