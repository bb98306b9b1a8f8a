// D_T of the mixture engine (docs/math.md#path-decomposition; the route is derived in docs/derivations.md, "D_T for
// mixtures") against independent routes:
// - one-component mixtures against the closed-form Gaussian engine's D_T, run in MPFR (40 digits);
// - a two-component mixture against a nested quadrature of the definition written here: for each x on
//   a grid, the reverse conditional Q_{t-1|t}(.|x) is a mixture (per component the Gaussian update,
//   weights = responsibilities at t), and KL(Q_{t-1|t}(.|x) || N(m*_t(x), sigma_t^2)) is an inner
//   trapezoid quadrature of p log(p / phi); no entropy, Fisher information or Tweedie identity is used;
// - layouts: axis = line + the Gaussian part's D_T, product = lines x multiplicity.
#include "numerics/gaussian_path.hpp"
#include "numerics/mixture_path.hpp"

#include "case_builders.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace diffbound {
namespace {

SamplerSpec ddpm(Variance v, long t_out) {
  SamplerSpec s;
  s.kind = SamplerKind::ddpm;
  s.variance = v;
  s.t_out = t_out;
  return s;
}

using testing::mixture_case;
using testing::name_of;
const char* name_of(Variance v) { return row_of(variance_table, v).name.data(); }

// ---------------------------------------------------------------------------------------------
// One component N(0.5, 0.3) (and a narrow one, N(-0.2, 0.02)) against the Gaussian engine's D_T.
TEST(MixtureDT, OneComponentMatchesGaussianEngine) {
  int cases = 0;
  for (const char* var : {"0.3", "0.02"})
    for (ScheduleKind s : {ScheduleKind::etc, ScheduleKind::linear, ScheduleKind::cosine})
      for (long T : {10L, 100L, 1000L, 10000L})
        for (Variance v : {Variance::theory, Variance::beta, Variance::posterior})
          for (long t_out : {1L, 0L}) {
            if (s == ScheduleKind::linear && T <= 20) continue;  // beta_T = 20/T must stay below 1
            // keep the run short (every case runs the whole engine, KL included)
            if (T == 10000 && (t_out == 0 || std::string(var) != "0.3" || s == ScheduleKind::linear)) continue;
            const std::string mean = std::string(var) == "0.3" ? "0.5" : "-0.2";
            CaseSpec m = mixture_case(MixtureSpec{1, MixtureLayout::axis, {"1"}, {mean}, {var}}, s, T, ddpm(v, t_out));
            CaseSpec g = m;
            g.target.family = Family::gaussian;
            g.target.gaussian.dim = 1;
            g.target.gaussian.scale = var;
            g.target.gaussian.mean = {mean};
            double exact;
            {
              PrecisionScope scope(40);
              exact = static_cast<double>(gaussian_path<mpfr_real>(g).D_T);
            }
            const auto r = mixture_path<double>(m);
            ASSERT_TRUE(r.has_D_T);
            ++cases;
            if (std::isinf(exact)) {  // posterior variance with t_out = 0: sigma_1 = 0
              EXPECT_TRUE(std::isinf(r.D_T.value));
              continue;
            }
            const double err = std::abs(r.D_T.value - exact);
            std::printf("[D_T one-component] v=%-4s %-6s T=%-5ld %-9s t_out=%ld D_T=%.12e rel.err=%.1e est.rel=%.1e\n", var,
                        name_of(s), T, name_of(v), t_out, exact, err / exact, r.D_T.error / exact);
            EXPECT_LE(err, r.D_T.error) << "the error estimate does not cover the true error";
            EXPECT_LE(err, 1e-10 * exact);
          }
  EXPECT_GT(cases, 100);
}

// ---------------------------------------------------------------------------------------------
// Nested quadrature of the definition, in long double. Q_{t-1} = sum w_k N(mu_k, V_k); given X_t = x,
// component k's posterior on X_{t-1} is N((mu_k/V_k + sqrt(alpha) x/beta) G_k, G_k), G_k = (1/V_k +
// alpha/beta)^-1, with weight = responsibility of k at t. m*_t(x) = (x + beta s_t(x))/sqrt(alpha).
struct Comp { long double w, mu, V; };

// Quadrature range of a mixture (every component's mean +- 12 sd) and its narrowest sd.
struct Span { long double lo, hi, sd_min; };
Span span_of(const std::vector<Comp>& q) {
  Span s{1e9L, -1e9L, 1e9L};
  for (const auto& c : q) {
    s.lo = std::min(s.lo, c.mu - 12 * std::sqrt(c.V));
    s.hi = std::max(s.hi, c.mu + 12 * std::sqrt(c.V));
    s.sd_min = std::min(s.sd_min, std::sqrt(c.V));
  }
  return s;
}

long double log_mix(const std::vector<Comp>& q, long double x) {
  long double top = -1e4000L;
  std::vector<long double> l;
  for (const auto& c : q) {
    l.push_back(std::log(c.w) - 0.5L * std::log(2 * M_PIl * c.V) - (x - c.mu) * (x - c.mu) / (2 * c.V));
    top = std::max(top, l.back());
  }
  long double s = 0;
  for (long double v : l) s += std::exp(v - top);
  return top + std::log(s);
}

long double nested_D_T(const std::vector<double>& w, const std::vector<double>& m, const std::vector<double>& v,
                       const Schedule<double>& sch, Variance variance, long t_out) {
  long double total = 0;
  for (long t = t_out + 1; t <= sch.steps; ++t) {
    const long double beta = sch.beta[t], alpha = sch.alpha[t];
    const long double ab = sch.alpha_bar[t], abp = sch.alpha_bar[t - 1];
    const long double omab = 1 - ab, omabp = 1 - abp;
    const long double sigma2 = variance == Variance::theory ? beta / alpha
                               : variance == Variance::beta ? beta : beta * omabp / omab;
    std::vector<Comp> qt, qp;
    for (std::size_t k = 0; k < w.size(); ++k) {
      qt.push_back({w[k], std::sqrt(ab) * m[k], ab * v[k] + omab});
      qp.push_back({w[k], std::sqrt(abp) * m[k], abp * v[k] + omabp});
    }
    // outer grid over Q_t
    const Span outer_span = span_of(qt);
    const long double lo = outer_span.lo, hi = outer_span.hi, hx = outer_span.sd_min / 6;
    long double outer = 0;
    for (long double x = lo; x <= hi; x += hx) {
      // responsibilities at t and the score
      long double top = -1e4000L;
      std::vector<long double> l;
      for (const auto& c : qt) {
        l.push_back(std::log(c.w) - 0.5L * std::log(c.V) - (x - c.mu) * (x - c.mu) / (2 * c.V));
        top = std::max(top, l.back());
      }
      long double z = 0, score = 0;
      for (std::size_t k = 0; k < qt.size(); ++k) { l[k] = std::exp(l[k] - top); z += l[k]; }
      std::vector<Comp> post;
      for (std::size_t k = 0; k < qt.size(); ++k) {
        score += l[k] / z * (-(x - qt[k].mu) / qt[k].V);
        const long double G = 1 / (1 / qp[k].V + alpha / beta);
        post.push_back({l[k] / z, (qp[k].mu / qp[k].V + std::sqrt(alpha) * x / beta) * G, G});
      }
      const long double mstar = (x + beta * score) / std::sqrt(alpha);
      // inner: KL(post || N(mstar, sigma2)) = int p (log p - log phi)
      const Span inner_span = span_of(post);
      const long double a = inner_span.lo, b = inner_span.hi, hy = inner_span.sd_min / 6;
      long double inner = 0;
      for (long double y = a; y <= b; y += hy) {
        const long double lp = log_mix(post, y);
        const long double lphi = -0.5L * std::log(2 * M_PIl * sigma2) - (y - mstar) * (y - mstar) / (2 * sigma2);
        inner += std::exp(lp) * (lp - lphi);
      }
      outer += std::exp(log_mix(qt, x)) * inner * hy;
    }
    total += outer * hx;
  }
  return total;
}

TEST(MixtureDT, TwoComponentsMatchNestedQuadratureOfTheDefinition) {
  const MixtureSpec spec{1, MixtureLayout::axis, {"0.3", "0.7"}, {"-1", "1.5"}, {"0.2", "0.5"}};
  for (ScheduleKind s : {ScheduleKind::etc, ScheduleKind::cosine})
    for (long T : {5L, 20L})
      for (Variance v : {Variance::theory, Variance::beta, Variance::posterior}) {
        const long t_out = 1;
        CaseSpec c = mixture_case(spec, s, T, ddpm(v, t_out));
        const auto r = mixture_path<double>(c);
        const long double ref = nested_D_T({0.3, 0.7}, {-1, 1.5}, {0.2, 0.5}, make_schedule<double>(c.schedule), v, t_out);
        const double err = std::abs(r.D_T.value - static_cast<double>(ref));
        std::printf("[D_T nested] %-6s T=%-3ld %-9s engine %.15e +- %.1e nested %.15Le rel.diff %.1e\n", name_of(s), T,
                    name_of(v), r.D_T.value, r.D_T.error, ref, err / static_cast<double>(ref));
        // the nested quadrature is itself accurate to ~1e-13 relative (long double, trapezoid rules
        // at 6 points per standard deviation, integrands decaying to 1e-31)
        EXPECT_LE(err, 1e-10 * static_cast<double>(ref));
        EXPECT_LE(err, r.D_T.error + 1e-13 * static_cast<double>(ref));
      }
}

// ---------------------------------------------------------------------------------------------
TEST(MixtureDT, LayoutsReduceToLinesAndGaussianPart) {
  // axis: the 1-D line plus the (d-1)-dim Gaussian part's closed-form D_T
  CaseSpec c = mixture_case(MixtureSpec{4, MixtureLayout::axis, {"0.4", "0.6"}, {"-1", "1.2"}, {"0.3", "0.3"}},
                            ScheduleKind::etc, 100, ddpm(Variance::beta, 1));
  const auto whole = mixture_path<double>(c);
  const auto parts = testing::axis_layout_parts(c);
  const auto part1 = mixture_path<double>(parts.line);
  const auto part2 = gaussian_path<double>(parts.gaussian);
  ASSERT_TRUE(whole.has_D_T);
  EXPECT_NEAR(whole.D_T.value, part1.D_T.value + part2.D_T, 1e-14 * whole.D_T.value);
  EXPECT_GT(part2.D_T, 0.1 * whole.D_T.value);
  // the Gaussian part is itself three copies of the 1-D Gaussian N(0, 0.3) line
  CaseSpec one = parts.line;
  one.target.mixture = MixtureSpec{1, MixtureLayout::axis, {"1"}, {"0"}, {"0.3"}};
  EXPECT_NEAR(part2.D_T, 3 * mixture_path<double>(one).D_T.value, 1e-10 * part2.D_T);

  // product: d lines, identical coordinates computed once and counted `multiplicity` times; D_T does
  // not depend on the score, so a per-coordinate score error leaves it d times the line's
  CaseSpec p = mixture_case(MixtureSpec{3, MixtureLayout::product, {"0.3", "0.7"}, {"-1", "1.5"}, {"0.2", "0.5"}},
                            ScheduleKind::linear, 100, ddpm(Variance::theory, 1));
  p.score.kind = ScoreKind::perturbed;
  p.score.epsilon = "0.3";
  p.score.direction = {"1", "2", "2"};
  const auto prod = mixture_path<double>(p);
  EXPECT_EQ(prod.lines, 2);
  CaseSpec p1 = p;
  p1.target.mixture.dim = 1;
  p1.score.kind = ScoreKind::exact;
  p1.score.direction.clear();
  const auto l1 = mixture_path<double>(p1);
  EXPECT_NEAR(prod.D_T.value, 3 * l1.D_T.value, 1e-14 * prod.D_T.value);
  EXPECT_NEAR(prod.D_T.error, 3 * l1.D_T.error, 1e-14 * prod.D_T.error);
}

// Samplers other than ddpm have no D_T.
TEST(MixtureDT, OnlyDdpmHasIt) {
  for (SamplerKind k : {SamplerKind::accelerated, SamplerKind::ddim, SamplerKind::pf_euler}) {
    SamplerSpec s = ddpm(Variance::theory, 1);
    s.kind = k;
    const auto r = mixture_path<double>(
        mixture_case(MixtureSpec{1, MixtureLayout::axis, {"0.3", "0.7"}, {"-1", "1.5"}, {"0.2", "0.5"}}, ScheduleKind::etc, 20, s));
    EXPECT_FALSE(r.has_D_T);
  }
}

}  // namespace
}  // namespace diffbound
