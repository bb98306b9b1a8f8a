// The explicit-constant bounds end to end (docs/math.md#explicit-constant-bounds): the numbers a suite hands them
// (the VP schedule, W2(Q_T_f, nu), KL and W2 against N(0, sigma_inf^2 I), |m|^2, fisher_rel) reproduce the bound
// values of the spec's independent 40-digit mpmath file (../shared/reference/vp.jsonl, case vp1-exp-neg and
// vp3-linear-h2; strasman2024-w2 from tests/bounds/reference/explicit_constants.py, which splits the quadrature at
// the kink of L_t), and each bound is checked on the samplers it is registered for only.
#include "verify/runner.hpp"
#include "verify/suite.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace diffbound {
namespace {

const char* kSuite = R"TOML(
[suite]
name = "explicit"
[[case]]
name = "vp1 sde-exact"
checks = ["kwon-fan-lee2022", "tang-zhao2024-contractive"]
target = { family = "gaussian", dim = 1, spectrum = "list", eigenvalues = [0.5], mean = [0.4] }
schedule = { kind = "exponential", b_min = 0.2, b_max = 12.0, rate = -2.0, horizon = 1.0, sigma_inf = 1.5, steps = 80 }
sampler = { kind = "sde-exact", t_out = 0 }
numerics = { precision = "certified", digits = 40 }
[[case]]
name = "vp1 schemes"
checks = ["strasman2024-kl", "strasman2024-w2"]
target = { family = "gaussian", dim = 1, spectrum = "list", eigenvalues = [0.5], mean = [0.4] }
schedule = { kind = "exponential", b_min = 0.2, b_max = 12.0, rate = -2.0, horizon = 1.0, sigma_inf = 1.5, steps = 80 }
sampler = { kind = ["sde-em-end", "sde-ei", "sde-ei-relative", "sde-em"], t_out = 0 }
numerics = { precision = "certified", digits = 40 }
[[case]]
name = "vp3"
checks = ["kwon-fan-lee2022", "tang-zhao2024-contractive", "strasman2024-kl", "strasman2024-w2"]
target = { family = "gaussian", dim = 3, spectrum = "list", eigenvalues = [1.0, 0.3, 0.05], mean = [0.0, 0.5, -0.2] }
schedule = { kind = "linear", b_min = 0.1, b_max = 8.0, horizon = 2.0, sigma_inf = 1.0, steps = 40 }
sampler = { kind = ["sde-exact", "sde-ei"], t_out = 0 }
numerics = { precision = "certified", digits = 40 }
)TOML";

TEST(ExplicitConstantsSuite, BoundValuesMatchTheIndependentReferenceAndApplicabilityFollowsTheSampler) {
  const std::map<std::string, std::map<std::string, double>> reference = {
      {"vp1",
       {{"kwon-fan-lee2022", 0.00274271551542811178955581568331}, {"tang-zhao2024-contractive", 3295390.86511135307597759801593},
        {"strasman2024-kl", 0.384105602767401952986705770211}, {"strasman2024-w2", 5.83228661452313856199044883367}}},
      {"vp3",
       {{"kwon-fan-lee2022", 0.00016349061032944931355420629588}, {"tang-zhao2024-contractive", 1.22175517387163709238249355724e+70},
        {"strasman2024-kl", 15.9790976474825355972011474356}}}};
  RunOptions o;
  o.progress = false;
  o.jobs = 1;
  const auto report = run_suites({read_suite_text(kSuite, "explicit.toml")}, o);
  int checked = 0;
  for (const auto& c : report["cases"]) {
    const std::string sampler = c["case"]["sampler"]["kind"];
    const std::string which = c["case"]["target"]["dim"].get<long>() == 1 ? "vp1" : "vp3";
    for (const auto& ch : c["checks"]) {
      const std::string id = ch["bound"];
      const bool claimed = id == "kwon-fan-lee2022" || id == "tang-zhao2024-contractive"
                               ? sampler == "sde-exact"
                               : (sampler == "sde-em-end" || sampler == "sde-ei" || sampler == "sde-ei-relative") &&
                                     (id != "strasman2024-w2" || which == "vp1");
      if (!claimed) {
        EXPECT_EQ(ch["reason"], "not-applicable") << id << " on " << sampler << " " << which;
        continue;
      }
      ASSERT_TRUE(reference.at(which).count(id)) << id;
      const double ref = reference.at(which).at(id);
      EXPECT_NEAR(ch["bound_value"]["value"].get<double>(), ref, 1e-13 * ref) << id << " on " << sampler << " " << which;
      EXPECT_NE(ch["verdict"], "inconclusive") << ch["message"];
      ++checked;
    }
  }
  EXPECT_EQ(checked, 2 + 3 * 2 + 3);  // vp1: 2 on sde-exact, 2 on each of 3 schemes; vp3: kwon, tang on sde-exact, strasman2024-kl on sde-ei
}

}  // namespace
}  // namespace diffbound
