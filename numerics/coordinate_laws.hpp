// A separable target as one 1-D law per coordinate (docs/math.md#gaussian-mixtures): a Gaussian with a diagonal
// covariance, a 1-D mixture, or a mixture in the `axis` / `product` layout all factor over coordinates,
// so densities, denoisers and mmse's are sums (or products) of 1-D quantities. A Gaussian coordinate is
// a one-component Mixture1D, which every consumer treats in closed form.
#pragma once

#include "numerics/case_spec.hpp"
#include "numerics/gaussian_target.hpp"
#include "numerics/input_error.hpp"
#include "numerics/mixture_target.hpp"
#include "numerics/real.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace diffbound {

// Validates the target (field names prefixed by `where`) and returns its d coordinate laws.
// A full covariance matrix is rejected: it does not factor over coordinates.
template <class Real> std::vector<Mixture1D<Real>> coordinate_laws(const TargetSpec& t, const std::string& where) {
  std::vector<Mixture1D<Real>> laws;
  if (t.family == Family::gaussian) {
    validate_gaussian(t.gaussian, where);
    if (t.gaussian.spectrum == Spectrum::matrix)
      throw InputError(where + ".covariance", "(full matrix)",
                       "this study needs a target that factors over coordinates (a diagonal covariance)");
    for (const auto& e : diagonal_entries<Real>(t.gaussian, where)) laws.push_back(gaussian_1d(e.mean, e.variance));
    return laws;
  }
  const MixtureSpec& m = t.mixture;
  validate_mixture(m, where);
  const Mixture1D<Real> line = mixture_1d<Real>(m);
  if (m.layout == MixtureLayout::product || m.dim == 1) return std::vector<Mixture1D<Real>>(m.dim, line);
  // axis: the mixture along the first coordinate, N(0, v) (the shared variance) along the others
  laws.push_back(line);
  const Mixture1D<Real> rest = gaussian_1d(Real(0), line.variance[0]);
  for (long i = 1; i < m.dim; ++i) laws.push_back(rest);
  return laws;
}

// A point of R^d given as decimal text: exactly d finite numbers (field `field`, entries `field[i]`).
template <class Real> std::vector<Real> parse_point(const std::vector<std::string>& text, long d, const std::string& field) {
  if (static_cast<long>(text.size()) != d)
    throw InputError(field, std::to_string(text.size()) + " entries", "must have d = " + std::to_string(d) + " entries");
  std::vector<Real> x;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::string name = d == 1 ? field : field + "[" + std::to_string(i) + "]";
    double v;
    try {
      v = from_decimal<double>(text[i]);
    } catch (...) {
      throw InputError(name, text[i], "must be a number");
    }
    if (!std::isfinite(v)) throw InputError(name, text[i], "must be a finite number");
    x.push_back(from_decimal<Real>(text[i]));
  }
  return x;
}

}  // namespace diffbound
