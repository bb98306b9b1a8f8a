#pragma once
// Neumaier-compensated summation, for the mixture engine's quadratures (numerics/mixture_path.hpp).

#include <cmath>

namespace diffbound::detail {

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

}  // namespace diffbound::detail
