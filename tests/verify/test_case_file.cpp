// Case files: every key read, and every bad-input class of the foundation issue rejected with the
// field and value named (parse time or, for beta and SPD checks, when the case is computed).
#include "numerics/exact.hpp"
#include "numerics/input_error.hpp"
#include "numerics/resource_caps.hpp"
#include "tests/input_error_field.hpp"
#include "verify/case_file.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace diffbound;

namespace {

const std::string kBase = R"([target]
family = "gaussian"
dim = 2
spectrum = "geometric"
kappa = 4.0
scale = 1.5
mean = [0.1, -0.2]
[schedule]
kind = "etc"
steps = 30
c = 4.0
delta = 0.001
[sampler]
kind = "ddpm"
variance = "beta"
init = "exact"
t_out = 0
[score]
kind = "perturbed"
epsilon = 0.01
perturbation = "scale"
[numerics]
precision = "mpfr"
digits = 40
engine = "fast"
)";

std::string with(const std::string& from, const std::string& to) {
  std::string s = kBase;
  const auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return s.replace(pos, from.size(), to);
}

// The field named by the error of reading and computing `text`.
std::string error_field(const std::string& text) {
  try {
    compute_exact(read_case_text(text, "c.toml"));
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(e.value()), std::string::npos);
    return e.field();
  }
  return "(no error)";
}

}  // namespace

TEST(CaseFile, ReadsEveryKey) {
  const CaseSpec c = read_case_text(kBase);
  EXPECT_EQ(c.target.gaussian.dim, 2);
  EXPECT_EQ(c.target.gaussian.spectrum, Spectrum::geometric);
  EXPECT_EQ(c.target.gaussian.kappa, "4.0");
  EXPECT_EQ(c.target.gaussian.scale, "1.5");
  EXPECT_EQ(c.target.gaussian.mean, (std::vector<std::string>{"0.1", "-0.2"}));
  EXPECT_EQ(c.schedule.steps, 30);
  EXPECT_EQ(c.schedule.delta, "0.001");  // the decimal text, not its binary rounding
  EXPECT_EQ(c.sampler.variance, Variance::beta);
  EXPECT_EQ(c.sampler.init, Init::exact);
  EXPECT_EQ(c.sampler.t_out, 0);
  EXPECT_EQ(c.score.kind, ScoreKind::perturbed);
  EXPECT_EQ(c.score.perturbation, Perturbation::scale);
  EXPECT_EQ(c.numerics.precision, Precision::mpfr);
  EXPECT_EQ(c.numerics.digits, 40u);
  EXPECT_EQ(c.numerics.engine, EnginePath::fast);
  EXPECT_NO_THROW(compute_exact(c));
}

TEST(CaseFile, DefaultsMatchTheIssue) {
  const CaseSpec c = read_case_text("[target]\ndim = 1\n[schedule]\nsteps = 10\n");
  EXPECT_EQ(c.schedule.kind, ScheduleKind::etc);
  EXPECT_EQ(c.schedule.c, "4");
  EXPECT_EQ(c.schedule.delta, "0.001");
  EXPECT_EQ(c.sampler.kind, SamplerKind::ddpm);
  EXPECT_EQ(c.sampler.variance, Variance::theory);
  EXPECT_EQ(c.sampler.init, Init::gaussian);
  EXPECT_EQ(c.sampler.t_out, 1);
  EXPECT_EQ(c.score.kind, ScoreKind::exact);
  EXPECT_EQ(c.numerics.precision, Precision::double_);
}

