#include "verify/case_file.hpp"

#include "numerics/case_kinds.hpp"
#include "numerics/continuous_time.hpp"
#include "numerics/exact.hpp"
#include "numerics/input_error.hpp"
#include "numerics/resource_caps.hpp"
#include "numerics/zero_shot.hpp"

namespace diffbound {

namespace {

// The row of `table` that `key` names (`fallback`'s when absent); any other text is an error listing
// the names `accept` lets through (by default the whole table).
template <class Row, std::size_t N, class Accept>
const Row& choose(const TableReader& s, const std::string& key, decltype(Row::kind) fallback, const std::array<Row, N>& table,
                  Accept accept) {
  return *row_named(table, s.choice(key, std::string(row_of(table, fallback).name), names_of(table, accept)));
}
template <class Row, std::size_t N>
const Row& choose(const TableReader& s, const std::string& key, decltype(Row::kind) fallback, const std::array<Row, N>& table) {
  return choose(s, key, fallback, table, [](const Row&) { return true; });
}

// What each kind reads beyond the keys every kind of its table reads (docs/case-file.md), from the
// kind tables: a key that another kind reads but the chosen one does not is an error, never dropped.
template <class Row, std::size_t N, class KeysOf> std::vector<KindKeys> kind_keys(const std::array<Row, N>& table, KeysOf keys_of_row) {
  std::vector<KindKeys> out;
  for (const Row& row : table)
    if (std::set<std::string> keys = keys_of_row(row); !keys.empty()) out.push_back({std::string(row.name), std::move(keys)});
  return out;
}
template <class Row, std::size_t N> std::vector<KindKeys> kind_keys(const std::array<Row, N>& table) {
  return kind_keys(table, [](const Row& row) { return keys_of(row.keys); });
}

const std::vector<KindKeys> schedule_keys = kind_keys(schedule_table);
const std::vector<KindKeys> sampler_keys = kind_keys(sampler_table, [](const SamplerRow& r) {
  return r.chooses_variance ? std::set<std::string>{"variance"} : std::set<std::string>{};
});
const std::vector<KindKeys> score_keys = kind_keys(score_table);  // train: below
const std::vector<KindKeys> perturbation_keys = kind_keys(perturbation_table);
const std::vector<KindKeys> spectrum_keys = kind_keys(spectrum_table);
const std::vector<KindKeys> operator_keys = kind_keys(operator_table);
const std::vector<KindKeys> family_numerics_keys = kind_keys(family_table, [](const FamilyRow& r) {
  return r.chooses_engine ? std::set<std::string>{"engine"} : std::set<std::string>{};
});
// A mixture runs in the precision it names (suites certify only Gaussian cases, at numerics.digits):
// its digits are read only by the precisions that both read digits and run the mixture engine (mpfr).
const std::vector<KindKeys> mixture_precision_keys = kind_keys(precision_table, [](const PrecisionRow& r) {
  return r.reads_digits && r.mixture_engine ? std::set<std::string>{"digits"} : std::set<std::string>{};
});

ScheduleSpec read_schedule(const TableReader& s) {
  s.reject_unknown({"kind", "steps", "c", "delta", "b_min", "b_max", "s", "eta", "betas", "rate", "horizon", "sigma_inf"});
  ScheduleSpec spec;
  const ScheduleRow& schedule = choose(s, "kind", ScheduleKind::etc, schedule_table);
  s.reject_unused("kind", std::string(schedule.name), schedule_keys);
  spec.kind = schedule.kind;
  spec.betas = s.numbers("betas");
  if (spec.kind == ScheduleKind::table && !s.has("steps")) spec.steps = static_cast<long>(spec.betas.size());
  else spec.steps = s.required_integer("steps");
  if (spec.steps < 1) throw InputError(s.field("steps"), std::to_string(spec.steps), "must be at least 1");
  spec.c = s.number("c", spec.c);
  spec.delta = s.number("delta", spec.delta);
  spec.b_min = s.number("b_min", spec.b_min);
  spec.b_max = s.number("b_max", spec.b_max);
  spec.s = s.number("s", spec.s);
  spec.rate = s.number("rate", "");
  spec.horizon = s.number("horizon", spec.horizon);
  spec.sigma_inf = s.number("sigma_inf", spec.sigma_inf);
  if (spec.kind == ScheduleKind::exponential && spec.rate.empty())
    throw InputError(s.field("rate"), "(missing)", "the exponential schedule needs rate = a (a != 0)");
  spec.eta = s.number("eta", "");
  if (spec.kind == ScheduleKind::constant && spec.eta.empty())
    throw InputError(s.field("eta"), "(missing)", "the constant schedule needs eta (the value of every beta_t)");
  if (spec.kind == ScheduleKind::table && spec.betas.empty())
    throw InputError(s.field("betas"), "(missing)", "the table schedule needs betas = [beta_1, ..., beta_T]");
  return spec;
}

SamplerSpec read_sampler(const TableReader& s) {
  s.reject_unknown({"kind", "variance", "init", "t_out", "t_stop", "compare_with"});
  SamplerSpec spec;
  const SamplerRow& sampler = choose(s, "kind", SamplerKind::ddpm, sampler_table);
  s.reject_unused("kind", std::string(sampler.name), sampler_keys);
  spec.kind = sampler.kind;
  spec.variance = choose(s, "variance", Variance::theory, variance_table).kind;
  spec.init = choose(s, "init", Init::gaussian, init_table).kind;
  spec.t_out = s.integer("t_out", 1);
  const bool continuous = sampler.family == SamplerFamily::continuous_time;
  // every sampler stops at any t_out < steps (docs/math.md#samplers, docs/math.md#vp-sde-general); t_out < steps
  // is checked with the schedule (read_case)
  if (spec.t_out < 0) throw InputError(s.field("t_out"), std::to_string(spec.t_out), "must be >= 0");
  if (s.has("t_stop")) {
    spec.t_stop = s.number("t_stop", "");
    if (!continuous)
      throw InputError(s.field("t_stop"), *spec.t_stop, "is for the continuous-time samplers; sampler kind \"" +
                                                          std::string(sampler.name) + "\" stops at t_out");
    if (s.has("t_out"))
      throw InputError(s.field("t_stop"), *spec.t_stop, "conflicts with " + s.field("t_out") +
                                                          ": give the stopping time t_stop or the grid index t_out, not both");
    spec.t_out = 0;  // the grid then runs from T_f down to t_stop
  }
  const std::string compare = s.choice("compare_with", "marginal", {"marginal", "data"});
  spec.compare_with = compare == "data" ? CompareWith::data : CompareWith::marginal;
  if (spec.compare_with == CompareWith::data && !continuous)
    throw InputError(s.field("compare_with"), "\"data\"", "comparing with Q_0 is for the continuous-time samplers; sampler kind \"" +
                                                             std::string(sampler.name) + "\" is compared with Q_{t_out}");
  return spec;
}

NumericsSpec read_numerics(const TableReader& s) {
  s.reject_unknown({"precision", "digits", "engine"});
  NumericsSpec spec;
  spec.precision = choose(s, "precision", Precision::double_, precision_table).kind;
  const long digits = s.integer("digits", 50);
  if (digits < 16 || digits > 10000) throw InputError(s.field("digits"), std::to_string(digits), "must be between 16 and 10000");
  spec.digits = static_cast<unsigned>(digits);
  spec.engine = choose(s, "engine", EnginePath::automatic, engine_table).kind;
  validate_numerics(spec);
  return spec;
}

// [problem] (docs/math.md#zero-shot): H as a named operator or a list of rows, sigma_y, and y (or "draw").
ProblemSpec read_problem(const TableReader& s) {
  s.reject_unknown({"kind", "H", "observed", "factor", "kappa_H", "rows", "sigma_y", "y", "seed"});
  s.choice("kind", "linear", {"linear"});
  ProblemSpec pr;
  const toml::node* H = s.node("H");
  if (!H) throw InputError(s.field("H"), "(missing)", "a [problem] needs H: a list of rows or \"identity\", \"inpaint\", \"subsample\", \"conditioned\"");
  if (H->is_array()) {
    pr.op = Operator::matrix;
    pr.matrix = s.matrix("H");
  } else {
    pr.op = choose(s, "H", Operator::identity, operator_table, [](const OperatorRow& r) { return r.named; }).kind;
  }
  s.reject_unused("H", to_string(pr.op), operator_keys);
  if (pr.op == Operator::inpaint) {
    if (!s.has("observed")) throw InputError(s.field("observed"), "(missing)", "H = \"inpaint\" needs observed = [coordinates, 0-based]");
    const toml::array* a = s.node("observed")->as_array();
    if (!a) throw InputError(s.field("observed"), describe(*s.node("observed")), "must be an array of coordinate indices");
    for (std::size_t i = 0; i < a->size(); ++i) {
      const auto v = a->get(i)->value<long long>();
      if (!v || !a->get(i)->is_integer())
        throw InputError(s.field("observed") + "[" + std::to_string(i) + "]", describe(*a->get(i)), "must be an integer (0-based coordinate)");
      pr.observed.push_back(static_cast<long>(*v));
    }
  }
  pr.factor = s.integer("factor", 2);
  if (pr.op == Operator::conditioned && !s.has("kappa_H"))
    throw InputError(s.field("kappa_H"), "(missing)", "H = \"conditioned\" needs kappa_H (the condition number of H)");
  pr.kappa_H = s.number("kappa_H", "1");
  pr.rows = s.integer("rows", 0);  // 0: p = d (the default only; an explicit rows must be >= 1)
  if (s.has("rows") && pr.rows < 1) throw InputError(s.field("rows"), std::to_string(pr.rows), "must be at least 1");
  pr.sigma_y = s.number("sigma_y", "0");
  const long seed = s.integer("seed", 1);
  if (seed < 0) throw InputError(s.field("seed"), std::to_string(seed), "must be >= 0");
  pr.seed = static_cast<unsigned long>(seed);
  const toml::node* y = s.node("y");
  if (!y) throw InputError(s.field("y"), "(missing)", "a [problem] needs y: the measurement (a list) or \"draw\"");
  if (y->is_string()) {
    if (y->as_string()->get() != "draw")
      throw InputError(s.field("y"), describe(*y), "must be a list of numbers or \"draw\"");
    pr.draw = true;
  } else {
    pr.y = s.number_or_numbers("y", "0");
  }
  if (s.has("seed") && !pr.draw && pr.op != Operator::conditioned)
    throw InputError(s.field("seed"), std::to_string(seed),
                     "is not used with an explicit y (the seed drives y = \"draw\" and H = \"conditioned\" only)");
  return pr;
}

}  // namespace

TargetSpec read_target(const TableReader& t) {
  TargetSpec spec;
  const Family family = choose(t, "family", Family::gaussian, family_table).kind;
  if (family == Family::gaussian) {
    t.reject_unknown({"family", "dim", "spectrum", "kappa", "scale", "eigenvalues", "covariance", "mean"});
    GaussianSpec& g = spec.gaussian;
    g.covariance = t.matrix("covariance");
    g.eigenvalues = t.numbers("eigenvalues");
    // two descriptions of one covariance conflict: an error, never resolved by precedence
    if (t.has("eigenvalues") && t.has("covariance"))
      throw InputError(t.field("eigenvalues"), t.written("eigenvalues"),
                       "conflicts with " + t.field("covariance") + ": give the eigenvalues (a diagonal covariance) or the full covariance, not both");
    const Spectrum default_spectrum = t.has("covariance") ? Spectrum::matrix : t.has("eigenvalues") ? Spectrum::list : Spectrum::isotropic;
    const SpectrumRow& spectrum = choose(t, "spectrum", default_spectrum, spectrum_table);
    const std::string sp(spectrum.name);
    t.reject_unused("spectrum", sp, spectrum_keys);
    g.spectrum = spectrum.kind;
    long fallback_dim = !g.covariance.empty() ? static_cast<long>(g.covariance.size())
                        : !g.eigenvalues.empty() ? static_cast<long>(g.eigenvalues.size()) : -1;
    if (!t.has("dim") && fallback_dim < 0) throw InputError(t.field("dim"), "(missing)", "is required");
    g.dim = t.integer("dim", fallback_dim);
    g.kappa = t.number("kappa", "1");
    g.scale = t.number("scale", "1");
    g.mean = t.number_or_numbers("mean", "0");
    if (g.spectrum == Spectrum::list && g.eigenvalues.empty())
      throw InputError(t.field("eigenvalues"), "(missing)", "spectrum = \"list\" needs eigenvalues = [...]");
    if (g.spectrum == Spectrum::matrix && g.covariance.empty())
      throw InputError(t.field("covariance"), "(missing)", "spectrum = \"matrix\" needs covariance = [[...], ...]");
    if ((g.spectrum == Spectrum::geometric || g.spectrum == Spectrum::two_level) && !t.has("kappa"))
      throw InputError(t.field("kappa"), "(missing)", "spectrum = \"" + sp + "\" needs kappa");
    validate_gaussian(g, t.prefix());
  } else {
    spec.family = Family::mixture;
    t.reject_unknown({"family", "dim", "layout", "weights", "means", "variances"});
    MixtureSpec& m = spec.mixture;
    m.dim = t.integer("dim", 1);
    m.layout = choose(t, "layout", MixtureLayout::axis, layout_table).kind;
    m.weights = t.numbers("weights");
    m.means = t.numbers("means");
    m.variances = t.numbers("variances");
  }
  return spec;
}

const std::set<std::string>& case_sections() {
  static const std::set<std::string> keys{"target", "schedule", "sampler", "score", "numerics", "problem"};
  return keys;
}

CaseSpec read_case(const TableReader& root, const std::set<std::string>& extra_keys) {
  std::set<std::string> known = case_sections();
  known.insert(extra_keys.begin(), extra_keys.end());
  root.reject_unknown(known);
  CaseSpec spec;
  const toml::table* target = root.subtable("target");
  if (!target) throw InputError(root.field("target"), "(missing)", "a case needs a [target] table");
  spec.target = read_target(TableReader(*target, root.field("target"), root.source()));
  const toml::table* schedule = root.subtable("schedule");
  if (!schedule) throw InputError(root.field("schedule"), "(missing)", "a case needs a [schedule] table with at least steps");
  const TableReader schedule_reader(*schedule, root.field("schedule"), root.source());
  spec.schedule = read_schedule(schedule_reader);
  toml::table empty;
  const toml::table* sampler = root.subtable("sampler");
  spec.sampler = read_sampler(TableReader(sampler ? *sampler : empty, root.field("sampler"), root.source()));
  if (is_continuous_time(spec.sampler.kind)) {
    // another schedule kind is refused by the engine with the sampler's reason (validate_continuous_case)
    if (spec.schedule.kind == ScheduleKind::linear || spec.schedule.kind == ScheduleKind::exponential) {
      try {
        validate_continuous_grid(spec);  // steps, t_out, t_stop against the schedule's horizon
      } catch (const InputError& e) {
        throw InputError(root.field(e.field()), e.value(), e.why());
      }
    }
  } else {
    // a key the chosen kind does not use is an error: the discrete chains have no horizon or sigma_inf
    for (const char* key : {"horizon", "sigma_inf"})
      if (schedule_reader.has(key))
        throw InputError(schedule_reader.field(key), schedule_reader.written(key),
                         "is read by the continuous-time samplers only (the VP SDE, docs/math.md#vp-sde-general); sampler kind \"" +
                             to_string(spec.sampler.kind) + "\" runs the discrete chain");
  }
  const toml::table* score = root.subtable("score");
  TableReader sc(score ? *score : empty, root.field("score"), root.source());
  sc.reject_unknown({"kind", "epsilon", "perturbation", "direction", "train"});
  const ScoreRow& score_kind = choose(sc, "kind", ScoreKind::exact, score_table);
  sc.reject_unused("kind", std::string(score_kind.name), score_keys);
  // (a kind that does not read perturbation and direction has refused them just above)
  const PerturbationRow& perturbation = choose(sc, "perturbation", Perturbation::constant, perturbation_table);
  sc.reject_unused("perturbation", std::string(perturbation.name), perturbation_keys);
  spec.score.kind = score_kind.kind;
  spec.score.epsilon = sc.number("epsilon", "0");
  spec.score.perturbation = perturbation.kind;
  spec.score.direction = sc.numbers("direction");
  if (const toml::table* train = sc.subtable("train")) {
    if (!score_kind.reads_train)
      throw InputError(sc.field("train"), "(table)", "only score kind \"mismatched\" takes a training distribution");
    spec.score.train = read_target(TableReader(*train, sc.field("train"), root.source()));
  } else if (score_kind.reads_train) {
    throw InputError(sc.field("train"), "(missing)", "score kind \"mismatched\" needs a [score.train] table (the training distribution)");
  }
  if (spec.score.kind == ScoreKind::perturbed && !sc.has("epsilon"))
    throw InputError(sc.field("epsilon"), "(missing)", "score kind \"perturbed\" needs epsilon");
  const toml::table* numerics = root.subtable("numerics");
  const TableReader nr(numerics ? *numerics : empty, root.field("numerics"), root.source());
  spec.numerics = read_numerics(nr);
  nr.reject_unused(root.field("target.family"), to_string(spec.target.family), family_numerics_keys);
  if (spec.target.family == Family::mixture) nr.reject_unused("precision", to_string(spec.numerics.precision), mixture_precision_keys);
  if (const toml::table* problem = root.subtable("problem"))
    spec.problem = read_problem(TableReader(*problem, root.field("problem"), root.source()));
  validate_zero_shot_kinds(spec);
  try {
    check_resource_caps(spec);  // refused when read, before any case of a suite runs
  } catch (const InputError& e) {
    throw InputError(root.field(e.field()), e.value(), e.why());
  }
  return spec;
}

CaseSpec read_case_text(const std::string& text, const std::string& name) {
  std::shared_ptr<TomlSource> source;
  toml::table t = parse_toml_text(text, name, source);
  return read_case(TableReader(t, "", *source));
}

CaseSpec read_case_file(const std::string& path) {
  std::shared_ptr<TomlSource> source;
  toml::table t = parse_toml_file(path, source);
  return read_case(TableReader(t, "", *source));
}

}  // namespace diffbound
