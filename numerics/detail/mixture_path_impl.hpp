#pragma once
// Implementation of numerics/mixture_path.hpp (templates; instantiated once per number type).

#include "numerics/detail/sampler_step.hpp"
#include "numerics/divergence.hpp"
#include "numerics/gaussian_path.hpp"
#include "numerics/gaussian_target.hpp"
#include "numerics/input_error.hpp"
#include "numerics/mixture_path.hpp"
#include "numerics/detail/zero_shot_mixture_impl.hpp"

#include <boost/math/constants/constants.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

namespace diffbound::detail {

// Largest grid the engine builds (points); beyond it a step refuses rather than thrashes memory.
inline constexpr long mixture_max_points = 1L << 22;

template <class Real> Real two_pi() { return 2 * boost::math::constants::pi<Real>(); }

// Neumaier-compensated sum: masses near 1 enter KL through their difference, so their rounding would
// otherwise set an absolute floor of ~sqrt(n) u on every KL.
template <class Real> class CompensatedSum {
public:
  void add(const Real& x) {
    using std::abs;
    const Real t = sum_ + x;
    if (abs(sum_) >= abs(x)) carry_ += (sum_ - t) + x;
    else carry_ += (x - t) + sum_;
    sum_ = t;
  }
  Real value() const { return sum_ + carry_; }

private:
  Real sum_ = Real(0), carry_ = Real(0);
};

// Radix-2 complex FFT with cached twiddles (no FFT library handles MPFR numbers).
template <class Real> class Fft {
public:
  void transform(std::vector<Real>& re, std::vector<Real>& im, bool inverse) {
    const long n = static_cast<long>(re.size());
    prepare(n);
    for (long i = 0; i < n; ++i)
      if (i < rev_[i]) { std::swap(re[i], re[rev_[i]]); std::swap(im[i], im[rev_[i]]); }
    for (long len = 2; len <= n; len <<= 1) {
      const long half = len / 2, stride = n / len;
      for (long i = 0; i < n; i += len)
        for (long k = 0; k < half; ++k) {
          const Real& wr = cos_[k * stride];
          const Real wi = inverse ? sin_[k * stride] : Real(-sin_[k * stride]);
          const long a = i + k, b = a + half;
          const Real vr = re[b] * wr - im[b] * wi, vi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - vr; im[b] = im[a] - vi;
          re[a] += vr; im[a] += vi;
        }
    }
  }

private:
  void prepare(long n) {
    if (n == n_) return;
    using std::cos; using std::sin;
    n_ = n;
    cos_.resize(n / 2); sin_.resize(n / 2); rev_.resize(n);
    for (long k = 0; k < n / 2; ++k) {
      const Real angle = two_pi<Real>() * Real(k) / Real(n);
      cos_[k] = cos(angle); sin_[k] = sin(angle);
    }
    int bits = 0;
    while ((1L << bits) < n) ++bits;
    for (long i = 0; i < n; ++i) {
      long r = 0;
      for (int b = 0; b < bits; ++b) if (i & (1L << b)) r |= 1L << (bits - 1 - b);
      rev_[i] = r;
    }
  }
  long n_ = 0;
  std::vector<Real> cos_, sin_;
  std::vector<long> rev_;
};

// Transforms of real sequences of even length n by one complex transform of length n/2 (even and odd
// samples packed as real and imaginary parts): half the work of transforming them as complex data.
// forward: the full spectrum X[0..n) of x; inverse: n x from the spectrum of a real sequence (the
// same unnormalized convention as Fft).
template <class Real> class RealFft {
public:
  void forward(const std::vector<Real>& x, std::vector<Real>& re, std::vector<Real>& im) {
    const long n = static_cast<long>(x.size()), m = n / 2;
    prepare(n);
    zr_.resize(m); zi_.resize(m);
    for (long j = 0; j < m; ++j) { zr_[j] = x[2 * j]; zi_[j] = x[2 * j + 1]; }
    half_.transform(zr_, zi_, false);
    re.resize(n); im.resize(n);
    for (long k = 0; k < m; ++k) {
      const long r = k == 0 ? 0 : m - k;
      // E = (Z[k] + conj Z[m-k]) / 2, O = (Z[k] - conj Z[m-k]) / (2i); X[k] = E + W^k O, X[k+m] = E - W^k O
      const Real er = (zr_[k] + zr_[r]) / 2, ei = (zi_[k] - zi_[r]) / 2;
      const Real or_ = (zi_[k] + zi_[r]) / 2, oi = (zr_[r] - zr_[k]) / 2;
      const Real wr = cos_[k], wi = -sin_[k];
      const Real tr = wr * or_ - wi * oi, ti = wr * oi + wi * or_;
      re[k] = er + tr; im[k] = ei + ti;
      re[k + m] = er - tr; im[k + m] = ei - ti;
    }
  }
  void inverse(const std::vector<Real>& re, const std::vector<Real>& im, std::vector<Real>& x) {
    const long n = static_cast<long>(re.size()), m = n / 2;
    prepare(n);
    zr_.resize(m); zi_.resize(m);
    // The spectrum of a real sequence is Hermitian, X[n-k] = conj X[k]; a computed one is so only up
    // to rounding, and its anti-Hermitian part (which a complex inverse would send to the discarded
    // imaginary part) would leak into the packed samples: it is projected out first. (Measured on a
    // Gaussian propagated over 1e4 steps: without it the variance drifts by 1.4e-12, with it 2e-13.)
    auto xr = [&](long k) { const long r = k == 0 ? 0 : n - k; return (re[k] + re[r]) / 2; };
    auto xi = [&](long k) { const long r = k == 0 ? 0 : n - k; return (im[k] - im[r]) / 2; };
    for (long k = 0; k < m; ++k) {
      // 2E = X[k] + X[k+m], 2O = (X[k] - X[k+m]) conj(W^k); Z' = 2E + i 2O
      const Real ak = xr(k), bk = xi(k), am = xr(k + m), bm = xi(k + m);
      const Real er = ak + am, ei = bk + bm;
      const Real dr = ak - am, di = bk - bm;
      const Real wr = cos_[k], wi = sin_[k];  // conj(W^k) = e^{+2 pi i k / n}
      const Real or_ = dr * wr - di * wi, oi = dr * wi + di * wr;
      zr_[k] = er - oi; zi_[k] = ei + or_;
    }
    half_.transform(zr_, zi_, true);
    x.resize(n);
    for (long j = 0; j < m; ++j) { x[2 * j] = zr_[j]; x[2 * j + 1] = zi_[j]; }
  }

private:
  void prepare(long n) {
    if (n == n_) return;
    using std::cos; using std::sin;
    n_ = n;
    cos_.resize(n / 2); sin_.resize(n / 2);
    for (long k = 0; k < n / 2; ++k) {
      const Real angle = two_pi<Real>() * Real(k) / Real(n);
      cos_[k] = cos(angle); sin_[k] = sin(angle);
    }
  }
  long n_ = 0;
  Fft<Real> half_;
  std::vector<Real> cos_, sin_, zr_, zi_;
};

// A density sampled at lo + j h, j = 0..n-1 (n a power of two, for the FFT).
template <class Real> struct GridDensity {
  Real lo, h;
  std::vector<Real> p;
  long size() const { return static_cast<long>(p.size()); }
  Real node(long j) const { return lo + h * Real(j); }
};

inline long next_pow2(double x) {
  long n = 16;
  while (static_cast<double>(n) < x) {
    n <<= 1;
    if (n > mixture_max_points) return n;
  }
  return n;
}

// A uniform grid with spacing h covering [a, b], centred on it. A grid over the memory cap means the
// case's laws span too many of its narrowest features: the target's variances are what set both.
template <class Real> GridDensity<Real> grid_over(const Real& a, const Real& b, const Real& h, long step) {
  const double want = static_cast<double>((b - a) / h) + 1;
  const long n = next_pow2(want);
  if (n > mixture_max_points || !std::isfinite(want)) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "a law of width %.3g (step t = %ld) at spacing %.3g", static_cast<double>(b - a), step,
                  static_cast<double>(h));
    throw InputError("target.variances", buf,
                     "the mixture engine's grid would need more than " + std::to_string(mixture_max_points) +
                         " points to resolve it (the sampler's laws are too wide for their narrowest feature); "
                         "this case cannot be computed by density propagation");
  }
  GridDensity<Real> g;
  g.h = h;
  g.lo = (a + b) / 2 - h * Real(n - 1) / 2;
  g.p.assign(n, Real(0));
  return g;
}

