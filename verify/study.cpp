#include "verify/study.hpp"

#include "numerics/cancellation.hpp"
#include "numerics/coordinate_laws.hpp"
#include "numerics/gaussian_structure.hpp"
#include "numerics/log_snr_identities.hpp"
#include "verify/exact_json.hpp"
#include "verify/number_text.hpp"
#include "verify/case_file.hpp"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace diffbound {

std::string to_string(StudyKind k) {
  switch (k) {
    case StudyKind::density_identity: return "density-identity";
    case StudyKind::noise_classifier: return "noise-classifier";
    case StudyKind::gaussian_structure: return "gaussian-structure";
  }
  return "?";
}

namespace {


std::string point_text(const std::vector<std::string>& p) {
  if (p.size() == 1) return p[0];
  std::string s = "(";
  for (std::size_t i = 0; i < p.size(); ++i) s += (i ? ", " : "") + p[i];
  return s + ")";
}

std::string target_text(const TargetSpec& t) {
  std::string s = to_string(t.family) + " d=" + std::to_string(t.dim());
  if (t.family == Family::mixture) {
    s += " K=" + std::to_string(t.mixture.weights.size());
    if (t.mixture.dim > 1) s += " " + to_string(t.mixture.layout);
    s += " means=";
    for (std::size_t k = 0; k < t.mixture.means.size(); ++k) s += (k ? "," : "") + t.mixture.means[k];
  }
  return s;
}

// The squared standardized distance sum_i max_k (x_i - m_ik)^2 / v_ik enters -log p(x) and the
// mmse integrand; above this the quadrature's terms overflow double (where the results are reported)
// and the identity's two sides become inf or NaN, which must not reach a verdict.
constexpr double max_standardized_distance2 = 1e300;

std::vector<std::vector<std::string>> read_points(const TableReader& t, const TargetSpec& target) {
  const long d = target.dim();
  const auto laws = coordinate_laws<double>(target, t.field("target"));
  const toml::node* n = t.node("points");
  if (!n) throw InputError(t.field("points"), "(missing)", "this study kind needs a list of points");
  const toml::array* a = n->as_array();
  if (!a || a->empty()) throw InputError(t.field("points"), describe(*n), "must be a non-empty array of points");
  std::vector<std::vector<std::string>> out;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const std::string field = t.field("points") + "[" + std::to_string(i) + "]";
    const toml::node& p = *a->get(i);
    std::vector<std::string> x;
    if (const toml::array* v = p.as_array()) {
      for (std::size_t j = 0; j < v->size(); ++j)
        x.push_back(decimal_text(*v->get(j), field + "[" + std::to_string(j) + "]", t.source()));
    } else {
      x.push_back(decimal_text(p, field, t.source()));
    }
    const std::vector<double> xv = parse_point<double>(x, d, field);  // length and finiteness, with this field's name
    double total = 0;  // per coordinate, its farthest component
    for (long i = 0; i < d; ++i) {
      double worst = 0;
      for (std::size_t k = 0; k < laws[i].size(); ++k) {
        const double z = (xv[i] - laws[i].mean[k]) / std::sqrt(laws[i].variance[k]);
        worst = std::max(worst, z * z);
      }
      total += worst;
    }
    if (!(total <= max_standardized_distance2))
      throw InputError(field, point_text(x),
                       "too far from the target: sum_i (x_i - m_i)^2 / v_i must be at most 1e300 (the identity's terms "
                       "overflow double beyond it)");
    out.push_back(std::move(x));
  }
  return out;
}

// What each kind of study reads: a key that the study's kind does not use is an error rather than
// silently ignored.
// A named table, not a braced temporary at the call: clang's LeakSanitizer reported the temporary's
// set<string> as leaked when reject_unused threw through it (24-48 bytes, tests of a bad [numerics]).
const std::vector<KindKeys> study_precision_keys{{"mpfr", {"digits"}}};
const std::vector<KindKeys> study_keys{{"density-identity", {"points"}}, {"noise-classifier", {"points", "zeta"}},
                                       {"gaussian-structure", {"noise_levels"}}};

struct Check {
  std::string name, lhs_str, rhs_str;
  double lhs, rhs, residual, estimate;
};

