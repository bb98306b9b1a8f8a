#include "numerics/mixture_target.hpp"

#include <cmath>

namespace diffbound {

namespace {

double finite_entry(const std::vector<std::string>& list, std::size_t i, const std::string& field) {
  const std::string name = field + "[" + std::to_string(i) + "]";
  double v;
  try {
    v = from_decimal<double>(list[i]);
  } catch (...) {
    throw InputError(name, list[i], "must be a number");
  }
  if (!std::isfinite(v)) throw InputError(name, list[i], "must be a finite number");
  return v;
}

}  // namespace

void validate_mixture(const MixtureSpec& m, const std::string& where) {
  if (m.dim < 1) throw InputError(where + ".dim", std::to_string(m.dim), "must be at least 1");
  // Each layout reduces to 1-D grids of a few thousand points, so any dim fits; this cap only keeps
  // products of per-coordinate results away from overflow in the reports.
  if (m.dim > 1000000) throw InputError(where + ".dim", std::to_string(m.dim), "must be at most 1000000");
  const std::size_t K = m.weights.size();
  if (K == 0) throw InputError(where + ".weights", "(empty)", "a mixture needs at least one component");
  if (m.means.size() != K)
    throw InputError(where + ".means", std::to_string(m.means.size()) + " entries",
                     "must have as many entries as " + where + ".weights (" + std::to_string(K) + ")");
  if (m.variances.size() != K)
    throw InputError(where + ".variances", std::to_string(m.variances.size()) + " entries",
                     "must have as many entries as " + where + ".weights (" + std::to_string(K) + ")");
  double total = 0;
  for (std::size_t k = 0; k < K; ++k) {
    const double w = finite_entry(m.weights, k, where + ".weights");
    if (w < 0) throw InputError(where + ".weights[" + std::to_string(k) + "]", m.weights[k], "must not be negative");
    total += w;
    finite_entry(m.means, k, where + ".means");
    const double v = finite_entry(m.variances, k, where + ".variances");
    if (!(v > 0)) throw InputError(where + ".variances[" + std::to_string(k) + "]", m.variances[k], "must be positive");
  }
  if (!(std::abs(total - 1) <= 1e-12)) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "sum %.17g", total);
    throw InputError(where + ".weights", buf, "the weights must sum to 1 (within 1e-12)");
  }
  if (m.layout == MixtureLayout::axis && m.dim > 1) {
    for (std::size_t k = 1; k < K; ++k)
      if (from_decimal<double>(m.variances[k]) != from_decimal<double>(m.variances[0]))
        throw InputError(where + ".variances[" + std::to_string(k) + "]", m.variances[k],
                         "layout = \"axis\" with dim > 1 needs one shared variance (variances[0] = " + m.variances[0] +
                             "): the components may differ only along the first coordinate");
  }
}

}  // namespace diffbound
