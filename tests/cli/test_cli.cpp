// The diffbound program end to end: exit statuses, error messages naming the field, no output on bad
// input, the run/list/report subcommands and the atomic report directory.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

struct Result {
  int status;
  std::string out, err;
};

// A scratch directory of this process: ctest runs each test as its own process, two at a time, and
// shared file names in TempDir() (the stderr capture, "bad.toml") raced between them.
const std::string& scratch() {
  static const std::string dir = [] {
    const std::string d = ::testing::TempDir() + "/diffbound_cli_" + std::to_string(::getpid());
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

Result run(const std::string& args) {
  const std::string dir = scratch();
  const std::string err_file = dir + "/diffbound_stderr.txt";
  const std::string cmd = std::string(DIFFBOUND_BINARY_DIR) + "/cli/diffbound " + args + " 2>" + err_file;
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
  const int raw = pclose(pipe);
  std::ifstream e(err_file);
  std::stringstream es;
  es << e.rdbuf();
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, out, es.str()};
}

std::string write(const std::string& name, const std::string& text) {
  const std::string path = scratch() + "/" + name;
  std::ofstream(path) << text;
  return path;
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
      {kCase + "[sampler]\nt_out = 3\n", "sampler.t_out"},
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

TEST(Cli, FailingCheckExitsOne) {
  const auto suite = write("f.toml", "[suite]\nname = \"f\"\n[[case]]\nchecks = [\"too-tight\"]\n[case.target]\ndim = 1\n"
                                     "[case.schedule]\nsteps = 5\n[[bound]]\nid = \"too-tight\"\nexpr = \"0.1 * kl\"\n");
  const auto r = run("run " + suite + " --out " + scratch() + "/f_report --quiet");
  EXPECT_EQ(r.status, 1) << r.out << r.err;
}

TEST(Cli, ListBounds) {
  const auto r = run("list bounds");
  EXPECT_EQ(r.status, 0);
  for (const char* id : {"chain-rule", "forward-contraction", "pinsker", "liang2024-regular", "li-yan2025", "chen2023", "benton2024",
                         "pf-ode-identity", "sde-data-processing", "girsanov-ei"})
    EXPECT_NE(r.out.find(id), std::string::npos) << id;
}

// The shipped continuous-time suite: every check decided, every check passes (a linear schedule with
// T < b_max is fine in continuous time: the discrete betas are never formed).
TEST(Cli, ContinuousTimeSuitePasses) {
  const std::string out = scratch() + "/ct_report";
  const auto r = run("run " + std::string(DIFFBOUND_SOURCE_DIR) + "/suites/continuous-time.toml --out " + out + " --jobs 2 --quiet");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("0 failed, 0 inconclusive"), std::string::npos) << r.out;
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
  EXPECT_NE(jobs.err.find("--jobs: -1 is not an integer from 0 to 4096"), std::string::npos) << jobs.err;
  EXPECT_LT(jobs.err.size(), 300u) << jobs.err;
  const auto digits = run("run " + std::string(DIFFBOUND_SOURCE_DIR) + "/suites/smoke.toml --max-digits -5 --out " + report);
  EXPECT_EQ(digits.status, 2);
  EXPECT_NE(digits.err.find("--max-digits"), std::string::npos) << digits.err;
  EXPECT_FALSE(fs::exists(report));
}