TEST(CaseFile, EveryBadInputClassNamesItsField) {
  EXPECT_EQ(error_field(with("scale = 1.5", "scale = 1.5\ncolour = 1")), "target.colour");  // unknown key
  EXPECT_EQ(error_field(with("[numerics]", "[numerix]")), "numerix");                       // unknown table
  EXPECT_EQ(error_field(with("kind = \"ddpm\"", "kind = \"ddqm\"")), "sampler.kind");       // unknown value
  // (the other schedule kinds do not read etc's c and delta: those lines go too)
  const std::string etc = "kind = \"etc\"\nsteps = 30\nc = 4.0\ndelta = 0.001";
  EXPECT_EQ(error_field(with(etc, "kind = \"constant\"\nsteps = 30\neta = 1.5")), "schedule (constant) beta_1");
  EXPECT_EQ(error_field(with(etc, "kind = \"table\"\nsteps = 30\nbetas = [0.1, 0.0]")), "schedule.betas");  // length
  EXPECT_EQ(error_field(with(etc, "kind = \"table\"\nbetas = [0.1, 0.0]")), "schedule.betas[1]");
  EXPECT_EQ(error_field(with("steps = 30\n", "")), "schedule.steps");                          // missing
  EXPECT_EQ(error_field(with(etc, "kind = \"linear\"\nsteps = 20")), "schedule (linear) beta_20");
  EXPECT_EQ(error_field(with("kappa = 4.0", "kappa = 0.5")), "target.kappa");                   // kappa < 1
  EXPECT_EQ(error_field(with("mean = [0.1, -0.2]", "mean = [0.1, -0.2, 0.3]")), "target.mean");  // wrong length
  EXPECT_EQ(error_field(with("steps = 30", "steps = 0")), "schedule.steps");                     // steps < 1
  EXPECT_EQ(error_field(with("t_out = 0", "t_out = -1")), "sampler.t_out");                       // t_out
  EXPECT_EQ(error_field(with("digits = 40", "digits = 5")), "numerics.digits");                  // digits
  EXPECT_EQ(error_field(with("digits = 40", "digits = 20000")), "numerics.digits");
  EXPECT_EQ(error_field(with("epsilon = 0.01", "epsilon = nan")), "score.epsilon");              // NaN
  EXPECT_EQ(error_field(with("mean = [0.1, -0.2]", "mean = [0.1, nan]")), "target.mean[1]");
  EXPECT_EQ(error_field(with("delta = 0.001", "delta = inf")), "schedule.delta");
  EXPECT_EQ(error_field(with("dim = 2", "dim = 0")), "target.dim");
  EXPECT_EQ(error_field(with("dim = 2", "dim = \"two\"")), "target.dim");                        // wrong type
  // non-SPD and non-symmetric covariance
  const std::string full = "[target]\ncovariance = [[1.0, 2.0], [2.0, 1.0]]\n[schedule]\nsteps = 10\n";
  EXPECT_EQ(error_field(full), "target.covariance");
  EXPECT_EQ(error_field("[target]\ncovariance = [[1.0, 0.1], [0.2, 1.0]]\n[schedule]\nsteps = 10\n"), "target.covariance[1][0]");
  EXPECT_EQ(error_field("[target]\ncovariance = [[1.0, 0.1], [0.1]]\n[schedule]\nsteps = 10\n"), "target.covariance[1]");
  EXPECT_EQ(error_field("[target]\nspectrum = \"list\"\neigenvalues = [1.0, -1.0]\n[schedule]\nsteps = 10\n"), "target.eigenvalues[1]");
  EXPECT_EQ(error_field("[target]\ndim = 2\n[schedule]\nsteps = 10\n[score]\nkind = \"mismatched\"\n"), "score.train");
  EXPECT_EQ(error_field("[target]\ndim = 2\n[schedule]\nsteps = 10\n[score]\nkind = \"mismatched\"\n[score.train]\ndim = 3\n"),
            "score.train.dim");
  EXPECT_EQ(error_field("[target]\ndim = 2\n"), "schedule");
  EXPECT_EQ(error_field("[target]\ndim = 2\n[schedule]\nsteps = 10\n[numerics]\nengine = \"fast\"\n[target.x]\n"), "target.x");
}

// The continuous-time samplers are read from [sampler] kind; their bad input names the field.
TEST(CaseFile, ContinuousTimeSamplers) {
  const std::string base = R"([target]
dim = 2
[schedule]
kind = "linear"
steps = 20
b_min = 0.1
b_max = 20
[sampler]
kind = "KIND"
)";
  for (const char* kind : {"sde-exact", "ode-exact", "sde-em", "sde-ei", "ode-euler", "ode-heun", "ode-rk4"}) {
    std::string text = base;
    text.replace(text.find("KIND"), 4, kind);
    const CaseSpec c = read_case_text(text, "c.toml");
    EXPECT_EQ(to_string(c.sampler.kind), kind);
    EXPECT_NO_THROW(compute_exact(c)) << kind;
    std::string cosine = text;  // (without b_min, b_max: the cosine schedule does not read them)
    cosine.replace(cosine.find("\"linear\""), 8, "\"cosine\"");
    cosine.erase(cosine.find("b_min = 0.1\n"), 12);
    cosine.erase(cosine.find("b_max = 20\n"), 11);
    EXPECT_EQ(error_field(cosine), "schedule.kind") << kind;
    std::string zero = text;
    zero.replace(zero.find("b_min = 0.1"), 11, "b_min = 0.0");
    EXPECT_EQ(error_field(zero), "schedule.b_min") << kind;
    std::string nan = text;
    nan.replace(nan.find("b_max = 20"), 10, "b_max = nan");
    EXPECT_EQ(error_field(nan), "schedule.b_max") << kind;
  }
}

