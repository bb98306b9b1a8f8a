#pragma once
// Divergences by quadrature on grids: KL(Q_t || gamma) of a mixture, and KL, Hellinger^2 and TV
// between a sampled output density and the target, with the tails below the noise floor continued.

#include "numerics/detail/log_sum_exp.hpp"
#include "numerics/detail/mixture/grid.hpp"
#include "numerics/divergence.hpp"
#include "numerics/mixture_target.hpp"

#include <boost/math/constants/constants.hpp>

#include <vector>

namespace diffbound::detail {

// log q_t(x) - log gamma(x) without cancellation (E_T and KL(Q_0 || gamma) are tiny when Q_t is
// close to gamma): per component the exponent is -log(S)/2 + (x^2 ab(v-1) + 2 x sqrt(ab) m -
// ab m^2) / (2 S), S = 1 + ab(v - 1), and the mixture is log1p(sum w_k expm1(a_k)). S is the
// component's variance at time t, taken as (1 - ab) + ab v: written 1 + ab(v - 1) it loses every digit
// of a narrow component (v = 1e-6 at ab = 1: S = 1e-6 to 1e-10 relative, and x^2/(2S) ~ 5e5 at x ~ 1
// carried 5e-5 into log gamma, 1.4e-5 into KL(Q_0 || gamma): tests/numerics/test_mixture_truth_sweep.cpp).
template <class Real> Real log_ratio_to_gamma(const Mixture1D<Real>& q0, const Real& ab, const Real& omab, const Real& x) {
  using std::abs; using std::expm1; using std::log; using std::log1p; using std::sqrt;
  const Real r = sqrt(ab);
  std::vector<Real> a(q0.size());
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
  }
  const Real top = max_term(a.data(), a.size());
  if (top > Real(0.5) || top < Real(-0.5))  // far from gamma: plain log-sum-exp is accurate there
    return log_sum_exp(a.data(), a.size(), q0.weight.data());
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
  Real w2_squared = Real(0), w2_x_max = Real(0);  // filled by the caller (mixture/wasserstein.hpp)
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
    // charge what the continued tails leave uncertain: with log p off by delta (|delta| <= e), the
    // generalized integrand q phi(p/q - 1) moves by (p - q) delta + p (e^delta - 1 - delta), i.e. by
    // at most |p - q| e + p e^2 for e <= 1 -- not q e, the sensitivity of int q log(q/p) alone, which
    // overcharged by q/|p - q| (1e-16 absolute where the true error was 1e-19, KL ~ 1e-9). (p is the
    // continued value; the true one is within a factor e^e of it, hence 2 p e.)
    if (logp_uncertainty) {
      const Real e = (*logp_uncertainty)[j];
      dropped += e <= 1 ? (abs(Real(pp - q)) + 2 * pp * e) * e : q * e + pp * expm1(e);
    }
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

}  // namespace diffbound::detail
