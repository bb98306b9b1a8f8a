// The diffbound program end to end: exit statuses, error messages naming the field, no output on bad
// input, the run/list/report subcommands and the atomic report directory.
#include "tests/cli/cli_process.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

using namespace cli_test;

// Runs diffbound with `env` settings (e.g. "GITHUB_ACTIONS=true"); with `cwd`, in that directory (where a
// default --out would land).
Result run_with_env(const std::string& env, const std::string& args, const std::string& cwd = "") {
  return shell("env " + env + " " + std::string(DIFFBOUND_BINARY_DIR) + "/cli/diffbound " + args, cwd);
}

Result run(const std::string& args) { return run_with_env("", args); }
Result run_in(const std::string& cwd, const std::string& args) { return run_with_env("", args, cwd); }

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

const std::string kCase = "[target]\ndim = 2\nspectrum = \"geometric\"\nkappa = 5\n[schedule]\nsteps = 50\n";

}  // namespace

TEST(Cli, KlPrintsSummaryAndJson) {
  const auto path = write("ok.toml", kCase);
  auto r = run("kl " + path);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("KL(Q_t_out || P_t_out)"), std::string::npos);
  r = run("kl " + path + " --json");
  ASSERT_EQ(r.status, 0);
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"value", "lo", "hi", "method", "certified", "value_str", "lo_str", "hi_str"})
    EXPECT_TRUE(j["kl"].contains(key)) << key;
  for (const char* key : {"E_T", "D_T", "B_T"}) EXPECT_TRUE(j["decomposition"].contains(key)) << key;
  EXPECT_TRUE(j.contains("kl_q0_gamma"));
  EXPECT_TRUE(j["tv"].contains("lo"));
  EXPECT_TRUE(j["tv"].contains("hi"));
  EXPECT_LE(j["tv"]["lo"].get<double>(), j["tv"]["hi"].get<double>());
}

TEST(Cli, BadInputExitsTwoNamingTheFieldAndWritesNothing) {
  const std::string out = scratch() + "/should_not_exist.json";
  fs::remove(out);
  const std::pair<std::string, std::string> cases[] = {
      {kCase + "[sampler]\nt_out = -3\n", "sampler.t_out"},
      {"[target]\ndim = 2\nkappa = 0.5\nspectrum = \"geometric\"\n[schedule]\nsteps = 50\n", "target.kappa"},
      {"[target]\ndim = 2\n[schedule]\nkind = \"linear\"\nsteps = 10\n", "beta_6"},
      {"[target]\ndim = 2\nwat = 1\n[schedule]\nsteps = 50\n", "target.wat"},
      {kCase + "[numerics]\nprecision = \"quad\"\n", "numerics.precision"},
      {"[target]\ncovariance = [[1, 3], [3, 1]]\n[schedule]\nsteps = 5\n", "target.covariance"},
      // continuous-time samplers: linear schedule only, noise level > 0, Gaussian targets only
      {kCase + "[sampler]\nkind = \"sde-ei\"\n", "schedule.kind"},
      {"[target]\ndim = 2\n[schedule]\nkind = \"linear\"\nsteps = 10\nb_min = -0.1\n[sampler]\nkind = \"ode-rk4\"\n", "schedule.b_min"},
      {"[target]\nfamily = \"mixture\"\nweights = [0.5, 0.5]\nmeans = [-1, 1]\nvariances = [0.1, 0.1]\n[schedule]\nkind = \"linear\"\n"
       "steps = 10\n[sampler]\nkind = \"ode-exact\"\n", "target.family"},
  };
  for (const auto& [text, field] : cases) {
    const auto path = write("bad.toml", text);
    const auto r = run("kl " + path + " -o " + out);
    EXPECT_EQ(r.status, 2) << text;
    EXPECT_NE(r.err.find(field), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out)) << text;
  }
  EXPECT_EQ(run("kl /nonexistent/case.toml").status, 2);
  EXPECT_EQ(run("frobnicate").status, 2);
}

TEST(Cli, RunWritesReportsAndBaselines) {
  const auto suite = write("s.toml", "[suite]\nname = \"cli\"\n[[case]]\nchecks = [\"chain-rule\", \"forward-contraction\"]\n" +
                                         std::string("[case.target]\ndim = 2\nspectrum = \"two-level\"\nkappa = 3\nmean = 0.2\n"
                                                     "[case.schedule]\nsteps = [20, 40, 80]\n"));
  const std::string out = scratch() + "/cli_report";
  const std::string base = scratch() + "/cli_baseline.json";
  fs::remove_all(out);
  auto r = run("run " + suite + " --out " + out + " --jobs 2 --write-baseline " + base + " --quiet");
  EXPECT_EQ(r.status, 0) << r.err << r.out;
  for (const char* f : {"report.json", "report.md", "junit.xml", "index.html"}) EXPECT_TRUE(fs::exists(out + "/" + f)) << f;
  EXPECT_TRUE(fs::exists(base));
  EXPECT_NE(r.out.find("6 passed, 0 failed"), std::string::npos) << r.out;
  r = run("run " + suite + " --out " + out + " --baseline " + base + " --quiet");
  EXPECT_EQ(r.status, 0) << r.out;
  // report re-rendering
  r = run("report " + out + "/report.json --format junit");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("<testsuite"), std::string::npos);
  EXPECT_EQ(run("report " + out + "/report.json --format pdf").status, 2);
  // a bad suite leaves the previous report intact
  const auto before = fs::last_write_time(out + "/report.json");
  const auto bad = write("bad_suite.toml", "[suite]\nname = \"x\"\n[[case]]\nchecks = [\"no-such-bound\"]\n[case.target]\ndim = 1\n[case.schedule]\nsteps = 5\n");
  r = run("run " + bad + " --out " + out + " --quiet");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("checks[0]"), std::string::npos) << r.err;
  EXPECT_EQ(fs::last_write_time(out + "/report.json"), before);
}