TEST(CaseFile, ReadsExtendedPrecisionAndRejectsUnknownOnes) {
  const std::string mixture = R"TOML(
[target]
family = "mixture"
weights = [0.5, 0.5]
means = [-1, 1]
variances = [0.3, 0.3]
[schedule]
steps = 20
[numerics]
precision = "extended"
)TOML";
  const CaseSpec c = read_case_text(mixture);
  EXPECT_EQ(c.numerics.precision, Precision::extended);
  const ExactQuantities q = compute_exact(c);
  EXPECT_EQ(q.precision, "extended");
  try {
    read_case_text(mixture.substr(0, mixture.find("\"extended\"")) + "\"quad\"\n");
    ADD_FAILURE() << "an unknown precision was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "numerics.precision");
  }
}

namespace {

// The error of reading `text` (read time only): field and message.
std::pair<std::string, std::string> read_error(const std::string& text) {
  try {
    read_case_text(text, "c.toml");
  } catch (const InputError& e) {
    return {e.field(), e.what()};
  }
  return {"(no error)", ""};
}

const std::string kMinimal = "[target]\ndim = 2\n[schedule]\nsteps = 10\n";

}  // namespace

// Two descriptions of one thing are an error, never resolved by precedence (the ignored one used to
// be echoed back).
TEST(CaseFile, ConflictingKeysAreErrors) {
  const std::pair<std::string, std::string> cases[] = {
      {"[target]\neigenvalues = [1, 2]\ncovariance = [[1, 0], [0, 1]]\n", "target.eigenvalues"},
      {"[target]\nspectrum = \"isotropic\"\ndim = 2\neigenvalues = [1, 2]\n", "target.eigenvalues"},
      {"[target]\nspectrum = \"geometric\"\nkappa = 10\neigenvalues = [1, 2]\n", "target.eigenvalues"},
      {"[target]\nspectrum = \"list\"\ncovariance = [[1, 0], [0, 1]]\neigenvalues = [1, 2]\n", "target.eigenvalues"},
      {"[target]\nspectrum = \"list\"\ndim = 2\ncovariance = [[1, 0], [0, 1]]\n", "target.covariance"},
      {"[target]\nspectrum = \"two-level\"\nkappa = 4\ncovariance = [[1, 0], [0, 1]]\n", "target.covariance"},
  };
  for (const auto& [target, field] : cases) {
    const auto [got, what] = read_error(target + "[schedule]\nsteps = 10\n");
    EXPECT_EQ(got, field) << target;
    EXPECT_EQ(what.rfind(field + " = ", 0), 0u) << what;
    const bool says_why = what.find("conflicts with") != std::string::npos || what.find("is not used by spectrum") != std::string::npos;
    EXPECT_TRUE(says_why) << what;
  }
  // the consistent spelling still reads (spectrum = "list" with eigenvalues, "matrix" with covariance)
  EXPECT_EQ(read_case_text("[target]\nspectrum = \"list\"\neigenvalues = [1, 2]\n[schedule]\nsteps = 10\n").target.gaussian.dim, 2);
  EXPECT_EQ(read_case_text("[target]\nspectrum = \"matrix\"\ncovariance = [[1, 0], [0, 1]]\n[schedule]\nsteps = 10\n").target.gaussian.spectrum,
            Spectrum::matrix);
}

