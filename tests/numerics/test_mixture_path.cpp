// The mixture engine (docs/math.md#mixture-path) against independent routes:
// - one-component mixtures against the closed-form Gaussian engine run in MPFR (40 digits);
// - separable layouts against the sum of their parts and against direct 2-D computations written
//   here from the 2-D mixture score and Hessian (docs/math.md#gaussian-mixtures), with no separability assumed;
// - symmetries (component order, reflection), the reference file, the MPFR mode, refusal of folds.
#include "numerics/exact.hpp"
#include "numerics/gaussian_path.hpp"
#include "numerics/input_error.hpp"
#include "numerics/mixture_path.hpp"

#include "case_builders.hpp"

#include <Eigen/Dense>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace diffbound {
namespace {

using testing::sampler_of;

using testing::mixture_case;
using testing::name_of;

// ---------------------------------------------------------------------------------------------
// One component = the Gaussian N(0.5, 0.3): the closed-form engine in MPFR is the reference.
//
// Every case: the true error is inside the engine's error estimate. The 1e-10 relative requirement of
// the issue is asserted where double precision reaches it: KL >= 2e-6, at every T. Elsewhere the
// engine is roundoff-limited in double: it simulates the output law itself, and even with the steps
// in increment form (the convolution as p + F^-1[(m - 1) F p], the maps as y + displacement) and on
// exact grids (mixture/grid.hpp) the absolute error is up to ~1e-17 at T = 10^4 -- up to 2e-10
// relative where KL ~ 1e-7..1e-8 (it was ~2e-16, 1e-9..1e-8 relative, on rounded grids), and worse
// for the accelerated sampler whose KL is ~1e-9 at T = 10^3 and ~1e-12 at T = 10^4. Cosine at T = 10
// is excluded too: its last step has beta = 0.999, where the step map y/sqrt(alpha) + c s(y) is a
// difference of terms 30 times its size (measured 4e-10 relative for the beta and posterior
// variances). Those errors are printed and must be covered by the estimate, which then reports the
// loss of digits honestly; the extended-precision sweep below reaches 1e-10 on them.
struct OneComponentCase { ScheduleKind schedule; long steps; const char* kind; const char* variance; };

std::vector<OneComponentCase> one_component_cases() {
  std::vector<OneComponentCase> out;
  for (ScheduleKind s : {ScheduleKind::etc, ScheduleKind::linear, ScheduleKind::cosine})
    for (long T : {10L, 100L, 1000L, 10000L}) {
      if (s == ScheduleKind::linear && T <= 20) continue;  // beta_T = 20/T must stay below 1
      for (const auto& k : testing::kAllSamplers) out.push_back({s, T, k.kind, k.variance});
    }
  return out;
}

bool meets_1e10_in_double(const OneComponentCase& c, double kl) {
  if (c.schedule == ScheduleKind::cosine && c.steps <= 10) return false;
  return kl >= 2e-6;
}

// The one-component mixture case and the same law as a Gaussian case (the reference's input).
struct CasePair { CaseSpec mixture, gaussian; };
CasePair one_component_pair(const OneComponentCase& p) {
  CasePair c;
  c.mixture = mixture_case(MixtureSpec{1, MixtureLayout::axis, {"1"}, {"0.5"}, {"0.3"}}, p.schedule, p.steps,
                           sampler_of(p.kind, p.variance));
  c.gaussian = c.mixture;
  c.gaussian.target.family = Family::gaussian;
  c.gaussian.target.gaussian.dim = 1;
  c.gaussian.target.gaussian.scale = "0.3";
  c.gaussian.target.gaussian.mean = {"0.5"};
  return c;
}

class OneComponent : public ::testing::TestWithParam<OneComponentCase> {};

TEST_P(OneComponent, MatchesClosedFormGaussianEngine) {
  const auto& p = GetParam();
  const auto [m, g] = one_component_pair(p);
  double exact;
  {
    PrecisionScope scope(40);
    exact = static_cast<double>(gaussian_path<mpfr_real>(g).kl);
  }
  const auto r = mixture_path<double>(m);
  const double err = std::abs(r.kl.value - exact);
  std::printf("[one-component] %-6s T=%-5ld %-11s %-9s kl=%.10e rel.err=%.2e est.rel=%.2e\n", name_of(p.schedule),
              p.steps, p.kind, p.variance, exact, err / exact, r.kl.error / exact);
  EXPECT_LE(err, r.kl.error) << "the error estimate does not cover the true error";
  if (meets_1e10_in_double(p, exact)) {
    EXPECT_LE(err, 1e-10 * exact);
  }
  // E_T and KL(Q_0 || gamma) by quadrature against the closed form
  PrecisionScope scope(40);
  const auto gr = gaussian_path<mpfr_real>(g);
  for (auto [est, ref] : {std::pair{r.kl_q0_gamma, static_cast<double>(gr.kl_q0_gamma)},
                          std::pair{r.E_T, static_cast<double>(gr.E_T)}}) {
    EXPECT_LE(std::abs(est.value - ref), est.error);
    EXPECT_LE(std::abs(est.value - ref), 1e-10 * ref);
  }
}

INSTANTIATE_TEST_SUITE_P(Sweep, OneComponent, ::testing::ValuesIn(one_component_cases()),
                         [](const auto& info) {
                           std::string s = std::string(name_of(info.param.schedule)) + "_T" +
                                           std::to_string(info.param.steps) + "_" + info.param.kind + "_" +
                                           info.param.variance;
                           for (auto& ch : s) if (ch == '-') ch = '_';
                           return s;
                         });

// The same cases in extended precision (long double, u = 1.1e-19) where double does not reach 1e-10:
// the reference is the same MPFR closed form. Every one of them, the accelerated sampler at T = 10^4
// (KL 7e-11..9e-13) included, is asserted at 1e-10 relative and inside its estimate (measured: <= 1e-11
// relative; the KL's generalized form leaves no absolute floor from the masses, see
// divergences_on_grid).
// (One test per schedule, each running the cases of its schedule that double leaves short: ctest
// then reports no skipped tests.)
void extended_sweep(ScheduleKind schedule) {
  int ran = 0;
  for (const OneComponentCase& p : one_component_cases()) {
    if (p.schedule != schedule) continue;
    const auto [m, g] = one_component_pair(p);
    long double exact;
    {
      PrecisionScope scope(40);
      exact = gaussian_path<mpfr_real>(g).kl.convert_to<long double>();
    }
    if (meets_1e10_in_double(p, static_cast<double>(exact))) continue;  // asserted by Sweep/OneComponent
    ++ran;
    const auto r = mixture_path<long double>(m);
    const long double err = std::fabs(r.kl.value - exact);
    std::printf("[one-component extended] %-6s T=%-5ld %-11s %-9s kl=%.10Le rel.err=%.2Le est.rel=%.2Le\n",
                name_of(p.schedule), p.steps, p.kind, p.variance, exact, err / exact, r.kl.error / exact);
    EXPECT_LE(err, r.kl.error) << p.steps << " " << p.kind << " " << p.variance
                               << ": the error estimate does not cover the true error";
    EXPECT_LE(err, 1e-10L * exact) << p.steps << " " << p.kind << " " << p.variance;
  }
  EXPECT_GT(ran, 0);
}

TEST(OneComponentExtended, EtcReachesOneInTenBillionWhereDoubleDoesNot) { extended_sweep(ScheduleKind::etc); }
TEST(OneComponentExtended, LinearReachesOneInTenBillionWhereDoubleDoesNot) { extended_sweep(ScheduleKind::linear); }
TEST(OneComponentExtended, CosineReachesOneInTenBillionWhereDoubleDoesNot) { extended_sweep(ScheduleKind::cosine); }

// ---------------------------------------------------------------------------------------------
// Separable layouts: the engine's reduction against the parts computed as separate cases.
TEST(MixtureLayout, AxisEqualsLinePlusGaussianPart) {
  for (const char* kind : {"ddpm", "ddim"}) {
    CaseSpec c = mixture_case(MixtureSpec{4, MixtureLayout::axis, {"0.4", "0.6"}, {"-1", "1.2"}, {"0.3", "0.3"}},
                              ScheduleKind::etc, 100, sampler_of(kind));
    const auto whole = mixture_path<double>(c);
    const auto parts = testing::axis_layout_parts(c);
    const auto part1 = mixture_path<double>(parts.line);
    const auto part2 = gaussian_path<double>(parts.gaussian);
    EXPECT_NEAR(whole.kl.value, part1.kl.value + part2.kl, 1e-14 * whole.kl.value) << kind;
    EXPECT_NEAR(whole.E_T.value, part1.E_T.value + part2.E_T, 1e-14 * whole.E_T.value + 1e-300) << kind;
    EXPECT_NEAR(whole.kl_q0_gamma.value, part1.kl_q0_gamma.value + part2.kl_q0_gamma, 1e-14 * whole.kl_q0_gamma.value);
    EXPECT_GT(part2.kl, 0.1 * whole.kl.value);  // the Gaussian part matters in this case
  }
}

TEST(MixtureLayout, ProductEqualsSumOfLinesWithPerCoordinateScoreError) {
  // constant score error along (1, 2, 2)/3: each coordinate is a 1-D case with its own offset
  CaseSpec c = mixture_case(MixtureSpec{3, MixtureLayout::product, {"0.3", "0.7"}, {"-1", "1.5"}, {"0.2", "0.5"}},
                            ScheduleKind::etc, 100, sampler_of("ddpm"));
  c.score.kind = ScoreKind::perturbed;
  c.score.epsilon = "0.3";
  c.score.direction = {"1", "2", "2"};
  const auto whole = mixture_path<double>(c);
  EXPECT_EQ(whole.lines, 2);  // coordinates 2 and 3 are the same line
  double sum = 0;
  for (const char* eps : {"0.1", "0.2", "0.2"}) {
    CaseSpec line = c;
    line.target.mixture.dim = 1;
    line.score.epsilon = eps;
    line.score.direction.clear();
    sum += mixture_path<double>(line).kl.value;
  }
  // the engine forms the offsets as 0.3 * (1, 2, 2) / 3, one rounding away from the decimals above,
  // so the two routes are different computations: they must agree within the engine's estimate
  EXPECT_NEAR(whole.kl.value, sum, whole.kl.error);
  EXPECT_LE(whole.kl.error, 1e-11 * sum);
}

// ---------------------------------------------------------------------------------------------
// Direct 2-D computations: the 2-D mixture (axis: components ((m_k, 0), s^2 I); product: the K^2
// components with diagonal covariances), its score and Hessian by docs/math.md#gaussian-mixtures, no separability used.
struct Component2 { double w; Eigen::Vector2d m; Eigen::Vector2d v; };  // diagonal covariance

std::vector<Component2> two_d_mixture(const MixtureSpec& spec) {
  std::vector<Component2> out;
  const std::size_t K = spec.weights.size();
  auto num = [](const std::string& s) { return std::stod(s); };
  if (spec.layout == MixtureLayout::axis) {
    for (std::size_t k = 0; k < K; ++k)
      out.push_back({num(spec.weights[k]), {num(spec.means[k]), 0.0}, {num(spec.variances[k]), num(spec.variances[k])}});
  } else {
    for (std::size_t i = 0; i < K; ++i)
      for (std::size_t j = 0; j < K; ++j)
        out.push_back({num(spec.weights[i]) * num(spec.weights[j]), {num(spec.means[i]), num(spec.means[j])},
                       {num(spec.variances[i]), num(spec.variances[j])}});
  }
  return out;
}

std::vector<Component2> marginal2(const std::vector<Component2>& q, double ab) {
  auto out = q;
  for (auto& c : out) { c.m *= std::sqrt(ab); c.v = (ab * c.v.array() + (1 - ab)).matrix(); }
  return out;
}

double log_density2(const std::vector<Component2>& q, const Eigen::Vector2d& x) {
  double top = -1e300;
  std::vector<double> l;
  for (const auto& c : q) {
    const Eigen::Vector2d d = x - c.m;
    l.push_back(std::log(c.w) - 0.5 * (d.array().square() / c.v.array()).sum() - 0.5 * std::log(c.v.prod()) - std::log(2 * M_PI));
    top = std::max(top, l.back());
  }
  double s = 0;
  for (double v : l) s += std::exp(v - top);
  return top + std::log(s);
}

// score and Hessian of a 2-D mixture (docs/math.md#gaussian-mixtures): sum w g, sum w (g g^T - S^-1) - s s^T
void score2(const std::vector<Component2>& q, const Eigen::Vector2d& x, Eigen::Vector2d& s, Eigen::Matrix2d& H) {
  std::vector<double> l;
  double top = -1e300;
  for (const auto& c : q) {
    const Eigen::Vector2d d = x - c.m;
    l.push_back(std::log(c.w) - 0.5 * (d.array().square() / c.v.array()).sum() - 0.5 * std::log(c.v.prod()));
    top = std::max(top, l.back());
  }
  double z = 0;
  for (double& v : l) { v = std::exp(v - top); z += v; }
  s.setZero();
  H.setZero();
  for (std::size_t k = 0; k < q.size(); ++k) {
    const Eigen::Vector2d g = -((x - q[k].m).array() / q[k].v.array()).matrix();
    s += l[k] / z * g;
    H += l[k] / z * (g * g.transpose() - Eigen::Matrix2d(q[k].v.cwiseInverse().asDiagonal()));
  }
  H -= s * s.transpose();
}

// KL(q || p) on a square grid from log-densities, in the same cancellation-free form.
double kl2(const std::vector<double>& logq, const std::vector<double>& logp, double area) {
  double sum = 0;
  for (std::size_t i = 0; i < logq.size(); ++i) {
    const double q = std::exp(logq[i]), p = std::exp(logp[i]), d = logp[i] - logq[i];
    sum += q * (std::expm1(d) - d) - (p - q);
  }
  return sum * area;
}

// ddim in 2-D: invert every step by 2-D Newton with the Hessian, p = gamma(y_T) / prod det J.
double direct_ddim_2d(const MixtureSpec& spec, const CaseSpec& c) {
  const auto sch = make_schedule<double>(c.schedule);
  const auto q0 = two_d_mixture(spec);
  const long T = c.schedule.steps, t_out = c.sampler.t_out;
  const double L = 7, h = 0.07;
  const int n = static_cast<int>(2 * L / h) + 1;
  std::vector<double> logq, logp;
  const auto qout = marginal2(q0, sch.alpha_bar[t_out]);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const Eigen::Vector2d x(-L + h * i, -L + h * j);
      Eigen::Vector2d y = x;
      double log_det = 0;
      for (long t = t_out + 1; t <= T; ++t) {
        const auto qt = marginal2(q0, sch.alpha_bar[t]);
        const double a = std::sqrt(sch.alpha_bar[t - 1] / sch.alpha_bar[t]);  // 1/sqrt(alpha_t)
        const double gain = std::sqrt(sch.alpha_bar[t - 1] / sch.alpha_bar[t]) * sch.one_minus_alpha_bar[t] -
                            std::sqrt(sch.one_minus_alpha_bar[t - 1] * sch.one_minus_alpha_bar[t]);
        const Eigen::Vector2d target = y;
        y = target / a;
        Eigen::Vector2d s;
        Eigen::Matrix2d H, J;
        for (int it = 0; it < 50; ++it) {
          score2(qt, y, s, H);
          J = a * Eigen::Matrix2d::Identity() + gain * H;
          const Eigen::Vector2d dy = J.lu().solve(a * y + gain * s - target);
          y -= dy;
          if (dy.norm() < 1e-15 * (1 + y.norm())) break;
        }
        score2(qt, y, s, H);
        J = a * Eigen::Matrix2d::Identity() + gain * H;
        log_det += std::log(J.determinant());
      }
      logp.push_back(-0.5 * y.squaredNorm() - std::log(2 * M_PI) - log_det);
      logq.push_back(log_density2(qout, x));
    }
  return kl2(logq, logp, h * h);
}

