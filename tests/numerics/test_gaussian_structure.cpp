// Hidden Gaussian structure (numerics/gaussian_structure.hpp): the LMMSE fit from the normal equations
// equals D_gauss; a Gaussian's posterior mean is D_gauss; the nonlinearity gap against a brute-force
// midpoint quadrature over Y's density, its limits, and bad input.
#include "numerics/gaussian_structure.hpp"
#include "numerics/input_error.hpp"

#include "tests/input_error_field.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace diffbound {
namespace {

TargetSpec mixture_target(long d, MixtureLayout layout, std::vector<std::string> w, std::vector<std::string> m,
                          std::vector<std::string> v) {
  TargetSpec t;
  t.family = Family::mixture;
  t.mixture = {d, layout, std::move(w), std::move(m), std::move(v)};
  return t;
}

TargetSpec gaussian_3d() {
  TargetSpec t;
  t.gaussian.dim = 3;
  t.gaussian.spectrum = Spectrum::list;
  t.gaussian.eigenvalues = {"2", "0.5", "0.05"};
  t.gaussian.mean = {"1", "-0.5", "0.25"};
  return t;
}

std::vector<TargetSpec> mixtures() {
  return {mixture_target(1, MixtureLayout::axis, {"0.3", "0.7"}, {"-2", "1.5"}, {"0.25", "0.5"}),
          mixture_target(1, MixtureLayout::axis, {"0.2", "0.5", "0.3"}, {"-3", "0", "2.5"}, {"0.4", "1", "0.1"}),
          mixture_target(3, MixtureLayout::axis, {"0.5", "0.5"}, {"-1.5", "1.5"}, {"0.3", "0.3"}),
          mixture_target(3, MixtureLayout::product, {"0.4", "0.6"}, {"-1", "2"}, {"0.5", "0.2"})};
}

template <class Real> double max_difference(const AffineDenoiser<Real>& x, const AffineDenoiser<Real>& y) {
  double worst = 0;
  for (long i = 0; i < x.A.rows(); ++i) {
    for (long j = 0; j < x.A.cols(); ++j) worst = std::max(worst, std::abs(static_cast<double>(Real(x.A(i, j) - y.A(i, j)))));
    worst = std::max(worst, std::abs(static_cast<double>(Real(x.b(i) - y.b(i)))));
  }
  return worst;
}

TEST(GaussianStructure, LmmseFitIsTheGaussianDenoiser) {
  // the normal equations are solved by LU with exact moments: agreement to a few hundred u (the
  // system's condition number is ~ (E|X|^2 + 1) / sigma^2)
  for (const auto& t : mixtures())
    for (const char* s : {"0.05", "0.7", "3"}) {
      const double sigma = std::stod(s);
      const double diff = max_difference(lmmse_denoiser<double>(t, sigma), gaussian_denoiser<double>(t, sigma));
      EXPECT_LE(diff, 1e-13) << "sigma " << s;
    }
  PrecisionScope scope(40);
  for (const auto& t : mixtures()) {
    const mpfr_real sigma("0.7");
    EXPECT_LE(max_difference(lmmse_denoiser<mpfr_real>(t, sigma), gaussian_denoiser<mpfr_real>(t, sigma)), 1e-36);
  }
}

TEST(GaussianStructure, GaussianPosteriorMeanIsTheGaussianDenoiser) {
  const auto t = gaussian_3d();
  for (double sigma : {0.01, 0.5, 4.0}) {
    const auto D = gaussian_denoiser<double>(t, sigma);
    const auto lm = lmmse_denoiser<double>(t, sigma);
    EXPECT_LE(max_difference(D, lm), 1e-14);
    const std::vector<double> y = {0.3, -2.0, 1.1};
    const auto post = posterior_mean_denoiser<double>(t, y, sigma);
    for (long i = 0; i < 3; ++i) {
      double lin = D.b(i);
      for (long j = 0; j < 3; ++j) lin += D.A(i, j) * y[j];
      EXPECT_NEAR(post[i], lin, 1e-15 * (1 + std::abs(lin)));
    }
    EXPECT_EQ(nonlinearity_gap<double>(t, sigma).value, 0.0);
  }
}

// Brute force: midpoint rule over y on a wide fine grid against the mixture density of Y, with D from
// the posterior-mean routine and D_gauss from the LMMSE fit (the routes the gap does not use).
double brute_force_gap_1d(const TargetSpec& t, double sigma) {
  const auto& m = t.mixture;
  const auto lm = lmmse_denoiser<double>(t, sigma);
  double sum = 0;
  // [-25, 25] holds Y's mass to ~1e-30 for sigma <= 2 (|D - D_gauss| grows only linearly)
  const double h = 1e-3;
  for (long i = 0; i <= 50000; ++i) {
    const double y = -25 + i * h;
    double dens = 0;
    for (std::size_t k = 0; k < m.weights.size(); ++k) {
      const double c = std::stod(m.variances[k]) + sigma * sigma, d = y - std::stod(m.means[k]);
      dens += std::stod(m.weights[k]) * std::exp(-d * d / (2 * c)) / std::sqrt(2 * M_PI * c);
    }
    const double diff = posterior_mean_denoiser<double>(t, {y}, sigma)[0] - (lm.A(0, 0) * y + lm.b(0));
    sum += dens * diff * diff * h;
  }
  return sum;
}

TEST(GaussianStructure, GapAgainstBruteForceQuadrature) {
  for (const auto& t : {mixtures()[0], mixtures()[1]})
    for (double sigma : {0.1, 0.6, 2.0}) {
      const auto g = nonlinearity_gap<double>(t, sigma);
      EXPECT_NEAR(g.value, brute_force_gap_1d(t, sigma), 1e-9 * (1 + g.value)) << "sigma " << sigma;
      EXPECT_LT(g.error_estimate, 1e-12);
      EXPECT_GT(g.value, 1e-6);
    }
  // MPFR agrees with double within the double estimate
  PrecisionScope scope(40);
  const auto t = mixtures()[1];
  const auto gm = nonlinearity_gap<mpfr_real>(t, mpfr_real("0.6"));
  const auto gd = nonlinearity_gap<double>(t, 0.6);
  EXPECT_LE(std::abs(static_cast<double>(gm.value) - gd.value), gd.error_estimate + 1e-15);
  EXPECT_LT(static_cast<double>(gm.error_estimate), 1e-30);
}

TEST(GaussianStructure, GapOfSeparableLayoutsIsASumOfLineGaps) {
  const auto line = mixture_target(1, MixtureLayout::product, {"0.4", "0.6"}, {"-1", "2"}, {"0.5", "0.2"});
  const double g1 = nonlinearity_gap<double>(line, 0.5).value;
  EXPECT_NEAR(nonlinearity_gap<double>(mixtures()[3], 0.5).value, 3 * g1, 1e-14);
  const auto axis_line = mixture_target(1, MixtureLayout::axis, {"0.5", "0.5"}, {"-1.5", "1.5"}, {"0.3", "0.3"});
  EXPECT_NEAR(nonlinearity_gap<double>(mixtures()[2], 0.5).value, nonlinearity_gap<double>(axis_line, 0.5).value, 1e-15);
}

TEST(GaussianStructure, GapVanishesAtBothEndsOfTheNoiseScale) {
  // D - D_gauss = sigma^2 (score of Y + (y - mu) / (V + sigma^2)): O(sigma^4) Fisher-information
  // terms as sigma -> 0, and both denoisers tend to mu + Cov/sigma^2 (y - mu) as sigma -> inf
  for (const auto& t : {mixtures()[0], mixtures()[1]}) {
    const double mid = nonlinearity_gap<double>(t, 1.0).value;
    const double g_small = nonlinearity_gap<double>(t, 1e-3).value, g_large = nonlinearity_gap<double>(t, 1e3).value;
    EXPECT_LT(g_small, 1e-6 * mid);
    EXPECT_LT(g_large, 1e-6 * mid);
    EXPECT_LT(nonlinearity_gap<double>(t, 1e-2).value, nonlinearity_gap<double>(t, 1e-1).value);
  }
  // a "mixture" of two equal components is a Gaussian: gap 0 to rounding
  const auto twin = mixture_target(1, MixtureLayout::axis, {"0.5", "0.5"}, {"0.3", "0.3"}, {"0.4", "0.4"});
  EXPECT_LT(nonlinearity_gap<double>(twin, 0.5).value, 1e-28);
}

TEST(GaussianStructure, SmallNoiseGapIsFisherInformationExcess) {
  // D - D_gauss = sigma^2 [(y - mu)/(V + sigma^2) + (log p_Y)'(y)], so gap / sigma^4 -> E(s + (X - mu)/V)^2
  // = J - 1/V (J the Fisher information of X, E[s (X - mu)] = -1 by parts). J by a direct midpoint sum.
  const auto t = mixtures()[0];
  const double w[] = {0.3, 0.7}, m[] = {-2, 1.5}, v[] = {0.25, 0.5};
  double J = 0, mu = 0, second = 0;
  const double h = 1e-4;
  for (long i = 0; i <= 300000; ++i) {
    const double y = -15 + i * h;
    double p = 0, dp = 0;
    for (int k = 0; k < 2; ++k) {
      const double g = w[k] * std::exp(-(y - m[k]) * (y - m[k]) / (2 * v[k])) / std::sqrt(2 * M_PI * v[k]);
      p += g;
      dp -= g * (y - m[k]) / v[k];
    }
    if (p > 0) J += dp * dp / p * h;
  }
  for (int k = 0; k < 2; ++k) {
    mu += w[k] * m[k];
    second += w[k] * (v[k] + m[k] * m[k]);
  }
  const double V = second - mu * mu;
  for (double sigma : {1e-6, 1e-9}) {
    const double ratio = nonlinearity_gap<double>(t, sigma).value / std::pow(sigma, 4);
    EXPECT_NEAR(ratio, J - 1 / V, 1e-8 * J) << "sigma " << sigma;
  }
}

TEST(GaussianStructure, BadNoiseLevelNamesTheField) {
  const auto t = mixtures()[0];
  EXPECT_EQ(testing::field_of([&] { nonlinearity_gap<double>(t, 0.0); }), "noise_level");
  EXPECT_EQ(testing::field_of([&] { nonlinearity_gap<double>(t, -1.0); }), "noise_level");
  EXPECT_EQ(testing::field_of([&] { gaussian_denoiser<double>(t, std::nan("")); }), "noise_level");
  EXPECT_EQ(testing::field_of([&] { noise_level<double>("0", "noise_levels[2]"); }), "noise_levels[2]");
  EXPECT_EQ(testing::field_of([&] { noise_level<double>("abc"); }), "noise_level");
  EXPECT_EQ(testing::field_of([&] { posterior_mean_denoiser<double>(t, {0.0, 1.0}, 1.0); }), "point");
}

}  // namespace
}  // namespace diffbound
