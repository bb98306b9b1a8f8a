#pragma once
// numerics/vp_reference.hpp, implementation.

#include "numerics/vp_reference.hpp"
#include "numerics/detail/gaussian_path_fast_impl.hpp"  // fast_directions
#include "numerics/divergence.hpp"
#include "numerics/vp_schedule.hpp"

namespace diffbound {

template <class Real> VpReferenceDistances<Real> vp_reference_distances(const CaseSpec& spec) {
  using std::sqrt;
  const auto vp = make_vp_schedule<Real>(spec.schedule);
  const Real s2 = vp.sigma_inf2;
  const Real mu2 = vp.mu2(vp.horizon);
  const bool from_stationary = spec.sampler.init == Init::gaussian;
  VpReferenceDistances<Real> r{Real(0), Real(0), Real(0), Real(0)};
  Real w2q0(0), w2init(0);
  for (const auto& dir : detail::fast_directions<Real>(spec)) {
    const Real mult(dir.multiplicity);
    const Real dev = dir.lambda - s2;  // lambda - sigma_inf^2, exact from the decimals
    // N(0, s2) against N(m, lambda): deviation of the second from the first
    r.kl_q0_stationary += mult * (phi_of_ratio(Real(dir.lambda / s2), Real(dev / s2)) + dir.mean * dir.mean / s2) / 2;
    w2q0 += mult * w2_squared_from_deviation(s2, dev, dir.mean);
    // Q_{T_f} = N(mu m, mu^2 lambda + sigma^2) = N(mu m, s2 + mu^2 (lambda - s2))
    if (from_stationary) w2init += mult * w2_squared_from_deviation(s2, Real(mu2 * dev), Real(sqrt(mu2) * dir.mean));
    r.mean_norm2 += mult * dir.mean * dir.mean;
  }
  r.w2_q0_stationary = sqrt(w2q0);
  r.w2_init = sqrt(w2init);
  return r;
}

}  // namespace diffbound