// ddpm in 2-D by dense quadrature of p_{t-1}(x) = int phi_sigma(x - mu(y)) p_t(y) dy, on a schedule
// whose sigma_t are several grid spacings (constant beta = 0.3: sigma = 0.65, spacing 0.1), where
// the trapezoid rule is accurate to roundoff (checked in 1-D: spacing 0.1 and 0.05 agree to 1e-15,
// spacing 0.2 is off by 1e-8). Kernel terms below e^-40 are skipped.
double direct_ddpm_2d(const MixtureSpec& spec, const CaseSpec& c) {
  const auto sch = make_schedule<double>(c.schedule);
  const auto q0 = two_d_mixture(spec);
  const long T = c.schedule.steps, t_out = c.sampler.t_out;
  const double L = 7.5, h = 0.1;
  const int n = static_cast<int>(2 * L / h + 0.5) + 1;
  std::vector<Eigen::Vector2d> x(n * n), mu(n * n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) x[i * n + j] = Eigen::Vector2d(-L + h * i, -L + h * j);
  std::vector<double> p(n * n), next(n * n);
  for (int k = 0; k < n * n; ++k) p[k] = std::exp(-0.5 * x[k].squaredNorm()) / (2 * M_PI);
  for (long t = T; t > t_out; --t) {
    const auto qt = marginal2(q0, sch.alpha_bar[t]);
    const double b = sch.beta[t], a = sch.alpha[t], var = b / a;
    for (int k = 0; k < n * n; ++k) {
      Eigen::Vector2d s;
      Eigen::Matrix2d H;
      score2(qt, x[k], s, H);
      mu[k] = (x[k] + b * s) / std::sqrt(a);
    }
    for (int i = 0; i < n * n; ++i) {
      double sum = 0;
      for (int k = 0; k < n * n; ++k) {
        const double e = (x[i] - mu[k]).squaredNorm() / (2 * var);
        if (e < 40) sum += std::exp(-e) * p[k];
      }
      next[i] = sum * h * h / (2 * M_PI * var);
    }
    p.swap(next);
  }
  const auto qout = marginal2(q0, sch.alpha_bar[t_out]);
  std::vector<double> logq, logp;
  for (int k = 0; k < n * n; ++k) { logq.push_back(log_density2(qout, x[k])); logp.push_back(std::log(p[k])); }
  return kl2(logq, logp, h * h);
}