// A key that the chosen kind does not read is an error naming it (and the kinds that do read it),
// never accepted and dropped: one case per row of the readers' kind tables.
TEST(CaseFile, KeysTheKindDoesNotUseAreErrors) {
  const std::string mixture = "[target]\nfamily = \"mixture\"\nweights = [0.5, 0.5]\nmeans = [-1, 1]\nvariances = [0.3, 0.3]\n";
  const std::string problem = "[target]\ndim = 2\n[schedule]\nsteps = 10\n[score]\nkind = \"bo-ddnm\"\n[problem]\nsigma_y = 0.1\n";
  const std::pair<std::string, std::string> cases[] = {
      {"[target]\ndim = 2\n[schedule]\nsteps = 10\nbetas = [0.1]\n", "schedule.betas"},
      {"[target]\ndim = 2\n[schedule]\nkind = \"linear\"\nsteps = 100\nc = 4\n", "schedule.c"},
      {"[target]\ndim = 2\n[schedule]\nkind = \"cosine\"\nsteps = 100\ndelta = 0.01\n", "schedule.delta"},
      {"[target]\ndim = 2\n[schedule]\nsteps = 100\neta = 0.01\n", "schedule.eta"},
      {"[target]\ndim = 2\n[schedule]\nkind = \"cosine\"\nsteps = 100\nb_min = 0.1\n", "schedule.b_min"},
      {"[target]\ndim = 2\n[schedule]\nkind = \"constant\"\neta = 0.01\nsteps = 100\nb_max = 20\n", "schedule.b_max"},
      {"[target]\ndim = 2\n[schedule]\nkind = \"linear\"\nsteps = 100\ns = 0.008\n", "schedule.s"},
      {"[target]\ndim = 2\nkappa = 10\n[schedule]\nsteps = 10\n", "target.kappa"},  // isotropic
      {"[target]\neigenvalues = [1, 2]\nkappa = 10\n[schedule]\nsteps = 10\n", "target.kappa"},
      {kMinimal + "[sampler]\nkind = \"ddim\"\nvariance = \"beta\"\n", "sampler.variance"},
      {kMinimal + "[sampler]\nkind = \"pf-euler\"\nvariance = \"theory\"\n", "sampler.variance"},
      {kMinimal + "[sampler]\nkind = \"accelerated\"\nvariance = \"posterior\"\n", "sampler.variance"},
      {"[target]\ndim = 2\n[schedule]\nkind = \"linear\"\nsteps = 100\n[sampler]\nkind = \"sde-ei\"\nvariance = \"beta\"\n",
       "sampler.variance"},
      {kMinimal + "[score]\nkind = \"exact\"\nepsilon = 0.1\n", "score.epsilon"},
      {kMinimal + "[score]\nkind = \"exact\"\ndirection = [1, 0]\n", "score.direction"},
      {kMinimal + "[score]\nkind = \"exact\"\nperturbation = \"scale\"\n", "score.perturbation"},
      {kMinimal + "[score]\nkind = \"perturbed\"\nepsilon = 0.1\nperturbation = \"scale\"\ndirection = [1, 0]\n", "score.direction"},
      {mixture + "[schedule]\nsteps = 10\n[numerics]\nengine = \"auto\"\n", "numerics.engine"},
      {mixture + "[schedule]\nsteps = 10\n[numerics]\nprecision = \"extended\"\ndigits = 40\n", "numerics.digits"},
      {problem + "H = \"identity\"\ny = [1, 2]\nseed = 3\n", "problem.seed"},
      {problem + "H = \"identity\"\ny = [1, 2]\nfactor = 2\n", "problem.factor"},
      {problem + "H = \"subsample\"\ny = [1]\nobserved = [0]\n", "problem.observed"},
      {problem + "H = \"inpaint\"\nobserved = [0]\ny = [1]\nkappa_H = 2\n", "problem.kappa_H"},
      {problem + "H = \"conditioned\"\nkappa_H = 2\ny = \"draw\"\nrows = 0\n", "problem.rows"},
  };
  for (const auto& [text, field] : cases) {
    const auto [got, what] = read_error(text);
    EXPECT_EQ(got, field) << text;
    EXPECT_EQ(what.rfind(field + " = ", 0), 0u) << what;
  }
  const auto [field, what] = read_error(kMinimal + "[sampler]\nkind = \"ddim\"\nvariance = \"beta\"\n");
  EXPECT_EQ(what, "sampler.variance = \"beta\": is not used by kind = \"ddim\" (only kind = \"ddpm\" reads it)");
  // numbers are shown as written, not as their binary rounding (0.10000000000000001)
  EXPECT_EQ(read_error("[target]\ndim = 2\n[schedule]\nsteps = 10\nbetas = [0.1, 0.2]\n").second,
            "schedule.betas = [0.1, 0.2]: is not used by kind = \"etc\" (only kind = \"table\" reads it)");
  // the seed is read with y = "draw" and with H = "conditioned"
  EXPECT_NO_THROW(read_case_text(problem + "H = \"identity\"\ny = \"draw\"\nseed = 3\n"));
  EXPECT_NO_THROW(read_case_text(problem + "H = \"conditioned\"\nkappa_H = 2\ny = [1, 2]\nseed = 3\nrows = 2\n"));
}