// Local barycentric Lagrange interpolation on uniform nodes: weights (-1)^k C(n-1, k).
template <class Real> class UniformInterpolator {
public:
  explicit UniformInterpolator(int n) : n_(n), w_(n) {
    double c = 1;
    for (int k = 0; k < n; ++k) {
      w_[k] = Real(k % 2 ? -c : c);
      c = c * (n - 1 - k) / (k + 1);
    }
  }
  // Value at y of the density g (y inside the grid's range).
  Real operator()(const GridDensity<Real>& g, const Real& y) const {
    const Real s = (y - g.lo) / g.h;
    const long i = static_cast<long>(std::floor(static_cast<double>(s)));
    const long start = i - n_ / 2 + 1;
    // Off-centre stencils extrapolate, and their large Lebesgue constants amplify the roundoff-level
    // tails step after step; the grids keep a margin of several standard deviations beyond the
    // support, so within a half stencil of the ends the density is negligible.
    if (start < 0 || start + n_ > g.size()) return Real(0);
    Real num(0), den(0);
    for (int k = 0; k < n_; ++k) {
      const Real d = s - Real(start + k);
      if (d == 0) return g.p[start + k];
      const Real c = w_[k] / d;
      num += c * g.p[start + k];
      den += c;
    }
    return num / den;
  }
  int size() const { return n_; }

private:
  int n_;
  std::vector<Real> w_;
};

// Support of a mixture: every component's mean +- R standard deviations.
template <class Real> void mixture_support(const Mixture1D<Real>& q, const Real& R, Real& a, Real& b) {
  using std::sqrt;
  for (std::size_t k = 0; k < q.size(); ++k) {
    const Real sd = sqrt(q.variance[k]);
    const Real lo = q.mean[k] - R * sd, hi = q.mean[k] + R * sd;
    if (k == 0 || lo < a) a = lo;
    if (k == 0 || hi > b) b = hi;
  }
}

// log q_t(x) - log gamma(x) without cancellation (E_T and KL(Q_0 || gamma) are tiny when Q_t is
// close to gamma): per component the exponent is -log(S)/2 + (x^2 ab(v-1) + 2 x sqrt(ab) m -
// ab m^2) / (2 S), S = 1 + ab(v - 1), and the mixture is log1p(sum w_k expm1(a_k)). S is the
// component's variance at time t, taken as (1 - ab) + ab v: written 1 + ab(v - 1) it loses every digit
// of a narrow component (v = 1e-6 at ab = 1: S = 1e-6 to 1e-10 relative, and x^2/(2S) ~ 5e5 at x ~ 1
// carried 5e-5 into log gamma, 1.4e-5 into KL(Q_0 || gamma): tests/numerics/test_mixture_truth_sweep.cpp).
template <class Real> Real log_ratio_to_gamma(const Mixture1D<Real>& q0, const Real& ab, const Real& omab, const Real& x) {
  using std::abs; using std::exp; using std::expm1; using std::log; using std::log1p; using std::sqrt;
  const Real r = sqrt(ab);
  std::vector<Real> a(q0.size());
  Real top = -positive_infinity<Real>();
  for (std::size_t k = 0; k < q0.size(); ++k) {
    const Real dv = ab * (q0.variance[k] - 1);
    const Real S = omab + ab * q0.variance[k];
    const Real log_S = S < Real(0.5) || S > Real(2) ? Real(log(S)) : Real(log1p(dv));
    // two ways to the same exponent, each with its own rounding (~u times the size of its terms):
    // near gamma the combined numerator (its terms cancel in the exponent's favour), far from it,
    // with a narrow or displaced component, the difference of the two log-densities (there the
    // numerator's terms ~x^2 cancel to (x - r m)^2 ~ S: v = 1e-8 and m = 3 lost 1e-7 of it)
    const Real m = q0.mean[k], xm = x - r * m;
    const Real combined_size = (abs(Real(x * x * dv)) + 2 * abs(Real(x * r * m)) + ab * m * m) / (2 * S);
    const Real split_size = (xm * xm / S + x * x) / 2;
    a[k] = -log_S / 2 + (combined_size <= split_size ? Real((x * x * dv + 2 * x * r * m - ab * m * m) / (2 * S))
                                                     : Real(x * x / 2 - xm * xm / (2 * S)));
    if (a[k] > top) top = a[k];
  }
  if (top > Real(0.5) || top < Real(-0.5)) {  // far from gamma: plain log-sum-exp is accurate there
    Real sum(0);
    for (std::size_t k = 0; k < q0.size(); ++k) sum += q0.weight[k] * exp(Real(a[k] - top));
    return top + log(sum);
  }
  Real sum(0);
  for (std::size_t k = 0; k < q0.size(); ++k) sum += q0.weight[k] * expm1(a[k]);
  return log1p(sum);
}