TEST(MixtureLayout, TwoDimensionsMatchDirectTwoDimensionalComputation) {
  for (MixtureLayout layout : {MixtureLayout::axis, MixtureLayout::product}) {
    const MixtureSpec spec = layout == MixtureLayout::axis
        ? MixtureSpec{2, layout, {"0.4", "0.6"}, {"-1", "1.2"}, {"0.3", "0.3"}}
        : MixtureSpec{2, layout, {"0.3", "0.7"}, {"-1", "1.5"}, {"0.3", "0.5"}};
    {
      CaseSpec c = mixture_case(spec, ScheduleKind::etc, 20, sampler_of("ddim"));
      const auto r = mixture_path<double>(c);
      const double direct = direct_ddim_2d(spec, c);
      std::printf("[2-D ddim %s] engine %.15e direct %.15e\n", layout == MixtureLayout::axis ? "axis" : "product",
                  r.kl.value, direct);
      EXPECT_NEAR(r.kl.value, direct, 1e-10 * direct);
    }
    {
      CaseSpec c = mixture_case(spec, ScheduleKind::constant, 2, sampler_of("ddpm", "theory", 0));
      c.schedule.eta = "0.3";
      const auto r = mixture_path<double>(c);
      const double direct = direct_ddpm_2d(spec, c);
      std::printf("[2-D ddpm %s] engine %.15e direct %.15e\n", layout == MixtureLayout::axis ? "axis" : "product",
                  r.kl.value, direct);
      EXPECT_NEAR(r.kl.value, direct, 1e-9 * direct);
    }
  }
}

