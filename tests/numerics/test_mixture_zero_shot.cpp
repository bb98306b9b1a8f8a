// Zero-shot support of the mixture engine on a 1-D line (docs/math.md#zero-shot), through mixture_line:
// - a score mixture with a component of variance 0 (a point-mass training law, as DDNM's score on an
//   observed coordinate is), against the scalar mean/variance recursion of the affine sampler written
//   here (the Gaussian engine's validator does not accept a training law of variance 0);
// - DDNM+ with a one-component prior, whose output is Gaussian, against a scalar recursion of the DDNM+
//   step written here from docs/math.md#zero-shot (double and MPFR), for sigma_y = 0, small and large (both
//   lambda_t branches) and h in {1, 0.5, 0}.
#include "numerics/mixture_path.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <optional>
#include <type_traits>

namespace diffbound {
namespace {

template <class Real> Real kl_gauss(const Real& m_q, const Real& v_q, const Real& m_p, const Real& v_p) {
  using std::log;
  const Real r = v_q / v_p, d = m_q - m_p;
  return (r - 1 - log(r) + d * d / v_p) / 2;
}

template <class Real> Schedule<Real> etc_schedule(long T) {
  ScheduleSpec s;
  s.kind = ScheduleKind::etc;
  s.steps = T;
  return make_schedule<Real>(s);
}

SamplerSpec sampler(SamplerKind k, Variance v, long t_out) {
  SamplerSpec s;
  s.kind = k;
  s.variance = v;
  s.t_out = t_out;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Target N(m, v); score of the marginals of the point mass at m' (variance 0): s_t(y) = -(y - sqrt(ab) m')/(1 - ab).
// The sampler y -> y/sqrt(alpha) + c s_t(y) (+ noise) is affine: y -> A y + b with A = 1/sqrt(alpha) - c/(1 - ab),
// b = c sqrt(ab) m'/(1 - ab), so from N(0, 1) the output is N(m_out, S_out) by the scalar recursion below.
TEST(MixtureZeroShot, PointMassTrainingLawMatchesAffineRecursion) {
  // (a point-mass training law pulls the output to width ~sqrt(1 - ab_1); a narrow target keeps KL moderate)
  const double m = 0.5, v = 0.005, mp = 0.45;
  for (long T : {100L, 1000L})
    for (auto [kind, var] : {std::pair{SamplerKind::ddpm, Variance::theory}, std::pair{SamplerKind::ddpm, Variance::posterior},
                             std::pair{SamplerKind::ddim, Variance::theory}, std::pair{SamplerKind::pf_euler, Variance::theory}}) {
      const auto sch = etc_schedule<double>(T);
      const SamplerSpec smp = sampler(kind, var, 1);  // t_out = 0 would collapse onto m' at t = 1 (refused)
      MixtureLine<double> line;
      line.target = gaussian_1d(m, v);
      line.score_mixture = gaussian_1d(mp, 0.0);
      const auto r = mixture_line(line, sch, smp);
      long double mo = 0, So = 1, B = 0;
      for (long t = T; t > 1; --t) {
        const long double beta = sch.beta[t], alpha = sch.alpha[t], ab = sch.alpha_bar[t];
        const long double omab = sch.one_minus_alpha_bar[t], omabp = sch.one_minus_alpha_bar[t - 1];
        long double gain = 0, noise = 0;
        switch (kind) {
          case SamplerKind::ddpm:
            gain = beta / std::sqrt(alpha);
            noise = var == Variance::theory ? beta / alpha : beta * omabp / omab;
            break;
          case SamplerKind::pf_euler: gain = beta / (2 * std::sqrt(alpha)); break;
          case SamplerKind::ddim:  // sqrt(abp) x0 + sqrt(1 - abp) eps: y/sqrt(alpha) + (omab/sqrt(alpha) - sqrt(omab omabp)) s
            gain = omab / std::sqrt(alpha) - std::sqrt(omab * omabp);
            break;
          default: break;
        }
        const long double A = 1 / std::sqrt(alpha) - gain / omab, b = gain * std::sqrt(ab) * mp / omab;
        mo = A * mo + b;
        So = A * A * So + noise;
        if (kind == SamplerKind::ddpm) {
          // B_T term: c_t E_{Q_t} (s' - s)^2 with s = -(x - sqrt(ab) m)/V, V = ab v + omab
          const long double V = ab * v + omab;
          const long double D = 1 / V - 1 / omab, e = std::sqrt(ab) * (mp / omab - m / V);  // delta = D x + e
          const long double e2 = D * D * V + (D * std::sqrt(ab) * m + e) * (D * std::sqrt(ab) * m + e);
          B += beta * beta / (2 * alpha * noise) * e2;
        }
      }
      const double ab1 = sch.alpha_bar[1];
      const double ref = static_cast<double>(kl_gauss<long double>(std::sqrt(ab1) * m, ab1 * v + sch.one_minus_alpha_bar[1], mo, So));
      const double err = std::abs(r.kl.value - ref);
      std::printf("[point-mass score] T=%-5ld %s/%s kl %.15e ref %.15e rel.err %.1e est.rel %.1e\n", T, to_string(kind).c_str(),
                  var == Variance::theory ? "theory" : "posterior", r.kl.value, ref, err / ref, r.kl.error / ref);
      EXPECT_LE(err, r.kl.error);
      // ddpm: the output law (width ~sqrt(beta_2)) is narrower than Q_1, so KL rests on its tails
      // continued below the noise floor (extrapolate_tails); measured 1e-10..3e-9 relative, the same at
      // twice the points per standard deviation, and inside the estimate. The deterministic samplers
      // (log-density exact at every node) reach 1e-10.
      EXPECT_LE(err, (kind == SamplerKind::ddpm ? 1e-8 : 1e-10) * ref);
      EXPECT_GT(r.spacing, 0);
      if (kind == SamplerKind::ddpm) {
        ASSERT_TRUE(r.has_B_T);
        std::printf("    B_T %.15e ref %.15Le\n", r.B_T.value, B);
        EXPECT_NEAR(r.B_T.value, static_cast<double>(B), 1e-10 * static_cast<double>(B));
      }
    }
}

// ---------------------------------------------------------------------------------------------
// DDNM+ with prior N(mu0, v0): every step maps a Gaussian to a Gaussian. The step of Wang et al. (2022):
// x0(y) = (y + (1 - ab_t) s'(y))/sqrt(ab_t), s'(y) = -(y - sqrt(ab_t) mu0)/V_t, V_t = ab_t v0 + 1 - ab_t;
// c1 = sqrt(ab_{t-1}) beta_t/(1 - ab_t), c2 = sqrt(alpha_t)(1 - ab_{t-1})/(1 - ab_t), s_t^2 = beta_t (1 -
// ab_{t-1})/(1 - ab_t), sigma_e = sigma_y/|h|; observed: lambda = min(1, s_t/(c1 sigma_e)), Y' = c1 [(1 -
// lambda) x0(Y) + lambda y/h] + c2 Y + N(0, s_t^2 - (c1 sigma_e lambda)^2); unobserved: lambda = 0.
// (the collapsing restatement (docs/math.md#ddnm-plus-collapsing-restatement), without the c2 Y term, collapses the law: see test_zero_shot.cpp.)
template <class Real> struct Gauss { Real mean, var; long lambda_one = 0, lambda_below = 0; };

// Run in a wider type than the engine's (long double for double; 50 digits for 30-digit MPFR) on the
// engine's own inputs (its schedule and parameters), so that the reference's rounding does not count.
template <class Real, class Sch>
Gauss<Real> ddnm_plus_recursion(const Sch& sch, long t_out, const Real& mu0, const Real& v0, const Real& h,
                                const Real& sigma_y, const Real& y) {
  using std::abs; using std::sqrt;
  Gauss<Real> g{Real(0), Real(1)};
  for (long t = sch.steps; t > t_out; --t) {
    const Real ab = Real(sch.alpha_bar[t]), abp = Real(sch.alpha_bar[t - 1]), beta = Real(sch.beta[t]);
    // 1 - ab from the schedule (an input, like ab: forming it from a rounded ab would lose digits)
    const Real omab = Real(sch.one_minus_alpha_bar[t]), omabp = Real(sch.one_minus_alpha_bar[t - 1]);
    const Real V = ab * v0 + omab;
    // x0(Y) = k Y + c: (Y + omab (-(Y - sqrt(ab) mu0)/V)) / sqrt(ab)
    const Real k = (1 - omab / V) / sqrt(ab), c = omab * sqrt(ab) * mu0 / V / sqrt(ab);
    const Real c1 = sqrt(abp) * beta / omab, c2 = sqrt(1 - beta) * omabp / omab, var = beta * omabp / omab;
    Real lambda(0), noise = var, pull(0);
    if (h != 0) {
      const Real se = sigma_y / abs(h);
      lambda = sigma_y == 0 ? Real(1) : Real(sqrt(var) / (c1 * se));
      if (lambda > 1) lambda = Real(1);
      if (lambda == 1) ++g.lambda_one; else ++g.lambda_below;
      noise = var - c1 * c1 * se * se * lambda * lambda;
      if (noise < 0) noise = Real(0);
      pull = lambda * y / h;
    }
    const Real A = c1 * (1 - lambda) * k + c2;
    g.mean = A * g.mean + c1 * ((1 - lambda) * c + pull);
    g.var = A * A * g.var + noise;
  }
  return g;
}

// sigma_y = 0: lambda_t = 1 throughout; 0.01 and 0.3: both branches occur.
template <class Real> struct Wider { using type = long double; };
template <> struct Wider<mpfr_real> { using type = mpfr_real; };

template <class Real> void check_ddnm_plus(long T, double rel_tol, double rel_tol_unobserved, bool print,
                                           std::initializer_list<double> sigmas = {0.0, 0.01, 0.3}) {
  using W = typename Wider<Real>::type;
  const Real mu0(0.3), v0(0.5), y(0.8);
  const auto sch = etc_schedule<Real>(T);
  const long t_out = 1;
  int both_branches = 0;
  for (double h_d : {1.0, 0.5, 0.0})
    for (double sy_d : sigmas) {
      if (h_d == 0 && sy_d > 0) continue;  // sigma_y plays no part on an unobserved coordinate
      const Real h(h_d), sigma_y(sy_d);
      MixtureLine<Real> line;
      line.score_mixture = gaussian_1d(mu0, v0);
      // target: the exact posterior for h != 0 and sigma_y > 0 (any law will do for the check; this
      // keeps KL moderate), a narrow law at y/h when sigma_y = 0, the prior on an unobserved coordinate
      if (h_d == 0) line.target = gaussian_1d(mu0, v0);
      else if (sy_d == 0) line.target = gaussian_1d(Real(y / h), Real(0.02));
      else {
        const Real G = 1 / (h * h * v0 + sigma_y * sigma_y);
        line.target = gaussian_1d(Real(mu0 + v0 * h * G * (y - h * mu0)), Real(v0 - v0 * h * G * h * v0));
      }
      line.ddnm_plus = DdnmPlusLine<Real>{h, sigma_y, y};
      // sampler.kind is ignored by a DDNM+ line: pass one that would otherwise mean something else
      const SamplerSpec smp = sampler(SamplerKind::ddim, Variance::theory, t_out);
      const auto r = mixture_line(line, sch, smp);
      Real ref;
      long lambda_one = 0, lambda_below = 0;
      {
        std::optional<PrecisionScope> wide;
        if constexpr (std::is_same_v<Real, mpfr_real>) wide.emplace(50);
        const Gauss<W> g = ddnm_plus_recursion<W>(sch, t_out, W(mu0), W(v0), W(h), W(sigma_y), W(y));
        lambda_one = g.lambda_one;
        lambda_below = g.lambda_below;
        const W ab = W(sch.alpha_bar[t_out]);
        const Mixture1D<Real>& q = line.target;
        ref = Real(kl_gauss<W>(W(sqrt(ab) * W(q.mean[0])), W(ab * W(q.variance[0]) + W(sch.one_minus_alpha_bar[t_out])),
                               g.mean, g.var));
      }
      if (lambda_one > 0 && lambda_below > 0) ++both_branches;
      const Real err = abs(Real(r.kl.value - ref));
      if (print)
        std::printf("[ddnm+] T=%ld h=%.1f sigma_y=%.2f lambda=1 steps %ld, <1 steps %ld: kl %.15e ref %.15e rel.err %.1e est.rel %.1e\n",
                    T, h_d, sy_d, lambda_one, lambda_below, static_cast<double>(r.kl.value), static_cast<double>(ref),
                    static_cast<double>(err / ref), static_cast<double>(r.kl.error / ref));
      EXPECT_FALSE(r.has_B_T);
      EXPECT_FALSE(r.has_D_T);
      EXPECT_LE(err, r.kl.error) << "h=" << h_d << " sigma_y=" << sy_d;
      // The estimate always covers the error (above). Where the output law is much narrower than the
      // target (KL of 8 to 150 here: DDNM+ is over-confident at sigma_y = 0.3 and against the arbitrary
      // narrow target of sigma_y = 0), KL rests on the extrapolated tails of the sampler's density and
      // the estimate is honest about it (1e-6 to 5e-2 relative); elsewhere the requested accuracy holds.
      if (ref < 1) {
        EXPECT_LE(err, Real(h_d == 0 ? rel_tol_unobserved : rel_tol) * ref) << "h=" << h_d << " sigma_y=" << sy_d;
      }
    }
  EXPECT_GE(both_branches, 1);  // sigma_y > 0 runs both lambda branches
}

TEST(MixtureZeroShot, DdnmPlusMatchesScalarRecursionDouble) {
  check_ddnm_plus<double>(20, 1e-10, 1e-10, true);
  check_ddnm_plus<double>(50, 1e-10, 1e-10, true);
}

TEST(MixtureZeroShot, DdnmPlusMatchesScalarRecursionMpfr) {
  PrecisionScope scope(30);
  // (sigma_y = 0.3 as in double costs two minutes at 30 digits; 0.1 runs both branches too)
  check_ddnm_plus<mpfr_real>(20, 1e-20, 1e-18, true, {0.0, 0.1});
}

// sigma_y = 0 with t_out = 0: the last step lands on a point mass at y/h, which has no density.
TEST(MixtureZeroShot, DdnmPlusPointMassOutputIsRefused) {
  MixtureLine<double> line;
  line.score_mixture = gaussian_1d(0.3, 0.5);
  line.target = gaussian_1d(0.8, 0.02);
  line.ddnm_plus = DdnmPlusLine<double>{1.0, 0.0, 0.8};
  EXPECT_THROW(mixture_line(line, etc_schedule<double>(20), sampler(SamplerKind::ddpm, Variance::theory, 0)), InputError);
}

}  // namespace
}  // namespace diffbound
