#pragma once
// The mixture engine's transforms: complex and real-input radix-2 FFTs in any number type.

#include <boost/math/constants/constants.hpp>

#include <utility>
#include <vector>

namespace diffbound::detail {

template <class Real> Real two_pi() { return 2 * boost::math::constants::pi<Real>(); }

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

}  // namespace diffbound::detail