// B_T (ddpm) of a one-component mixture with a score error against the closed-form engine's B_T.
TEST(MixtureDecomposition, ScoreMismatchTermMatchesGaussianEngine) {
  for (long T : {100L, 1000L})
    for (int which = 0; which < 3; ++which) {
      CaseSpec m = mixture_case(MixtureSpec{1, MixtureLayout::axis, {"1"}, {"0.5"}, {"0.3"}}, ScheduleKind::etc, T,
                                sampler_of("ddpm", which == 2 ? "posterior" : "theory"));
      if (which == 0) {
        m.score.kind = ScoreKind::perturbed;
        m.score.epsilon = "0.2";
      } else {
        m.score.kind = ScoreKind::mismatched;
        TargetSpec train;
        train.family = Family::gaussian;
        train.gaussian.dim = 1;
        train.gaussian.scale = "0.5";
        train.gaussian.mean = {"0.3"};
        m.score.train = train;
      }
      CaseSpec g = m;
      g.target.family = Family::gaussian;
      g.target.gaussian.dim = 1;
      g.target.gaussian.scale = "0.3";
      g.target.gaussian.mean = {"0.5"};
      PrecisionScope scope(40);
      const double exact = static_cast<double>(gaussian_path<mpfr_real>(g).B_T);
      const auto r = mixture_path<double>(m);
      ASSERT_TRUE(r.has_B_T);
      std::printf("[B_T] T=%ld case %d exact %.15e engine %.15e +- %.1e\n", T, which, exact, r.B_T.value, r.B_T.error);
      EXPECT_LE(std::abs(r.B_T.value - exact), r.B_T.error);
      EXPECT_LE(std::abs(r.B_T.value - exact), 1e-10 * exact);
    }
  // exact score: B_T = 0
  const auto r0 = mixture_path<double>(mixture_case(MixtureSpec{1, MixtureLayout::axis, {"0.3", "0.7"}, {"-1", "1.5"}, {"0.2", "0.5"}},
                                                    ScheduleKind::etc, 50, sampler_of("ddpm")));
  EXPECT_TRUE(r0.has_B_T);
  EXPECT_EQ(r0.B_T.value, 0.0);
}