// KL(Q || gamma) of a 1-D mixture Q = Q_t by the trapezoid rule on spacing h over Q's and gamma's
// supports (both integrands vanish at the ends, so the rule converges spectrally). The integrand is
// q phi(gamma/q - 1) with phi(u) = u - log1p(u) >= 0: the term -(gamma - q) of q log(q/gamma) integrates
// to exactly 0 and is left out, since its quadrature would leave a roundoff far above a tiny E_T.
template <class Real> Real kl_to_gamma_direct(const Mixture1D<Real>& q0, const Real& ab, const Real& omab, const Real& h,
                                              const Real& R) {
  using std::abs; using std::exp; using std::expm1; using std::log;
  const Mixture1D<Real> qt = marginal_1d(q0, ab, omab);
  Real a(0), b(0);
  mixture_support(qt, R, a, b);
  if (-R < a) a = -R;
  if (R > b) b = R;
  const long n = static_cast<long>(static_cast<double>((b - a) / h)) + 2;
  const Real half_log_2pi = log(2 * boost::math::constants::pi<Real>()) / 2;
  // (compensated: 1e5..1e6 terms for wide or displaced laws, whose plain sum lost ~300 u of KL)
  CompensatedSum<Real> sum_phi;
  for (long j = 0; j < n; ++j) {
    const Real x = a + h * Real(j);
    const Real lq = log_density(qt, x);
    const Real q = exp(lq);
    const Real d = -log_ratio_to_gamma(q0, ab, omab, x);  // log gamma - log q
    if (d > 2) {
      // where q << gamma: q phi = gamma - q - q d, with gamma itself rather than q e^d (whose
      // rounding, ~u d relative, integrated over gamma's mass left ~1e-15 in a small E_T), and
      // without overflowing expm1
      sum_phi.add(exp(Real(-x * x / 2 - half_log_2pi)) - q - q * d);
      continue;
    }
    const Real u = expm1(d);
    sum_phi.add(q * (abs(d) < Real(0.5) ? u_minus_log1p(u) : Real(u - d)));
  }
  return h * sum_phi.value();
}

// KL(Q_t || gamma) of a 1-D mixture. Far from gamma (a narrow, wide or displaced law) the direct
// quadrature's integrand is ~x^2/2 times q, so the rounding of the nodes' positions (u |x|, i.e.
// u |m|/sd of the law's width) moves the quadrature of q's mass, and KL with it, by ~u |m|/sd times
// KL (v = 1e-6, m = 1e3: 1.6e-12 relative). There the Pythagorean identity of the Gaussian family,
// KL(q || gamma) = KL(q || g) + KL(g || gamma) with g = N(mu, s^2) the law with q's mean and variance
// (E_q log g - E_q log gamma depends on q's first two moments only), splits it into a closed form and
// the KL of the standardized mixture (x - mu)/s against gamma, which is close to gamma (0 for one
// component) and which the direct quadrature computes without cancellation.
template <class Real> Real kl_to_gamma(const Mixture1D<Real>& q0, const Real& ab, const Real& omab, const Real& h,
                                       const Real& R) {
  using std::abs; using std::log; using std::sqrt;
  const Mixture1D<Real> qt = marginal_1d(q0, ab, omab);
  Real mu(0), second(0);
  for (std::size_t k = 0; k < qt.size(); ++k) {
    mu += qt.weight[k] * qt.mean[k];
    second += qt.weight[k] * (qt.variance[k] + qt.mean[k] * qt.mean[k]);
  }
  // the variance as the weighted sum of the components' variances and spreads about mu (no cancellation)
  Real s2(0);
  for (std::size_t k = 0; k < qt.size(); ++k) {
    const Real dm = qt.mean[k] - mu;
    s2 += qt.weight[k] * (qt.variance[k] + dm * dm);
  }
  // KL(N(mu, s2) || gamma) = (s2 - 1 - log s2 + mu^2)/2 (docs/math.md#gaussian-path); u - log1p(u) only near s2 = 1,
  // since 1 + (s2 - 1) loses the digits of a small s2 that log(s2) keeps
  const Real phi = abs(Real(s2 - 1)) < Real(0.5) ? u_minus_log1p(Real(s2 - 1)) : Real((s2 - 1) - log(s2));
  const Real kl_g = (phi + mu * mu) / 2;
  if (!(kl_g > 1)) return kl_to_gamma_direct(q0, ab, omab, h, R);
  const Real s = sqrt(s2);
  Mixture1D<Real> standardized;
  for (std::size_t k = 0; k < qt.size(); ++k) {
    standardized.weight.push_back(qt.weight[k]);
    standardized.mean.push_back((qt.mean[k] - mu) / s);
    standardized.variance.push_back(qt.variance[k] / s2);
  }
  prepare(standardized);
  return kl_g + kl_to_gamma_direct(standardized, Real(1), Real(0), Real(h / s), R);
}

// KL(q || p), Hellinger^2 and TV from values on a grid of spacing h. KL is taken in the generalized
// form h sum q phi(p/q - 1) = int q log(q/p) + int (p - q): the same number for densities of mass 1,
// but second order in the computed masses (a mass error e of p moves it by e^2/2 instead of e), so
// the masses' rounding (u each) sets no absolute floor. Nodes where p is at the noise floor of the
// propagation (`usable` false) drop out and are charged to the error estimate instead.
template <class Real> struct Divergences {
  Real kl, kl_dropped, hellinger2, tv;
};
template <class Real>
Divergences<Real> divergences_on_grid(const Real& h, const std::vector<Real>& p, const std::vector<Real>& logp,
                                      const std::vector<char>& usable, const std::vector<Real>& logq, const Real& cut,
                                      const std::vector<Real>* logp_uncertainty = nullptr) {
  using std::abs; using std::exp; using std::expm1; using std::log; using std::sqrt;
  CompensatedSum<Real> sum_phi;
  Real dropped(0), h2(0), tv(0);
  const Real log_cut = log(cut);
  for (std::size_t j = 0; j < p.size(); ++j) {
    const Real q = exp(logq[j]);
    const Real pp = p[j] > 0 ? p[j] : Real(0);
    const Real diff = sqrt(pp) - sqrt(q);
    h2 += diff * diff;
    tv += abs(Real(p[j] - q));
    if (!usable[j]) {
      dropped += q * (abs(Real(logq[j] - log_cut)) + 1) + pp;
      continue;
    }
    // KL moves by -q dlog p: charge what the continued tails leave uncertain
    if (logp_uncertainty) dropped += q * (*logp_uncertainty)[j];
    const Real d = logp[j] - logq[j];  // log(p/q); q phi(p/q - 1) = q (u - d), u = expm1(d)
    if (d > 30) sum_phi.add((p[j] - q) - q * d);
    else if (abs(d) < Real(0.5)) sum_phi.add(q * u_minus_log1p(Real(expm1(d))));
    else sum_phi.add(q * (expm1(d) - d));
  }
  return {h * sum_phi.value(), h * dropped, h * h2 / 2, h * tv / 2};
}