// Issue 11: a 3 x 3 sweep of target.mean x schedule.steps gave 6 duplicate labels and 12 duplicate
// JUnit names. Now every swept key is in the labels, the rate groups and the plot titles, JUnit names
// are unique, and every plot is a file of its own under plots/ (linked from index.html); an estimated
// mixture result carries its enclosure on the plot, a certified one does not.
TEST(Cli, SweptKeysNameCasesTestsAndPlotFiles) {
  const auto suite = write("mean_steps.toml", R"TOML([suite]
name = "ms"
[[case]]
checks = ["chain-rule", "rate-T"]
[case.target]
dim = 1
mean = [[0], [0.5], [1]]
[case.schedule]
steps = [10, 20, 40]
[case.numerics]
precision = "certified"
digits = 30
[[case]]
checks = ["chain-rule"]
[case.target]
family = "mixture"
dim = 1
weights = [0.3, 0.7]
means = [-1.0, 1.5]
variances = [0.5, 0.5]
[case.schedule]
steps = [10, 20, 40]
[[bound]]
id = "rate-T"
kind = "rate"
metric = "KL"
shape = "1"
variable = "T"
)TOML");
  const std::string out = scratch() + "/ms_report";
  fs::remove_all(out);
  const auto r = run("run " + suite + " --out " + out + " --jobs 2 --quiet");
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  std::ifstream in(out + "/report.json");
  const auto report = nlohmann::json::parse(in);
  std::set<std::string> labels;
  for (const auto& c : report["cases"]) EXPECT_TRUE(labels.insert(c["label"].get<std::string>()).second) << c["label"];
  EXPECT_EQ(labels.size(), 12u);
  EXPECT_TRUE(labels.count("d=1 T=20 kappa=1 ddpm/theory exact mean=0.5"));
  // one rate group per mean, each named by it; the plots' titles carry it too
  std::set<std::string> groups;
  for (const auto& g : report["rates"]) groups.insert(g["group"].get<std::string>());
  EXPECT_EQ(groups, (std::set<std::string>{"d=1 kappa=1 ddpm/theory exact mean=0", "d=1 kappa=1 ddpm/theory exact mean=0.5", "d=1 kappa=1 ddpm/theory exact mean=1"}));
  std::set<std::string> titles;
  std::size_t estimated_points = 0, certified_points = 0, fits = 0;
  for (const auto& p : report["plots"]) {
    titles.insert(p["title"].get<std::string>());
    for (const auto& c : p["curves"]) {
      if (c["kind"] == "fit") {
        ++fits;
        EXPECT_NE(c["label"].get<std::string>().find("T^"), std::string::npos) << c["label"];
      }
      if (c["kind"] != "exact") continue;
      for (const auto& pt : c["points"]) {
        if (pt.size() == 4) {
          ++estimated_points;
          EXPECT_LE(pt[2].get<double>(), pt[1].get<double>());
          EXPECT_GE(pt[3].get<double>(), pt[1].get<double>());
        } else {
          ++certified_points;
        }
      }
    }
  }
  EXPECT_EQ(titles.size(), report["plots"].size());
  EXPECT_TRUE(titles.count("KL vs T (d=1 kappa=1 ddpm/theory exact mean=0.5)"));
  EXPECT_EQ(fits, 3u);                // the fitted slope of rate-T, once per mean
  EXPECT_EQ(certified_points, 9u);    // the Gaussian block: certified, no bars
  EXPECT_EQ(estimated_points, 3u);    // the mixture block: estimated, each with its enclosure
  // every plot as a file, unique names, linked from index.html, well-formed
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(out + "/plots")) files.push_back(e.path().filename().string());
  EXPECT_EQ(files.size(), report["plots"].size());
  std::ifstream html_in(out + "/index.html");
  const std::string html((std::istreambuf_iterator<char>(html_in)), std::istreambuf_iterator<char>());
  for (const auto& f : files) {
    EXPECT_EQ(f.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_."), std::string::npos) << f;
    EXPECT_NE(html.find("href=\"plots/" + f + "\""), std::string::npos) << f;
  }
  if (!fs::exists("/usr/bin/xmllint")) GTEST_SKIP() << "xmllint not installed (scripts/install-deps installs libxml2-utils)";
  for (const auto& f : files) EXPECT_EQ(std::system(("/usr/bin/xmllint --noout '" + out + "/plots/" + f + "'").c_str()), 0) << f;
  // JUnit: well-formed and every testcase name distinct (GitLab keeps only the first of duplicates)
  const std::string names_file = scratch() + "/ms_names.txt";
  ASSERT_EQ(std::system(("/usr/bin/xmllint --xpath '//testcase/@name' '" + out + "/junit.xml' > '" + names_file + "'").c_str()), 0);
  std::ifstream names_in(names_file);
  const std::string names((std::istreambuf_iterator<char>(names_in)), std::istreambuf_iterator<char>());
  std::set<std::string> unique;
  std::size_t count = 0;
  for (std::size_t at = names.find("name=\""); at != std::string::npos; at = names.find("name=\"", at + 1)) {
    const std::size_t end = names.find('"', at + 6);
    unique.insert(names.substr(at + 6, end - at - 6));
    ++count;
  }
  EXPECT_EQ(count, 12u + 3);  // 12 chain-rule checks, 3 rate claims (one per mean)
  EXPECT_EQ(unique.size(), count) << names;
}

