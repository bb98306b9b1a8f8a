#pragma once

#include "numerics/cancellation.hpp"
#include "numerics/case_kinds.hpp"
// The 1-D engine at one resolution: a sampler's output density on a mixture line, by Fourier
// propagation (stochastic samplers) or by inverting the step maps (deterministic ones).

#include "numerics/detail/mixture/grid.hpp"
#include "numerics/detail/sampler_step.hpp"
#include "numerics/input_error.hpp"
#include "numerics/mixture_path.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace diffbound::detail {

// Working-precision defaults: spacing and stencil so that interpolation errors sit near roundoff.
template <class Real> void default_resolution(MixtureResolution& r) {
  if (r.points_per_sd > 0 && r.stencil > 0) return;
  const double digits = -std::log10(static_cast<double>(unit_roundoff<Real>()));
  if (r.points_per_sd <= 0) r.points_per_sd = digits <= 17 ? 8 : 8 + (digits - 16) / 4;
  if (r.stencil <= 0) r.stencil = digits <= 17 ? 16 : static_cast<int>(16 + (digits - 16));
}

// The mixture engine's one definition of a deterministic sampler: its steps add no noise (ddim,
// pf-euler), so the output density is the pushforward of p_T (run_deterministic, no refinement run
// needed); the others are propagated with their kernels (run_stochastic). A DDNM+ line runs its own
// stochastic step whatever sampler.kind says.
// (The engine runs discrete samplers only: there, not stochastic means ddim or pf-euler.)
inline bool mixture_deterministic(SamplerKind kind, bool ddnm_plus_line = false) {
  return !ddnm_plus_line && traits_of(kind).family == SamplerFamily::discrete && !traits_of(kind).stochastic;
}

// The target's variances as the refusals below name them: "[v1, v2, ...]".
template <class Real> std::string variances_text(const MixtureLine<Real>& line) {
  std::string v;
  for (const auto& x : line.target.variance) v += (v.empty() ? "[" : ", ") + to_decimal(x);
  return v + "]";
}

// Refuses a line whose law no grid under the cap resolves (InputError naming the target's variances).
template <class Real> [[noreturn]] void unresolved_law(const MixtureLine<Real>& line, const Real& mismatch) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2g", static_cast<double>(mismatch));
  throw InputError("target.variances", variances_text(line),
                   std::string("the sampler's law on this target is narrower than the mixture engine can resolve "
                               "(the high-frequency part of its spectrum is still ") + buf +
                       " after 12 halvings of the grid spacing); this case cannot be computed by density propagation");
}