// The FFT leaves an absolute noise of ~u times the peak, so where p falls below the noise floor its
// values say nothing; yet where Q_{t_out} is wider than the sampler's law, q log(q/p) there is not
// negligible. Beyond the node where p is last well above the floor (1e6 cut, relative noise 1e-10),
// log p is continued by the quadratic through that node and the nodes k and 2k inward: exact for a
// Gaussian tail, and a mixture's tails are its widest components'. Two values of k give the error
// estimate. A convex fit (no Gaussian tail) is not continued; those nodes stay dropped.
// `uncertainty` receives, per continued node, how far the noise of the three fitted values (relative
// cut/p each, i.e. log p off by that much) can move the continued log p: the sum of the absolute
// quadratic Lagrange weights times those errors. (The two spans share the anchor node, so their
// difference alone does not see its noise.)
template <class Real>
void extrapolate_tails(std::vector<Real>& p, std::vector<Real>& logp, std::vector<char>& usable, const Real& cut, long k,
                       std::vector<Real>& uncertainty) {
  using std::exp;
  uncertainty.assign(p.size(), Real(0));
  const long n = static_cast<long>(p.size());
  const Real big = cut * Real(1e6);
  for (int side = 0; side < 2; ++side) {
    // walk from the edge inward to the first node well above the floor
    const long dir = side == 0 ? 1 : -1;  // inward direction
    long ja = side == 0 ? 0 : n - 1;
    while (ja >= 0 && ja < n && !(p[ja] > big)) ja += dir;
    const long j1 = ja + dir * k, j2 = ja + 2 * dir * k;
    if (ja < 0 || ja >= n || j2 < 0 || j2 >= n || !(p[j1] > big) || !(p[j2] > big)) continue;
    const Real l0 = logp[ja], l1 = logp[j1], l2 = logp[j2];
    const Real kk(k);
    const Real c = (l0 - 2 * l1 + l2) / (2 * kk * kk);
    if (!(c < 0)) continue;
    const Real b = (l1 - l0) / kk - c * kk;  // f(s) = l0 + b s + c s^2, s = inward offset from ja
    const Real e0 = cut / p[ja], e1 = cut / p[j1], e2 = cut / p[j2];
    for (long j = ja - dir; j >= 0 && j < n; j -= dir) {
      const Real sft((j - ja) * dir);  // negative: outward
      logp[j] = l0 + b * sft + c * sft * sft;
      p[j] = exp(logp[j]);
      usable[j] = 1;
      const Real m = -sft;  // Lagrange weights at s = -m for nodes 0, k, 2k
      uncertainty[j] = ((m + kk) * (m + 2 * kk) / 2 * e0 + m * (m + 2 * kk) * e1 + m * (m + kk) / 2 * e2) / (kk * kk);
    }
  }
}

// Working-precision defaults: spacing and stencil so that interpolation errors sit near roundoff.
template <class Real> void default_resolution(MixtureResolution& r) {
  if (r.points_per_sd > 0 && r.stencil > 0) return;
  const double digits = -std::log10(static_cast<double>(unit_roundoff<Real>()));
  if (r.points_per_sd <= 0) r.points_per_sd = digits <= 17 ? 8 : 8 + (digits - 16) / 4;
  if (r.stencil <= 0) r.stencil = digits <= 17 ? 16 : static_cast<int>(16 + (digits - 16));
}

// How far a sampled density is from being resolved at its spacing h, from its discrete spectrum X:
// the largest |X_k| / |X_0| over the upper half of the frequencies, |k| >= n/4 (omega >= pi/(2h)).
// A resolved law's spectrum has decayed to roundoff there. The trapezoid rules' errors are its
// aliases at omega = 2 pi/h (spacing h) and pi/h (spacing 2h): for the Gaussian-like features of
// these laws, |X(omega)| ~ exp(-sd^2 omega^2/2), the indicator's 4th and 16th powers or smaller. A
// narrow output law (a deterministic sampler on a narrow target: the output's sd can be far below
// the target's, docs/mixture.md) shows up here; the trapezoid mass of a normalized density does not
// see it, nor do the even and odd sub-grids of a symmetric one.
template <class Real> Real spectral_tail(const std::vector<Real>& re, const std::vector<Real>& im) {
  using std::abs; using std::sqrt;
  const long n = static_cast<long>(re.size());
  Real top(0);
  for (long k = n / 4; k <= n / 2; ++k) {
    const Real m2 = re[k] * re[k] + im[k] * im[k];
    if (m2 > top) top = m2;
  }
  const Real dc = abs(re[0]);
  return dc > 0 ? Real(sqrt(top) / dc) : Real(0);
}
template <class Real> Real spectral_tail(const std::vector<Real>& p) {
  RealFft<Real> fft;
  std::vector<Real> re, im;
  fft.forward(p, re, im);
  return spectral_tail(re, im);
}

// The spectral_tail at or below which a grid counts as resolving its density: three orders above
// the roundoff of the sampled values (u relative each), so that a resolved law never refines, and
// far below any trapezoid error that matters (its 4th power).
template <class Real> Real resolved_tail() { return 1024 * unit_roundoff<Real>(); }

// Scales a grid density to trapezoid mass 1.
template <class Real> void normalize(GridDensity<Real>& g) {
  CompensatedSum<Real> sum;
  for (const auto& v : g.p) sum.add(v);
  const Real mass = sum.value() * g.h;
  if (mass > 0) for (auto& v : g.p) v /= mass;
}

template <class Real> Real tail_radius() {
  using std::log; using std::sqrt;
  return sqrt(-2 * log(unit_roundoff<Real>())) + 3;
}

// Gauss-Legendre rule with n nodes on [0, 1] (Newton on the three-term recurrence, in Real).
template <class Real> void gauss_legendre_01(int n, std::vector<Real>& node, std::vector<Real>& weight) {
  using std::abs; using std::cos;
  node.resize(n);
  weight.resize(n);
  const Real pi = boost::math::constants::pi<Real>();
  const Real tol = 4 * unit_roundoff<Real>();
  for (int i = 0; i < n; ++i) {
    Real x = cos(pi * (Real(i) + Real(0.75)) / (Real(n) + Real(0.5)));
    Real dp(0);
    for (int it = 0; it < 100; ++it) {
      Real p0(1), p1 = x;
      for (int k = 2; k <= n; ++k) {
        const Real p2 = (Real(2 * k - 1) * x * p1 - Real(k - 1) * p0) / Real(k);
        p0 = p1;
        p1 = p2;
      }
      dp = Real(n) * (x * p1 - p0) / (x * x - 1);
      const Real dx = p1 / dp;
      x -= dx;
      if (abs(dx) <= tol) break;
    }
    node[i] = (1 + x) / 2;
    weight[i] = 1 / ((1 - x * x) * dp * dp);  // 2 / ((1 - x^2) P_n'^2), halved for [0, 1]
  }
}