TEST(Cli, FailingCheckExitsOne) {
  const auto suite = write("f.toml", "[suite]\nname = \"f\"\n[[case]]\nchecks = [\"too-tight\"]\n[case.target]\ndim = 1\n"
                                     "[case.schedule]\nsteps = 5\n[[bound]]\nid = \"too-tight\"\nexpr = \"0.1 * kl\"\n");
  const auto r = run("run " + suite + " --out " + scratch() + "/f_report --quiet");
  EXPECT_EQ(r.status, 1) << r.out << r.err;
}

// Expected verdicts (docs/suite-file.md, expect): a suite whose only non-pass is an expected fail
// exits 0 and says so; an expected fail that passes exits 1; a bad expect exits 2 and writes nothing.
TEST(Cli, ExpectedVerdictsAndTheExitStatus) {
  const std::string head = "[suite]\nname = \"e\"\n[[case]]\nchecks = [\"too-tight\", \"chain-rule\"]\n";
  const std::string body = "[case.target]\ndim = 2\nspectrum = \"two-level\"\nkappa = 3\nmean = 0.2\n[case.schedule]\nsteps = 20\n"
                           "[[bound]]\nid = \"too-tight\"\nexpr = \"0.1 * kl\"\n";
  const std::string out = scratch() + "/e_report";
  fs::remove_all(out);
  auto r = run("run " + write("e.toml", head + "expect = { \"too-tight\" = \"fail\" }\n" + body) + " --out " + out + " --quiet");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("1 passed, 1 failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 as expected"), std::string::npos) << r.out;
  std::ifstream in(out + "/report.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["cases"][0]["checks"][0]["verdict"], "fail");
  EXPECT_EQ(j["cases"][0]["checks"][0]["expected"]["met"], true);
  EXPECT_EQ(j["summary"]["exit_status"], 0);
  r = run("run " + write("e.toml", head + "expect = { \"chain-rule\" = \"fail\", \"too-tight\" = \"fail\" }\n" + body) + " --out " +
          out + " --quiet");
  EXPECT_EQ(r.status, 1) << r.out << r.err;  // chain-rule passes: unexpected-pass
  EXPECT_NE(r.out.find("1 unexpected"), std::string::npos) << r.out;
  const std::string gone = scratch() + "/e_bad_report";
  fs::remove_all(gone);
  for (const auto& [expect, field] : {std::pair<std::string, std::string>{"expect = { \"pinsker\" = \"fail\" }", "case[0].expect.pinsker"},
                                      {"expect = { \"too-tight\" = \"xfail\" }", "case[0].expect.too-tight"}}) {
    r = run("run " + write("e_bad.toml", head + expect + "\n" + body) + " --out " + gone + " --quiet");
    EXPECT_EQ(r.status, 2) << expect;
    EXPECT_NE(r.err.find(field), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(gone)) << expect;
  }
}

TEST(Cli, ListBounds) {
  const auto r = run("list bounds");
  EXPECT_EQ(r.status, 0);
  for (const char* id : {"chain-rule", "forward-contraction", "pinsker", "liang2024-regular", "li-yan2025", "chen2023", "benton2024",
                         "pf-ode-identity", "sde-data-processing", "girsanov-ei", "li-yan2025-posterior"})
    EXPECT_NE(r.out.find(id), std::string::npos) << id;
  // each row shows its provenance level (MATH.md top, §5)
  const auto row = [&](const std::string& id) {
    const auto at = r.out.find(id + " ");
    return at == std::string::npos ? std::string() : r.out.substr(at, r.out.find('\n', at) - at);
  };
  EXPECT_NE(row("li-yan2025").find(" read "), std::string::npos) << row("li-yan2025");
  EXPECT_NE(row("li-yan2025-posterior").find(" read-secondary "), std::string::npos) << row("li-yan2025-posterior");
  EXPECT_NE(row("girsanov-ei").find(" read-secondary "), std::string::npos) << row("girsanov-ei");
  EXPECT_NE(row("liang2024-regular").find(" shape-only "), std::string::npos) << row("liang2024-regular");
  EXPECT_NE(row("chain-rule").find(" standard "), std::string::npos) << row("chain-rule");
}

// The shipped continuous-time suite: every check decided, every check passes (a linear schedule with
// T < b_max is fine in continuous time: the discrete betas are never formed).
TEST(Cli, ContinuousTimeSuitePasses) {
  const std::string out = scratch() + "/ct_report";
  const auto r = run("run " + std::string(DIFFBOUND_SOURCE_DIR) + "/suites/continuous-time.toml --out " + out + " --jobs 2 --quiet");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("0 failed, 0 inconclusive"), std::string::npos) << r.out;
}

// The explicit-constant suite: every bound decided and holding on its sweep (the documented violations and the
// attained case live in suites/findings.toml).
TEST(Cli, ExplicitConstantsSuitePasses) {
  const std::string out = scratch() + "/ec_report";
  const auto r = run("run " + std::string(DIFFBOUND_SOURCE_DIR) + "/suites/explicit-constants.toml --out " + out + " --jobs 2 --quiet");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(" passed, 0 failed, 0 inconclusive"), std::string::npos) << r.out;
}

// The findings suite: every documented violation ends as expected (exit 0), and the report says so; the same suite
// with one expectation turned around exits 1.
TEST(Cli, FindingsSuiteEndsAsExpected) {
  const std::string out = scratch() + "/findings_report";
  const std::string suite = std::string(DIFFBOUND_SOURCE_DIR) + "/suites/findings.toml";
  const auto r = run("run " + suite + " --out " + out + " --jobs 2 --quiet");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("14 as expected"), std::string::npos) << r.out;
  std::ifstream in(suite);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string from = "expect = { \"bo-ddnm-below-ddnm\" = \"fail\" }";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "expect = { \"bo-ddnm-below-ddnm\" = \"pass\" }");
  const auto flipped = run("run " + write("findings_flipped.toml", text) + " --out " + out + "_flipped --quiet");
  EXPECT_EQ(flipped.status, 1) << flipped.out << flipped.err;
}

