#pragma once
// One line's result with its error estimate: the refinement study (two spacings), the roundoff terms
// it may not see, and the quadratures of KL(Q_0 || gamma), E_T, B_T and D_T.

#include "numerics/detail/mixture/decomposition.hpp"
#include "numerics/detail/mixture/divergences.hpp"
#include "numerics/detail/mixture/line_engine.hpp"
#include "numerics/detail/mixture/wasserstein.hpp"
#include "numerics/mixture_path.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace diffbound {

template <class Real>
LineResult<Real> mixture_line(const MixtureLine<Real>& line, const Schedule<Real>& sch, const SamplerSpec& sampler,
                              MixtureResolution resolution) {
  using std::abs; using std::log; using std::sqrt;
  detail::default_resolution<Real>(resolution);
  const Real u = unit_roundoff<Real>();
  const long T = sch.steps, t_out = sampler.t_out;
  // narrowest scale any density of the run has: the components of every marginal are at least
  // min(v, 1) in variance; the score is used at t >= t_out + 1 only, where its mixture's components
  // have variance ab v + 1 - ab >= min(that at t_out + 1, 1) (> 0 even for a point-mass training law)
  Real sd_min(1);
  for (const auto& v : line.target.variance) {
    if (!(v > 0))
      throw InputError("target.variances", to_decimal(v), "the mixture engine needs target components of variance > 0");
    if (v < sd_min * sd_min) sd_min = sqrt(v);
  }
  for (const auto& v : line.score_mixture.variance) {
    const Real vt = sch.alpha_bar[t_out + 1] * v + sch.one_minus_alpha_bar[t_out + 1];
    if (vt < sd_min * sd_min) sd_min = sqrt(vt);
  }
  const Real h = sd_min / Real(resolution.points_per_sd);
  const bool deterministic = detail::mixture_deterministic(sampler.kind, line.ddnm_plus.has_value());
  // the chain-rule terms belong to the ddpm kernel (a DDNM+ line is not a ddpm score sampler)
  const bool ddpm = sampler.kind == SamplerKind::ddpm && !line.ddnm_plus;

  LineResult<Real> r;
  r.spacing = static_cast<double>(h);
  auto divergences_of = [&](const typename detail::LineEngine<Real>::Output& o, long stride) {
    // the target's log-density at the nodes (every `stride`-th node: the coarse grid of a fine run)
    const Mixture1D<Real> q = marginal_1d(line.target, sch.alpha_bar[t_out], sch.one_minus_alpha_bar[t_out]);
    std::vector<Real> p, logp, logq, xs;
    std::vector<char> usable;
    for (long j = 0; j < o.grid.size(); j += stride) {
      xs.push_back(o.grid.node(j));
      p.push_back(o.grid.p[j]);
      logp.push_back(o.logp[j]);
      usable.push_back(o.usable[j]);
      logq.push_back(log_density(q, o.grid.node(j)));
    }
    const Real cut = o.cut > 0 ? o.cut : Real(std::numeric_limits<double>::min());
    const Real hs = o.grid.h * Real(stride);
    if (stride > 1) {
      // the coarse rule normalizes on its own nodes, so that the refinement difference sees the
      // trapezoid mass's error, which enters KL at first order
      detail::CompensatedSum<Real> mass;
      for (const Real& v : p) mass.add(v);
      const Real m = mass.value() * hs, log_m = log(m);
      for (std::size_t j = 0; j < p.size(); ++j) { p[j] /= m; logp[j] -= log_m; }
    }
    auto with_w2 = [&](detail::Divergences<Real> d) {
      const auto w = detail::w2_squared_on_grid(hs, xs, p, usable, q);
      d.w2_squared = w.w2_squared;
      d.w2_x_max = w.x_max;
      return d;
    };
    if (deterministic) return with_w2(detail::divergences_on_grid(hs, p, logp, usable, logq, cut));
    // tails continued with two fitting spans (half and one narrowest standard deviation), at most an
    // eighth of the law's width above the floor (a DDNM+ law can be far narrower than sd_min)
    long above = 0;
    for (const Real& v : p) if (v > cut * Real(1e6)) ++above;
    const long k = std::max<long>(2, std::min<long>(static_cast<long>(static_cast<double>(sd_min / hs) / 2), above / 8));
    auto p2 = p; auto logp2 = logp; auto usable2 = usable;
    std::vector<Real> unc1, unc2;
    detail::extrapolate_tails(p, logp, usable, cut, k, unc1);
    detail::extrapolate_tails(p2, logp2, usable2, cut, 2 * k, unc2);
    auto d1 = detail::divergences_on_grid(hs, p, logp, usable, logq, cut, &unc1);
    const auto d2 = detail::divergences_on_grid(hs, p2, logp2, usable2, logq, cut);
    d1.kl_dropped += abs(Real(d1.kl - d2.kl));
    return with_w2(d1);
  };

  detail::Divergences<Real> coarse, fine;
  Real excess_conditioning(0);
  if (deterministic) {
    // the pushforward density is exact at each node; only the quadrature depends on the spacing, so
    // the fine run's every other node is the coarse run. A deterministic sampler can narrow the law
    // far below the target's scale (a narrow target: the output is narrower still), so the spacing
    // halves until the output is resolved (spectral_tail); a law the grid cap cannot resolve is
    // refused, naming the target's variances.
    Real hd = h / 2;
    double ppsd = 2 * resolution.points_per_sd;
    for (int halving = 0;; ++halving) {
      detail::LineEngine<Real> engine(line, sch, sampler, hd, resolution.stencil, ppsd);
      Real a(0), b(0);
      engine.deterministic_range(a, b);
      auto out = engine.run_deterministic(a, b);
      if (out.unresolved > detail::resolved_tail<Real>()) {
        if (halving < 12) { hd /= 2; ppsd *= 2; continue; }
        detail::unresolved_law(line, out.unresolved);
      }
      excess_conditioning = out.excess_conditioning;
      fine = divergences_of(out, 1);
      coarse = divergences_of(out, 2);
      r.points_fine = out.grid.size();
      r.points_coarse = (out.grid.size() + 1) / 2;
      r.spacing = static_cast<double>(hd * 2);
      break;
    }
  } else {
    detail::LineEngine<Real> e1(line, sch, sampler, h, resolution.stencil, resolution.points_per_sd);
    const auto o1 = e1.run_stochastic();
    if (o1.unresolved > detail::resolved_tail<Real>()) detail::unresolved_law(line, o1.unresolved);
    excess_conditioning = o1.excess_conditioning;
    coarse = divergences_of(o1, 1);
    r.points_coarse = o1.grid.size();
    if (resolution.refine) {
      detail::LineEngine<Real> e2(line, sch, sampler, Real(h / 2), resolution.stencil, 2 * resolution.points_per_sd);
      const auto o2 = e2.run_stochastic();
      if (o2.unresolved > detail::resolved_tail<Real>()) detail::unresolved_law(line, o2.unresolved);
      excess_conditioning = max_of(excess_conditioning, o2.excess_conditioning);
      fine = divergences_of(o2, 1);
      r.points_fine = o2.grid.size();
    } else {
      fine = coarse;
    }
  }
  // Error estimate: the refinement difference (the coarse run's error; the fine run's is far
  // smaller, the method converging spectrally; the two runs' roundoff differs too, their grids and
  // transforms having different sizes), what the noise floor dropped, and roundoff terms the
  // refinement may not see:
  // - a drift of the output law's shape: each step's maps, interpolations and transforms round the
  //   law at ~u. On grids whose nodes are exact and whose phase changes from step to step
  //   (mixture/grid.hpp: without them the same rounding repeated at every step and accumulated
  //   coherently, up to 0.37 steps u) the roundings are independent from step to step and the drift
  //   is a random walk: measured (one-component mixtures against the certified Gaussian engine, 456
  //   cases: etc, linear, cosine, constant beta 1e-4..5e-2, T = 100..10^4, six samplers, three
  //   targets) at most 1.44 sqrt(steps) u in the stochastic samplers' KL per unit of sensitivity
  //   (constant schedules at T = 1e4 included), charged as eta = 2 sqrt(steps) u. The deterministic
  //   samplers (one pushforward per node, no grid per step) grew faster under a constant schedule:
  //   0.26, 0.67, 1.3 sqrt(steps) u at T = 1e3, 3e3, 1e4 (beta = 5e-4, N(0.5, 0.09); <= 0.013 steps
  //   u), so they are charged steps u / 20 on top.
  //   A step whose map is a near-cancellation of its terms (condition number k = (|a| + |c s'|)/map',
  //   e.g. beta_t = 0.999 at the end of a cosine schedule, k ~ 60) loses k - 1 more units in its value
  //   and as many in its slope: eta adds twice the runs' sum of k - 2 over the steps with k > 2
  //   (LineEngine::excess_of: below, the loss is under a unit a step, inside the measured drift
  //   above) (measured: cosine at T = 10, ddim, extended precision: error 1.2e-18 where the other
  //   terms gave 5.8e-19).
  // - relative to the value itself: a deterministic run sums `steps` rounded log-slopes per node, a
  //   relative error of ~sqrt(steps) u in p (measured: KL off by <= 2.8 sqrt(steps) u relative,
  //   pf-euler on cosine, KL = 2.7); charged as (64 + 4 sqrt(steps)) u |value|;
  // - no absolute floor but u^2: KL's generalized form is second order in the densities' masses,
  //   and the rounding of p/q - 1 (~2 u per node) moves it by <= 2 u sqrt(2 KL), inside eta's term.
  // With every roundoff term removed, the refinement difference and the dropped tails alone covered
  // the true error of all 66 one-component cases in double but the two large-KL pf-euler ones. The
  // smallest ratio of estimate to true error over the one-component cases (double and extended) is
  // 2.0 (cosine, T = 10, ddim, extended).
  // - a law displaced far from 0 (|m| >> its sd) is mapped at |y| ~ |m|, where every step's rounding
  //   is u |m| absolute, |m|/sd relative to the law's width: charged as sqrt(steps) u max|m|/sd_min
  //   (measured: m = 1e3, v = 1, accelerated, T = 25: 4.7e-15 beyond the other terms).
  // A relative shape error eta moves KL by about eta (sqrt(2 KL) + 2 KL): sqrt(2 KL) near KL = 0, and
  // KL itself where the output is far narrower than the target (KL ~ r/2 for a variance ratio r; a
  // narrow target under ddim, KL = 497, was off by 8e-14 relative with the sqrt term alone).
  const Real steps(T - t_out);
  Real mean_max(0);
  for (const auto& m : line.target.mean) mean_max = max_of(mean_max, Real(abs(m)));
  for (const auto& m : line.score_mixture.mean) mean_max = max_of(mean_max, Real(abs(m)));
  const Real eta = 2 * sqrt(steps) * u + (deterministic ? Real(steps * u / 20) : Real(0)) + 2 * excess_conditioning * u +
                   sqrt(steps) * u * mean_max / sd_min;
  auto estimate = [&](const Real& f, const Real& c, const Real& dropped, const Real& scale) {
    Estimate<Real> e;
    e.value = f;
    e.error = abs(Real(f - c)) + dropped + eta * scale + (64 + 4 * sqrt(steps)) * u * abs(f) + u * u;
    return e;
  };
  const Real kl_pos = fine.kl > 0 ? fine.kl : Real(0);
  r.kl = estimate(fine.kl, coarse.kl, fine.kl_dropped, Real(sqrt(2 * kl_pos) + 2 * kl_pos + eta));
  // a KL whose value or estimate is not finite on these finite-variance laws is an overflow of the
  // quadrature (a law far narrower than the grid's reach in log p), not a divergence: refused
  if (!is_finite_value(r.kl.value) || !is_finite_value(r.kl.error))
    throw InputError("target.variances", to_decimal(line.target.variance[0]),
                     "the mixture engine's KL quadrature overflowed on this case (no finite estimate); "
                     "this case cannot be computed by density propagation");
  r.hellinger2 = estimate(fine.hellinger2, coarse.hellinger2, Real(0), Real(sqrt(fine.hellinger2) + eta));
  // W2^2 (docs/math.md#w2-mixture): the refinement difference, a relative shape error eta of the output
  // law moving its quantiles by ~eta sd (so W2^2 by ~2 W2 eta sd + (eta sd)^2), and the nodes'
  // rounding, ~u x_max in each x - T(x)
  {
    Real sd(0);
    for (const auto& v : line.target.variance) sd = max_of(sd, Real(sqrt(v)));
    const Real w = sqrt(max_of(fine.w2_squared, Real(0)));
    const Real delta = eta * sd + 16 * u * (fine.w2_x_max + sd);
    r.w2_squared.value = fine.w2_squared;
    r.w2_squared.error = abs(Real(fine.w2_squared - coarse.w2_squared)) + 2 * w * delta + delta * delta +
                         (64 + 4 * sqrt(steps)) * u * abs(fine.w2_squared);
  }
  r.tv = estimate(fine.tv, coarse.tv, Real(0), Real(1));

  // KL(Q_0 || gamma) and E_T = KL(Q_T || gamma): quadrature at two spacings
  const Real R = detail::tail_radius<Real>();
  auto to_gamma = [&](const Real& ab, const Real& omab) {
    const Real f = detail::kl_to_gamma(line.target, ab, omab, Real(h / 2), R);
    const Real c = detail::kl_to_gamma(line.target, ab, omab, h, R);
    Estimate<Real> e;
    e.value = f;
    // the integrand q phi(u) is second order in u = gamma/q - 1, which carries an absolute rounding
    // error of a few u: KL moves by ~ sqrt(2 KL) times that. A law displaced far from 0 relative to
    // its width is evaluated at nodes |x| ~ |m| rounded to u |m|, which moves log q by ~u |m|/sd
    // (v = 1e-8, m = 3: 2.3e-12 in KL(Q_0 || gamma) beyond the other terms).
    Real displacement(0);
    for (std::size_t k = 0; k < line.target.size(); ++k)
      displacement = max_of(displacement, Real(abs(Real(sqrt(ab) * line.target.mean[k])) /
                                               sqrt(Real(ab * line.target.variance[k] + omab))));
    e.error = abs(Real(f - c)) + 16 * u * (abs(f) + sqrt(2 * abs(f)) + u + displacement);
    return e;
  };
  r.kl_q0_gamma = to_gamma(Real(1), Real(0));
  r.E_T = to_gamma(sch.alpha_bar[T], sch.one_minus_alpha_bar[T]);
  // ab_T is a product of T rounded factors (cosine: of rounded ratios of cosines), ~T u relative, and
  // a far law's E_T ~ ab_T (m^2 + v)/2 moves with it (v = 1e6, m = 1e3, cosine, extended: 330 u)
  r.E_T.error += 16 * Real(T) * u * abs(r.E_T.value);

  // B_T and D_T (ddpm): numerics/detail/mixture/decomposition.hpp
  if (ddpm) {
    r.has_B_T = true;
    r.B_T = detail::line_B_T(line, sch, sampler, h, R);
  }
  if (ddpm && resolution.D_T) {
    r.has_D_T = true;
    r.D_T = detail::line_D_T(line, sch, sampler, resolution.points_per_sd, R);
  }
  return r;
}

}  // namespace diffbound