// Fisher information J = E_q[(d/dx log q)^2] of a 1-D mixture by the trapezoid rule, spacing = its
// narrowest standard deviation / points_per_sd, over its support (the integrand q s^2 is a sum of
// Gaussians times polynomials: the rule converges like exp(-2 pi^2 points_per_sd^2)).
template <class Real> Real fisher_information(const Mixture1D<Real>& q, double points_per_sd, const Real& R) {
  using std::exp; using std::sqrt;
  Real var_min = q.variance[0];
  for (const auto& v : q.variance) if (v < var_min) var_min = v;
  const Real h = sqrt(var_min) / Real(points_per_sd);
  Real a(0), b(0);
  mixture_support(q, R, a, b);
  const long n = static_cast<long>(static_cast<double>((b - a) / h)) + 2;
  const std::size_t K = q.size();
  std::vector<Real> l(K), g(K);
  CompensatedSum<Real> sum;
  for (long j = 0; j < n; ++j) {
    const Real x = a + h * Real(j);
    Real top = -positive_infinity<Real>();
    for (std::size_t k = 0; k < K; ++k) {
      const Real d = x - q.mean[k];
      g[k] = -d * q.precision[k];
      l[k] = q.log_coef[k] + d * g[k] / 2;
      if (l[k] > top) top = l[k];
    }
    Real z(0), s(0);
    for (std::size_t k = 0; k < K; ++k) {
      const Real e = exp(Real(l[k] - top));
      z += e;
      s += e * g[k];
    }
    s /= z;
    sum.add(exp(top) * z * s * s);  // q sqrt(2 pi) s^2
  }
  return sum.value() * h / sqrt(two_pi<Real>());
}

// One step's term of D_T (docs/math.md#path-decomposition) for the ddpm kernel N(m*_t(x), sigma^2), t >= 1, written so
// that nothing cancels (docs/derivations.md, "D_T for mixtures"). With r = beta / (alpha sigma^2),
//   term = 1/2 [ I + (r - 1 - log r) + (1 - r) beta J_t ],   I = int_0^beta (J(tau) - J(0)) dtau,
// where J(tau) is the Fisher information of Q_t with every component's variance lowered by tau (the
// law of sqrt(alpha) X_{t-1} + sqrt(beta - tau) W), J(0) = J_t. The Gaussian of Q_t's narrowest
// component variance tau* has J = 1/(tau* - tau) and the closed-form term 1/2 (u_g - log1p u_g) of
// the Gaussian engine; that part is split off, since it holds the O(beta) and (for beta near 1 with
// the beta/posterior variances) O(log alpha) pieces that would otherwise cancel:
//   term = 1/2 [ (u_g - log1p u_g) + I' + (r - 1) beta (1/tau* - J_t) ],
//   I' = int_0^beta [(J(tau) - 1/(tau* - tau)) - (J_t - 1/tau*)] dtau,
// integrated in theta with tau = tau*(1 - e^-theta) (dtau = (tau* - tau) dtheta, which tames the
// singularity at tau*) by Gauss-Legendre. r - 1 and u_g are given by the caller per variance choice.
// `magnitude` receives the size of what is summed, whose rounding the error estimate charges.
template <class Real>
Real discretization_term(const Mixture1D<Real>& qt, const Real& beta, const Real& r_minus_1, const Real& u_g,
                         int n_nodes, double points_per_sd, const Real& R, Real& J0, Real& magnitude) {
  using std::abs; using std::exp; using std::log1p;
  Real tau_star = qt.variance[0];
  for (const auto& v : qt.variance) if (v < tau_star) tau_star = v;
  const Real theta_max = -log1p(Real(-beta / tau_star));
  std::vector<Real> node, weight;
  gauss_legendre_01(n_nodes, node, weight);
  J0 = fisher_information(qt, points_per_sd, R);
  const Real excess0 = J0 - 1 / tau_star;
  Mixture1D<Real> q = qt;
  Real I(0), size(0);
  for (int i = 0; i < n_nodes; ++i) {
    const Real theta = theta_max * node[i];
    // V_k - tau = (V_k - tau*) + tau* e^-theta: no cancellation when tau is close to tau*
    const Real rest = tau_star * exp(Real(-theta));
    for (std::size_t k = 0; k < q.size(); ++k) q.variance[k] = (qt.variance[k] - tau_star) + rest;
    prepare(q);
    const Real J = fisher_information(q, points_per_sd, R);
    I += weight[i] * ((J * rest - 1) - excess0 * rest);
    size += weight[i] * J * rest;
  }
  I *= theta_max;
  const Real phi = u_minus_log1p(u_g), drift = r_minus_1 * beta * (-excess0);
  // (u_g is rounded: phi(u_g) moves by u_g^2/(1 + u_g) times its relative error, large as u_g -> -1)
  magnitude = theta_max * size + abs(phi) + u_g * u_g / (1 + u_g) + (abs(r_minus_1) + 1) * beta * J0;
  return (phi + I + drift) / 2;
}

