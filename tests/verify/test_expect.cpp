// Expected verdicts (docs/math.md#expected-verdicts): the expectation logic, the exit status, the suite
// syntax and its errors, and end to end through run_suites. The bounds here are user bounds whose
// verdicts are known by construction: "0.5 * kl" fails wherever KL > 0 (certified enclosures of a
// Gaussian case separate it from KL), "2 * kl + 1" passes, "kl" is always inconclusive.
#include "../input_error_field.hpp"
#include "numerics/input_error.hpp"
#include "verify/run_summary.hpp"
#include "verify/runner.hpp"
#include "verify/suite.hpp"

#include <gtest/gtest.h>

using namespace diffbound;

namespace {

TEST(Expectation, MetOrTheReasonItWasNot) {
  EXPECT_FALSE(expectation_of(Verdict::fail, std::nullopt).expected.has_value());
  EXPECT_FALSE(expectation_of(Verdict::fail, std::nullopt).met());
  EXPECT_TRUE(expectation_of(Verdict::fail, Verdict::fail).met());
  EXPECT_TRUE(expectation_of(Verdict::inconclusive, Verdict::inconclusive).met());
  EXPECT_EQ(expectation_of(Verdict::pass, Verdict::fail).unexpected, Reason::unexpected_pass);
  EXPECT_EQ(expectation_of(Verdict::inconclusive, Verdict::fail).unexpected, Reason::unexpected_inconclusive);
  EXPECT_EQ(expectation_of(Verdict::fail, Verdict::pass).unexpected, Reason::unexpected_fail);
  EXPECT_EQ(to_string(Reason::unexpected_pass), "unexpected-pass");
  EXPECT_EQ(to_string(Reason::unexpected_inconclusive), "unexpected-inconclusive");
  EXPECT_EQ(to_string(Reason::unexpected_fail), "unexpected-fail");
  EXPECT_TRUE(expectation_of(Verdict::pass, std::nullopt).to_json().is_null());
  EXPECT_EQ(expectation_of(Verdict::pass, Verdict::fail).to_json(),
            (nlohmann::json{{"verdict", "fail"}, {"met", false}, {"reason", "unexpected-pass"}}));
}

TEST(Expectation, ParsesVerdictNamesOnly) {
  EXPECT_EQ(parse_verdict("f", "pass"), Verdict::pass);
  EXPECT_EQ(parse_verdict("f", "inconclusive"), Verdict::inconclusive);
  try {
    parse_verdict("case[0].expect.chain-rule", "failed");
    ADD_FAILURE() << "\"failed\" was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "case[0].expect.chain-rule");
    EXPECT_EQ(e.value(), "\"failed\"");
  }
}

// The exit status: an expected fail or inconclusive leaves it alone; anything unexpected fails the run.
TEST(Expectation, ExitStatus) {
  RunSummary s;
  s.count(Verdict::pass);
  s.count(Verdict::fail, expectation_of(Verdict::fail, Verdict::fail));
  EXPECT_EQ(s.exit_status(false), 0);
  s.count(Verdict::inconclusive, expectation_of(Verdict::inconclusive, Verdict::inconclusive));
  EXPECT_EQ(s.exit_status(true), 0);  // expected inconclusive: not even --fail-on-inconclusive fails it
  EXPECT_EQ(s.verdicts.expected, 2);
  EXPECT_EQ(s.verdicts.fail, 1);  // the verdict itself is counted unchanged
  const auto j = s.to_json(false);
  EXPECT_EQ(j["expected"], 2);
  EXPECT_EQ(j["unexpected"], 0);
  RunSummary inc = s;
  inc.count(Verdict::inconclusive);
  EXPECT_EQ(inc.exit_status(false), 0);
  EXPECT_EQ(inc.exit_status(true), 3);
  RunSummary up = s;
  up.count(Verdict::pass, expectation_of(Verdict::pass, Verdict::fail));
  EXPECT_EQ(up.exit_status(false), 1);
  EXPECT_EQ(up.to_json(false)["unexpected"], 1);
  RunSummary ui = s;
  ui.count(Verdict::inconclusive, expectation_of(Verdict::inconclusive, Verdict::fail));
  EXPECT_EQ(ui.exit_status(false), 1);
  RunSummary plain = s;
  plain.count(Verdict::fail);  // a fail nobody expected
  EXPECT_EQ(plain.exit_status(false), 1);
}

const char* kSuite = R"TOML(
[suite]
name = "x"
[[case]]
name = "rigorous"
checks = ["half-kl", "loose", "chain-rule"]
expect = { "half-kl" = "fail" }
[case.target]
family = "gaussian"
dim = 2
spectrum = "geometric"
kappa = 4.0
[case.schedule]
steps = [10, 20]
[[case]]
name = "rate"
checks = ["rate-too-fast"]
expect = { "rate-too-fast" = "fail" }
[case.target]
dim = 1
mean = 0.3
[case.schedule]
steps = [20, 40, 80, 160]
[case.score]
kind = "mismatched"
[case.score.train]
dim = 1
[[bound]]
id = "half-kl"
expr = "0.5 * kl"
provenance = "read"
[[bound]]
id = "loose"
expr = "2 * kl + 1"
[[bound]]
id = "rate-too-fast"
kind = "rate"
shape = "1 / T^2"
variable = "T"
)TOML";

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return s.replace(pos, from.size(), to);
}