// ---------------------------------------------------------------------------------------------
TEST(MixtureSymmetry, ComponentOrderAndReflection) {
  for (const char* kind : {"ddpm", "accelerated", "pf-euler"}) {
    const auto base = mixture_path<double>(mixture_case(
        MixtureSpec{1, MixtureLayout::axis, {"0.2", "0.5", "0.3"}, {"-2", "0.1", "1.7"}, {"0.1", "0.6", "0.3"}},
        ScheduleKind::linear, 200, sampler_of(kind)));
    const auto swapped = mixture_path<double>(mixture_case(
        MixtureSpec{1, MixtureLayout::axis, {"0.3", "0.2", "0.5"}, {"1.7", "-2", "0.1"}, {"0.3", "0.1", "0.6"}},
        ScheduleKind::linear, 200, sampler_of(kind)));
    const auto reflected = mixture_path<double>(mixture_case(
        MixtureSpec{1, MixtureLayout::axis, {"0.2", "0.5", "0.3"}, {"2", "-0.1", "-1.7"}, {"0.1", "0.6", "0.3"}},
        ScheduleKind::linear, 200, sampler_of(kind)));
    // the grids differ (reflection moves them), so these are independent computations
    EXPECT_NEAR(swapped.kl.value, base.kl.value, base.kl.error + swapped.kl.error) << kind;
    EXPECT_NEAR(reflected.kl.value, base.kl.value, base.kl.error + reflected.kl.error) << kind;
    std::printf("[symmetry %s] base %.15e +- %.1e swapped %.15e reflected %.15e\n", kind, base.kl.value,
                base.kl.error, swapped.kl.value, reflected.kl.value);
  }
}