// Numbers are read from their decimal text: a nonzero number below the normal double range (which
// double would read as 0 or a subnormal) is refused with its text, not echoed as 0.
TEST(CaseFile, NumbersBelowTheNormalDoubleRangeAreRefused) {
  for (const char* tiny : {"1e-400", "-1e-400", "1e-310", "2.2e-308"}) {
    const auto [field, what] = read_error("[target]\ndim = 1\nmean = " + std::string(tiny) + "\n[schedule]\nsteps = 10\n");
    EXPECT_EQ(field, "target.mean") << tiny;
    EXPECT_NE(what.find(std::string("target.mean = ") + tiny + ":"), std::string::npos) << what;
  }
  const auto [field, what] = read_error("[target]\neigenvalues = [1, 1e-320]\n[schedule]\nsteps = 10\n");
  EXPECT_EQ(field, "target.eigenvalues[1]");
  // the smallest normal double and zero itself are fine
  EXPECT_EQ(read_case_text("[target]\ndim = 1\nmean = 2.2250738585072014e-308\n[schedule]\nsteps = 10\n").target.gaussian.mean[0],
            "2.2250738585072014e-308");
  EXPECT_EQ(read_case_text("[target]\ndim = 1\nmean = 0.0\n[schedule]\nsteps = 10\n").target.gaussian.mean[0], "0.0");
}

// Resource caps are checked before any work, when the case is read and again by compute_exact (for
// cases built in code, e.g. a suite's certified twin or its 100 T twin).
TEST(CaseFile, ResourceCapsRefuseBeforeAnyWork) {
  const std::pair<std::string, std::string> cases[] = {
      {"[target]\ndim = 1\n[schedule]\nsteps = 1000000000\n", "schedule.steps"},  // ~134 GiB in double
      {"[target]\ndim = 64\nspectrum = \"geometric\"\nkappa = 10\n[schedule]\nsteps = 3000000\n[numerics]\nprecision = \"certified\"\ndigits = 30\n",
       "schedule.steps"},                                                                  // ~8 GiB of intervals
      {"[target]\ndim = 100000000\nspectrum = \"geometric\"\nkappa = 10\n[schedule]\nsteps = 10000\n", "schedule.steps"},  // hours
      {"[target]\nfamily = \"mixture\"\nweights = [0.5, 0.5]\nmeans = [-1, 1]\nvariances = [0.1, 0.1]\n[schedule]\nsteps = 10\n"
       "[numerics]\nprecision = \"mpfr\"\ndigits = 330\n",
       "numerics.digits"},
      {"[target]\nfamily = \"mixture\"\nweights = [0.5, 0.5]\nmeans = [-1, 1]\nvariances = [0.1, 0.1]\n[schedule]\nsteps = 1000\n"
       "[numerics]\nprecision = \"mpfr\"\ndigits = 100\n",
       "schedule.steps"},  // ~13 s per step
  };
  for (const auto& [text, field] : cases) EXPECT_EQ(read_error(text).first, field) << text;
  // the dense path: T d^3
  std::string rows;
  for (int i = 0; i < 200; ++i) {
    rows += i ? ", [" : "[";
    for (int j = 0; j < 200; ++j) rows += std::string(j ? ", " : "") + (i == j ? "2" : std::abs(i - j) == 1 ? "0.5" : "0");
    rows += "]";
  }
  const auto [field, what] = read_error("[target]\ncovariance = [" + rows + "]\n[schedule]\nsteps = 1000000\n");
  EXPECT_EQ(field, "target.dim");
  EXPECT_NE(what.find("T d^3"), std::string::npos) << what;
  // within the limits: read (digits 300 is the mixture engine's limit), and estimated below the caps
  EXPECT_NO_THROW(read_case_text("[target]\nfamily = \"mixture\"\nweights = [0.5, 0.5]\nmeans = [-1, 1]\nvariances = [0.1, 0.1]\n"
                                 "[schedule]\nsteps = 2\n[numerics]\nprecision = \"mpfr\"\ndigits = 300\n"));
  CaseSpec c = read_case_text(kMinimal);
  EXPECT_NO_THROW(check_resource_caps(c));
  c.schedule.steps = 1000000000;  // as a runner's 100 T twin would: refused by compute_exact itself
  EXPECT_EQ(diffbound::testing::field_of([&] { compute_exact(c); }), "schedule.steps");
  EXPECT_GT(estimate_resources(c).bytes, max_case_bytes);
}
