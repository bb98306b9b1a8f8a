// Run estimates (verify/run_estimate.hpp): every planned computation counted once, twins included.
// Shards (verify/shard.hpp): the shares partition the run and balance the estimated cost; the part format
// (verify/part_json.hpp) carries every field of a result exactly, non-finite numbers included.
#include "verify/part_json.hpp"
#include "verify/run_estimate.hpp"
#include "verify/shard.hpp"

#include "numerics/input_error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace diffbound {
namespace {

const char* kSuite = R"TOML(
[suite]
name = "sh"
[[case]]
checks = ["chain-rule"]
[case.target]
family = "gaussian"
dim = [1, 4, 64]
spectrum = "geometric"
kappa = 3.0
[case.schedule]
kind = "etc"
steps = [10, 100, 1000, 10000]
[[study]]
kind = "noise-classifier"
points = [0.5]
zeta = [1]
[study.target]
family = "gaussian"
dim = 1
[[study]]
kind = "noise-classifier"
points = [0.25]
zeta = [2]
[study.target]
family = "gaussian"
dim = 1
)TOML";

TEST(Shard, SharesPartitionTheRunAndBalanceTheCost) {
  const std::vector<Suite> suites = {read_suite_text(kSuite, "sh.toml")};
  const RunInputs in = run_inputs(suites);
  ASSERT_EQ(in.cases.size(), 12u);
  const std::vector<double> cost = case_costs(in);
  const double max_cost = *std::max_element(cost.begin(), cost.end());
  for (long n = 1; n <= 6; ++n) {
    std::vector<int> case_owner(in.cases.size(), 0), study_owner(in.studies.size(), 0);
    std::vector<double> load;
    for (long k = 1; k <= n; ++k) {
      const ShardShare share = shard_share(in, {k, n});
      EXPECT_TRUE(std::is_sorted(share.cases.begin(), share.cases.end()));  // run order within a shard
      double total = 0;
      for (std::size_t i : share.cases) {
        ++case_owner[i];
        total += cost[i];
      }
      for (std::size_t j : share.studies) ++study_owner[j];
      load.push_back(total);
    }
    for (int c : case_owner) EXPECT_EQ(c, 1) << n << " shards";
    for (int c : study_owner) EXPECT_EQ(c, 1) << n << " shards";
    // largest first onto the least loaded: no shard's case cost exceeds another's by more than one case
    EXPECT_LE(*std::max_element(load.begin(), load.end()) - *std::min_element(load.begin(), load.end()), max_cost * (1 + 1e-12))
        << n << " shards";
  }
  // the most expensive case (d = 64, T = 10000) opens shard 1
  const std::size_t most = static_cast<std::size_t>(std::max_element(cost.begin(), cost.end()) - cost.begin());
  const ShardShare first = shard_share(in, {1, 3});
  EXPECT_NE(std::find(first.cases.begin(), first.cases.end(), most), first.cases.end());
}

// A block whose check reads kl_far plans a 100 T twin per case: the estimate counts it (as a computation of
// the fast path costing ~100x its case), the shards balance it, and the suites come in run order.
const char* kTwinSuite = R"TOML(
[suite]
name = "tw"
[[bound]]
id = "far-gap"
kind = "rigorous"
metric = "KL"
expr = "kl + kl_far"
[[case]]
checks = ["far-gap"]
[case.target]
family = "gaussian"
dim = [2, 8]
spectrum = "geometric"
kappa = 3.0
[case.schedule]
kind = "etc"
steps = [10, 100]
)TOML";

