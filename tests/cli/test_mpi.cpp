// `mpirun -np N diffbound run` (docs/cluster.md#mpi), built with DIFFBOUND_WITH_MPI only: the ranks' report
// equals the single-process one (timings aside), and bad input or a failing rank ends every rank with the
// usual message and exit status, nothing written. mpirun runs with OMPI_ALLOW_RUN_AS_ROOT(_CONFIRM) (CI runs as
// root), and ctest gives each test a timeout, so a rank that hangs fails the test instead of the CI.
#include "tests/cli/cli_process.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

using namespace cli_test;

const std::string diffbound = std::string(DIFFBOUND_BINARY_DIR) + "/cli/diffbound";

Result run(const std::string& args) { return shell(diffbound + " " + args); }

// Shared memory and loopback only (no network interface is needed, and none is probed); oversubscribed, as a
// CI machine has fewer cores than ranks.
Result mpirun(int ranks, const std::string& args, const std::string& env = "") {
  return shell("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 " + env + " " + DIFFBOUND_MPIEXEC + " --oversubscribe --mca btl self,vader -np " + std::to_string(ranks) + " " + diffbound +
               " " + args);
}

// A study beside smoke's cases: studies are handed out too.
const std::string kStudySuite =
    "[suite]\nname = \"mpi-study\"\n[[study]]\nkind = \"gaussian-structure\"\nname = \"1-D mixture\"\nnoise_levels = [0.1, 1, 10]\n"
    "[study.target]\nfamily = \"mixture\"\nweights = [0.3, 0.7]\nmeans = [-1.5, 1.5]\nvariances = [0.2, 0.2]\n";

std::string suites() { return std::string(DIFFBOUND_SOURCE_DIR) + "/suites/smoke.toml " + write("study.toml", kStudySuite); }

}  // namespace

TEST(Mpi, VersionSaysMpiIsBuiltIn) {
  const auto r = run("--version");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("MPI: built in (Open MPI "), std::string::npos) << r.out;
}

// The acceptance: 3 ranks (one handing out, two computing) write the single run's report.
TEST(Mpi, ThreeRanksWriteTheSingleRunsReport) {
  const std::string dir = scratch() + "/three";
  const auto single = run("run " + suites() + " --out " + dir + "/single --quiet");
  ASSERT_EQ(single.status, 0) << single.err;
  const auto ranks = mpirun(3, "run " + suites() + " --out " + dir + "/mpi");
  ASSERT_EQ(ranks.status, single.status) << ranks.err;
  EXPECT_EQ(without_timings(report_at(dir + "/mpi")), without_timings(report_at(dir + "/single")));
  EXPECT_FALSE(report_at(dir + "/mpi")["studies"].empty());
  // rank 0 prints what a single run prints (one table, no colours on mpirun's terminal), and a line per item
  // with the rank that computed it
  const std::string summary = "diffbound: 40 passed, 0 failed, 5 inconclusive (17 cases)";
  EXPECT_EQ(ranks.out.find(summary), ranks.out.rfind(summary)) << ranks.out;
  EXPECT_NE(ranks.out.find(summary), std::string::npos) << ranks.out;
  EXPECT_EQ(ranks.out.find("\x1b["), std::string::npos);
  EXPECT_NE(ranks.err.find("[18/18] "), std::string::npos) << ranks.err;
  EXPECT_NE(ranks.err.find("(rank 1, "), std::string::npos) << ranks.err;
  EXPECT_NE(ranks.err.find("(rank 2, "), std::string::npos) << ranks.err;
  EXPECT_EQ(ranks.err.find("(rank 0, "), std::string::npos) << ranks.err;  // rank 0 only hands out
}

// With one rank there is no one to hand work to: rank 0 computes the whole run.
TEST(Mpi, OneRankComputesTheWholeRun) {
  const std::string dir = scratch() + "/one";
  const std::string smoke = std::string(DIFFBOUND_SOURCE_DIR) + "/suites/smoke.toml";
  ASSERT_EQ(run("run " + smoke + " --out " + dir + "/single --quiet").status, 0);
  const auto r = mpirun(1, "run " + smoke + " --out " + dir + "/mpi --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(without_timings(report_at(dir + "/mpi")), without_timings(report_at(dir + "/single")));
}

// Bad input: rank 0 says what a single run says (once) and exits 2; the other ranks are told to stop (no hang:
// the ctest timeout), nothing is written. A command line CLI11 refuses never reaches MPI: each rank exits 2,
// rank 0 alone says why.
TEST(Mpi, BadInputStopsEveryRankAndWritesNothing) {
  const std::string bad = write("bad.toml", "[suite]\nname = \"bad\"\n[[case]]\nchecks = [\"chain-rule\"]\n[case.target]\ndim = 0\n");
  const std::string smoke = std::string(DIFFBOUND_SOURCE_DIR) + "/suites/smoke.toml";
  const std::string out = scratch() + "/bad_out";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"run " + bad, "diffbound run: error: " + bad + ": case[0].target.dim = 0: must be at least 1"},
      {"run " + smoke + " --max-digits 5", "diffbound run: error: --max-digits = 5: must be an integer from 16 to 10000"},
      {"run " + smoke + " --baseline " + bad, "diffbound run: error: "},
      {"run " + smoke + " --shard 1/2", "diffbound run: error: --shard = 1/2: splits a run between separate processes"},
      {"run " + smoke + " --frobnicate", "diffbound run: error: The following argument was not expected: --frobnicate"},
  };
  for (const auto& [args, message] : cases) {
    const auto r = mpirun(3, args + " --out " + out + " --quiet");
    EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << "\n" << r.err;
    EXPECT_EQ(r.err.find(message), r.err.rfind(message)) << "said by one rank only: " << r.err;
    EXPECT_FALSE(fs::exists(out)) << args;
  }
}

// A rank that fails on a case (an exception that is not the case's own result: out of memory, a
// cancellation; here injected) is reported naming the rank and the case, exit 4, nothing written.
TEST(Mpi, AFailingRankIsReportedNamingTheCase) {
  const std::string smoke = std::string(DIFFBOUND_SOURCE_DIR) + "/suites/smoke.toml";
  const std::string out = scratch() + "/failed";
  const auto r = mpirun(3, "run " + smoke + " --out " + out + " --quiet", "DIFFBOUND_MPI_TEST_FAIL=smoke/3");
  EXPECT_EQ(r.status, 4) << r.err;
  EXPECT_NE(r.err.find("diffbound run: internal error: MPI run failed on rank "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(", case smoke/3 (d=4 T=30 kappa=10 ddpm/theory exact): injected failure"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}
