#include "verify/suite.hpp"

#include "numerics/case_kinds.hpp"
#include "verify/case_file.hpp"
#include "verify/toml_reader.hpp"

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace diffbound {

namespace {

// Keys whose value is an array by nature: a sweep over them is an array of arrays.
bool array_valued(const std::string& key) {
  static const std::set<std::string> keys{"eigenvalues", "covariance", "mean", "betas", "direction",
                                          "weights", "means", "variances", "checks", "observed", "y", "H"};
  return keys.count(key) > 0;
}

struct SweepPoint {
  std::vector<std::string> path;  // keys from the [[case]] table down to the value
  std::vector<const toml::node*> values;
};

void collect_sweeps(const toml::table& t, std::vector<std::string>& path, std::vector<SweepPoint>& out) {
  for (const auto& [k, v] : t) {
    const std::string key(k.str());
    path.push_back(key);
    if (const toml::table* sub = v.as_table()) {
      collect_sweeps(*sub, path, out);
    } else if (const toml::array* a = v.as_array(); a && !a->empty()) {
      const bool nested = a->get(0)->is_array();
      const bool covariance = key == "covariance" || key == "H";  // matrices
      // covariance sweeps are arrays of matrices (3 levels); other array keys sweep with 2 levels
      bool sweep = array_valued(key) ? (covariance ? (nested && a->get(0)->as_array()->size() > 0 &&
                                                      a->get(0)->as_array()->get(0)->is_array())
                                                   : nested)
                                     : true;
      // checks is a list by nature; an expected verdict is one per bound, never swept
      if (key == "checks" || path.front() == "expect") sweep = false;
      if (sweep) {
        SweepPoint p;
        p.path = path;
        for (std::size_t i = 0; i < a->size(); ++i) p.values.push_back(a->get(i));
        out.push_back(std::move(p));
      }
    }
    path.pop_back();
  }
}

void assign(toml::table& t, const std::vector<std::string>& path, std::size_t depth, const toml::node& value) {
  if (depth + 1 == path.size()) {
    value.visit([&](const auto& v) { t.insert_or_assign(path[depth], v); });
    return;
  }
  assign(*t.get(path[depth])->as_table(), path, depth + 1, value);
}

std::string join(const std::vector<std::string>& path) {
  std::string s;
  for (const auto& p : path) s += (s.empty() ? "" : ".") + p;
  return s;
}

std::string short_number(const std::string& text) {
  try {
    std::ostringstream o;
    o << std::stod(text);
    return o.str();
  } catch (...) {
    return text;
  }
}

std::map<std::string, std::string> params_of(const CaseSpec& c) {
  std::map<std::string, std::string> p;
  p["d"] = std::to_string(c.target.dim());
  p["T"] = std::to_string(c.schedule.steps);
  p["family"] = to_string(c.target.family);
  if (c.target.family == Family::gaussian) {
    p["kappa"] = short_number(c.target.gaussian.kappa);
    p["spectrum"] = to_string(c.target.gaussian.spectrum);
  }
  p["schedule"] = to_string(c.schedule.kind);
  p["sampler"] = to_string(c.sampler.kind);
  p["variance"] = to_string(c.sampler.variance);
  p["score"] = to_string(c.score.kind);
  if (c.score.kind == ScoreKind::perturbed) p["epsilon"] = short_number(c.score.epsilon);
  p["t_out"] = std::to_string(c.sampler.t_out);
  p["init"] = to_string(c.sampler.init);
  if (c.problem) {
    p["sigma_y"] = short_number(c.problem->sigma_y);
    p["H"] = to_string(c.problem->op);
    if (c.problem->op == Operator::conditioned) p["kappa_H"] = short_number(c.problem->kappa_H);
  }
  return p;
}

std::string label_of(const CaseSpec& c, const std::map<std::string, std::string>& p) {
  std::string l = "d=" + p.at("d") + " T=" + p.at("T");
  if (p.count("kappa")) l += " kappa=" + p.at("kappa");
  l += " " + p.at("sampler");
  if (traits_of(c.sampler.kind).chooses_variance) l += "/" + p.at("variance");
  if (c.sampler.kind != SamplerKind::ddnm_plus) l += " " + p.at("score");
  if (c.problem) {
    l += " sigma_y=" + p.at("sigma_y");
    if (p.count("kappa_H")) l += " kappa_H=" + p.at("kappa_H");
  }
  if (p.count("epsilon")) l += "(" + p.at("epsilon") + ")";
  if (c.schedule.kind != ScheduleKind::etc) l += " " + p.at("schedule");
  return l;
}

// The swept keys label_of shows, with their short names (rate groups strip "T=", "d=", "kappa=" and
// "kappa_H=" words from a label to name a group along that variable).
const std::map<std::string, std::string>& shown_keys() {
  static const std::map<std::string, std::string> keys{
      {"target.dim", "d"},          {"schedule.steps", "T"},       {"target.kappa", "kappa"},
      {"sampler.kind", "sampler"},  {"sampler.variance", "variance"}, {"score.kind", "score"},
      {"problem.sigma_y", "sigma_y"}, {"problem.kappa_H", "kappa_H"}, {"score.epsilon", "epsilon"},
      {"schedule.kind", "schedule"}};
  return keys;
}

// A swept value as one word: no quotes, no blanks (labels are split at blanks).
std::string word_of(const std::string& text) {
  std::string w;
  for (char ch : text)
    if (ch != '"' && ch != ' ' && ch != '\t' && ch != '\n') w += ch;
  // a one-element array (a scalar mean swept as [[0], [0.5]]) reads as its element
  if (w.size() > 2 && w.front() == '[' && w.back() == ']' && w.find_first_of(",[", 1) == std::string::npos) w = w.substr(1, w.size() - 2);
  return w;
}

// The label of a case: its block's name, or label_of's; then every swept key the label does not show
// as name=value, so that the cases of a sweep never share a label (a sweep of target.mean used to give
// one label to every mean). A key is named by its last component, by its dotted path when two swept
// keys end alike or the last component is one of label_of's names.
std::string label_with_sweeps(const std::string& name, const CaseSpec& c, const std::map<std::string, std::string>& p,
                       const std::map<std::string, std::string>& swept) {
  std::string l = name.empty() ? label_of(c, p) : name;
  std::map<std::string, int> endings;
  for (const auto& [k, v] : swept) ++endings[k.substr(k.rfind('.') + 1)];
  std::set<std::string> short_names;
  for (const auto& [k, s] : shown_keys()) short_names.insert(s);
  for (const auto& [k, v] : swept) {
    const auto shown = shown_keys().find(k);
    if (shown != shown_keys().end()) {
      // label_of shows it; a named block says it with label_of's name and text
      if (!name.empty()) l += " " + shown->second + "=" + (p.count(shown->second) ? p.at(shown->second) : word_of(v));
      continue;
    }
    const std::string last = k.substr(k.rfind('.') + 1);
    l += " " + (endings[last] > 1 || short_names.count(last) ? k : last) + "=" + word_of(v);
  }
  return l;
}

// What each kind of [[bound]] reads: a rigorous bound is its expr, a rate claim its shape over the
// swept variables (an expr there would be dropped).
const std::vector<KindKeys> bound_keys{{"rigorous", {"expr"}}, {"rate", {"shape", "variable"}}};
// The measured quantities of each metric: a TV claim judged on KL or E_T (or the reverse) compares
// numbers of different divergences.
const std::vector<KindKeys> metric_measured{{"KL", {"kl", "E_T"}}, {"TV", {"tv"}}, {"W2", {"w2"}}};

UserBoundSpec read_user_bound(const TableReader& b) {
  b.reject_unknown({"id", "kind", "metric", "measured", "citation", "description", "expr", "shape", "variable", "provenance"});
  UserBoundSpec s;
  s.field = b.prefix();
  s.id = b.string("id", "");
  if (s.id.empty()) throw InputError(b.field("id"), "(missing)", "a [[bound]] needs an id");
  const std::string kind = b.string("kind", "rigorous");
  s.kind = parse_bound_kind(b.field("kind"), kind);
  b.reject_unused("kind", kind, bound_keys);
  const std::string metric = b.string("metric", "KL");
  s.metric = parse_metric(b.field("metric"), metric);
  if (b.has("measured")) {
    const std::string measured = b.string("measured", "");
    s.measured = parse_measured(b.field("measured"), measured);
    for (const auto& row : metric_measured)
      if (row.kind == metric && !row.keys.count(measured))
        throw InputError(b.field("measured"), "\"" + measured + "\"",
                         "does not match metric = \"" + metric + "\" (a " + metric + " claim is judged on " +
                             (metric == "KL" ? "\"kl\" or \"E_T\"" : metric == "W2" ? "\"w2\"" : "\"tv\"") + ")");
  }
  // the level the statement was read at (docs/math.md#provenance); undeclared: user
  s.provenance = parse_provenance(b.field("provenance"), b.string("provenance", "user"));
  s.citation = b.string("citation", "user-defined");
  s.description = b.string("description", "");
  s.expr = b.string("expr", "");
  s.shape = b.string("shape", "");
  for (const auto& v : b.strings("variable")) s.swept.push_back(parse_sweep_variable(b.field("variable"), v));
  return s;
}

}  // namespace

BoundRegistry registry_for(const std::vector<const Suite*>& suites) {
  BoundRegistry r = BoundRegistry::with_builtins();
  for (const Suite* s : suites)
    for (const auto& spec : s->user_bounds) r.add(std::make_unique<UserBound>(spec), spec.field + ".id");
  return r;
}

namespace {

// [suite] and [rates].
Suite read_suite_head(const TableReader& top, const std::string& name, const TomlSource& source) {
  Suite suite;
  suite.file = name;
  const toml::table* head = top.subtable("suite");
  if (!head) throw InputError(name + ": suite", "(missing)", "a suite file needs a [suite] table with a name");
  TableReader h(*head, "suite", source);
  h.reject_unknown({"name", "description"});
  suite.name = h.string("name", "");
  if (suite.name.empty()) throw InputError(name + ": suite.name", "(missing)", "is required");
  suite.description = h.string("description", "");
  if (const toml::table* rates = top.subtable("rates")) {
    TableReader r(*rates, "rates", source);
    r.reject_unknown({"tolerance"});
    const std::string tolerance = r.number("tolerance", "0.05");
    suite.rates.tolerance = std::stod(tolerance);  // finite and normal: decimal_text has checked
    if (!(suite.rates.tolerance >= 0)) throw InputError(r.field("tolerance"), tolerance, "must be >= 0 (an exponent tolerance)");
  }
  return suite;
}

// [[bound]]: user-defined bounds, ids distinct.
void read_user_bounds(const toml::table& root, const std::string& name, const TomlSource& source, Suite& suite) {
  if (const toml::node* bounds = root.get("bound")) {
    const toml::array* a = bounds->as_array();
    if (!a) throw InputError(name + ": bound", describe(*bounds), "must be an array of tables ([[bound]])");
    for (std::size_t i = 0; i < a->size(); ++i) {
      const toml::table* t = a->get(i)->as_table();
      const std::string field = "bound[" + std::to_string(i) + "]";
      if (!t) throw InputError(field, describe(*a->get(i)), "must be a table");
      suite.user_bounds.push_back(read_user_bound(TableReader(*t, field, source)));
      for (std::size_t j = 0; j + 1 < suite.user_bounds.size(); ++j)
        if (suite.user_bounds[j].id == suite.user_bounds.back().id)
          throw InputError(field + ".id", "\"" + suite.user_bounds.back().id + "\"",
                           "duplicate [[bound]] id (also bound[" + std::to_string(j) + "].id)");
    }
  }
}

// [[study]] blocks.
void read_studies(const toml::table& root, const std::string& name, const TomlSource& source, Suite& suite) {
  if (const toml::node* studies = root.get("study")) {
    const toml::array* a = studies->as_array();
    if (!a) throw InputError(name + ": study", describe(*studies), "must be an array of tables ([[study]])");
    for (std::size_t i = 0; i < a->size(); ++i) {
      const toml::table* t = a->get(i)->as_table();
      const std::string field = "study[" + std::to_string(i) + "]";
      if (!t) throw InputError(field, describe(*a->get(i)), "must be a table");
      suite.studies.push_back(read_study(TableReader(*t, field, source), suite.name, static_cast<long>(i)));
    }
  }

}

// A case's checks: each a known bound, none twice.
void check_checks(const std::vector<std::string>& checks, const std::string& field, const BoundRegistry& registry) {
  for (std::size_t k = 0; k < checks.size(); ++k) {
    for (std::size_t j = 0; j < k; ++j)
      if (checks[j] == checks[k])
        throw InputError(field + ".checks[" + std::to_string(k) + "]", "\"" + checks[k] + "\"",
                         "listed twice (also checks[" + std::to_string(j) + "])");
    if (!registry.find(checks[k])) {
      std::string known;
      for (const auto& bnd : registry.all()) known += (known.empty() ? "" : ", ") + bnd->id();
      throw InputError(field + ".checks[" + std::to_string(k) + "]", "\"" + checks[k] + "\"",
                       "unknown bound (known: " + known + ")");
    }
  }
}

// expect = { "bound-id" = "fail" }: each key a bound the case checks, each value a verdict name
// (docs/math.md#expected-verdicts).
std::map<std::string, Verdict> read_expect(const TableReader& reader, const std::vector<std::string>& checks) {
  std::map<std::string, Verdict> out;
  const toml::table* t = reader.subtable("expect");
  if (!t) return out;
  const TableReader e(*t, reader.field("expect"), reader.source());
  for (const auto& [k, v] : *t) {
    const std::string id(k.str());
    bool checked = false;
    for (const auto& c : checks) checked = checked || c == id;
    if (!checked) {
      std::string list;
      for (const auto& c : checks) list += (list.empty() ? "" : ", ") + c;
      throw InputError(e.field(id), "\"" + id + "\"",
                       "names a bound this case does not check (checks: " + (list.empty() ? std::string("none") : list) + ")");
    }
    out[id] = parse_verdict(e.field(id), e.string(id, ""));
  }
  return out;
}

// One [[case]] block, expanded to the Cartesian product of its swept keys.
void read_case_block(const toml::table& block, long b, TomlSource& source, const BoundRegistry& registry, Suite& suite) {
  const std::string field = "case[" + std::to_string(b) + "]";
  std::vector<SweepPoint> sweeps;
  std::vector<std::string> path;
  collect_sweeps(block, path, sweeps);
  std::vector<std::size_t> index(sweeps.size(), 0);
  long combinations = 1;
  for (const auto& s : sweeps) combinations *= static_cast<long>(s.values.size());
  if (combinations > 100000)
    throw InputError(field, std::to_string(combinations) + " combinations", "sweep too large (limit 100000)");
  // decimal texts of the block as written; swept keys get their chosen element's text below
  std::map<std::string, std::string> base_texts;
  record_decimal_texts(block, field, source, base_texts);
  for (long n = 0; n < combinations; ++n) {
    toml::table expanded = block;
    std::map<std::string, std::string> swept;
    std::map<std::string, std::string> texts = base_texts;
    for (std::size_t i = 0; i < sweeps.size(); ++i) {
      assign(expanded, sweeps[i].path, 0, *sweeps[i].values[index[i]]);
      record_decimal_texts(*sweeps[i].values[index[i]], field + "." + join(sweeps[i].path), source, texts);
      swept[join(sweeps[i].path)] = describe(*sweeps[i].values[index[i]]);
    }
    // advance the odometer (last sweep fastest)
    for (std::size_t i = sweeps.size(); i-- > 0;) {
      if (++index[i] < sweeps[i].values.size()) break;
      index[i] = 0;
    }
    source.overrides = &texts;
    TableReader reader(expanded, field, source);
    SuiteCase c;
    c.spec = read_case(reader, {"checks", "name", "expect"});
    c.checks = reader.strings("checks");
    source.overrides = nullptr;
    check_checks(c.checks, field, registry);
    c.expect = read_expect(reader, c.checks);
    c.suite = suite.name;
    c.index = static_cast<long>(suite.cases.size());
    c.block = static_cast<long>(b);
    c.line = static_cast<long>(block.source().begin.line);  // CI annotations point at the block
    c.id = suite.name + "/" + std::to_string(c.index);
    c.params = params_of(c.spec);
    c.swept = swept;
    c.block_name = reader.string("name", "");
    // figures and reports find a block by its name: two blocks of one name would be merged
    if (!c.block_name.empty())
      for (const auto& other : suite.cases)
        if (other.block != c.block && other.block_name == c.block_name)
          throw InputError(field + ".name", "\"" + c.block_name + "\"",
                           "duplicate [[case]] block name (also case[" + std::to_string(other.block) + "].name)");
    c.label = label_with_sweeps(c.block_name, c.spec, c.params, swept);
    suite.cases.push_back(std::move(c));
}
}

// [[figure]]: each curve names a [[case]] block.
void read_figures(const toml::table& root, const std::string& name, const TomlSource& source, Suite& suite) {
  if (const toml::node* figures = root.get("figure")) {
    const toml::array* a = figures->as_array();
    if (!a) throw InputError(name + ": figure", describe(*figures), "must be an array of tables ([[figure]])");
    for (std::size_t i = 0; i < a->size(); ++i) {
      const toml::table* t = a->get(i)->as_table();
      const std::string field = "figure[" + std::to_string(i) + "]";
      if (!t) throw InputError(field, describe(*a->get(i)), "must be a table");
      TableReader f(*t, field, source);
      f.reject_unknown({"title", "x", "curves", "metric"});
      FigureSpec fig;
      fig.x = f.choice("x", "T", {"T", "d", "kappa", "kappa_H"});
      fig.metric = f.choice("metric", "KL", {"KL", "W2"});
      fig.curves = f.strings("curves");
      if (fig.curves.empty()) throw InputError(f.field("curves"), "(missing)", "a [[figure]] needs curves = [names of [[case]] blocks]");
      for (std::size_t k = 0; k < fig.curves.size(); ++k) {
        bool found = false;
        for (const auto& c : suite.cases) found = found || c.block_name == fig.curves[k];
        if (!found)
          throw InputError(f.field("curves") + "[" + std::to_string(k) + "]", "\"" + fig.curves[k] + "\"",
                           "no [[case]] block has this name");
      }
      fig.title = f.string("title", "KL vs " + fig.x);
      suite.figures.push_back(std::move(fig));
    }
  }
}

}  // namespace

Suite read_suite_impl(const std::string& text, const std::string& name) {
  std::shared_ptr<TomlSource> source;
  toml::table root = parse_toml_text(text, name, source);
  TableReader top(root, "", *source);
  top.reject_unknown({"suite", "case", "bound", "rates", "study", "figure"});
  Suite suite = read_suite_head(top, name, *source);
  read_user_bounds(root, name, *source, suite);
  const BoundRegistry registry = registry_for({&suite});
  read_studies(root, name, *source, suite);
  const toml::node* cases = root.get("case");
  if (!cases && !suite.studies.empty()) return suite;
  if (!cases) throw InputError(name + ": case", "(missing)", "a suite needs at least one [[case]] or [[study]]");
  const toml::array* blocks = cases->as_array();
  if (!blocks) throw InputError(name + ": case", describe(*cases), "must be an array of tables ([[case]])");
  for (std::size_t b = 0; b < blocks->size(); ++b) {
    const toml::table* block = blocks->get(b)->as_table();
    if (!block) throw InputError("case[" + std::to_string(b) + "]", describe(*blocks->get(b)), "must be a table");
    read_case_block(*block, static_cast<long>(b), *source, registry, suite);
  }
  read_figures(root, name, *source, suite);
  return suite;
}

Suite read_suite_text(const std::string& text, const std::string& name) {
  try {
    return read_suite_impl(text, name);
  } catch (const InputError& e) {
    if (e.field().rfind(name, 0) == 0) throw;  // TOML syntax errors already carry file:line:column
    throw InputError(name + ": " + e.field(), e.value(), e.why());
  }
}

void check_distinct_suites(const std::vector<Suite>& suites) {
  for (std::size_t i = 0; i < suites.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (suites[i].name == suites[j].name)
        throw InputError(suites[i].file + ": suite.name", "\"" + suites[i].name + "\"",
                         "another suite of this run has the same name (" + suites[j].file + ")");
}

Suite read_suite_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError("suite file", path, "is a directory, not a suite file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("suite file", path, "cannot be opened");
  std::stringstream buf;
  buf << in.rdbuf();
  return read_suite_text(buf.str(), path);
}

}  // namespace diffbound
