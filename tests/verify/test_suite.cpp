// Suite files: every field, sweeps, user bounds; unknown keys and bad values rejected with the field named.
#include "numerics/input_error.hpp"
#include "verify/case_file.hpp"
#include "verify/suite.hpp"

#include <filesystem>
#include <set>

#include <gtest/gtest.h>

using namespace diffbound;

namespace {

const char* kGood = R"TOML(
[suite]
name = "t"
description = "d"
[rates]
tolerance = 0.1
[[case]]
checks = ["chain-rule", "mine"]
[case.target]
family = "gaussian"
dim = [2, 3]
spectrum = "geometric"
kappa = [1.0, 10.0, 100.000000000000000000000000001]
mean = [[0], [0.5]]
[case.schedule]
kind = "etc"
steps = 20
c = 4
delta = 0.001
[case.sampler]
kind = "ddpm"
variance = ["theory", "beta"]
init = "gaussian"
t_out = 1
[case.score]
kind = "exact"
[case.numerics]
precision = "certified"
digits = 30
engine = "auto"
[[case]]
name = "vector mean"
checks = []
[case.target]
dim = 2
mean = [0.1, 0.2]
[case.schedule]
steps = 5
[[bound]]
id = "mine"
kind = "rigorous"
metric = "KL"
citation = "test"
expr = "2 * (E_T + D_T + B_T)"
)TOML";

std::string field_of(const std::string& text) {
  try {
    read_suite_text(text, "s.toml");
  } catch (const InputError& e) {
    return e.field();
  }
  return "(no error)";
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return s.replace(pos, from.size(), to);
}

}  // namespace

TEST(Suite, ExpandsTheCartesianProduct) {
  const Suite s = read_suite_text(kGood, "s.toml");
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(s.description, "d");
  EXPECT_DOUBLE_EQ(s.rates.tolerance, 0.1);
  ASSERT_EQ(s.cases.size(), 2u * 3 * 2 * 2 + 1);
  EXPECT_EQ(s.cases[0].id, "t/0");
  // swept keys in alphabetical order of their dotted paths, the last fastest:
  // sampler.variance, target.dim, target.kappa, target.mean
  EXPECT_EQ(s.cases[0].spec.sampler.variance, Variance::theory);
  EXPECT_EQ(s.cases[12].spec.sampler.variance, Variance::beta);
  EXPECT_EQ(s.cases[0].spec.target.gaussian.mean, std::vector<std::string>{"0"});
  EXPECT_EQ(s.cases[1].spec.target.gaussian.mean, std::vector<std::string>{"0.5"});
  EXPECT_EQ(s.cases[2].spec.target.gaussian.kappa, "10.0");
  EXPECT_EQ(s.cases[6].spec.target.gaussian.dim, 3);
  // the decimal text survives expansion, digits beyond double precision included
  EXPECT_EQ(s.cases[4].spec.target.gaussian.kappa, "100.000000000000000000000000001");
  EXPECT_EQ(s.cases[0].spec.schedule.delta, "0.001");
  EXPECT_EQ(s.cases[5].spec.target.gaussian.dim, 2);
  EXPECT_EQ(s.cases[0].spec.numerics.precision, Precision::certified);
  EXPECT_EQ(s.cases[0].spec.numerics.digits, 30u);
  EXPECT_EQ(s.cases[0].checks, (std::vector<std::string>{"chain-rule", "mine"}));
  EXPECT_EQ(s.cases[0].swept.count("target.kappa"), 1u);
  EXPECT_EQ(s.cases[0].block, 0);
  const auto& last = s.cases.back();
  EXPECT_EQ(last.label, "vector mean");
  EXPECT_EQ(last.block, 1);
  EXPECT_EQ(last.spec.target.gaussian.mean, (std::vector<std::string>{"0.1", "0.2"}));
  ASSERT_EQ(s.user_bounds.size(), 1u);
  EXPECT_EQ(s.user_bounds[0].id, "mine");
}

