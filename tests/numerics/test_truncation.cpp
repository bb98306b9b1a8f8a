// Any truncation time 0 <= t_out < T (docs/math.md#samplers), against an independent route: the forward chain is
// Markov, so stopping a T-step chain at t_out = k and comparing with Q_k is the same experiment as running the
// last T - k steps of the schedule (a `table` schedule of beta_{k+1..T}) on the target Q_k itself down to
// t_out = 0. Q_k is built here by hand: N(sqrt(abar_k) m, abar_k lambda + 1 - abar_k) per coordinate for a
// Gaussian, the same per component for a mixture. The samplers whose steps read only beta_t, alpha_t and the
// score qualify (ddpm with the theory or beta variance, accelerated, pf-euler); ddim and the posterior variance
// read abar_t itself, which the shifted schedule does not reproduce.
#include "case_builders.hpp"
#include "numerics/exact.hpp"
#include "numerics/input_error.hpp"
#include "numerics/schedule.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace diffbound {
namespace {

using testing::sampler_of;

std::string digits60(const mpfr_real& x) { return x.str(60, std::ios_base::scientific); }

// The case `c` stopped at k, restated as a run from Q_k over the last T - k steps.
CaseSpec shifted(const CaseSpec& c, long k) {
  PrecisionScope scope(80);
  const auto sch = make_schedule<mpfr_real>(c.schedule);
  const mpfr_real ab = sch.alpha_bar[k], omab = sch.one_minus_alpha_bar[k], root = sqrt(ab);
  CaseSpec s = c;
  s.sampler.t_out = 0;
  s.schedule = ScheduleSpec{};
  s.schedule.kind = ScheduleKind::table;
  s.schedule.steps = c.schedule.steps - k;
  for (long t = k + 1; t <= c.schedule.steps; ++t) s.schedule.betas.push_back(digits60(sch.beta[t]));
  if (c.target.family == Family::gaussian) {
    auto& g = s.target.gaussian;
    std::vector<std::string> eig, mean;
    for (const auto& e : c.target.gaussian.eigenvalues) eig.push_back(digits60(ab * mpfr_real(e) + omab));
    for (const auto& m : c.target.gaussian.mean) mean.push_back(digits60(root * mpfr_real(m)));
    g.eigenvalues = eig;
    g.mean = mean;
  } else {
    auto& m = s.target.mixture;
    for (auto& v : m.variances) v = digits60(ab * mpfr_real(v) + omab);
    for (auto& mu : m.means) mu = digits60(root * mpfr_real(mu));
  }
  return s;
}

CaseSpec gaussian_base(const std::string& sampler, const std::string& variance) {
  CaseSpec c;
  c.target.gaussian.dim = 3;
  c.target.gaussian.spectrum = Spectrum::list;
  c.target.gaussian.eigenvalues = {"0.05", "0.4", "2"};
  c.target.gaussian.mean = {"0.3", "-0.1", "0.7"};
  c.schedule.kind = ScheduleKind::etc;
  c.schedule.steps = 30;
  c.sampler = sampler_of(sampler, variance, 1);
  c.numerics.precision = Precision::mpfr;
  c.numerics.digits = 50;
  return c;
}

struct Run { std::string sampler, variance; };
class GaussianTruncation : public ::testing::TestWithParam<Run> {};

TEST_P(GaussianTruncation, StoppingAtKEqualsTheShiftedRunFromQk) {
  for (long k : {2L, 7L, 29L}) {
    CaseSpec c = gaussian_base(GetParam().sampler, GetParam().variance);
    c.sampler.t_out = k;
    const ExactQuantities a = compute_exact(c), b = compute_exact(shifted(c, k));
    EXPECT_NEAR(a.kl.value, b.kl.value, 1e-25 * b.kl.value) << "t_out = " << k;
    EXPECT_NEAR(a.E_T.value, b.E_T.value, 1e-25 * b.E_T.value) << "t_out = " << k;
    if (a.D_T && b.D_T) {
      EXPECT_NEAR(a.D_T->value, b.D_T->value, 1e-25 * b.D_T->value) << "t_out = " << k;
    }
    EXPECT_GT(a.kl.value, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Samplers, GaussianTruncation,
                         ::testing::Values(Run{"ddpm", "theory"}, Run{"ddpm", "beta"}, Run{"accelerated", "theory"},
                                           Run{"pf-euler", "theory"}),
                         [](const auto& info) { return info.param.sampler == "pf-euler" ? "pf_euler_" + info.param.variance
                                                                                        : info.param.sampler + "_" + info.param.variance; });

// The mixture engine's estimate at t_out = k against the shifted run (each with its own refinement-study error)
TEST(MixtureTruncation, StoppingAtKEqualsTheShiftedRunFromQk) {
  MixtureSpec m{1, MixtureLayout::axis, {"0.3", "0.7"}, {"-1", "1.5"}, {"0.2", "0.5"}};
  for (long k : {3L, 10L}) {
    CaseSpec c = testing::mixture_case(m, ScheduleKind::etc, 40, sampler_of("ddpm", "theory", k));
    const ExactQuantities a = compute_exact(c), b = compute_exact(shifted(c, k));
    const double tol = (a.kl.hi - a.kl.lo) + (b.kl.hi - b.kl.lo) + 1e-12 * b.kl.value;
    EXPECT_NEAR(a.kl.value, b.kl.value, tol) << "t_out = " << k;
    EXPECT_GT(a.kl.value, 0);
  }
}

TEST(Truncation, TOutOutsideTheChainIsRefusedNamingTheField) {
  CaseSpec c = gaussian_base("ddpm", "theory");
  for (long bad : {-1L, 30L, 31L}) {
    c.sampler.t_out = bad;
    try {
      compute_exact(c);
      ADD_FAILURE() << "t_out = " << bad << " accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.field(), "sampler.t_out");
    }
  }
}

}  // namespace
}  // namespace diffbound
