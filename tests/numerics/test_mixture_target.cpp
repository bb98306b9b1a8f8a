// Mixture targets: validation of every bad-input class (docs/math.md#gaussian-mixtures, DESIGN.md "bad input"), and the
// score/Hessian of docs/math.md#gaussian-mixtures against finite differences of the log-density.
#include "numerics/exact.hpp"
#include "numerics/input_error.hpp"
#include "numerics/mixture_path.hpp"
#include "numerics/mixture_target.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>

namespace diffbound {
namespace {

CaseSpec valid_case() {
  CaseSpec c;
  c.target.family = Family::mixture;
  c.target.mixture = MixtureSpec{1, MixtureLayout::axis, {"0.3", "0.7"}, {"-1.0", "1.5"}, {"0.2", "0.5"}};
  c.schedule.kind = ScheduleKind::etc;
  c.schedule.steps = 20;
  return c;
}

// Runs compute_exact and returns the field of the InputError it must throw.
std::string rejected_field(const CaseSpec& c) {
  try {
    compute_exact(c);
  } catch (const InputError& e) {
    return e.field();
  }
  return "(accepted)";
}

TEST(MixtureValidation, ValidCaseIsAccepted) {
  EXPECT_NO_THROW(compute_exact(valid_case()));
}

TEST(MixtureValidation, EveryBadInputNamesItsField) {
  struct Bad { std::function<void(CaseSpec&)> edit; std::string field; };
  const std::vector<Bad> bad = {
      {[](CaseSpec& c) { c.target.mixture.weights = {"-0.3", "1.3"}; }, "target.weights[0]"},
      {[](CaseSpec& c) { c.target.mixture.weights = {"0.3", "0.6"}; }, "target.weights"},
      {[](CaseSpec& c) { c.target.mixture.weights = {"0.3", "0.70000000001"}; }, "target.weights"},  // 1e-11 off
      {[](CaseSpec& c) { c.target.mixture.variances = {"0.2", "0"}; }, "target.variances[1]"},
      {[](CaseSpec& c) { c.target.mixture.variances = {"-0.2", "0.5"}; }, "target.variances[0]"},
      {[](CaseSpec& c) { c.target.mixture.means = {"-1.0"}; }, "target.means"},
      {[](CaseSpec& c) { c.target.mixture.variances = {"0.2", "0.5", "0.1"}; }, "target.variances"},
      {[](CaseSpec& c) { c.target.mixture.weights.clear(); c.target.mixture.means.clear(); c.target.mixture.variances.clear(); },
       "target.weights"},
      {[](CaseSpec& c) { c.target.mixture.dim = 2; }, "target.variances[1]"},  // axis layout, unequal variances
      {[](CaseSpec& c) { c.target.mixture.dim = 0; }, "target.dim"},
      {[](CaseSpec& c) { c.target.mixture.means = {"nan", "1.5"}; }, "target.means[0]"},
      {[](CaseSpec& c) { c.target.mixture.weights = {"0.3", "inf"}; }, "target.weights[1]"},
      {[](CaseSpec& c) { c.target.mixture.variances = {"0.2", "abc"}; }, "target.variances[1]"},
      {[](CaseSpec& c) { c.numerics.precision = Precision::certified; }, "numerics.precision"},
      {[](CaseSpec& c) { c.score.kind = ScoreKind::mismatched; }, "score.train"},
      {[](CaseSpec& c) {
         c.score.kind = ScoreKind::mismatched;
         TargetSpec t;
         t.family = Family::mixture;
         t.mixture = MixtureSpec{1, MixtureLayout::axis, {"0.5", "0.5"}, {"0", "1"}, {"1", "-1"}};
         c.score.train = t;
       }, "score.train.variances[1]"},
      {[](CaseSpec& c) { c.score.kind = ScoreKind::perturbed; c.score.epsilon = "-1"; }, "score.epsilon"},
      {[](CaseSpec& c) { c.sampler.t_out = -1; }, "sampler.t_out"},
  };
  for (std::size_t i = 0; i < bad.size(); ++i) {
    CaseSpec c = valid_case();
    bad[i].edit(c);
    EXPECT_EQ(rejected_field(c), bad[i].field) << "bad input #" << i;
  }
  // weights summing to 1 within 1e-12 are accepted (and renormalized)
  CaseSpec c = valid_case();
  c.target.mixture.weights = {"0.3", "0.7000000000001"};
  EXPECT_NO_THROW(compute_exact(c));
}

// The CLI turns the InputError into exit status 2 (skipped when the program is not built).
TEST(MixtureValidation, CliExitsWithStatusTwo) {
  const std::filesystem::path program = std::filesystem::path(DIFFBOUND_BINARY_DIR) / "cli" / "diffbound";
  if (!std::filesystem::exists(program)) GTEST_SKIP() << program << " not built";
  const auto file = std::filesystem::temp_directory_path() / "diffbound_mixture_bad.toml";
  std::ofstream(file) << "[target]\nfamily = \"mixture\"\ndim = 1\nweights = [-0.5, 1.5]\nmeans = [0.0, 1.0]\n"
                         "variances = [1.0, 1.0]\n[schedule]\nkind = \"etc\"\nsteps = 10\n";
  const std::string cmd = program.string() + " kl " + file.string() + " > /dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  std::filesystem::remove(file);
}

// Score and its derivative (the 1-D Hessian of docs/math.md#gaussian-mixtures) against central differences of the log-density
// and of the score; the difference step 1e-4 leaves a truncation error ~1e-8 relative.
TEST(MixtureScore, MatchesFiniteDifferences) {
  MixtureSpec spec{1, MixtureLayout::axis, {"0.2", "0.5", "0.3"}, {"-2", "0.1", "3"}, {"0.05", "1.5", "0.3"}};
  const auto q = mixture_1d<double>(spec);
  const double e = 1e-4;
  for (double x = -6; x <= 6; x += 0.37) {
    const auto s = score_of(q, x);
    const double fd = (log_density(q, x + e) - log_density(q, x - e)) / (2 * e);
    const double fd2 = (score_of(q, x + e).value - score_of(q, x - e).value) / (2 * e);
    EXPECT_NEAR(s.value, fd, 1e-7 * (1 + std::abs(fd))) << "x = " << x;
    EXPECT_NEAR(s.derivative, fd2, 1e-6 * (1 + std::abs(fd2))) << "x = " << x;
  }
  // far tails: log-sum-exp keeps the score finite and equal to the widest component's
  const auto far = score_of(q, 200.0);
  EXPECT_NEAR(far.value, -(200.0 - 0.1) / 1.5, 1e-12 * 200);
}

}  // namespace
}  // namespace diffbound
