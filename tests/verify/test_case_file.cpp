// Case files: every key read, and every bad-input class of the foundation issue rejected with the
// field and value named (parse time or, for beta and SPD checks, when the case is computed).
#include "numerics/exact.hpp"
#include "numerics/input_error.hpp"
#include "verify/case_file.hpp"

#include <gtest/gtest.h>

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
  EXPECT_EQ(error_field(with("kind = \"etc\"", "kind = \"constant\"\neta = 1.5")), "schedule (constant) beta_1");
  EXPECT_EQ(error_field(with("kind = \"etc\"", "kind = \"table\"\nbetas = [0.1, 0.0]")), "schedule.betas");  // length
  EXPECT_EQ(error_field(with("kind = \"etc\"\nsteps = 30", "kind = \"table\"\nbetas = [0.1, 0.0]")), "schedule.betas[1]");
  EXPECT_EQ(error_field(with("steps = 30\n", "")), "schedule.steps");                          // missing
  EXPECT_EQ(error_field(with("kind = \"etc\"\nsteps = 30", "kind = \"linear\"\nsteps = 20")), "schedule (linear) beta_20");
  EXPECT_EQ(error_field(with("kappa = 4.0", "kappa = 0.5")), "target.kappa");                   // kappa < 1
  EXPECT_EQ(error_field(with("mean = [0.1, -0.2]", "mean = [0.1, -0.2, 0.3]")), "target.mean");  // wrong length
  EXPECT_EQ(error_field(with("steps = 30", "steps = 0")), "schedule.steps");                     // steps < 1
  EXPECT_EQ(error_field(with("t_out = 0", "t_out = 2")), "sampler.t_out");                       // t_out
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
    std::string cosine = text;
    cosine.replace(cosine.find("\"linear\""), 8, "\"cosine\"");
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