TEST(Cli, StudiesRunAndBadStudyInputExitsTwo) {
  const std::string study = "[suite]\nname = \"st\"\n[[study]]\nkind = \"gaussian-structure\"\nnoise_levels = [0.1, 1]\n"
                            "[study.target]\nfamily = \"mixture\"\nweights = [0.5, 0.5]\nmeans = [-1, 1]\nvariances = [0.2, 0.2]\n"
                            "[[study]]\nkind = \"noise-classifier\"\npoints = [0.5]\nzeta = [1]\n"
                            "[study.target]\nfamily = \"gaussian\"\ndim = 1\n";
  const std::string out = scratch() + "/cli_study_report";
  fs::remove_all(out);
  auto r = run("run " + write("study.toml", study) + " --out " + out + " --quiet");
  EXPECT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("4 passed, 0 failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lmmse-equals-gaussian-denoiser sigma = 0.1"), std::string::npos) << r.out;
  r = run("report " + out + "/report.json --format md");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("## Studies"), std::string::npos);
  const std::pair<std::string, std::string> bad[] = {
      {[&] { std::string s = study; return s.replace(s.find("zeta = [1]"), 10, "zeta = [1]\nwat = 1"); }(), "study[1].wat"},
      {[&] { std::string s = study; return s.replace(s.find("[0.1, 1]"), 8, "[0.1, 0]"); }(), "study[0].noise_levels[1]"},
      {[&] { std::string s = study; return s.replace(s.find("zeta = [1]"), 10, "zeta = [nan]"); }(), "study[1].zeta[0]"},
  };
  for (const auto& [text, field] : bad) {
    fs::remove_all(out + "_bad");
    r = run("run " + write("bad_study.toml", text) + " --out " + out + "_bad --quiet");
    EXPECT_EQ(r.status, 2) << text;
    EXPECT_NE(r.err.find(field), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out + "_bad")) << text;
  }
}

// Zero-shot (issue: bad input exits 2 with the field named, nothing written): H of the wrong shape,
// sigma_y < 0, y of the wrong length, H = 0; and a drawn measurement is recorded in the JSON.
TEST(Cli, ZeroShotCaseAndBadProblemInput) {
  const std::string base = kCase + "[score]\nkind = \"bo-ddnm\"\n[problem]\n";
  auto r = run("kl " + write("zs.toml", base + "H = \"conditioned\"\nkappa_H = 10\nsigma_y = 0.1\ny = \"draw\"\nseed = 4\n") + " --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["problem"]["y"].size(), 2u);
  EXPECT_EQ(j["problem"]["x0"].size(), 2u);
  EXPECT_NEAR(j["problem"]["kappa_H"].get<double>(), 10, 1e-9);
  const std::pair<std::string, std::string> bad[] = {
      {"H = [[1, 0, 0]]\nsigma_y = 0.1\ny = [1]\n", "problem.H[0]"},
      {"H = [[1, 0]]\nsigma_y = -0.1\ny = [1]\n", "problem.sigma_y"},
      {"H = [[1, 0]]\nsigma_y = 0.1\ny = [1, 2]\n", "problem.y"},
      {"H = [[0, 0]]\nsigma_y = 0.1\ny = [1]\n", "problem.H"},
      {"H = \"inpaint\"\nobserved = [5]\nsigma_y = 0.1\ny = [1]\n", "problem.observed[0]"},
      {"H = \"identity\"\nsigma_y = 0.1\ny = [1, 2]\nwat = 1\n", "problem.wat"},
  };
  for (const auto& [text, field] : bad) {
    const std::string out = scratch() + "/zs_bad.json";
    fs::remove(out);
    r = run("kl " + write("zs_bad.toml", base + text) + " -o " + out);
    EXPECT_EQ(r.status, 2) << text << r.err;
    EXPECT_NE(r.err.find(field), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
  }
}

// Issue 15's silent misreads end to end: each is exit 2 naming the field and value, nothing written.
TEST(Cli, SilentMisreadsExitTwoAndWriteNothing) {
  const std::string out = scratch() + "/misread.json";
  fs::remove(out);
  const std::string mixture = "[target]\nfamily = \"mixture\"\nweights = [0.5, 0.5]\nmeans = [-1, 1]\nvariances = [0.1, 0.1]\n";
  const std::pair<std::string, std::string> cases[] = {
      {"[target]\neigenvalues = [1, 2]\ncovariance = [[1, 0], [0, 1]]\n[schedule]\nsteps = 50\n", "target.eigenvalues = [1, 2]: conflicts"},
      {kCase + "[sampler]\nkind = \"ddim\"\nvariance = \"beta\"\n", "sampler.variance = \"beta\": is not used by kind = \"ddim\""},
      {"[target]\ndim = 1\nmean = 1e-400\n[schedule]\nsteps = 50\n", "target.mean = 1e-400:"},
      {"[target]\ndim = 1\n[schedule]\nsteps = 1000000000\n", "schedule.steps = 1000000000:"},
      {mixture + "[schedule]\nsteps = 10\n[numerics]\nprecision = \"mpfr\"\ndigits = 330\n", "numerics.digits = 330:"},
  };
  for (const auto& [text, message] : cases) {
    const auto r = run("kl " + write("misread.toml", text) + " -o " + out);
    EXPECT_EQ(r.status, 2) << text;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out)) << text;
  }
  const auto dir = run("kl " + scratch());
  EXPECT_EQ(dir.status, 2);
  EXPECT_NE(dir.err.find("is a directory"), std::string::npos) << dir.err;
  // a study point where the identity overflows: exit 2, no report directory
  const std::string report = scratch() + "/misread_out";
  fs::remove_all(report);
  const auto study = run("run " +
                         write("misread_suite.toml", "[suite]\nname = \"m\"\n[[study]]\nkind = \"density-identity\"\n"
                                                     "points = [1e300]\n[study.target]\ndim = 1\n") +
                         " --out " + report + " --quiet");
  EXPECT_EQ(study.status, 2);
  EXPECT_NE(study.err.find("study[0].points[0] = 1e300"), std::string::npos) << study.err;
  EXPECT_FALSE(fs::exists(report));
  // option values: the message names the option and its range, not a 300-digit double
  const auto jobs = run("run " + std::string(DIFFBOUND_SOURCE_DIR) + "/suites/smoke.toml --jobs -1 --out " + report);
  EXPECT_EQ(jobs.status, 2);
  EXPECT_NE(jobs.err.find("--jobs"), std::string::npos) << jobs.err;
  EXPECT_NE(jobs.err.find("--jobs = -1: must be an integer from 0 to 4096"), std::string::npos) << jobs.err;
  EXPECT_LT(jobs.err.size(), 300u) << jobs.err;
  const auto digits = run("run " + std::string(DIFFBOUND_SOURCE_DIR) + "/suites/smoke.toml --max-digits -5 --out " + report);
  EXPECT_EQ(digits.status, 2);
  EXPECT_NE(digits.err.find("--max-digits"), std::string::npos) << digits.err;
  EXPECT_FALSE(fs::exists(report));
}