nlohmann::json check_json(const Check& c) {
  // a NaN or infinite side, residual or estimate proves nothing either way: no verdict, the study
  // gets an error (run_study) instead of a failed check (read_study refuses the inputs known to cause it)
  if (!std::isfinite(c.lhs) || !std::isfinite(c.rhs) || !std::isfinite(c.residual) || !std::isfinite(c.estimate))
    throw std::runtime_error(c.name + ": not finite (lhs " + fmt(c.lhs) + ", rhs " + fmt(c.rhs) + ", error estimate " +
                             fmt(c.estimate) + "); no verdict");
  const bool pass = std::abs(c.residual) <= c.estimate;
  nlohmann::json j = {{"name", c.name}, {"lhs", c.lhs}, {"rhs", c.rhs}, {"lhs_str", c.lhs_str}, {"rhs_str", c.rhs_str},
                      {"residual", c.residual}, {"error_estimate", c.estimate}, {"enclosure", "estimated"},
                      {"verdict", to_string(pass ? Verdict::pass : Verdict::fail)}};
  j["message"] = "|residual| = " + fmt(std::abs(c.residual)) + (pass ? " <= " : " > ") + "error estimate " + fmt(c.estimate) +
                 " (lhs " + fmt(c.lhs) + ", rhs " + fmt(c.rhs) + ")";
  return j;
}

template <class Real> void run_density(const StudySpec& s, nlohmann::json& out) {
  out["table"]["columns"] = {"point", "-log p(x) exact", "Kong integral", "residual", "error estimate", "tail bound",
                             "a range", "a nodes", "eps nodes"};
  for (const auto& x : s.points) {
    const auto r = density_identity<Real>(s.target, x);
    const double res = static_cast<double>(r.residual());
    out["checks"].push_back(check_json({"density-identity x = " + point_text(x), to_decimal(r.lhs), to_decimal(r.rhs),
                                        static_cast<double>(r.lhs), static_cast<double>(r.rhs), res,
                                        static_cast<double>(r.error_estimate)}));
    out["table"]["rows"].push_back({point_text(x), static_cast<double>(r.lhs), static_cast<double>(r.rhs), res,
                                    static_cast<double>(r.error_estimate), static_cast<double>(r.tail_bound),
                                    "[" + fmt(static_cast<double>(r.a_min)) + ", " + fmt(static_cast<double>(r.a_max)) + "]",
                                    r.a_nodes, r.epsilon_nodes});
  }
}

template <class Real> void run_classifier(const StudySpec& s, nlohmann::json& out) {
  out["table"]["columns"] = {"point", "zeta", "log p_zeta - log p exact", "Wu integral", "residual", "error estimate",
                             "P(clean|x) exact", "P(clean|x) integral"};
  for (const auto& x : s.points)
    for (const auto& z : s.zeta) {
      const auto r = noise_classifier_identity<Real>(s.target, x, z);
      const auto p = clean_probability(r);
      const std::string where = " x = " + point_text(x) + " zeta = " + z;
      out["checks"].push_back(check_json({"noise-classifier" + where, to_decimal(r.lhs), to_decimal(r.rhs),
                                          static_cast<double>(r.lhs), static_cast<double>(r.rhs),
                                          static_cast<double>(r.residual()), static_cast<double>(r.error_estimate)}));
      // sigma is 1/4-Lipschitz: the probabilities differ by at most a quarter of the identity's error
      out["checks"].push_back(check_json({"classifier-probability" + where, to_decimal(p.exact), to_decimal(p.from_integral),
                                          static_cast<double>(p.exact), static_cast<double>(p.from_integral),
                                          static_cast<double>(Real(p.exact - p.from_integral)),
                                          static_cast<double>(r.error_estimate) / 4 + 4 * static_cast<double>(unit_roundoff<Real>())}));
      out["table"]["rows"].push_back({point_text(x), z, static_cast<double>(r.lhs), static_cast<double>(r.rhs),
                                      static_cast<double>(r.residual()), static_cast<double>(r.error_estimate),
                                      static_cast<double>(p.exact), static_cast<double>(p.from_integral)});
    }
}

