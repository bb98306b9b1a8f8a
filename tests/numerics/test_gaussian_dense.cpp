// The dense path on a randomly rotated problem equals the fast path on the diagonal one (a joint
// rotation of target, training distribution and score error leaves every quantity unchanged).
#include "case_builders.hpp"
#include "numerics/gaussian_path.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace diffbound;
using namespace diffbound::testing;

namespace {

using MatrixM = std::vector<std::vector<mpfr_real>>;

// Random orthogonal matrix (Gram-Schmidt of a seeded Gaussian matrix) at 80 digits.
MatrixM random_rotation(int d, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> n;
  MatrixM q(d, std::vector<mpfr_real>(d));
  for (int j = 0; j < d; ++j) {
    std::vector<mpfr_real> v(d);
    for (auto& x : v) x = n(gen);
    for (int k = 0; k < j; ++k) {
      mpfr_real dot = 0;
      for (int i = 0; i < d; ++i) dot += v[i] * q[i][k];
      for (int i = 0; i < d; ++i) v[i] -= dot * q[i][k];
    }
    mpfr_real norm = 0;
    for (auto& x : v) norm += x * x;
    norm = sqrt(norm);
    for (int i = 0; i < d; ++i) q[i][j] = v[i] / norm;
  }
  return q;
}

std::string dec(const mpfr_real& x) { return x.str(70, std::ios_base::scientific); }

GaussianSpec rotated(const MatrixM& U, const std::vector<mpfr_real>& lam, const std::vector<mpfr_real>& mean) {
  const int d = static_cast<int>(lam.size());
  GaussianSpec g;
  g.dim = d;
  g.spectrum = Spectrum::matrix;
  g.covariance.assign(d, std::vector<std::string>(d));
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < d; ++j) {
      mpfr_real s = 0;
      for (int k = 0; k < d; ++k) s += U[i][k] * lam[k] * U[j][k];
      g.covariance[i][j] = dec(s);
    }
  g.mean.clear();
  for (int i = 0; i < d; ++i) {
    mpfr_real s = 0;
    for (int k = 0; k < d; ++k) s += U[i][k] * mean[k];
    g.mean.push_back(dec(s));
  }
  return g;
}

GaussianSpec diagonal(const std::vector<mpfr_real>& lam, const std::vector<mpfr_real>& mean) {
  GaussianSpec g;
  g.dim = static_cast<long>(lam.size());
  g.spectrum = Spectrum::list;
  for (auto& l : lam) g.eigenvalues.push_back(dec(l));
  g.mean.clear();
  for (auto& m : mean) g.mean.push_back(dec(m));
  return g;
}

struct Pair { CaseSpec diagonal, rotated; std::string what; };

std::vector<Pair> pairs() {
  PrecisionScope p(80);
  const int d = 5;
  const auto U = random_rotation(d, 7);
  const std::vector<mpfr_real> lam = {mpfr_real("1"), mpfr_real("0.3"), mpfr_real("0.05"), mpfr_real("2.5"), mpfr_real("0.01")};
  const std::vector<mpfr_real> mean = {mpfr_real("0.2"), mpfr_real("-0.5"), mpfr_real("0"), mpfr_real("1.1"), mpfr_real("0.3")};
  const std::vector<mpfr_real> lam_train = {mpfr_real("1"), mpfr_real("1"), mpfr_real("0.5"), mpfr_real("2"), mpfr_real("0.02")};
  const std::vector<mpfr_real> mean_train = {mpfr_real("0"), mpfr_real("-0.4"), mpfr_real("0.1"), mpfr_real("1"), mpfr_real("0")};
  const std::vector<mpfr_real> dir = {mpfr_real("1"), mpfr_real("-2"), mpfr_real("0.5"), mpfr_real("0"), mpfr_real("1")};
  std::vector<Pair> out;
  for (const auto& s : kAllSamplers)
    for (int score = 0; score < 4; ++score) {
      Pair pr;
      CaseSpec c;
      c.schedule.kind = ScheduleKind::cosine;
      c.schedule.steps = 40;
      c.sampler = sampler_of(s.kind, s.variance, score % 2);
      pr.diagonal = c;
      pr.rotated = c;
      pr.diagonal.target.gaussian = diagonal(lam, mean);
      pr.rotated.target.gaussian = rotated(U, lam, mean);
      if (score == 1) {
        for (auto* x : {&pr.diagonal, &pr.rotated}) x->score.kind = ScoreKind::mismatched;
        TargetSpec td, tr;
        td.gaussian = diagonal(lam_train, mean_train);
        tr.gaussian = rotated(U, lam_train, mean_train);
        pr.diagonal.score.train = td;
        pr.rotated.score.train = tr;
      } else if (score >= 2) {
        for (auto* x : {&pr.diagonal, &pr.rotated}) {
          x->score.kind = ScoreKind::perturbed;
          x->score.epsilon = "0.3";
          x->score.perturbation = score == 2 ? Perturbation::constant : Perturbation::scale;
        }
        if (score == 2) {
          for (int i = 0; i < d; ++i) {
            pr.diagonal.score.direction.push_back(dec(dir[i]));
            mpfr_real v = 0;
            for (int k = 0; k < d; ++k) v += U[i][k] * dir[k];
            pr.rotated.score.direction.push_back(dec(v));
          }
        }
      }
      pr.what = std::string(s.kind) + "/" + s.variance + " score#" + std::to_string(score);
      out.push_back(pr);
    }
  return out;
}