// The 1-D engine at one resolution.
template <class Real> class LineEngine {
public:
  LineEngine(const MixtureLine<Real>& line, const Schedule<Real>& sch, const SamplerSpec& sampler, const Real& h,
             int stencil, double points_per_sd)
      : line_(line), sch_(sch), sampler_(sampler), h_(h), interp_(stencil), R_(tail_radius<Real>()),
        points_per_sd_(points_per_sd) {
    // beyond the support (density above 100 u peak) the tails need a few standard deviations more
    // to decay to the roundoff level, plus half a stencil
    using std::sqrt;
    Real sd_max(1);
    for (const auto& v : line.target.variance) if (v > sd_max * sd_max) sd_max = sqrt(v);
    for (const auto& v : line.score_mixture.variance) if (v > sd_max * sd_max) sd_max = sqrt(v);
    margin_ = 3 * sd_max + h * Real(stencil);
  }

  // Returns the output density's log on the grid (stochastic: its values; see `run`).
  struct Output {
    GridDensity<Real> grid;   // p on the final grid (stochastic) or nodes (deterministic)
    std::vector<Real> logp;   // log p where usable
    std::vector<char> usable;
    Real cut;                 // noise floor of p
    // sum over steps of excess_of(condition number of the step map): a map whose terms nearly cancel
    // (a step with beta near 1) loses that many units of roundoff in the density's shape
    Real excess_conditioning = Real(0);
    // spectral_tail of the least resolved density of the run (the output, or a pushed law before
    // its kernel): above resolved_tail the grid was too coarse for it
    Real unresolved = Real(0);
  };

  Output run_stochastic() const;
  Output run_deterministic(const Real& a, const Real& b) const;
  // The grid range a deterministic run must cover: Q_{t_out}'s support and the forward image of p_T's.
  void deterministic_range(Real& a, Real& b) const;

  Mixture1D<Real> score_marginal(long t) const {
    return marginal_1d(line_.score_mixture, sch_.alpha_bar[t], sch_.one_minus_alpha_bar[t]);
  }
  Mixture1D<Real> target_marginal(long t) const {
    return marginal_1d(line_.target, sch_.alpha_bar[t], sch_.one_minus_alpha_bar[t]);
  }
  // p_T: N(0, 1) or Q_T (init = exact).
  Mixture1D<Real> initial_law() const {
    const long T = sch_.steps;
    if (sampler_.init == Init::exact) return target_marginal(T);
    return gaussian_1d(Real(0), Real(1));
  }

  // One reverse step: y -> a y + gain s_t(y) + shift, then the kernel N(0, noise) (noise = 0: a pure
  // pushforward). ddpm/accelerated/ddim/pf-euler: a = 1/sqrt(alpha_t), shift = 0. DDNM+ (docs/math.md#zero-shot):
  // sqrt(ab_{t-1}) [(1 - lambda) x0(y) + lambda y/h] with x0(y) = (y + (1 - ab_t) s_t(y))/sqrt(ab_t);
  // `constant` when lambda_t = 1, where the step forgets y: the new law is N(shift, noise) itself.
  // a_minus_1 = a - 1 to full relative accuracy: the map is evaluated as y + [(a - 1) y + gain s + shift],
  // so its rounding is relative to the step's small displacement rather than to y (see step_map).
  struct LineStep {
    Real a, gain, shift, noise, beta, a_minus_1;
    bool constant = false;
  };
  LineStep line_step(long t) const;

private:
  // The grid after a DDNM+ step (no kernel, or a fresh Gaussian) covers Q_{t-1}'s support only at the
  // output step: such laws can be far narrower than Q_{t-1}, and the spacing follows them.
  void join_target_support(long t, Real& a, Real& b) const {
    if (t - 1 != sampler_.t_out) return;
    Real qa(0), qb(0);
    mixture_support(target_marginal(t - 1), R_, qa, qb);
    if (qa < a) a = qa;
    if (qb > b) b = qb;
  }

  // The step map y -> a y + gain s_t(y) + shift and its derivative; score derivative returned too.
  // Evaluated in increment form, y + displacement(y) and 1 + (a - 1 + gain s'): a step moves y by
  // ~beta_t y, and the rounding of a y itself (u y per step, the same at every step for data that
  // barely changes) would otherwise accumulate coherently over thousands of steps.
  struct MapValue { Real value, derivative, score_derivative, displacement, slope_minus_1; };
  MapValue step_map(const Mixture1D<Real>& sm, const LineStep& c, const Real& y) const {
    const ScoreValue<Real> s = score_of(sm, y);
    const Real disp = y * c.a_minus_1 + c.gain * (line_.scale * s.value + line_.offset) + c.shift;
    const Real slope_m1 = c.a_minus_1 + c.gain * line_.scale * s.derivative;
    return {Real(y + disp), Real(1 + slope_m1), Real(line_.scale * s.derivative), disp, slope_m1};
  }
  // Condition number of the map at a point: its terms' sizes over its slope (how many units of
  // roundoff the value loses when y/sqrt(alpha) and c s'(y) nearly cancel, as at beta near 1).
  Real condition(const LineStep& c, const MapValue& m) const {
    using std::abs;
    return (abs(c.a) + abs(Real(c.gain * m.score_derivative))) / m.derivative;
  }
  // The units of roundoff a step of condition number k loses beyond a well-conditioned one: k - 2,
  // charged only when the terms cancel by more than half. Below (k - 1 ~ beta_t / v_t on most steps,
  // summing to ~30..50 over a run) the loss is under one unit a step, and inside the base charge of
  // the shape drift, which was measured on exactly such steps (error_model.hpp); charging k - 1 there
  // as well had tripled the estimate at T = 100 (one-component cases, test_mixture_error_bars).
  static Real excess_of(const Real& k) { return k > 2 ? Real(k - 2) : Real(0); }
  // Solves map(y) = x by Newton from y0; throws if the map is not increasing at the root.
  MapValue invert(const Mixture1D<Real>& sm, const LineStep& c, const Real& x, Real& y, long t) const {
    using std::abs;
    const Real tol = 4 * unit_roundoff<Real>();
    MapValue m = step_map(sm, c, y);
    for (int it = 0; it < 60; ++it) {
      if (!(m.derivative > 0)) not_monotone(t, y);
      const Real dy = ((y - x) + m.displacement) / m.derivative;
      y -= dy;
      // the map is a sum of terms of slope 1/sqrt(alpha) and c s'; when they nearly cancel (a last
      // step with beta near 1), the residual is only known to u times their size over the slope
      const Real cond = condition(c, m);
      // (DDNM+: the shift's rounding too, large against a slope 1 - lambda_t near 0)
      // Converged: the correction is at roundoff, so the map's slope at y (before it) is the slope at
      // the root to ~u; no further evaluation is needed.
      if (abs(dy) <= tol * (cond * (abs(y) + 1) + abs(c.shift) / m.derivative)) return m;
      m = step_map(sm, c, y);
    }
    throw InputError("sampler", to_string(sampler_.kind),
                     "the mixture engine's inverse step map did not converge at step t = " + std::to_string(t));
  }
  [[noreturn]] void not_monotone(long t, const Real& y) const {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", static_cast<double>(y));
    throw InputError("score", to_string(sampler_.kind) + " step t = " + std::to_string(t),
                     std::string("the step map y -> y/sqrt(alpha_t) + c_t s_t(y) is not increasing near y = ") + buf +
                         " (the score's slope is below -1/(c_t sqrt(alpha_t))): the output density folds there, "
                         "which this engine does not integrate; use more steps or a smoother score");
  }

  const MixtureLine<Real>& line_;
  const Schedule<Real>& sch_;
  const SamplerSpec& sampler_;
  Real h_;
  UniformInterpolator<Real> interp_;
  Real R_, margin_;
  double points_per_sd_;  // of this run: the spacing of a fresh Gaussian law (DDNM+) resolves it alike
};