template <class Real> void run_structure(const StudySpec& s, nlohmann::json& out) {
  using std::abs;
  out["table"]["columns"] = {"sigma", "gap E||D - D_gauss||^2", "error estimate", "quadrature nodes",
                             "max |LMMSE - D_gauss| coefficient", "D_gauss gain (coordinate 1)"};
  nlohmann::json curve = {{"label", "nonlinearity gap"}, {"kind", "exact"}, {"points", nlohmann::json::array()}};
  const auto laws = coordinate_laws<Real>(s.target, "target");
  for (std::size_t i = 0; i < s.noise_levels.size(); ++i) {
    const Real sigma = noise_level<Real>(s.noise_levels[i], "noise_levels[" + std::to_string(i) + "]");
    const auto gauss = gaussian_denoiser<Real>(s.target, sigma);
    const auto fit = lmmse_denoiser<Real>(s.target, sigma);
    const long d = gauss.A.rows();
    Real worst(0);
    for (long r = 0; r < d; ++r) {
      for (long c = 0; c < d; ++c) {
        const Real diff = abs(Real(fit.A(r, c) - gauss.A(r, c)));
        if (diff > worst) worst = diff;
      }
      const Real diff = abs(Real(fit.b(r) - gauss.b(r)));
      if (diff > worst) worst = diff;
    }
    // rounding of an LU solve of the (d+1)-dim normal equations: ~ (d+1) u cond(M) times the size of the
    // coefficients. M = [[Cov Y + mu mu^T, mu], [mu^T, 1]] with Cov Y = Cov X + sigma^2 I (diagonal here):
    // its eigenvalues lie in [(v_min + sigma^2) / (1 + |mu|^2 + ...), 1 + E|X|^2 + d sigma^2], so
    // cond(M) <= (1 + |mu|^2)(1 + m2 + d sigma^2) / (v_min + sigma^2) up to a factor 2.
    const Real sigma2 = sigma * sigma;
    Real m2(0), mu2(0), vmin(-1), size(1);
    for (long r = 0; r < d; ++r) {
      Real mu, var;
      mixture_moments(laws[r], mu, var);
      m2 += var + mu * mu;
      mu2 += mu * mu;
      if (vmin < 0 || var < vmin) vmin = var;
      size = std::max(size, Real(abs(gauss.b(r)) + abs(gauss.A(r, r))));
    }
    const Real cond = 2 * (1 + mu2) * (1 + m2 + Real(d) * sigma2) / (vmin + sigma2);
    const Real estimate = 16 * Real(d + 1) * unit_roundoff<Real>() * cond * size;
    const std::string where = " sigma = " + s.noise_levels[i];
    out["checks"].push_back(check_json({"lmmse-equals-gaussian-denoiser" + where, to_decimal(Real(fit.A(0, 0))),
                                        to_decimal(Real(gauss.A(0, 0))), static_cast<double>(fit.A(0, 0)),
                                        static_cast<double>(gauss.A(0, 0)), static_cast<double>(worst),
                                        static_cast<double>(estimate)}));
    const auto gap = nonlinearity_gap<Real>(s.target, sigma);
    out["table"]["rows"].push_back({s.noise_levels[i], static_cast<double>(gap.value), static_cast<double>(gap.error_estimate),
                                    gap.nodes, static_cast<double>(worst), static_cast<double>(gauss.A(0, 0))});
    curve["points"].push_back({static_cast<double>(sigma), static_cast<double>(gap.value)});
  }
  // a Gaussian target's gap is 0 at every sigma: nothing to draw on log axes
  bool positive = false;
  for (const auto& pt : curve["points"]) positive = positive || pt[1].get<double>() > 0;
  if (!positive) return;
  nlohmann::json plot;
  plot["id"] = s.id + "/plot";
  plot["title"] = "Nonlinearity gap vs sigma (" + s.label + ")";
  plot["x_label"] = "sigma";
  plot["y_label"] = "E||D - D_gauss||^2";
  plot["curves"] = nlohmann::json::array({curve});
  VerdictCounts verdicts;
  for (const auto& c : out["checks"]) verdicts.count(c["verdict"] == to_string(Verdict::pass) ? Verdict::pass : Verdict::fail);
  plot["verdicts"] = verdicts.to_json();
  out["plots"].push_back(plot);
}

template <class Real> void run_study_as(const StudySpec& s, nlohmann::json& out) {
  switch (s.kind) {
    case StudyKind::density_identity: run_density<Real>(s, out); break;
    case StudyKind::noise_classifier: run_classifier<Real>(s, out); break;
    case StudyKind::gaussian_structure: run_structure<Real>(s, out); break;
  }
}

}  // namespace

