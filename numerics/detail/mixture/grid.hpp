#pragma once
// Sampled densities on uniform grids: building them, interpolating and normalizing them, the range a
// mixture covers, and whether a grid resolves its density.

#include "numerics/detail/mixture/compensated_sum.hpp"
#include "numerics/detail/mixture/fft.hpp"
#include "numerics/input_error.hpp"
#include "numerics/mixture_target.hpp"
#include "numerics/real.hpp"

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace diffbound::detail {

// Largest grid the engine builds (points); beyond it a step refuses rather than thrashes memory.
inline constexpr long mixture_max_points = 1L << 22;

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

// The spacing rounded down to 21 significant bits, so that every node of a grid_over grid, an integer
// below 2^32 times h/512, is a double (53 bits) exactly: its position lo + h j carries no rounding.
template <class Real> Real representable_spacing(const Real& h) {
  using std::floor; using std::frexp; using std::ldexp;
  int e = 0;
  const Real f = frexp(h, &e);  // h = f 2^e, f in [1/2, 1)
  return ldexp(Real(floor(Real(ldexp(f, 21)))), e - 21);
}

// A uniform grid with spacing about h (at most h, representable_spacing) covering [a, b], centred on
// it to within 1.5 spacings. Its nodes are exact numbers: a rounded node x_j + e_j (e_j ~ u |x_j|)
// holds the density of x_j + e_j at the place x_j that the interpolation, the trapezoid rule and the
// FFT assume, and while a run keeps its grid that error pattern is the same at every step, so it
// accumulated coherently: a symmetric law's mean moved by -2e-16 per step (ddpm, constant beta =
// 5e-4, T = 1000: mean and variance off by 0.55 and 0.33 T u, KL outside its estimate; docs/mixture.md).
// A grid over the memory cap means the case's laws span too many of its narrowest features: the
// target's variances are what set both.
template <class Real> GridDensity<Real> grid_over(const Real& a, const Real& b, const Real& h_wanted, long step) {
  const Real h = representable_spacing(h_wanted);
  // + 4: room for the centre's rounding (h/2) and phase (< h), below
  const double want = static_cast<double>((b - a) / h) + 4;
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
  g.p.assign(n, Real(0));
  // lo = (h/512) L, L = 512 k - 256 (n - 1) + d: k the centre in spacings, d in [0, 512) a phase
  // drawn from the step number. Node j is (h/512)(L + 512 j), exact while |L| + 512 n < 2^32 (21 + 32
  // bits). The phase keeps one step's rounding from repeating at the next: on a law that does not
  // change (a target near gamma under a constant schedule) every step would interpolate at the same
  // offsets with the same rounding, which accumulated coherently (0.16 T u in KL's shape at T = 3000,
  // beta = 5e-4; with the phase 0.4 sqrt(T) u). A centre beyond 2^22 spacings keeps the exact grid
  // without the phase (h/2 multiples, to 2^29 spacings), then the rounded formula.
  const double centre = static_cast<double>((a + b) / 2 / h);
  if (std::abs(centre) < 4194304.0) {
    const long long phase = static_cast<long long>((static_cast<unsigned long long>(step) * 2654435761ULL >> 7) & 511);
    const long long L = 512 * std::llround(centre) - 256 * (n - 1) + phase;
    g.lo = h / 512 * Real(L);
  } else if (std::abs(centre) < 536870912.0) {
    const long long M = 2 * std::llround(centre) - (n - 1);
    g.lo = h / 2 * Real(M);
  } else {
    g.lo = (a + b) / 2 - h * Real(n - 1) / 2;
  }
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

template <class Real> Real tail_radius() {
  using std::log; using std::sqrt;
  return sqrt(-2 * log(unit_roundoff<Real>())) + 3;
}

// Scales a grid density to trapezoid mass 1.
template <class Real> void normalize(GridDensity<Real>& g) {
  CompensatedSum<Real> sum;
  for (const auto& v : g.p) sum.add(v);
  const Real mass = sum.value() * g.h;
  if (mass > 0) for (auto& v : g.p) v /= mass;
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
// (of p over its largest value: the squared magnitudes of a density that is tiny everywhere, e^-472
// on a grid that misses the law, underflowed to 0 and read as resolved)
template <class Real> Real spectral_tail(const std::vector<Real>& p) {
  RealFft<Real> fft;
  std::vector<Real> re, im, scaled(p);
  Real top(0);
  for (const auto& v : p) if (v > top) top = v;
  if (top > 0) for (auto& v : scaled) v /= top;
  fft.forward(scaled, re, im);
  return spectral_tail(re, im);
}

// The spectral_tail at or below which a grid counts as resolving its density: three orders above
// the roundoff of the sampled values (u relative each), so that a resolved law never refines, and
// far below any trapezoid error that matters (its 4th power).
template <class Real> Real resolved_tail() { return 1024 * unit_roundoff<Real>(); }

}  // namespace diffbound::detail