template <class Real> typename LineEngine<Real>::LineStep LineEngine<Real>::line_step(long t) const {
  using std::abs; using std::sqrt;
  const StepCoefficients<Real> c = step_coefficients(sch_, sampler_, t);
  using std::expm1; using std::log1p;
  // 1/sqrt(1 - beta) - 1 without cancellation
  LineStep s{Real(1 / c.sqrt_alpha), c.gain, Real(0), c.noise, c.beta, Real(expm1(Real(-log1p(Real(-c.beta)) / 2))), false};
  if (!line_.ddnm_plus) return s;
  const DdnmPlusLine<Real>& d = *line_.ddnm_plus;
  // DDNM+ (Wang et al. 2022; numerics/detail/zero_shot_impl.hpp has the Gaussian form): the DDPM
  // posterior step c1 x0_hat + c2 y + N(0, n) with x0_hat = (1 - lambda) x0(y) + lambda y_obs/h and
  // x0(y) = (y + (1 - ab_t) s_t(y))/sqrt(ab_t); lambda = min(1, sigma_t/(c1 sigma_e)),
  // n = sigma_t^2 - (c1 sigma_e lambda)^2; unobserved (h = 0): lambda = 0, n = sigma_t^2.
  const Real c1 = sqrt(c.ab_prev) * c.beta / c.omab, c2 = c.sqrt_alpha * c.omab_prev / c.omab;
  const Real var = c.beta * c.omab_prev / c.omab;
  Real lambda(0);
  s.noise = var;
  s.shift = Real(0);
  if (d.h != 0) {
    const Real sigma_e = d.sigma_y / abs(d.h);
    lambda = d.sigma_y == 0 ? Real(1) : min_of(Real(1), Real(sqrt(var) / (c1 * sigma_e)));
    s.noise = max_of(Real(var - c1 * c1 * sigma_e * sigma_e * lambda * lambda), Real(0));
    s.shift = c1 * lambda * d.y / d.h;
  }
  const Real sab = sqrt(c.ab);
  s.a = c1 * (1 - lambda) / sab + c2;
  s.a_minus_1 = s.a - 1;
  s.gain = c1 * (1 - lambda) * c.omab / sab;
  // lambda = 1 at t = 1 (c2 = 0): the map forgets y, the law is N(shift, noise)
  s.constant = s.a == 0 && s.gain == 0;
  return s;
}