StudySpec read_study(const TableReader& t, const std::string& suite, long index) {
  t.reject_unknown({"kind", "name", "target", "points", "zeta", "noise_levels", "numerics"});
  StudySpec s;
  s.suite = suite;
  s.id = suite + "/study/" + std::to_string(index);
  if (!t.has("kind"))
    throw InputError(t.field("kind"), "(missing)", "a [[study]] needs kind = \"density-identity\", \"noise-classifier\" or \"gaussian-structure\"");
  const std::string kind = t.choice("kind", "", {"density-identity", "noise-classifier", "gaussian-structure"});
  s.kind = kind == "density-identity" ? StudyKind::density_identity
         : kind == "noise-classifier" ? StudyKind::noise_classifier : StudyKind::gaussian_structure;
  t.reject_unused("kind", kind, study_keys);
  const toml::table* target = t.subtable("target");
  if (!target) throw InputError(t.field("target"), "(missing)", "a [[study]] needs a [study.target] table");
  s.target = read_target(TableReader(*target, t.field("target"), t.source()));
  coordinate_laws<double>(s.target, t.field("target"));  // validates, and refuses full covariance matrices
  if (s.kind == StudyKind::gaussian_structure) {
    s.noise_levels = t.numbers("noise_levels");
    if (s.noise_levels.empty())
      throw InputError(t.field("noise_levels"), "(missing)", "kind = \"gaussian-structure\" needs a list of noise levels sigma > 0");
    for (std::size_t i = 0; i < s.noise_levels.size(); ++i) {
      const std::string field = t.field("noise_levels") + "[" + std::to_string(i) + "]";
      // sigma^2 (and d sigma^2 in the error estimate) must stay finite in double
      if (!(noise_level<double>(s.noise_levels[i], field) <= 1e150))
        throw InputError(field, s.noise_levels[i], "must be at most 1e150 (sigma^2 overflows double beyond it)");
    }
    if (s.target.family == Family::mixture && s.target.mixture.layout == MixtureLayout::product && s.target.dim() > 1) {
      const double components = std::pow(static_cast<double>(s.target.mixture.weights.size()), static_cast<double>(s.target.dim()));
      if (components > 4096)
        throw InputError(t.field("target.dim"), std::to_string(s.target.dim()),
                         "the LMMSE check enumerates the K^d components of a product layout (at most 4096)");
    }
  } else {
    s.points = read_points(t, s.target);
    if (s.kind == StudyKind::noise_classifier) {
      s.zeta = t.numbers("zeta");  // finite numbers; any real log-SNR is a valid noise level
      if (s.zeta.empty()) throw InputError(t.field("zeta"), "(missing)", "kind = \"noise-classifier\" needs a list of log-SNR levels");
    }
  }
  if (const toml::table* num = t.subtable("numerics")) {
    TableReader n(*num, t.field("numerics"), t.source());
    n.reject_unknown({"precision", "digits"});
    const std::string p = n.choice("precision", "double", {"double", "mpfr"});
    n.reject_unused("precision", p, study_precision_keys);  // double has no digits to set
    s.precision = p == "mpfr" ? Precision::mpfr : Precision::double_;
    const long digits = n.integer("digits", 40);
    if (digits < 16 || digits > 1000) throw InputError(n.field("digits"), std::to_string(digits), "must be between 16 and 1000");
    s.digits = static_cast<unsigned>(digits);
  }
  s.label = t.string("name", "");
  if (s.label.empty()) s.label = kind + " " + target_text(s.target);
  return s;
}

nlohmann::json run_study(const StudySpec& s) {
  const auto start = std::chrono::steady_clock::now();
  nlohmann::json out;
  out["id"] = s.id;
  out["suite"] = s.suite;
  out["kind"] = to_string(s.kind);
  out["label"] = s.label;
  out["target"] = target_text(s.target);
  out["precision"] = to_string(s.precision);
  out["digits"] = s.precision == Precision::mpfr ? nlohmann::json(s.digits) : nlohmann::json(nullptr);
  out["checks"] = nlohmann::json::array();
  out["table"] = {{"columns", nlohmann::json::array()}, {"rows", nlohmann::json::array()}};
  out["plots"] = nlohmann::json::array();
  out["error"] = nullptr;
  try {
    if (s.precision == Precision::mpfr) {
      PrecisionScope scope(s.digits);
      run_study_as<mpfr_real>(s, out);
    } else {
      run_study_as<double>(s, out);
    }
  } catch (const InputError&) {
    throw;
  } catch (const Cancelled&) {
    throw;
  } catch (const std::exception& e) {
    out["error"] = e.what();
  }
  out["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

void append_studies(nlohmann::json& report, std::vector<nlohmann::json>& results, RunSummary& summary) {
  report["studies"] = nlohmann::json::array();
  for (auto& r : results) {
    if (!r["error"].is_null()) ++summary.errors;
    for (const auto& c : r["checks"]) summary.count(c["verdict"] == to_string(Verdict::pass) ? Verdict::pass : Verdict::fail);
    for (const auto& p : r["plots"]) report["plots"].push_back(p);
    report["studies"].push_back(std::move(r));
  }
}

}  // namespace diffbound