TEST(Suite, RejectsBadInputNamingTheField) {
  const std::string g = kGood;
  EXPECT_EQ(field_of(replace(g, "description = \"d\"", "descr = \"d\"")), "s.toml: suite.descr");
  EXPECT_EQ(field_of(replace(g, "name = \"t\"", "name = \"\"")), "s.toml: suite.name");
  EXPECT_EQ(field_of(replace(g, "delta = 0.001", "delta = 0.001\nbogus = 1")), "s.toml: case[0].schedule.bogus");
  EXPECT_EQ(field_of(replace(g, "variance = [\"theory\", \"beta\"]", "variance = [\"theory\", \"nope\"]")),
            "s.toml: case[0].sampler.variance");
  EXPECT_EQ(field_of(replace(g, "kappa = [1.0, 10.0, 100.000000000000000000000000001]", "kappa = [1.0, 0.5]")), "s.toml: case[0].target.kappa");
  EXPECT_EQ(field_of(replace(g, "checks = [\"chain-rule\", \"mine\"]", "checks = [\"chain-rule\", \"nope\"]")),
            "s.toml: case[0].checks[1]");
  EXPECT_EQ(field_of(replace(g, "digits = 30", "digits = 3")), "s.toml: case[0].numerics.digits");
  EXPECT_EQ(field_of(replace(g, "steps = 20", "steps = 0")), "s.toml: case[0].schedule.steps");
  EXPECT_EQ(field_of(replace(g, "t_out = 1", "t_out = -1")), "s.toml: case[0].sampler.t_out");
  EXPECT_EQ(field_of(replace(g, "expr = \"2 * (E_T + D_T + B_T)\"", "expr = \"2 * (E_T + \"")).rfind("s.toml: bound[0]", 0), 0u);
  EXPECT_EQ(field_of(replace(g, "mean = [0.1, 0.2]", "mean = [0.1, 0.2, 0.3]")), "s.toml: case[1].target.mean");
  EXPECT_EQ(field_of(replace(g, "[rates]", "[ratez]")), "s.toml: ratez");
  EXPECT_EQ(field_of("[suite]\nname = \"x\"\n"), "s.toml: case");
  EXPECT_EQ(field_of("[suite\nname = 1").rfind("s.toml:", 0), 0u);  // TOML syntax error: file:line:column
}

// Suite-level misreads: a bound whose metric and measured quantity differ, keys a bound's kind does
// not read, and duplicates (bound ids, block names, checks, suite names) are errors naming the field.
TEST(Suite, RejectsMismatchesAndDuplicates) {
  const std::string g = kGood;
  const std::string rigorous = "expr = \"2 * (E_T + D_T + B_T)\"";
  const std::pair<std::string, std::string> cases[] = {
      {replace(g, "metric = \"KL\"", "metric = \"TV\"\nmeasured = \"kl\""), "bound[0].measured"},
      {replace(g, "metric = \"KL\"", "metric = \"TV\"\nmeasured = \"E_T\""), "bound[0].measured"},
      {replace(g, "metric = \"KL\"", "metric = \"KL\"\nmeasured = \"tv\""), "bound[0].measured"},
      {replace(g, "kind = \"rigorous\"", "kind = \"rate\"\nshape = \"1 / T\"\nvariable = \"T\""), "bound[0].expr"},
      {replace(g, rigorous, rigorous + "\nshape = \"1 / T\""), "bound[0].shape"},
      {replace(g, rigorous, rigorous + "\nvariable = \"T\""), "bound[0].variable"},
      {g + "[[bound]]\nid = \"mine\"\nexpr = \"1\"\n", "bound[1].id"},
      {replace(g, "tolerance = 0.1", "tolerance = -0.1"), "rates.tolerance"},
      {replace(g, "name = \"vector mean\"", "name = \"twice\"") + "[[case]]\nname = \"twice\"\n[case.target]\ndim = 1\n[case.schedule]\nsteps = 5\n",
       "case[2].name"},
      {replace(g, "checks = [\"chain-rule\", \"mine\"]", "checks = [\"chain-rule\", \"mine\", \"chain-rule\"]"), "case[0].checks[2]"},
  };
  for (const auto& [text, field] : cases) EXPECT_EQ(field_of(text), "s.toml: " + field) << text;
  // the consistent spellings still read
  EXPECT_NO_THROW(read_suite_text(replace(g, "metric = \"KL\"", "metric = \"KL\"\nmeasured = \"E_T\""), "s.toml"));
  EXPECT_NO_THROW(read_suite_text(replace(g, "metric = \"KL\"", "metric = \"TV\"\nmeasured = \"tv\""), "s.toml"));
  try {
    read_suite_text(replace(g, "metric = \"KL\"", "metric = \"TV\"\nmeasured = \"kl\""), "s.toml");
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "s.toml: bound[0].measured = \"kl\": does not match metric = \"TV\" (a TV claim is judged on \"tv\")");
  }
  // two suites of one name in a run
  std::vector<Suite> two{read_suite_text(kGood, "a.toml"), read_suite_text(kGood, "b.toml")};
  try {
    check_distinct_suites(two);
    ADD_FAILURE() << "two suites named \"t\" were accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "b.toml: suite.name");
  }
  two[1].name = "u";
  EXPECT_NO_THROW(check_distinct_suites(two));
}