std::string field_of(const std::string& text) {
  return diffbound::testing::field_of([&] { read_suite_text(text, "x.toml"); });
}

TEST(ExpectSuite, ReadsExpectationsAndProvenance) {
  const Suite s = read_suite_text(kSuite, "x.toml");
  ASSERT_EQ(s.cases.size(), 6u);
  for (std::size_t i = 0; i < 2; ++i) {
    ASSERT_EQ(s.cases[i].expect.size(), 1u);  // not swept: every case of the block shares it
    EXPECT_EQ(s.cases[i].expect.at("half-kl"), Verdict::fail);
  }
  EXPECT_EQ(s.cases[2].expect.at("rate-too-fast"), Verdict::fail);
  EXPECT_EQ(s.user_bounds[0].provenance, Provenance::read);
  EXPECT_EQ(s.user_bounds[1].provenance, Provenance::user);  // undeclared
  const BoundRegistry r = registry_for({&s});
  EXPECT_EQ(to_string(r.at("half-kl").info().provenance), "read");
  EXPECT_EQ(to_string(r.at("loose").info().provenance), "user");
}

TEST(ExpectSuite, BadExpectationsAndLevelsNameFieldAndValue) {
  const std::string g = kSuite;
  const std::string e = "expect = { \"half-kl\" = \"fail\" }";
  EXPECT_EQ(field_of(replace(g, e, "expect = { \"pinsker\" = \"fail\" }")), "x.toml: case[0].expect.pinsker");
  EXPECT_EQ(field_of(replace(g, e, "expect = { \"half-kl\" = \"failed\" }")), "x.toml: case[0].expect.half-kl");
  EXPECT_EQ(field_of(replace(g, e, "expect = { \"half-kl\" = 1 }")), "x.toml: case[0].expect.half-kl");
  EXPECT_EQ(field_of(replace(g, e, "expect = \"fail\"")), "x.toml: case[0].expect");
  // a list is not a sweep of expectations
  EXPECT_EQ(field_of(replace(g, e, "expect = { \"half-kl\" = [\"fail\", \"pass\"] }")), "x.toml: case[0].expect.half-kl");
  EXPECT_EQ(field_of(replace(g, "provenance = \"read\"", "provenance = \"recalled\"")), "x.toml: bound[0].provenance");
  try {
    read_suite_text(replace(g, e, "expect = { \"pinsker\" = \"fail\" }"), "x.toml");
  } catch (const InputError& err) {
    EXPECT_EQ(err.value(), "\"pinsker\"");
    EXPECT_NE(std::string(err.why()).find("half-kl, loose, chain-rule"), std::string::npos) << err.why();
  }
  try {
    read_suite_text(replace(g, "provenance = \"read\"", "provenance = \"recalled\""), "x.toml");
  } catch (const InputError& err) {
    EXPECT_EQ(err.value(), "recalled");
    EXPECT_NE(std::string(err.why()).find("read-secondary"), std::string::npos) << err.why();
  }
  // every level reads
  for (const auto& row : provenance_table)
    EXPECT_NO_THROW(read_suite_text(replace(g, "provenance = \"read\"", "provenance = \"" + std::string(row.name) + "\""), "x.toml"))
        << row.name;
}

RunOptions quiet() {
  RunOptions o;
  o.progress = false;
  o.jobs = 2;
  o.max_digits = 60;
  return o;
}