namespace {

const std::string kSuite = "[suite]\nname = \"paths\"\n[[case]]\nchecks = [\"chain-rule\"]\n[case.target]\ndim = 1\n[case.schedule]\nsteps = 5\n";

// The names in dir (a scratch folder of one test), to see that a refused command left nothing behind.
std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string fresh_dir(const std::string& name) {
  const std::string d = scratch() + "/" + name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

}  // namespace

// Output paths (kl -o, run --out and --write-baseline, report -o) are checked before anything is read or
// computed: exit 2, the option and the path named, no progress line, nothing written (no .tmp file either).
TEST(Cli, OutputPathsAreCheckedBeforeComputingAndNothingIsWritten) {
  const std::string dir = fresh_dir("out_paths");
  const auto case_path = write("paths_case.toml", kCase);
  const auto suite = write("paths_suite.toml", kSuite);
  fs::create_directories(dir + "/a_directory");
  std::ofstream(dir + "/a_file") << "keep";
  const auto before = entries(dir);
  struct Bad {
    std::string args, option, why;
  };
  const Bad bad[] = {
      {"kl " + case_path + " -o " + dir + "/a_directory", "-o", "is a directory"},
      {"kl " + case_path + " -o " + dir + "/", "-o", "is a directory"},
      {"kl " + case_path + " -o " + dir + "/missing/x.json", "-o", "does not exist"},
      {"kl " + case_path + " -o " + dir + "/a_file/x.json", "-o", "is not a directory"},
      {"kl " + case_path + " -o /dev/null", "-o", "not a regular file"},
      {"run " + suite + " --out " + dir + "/a_file", "--out", "exists and is not a directory"},
      {"run " + suite + " --out " + dir + "/a_file/sub/report", "--out", "is not a directory"},
      {"run " + suite + " --out " + dir + "/report --write-baseline " + dir + "/a_directory", "--write-baseline", "is a directory"},
      {"run " + suite + " --out " + dir + "/report --write-baseline " + dir + "/missing/b.json", "--write-baseline", "does not exist"},
      {"report " + std::string(DIFFBOUND_SOURCE_DIR) + "/tests/reports/fixtures/report.json -o " + dir + "/a_directory", "-o",
       "is a directory"},
  };
  for (const auto& b : bad) {
    const auto r = run(b.args);  // no --quiet: a computation would print progress lines on stderr
    EXPECT_EQ(r.status, 2) << b.args << "\n" << r.err;
    EXPECT_NE(r.err.find(b.option + " = "), std::string::npos) << b.args << "\n" << r.err;
    EXPECT_NE(r.err.find(b.why), std::string::npos) << b.args << "\n" << r.err;
    EXPECT_EQ(r.err.find("[1/1]"), std::string::npos) << "computed before refusing: " << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(entries(dir), before) << b.args;  // no report directory, no baseline, no .tmp file
    EXPECT_TRUE(fs::is_empty(dir + "/a_directory")) << b.args;
  }
  // The refusals do not refuse what is fine: a report directory whose parents do not exist yet.
  const auto r = run("run " + suite + " --out " + dir + "/new/nested/report --write-baseline " + dir + "/b.json --quiet");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir + "/new/nested/report/report.json"));
  EXPECT_TRUE(fs::exists(dir + "/b.json"));
}

// --max-digits and --jobs are refused up front with the option, the value and the range; a 300-digit value
// gets the same project-style message, not CLI11's conversion error.
TEST(Cli, IntegerOptionsOutOfRangeAreRefusedNamingTheOption) {
  const std::string dir = fresh_dir("int_options");
  const auto suite = write("int_suite.toml", kSuite);
  const std::string huge(300, '9');
  const std::pair<std::string, std::string> bad[] = {
      {"--max-digits 5", "--max-digits = 5: must be an integer from 16 to 10000"},
      {"--max-digits 10001", "--max-digits = 10001: must be an integer from 16 to 10000"},
      {"--max-digits -40", "--max-digits = -40: must be an integer from 16 to 10000"},
      {"--max-digits 1e3", "--max-digits = 1e3: must be an integer"},
      {"--max-digits " + huge, "--max-digits = 9999999999"},
      {"--jobs -1", "--jobs = -1: must be an integer from 0 to 4096"},
      {"--jobs two", "--jobs = two: must be an integer"},
      {"--jobs " + huge, "(300 characters): must be an integer from 0 to 4096"},
  };
  for (const auto& [option, message] : bad) {
    const auto r = run("run " + suite + " --out " + dir + "/report " + option);
    EXPECT_EQ(r.status, 2) << option << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("diffbound run: error: --", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("[1/1]"), std::string::npos) << r.err;
    EXPECT_LT(r.err.size(), 400u) << r.err;  // one line, the value abridged
    EXPECT_FALSE(fs::exists(dir + "/report")) << option;
  }
  const auto r = run("run " + suite + " --out " + dir + "/report --max-digits 16 --jobs 1 --quiet");
  EXPECT_EQ(r.status, 0) << r.err;
}

