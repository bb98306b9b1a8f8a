// The case-file parser accepts exactly the names of the kind tables (numerics/case_kinds.hpp): each
// name reads back as its kind, and any other text is refused with the table's names listed.
#include "numerics/case_kinds.hpp"
#include "numerics/input_error.hpp"
#include "verify/case_file.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>

namespace diffbound {
namespace {

// A case-file text with VALUE where the kind is written (last in its table), the field that names it,
// the kind read back, and what some kinds need besides (appended to the text).
struct KindField {
  std::string field;
  std::string text;
  std::vector<std::string> names;
  std::function<std::string(const CaseSpec&)> read_back;
  std::map<std::string, std::string> needs = {};
};

std::string with(std::string text, const std::string& value) {
  text.replace(text.find("VALUE"), 5, value);
  return text;
}

const std::string kGaussian = "[target]\ndim = 2\n[schedule]\nsteps = 30\n";
const std::string kProblem = "[problem]\nH = \"identity\"\nsigma_y = 0.1\ny = \"draw\"\n";
std::string thirty_betas() {
  std::string betas = "betas = [0.01";
  for (int t = 1; t < 30; ++t) betas += ", 0.01";
  return betas + "]\n";
}

std::vector<KindField> kind_fields() {
  return {
      {"sampler.kind", kGaussian + "[sampler]\nkind = \"VALUE\"\n", names_of(sampler_table),
       [](const CaseSpec& c) { return to_string(c.sampler.kind); }, {{"ddnm-plus", kProblem}}},
      {"sampler.variance", kGaussian + "[sampler]\nvariance = \"VALUE\"\n", names_of(variance_table),
       [](const CaseSpec& c) { return to_string(c.sampler.variance); }},
      {"sampler.init", kGaussian + "[sampler]\ninit = \"VALUE\"\n", names_of(init_table),
       [](const CaseSpec& c) { return to_string(c.sampler.init); }},
      {"score.kind", kGaussian + "[score]\nkind = \"VALUE\"\n", names_of(score_table),
       [](const CaseSpec& c) { return to_string(c.score.kind); },
       {{"mismatched", "[score.train]\ndim = 2\n"}, {"perturbed", "epsilon = 0.1\n"}, {"ddnm", kProblem}, {"bo-ddnm", kProblem},
        {"exact-conditional", kProblem}}},
      {"score.perturbation", kGaussian + "[score]\nkind = \"perturbed\"\nepsilon = 0.1\nperturbation = \"VALUE\"\n",
       names_of(perturbation_table), [](const CaseSpec& c) { return to_string(c.score.perturbation); }},
      {"schedule.kind", "[target]\ndim = 2\n[schedule]\nsteps = 30\nkind = \"VALUE\"\n", names_of(schedule_table),
       [](const CaseSpec& c) { return to_string(c.schedule.kind); }, {{"constant", "eta = 0.01\n"}, {"table", thirty_betas()}, {"exponential", "rate = 1\n"}}},
      {"target.family", "[target]\ndim = 1\nfamily = \"VALUE\"\n[schedule]\nsteps = 30\n", names_of(family_table),
       [](const CaseSpec& c) { return to_string(c.target.family); }},
      {"target.spectrum", "[schedule]\nsteps = 30\n[target]\ndim = 2\nspectrum = \"VALUE\"\n", names_of(spectrum_table),
       [](const CaseSpec& c) { return to_string(c.target.gaussian.spectrum); },
       {{"geometric", "kappa = 4\n"}, {"two-level", "kappa = 4\n"}, {"list", "eigenvalues = [1, 2]\n"},
        {"matrix", "covariance = [[1, 0], [0, 1]]\n"}}},
      {"target.layout",
       "[target]\nfamily = \"mixture\"\ndim = 2\nlayout = \"VALUE\"\nweights = [0.5, 0.5]\nmeans = [-1, 1]\n"
       "variances = [1, 1]\n[schedule]\nsteps = 30\n",
       names_of(layout_table), [](const CaseSpec& c) { return to_string(c.target.mixture.layout); }},
      {"numerics.precision", kGaussian + "[numerics]\nprecision = \"VALUE\"\n", names_of(precision_table),
       [](const CaseSpec& c) { return to_string(c.numerics.precision); }},
      {"numerics.engine", kGaussian + "[numerics]\nengine = \"VALUE\"\n", names_of(engine_table),
       [](const CaseSpec& c) { return to_string(c.numerics.engine); }},
      // a matrix H is written as its rows, not by name
      {"problem.H", kGaussian + "[score]\nkind = \"ddnm\"\n[problem]\nsigma_y = 0.1\ny = \"draw\"\nH = \"VALUE\"\n",
       names_of(operator_table, [](const OperatorRow& r) { return r.named; }),
       [](const CaseSpec& c) { return to_string(c.problem->op); }, {{"inpaint", "observed = [0]\n"}, {"conditioned", "kappa_H = 2\n"}}},
  };
}

TEST(CaseKindsParsing, AcceptsEveryNameOfTheTable) {
  for (const KindField& k : kind_fields())
    for (const std::string& name : k.names) {
      SCOPED_TRACE(k.field + " = " + name);
      const std::string text = with(k.text, name) + (k.needs.count(name) ? k.needs.at(name) : "");
      try {
        EXPECT_EQ(k.read_back(read_case_text(text, "c.toml")), name);
      } catch (const InputError& e) {
        ADD_FAILURE() << e.what() << "\n" << text;
      }
    }
}

TEST(CaseKindsParsing, RefusesAnyOtherNameListingTheTable) {
  for (const KindField& k : kind_fields()) {
    SCOPED_TRACE(k.field);
    std::string expected;
    for (const std::string& name : k.names) expected += (expected.empty() ? "" : ", ") + ("\"" + name + "\"");
    try {
      read_case_text(with(k.text, "no-such-kind"), "c.toml");
      ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.field(), k.field);
      EXPECT_EQ(e.why(), "unknown value; expected one of " + expected);
    }
  }
}

}  // namespace
}  // namespace diffbound