template <class Real> typename LineEngine<Real>::Output LineEngine<Real>::run_stochastic() const {
  using std::abs; using std::exp; using std::expm1; using std::log; using std::sqrt;
  const long T = sch_.steps, t_out = sampler_.t_out;
  const bool accelerated = sampler_.kind == SamplerKind::accelerated && !line_.ddnm_plus;
  const Real u = unit_roundoff<Real>();
  // Values below this fraction of the peak are FFT roundoff, not density; they bound the support.
  const Real noise = 100 * u;
  RealFft<Real> fft;

  // p_T on a grid covering it and Q_T
  const Mixture1D<Real> init = initial_law();
  Real a(0), b(0), qa(0), qb(0);
  mixture_support(init, R_, a, b);
  mixture_support(target_marginal(T), R_, qa, qb);
  GridDensity<Real> g = grid_over(Real(a < qa ? a : qa), Real(b > qb ? b : qb), h_, T);
  for (long j = 0; j < g.size(); ++j) g.p[j] = exp(log_density(init, g.node(j)));
  normalize(g);

  std::vector<Real> re, im, omega2, acc_re, acc_im, coef, tau, work;
  Real excess(0);  // sum over steps of excess_of(the largest condition number of the step's map)
  for (long t = T; t > t_out; --t) {
    throw_if_cancelled();  // numerics/cancellation.hpp: once per step
    const LineStep c = line_step(t);
    if (c.constant) {
      // the step forgets y: the new law is N(shift, noise), sampled on a grid that resolves it
      if (!(c.noise > 0))
        throw InputError("ddnm_plus", "step t = " + std::to_string(t),
                         "the DDNM+ law after this step is a point mass (lambda_t = 1 and a_t^2 = ab_{t-1} sigma_e^2), "
                         "which has no density");
      const Real sd = sqrt(c.noise);
      const Real hn = min_of(g.h, Real(sd / Real(points_per_sd_)));
      a = c.shift - R_ * sd - margin_;
      b = c.shift + R_ * sd + margin_;
      join_target_support(t, a, b);
      GridDensity<Real> next = grid_over(a, b, hn, t);
      const Mixture1D<Real> law = gaussian_1d(c.shift, c.noise);
      for (long j = 0; j < next.size(); ++j) next.p[j] = exp(log_density(law, next.node(j)));
      normalize(next);
      g = std::move(next);
      continue;
    }
    const Mixture1D<Real> sm = score_marginal(t);
    // support of p_t: the nodes above the noise floor
    Real peak(0);
    for (const auto& v : g.p) if (v > peak) peak = v;
    const Real floor = noise * peak;
    long i0 = 0, i1 = g.size() - 1;
    while (i0 < i1 && !(g.p[i0] > floor)) ++i0;
    while (i1 > i0 && !(g.p[i1] > floor)) --i1;
    // images of the nodes; the map must increase across the support. Beyond it the density is at the
    // roundoff level; it is still carried over the margin (zeroing it at the floor every step would
    // bias the tails), as far out as the map stays increasing. Past the margin (several standard
    // deviations beyond the floor) it is dropped, which also spares the far nodes' inversions.
    const long n_old = g.size();
    const long span = static_cast<long>(std::ceil(static_cast<double>(margin_ / g.h)));
    const long e0 = std::max<long>(0, i0 - span), e1 = std::min<long>(n_old - 1, i1 + span);
    std::vector<Real> z(n_old), slope(n_old), factor(accelerated ? n_old : 0);
    std::vector<char> increasing(n_old, 0);
    Real min_slope = positive_infinity<Real>(), max_slope(0);
    for (long i = e0; i <= e1; ++i) {
      const MapValue v = step_map(sm, c, g.node(i));
      z[i] = v.value;
      slope[i] = v.derivative;
      increasing[i] = v.derivative > 0 && (i == e0 || z[i] > z[i - 1]);
      if (i >= i0 && i <= i1 && !increasing[i]) not_monotone(t, g.node(i));
      if (i >= i0 && i <= i1 && v.derivative < min_slope) min_slope = v.derivative;
      if (v.derivative > max_slope) max_slope = v.derivative;
      if (accelerated) factor[i] = abs(Real(1 + c.beta * v.score_derivative / 2));
    }
    long r0 = i0, r1 = i1;
    while (r0 > e0 && increasing[r0]) --r0;
    if (!increasing[r0]) ++r0;
    while (r1 < e1 && increasing[r1 + 1]) ++r1;
    Real max_noise_factor(1), min_noise_factor(1);
    if (accelerated) {
      max_noise_factor = min_noise_factor = factor[i0];
      for (long i = i0; i <= i1; ++i) {
        if (factor[i] > max_noise_factor) max_noise_factor = factor[i];
        if (factor[i] < min_noise_factor) min_noise_factor = factor[i];
      }
    }
    const Real sigma = sqrt(c.noise) * max_noise_factor;
    // next grid: pushed support widened by R sigma, joined with Q_{t-1}'s support
    a = z[i0] - R_ * sigma - margin_;
    b = z[i1] + R_ * sigma + margin_;
    if (c.noise > 0) {
      mixture_support(target_marginal(t - 1), R_, qa, qb);
      if (qa < a) a = qa;
      if (qb > b) b = qb;
    } else {
      join_target_support(t, a, b);
    }
    // a pure pushforward (DDNM+ with lambda_t < 1) narrows features by the map's slope, and no kernel
    // widens them again: the spacing follows
    Real hn = c.noise > 0 || !(min_slope < 1) ? g.h : Real(g.h * min_slope);
    GridDensity<Real> next = grid_over(a, b, hn, t);
    long n = next.size();
    // (a direct sum costs old nodes x new nodes: beyond 2^26 terms the step is refined instead, DDNM+ aside)
    const bool direct_affordable = line_.ddnm_plus || static_cast<double>(e1 - e0 + 1) * static_cast<double>(n) <= 67108864.0;
    if (!accelerated && c.noise > 0 && 8 * max_slope < 1 && sigma >= 6 * max_slope * g.h && direct_affordable) {
      // A step that maps the whole law onto a sliver (a slope far below 1: a DDNM+ step, or a cosine
      // schedule's last steps with beta near 1), narrower than the grid, and then adds wide noise: the
      // pushed law is not resolved on the grid (spectral_tail below would refine it past the grid cap,
      // though the kernel forgets its shape), so there
      // p_{t-1}(x) = int phi_sigma(x - map(y)) p_t(y) dy by the trapezoid rule over the old nodes: seen
      // from y the kernel is smooth at scale sigma/slope >= 6 h, where the rule is exact to roundoff.
      const Real inv2s2 = 1 / (2 * c.noise), norm = g.h / sqrt(two_pi<Real>() * c.noise);
      for (long j = 0; j < n; ++j) {
        const Real x = next.node(j);
        CompensatedSum<Real> sum;
        for (long i = e0; i <= e1; ++i) {
          const Real d = x - z[i];
          sum.add(g.p[i] * exp(Real(-d * d * inv2s2)));
        }
        next.p[j] = norm * sum.value();
      }
      normalize(next);
      g = std::move(next);
      continue;
    }
    // pushforward: p~(x) = p_t(y) / map'(y) at y = map^-1(x). A map of slope far below 1 (the last
    // steps on a narrow target) narrows the law below the spacing, where neither the trapezoid mass
    // below nor the kernel's convolution is accurate: the spacing halves until the pushed law is
    // resolved (spectral_tail), and the finer grid is kept from there on.
    Real step_cond(1);
    for (int halving = 0;; ++halving) {
    if (accelerated) tau.assign(n, Real(max_noise_factor * max_noise_factor));
    step_cond = Real(1);
    long i = r0;
    for (long j = 0; j < n; ++j) {
      const Real x = next.node(j);
      if (x <= z[r0] || x >= z[r1]) continue;  // preimage off the grid: density below roundoff
      while (z[i + 1] < x) ++i;
      // first guess: cubic Hermite interpolation of the inverse map (values and slopes at the two
      // nodes), accurate to ~h^4, so that one Newton correction reaches roundoff
      const Real dz = z[i + 1] - z[i], sx = (x - z[i]) / dz;
      const Real sx2 = sx * sx, sx3 = sx2 * sx;
      Real y = g.node(i) + g.h * (3 * sx2 - 2 * sx3) + dz / slope[i] * (sx3 - 2 * sx2 + sx) +
               dz / slope[i + 1] * (sx3 - sx2);
      const MapValue v = invert(sm, c, x, y, t);
      next.p[j] = interp_(g, y) / v.derivative;
      step_cond = max_of(step_cond, condition(c, v));
      if (accelerated) {
        const Real f = 1 + c.beta * v.score_derivative / 2;
        tau[j] = f * f;
      }
    }
    // The pushforward conserves mass exactly; interpolation does not quite, and a mass error goes
    // straight into KL (later steps do not damp it), so restore it: the density has mass 1 and the
    // trapezoid rule is spectrally accurate for it (checked next), so its trapezoid mass is 1 up to
    // roundoff.
    normalize(next);
    // the transform the kernel's convolution below starts from, and the resolution check
    fft.forward(next.p, re, im);
    const Real tail = spectral_tail(re, im);
    if (!(tail > resolved_tail<Real>())) break;
    if (halving >= 12) unresolved_law(line_, tail);
    hn /= 2;
    next = grid_over(a, b, hn, t);
    n = next.size();
    }
    excess += excess_of(step_cond);
    if (accelerated) {
      // The range of M^2 over the pushed density's support (above the noise floor) sets the series'
      // centre and ratio below. Outside it, in the roundoff-level tails, M^2 is clamped to the range:
      // the noise scale there is immaterial, and the clamp keeps the series convergent. (Clamping
      // inside the support would put kinks into tau p~ and cost the spectral convergence.)
      Real peak_pushed(0);
      for (const auto& v : next.p) if (v > peak_pushed) peak_pushed = v;
      bool first = true;
      Real m2lo(1), m2hi(1);
      for (long j = 0; j < n; ++j) {
        if (!(next.p[j] > noise * peak_pushed)) continue;
        if (first || tau[j] < m2lo) m2lo = tau[j];
        if (first || tau[j] > m2hi) m2hi = tau[j];
        first = false;
      }
      for (long j = 0; j < n; ++j) {
        if (tau[j] < m2lo) tau[j] = m2lo;
        if (tau[j] > m2hi) tau[j] = m2hi;
      }
      min_noise_factor = sqrt(m2lo);
      max_noise_factor = sqrt(m2hi);
    }
    if (!(c.noise > 0)) {  // no kernel
      g = std::move(next);
      continue;
    }
    // Convolution with N(0, sigma_t^2 M^2) in Fourier space, in increment form: p~ + F^-1[(m - 1) F p~]
    // with m - 1 = expm1(-sigma^2 w^2 / 2). The FFT's rounding is then relative to the increment
    // (~beta_t p~) rather than to p~; it is a deterministic function of data that barely changes from
    // step to step, so it accumulates coherently: in the direct form it shrank a Gaussian's variance by
    // ~2 u per step (4e-12 relative at T = 1e4, measured), in increment form by ~14 times less
    // (tests/numerics/test_mixture_fft.cpp). (re, im: the transform of p~, from the check above.)
    const Real L = next.h * Real(n);
    omega2.resize(n);
    for (long k = 0; k < n; ++k) {
      const long kk = k <= n / 2 ? k : k - n;
      const Real w = two_pi<Real>() * Real(kk) / L;
      omega2[k] = w * w;
    }
    if (!accelerated) {
      // the multiplier is even in the frequency: computed once per pair k, n - k
      for (long k = 0; k <= n / 2; ++k) {
        const Real f = expm1(Real(-c.noise * omega2[k] / 2));
        re[k] *= f; im[k] *= f;
        if (k > 0 && k < n / 2) { re[n - k] *= f; im[n - k] *= f; }
      }
    } else {
      // Kernel variance sigma^2 M(y)^2 = s0 + tau(x): exp(tau/2 d^2) expanded, each term a Fourier
      // multiplier: F p = e^{-s0 w^2/2} sum_k (-w^2/2)^k / k! F[tau^k p~]. With s0 the midpoint of
      // the range of sigma^2 M^2 the k-th term is at most r^k, r = (max - min) / (max + min) < 1.
      const Real m2max = max_noise_factor * max_noise_factor, m2min = min_noise_factor * min_noise_factor;
      const Real s0 = c.noise * (m2max + m2min) / 2;
      for (long j = 0; j < n; ++j) tau[j] = c.noise * tau[j] - s0;
      const Real ratio = (m2max - m2min) / (m2max + m2min);
      acc_re.resize(n); acc_im.resize(n); coef.resize(n);
      for (long k = 0; k < n; ++k) {
        coef[k] = exp(-s0 * omega2[k] / 2);
        const Real f0 = expm1(Real(-s0 * omega2[k] / 2));  // the k = 0 term, in increment form
        acc_re[k] = re[k] * f0; acc_im[k] = im[k] * f0;
      }
      work = next.p;
      Real bound(1);
      for (int term = 1; ; ++term) {
        bound *= ratio;
        if (bound < u / 4) break;
        if (term > 400)
          throw InputError("sampler.kind", "accelerated",
                           "the noise-scale series of step t = " + std::to_string(t) + " does not converge fast enough");
        for (long j = 0; j < n; ++j) work[j] *= tau[j];
        fft.forward(work, re, im);
        for (long k = 0; k < n; ++k) {
          coef[k] *= -omega2[k] / (2 * Real(term));
          acc_re[k] += coef[k] * re[k]; acc_im[k] += coef[k] * im[k];
        }
      }
      re.swap(acc_re); im.swap(acc_im);
    }
    fft.inverse(re, im, work);
    // The convolution conserves mass too, but the FFT's rounding of it accumulates over thousands
    // of steps (1e-12 at T = 1e4), and every unit of mass error is a unit of KL error.
    const Real inv_n = 1 / Real(n);
    for (long j = 0; j < n; ++j) next.p[j] += work[j] * inv_n;
    normalize(next);
    g = std::move(next);
  }

  Output out;
  out.excess_conditioning = excess;
  out.unresolved = spectral_tail(g.p);
  Real peak(0);
  for (const auto& v : g.p) if (v > peak) peak = v;
  // The output's noise floor: with the convolution in increment form, the FFT's absolute rounding is
  // relative to the step's increment, not to the peak (measured on a Gaussian after 1e4 steps: |p - p*|
  // <= 0.25 u peak at every node below 1e-6 of the peak, against 100 u peak in the direct form); 2 u
  // peak keeps a factor 8 above it. (The support walk above keeps the coarser 100 u: it only sets the
  // extent of the grid, whose margin reaches far below either.)
  out.cut = 2 * u * peak;
  out.logp.resize(g.size());
  out.usable.resize(g.size());
  for (long j = 0; j < g.size(); ++j) {
    out.usable[j] = g.p[j] > out.cut;
    out.logp[j] = out.usable[j] ? Real(log(g.p[j])) : Real(0);
  }
  out.grid = std::move(g);
  return out;
}