TEST(RunEstimate, CountsEveryComputationTwinsIncludedInRunOrder) {
  const std::vector<Suite> suites = {read_suite_text(kTwinSuite, "tw.toml"), read_suite_text(kSuite, "sh.toml")};
  const RunInputs in = run_inputs(suites);
  ASSERT_EQ(in.cases.size(), 4u + 12u);
  std::vector<std::size_t> cases(in.cases.size()), studies(in.studies.size());
  for (std::size_t i = 0; i < cases.size(); ++i) cases[i] = i;
  for (std::size_t j = 0; j < studies.size(); ++j) studies[j] = j;
  const std::vector<SuiteEstimate> e = estimate_run(in, cases, studies);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].suite, "tw");
  EXPECT_EQ(e[1].suite, "sh");
  EXPECT_EQ(e[0].cases, 4u);
  EXPECT_EQ(e[0].computations, 8u);  // each case and its 100 T twin
  EXPECT_EQ(e[0].studies, 0u);
  EXPECT_EQ(e[1].cases, 12u);
  EXPECT_EQ(e[1].computations, 12u);
  EXPECT_EQ(e[1].studies, 2u);
  const std::vector<double> cost = case_costs(in);
  for (std::size_t s = 0; s < 2; ++s) {
    double by_engine = 0, cases_cost = 0;
    for (const auto& [engine, x] : e[s].by_engine) by_engine += x.seconds;
    for (std::size_t i = 0; i < in.cases.size(); ++i)
      if (in.cases[i]->suite == e[s].suite) cases_cost += cost[i];
    EXPECT_NEAR(by_engine, e[s].seconds, 1e-12 * e[s].seconds);
    const double study_seconds = e[s].by_engine.count("study") ? e[s].by_engine.at("study").seconds : 0.0;
    EXPECT_NEAR(cases_cost, e[s].seconds - study_seconds, 1e-9 * e[s].seconds);  // the shards balance what is estimated here
  }
  // the twin has 100 T steps: its case costs far more than the same case alone
  const CasePlan first = plan_case(*in.cases[0], in.registry);
  EXPECT_GT(plan_cost(first), 20 * computation_cost(first.spec));
  // a share is estimated alone
  const ShardShare share = shard_share(in, {2, 3});
  std::size_t n = 0;
  for (const auto& s : estimate_run(in, share.cases, share.studies)) n += s.cases;
  EXPECT_EQ(n, share.cases.size());
}

TEST(Shard, ParseShardNamesTheOptionAndText) {
  EXPECT_EQ(parse_shard("--shard", "2/8").index, 2);
  EXPECT_EQ(parse_shard("--shard", "2/8").count, 8);
  for (const char* bad : {"", "2", "0/3", "4/3", "1/0", "x/3", "1/3/4", " 1/3", "1/100001"}) {
    try {
      parse_shard("--shard", bad);
      ADD_FAILURE() << bad;
    } catch (const InputError& e) {
      EXPECT_EQ(e.field(), "--shard") << bad;
    }
  }
}

Enclosure enclosure(double v, const char* text, EnclosureKind kind) {
  Enclosure e;
  e.value = v;
  e.lo = std::nextafter(v, -1e300);
  e.hi = std::nextafter(v, 1e300);
  e.value_str = text;
  e.lo_str = std::string(text) + "1";
  e.hi_str = std::string(text) + "9";
  e.kind = kind;
  e.method = "method-" + std::string(text);
  return e;
}