// ---------------------------------------------------------------------------------------------
// /work/shared/reference/mixture.jsonl: kl = 0.007998006076255317, estimated relative error 9.5e-10,
// from an independent Fourier-pushforward implementation. Its value is reproduced with t_out = 0; its
// case line says t_out = 1, for which this engine gives 0.0080318032354... (the one-component sweep
// above fixes the t_out convention against the Gaussian engine, so the file's label is the suspect).
TEST(MixtureReference, ReproducesSharedReferenceValue) {
  CaseSpec c = mixture_case(MixtureSpec{1, MixtureLayout::axis, {"0.3", "0.7"}, {"-1.0", "1.5"}, {"0.2", "0.5"}},
                            ScheduleKind::etc, 50, sampler_of("ddpm", "theory", 0));
  const auto r = mixture_path<double>(c);
  const double ref = 0.007998006076255317;
  EXPECT_NEAR(r.kl.value, ref, 9.5e-10 * ref + r.kl.error);
  std::printf("[reference] engine %.16e +- %.1e, reference %.16e, rel.diff %.2e\n", r.kl.value, r.kl.error, ref,
              std::abs(r.kl.value - ref) / ref);
}

// The MPFR mode: one-component case beyond double accuracy, two-component case agreeing with double.
TEST(MixtureMpfr, ReachesBeyondDoubleAndAgreesWithDouble) {
  PrecisionScope scope(30);
  CaseSpec m = mixture_case(MixtureSpec{1, MixtureLayout::axis, {"1"}, {"0.5"}, {"0.3"}}, ScheduleKind::etc, 10,
                            sampler_of("ddpm"));
  CaseSpec g = m;
  g.target.family = Family::gaussian;
  g.target.gaussian.dim = 1;
  g.target.gaussian.scale = "0.3";
  g.target.gaussian.mean = {"0.5"};
  const mpfr_real exact = gaussian_path<mpfr_real>(g).kl;
  const auto r = mixture_path<mpfr_real>(m);
  const mpfr_real err = abs(mpfr_real(r.kl.value - exact));
  std::printf("[mpfr] one-component rel.err %s est %s\n", to_decimal(mpfr_real(err / exact)).c_str(),
              to_decimal(mpfr_real(r.kl.error / exact)).c_str());
  EXPECT_LE(err, r.kl.error);
  EXPECT_LE(err, 1e-20 * exact);
  CaseSpec two = mixture_case(MixtureSpec{1, MixtureLayout::axis, {"0.3", "0.7"}, {"-1.0", "1.5"}, {"0.2", "0.5"}},
                              ScheduleKind::etc, 10, sampler_of("ddim"));
  const auto rm = mixture_path<mpfr_real>(two);
  const auto rd = mixture_path<double>(two);
  EXPECT_NEAR(rd.kl.value, static_cast<double>(rm.kl.value), rd.kl.error);
}