TEST(Suite, ADirectoryIsNotASuiteFile) {
  try {
    read_suite_file(DIFFBOUND_SOURCE_DIR "/suites");
    ADD_FAILURE() << "a directory was read as a suite";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
  }
}

// Every shipped suite and example reads under the strict rules (no key its kind does not use).
TEST(Suite, ShippedSuitesAndExamplesRead) {
  namespace fs = std::filesystem;
  int suites = 0, examples = 0;
  for (const auto& f : fs::directory_iterator(DIFFBOUND_SOURCE_DIR "/suites"))
    if (f.path().extension() == ".toml") {
      EXPECT_NO_THROW(read_suite_file(f.path().string())) << f.path();
      ++suites;
    }
  for (const auto& f : fs::directory_iterator(DIFFBOUND_SOURCE_DIR "/examples"))
    if (f.path().extension() == ".toml") {
      EXPECT_NO_THROW(read_case_file(f.path().string())) << f.path();
      ++examples;
    }
  EXPECT_GE(suites, 8);
  EXPECT_GE(examples, 3);
}

// Every swept key appears in the case labels (issue 11): a sweep of target.mean used to give every mean
// one label. Keys label_of shows keep their labels; a named block's cases carry their swept values.
TEST(Suite, EverySweptKeyIsInTheLabel) {
  const Suite s = read_suite_text(R"TOML(
[suite]
name = "m"
[[case]]
checks = ["chain-rule"]
[case.target]
dim = 1
mean = [[0], [0.5], [1]]
[case.schedule]
steps = [10, 20, 40]
[[case]]
checks = ["chain-rule"]
[case.target]
dim = [2, 3]
[case.schedule]
steps = [10, 20]
[[case]]
name = "named"
checks = ["chain-rule"]
[case.target]
dim = 2
[case.schedule]
steps = [10, 20]
[case.score]
kind = "mismatched"
[case.score.train]
dim = 2
mean = [[0, 0], [0.5, 0.5]]
)TOML",
                                  "m.toml");
  ASSERT_EQ(s.cases.size(), 9u + 4 + 4);
  std::set<std::string> labels;
  for (const auto& c : s.cases) EXPECT_TRUE(labels.insert(c.label).second) << "duplicate label " << c.label;
  EXPECT_EQ(s.cases[0].label, "d=1 T=10 kappa=1 ddpm/theory exact mean=0");
  EXPECT_EQ(s.cases[4].label, "d=1 T=20 kappa=1 ddpm/theory exact mean=0.5");
  // swept keys all shown by the default label: unchanged
  EXPECT_EQ(s.cases[9].label, "d=2 T=10 kappa=1 ddpm/theory exact");
  EXPECT_EQ(s.cases[12].label, "d=3 T=20 kappa=1 ddpm/theory exact");
  // a named block: its name, then the swept values (T= as rate groups strip it)
  EXPECT_EQ(s.cases[13].label, "named T=10 mean=[0,0]");
  EXPECT_EQ(s.cases[16].label, "named T=20 mean=[0.5,0.5]");
  EXPECT_EQ(s.cases[13].block_name, "named");
}