// Every field set to a value distinct from its default, non-finite numbers among them: the round trip must
// give back the same part, and the numbers bit for bit.
TEST(PartJson, ExactQuantitiesRoundTripEveryField) {
  ExactQuantities q;
  q.kl = enclosure(0.1, "0.1", EnclosureKind::certified);
  q.kl_q0_gamma = enclosure(1.0 / 3, "0.333", EnclosureKind::estimated);
  q.E_T = enclosure(2e-300, "2e-300", EnclosureKind::point);
  q.D_T = enclosure(std::numeric_limits<double>::infinity(), "inf", EnclosureKind::certified);
  q.D_T->finite = false;
  q.B_T = enclosure(0.5, "0.5", EnclosureKind::certified);
  q.girsanov = enclosure(0.25, "0.25", EnclosureKind::certified);
  q.w2 = enclosure(0.7, "0.7", EnclosureKind::estimated);
  q.w2_estimated = true;
  q.hellinger2 = enclosure(0.01, "0.01", EnclosureKind::certified);
  q.tv_lo = enclosure(0.02, "0.02", EnclosureKind::certified);
  q.tv_hi = enclosure(0.03, "0.03", EnclosureKind::certified);
  q.dim = 7;
  q.steps = 1234;
  q.t_out = 3;
  q.kappa = enclosure(10, "10", EnclosureKind::certified);
  q.alpha_bar_T = enclosure(1e-5, "1e-5", EnclosureKind::certified);
  q.m2 = enclosure(4.5, "4.5", EnclosureKind::certified);
  q.lambda_min = enclosure(0.1, "0.1", EnclosureKind::certified);
  q.lambda_max = enclosure(1, "1", EnclosureKind::certified);
  q.epsilon = std::numeric_limits<double>::quiet_NaN();
  q.fisher_rel = enclosure(3.5, "3.5", EnclosureKind::certified);
  q.kl_q0_stationary = enclosure(0.4, "0.4", EnclosureKind::certified);
  q.w2_q0_stationary = enclosure(0.6, "0.6", EnclosureKind::certified);
  q.w2_init = enclosure(0, "0", EnclosureKind::certified);
  q.mean_norm2 = enclosure(2, "2", EnclosureKind::certified);
  q.kind = EnclosureKind::estimated;
  q.method = "mixture-fourier/h=0.1";
  q.precision = "extended";
  q.digits = 18;
  q.engine = Engine::mixture;
  q.directions = 5;
  q.seconds = -std::numeric_limits<double>::infinity();
  ProblemRecord p;
  p.op = "inpaint";
  p.p = 3;
  p.rank = 2;
  p.coordinatewise = true;
  p.kappa_H = 4;
  p.s_max = 2;
  p.s_min = 0.5;
  p.sigma_y = "0.01";
  p.y = {"1", "2"};
  p.x0 = {"3"};
  q.problem = p;

  const nlohmann::json j = part_json(q);
  const ExactQuantities back = exact_from_part(nlohmann::json::parse(j.dump()), "q");
  EXPECT_EQ(part_json(back).dump(), j.dump());
  EXPECT_EQ(back.kl.lo, q.kl.lo);
  EXPECT_EQ(back.kl_q0_gamma.value, 1.0 / 3);
  EXPECT_EQ(back.E_T.value, 2e-300);
  EXPECT_TRUE(std::isinf(back.D_T->value));
  EXPECT_FALSE(back.D_T->finite);
  EXPECT_TRUE(std::isnan(back.epsilon));
  EXPECT_TRUE(std::isinf(back.seconds) && back.seconds < 0);
  EXPECT_EQ(back.w2->kind, EnclosureKind::estimated);
  EXPECT_TRUE(back.w2_estimated);
  EXPECT_EQ(back.engine, Engine::mixture);
  EXPECT_EQ(back.problem->x0, std::vector<std::string>{"3"});
  EXPECT_EQ(back.mean_norm2->method, "method-2");
  // a missing optional stays missing
  ExactQuantities bare;
  const ExactQuantities bare_back = exact_from_part(part_json(bare), "q");
  EXPECT_FALSE(bare_back.D_T || bare_back.w2 || bare_back.problem || bare_back.fisher_rel);
}

TEST(PartJson, MalformedPartsNameTheField) {
  nlohmann::json j = part_json(enclosure(0.1, "0.1", EnclosureKind::certified));
  j.erase("lo_str");
  try {
    enclosure_from_part(j, "cases[3].exact.kl");
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "cases[3].exact.kl.lo_str");
  }
  j = part_json(enclosure(0.1, "0.1", EnclosureKind::certified));
  j["kind"] = 7;
  EXPECT_THROW(enclosure_from_part(j, "e"), InputError);
  j["kind"] = 0;
  j["value"] = "many";
  EXPECT_THROW(enclosure_from_part(j, "e"), InputError);
}

}  // namespace
}  // namespace diffbound
