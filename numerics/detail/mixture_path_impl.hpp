#pragma once
// Implementation of numerics/mixture_path.hpp (templates; instantiated once per number type).
// Pieces, one job each, under numerics/detail/mixture/; this header assembles a case from its lines.

#include "numerics/detail/mixture/error_model.hpp"
#include "numerics/detail/mixture/reduction.hpp"
#include "numerics/divergence.hpp"
#include "numerics/gaussian_path.hpp"
#include "numerics/mixture_path.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <type_traits>

namespace diffbound {

namespace detail {
// The closed-form Gaussian part of an axis-layout case in the line's number type. In double and long
// double it is computed in MPFR at 30 digits and rounded once, so that the 16 u |x| the caller charges
// for it is true: the Gaussian recursion in double is not accurate to a few ulps (variance 1e6, etc, T = 25,
// ddim, t_out = 0, d = 2: 380.75008050598507 against 380.750080505866, 3e-13 relative, which made the
// axis-layout mixture case of tests/numerics/test_mixture_truth_sweep.cpp's AxisLayoutWideVariance miss
// the truth by 1.2e-10 with an estimate of +-7e-12).
template <class Real> struct GaussianPart { Real kl, kl_q0_gamma, E_T, hellinger2, B_T, D_T, w2; };
template <class Real> GaussianPart<Real> gaussian_part_in(const CaseSpec& spec, const GaussianPathOptions& go) {
  if constexpr (std::is_same_v<Real, long double> || std::is_same_v<Real, double>) {
    PrecisionScope scope(30);
    const auto g = gaussian_path<mpfr_real>(spec, go);
    auto to = [](const mpfr_real& x) { return x.convert_to<Real>(); };
    return {to(g.kl), to(g.kl_q0_gamma), to(g.E_T), to(g.hellinger2), to(g.B_T), to(g.D_T), to(g.w2)};
  } else {
    const auto g = gaussian_path<Real>(spec, go);
    return {g.kl, g.kl_q0_gamma, g.E_T, g.hellinger2, g.B_T, g.D_T, g.w2};
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
  Estimate<Real> w2_squared;  // independent factors: W2^2 adds up (docs/math.md#w2)
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
    w2_squared.value += mult * lr.w2_squared.value;
    w2_squared.error += mult * lr.w2_squared.error;
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
    // (in double and extended: the closed form in MPFR at 30 digits, rounded once)
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
    w2_squared.value += gr.w2 * gr.w2;
    w2_squared.error += 16 * unit_roundoff<Real>() * gr.w2 * gr.w2;
  }
  // W2 with the error of W2^2 carried to the root: the lower side sqrt(v) - sqrt(v - e) is the larger
  {
    const Real v = max_of(w2_squared.value, Real(0));
    r.w2.value = sqrt(v);
    r.w2.error = r.w2.value - sqrt(max_of(Real(v - w2_squared.error), Real(0)));
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
  // (a DDNM+ case has sampler.kind = ddnm_plus: its lines agree with this)
  const bool deterministic = detail::mixture_deterministic(spec.sampler.kind);
  char buf[160];
  std::snprintf(buf, sizeof buf, "mixture-%s/h=%.3g%s,stencil=%d,points<=%ld", deterministic ? "inverse-map" : "fourier",
                spacing, resolution.refine || deterministic ? "+h/2" : "", resolution.stencil, points);
  r.method = buf;
  if (red.has_gaussian_part) r.method += "+gaussian-fast";
  return r;
}

}  // namespace diffbound
