// Cooperative cancellation (numerics/cancellation.hpp): every engine polls the calling thread's flag once per
// time step (or grid node, or direction) and throws Cancelled when it is set; with the flag clear, or no flag,
// the results are unchanged. No timing: a set flag must stop the computation before it returns anything.
#include "numerics/cancellation.hpp"

#include "numerics/exact.hpp"
#include "verify/case_file.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>

namespace diffbound {
namespace {

struct EngineCase { const char* name; const char* toml; };

// One case per engine path: fast (exact score; mismatched score), dense, mixture (stochastic and
// deterministic samplers), continuous time, zero-shot.
const EngineCase kCases[] = {
    {"fast-exact", R"([target]
family = "gaussian"
dim = 3
spectrum = "geometric"
kappa = 10
[schedule]
kind = "etc"
steps = 200
[sampler]
kind = "ddpm"
)"},
    {"fast-perturbed", R"([target]
family = "gaussian"
dim = 2
[schedule]
kind = "linear"
steps = 100
[sampler]
kind = "ddpm"
[score]
kind = "perturbed"
epsilon = 0.1
)"},
    {"dense", R"([target]
family = "gaussian"
dim = 2
covariance = [[2.0, 0.5], [0.5, 1.0]]
[schedule]
kind = "etc"
steps = 100
[sampler]
kind = "ddpm"
)"},
    {"mixture-ddpm", R"([target]
family = "mixture"
dim = 1
weights = [0.5, 0.5]
means = [-1.0, 1.0]
variances = [0.25, 0.25]
[schedule]
kind = "etc"
steps = 50
[sampler]
kind = "ddpm"
)"},
    {"mixture-ddim", R"([target]
family = "mixture"
dim = 1
weights = [0.5, 0.5]
means = [-1.0, 1.0]
variances = [0.25, 0.25]
[schedule]
kind = "etc"
steps = 50
[sampler]
kind = "ddim"
)"},
    {"continuous-time", R"([target]
family = "gaussian"
dim = 2
[schedule]
kind = "linear"
steps = 50
[sampler]
kind = "sde-em"
)"},
};

CaseSpec case_of(const EngineCase& c) { return read_case_text(c.toml); }

TEST(Cancellation, EveryEngineStopsWhenTheFlagIsSet) {
  for (const auto& c : kCases) {
    const CaseSpec spec = case_of(c);
    std::atomic<bool> flag{true};
    const CancelScope scope(&flag);
    EXPECT_THROW(compute_exact(spec), Cancelled) << c.name;
  }
}

TEST(Cancellation, AClearFlagChangesNoDigit) {
  for (const auto& c : kCases) {
    const CaseSpec spec = case_of(c);
    const ExactQuantities free_run = compute_exact(spec);
    std::atomic<bool> flag{false};
    const CancelScope scope(&flag);
    const ExactQuantities watched = compute_exact(spec);
    EXPECT_EQ(watched.kl.value_str, free_run.kl.value_str) << c.name;
    EXPECT_EQ(watched.kl.lo_str, free_run.kl.lo_str) << c.name;
    EXPECT_EQ(watched.kl.hi_str, free_run.kl.hi_str) << c.name;
  }
}

TEST(Cancellation, ScopesNestAndRestoreThePreviousFlag) {
  std::atomic<bool> outer{false}, inner{true};
  EXPECT_FALSE(cancel_requested());
  {
    const CancelScope a(&outer);
    EXPECT_FALSE(cancel_requested());
    {
      const CancelScope b(&inner);
      EXPECT_TRUE(cancel_requested());
      EXPECT_THROW(throw_if_cancelled(), Cancelled);
    }
    EXPECT_FALSE(cancel_requested());
    outer = true;
    EXPECT_TRUE(cancel_requested());
  }
  EXPECT_FALSE(cancel_requested());  // no flag: never cancelled
}

}  // namespace
}  // namespace diffbound