template <class Real> void expect_rel(const Real& a, const Real& b, double tol, const std::string& what) {
  if (!is_finite_value(a) || !is_finite_value(b)) {
    EXPECT_EQ(is_finite_value(a), is_finite_value(b)) << what;
    return;
  }
  const mpfr_real x(a), y(b);
  const mpfr_real scale = abs(y) > mpfr_real("1e-300") ? abs(y) : mpfr_real(1);
  EXPECT_LE(static_cast<double>(abs(x - y) / scale), tol) << what << ": " << to_decimal(a) << " vs " << to_decimal(b);
}

}  // namespace

TEST(GaussianDense, RotatedEqualsDiagonalInDouble) {
  for (const auto& p : pairs()) {
    const auto fast = gaussian_path<double>(p.diagonal);
    const auto dense = gaussian_path<double>(p.rotated);
    ASSERT_EQ(fast.path, "fast");
    ASSERT_EQ(dense.path, "dense");
    expect_rel(dense.kl, fast.kl, 1e-9, p.what + " kl");
    expect_rel(dense.E_T, fast.E_T, 1e-9, p.what + " E_T");
    expect_rel(dense.kl_q0_gamma, fast.kl_q0_gamma, 1e-12, p.what + " KL(Q0||gamma)");
    expect_rel(dense.hellinger2, fast.hellinger2, 1e-8, p.what + " H^2");
    // W2 is invariant under the joint rotation (docs/math.md#w2-dense); the dense double recursion's
    // roundoff in the covariance deviation limits the agreement, as for H^2
    ASSERT_TRUE(dense.has_w2 && fast.has_w2) << p.what;
    expect_rel(dense.w2, fast.w2, 1e-8, p.what + " w2");
    expect_rel(dense.fisher_rel, fast.fisher_rel, 1e-12, p.what + " fisher_rel");
    if (fast.has_decomposition) {
      expect_rel(dense.D_T, fast.D_T, 1e-9, p.what + " D_T");
      expect_rel(dense.B_T, fast.B_T, 1e-9, p.what + " B_T");
    }
  }
}

TEST(GaussianDense, RotatedEqualsDiagonalInMpfr) {
  PrecisionScope prec(50);
  for (const auto& p : pairs()) {
    const auto fast = gaussian_path<mpfr_real>(p.diagonal);
    const auto dense = gaussian_path<mpfr_real>(p.rotated);
    // the rotated inputs are printed with 70 digits, so agreement is limited by the 50-digit work
    expect_rel(dense.kl, fast.kl, 1e-40, p.what + " kl");
    // W2^2 cancels to second order in the deviation in the dense formula: the escalation keeps it to
    // the working digits of W2^2; the 70-digit inputs' rounding enters through the deviations
    expect_rel(dense.w2, fast.w2, 1e-35, p.what + " w2");
    if (fast.has_decomposition) expect_rel(dense.B_T, fast.B_T, 1e-40, p.what + " B_T");
  }
}

TEST(GaussianDense, CertifiedDenseEnclosesMpfr) {
  auto all = pairs();
  for (std::size_t i = 0; i < all.size(); i += 3) {
    mpfr_real ref;
    {
      PrecisionScope p(80);
      ref = gaussian_path<mpfr_real>(all[i].rotated).kl;
    }
    PrecisionScope p(40);
    const auto r = gaussian_path<interval_real>(all[i].rotated);
    EXPECT_LE(lower_of(r.kl), ref) << all[i].what;
    EXPECT_GE(upper_of(r.kl), ref) << all[i].what;
    EXPECT_LE(static_cast<double>((upper_of(r.kl) - lower_of(r.kl)) / ref), 1e-20) << all[i].what;
    // W2 on the dense path is an estimate (two precisions agree), not an enclosure: it still contains
    // the 80-digit value, with a width at the working precision
    ASSERT_TRUE(r.w2_estimated) << all[i].what;
    mpfr_real ref_w2;
    {
      PrecisionScope q(80);
      ref_w2 = gaussian_path<mpfr_real>(all[i].rotated).w2;
    }
    EXPECT_LE(lower_of(r.w2), ref_w2) << all[i].what;
    EXPECT_GE(upper_of(r.w2), ref_w2) << all[i].what;
    EXPECT_LE(static_cast<double>((upper_of(r.w2) - lower_of(r.w2)) / ref_w2), 1e-20) << all[i].what;
  }
}

TEST(GaussianDense, ForcedDenseOnDiagonalEqualsFast) {
  CaseSpec c = gaussian_case(7, Spectrum::geometric, "100", "0.3", ScheduleKind::etc, 300);
  c.sampler = sampler_of("ddpm", "beta");
  const auto fast = gaussian_path<double>(c);
  c.numerics.engine = EnginePath::dense;
  const auto dense = gaussian_path<double>(c);
  EXPECT_EQ(dense.path, "dense");
  expect_rel(dense.kl, fast.kl, 1e-10, "kl");
  expect_rel(dense.D_T, fast.D_T, 1e-10, "D_T");
}