// Extended precision through the case's [numerics]: a 2-D axis case (line in long double, Gaussian
// part from the MPFR closed form) agrees with double within double's estimate, with a far smaller
// estimate of its own; Gaussian targets refuse it, naming the field.
TEST(MixtureExtended, CaseRunsInLongDoubleAndGaussianTargetsRefuseIt) {
  CaseSpec c = mixture_case(MixtureSpec{2, MixtureLayout::axis, {"0.3", "0.7"}, {"-1.0", "1.5"}, {"0.2", "0.2"}},
                            ScheduleKind::etc, 1000, sampler_of("ddpm"));
  const ExactQuantities d = compute_exact(c);
  c.numerics.precision = Precision::extended;
  const ExactQuantities e = compute_exact(c);
  std::printf("[extended] double %s (+- %.1e)  extended %s (+- %.1e)\n", d.kl.value_str.c_str(),
              (d.kl.hi - d.kl.lo) / 2, e.kl.value_str.c_str(), (e.kl.hi - e.kl.lo) / 2);
  EXPECT_EQ(e.precision, "extended");
  EXPECT_NE(e.method.find("/extended"), std::string::npos) << e.method;
  EXPECT_FALSE(e.certified());
  EXPECT_EQ(e.kl.kind, EnclosureKind::estimated);
  EXPECT_GE(e.digits, 18u);
  EXPECT_NEAR(e.kl.value, d.kl.value, (d.kl.hi - d.kl.lo) / 2);
  EXPECT_LT(e.kl.hi - e.kl.lo, (d.kl.hi - d.kl.lo) / 10);
  EXPECT_GT(e.kl.value_str.size(), d.kl.value_str.size());  // every digit of the type is printed
  CaseSpec gauss = testing::gaussian_case(2, Spectrum::geometric, "5", "0", ScheduleKind::etc, 100);
  gauss.numerics.precision = Precision::extended;
  try {
    compute_exact(gauss);
    ADD_FAILURE() << "a Gaussian case ran in extended precision";
  } catch (const InputError& err) {
    EXPECT_EQ(err.field(), "numerics.precision");
  }
}

// A step whose map folds (score doubled, beta = 0.9 against a narrow target) is refused, not integrated.
TEST(MixtureFold, NonMonotoneStepMapIsRefused) {
  for (const char* kind : {"ddpm", "ddim"}) {
    CaseSpec c = mixture_case(MixtureSpec{1, MixtureLayout::axis, {"0.5", "0.5"}, {"-1", "1"}, {"0.01", "0.01"}},
                              ScheduleKind::constant, 2, sampler_of(kind, "theory", 0));
    c.schedule.eta = "0.9";
    c.score.kind = ScoreKind::perturbed;
    c.score.perturbation = Perturbation::scale;
    c.score.epsilon = "1";
    try {
      mixture_path<double>(c);
      ADD_FAILURE() << kind << ": a folding step map was integrated";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("not increasing"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace diffbound