// An input file that is a directory (a case, a suite, --baseline, a report) is named as such.
TEST(Cli, DirectoryGivenAsInputFileSaysSo) {
  const std::string dir = fresh_dir("input_dirs");
  const auto suite = write("in_suite.toml", kSuite);
  const std::pair<std::string, std::string> bad[] = {
      {"kl " + dir, "case = " + dir + ": is a directory; expected a file"},
      {"run " + dir + " --out " + dir + "/r", "suite = " + dir + ": is a directory; expected a file"},
      {"run " + suite + " --baseline " + dir + " --out " + dir + "/r", "--baseline = " + dir + ": is a directory; expected a file"},
      {"report " + dir, "report = " + dir + ": is a directory; expected a file"},
      {"kl " + dir + "/missing.toml", "case = " + dir + "/missing.toml: no such file"},
  };
  for (const auto& [args, message] : bad) {
    const auto r = run(args);
    EXPECT_EQ(r.status, 2) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_TRUE(fs::is_empty(dir)) << args;
  }
}

// Command-line syntax errors (CLI11's) come in the project's style: the command, "error:", a hint; exit 2.
TEST(Cli, CommandLineErrorsInProjectStyle) {
  auto r = run("run");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.rfind("diffbound run: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("suites"), std::string::npos) << r.err;
  r = run("kl --frobnicate x.toml");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.rfind("diffbound kl: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("--frobnicate"), std::string::npos) << r.err;
  r = run("report x.json --format pdf");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--format = pdf"), std::string::npos) << r.err;
  r = run("--version");
  EXPECT_EQ(r.status, 0);
  r = run("run --help");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("--max-digits"), std::string::npos);
}

// GitHub Actions (docs/suite-file.md#github-actions): annotations at the [[case]] header line of the
// failing block, the step summary appended to, nothing of either without the variables.
TEST(Cli, GithubAnnotationsPointAtTheFailingCaseBlock) {
  const auto suite = write("gh.toml", "[suite]\nname = \"gh\"\n\n"                                 // lines 1-3
                                      "[[case]]\nchecks = [\"chain-rule\"]\n[case.target]\ndim = 1\n"  // 4-7
                                      "[case.schedule]\nsteps = 5\n\n"                                  // 8-10
                                      "# the failing block\n[[case]]\nchecks = [\"too-tight\"]\n"     // 11-13
                                      "[case.target]\ndim = 1\n[case.schedule]\nsteps = [5, 6]\n"       // 14-17
                                      "[[bound]]\nid = \"too-tight\"\nexpr = \"0.1 * kl\"\n");
  const std::string out = scratch() + "/gh_report";
  auto r = run_with_env("GITHUB_ACTIONS=true", "run " + suite + " --out " + out + " --quiet");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(count_of(r.out, "::error "), 2u) << r.out;
  EXPECT_NE(r.out.find("::error file=" + suite + ",line=12,title=diffbound%3A too-tight fail::gh/1 ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("::error file=" + suite + ",line=12,title=diffbound%3A too-tight fail::gh/2 ("), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("line=4"), std::string::npos) << r.out;  // the passing block has none
  const auto report = nlohmann::json::parse(read(out + "/report.json"));
  EXPECT_EQ(report["cases"][0]["source"], (nlohmann::json{{"file", suite}, {"line", 4}}));
  EXPECT_EQ(report["cases"][2]["swept"], (nlohmann::json{{"schedule.steps", "6"}}));

  // --github does the same without the variable; without either, nothing
  r = run("run " + suite + " --out " + out + " --quiet --github");
  EXPECT_EQ(count_of(r.out, "::error "), 2u) << r.out;
  r = run("run " + suite + " --out " + out + " --quiet");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out.find("::"), std::string::npos) << r.out;
  r = run_with_env("GITHUB_ACTIONS=false", "run " + suite + " --out " + out + " --quiet");
  EXPECT_EQ(r.out.find("::"), std::string::npos) << r.out;
}

TEST(Cli, GithubAnnotationsStopAtTenWithANotice) {
  const auto suite = write("gh12.toml", "[suite]\nname = \"gh12\"\n[[case]]\nchecks = [\"too-tight\"]\n[case.target]\ndim = 1\n"
                                        "[case.schedule]\nsteps = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]\n"
                                        "[[bound]]\nid = \"too-tight\"\nexpr = \"0.1 * kl\"\n");
  const auto r = run_with_env("GITHUB_ACTIONS=true", "run " + suite + " --out " + scratch() + "/gh12_report --quiet");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(count_of(r.out, "::error file=" + suite + ",line=3,"), 10u) << r.out;
  EXPECT_NE(r.out.find("::notice::2 more failing checks not annotated; see report.md\n"), std::string::npos) << r.out;
}

TEST(Cli, StepSummaryIsAppendedAndABadPathExitsTwo) {
  const auto suite = write("ss.toml", "[suite]\nname = \"ss\"\n[[case]]\nchecks = [\"chain-rule\"]\n[case.target]\ndim = 1\n"
                                      "[case.schedule]\nsteps = 5\n");
  const std::string out = scratch() + "/ss_report";
  const std::string summary = write("step_summary.md", "previous step\n");
  auto r = run_with_env("GITHUB_STEP_SUMMARY=" + summary, "run " + suite + " --out " + out + " --quiet");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.find("::"), std::string::npos) << r.out;  // a summary does not turn annotations on
  const std::string md = read(out + "/report.md");
  ASSERT_FALSE(md.empty());
  EXPECT_EQ(read(summary), "previous step\n" + md);
  r = run_with_env("GITHUB_STEP_SUMMARY=" + summary, "run " + suite + " --out " + out + " --quiet");
  EXPECT_EQ(read(summary), "previous step\n" + md + read(out + "/report.md"));  // appended again, nothing lost

  // unset: the file is not touched
  const std::string before = read(summary);
  r = run("run " + suite + " --out " + out + " --quiet");
  EXPECT_EQ(read(summary), before);

  // a directory, or a missing directory: exit 2 naming the variable, before anything is computed
  const std::string fresh = scratch() + "/ss_fresh";
  fs::remove_all(fresh);
  for (const std::string& bad : {scratch(), scratch() + "/no/such/dir/summary.md"}) {
    r = run_with_env("GITHUB_STEP_SUMMARY=" + bad, "run " + suite + " --out " + fresh + " --quiet");
    EXPECT_EQ(r.status, 2) << bad;
    EXPECT_NE(r.err.find("GITHUB_STEP_SUMMARY"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(bad), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(fresh)) << bad;
  }
}

TEST(Cli, ReportFormatsCsvAndLatexAndAnUnknownOneExitsTwo) {
  const auto suite = write("fmt.toml", "[suite]\nname = \"fmt\"\n[[case]]\nchecks = [\"chain-rule\"]\n[case.target]\ndim = 2\n"
                                       "spectrum = \"geometric\"\nkappa = [2, 5]\n[case.schedule]\nsteps = 5\n");
  const std::string out = scratch() + "/fmt_report";
  ASSERT_EQ(run("run " + suite + " --out " + out + " --quiet").status, 0);
  auto r = run("report " + out + "/report.json --format csv");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("suite,case,label,target.kappa,error,kl,", 0), 0u) << r.out;
  EXPECT_EQ(count_of(r.out, "\r\n"), 3u) << r.out;  // header and a row per case x check
  EXPECT_NE(r.out.find("\r\nfmt,fmt/1,"), std::string::npos) << r.out;
  r = run("report " + out + "/report.json --format latex");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(count_of(r.out, "\\toprule"), 2u) << r.out;
  r = run("report " + out + "/report.json --format xlsx -o " + scratch() + "/x.out");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--format = xlsx"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("md, junit, html, csv or latex"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_FALSE(fs::exists(scratch() + "/x.out"));
}

// ---- Shards and merge (verify/shard.hpp, docs/cluster.md) ----

// The report without what differs from run to run: wall times, the start time, the thread count.
// The issue's acceptance: a 3-shard run merged equals the single run, on shipped suites with rate claims,
// plots, expectations, studies and the explicit-constant bounds' inputs (every field of a result crosses
// the part file).
TEST(Cli, ThreeShardsMergedEqualTheSingleRun) {
  const std::string src = std::string(DIFFBOUND_SOURCE_DIR) + "/suites/";
  const std::string suites = src + "smoke.toml " + src + "findings.toml " + src + "gaussian-structure.toml " + src + "explicit-constants.toml";
  const std::string dir = fresh_dir("shards");
  const auto single = run("run " + suites + " --out " + dir + "/single --jobs 2 --quiet");
  ASSERT_EQ(single.status, 0) << single.err;
  std::string parts;
  for (int k = 1; k <= 3; ++k) {
    const auto r = run("run " + suites + " --shard " + std::to_string(k) + "/3 --out " + dir + "/part" + std::to_string(k) + " --quiet");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("part written: "), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(dir + "/part" + std::to_string(k) + "/report.json"));  // a shard summarizes nothing
    parts += " " + dir + "/part" + std::to_string(k);
  }
  // parts in any order
  const auto merged = run("merge" + std::string(" ") + dir + "/part3 " + dir + "/part1/part.json " + dir + "/part2 --out " + dir + "/merged --quiet");
  ASSERT_EQ(merged.status, single.status) << merged.err;
  EXPECT_EQ(without_timings(report_at(dir + "/merged")), without_timings(report_at(dir + "/single")));
  EXPECT_EQ(read(dir + "/merged/report.md").empty(), false);
  // one shard of one: the whole run
  ASSERT_EQ(run("run " + suites + " --shard 1/1 --out " + dir + "/whole --quiet").status, 0);
  ASSERT_EQ(run("merge " + dir + "/whole --out " + dir + "/merged1 --quiet").status, 0);
  EXPECT_EQ(without_timings(report_at(dir + "/merged1")), without_timings(report_at(dir + "/single")));
}

// run --dry-run: the plan and its estimated cost per suite and engine; nothing computed or written; options
// that only matter for output are errors naming them.
TEST(Cli, DryRunPrintsThePlanAndWritesNothing) {
  const std::string src = std::string(DIFFBOUND_SOURCE_DIR) + "/suites/";
  const std::string dir = fresh_dir("dry");
  const auto r = run_in(dir, "run " + src + "smoke.toml " + src + "findings.toml --dry-run -j 2");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("dry run of the run: nothing is computed or written"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("smoke                              17            17        0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("wall time on 2 workers"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");  // no progress lines: nothing ran
  EXPECT_TRUE(fs::is_empty(dir)) << "a dry run wrote something";
  const auto shard = run_in(dir, "run " + src + "smoke.toml --dry-run --shard 2/2");
  ASSERT_EQ(shard.status, 0) << shard.err;
  EXPECT_NE(shard.out.find("dry run of shard 2/2"), std::string::npos) << shard.out;
  for (const std::string& bad : std::vector<std::string>{"--out x", "--baseline " + src + "smoke.toml", "--write-baseline b.json", "--fail-on-inconclusive",
                                "--github", "--shard 3/2", "-j -1"}) {
    const auto e = run_in(dir, "run " + src + "smoke.toml --dry-run " + bad);
    EXPECT_EQ(e.status, 2) << bad;
    EXPECT_NE(e.err.find(bad.substr(0, bad.find(' '))), std::string::npos) << bad << ": " << e.err;
    EXPECT_EQ(e.out, "") << bad;
  }
  EXPECT_TRUE(fs::is_empty(dir));
  // a bad suite is the usual error
  const auto bad_suite = run_in(dir, "run " + write("dry_bad.toml", "[suite]\nname = \"x\"\n[[case]]\nchecks = [\"nope\"]\n") + " --dry-run");
  EXPECT_EQ(bad_suite.status, 2);
  EXPECT_NE(bad_suite.err.find("case[0].target"), std::string::npos) << bad_suite.err;
}

// suites/paper-scale.toml (never run in CI: CPU-days) is read, validated and planned in full: >= 10^4 cases,
// every engine; the grid's corners are in it (d = 10^4, T = 10^5, kappa = 10^6).
TEST(Cli, PaperScaleSuitePlansAPapersGrid) {
  const std::string suite = std::string(DIFFBOUND_SOURCE_DIR) + "/suites/paper-scale.toml";
  const auto r = run("run " + suite + " --dry-run -j 64");
  ASSERT_EQ(r.status, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  long cases = -1;
  std::set<std::string> engines;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string first;
    words >> first;
    if (first == "total") words >> cases;
    if (line.rfind("  ", 0) == 0) engines.insert(first);
  }
  EXPECT_GE(cases, 10000) << r.out;
  EXPECT_EQ(engines, (std::set<std::string>{"continuous", "fast", "mixture"})) << r.out;
  const std::string text = read(suite);
  for (const std::string corner : {"10000]", "100000]", "1e6]", "steps = [100, 300, 1000, 3000, 10000]"})
    EXPECT_NE(text.find(corner), std::string::npos) << corner;
}

// Parts that do not form one run: exit 2 naming the part (or the missing shard), nothing written.
TEST(Cli, MergeRefusesPartsThatAreNotOneRun) {
  const std::string smoke = std::string(DIFFBOUND_SOURCE_DIR) + "/suites/smoke.toml";
  const std::string findings = std::string(DIFFBOUND_SOURCE_DIR) + "/suites/findings.toml";
  const std::string dir = fresh_dir("bad_parts");
  for (int k = 1; k <= 2; ++k)
    ASSERT_EQ(run("run " + smoke + " --shard " + std::to_string(k) + "/2 --out " + dir + "/s" + std::to_string(k) + " --quiet").status, 0);
  ASSERT_EQ(run("run " + findings + " --shard 2/2 --out " + dir + "/f2 --quiet").status, 0);
  ASSERT_EQ(run("run " + smoke + " --shard 2/3 --out " + dir + "/t2 --quiet").status, 0);
  nlohmann::json tampered = nlohmann::json::parse(read(dir + "/s2/part.json"));
  tampered["revision"] = "0000000";
  const std::string old_revision = write("old_revision_part.json", tampered.dump());
  const std::string out = dir + "/merged";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {dir + "/s1", "part = shard 2/2: is missing"},
      {dir + "/s1 " + dir + "/s2 " + dir + "/s2", "part = " + dir + "/s2: shard 2/2 is also " + dir + "/s2"},
      {dir + "/s1 " + dir + "/f2", "part = " + dir + "/f2: its suites differ from those of " + dir + "/s1"},
      {dir + "/s1 " + dir + "/t2", "part = " + dir + "/t2: is shard 2/3"},
      {dir + "/s1 " + old_revision, "part = " + old_revision + ": written by revision \"0000000\""},
      {dir + "/s1 " + smoke, "part = " + smoke + ": not valid JSON"},
      {dir + "/s1 " + dir + "/nothing", "part = " + dir + "/nothing: cannot be read"},
  };
  for (const auto& [args, message] : cases) {
    const auto r = run("merge " + args + " --out " + out + " --quiet");
    EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find("diffbound merge: error: " + message), std::string::npos) << args << "\n" << r.err;
    EXPECT_FALSE(fs::exists(out)) << args;
  }
  // what only a whole run has belongs to merge, not to a shard
  for (const std::string& option : {std::string("--baseline ") + smoke, std::string("--write-baseline ") + dir + "/b.json",
                                    std::string("--fail-on-inconclusive"), std::string("--github")}) {
    const auto r = run("run " + smoke + " --shard 1/2 " + option + " --out " + dir + "/x --quiet");
    EXPECT_EQ(r.status, 2) << option;
    EXPECT_NE(r.err.find("belongs to `diffbound merge`"), std::string::npos) << option << r.err;
    EXPECT_FALSE(fs::exists(dir + "/x")) << option;
  }
  for (const std::string shard : {"0/2", "3/2", "1/0", "1", "a/b", "1/2/3", "1/200000"}) {
    const auto r = run("run " + smoke + " --shard " + shard + " --out " + dir + "/y --quiet");
    EXPECT_EQ(r.status, 2) << shard;
    EXPECT_NE(r.err.find("--shard = " + shard + ": must be K/N"), std::string::npos) << shard << r.err;
  }
}
