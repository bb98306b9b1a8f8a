// Noise schedules of the discrete VP forward chain (docs/math.md#forward-process), in any number type.
#pragma once

#include "numerics/real.hpp"

#include <string>
#include <vector>

namespace diffbound {

// exponential: the continuous-time samplers' exponential beta(t) (numerics/vp_schedule.hpp); the discrete
// chains refuse it
enum class ScheduleKind { etc, linear, cosine, constant, table, exponential };

// What a case file says about the schedule. Numbers are kept as decimal text so that every number
// type (including intervals) reads the exact decimal the user wrote.
struct ScheduleSpec {
  ScheduleKind kind = ScheduleKind::etc;
  long steps = 0;
  std::string c = "4";          // etc
  std::string delta = "0.001";  // etc
  std::string b_min = "0.1";    // linear
  std::string b_max = "20";     // linear
  std::string s = "0.008";      // cosine offset
  std::string eta;              // constant
  std::vector<std::string> betas;  // table
  // the general VP SDE of the continuous-time samplers (docs/math.md#vp-sde-general, numerics/vp_schedule.hpp)
  std::string rate;              // exponential: a != 0
  std::string horizon = "1";     // T_f
  std::string sigma_inf = "1";   // stationary standard deviation
};

std::string to_string(ScheduleKind kind);

// beta[t], alpha[t], alpha_bar[t] and 1 - alpha_bar[t] for t = 0..T (index 0 holds the t = 0 values:
// beta = 0, alpha = 1, alpha_bar = 1). 1 - alpha_bar is accumulated as -expm1(sum log1p(-beta)) so it
// keeps full relative accuracy when alpha_bar is close to 1.
template <class Real> struct Schedule {
  long steps = 0;
  std::vector<Real> beta, alpha, alpha_bar, one_minus_alpha_bar;
};

// Builds the schedule, or throws InputError naming the field ("schedule.betas[7]") and the value when
// some beta is not certainly inside (0, 1).
template <class Real> Schedule<Real> make_schedule(const ScheduleSpec& spec);

extern template Schedule<double> make_schedule<double>(const ScheduleSpec&);
extern template Schedule<long double> make_schedule<long double>(const ScheduleSpec&);
extern template Schedule<mpfr_real> make_schedule<mpfr_real>(const ScheduleSpec&);
extern template Schedule<interval_real> make_schedule<interval_real>(const ScheduleSpec&);

}  // namespace diffbound