TEST(ExpectRun, ExpectedFailsLeaveTheExitStatusAlone) {
  const auto report = run_suites({read_suite_text(kSuite, "x.toml")}, quiet());
  ASSERT_EQ(report["cases"].size(), 6u);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& checks = report["cases"][i]["checks"];
    ASSERT_EQ(checks.size(), 3u);
    EXPECT_EQ(checks[0]["bound"], "half-kl");
    EXPECT_EQ(checks[0]["verdict"], "fail");  // reported unchanged
    EXPECT_EQ(checks[0]["expected"], (nlohmann::json{{"verdict", "fail"}, {"met", true}, {"reason", ""}}));
    EXPECT_EQ(checks[0]["provenance"], "read");
    EXPECT_EQ(checks[1]["verdict"], "pass");
    EXPECT_TRUE(checks[1]["expected"].is_null());
    EXPECT_EQ(checks[1]["provenance"], "user");
    EXPECT_EQ(checks[2]["provenance"], "standard");
  }
  ASSERT_EQ(report["rates"].size(), 1u);
  EXPECT_EQ(report["rates"][0]["verdict"], "fail");
  EXPECT_EQ(report["rates"][0]["expected"]["met"], true);
  EXPECT_EQ(report["summary"]["fail"], 3);
  EXPECT_EQ(report["summary"]["expected"], 3);
  EXPECT_EQ(report["summary"]["unexpected"], 0);
  EXPECT_EQ(report["summary"]["exit_status"], 0);
}

TEST(ExpectRun, UnexpectedVerdictsFailTheRun) {
  const std::string g = kSuite;
  const std::string e = "expect = { \"half-kl\" = \"fail\" }";
  // an expected fail that passes
  auto report = run_suites({read_suite_text(replace(g, e, "expect = { \"loose\" = \"fail\" }"), "x.toml")}, quiet());
  auto loose = report["cases"][0]["checks"][1];
  EXPECT_EQ(loose["verdict"], "pass");
  EXPECT_EQ(loose["expected"]["reason"], "unexpected-pass");
  EXPECT_EQ(report["summary"]["unexpected"], 2);
  EXPECT_EQ(report["summary"]["exit_status"], 1);
  // an expected pass that fails; the other fails are nobody's expectation either
  report = run_suites({read_suite_text(replace(g, e, "expect = { \"half-kl\" = \"pass\" }"), "x.toml")}, quiet());
  EXPECT_EQ(report["cases"][0]["checks"][0]["expected"]["reason"], "unexpected-fail");
  EXPECT_EQ(report["summary"]["exit_status"], 1);
  // an expected fail of a rate claim that is inconclusive (too few points along T)
  report = run_suites({read_suite_text(replace(g, "steps = [20, 40, 80, 160]", "steps = [20, 40]"), "x.toml")}, quiet());
  ASSERT_EQ(report["rates"].size(), 1u);
  EXPECT_EQ(report["rates"][0]["verdict"], "inconclusive");
  EXPECT_EQ(report["rates"][0]["expected"]["reason"], "unexpected-inconclusive");
  EXPECT_EQ(report["summary"]["exit_status"], 1);
}


// li-yan2025 [read] end to end (docs/math.md#li-yan-lemma7): on a linear schedule no case meets Lemma 7,
// so the claim is not-applicable with c1* in its message (c1* = 8.1687 at T = 50, mpmath in
// tests/bounds/test_requirement.cpp); on etc the cases from T = 30 on qualify and the claim is fitted.
TEST(LiYanRun, Lemma7DecidesApplicabilityWithC1StarInTheReason) {
  const char* text = R"TOML(
[suite]
name = "ly"
[[case]]
name = "linear"
checks = ["li-yan2025"]
expect = { "li-yan2025" = "inconclusive" }
[case.target]
dim = 1
mean = 0.5
[case.schedule]
kind = "linear"
steps = [30, 40, 50]
[[case]]
name = "etc"
checks = ["li-yan2025"]
[case.target]
dim = 1
mean = 0.5
[case.schedule]
steps = [10, 30, 40, 50]
)TOML";
  const auto report = run_suites({read_suite_text(text, "ly.toml")}, quiet());
  ASSERT_EQ(report["rates"].size(), 2u);
  const auto& linear = report["rates"][0];
  EXPECT_EQ(linear["group"], "linear");
  EXPECT_EQ(linear["verdict"], "inconclusive");
  EXPECT_EQ(linear["reason"], "not-applicable");
  EXPECT_NE(linear["message"].get<std::string>().find("fails Li & Yan's Lemma 7: c1* = "), std::string::npos) << linear["message"];
  EXPECT_NE(linear["message"].get<std::string>().find("[read]"), std::string::npos) << linear["message"];
  EXPECT_EQ(linear["expected"]["met"], true);
  const auto& etc = report["rates"][1];
  EXPECT_EQ(etc["points"].size(), 3u);  // T = 10 fails the lemma (c1* = 2.738)
  EXPECT_EQ(etc["verdict"], "pass") << etc["message"];
  EXPECT_NE(etc["message"].get<std::string>().find("ly/3: not applicable: the schedule fails Li & Yan's Lemma 7: c1* = 2.73786"),
            std::string::npos)
      << etc["message"].get<std::string>();
  EXPECT_EQ(report["summary"]["exit_status"], 0);
}

}  // namespace
