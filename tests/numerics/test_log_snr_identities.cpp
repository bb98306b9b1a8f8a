// The log-SNR identities of docs/math.md#identities (numerics/log_snr_identities.hpp): the quadrature side against
// the exact log-density, written out here independently of the library (a direct sum of Gaussian
// densities, no log-sum-exp), at 1e-10 in double and 1e-25 in MPFR at 40 digits.
#include "numerics/input_error.hpp"
#include "numerics/log_snr_identities.hpp"

#include "tests/input_error_field.hpp"

#include <gtest/gtest.h>

#include <boost/math/constants/constants.hpp>

#include <cmath>

namespace diffbound {
namespace {

TargetSpec gaussian_target(long d, std::vector<std::string> eigenvalues, std::vector<std::string> mean) {
  TargetSpec t;
  t.family = Family::gaussian;
  t.gaussian.dim = d;
  t.gaussian.spectrum = Spectrum::list;
  t.gaussian.eigenvalues = std::move(eigenvalues);
  t.gaussian.mean = std::move(mean);
  return t;
}

TargetSpec mixture_target(long d, MixtureLayout layout, std::vector<std::string> w, std::vector<std::string> m,
                          std::vector<std::string> v) {
  TargetSpec t;
  t.family = Family::mixture;
  t.mixture.dim = d;
  t.mixture.layout = layout;
  t.mixture.weights = std::move(w);
  t.mixture.means = std::move(m);
  t.mixture.variances = std::move(v);
  return t;
}

// log of a 1-D mixture density, summed directly.
template <class Real>
Real log_mixture(const std::vector<std::string>& w, const std::vector<std::string>& m, const std::vector<std::string>& v,
                 const Real& x) {
  using std::exp; using std::log; using std::sqrt;
  Real sum(0);
  const Real two_pi = 2 * boost::math::constants::pi<Real>();
  for (std::size_t k = 0; k < w.size(); ++k) {
    const Real vk = from_decimal<Real>(v[k]), d = x - from_decimal<Real>(m[k]);
    sum += from_decimal<Real>(w[k]) * exp(Real(-d * d / (2 * vk))) / sqrt(Real(two_pi * vk));
  }
  return log(sum);
}

// Independent exact log p(x) of the test targets (diagonal Gaussians, mixtures in any layout).
template <class Real> Real exact_log_density(const TargetSpec& t, const std::vector<std::string>& x) {
  Real sum(0);
  const long d = t.dim();
  for (long i = 0; i < d; ++i) {
    const Real xi = from_decimal<Real>(x[i]);
    if (t.family == Family::gaussian) {
      const std::string& mean = t.gaussian.mean.size() == 1 ? t.gaussian.mean[0] : t.gaussian.mean[i];
      sum += log_mixture<Real>({"1"}, {mean}, {t.gaussian.eigenvalues[i]}, xi);
    } else if (t.mixture.layout == MixtureLayout::product || i == 0) {
      sum += log_mixture<Real>(t.mixture.weights, t.mixture.means, t.mixture.variances, xi);
    } else {
      sum += log_mixture<Real>({"1"}, {"0"}, {t.mixture.variances[0]}, xi);
    }
  }
  return sum;
}

struct Case {
  const char* name;
  TargetSpec target;
  std::vector<std::vector<std::string>> points;
};

std::vector<Case> cases() {
  return {
      {"gaussian-1d", gaussian_target(1, {"0.3"}, {"0.7"}), {{"0"}, {"0.7"}, {"-2.5"}, {"4"}}},
      {"gaussian-3d", gaussian_target(3, {"2", "0.5", "0.05"}, {"1", "-0.5", "0.25"}),
       {{"0", "0", "0"}, {"1", "-0.5", "0.25"}, {"-1.5", "2", "0.6"}}},
      {"mixture-2", mixture_target(1, MixtureLayout::axis, {"0.3", "0.7"}, {"-2", "1.5"}, {"0.25", "0.5"}),
       {{"-2"}, {"0"}, {"0.4"}, {"3"}}},
      {"mixture-3", mixture_target(1, MixtureLayout::axis, {"0.2", "0.5", "0.3"}, {"-3", "0", "2.5"}, {"0.4", "1", "0.1"}),
       {{"-3"}, {"-1.2"}, {"2.4"}}},
      {"axis-3d", mixture_target(3, MixtureLayout::axis, {"0.5", "0.5"}, {"-1.5", "1.5"}, {"0.3", "0.3"}),
       {{"0", "0", "0"}, {"1.2", "-0.4", "0.9"}}},
      {"product-2d", mixture_target(2, MixtureLayout::product, {"0.4", "0.6"}, {"-1", "2"}, {"0.5", "0.2"}),
       {{"-1", "2"}, {"0.5", "0.3"}}},
  };
}

template <class Real> void check_density(const Case& c, double tolerance, bool first_point_only) {
  for (const auto& x : c.points) {
    const auto r = density_identity<Real>(c.target, x);
    const Real exact = -exact_log_density<Real>(c.target, x);
    const double err = std::abs(static_cast<double>(Real(r.rhs - exact)));
    EXPECT_LE(err, tolerance * std::max(1.0, std::abs(static_cast<double>(exact)))) << c.name << " at " << x[0];
    EXPECT_LE(std::abs(static_cast<double>(Real(r.lhs - exact))), tolerance) << c.name;
    // the estimate must cover the actual error (and not be vacuous)
    EXPECT_LE(err, static_cast<double>(r.error_estimate)) << c.name << " at " << x[0];
    EXPECT_LT(static_cast<double>(r.error_estimate), tolerance) << c.name;
    if (first_point_only) break;
  }
}

template <class Real> void check_classifier(const Case& c, const std::string& zeta, double tolerance, bool first_point_only) {
  using std::sqrt;
  // p_zeta of every test target is again of the same kind, with the parameters mapped by
  // m -> sqrt(s) m, v -> s v + (1 - s), s = sigma(zeta); written here as decimal text at 40+ digits
  const double zd = std::stod(zeta);
  (void)zd;
  for (const auto& x : c.points) {
    const auto r = noise_classifier_identity<Real>(c.target, x, zeta);
    const Real lp = exact_log_density<Real>(c.target, x);
    // independent log p_zeta: p_zeta(x) = E_X N(x; sqrt(s) X, 1 - s); per coordinate a mixture again
    const Real z = from_decimal<Real>(zeta);
    using std::exp;
    const Real s = 1 / (1 + exp(Real(-z)));
    Real lz(0);
    for (long i = 0; i < c.target.dim(); ++i) {
      const Real xi = from_decimal<Real>(x[i]);
      std::vector<std::string> w, m, v;
      auto add = [&](const std::string& wk, const std::string& mk, const std::string& vk) {
        w.push_back(wk);
        m.push_back(to_decimal(Real(sqrt(s) * from_decimal<Real>(mk))));
        v.push_back(to_decimal(Real(s * from_decimal<Real>(vk) + (1 - s))));
      };
      if (c.target.family == Family::gaussian) {
        add("1", c.target.gaussian.mean.size() == 1 ? c.target.gaussian.mean[0] : c.target.gaussian.mean[i],
            c.target.gaussian.eigenvalues[i]);
      } else if (c.target.mixture.layout == MixtureLayout::product || i == 0) {
        for (std::size_t k = 0; k < c.target.mixture.weights.size(); ++k)
          add(c.target.mixture.weights[k], c.target.mixture.means[k], c.target.mixture.variances[k]);
      } else {
        add("1", "0", c.target.mixture.variances[0]);
      }
      lz += log_mixture<Real>(w, m, v, xi);
    }
    const Real exact = lz - lp;
    const double err = std::abs(static_cast<double>(Real(r.rhs - exact)));
    EXPECT_LE(err, tolerance) << c.name << " zeta " << zeta << " at " << x[0];
    EXPECT_LE(std::abs(static_cast<double>(Real(r.lhs - exact))), tolerance) << c.name;
    EXPECT_LE(err, static_cast<double>(r.error_estimate)) << c.name;
    EXPECT_LT(static_cast<double>(r.error_estimate), tolerance) << c.name;
    const auto pc = clean_probability(r);
    EXPECT_LE(std::abs(static_cast<double>(Real(pc.exact - pc.from_integral))), tolerance) << c.name;
    if (first_point_only) break;
  }
}

TEST(DensityIdentity, DoubleAgainstExactLogDensity) {
  for (const auto& c : cases()) check_density<double>(c, 1e-10, false);
}

TEST(NoiseClassifierIdentity, DoubleAgainstExactLogRatio) {
  for (const auto& c : cases())
    for (const char* zeta : {"-2", "0.5", "3"}) check_classifier<double>(c, zeta, 1e-10, false);
}

TEST(DensityIdentity, Mpfr40DigitsAgainstExactLogDensity) {
  PrecisionScope scope(40);
  for (const auto& c : cases()) check_density<mpfr_real>(c, 1e-25, c.target.family == Family::mixture);
}

TEST(NoiseClassifierIdentity, Mpfr40DigitsAgainstExactLogRatio) {
  PrecisionScope scope(40);
  const auto all = cases();
  // d-dim separable layouts at 40 digits are covered by the density test (same integrator, same laws)
  for (const auto* c : {&all[1], &all[3]}) check_classifier<mpfr_real>(*c, "0.5", 1e-25, true);
}

TEST(NoiseClassifierIdentity, ShiftedLevelPredictorMatchesDirectMmse) {
  // docs/math.md#identities: the optimal predictor for p_zeta at level a is sqrt(sigma(-a)/sigma(-a')) eps_hat(z, a');
  // the direct route uses Stein's form on p_zeta, the other squares the shifted predictor's error.
  const auto target = cases()[3].target;
  for (const char* a : {"-3", "0", "2.5", "6"})
    for (const char* x : {"-3", "0.3"}) {
      const auto r = zeta_mmse_both_ways<double>(target, x, "1", a);
      EXPECT_NEAR(r.direct, r.via_shifted_level, 1e-12) << "a = " << a << ", x = " << x;
    }
}

TEST(LogSnrIdentities, BadInputNamesTheField) {
  const auto target = cases()[2].target;
  EXPECT_EQ(testing::field_of([&] { density_identity<double>(target, {"nan"}); }), "point");
  EXPECT_EQ(testing::field_of([&] { density_identity<double>(target, {"inf"}); }), "point");
  EXPECT_EQ(testing::field_of([&] { density_identity<double>(target, {"1", "2"}); }), "point");
  const auto axis = cases()[4].target;
  EXPECT_EQ(testing::field_of([&] { density_identity<double>(axis, {"0", "nan", "1"}); }), "point[1]");
  EXPECT_EQ(testing::field_of([&] { noise_classifier_identity<double>(target, {"0"}, "nan"); }), "zeta");
  EXPECT_EQ(testing::field_of([&] { noise_classifier_identity<double>(target, {"0"}, "inf"); }), "zeta");
  TargetSpec full = gaussian_target(2, {}, {"0"});
  full.gaussian.spectrum = Spectrum::matrix;
  full.gaussian.covariance = {{"1", "0.5"}, {"0.5", "1"}};
  EXPECT_EQ(testing::field_of([&] { density_identity<double>(full, {"0", "0"}); }), "target.covariance");
}

}  // namespace
}  // namespace diffbound

namespace diffbound {
namespace {
TEST(LogSnrIdentities, RefusesMixturesTooSharpForTheQuadrature) {
  // two components of variance 1e-12 at distance 2: ~10^6 epsilon nodes per expectation would be needed
  const auto t = mixture_target(1, MixtureLayout::axis, {"0.5", "0.5"}, {"-1", "1"}, {"1e-12", "1e-12"});
  EXPECT_THROW(density_identity<double>(t, {"0.1"}), std::runtime_error);
}
}  // namespace
}  // namespace diffbound