// Refuses a line whose law no grid under the cap resolves (InputError naming the target's variances).
template <class Real> [[noreturn]] void unresolved_law(const MixtureLine<Real>& line, const Real& mismatch) {
  std::string v;
  for (const auto& x : line.target.variance) v += (v.empty() ? "[" : ", ") + to_decimal(x);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2g", static_cast<double>(mismatch));
  throw InputError("target.variances", v + "]",
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
    // sum over steps of (condition number of the step map - 1): a map whose terms nearly cancel (a
    // step with beta near 1) loses that many units of roundoff in the density's shape
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
  Real excess(0);  // sum over steps of (the largest condition number of the step's map - 1)
  for (long t = T; t > t_out; --t) {
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
    excess += step_cond - 1;
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
    Real y = out.grid.node(j);
    // thousands of log-slopes ~beta_t each: compensated, so their sum's rounding stays at u
    CompensatedSum<Real> log_jac;
    Real excess(0);
    for (long t = t_out + 1; t <= T; ++t) {
      const Real x = y;
      y = (x - coef[t].shift) / coef[t].a;  // inverse of the linear part: a close first guess
      const MapValue v = invert(sm[t], coef[t], x, y, t);
      log_jac.add(log1p(v.slope_minus_1));
      excess += condition(coef[t], v) - 1;
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
  const Real log_mass = log(mass);
  for (long j = 0; j < n; ++j) {
    out.grid.p[j] /= mass;
    out.logp[j] -= log_mass;
  }
  return out;
}

}  // namespace diffbound::detail

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
  const bool deterministic =
      (sampler.kind == SamplerKind::ddim || sampler.kind == SamplerKind::pf_euler) && !line.ddnm_plus;
  // the chain-rule terms belong to the ddpm kernel (a DDNM+ line is not a ddpm score sampler)
  const bool ddpm = sampler.kind == SamplerKind::ddpm && !line.ddnm_plus;

  LineResult<Real> r;
  r.spacing = static_cast<double>(h);
  auto divergences_of = [&](const typename detail::LineEngine<Real>::Output& o, long stride) {
    // the target's log-density at the nodes (every `stride`-th node: the coarse grid of a fine run)
    const Mixture1D<Real> q = marginal_1d(line.target, sch.alpha_bar[t_out], sch.one_minus_alpha_bar[t_out]);
    std::vector<Real> p, logp, logq;
    std::vector<char> usable;
    for (long j = 0; j < o.grid.size(); j += stride) {
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
    if (deterministic) return detail::divergences_on_grid(hs, p, logp, usable, logq, cut);
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
    return d1;
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
  // - a coherent drift of the output law's shape: each step's maps and transforms are rounded alike
  //   on data that barely changes between steps. Measured with the increment forms (one-component
  //   mixtures against the closed-form law, T = 1e4): variance off by <= 0.1 steps u (etc, linear);
  //   charged as eta = steps u / 4. A relative shape error eta moves KL by about eta sqrt(2 KL).
  //   A step whose map is a near-cancellation of its terms (condition number k = (|a| + |c s'|)/map',
  //   e.g. beta_t = 0.999 at the end of a cosine schedule, k ~ 60) loses k - 1 more units in its value
  //   and as many in its slope: eta adds twice the runs' sum of k - 1 over steps (measured: cosine at
  //   T = 10, ddim, extended precision: error 1.2e-18 where the other terms gave 5.8e-19).
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
  const Real eta = steps * u / 4 + 2 * excess_conditioning * u + sqrt(steps) * u * mean_max / sd_min;
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

  // B_T (ddpm): sum_t c_t E_{Q_t} Delta_t^2, c_t = beta_t^2 / (2 alpha_t sigma_t^2), Delta_t the score
  // error; each expectation by the trapezoid rule over Q_t's support at two spacings.
  if (ddpm) {
    using std::exp;
    r.has_B_T = true;
    const bool exact_score = line.scale == 1 && line.offset == 0 && line.score_mixture.weight == line.target.weight &&
                             line.score_mixture.mean == line.target.mean &&
                             line.score_mixture.variance == line.target.variance;
    if (!exact_score) {
      // Delta = s_used - grad log q_t is a difference of two scores that nearly cancel where the score
      // used is close to the exact one (zero-shot BO-DDNM at sigma_y = 1e-3: both ~1/var_t, their
      // difference 1e-10 of that lost 8e-11 of B_T), and each is evaluated at a node rounded to u |x|
      // (a far mean). Per node the rounding of Delta is charged as dDelta = 4 u (|s_used| + |s| + |x|
      // (|s_used'| + |s'|)), and E Delta^2 moves by at most 2 sqrt(E Delta^2 E dDelta^2) + E dDelta^2.
      struct Accumulated { Real value, rounding; };
      auto b_t = [&](const Real& hb) {
        Accumulated total{Real(0), Real(0)};
        for (long t = t_out + 1; t <= T; ++t) {
          const auto c = detail::step_coefficients(sch, sampler, t);
          const Mixture1D<Real> q = marginal_1d(line.target, sch.alpha_bar[t], sch.one_minus_alpha_bar[t]);
          const Mixture1D<Real> sm = marginal_1d(line.score_mixture, sch.alpha_bar[t], sch.one_minus_alpha_bar[t]);
          Real a(0), b(0);
          detail::mixture_support(q, R, a, b);
          detail::CompensatedSum<Real> sum, size2;
          const long n = static_cast<long>(static_cast<double>((b - a) / hb)) + 2;
          for (long j = 0; j < n; ++j) {
            const Real x = a + hb * Real(j);
            const ScoreValue<Real> used = score_of(sm, x), exact = score_of(q, x);
            const Real delta = line.scale * used.value + line.offset - exact.value;
            const Real qx = exp(log_density(q, x));
            sum.add(qx * delta * delta);
            const Real size = abs(Real(line.scale * used.value)) + abs(line.offset) + abs(exact.value) +
                              abs(x) * (abs(Real(line.scale * used.derivative)) + abs(exact.derivative));
            size2.add(qx * size * size);
          }
          const Real e2 = sum.value() * hb;
          const Real d2 = 16 * u * u * size2.value() * hb;  // E dDelta^2
          if (!(c.noise > 0)) {
            if (e2 > 0) return Accumulated{positive_infinity<Real>(), Real(0)};  // point-mass kernel with a score error
            continue;
          }
          const Real weight = c.beta * c.beta / (2 * c.alpha * c.noise);
          total.value += weight * e2;
          total.rounding += weight * (2 * sqrt(Real(e2 * d2)) + d2);
        }
        return total;
      };
      const Accumulated f = b_t(Real(h / 2)), c = b_t(h);
      r.B_T.value = f.value;
      r.B_T.error = is_finite_value(f.value)
                        ? Real(abs(Real(f.value - c.value)) + 16 * u * sqrt(steps) * abs(f.value) + f.rounding)
                        : Real(0);
    }
  }

  // D_T (ddpm): per step the closed form of detail::discretization_term, whose integral I over the
  // noise level is by Gauss-Legendre; the coarse run (n nodes, half the points per standard deviation)
  // against the fine run (2n nodes) is the error estimate, and n doubles until they agree to roundoff.
  if (ddpm && resolution.D_T) {
    r.has_D_T = true;
    detail::CompensatedSum<Real> total;
    Real error(0);
    for (long t = t_out + 1; t <= T; ++t) {
      const auto c = detail::step_coefficients(sch, sampler, t);
      if (!(c.noise > 0)) {  // point-mass kernel (posterior variance at t = 1): the KL is infinite
        r.D_T.value = positive_infinity<Real>();
        r.D_T.error = Real(0);
        break;
      }
      const Mixture1D<Real> q = marginal_1d(line.target, sch.alpha_bar[t], sch.one_minus_alpha_bar[t]);
      // r - 1 = beta/(alpha sigma^2) - 1 and the Gaussian part's u_g = r (1 - beta/tau*) - 1 for the
      // narrowest component (time-0 variance v*, tau* = ab v* + 1 - ab), in cancellation-free forms
      std::size_t narrowest = 0;
      for (std::size_t k = 1; k < q.size(); ++k) if (q.variance[k] < q.variance[narrowest]) narrowest = k;
      const Real tau_star = q.variance[narrowest], v_star = line.target.variance[narrowest];
      Real r_minus_1(0), u_g(0);
      switch (sampler.variance) {
        case Variance::theory: u_g = -c.beta / tau_star; break;
        case Variance::beta:
          r_minus_1 = c.beta / c.alpha;
          u_g = r_minus_1 * c.ab * (v_star - 1) / tau_star;
          break;
        case Variance::posterior:
          r_minus_1 = c.beta / (c.alpha * c.omab_prev);
          u_g = r_minus_1 * c.ab * v_star / tau_star;
          break;
      }
      Real J0(0), fine(0), coarse(0), diff(0), magnitude(0);
      for (int n = 4;; n *= 2) {
        Real J0c(0), mc(0);
        coarse = detail::discretization_term(q, c.beta, r_minus_1, u_g, n, resolution.points_per_sd / 2, R, J0c, mc);
        fine = detail::discretization_term(q, c.beta, r_minus_1, u_g, 2 * n, resolution.points_per_sd, R, J0, magnitude);
        diff = abs(Real(fine - coarse));
        if (diff <= 32 * u * magnitude || n >= 64) break;
      }
      total.add(fine);
      // each part of the sum carries ~u times its size of rounding
      error += diff + 16 * u * magnitude;
    }
    if (is_finite_value(r.D_T.value)) {
      r.D_T.value = total.value();
      r.D_T.error = error;
    }
  }
  return r;
}

template <class Real> MixtureReduction<Real> reduce_mixture_case(const CaseSpec& spec) {
  using std::sqrt;
  validate_mixture_case(spec);
  if (spec.problem) return detail::reduce_zero_shot_mixture<Real>(spec);
  const MixtureSpec& ms = spec.target.mixture;
  const long d = ms.dim;
  const bool axis = ms.layout == MixtureLayout::axis || d == 1;
  const long line_count = axis ? 1 : d;
  const ScoreSpec& score = spec.score;
  const Mixture1D<Real> target = mixture_1d<Real>(ms);

  // per-coordinate training law (mismatched with a Gaussian train: one Gaussian per coordinate)
  std::vector<DiagonalEntry<Real>> train_gauss;
  std::optional<Mixture1D<Real>> train_mix;
  if (score.train) {
    if (score.train->family == Family::mixture) train_mix = mixture_1d<Real>(score.train->mixture);
    else train_gauss = diagonal_entries<Real>(score.train->gaussian, "score.train");
  }
  std::vector<Real> error;
  const bool constant_error = score.kind == ScoreKind::perturbed && score.perturbation == Perturbation::constant;
  if (constant_error) error = perturbation_vector<Real>(score, d);
  const Real eps = from_decimal<Real>(score.epsilon);

  MixtureReduction<Real> red;
  std::map<std::string, std::size_t> index;
  for (long i = 0; i < line_count; ++i) {
    MixtureLine<Real> line;
    line.target = target;
    std::string key;
    switch (score.kind) {
      case ScoreKind::exact: line.score_mixture = target; break;
      case ScoreKind::perturbed:
        line.score_mixture = target;
        if (constant_error) { line.offset = error[i]; key = to_decimal(error[i]); }
        else line.scale = 1 + eps;
        break;
      case ScoreKind::mismatched:
        if (train_mix) line.score_mixture = *train_mix;
        else { line.score_mixture = gaussian_1d(train_gauss[i].mean, train_gauss[i].variance); key = train_gauss[i].key; }
        break;
      case ScoreKind::ddnm:
      case ScoreKind::bo_ddnm:
      case ScoreKind::exact_conditional: break;  // zero-shot: reduce_zero_shot_mixture (returned above)
      case ScoreKind::gaussian_surrogate: {
        // N(mean, variance) of the training law if one is given, else of the target
        Real mean, variance;
        if (train_mix) mixture_moments(*train_mix, mean, variance);
        else if (!train_gauss.empty()) { mean = train_gauss[i].mean; variance = train_gauss[i].variance; key = train_gauss[i].key; }
        else mixture_moments(target, mean, variance);
        line.score_mixture = gaussian_1d(mean, variance);
        break;
      }
    }
    auto [it, fresh] = index.emplace(key, red.lines.size());
    if (!fresh) { ++red.lines[it->second].multiplicity; continue; }
    red.lines.push_back(line);
  }

  if (axis && d > 1) {
    // the factor N(0, s^2 I_{d-1}) of coordinates 2..d, with the matching score
    CaseSpec g = axis_gaussian_factor(spec);
    const ScoreSpec fresh_score;
    g.score = fresh_score;
    g.score.kind = ScoreKind::exact;
    auto gaussian_train = [&](const std::string& variance, const std::vector<std::string>& means) {
      TargetSpec t;
      t.family = Family::gaussian;
      t.gaussian.dim = d - 1;
      t.gaussian.spectrum = Spectrum::isotropic;
      t.gaussian.scale = variance;
      t.gaussian.mean = means;
      return t;
    };
    // coordinates 2..d of a Gaussian training law, as a Gaussian of its own (a named local:
    // GCC 12 crashes on assigning a braced TargetSpec temporary here)
    auto gaussian_tail_train = [&] {
      TargetSpec t;
      t.family = Family::gaussian;
      t.gaussian.dim = d - 1;
      t.gaussian.spectrum = Spectrum::list;
      t.gaussian.mean.clear();
      for (long i = 1; i < d; ++i) {
        t.gaussian.eigenvalues.push_back(to_decimal(train_gauss[i].variance));
        t.gaussian.mean.push_back(to_decimal(train_gauss[i].mean));
      }
      return t;
    };
    switch (score.kind) {
      case ScoreKind::exact: break;
      case ScoreKind::perturbed:
        g.score.kind = ScoreKind::perturbed;
        g.score.perturbation = score.perturbation;
        g.score.epsilon = score.epsilon;
        if (constant_error) {
          Real rest2(0);
          for (long i = 1; i < d; ++i) rest2 += error[i] * error[i];
          if (rest2 == 0) { g.score.kind = ScoreKind::exact; break; }
          g.score.epsilon = to_decimal(Real(sqrt(rest2)));
          for (long i = 1; i < d; ++i) g.score.direction.push_back(to_decimal(error[i]));
        }
        break;
      case ScoreKind::mismatched:
        g.score.kind = ScoreKind::mismatched;
        if (train_mix) g.score.train = gaussian_train(score.train->mixture.variances[0], {"0"});
        else g.score.train = gaussian_tail_train();
        break;
      case ScoreKind::ddnm:
      case ScoreKind::bo_ddnm:
      case ScoreKind::exact_conditional: break;  // zero-shot: not reached
      case ScoreKind::gaussian_surrogate:
        // the surrogate of coordinates 2..d is the Gaussian of those coordinates of the training law
        // (of the target when none is given, where it is exact)
        if (train_mix) {
          g.score.kind = ScoreKind::mismatched;
          g.score.train = gaussian_train(score.train->mixture.variances[0], {"0"});
        } else if (!train_gauss.empty()) {
          g.score.kind = ScoreKind::mismatched;
          g.score.train = gaussian_tail_train();
        }
        break;
    }
    red.has_gaussian_part = true;
    red.gaussian_part = g;
  }
  return red;
}

namespace detail {
// The closed-form Gaussian part of an axis-layout case in the line's number type.
template <class Real> struct GaussianPart { Real kl, kl_q0_gamma, E_T, hellinger2, B_T, D_T; };
template <class Real> GaussianPart<Real> gaussian_part_in(const CaseSpec& spec, const GaussianPathOptions& go) {
  if constexpr (std::is_same_v<Real, long double>) {
    PrecisionScope scope(30);
    const auto g = gaussian_path<mpfr_real>(spec, go);
    auto ld = [](const mpfr_real& x) { return x.convert_to<long double>(); };
    return {ld(g.kl), ld(g.kl_q0_gamma), ld(g.E_T), ld(g.hellinger2), ld(g.B_T), ld(g.D_T)};
  } else {
    const auto g = gaussian_path<Real>(spec, go);
    return {g.kl, g.kl_q0_gamma, g.E_T, g.hellinger2, g.B_T, g.D_T};
  }
}
}  // namespace detail

template <class Real> MixturePathResult<Real> mixture_path(const CaseSpec& spec, MixtureResolution resolution) {
  using std::abs; using std::expm1; using std::log1p; using std::sqrt;
  detail::default_resolution<Real>(resolution);
  const MixtureReduction<Real> red = reduce_mixture_case<Real>(spec);
  const auto sch = make_schedule<Real>(spec.schedule);
  const long T = sch.steps;

  MixturePathResult<Real> r;
  r.alpha_bar_T = sch.alpha_bar[T];
  r.lines = static_cast<long>(red.lines.size());
  Real log_bc(0), log_bc_err(0), tv1(0), tv1_err(0);
  double spacing = 0;
  long points = 0;
  for (const auto& line : red.lines) {
    const LineResult<Real> lr = mixture_line<Real>(line, sch, spec.sampler, resolution);
    const Real mult(line.multiplicity);
    r.kl.value += mult * lr.kl.value;
    r.kl.error += mult * lr.kl.error;
    r.kl_q0_gamma.value += mult * lr.kl_q0_gamma.value;
    r.kl_q0_gamma.error += mult * lr.kl_q0_gamma.error;
    r.E_T.value += mult * lr.E_T.value;
    r.E_T.error += mult * lr.E_T.error;
    r.has_B_T = lr.has_B_T;
    r.B_T.value += mult * lr.B_T.value;
    r.B_T.error += mult * lr.B_T.error;
    r.has_D_T = lr.has_D_T;
    r.D_T.value += mult * lr.D_T.value;
    r.D_T.error += mult * lr.D_T.error;
    log_bc += mult * log1p(Real(-lr.hellinger2.value));
    log_bc_err += mult * lr.hellinger2.error;
    tv1 = lr.tv.value;
    tv1_err = lr.tv.error;
    spacing = lr.spacing;
    points = std::max(points, lr.points_fine > 0 ? lr.points_fine : lr.points_coarse);
  }
  // descriptors of the target: second moment and the spectrum of its covariance
  const Mixture1D<Real> target = mixture_1d<Real>(spec.target.mixture);
  Real mean, variance;
  mixture_moments(target, mean, variance);
  const long d = spec.target.mixture.dim;
  const bool axis = spec.target.mixture.layout == MixtureLayout::axis || d == 1;
  if (axis) {
    const Real s2 = d > 1 ? target.variance[0] : variance;
    r.m2 = variance + mean * mean + Real(d - 1) * s2;
    r.lambda_min = min_of(variance, s2);
    r.lambda_max = max_of(variance, s2);
  } else {
    r.m2 = Real(d) * (variance + mean * mean);
    r.lambda_min = r.lambda_max = variance;
  }
  if (red.has_gaussian_part) {
    GaussianPathOptions go;
    go.decomposition = r.has_B_T || r.has_D_T;
    // (extended precision has no Gaussian engine of its own: the closed form in MPFR at 30 digits)
    const auto gr = detail::gaussian_part_in<Real>(red.gaussian_part, go);
    if (r.has_B_T) r.B_T.value += gr.B_T;
    if (r.has_D_T) {
      r.D_T.value += gr.D_T;
      r.D_T.error += 16 * unit_roundoff<Real>() * abs(gr.D_T);
    }
    r.kl.value += gr.kl;
    r.kl_q0_gamma.value += gr.kl_q0_gamma;
    r.E_T.value += gr.E_T;
    log_bc += log1p(Real(-gr.hellinger2));
    // the closed-form part is accurate to roundoff; count it in the estimate all the same
    r.kl.error += 16 * unit_roundoff<Real>() * abs(gr.kl);
  }
  r.hellinger2 = -expm1(log_bc);
  if (d == 1) {
    // 1-D: TV itself by quadrature, widened by its error estimate
    r.tv_lo = max_of(Real(tv1 - tv1_err), Real(0));
    r.tv_hi = min_of(Real(tv1 + tv1_err), Real(1));
  } else {
    // products: H^2 <= TV <= min(H sqrt(2 - H^2), sqrt(KL/2)), with KL and H^2 taken at the ends of
    // their estimates in the safe direction
    const Real h2_lo = max_of(Real(-expm1(Real(log_bc + log_bc_err))), Real(0));
    const Real h2_hi = -expm1(Real(log_bc - log_bc_err));
    const auto enc = tv_enclosure(Real(log1p(Real(-min_of(h2_hi, Real(1))))), Real(r.kl.value + r.kl.error));
    r.tv_lo = h2_lo;
    r.tv_hi = enc.hi;
  }
  // an end that is not a number (an infinite error estimate meeting an infinite log-BC) says nothing:
  // the trivial enclosure [0, 1] then, never a NaN that a comparison would read as neither side
  if (!(r.tv_lo >= 0)) r.tv_lo = Real(0);
  if (!(r.tv_hi <= 1)) r.tv_hi = Real(1);
  const bool deterministic = spec.sampler.kind == SamplerKind::ddim || spec.sampler.kind == SamplerKind::pf_euler;
  char buf[160];
  std::snprintf(buf, sizeof buf, "mixture-%s/h=%.3g%s,stencil=%d,points<=%ld", deterministic ? "inverse-map" : "fourier",
                spacing, resolution.refine || deterministic ? "+h/2" : "", resolution.stencil, points);
  r.method = buf;
  if (red.has_gaussian_part) r.method += "+gaussian-fast";
  return r;
}

}  // namespace diffbound