template <class Real> void LineEngine<Real>::deterministic_range(Real& a, Real& b) const {
  const long T = sch_.steps, t_out = sampler_.t_out;
  Real lo(0), hi(0);
  mixture_support(initial_law(), R_, lo, hi);
  for (long t = T; t > t_out; --t) {
    const LineStep c = line_step(t);
    const Mixture1D<Real> sm = score_marginal(t);
    lo = step_map(sm, c, lo).value;
    hi = step_map(sm, c, hi).value;
  }
  mixture_support(target_marginal(t_out), R_, a, b);
  if (lo < a) a = lo;
  if (hi > b) b = hi;
}

template <class Real>
typename LineEngine<Real>::Output LineEngine<Real>::run_deterministic(const Real& a, const Real& b) const {
  using std::abs; using std::exp; using std::log; using std::log1p; using std::sqrt;
  const long T = sch_.steps, t_out = sampler_.t_out;
  Output out;
  out.grid = grid_over(a, b, h_, t_out);
  const long n = out.grid.size();
  std::vector<LineStep> coef(T + 1);
  std::vector<Mixture1D<Real>> sm(T + 1);
  for (long t = t_out + 1; t <= T; ++t) { coef[t] = line_step(t); sm[t] = score_marginal(t); }
  const Mixture1D<Real> init = initial_law();
  out.logp.resize(n);
  out.usable.assign(n, 1);
  out.cut = Real(0);
  for (long j = 0; j < n; ++j) {
    throw_if_cancelled();  // numerics/cancellation.hpp: once per grid node (each runs every step)
    Real y = out.grid.node(j);
    // thousands of log-slopes ~beta_t each: compensated, so their sum's rounding stays at u
    CompensatedSum<Real> log_jac;
    Real excess(0);
    for (long t = t_out + 1; t <= T; ++t) {
      const Real x = y;
      y = (x - coef[t].shift) / coef[t].a;  // inverse of the linear part: a close first guess
      const MapValue v = invert(sm[t], coef[t], x, y, t);
      log_jac.add(log1p(v.slope_minus_1));
      excess += excess_of(condition(coef[t], v));
    }
    if (excess > out.excess_conditioning) out.excess_conditioning = excess;
    out.logp[j] = log_density(init, y) - log_jac.value();
    out.grid.p[j] = exp(out.logp[j]);
  }
  // The pushforward has mass 1; the rounding of each step's coefficients, the same at every node,
  // scales the computed density by about (1 + steps u), a mass error that would enter KL at first
  // order. The grid covers the pushforward's support, so its trapezoid mass is 1 up to roundoff --
  // when the grid resolves the law, which the caller checks on `unresolved`.
  out.unresolved = spectral_tail(out.grid.p);
  CompensatedSum<Real> sum;
  for (const auto& v : out.grid.p) sum.add(v);
  const Real mass = sum.value() * out.grid.h;
  // A trapezoid mass far from 1 is not roundoff: the law lies mostly off the grid (a narrow target
  // displaced from 0 under a constant schedule, v = 1e-8, m = 3, ddim: the on-grid density peaked at
  // e^-472, and normalizing it by its mass gave KL 1901115.65 +- 0.71 against the true 1901599.97).
  // One off by more than 1e-6 is charged as unresolved (the caller halves the spacing); one off by
  // more than a factor 2 is refused.
  if (!(mass > Real(0.5) && mass < Real(2))) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3g", static_cast<double>(mass));
    throw InputError("target.variances", variances_text(line_),
                     std::string("the deterministic sampler's law on this target lies outside the grid the mixture "
                                 "engine built for it (its mass on the grid is ") + buf +
                         "); this case cannot be computed by density propagation");
  }
  if (abs(Real(mass - 1)) > Real(1e-6) && !(out.unresolved > 1)) out.unresolved = Real(1);
  const Real log_mass = log(mass);
  for (long j = 0; j < n; ++j) {
    out.grid.p[j] /= mass;
    out.logp[j] -= log_mass;
  }
  return out;
}

}  // namespace diffbound::detail
