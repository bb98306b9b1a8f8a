#include "verify/runner.hpp"

#include "bounds/requirement.hpp"

#include "numerics/continuous_time.hpp"
#include "numerics/exact.hpp"
#include "numerics/schedule.hpp"
#include "numerics/zero_shot.hpp"
#include "reports/exact_json.hpp"
#include "verify/rate_fit.hpp"
#include "verify/study.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace diffbound {

namespace {

struct CheckResult {
  std::string bound, verdict, reason, message;
  std::string enclosure = "certified";  // certified | estimated | none
  std::string measured_name;
  Quantity measured;
  Quantity bound_value;
  bool rate = false;
  double shape = 0;  // rate claims: the shape at this case
};

// Quantities of related cases that some checks compare with (computed only when a check needs them).
struct RelatedQuantities {
  std::optional<Quantity> kl_far;   // the same case with 100 T steps
  std::string kl_far_refused;       // why the 100 T twin could not be computed (shown, never dropped)
  std::optional<Quantity> kl_ddnm;  // the same zero-shot case with the DDNM score
};

struct CaseResult {
  ExactQuantities exact;
  RelatedQuantities related;
  CaseSpec computed;  // the spec at the precision that decided the checks
  std::vector<CheckResult> checks;
  std::string error;
  std::string error_field;  // the field an InputError of the engine named ("" for other errors)
};

// 4 significant digits; -0 prints as 0.
std::string fmt(double v, int digits = 4) {
  if (v == 0) v = 0;  // -0.0 == 0: print "0", not "-0"
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

// A quantity as text with `digits` significant digits: the double when it is in range, else the decimal
// text (a finite bound beyond the double range, e.g. 1.2e+400, is not "inf").
std::string fmt(const Quantity& q, int digits = 4) {
  if (!q.finite) return "+inf";
  if (std::isfinite(q.value) && digits <= 17) return fmt(q.value, digits);
  if (q.value_str.empty()) return fmt(q.value, digits);
  PrecisionScope p(std::max(digits + 5, 30));
  const mpfr_real x(q.value_str);
  if (x == 0) return "0";
  return x.str(digits, std::ios_base::fmtflags(0));
}

// Two doubles with the fewest significant digits (4 to 17) at which their texts differ.
std::pair<std::string, std::string> fmt_distinct(double a, double b) {
  for (int digits = 4; digits <= 17; ++digits) {
    std::string x = fmt(a, digits), y = fmt(b, digits);
    if (x != y) return {x, y};
  }
  return {fmt(a), fmt(b)};
}

// Both quantities with the fewest significant digits (at least 4) at which their texts differ, so a
// message "KL = ... > bound = ..." never shows two equal numbers; 4 digits when they agree to 40.
std::pair<std::string, std::string> fmt_distinct(const Quantity& a, const Quantity& b) {
  for (int digits = 4; digits <= 40; ++digits) {
    std::string x = fmt(a, digits), y = fmt(b, digits);
    if (x != y) return {x, y};
  }
  return {fmt(a), fmt(b)};
}

// An interval containing every number of the quantity's enclosure, at the current precision.
interval_real enclosure(const Quantity& q) {
  if (!q.finite) return interval_real(std::numeric_limits<mpfr_real>::infinity());
  return make_interval(lower_of(interval_real(q.lo_str)), upper_of(interval_real(q.hi_str)));
}

BoundInputs<interval_real> inputs_of(const CaseSpec& c, const ExactQuantities& q, const RelatedQuantities& related) {
  BoundInputs<interval_real> in;
  in.d = interval_real(q.dim);
  in.T = interval_real(q.steps);
  in.t_out = interval_real(q.t_out);
  in.kappa = c.target.family == Family::gaussian ? interval_real(c.target.gaussian.kappa) : interval_real(q.kappa);
  // continuous-time samplers: alpha_bar(1) = exp(-(b_min + b_max)/2) of the VP SDE (numerics/continuous_time.hpp)
  in.abar_T = is_continuous_time(c.sampler.kind)
                  ? interval_real(exp(-(interval_real(c.schedule.b_min) + interval_real(c.schedule.b_max)) / 2))
                  : make_schedule<interval_real>(c.schedule).alpha_bar[c.schedule.steps];
  in.E_T = enclosure(q.E_T);
  in.kl_q0_gamma = enclosure(q.kl_q0_gamma);
  if (q.D_T) { in.D_T = enclosure(*q.D_T); in.has_D_T = true; }
  if (q.B_T) { in.B_T = enclosure(*q.B_T); in.has_B_T = true; }
  if (q.girsanov) { in.girsanov = enclosure(*q.girsanov); in.has_girsanov = true; }
  in.m2 = interval_real(q.m2);
  const interval_real eps = c.score.kind == ScoreKind::perturbed ? interval_real(c.score.epsilon) : interval_real(0);
  in.eps2 = eps * eps;
  in.kl = enclosure(q.kl);
  in.has_kl = true;
  if (related.kl_far) { in.kl_far = enclosure(*related.kl_far); in.has_kl_far = true; }
  if (related.kl_ddnm) { in.kl_ddnm = enclosure(*related.kl_ddnm); in.has_kl_ddnm = true; }
  complete_derived(in, interval_real(q.lambda_min));
  return in;
}

Quantity measured_of(Measured m, const ExactQuantities& q) {
  switch (m) {
    case Measured::kl: return q.kl;
    case Measured::E_T: return q.E_T;
    case Measured::tv: {
      Quantity t = q.tv_lo;
      t.hi = q.tv_hi.hi;
      t.hi_str = q.tv_hi.hi_str;
      t.value = (t.lo + t.hi) / 2;
      return t;
    }
  }
  return q.kl;
}

std::string where(const ExactQuantities& q) {
  return "d = " + std::to_string(q.dim) + ", T = " + std::to_string(q.steps) + ", kappa = " + fmt(q.kappa);
}

// Judges one check (MATH §7); rate claims only record their shape here.
CheckResult judge(const Bound& bound, const CaseSpec& c, const ExactQuantities& q, const RelatedQuantities& related) {
  CheckResult r;
  const BoundInfo& info = bound.info();
  r.bound = info.id;
  r.rate = bound.is_rate();
  r.measured_name = std::string(to_string(info.measured));
  r.measured = measured_of(info.measured, q);
  for (Requirement req : info.requirements)
    if (!requirement_met(req, c)) {
      r.verdict = "inconclusive";
      r.reason = "not-applicable";
      r.message = "not applicable: the bound assumes " + std::string(to_string(req));
      return r;
    }
  // certified enclosures prove; quadrature results carry an estimated error from a refinement
  // study (MATH §7): a pass on those is labelled estimated; a bare double has no enclosure at all
  const bool estimated = !q.certified && q.path == "mixture";
  const bool proven = q.certified || estimated;
  r.enclosure = q.certified ? "certified" : estimated ? "estimated" : "none";
  try {
    PrecisionScope p(std::max(q.digits, 30u));
    const auto in = inputs_of(c, q, related);
    const interval_real b = bound.evaluate(in);
    r.bound_value = quantity_of(b);
    if (r.rate) {
      r.shape = mid_double(bound.shape(in));
      r.verdict = "pending";
      return r;
    }
    const std::string name = info.measured == Measured::kl ? "KL" : info.measured == Measured::E_T ? "E_T" : "TV";
    if (!r.bound_value.finite) {
      // KL <= +inf holds for every case and proves nothing about the theorem (e.g. chain-rule with
      // D_T = +inf): vacuous, which is not a pass
      r.verdict = "inconclusive";
      r.reason = "vacuous";
      r.message = name + " = " + fmt(r.measured) + " <= bound = +inf at " + where(q) + ": vacuous (an infinite bound proves nothing)";
    } else if (info.relation == Relation::identity) {
      // An identity (measured = identity value) cannot be proven by enclosures; it passes when the two
      // enclosures overlap, i.e. the residual's enclosure contains 0, so the numbers cannot tell the two
      // sides apart; |residual| is then at most the residual enclosure's width, which the message shows.
      // decided at the working precision, not on doubles (whose outward rounding would widen the
      // enclosures by ~1e-16 and let a residual of 1e-30 pass)
      const interval_real residual = enclosure(r.measured) - b;
      const bool overlap = !(lower_of(residual) > 0 || upper_of(residual) < 0);
      r.verdict = overlap ? (proven ? "pass" : "inconclusive") : "fail";
      if (overlap && !proven) r.reason = "not-certified";
      const auto [m, v] = fmt_distinct(r.measured, r.bound_value);
      r.message = name + " = " + m + (overlap ? " matches " : " != ") + "identity value " + v + " (residual in [" +
                  fmt(lower_double(residual)) + ", " + fmt(upper_double(residual)) + "]" +
                  (overlap ? ", contains 0" : ", excludes 0") + ") at " + where(q) +
                  (overlap && estimated ? " (estimated enclosure)" : overlap && !proven ? " (enclosure not certified)" : "");
    } else if (certainly_less(enclosure(r.measured), make_interval(lower_of(b), lower_of(b))) ||
               (upper_of(enclosure(r.measured)) == lower_of(b))) {
      r.verdict = proven ? "pass" : "inconclusive";
      if (!proven) r.reason = "not-certified";
      const auto [m, v] = fmt_distinct(r.measured, r.bound_value);
      r.message = name + " = " + m + " <= bound = " + v + " at " + where(q) +
                  (estimated ? " (estimated enclosure)" : proven ? "" : " (enclosure not certified)");
    } else if (certainly_less(make_interval(upper_of(b), upper_of(b)), enclosure(r.measured))) {
      r.verdict = "fail";
      const auto [m, v] = fmt_distinct(r.measured, r.bound_value);
      r.message = name + " = " + m + " > bound = " + v + " at " + where(q) + (estimated ? " (estimated enclosure)" : "");
    } else {
      r.verdict = "inconclusive";
      r.reason = "enclosures-overlap";
      r.message = name + " in [" + r.measured.lo_str + ", " + r.measured.hi_str + "] and bound in [" + r.bound_value.lo_str +
                  ", " + r.bound_value.hi_str + "] overlap at " + std::to_string(q.digits) + " digits, " + where(q);
    }
  } catch (const BoundNotApplicable& e) {
    r.verdict = "inconclusive";
    r.reason = "not-applicable";
    r.message = std::string("not applicable: ") + e.what();
    if (!related.kl_far_refused.empty()) r.message += " (the 100 T twin was refused: " + related.kl_far_refused + ")";
  }
  return r;
}

// Computes a case and judges its checks, raising the precision while rigorous checks stay
// inconclusive because the enclosures overlap.
CaseResult run_case(const SuiteCase& sc, const BoundRegistry& registry, const RunOptions& options) {
  CaseResult out;
  CaseSpec spec = sc.spec;
  if (spec.target.family == Family::gaussian) {
    // verdicts need enclosures: Gaussian cases always run certified, except DDNM+ with an H that is
    // not coordinate-wise, whose singular vectors are not computed in interval arithmetic (MPFR then;
    // its checks cannot pass)
    const bool point_only = spec.problem && spec.sampler.kind == SamplerKind::ddnm_plus && !resolve_problem(spec).coordinatewise;
    spec.numerics.precision = point_only ? Precision::mpfr : Precision::certified;
    spec.numerics.digits = std::max(spec.numerics.digits, 30u);
  }
  bool needs_far = false, needs_ddnm = false;
  for (const auto& id : sc.checks)
    for (Variable v : registry.at(id).info().needs) {
      needs_far = needs_far || v == Variable::kl_far;
      needs_ddnm = needs_ddnm || v == Variable::kl_ddnm;
    }
  try {
    for (;;) {
      try {
        out.exact = compute_exact(spec);
      } catch (const PrecisionLoss&) {
        // certified enclosures grew too wide for a sign the engine needs: more digits
        if (spec.numerics.precision != Precision::certified || spec.numerics.digits * 2 > options.max_digits) throw;
        spec.numerics.digits *= 2;
        continue;
      }
      out.computed = spec;
      out.related = {};
      if (needs_far) {
        CaseSpec far = spec;
        far.schedule.steps *= 100;
        // e.g. a table schedule, or a twin over the resource caps: the checks that need it say why
        try { out.related.kl_far = compute_exact(far).kl; } catch (const InputError& e) { out.related.kl_far_refused = e.what(); }
      }
      if (needs_ddnm && spec.problem && spec.score.kind == ScoreKind::bo_ddnm) {
        CaseSpec twin = spec;
        twin.score.kind = ScoreKind::ddnm;
        out.related.kl_ddnm = compute_exact(twin).kl;
      }
      out.checks.clear();
      bool overlap = false;
      for (const auto& id : sc.checks) {
        out.checks.push_back(judge(registry.at(id), spec, out.exact, out.related));
        overlap = overlap || out.checks.back().reason == "enclosures-overlap";
      }
      if (!overlap || spec.numerics.precision != Precision::certified || spec.numerics.digits * 2 > options.max_digits) break;
      spec.numerics.digits *= 2;
    }
  } catch (const InputError& e) {
    // the engine refused this case (e.g. a mixture law it cannot resolve): the case's error, naming the
    // field the engine named; the other cases still run (docs/suite-file.md)
    out.error = e.what();
    out.error_field = e.field();
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

// A double for the report: null when it is not finite (JSON has no infinity; the *_str companions
// then carry the number, e.g. a finite bound of 1e400 beyond the double range).
nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v == 0 ? 0.0 : v) : nlohmann::json(nullptr); }  // -0 -> 0

nlohmann::json quantity_brief(const Quantity& q) {
  return {{"value", q.finite ? number_or_null(q.value) : nlohmann::json(nullptr)},
          {"lo", q.finite ? number_or_null(q.lo) : nlohmann::json(nullptr)},
          {"hi", q.finite ? number_or_null(q.hi) : nlohmann::json(nullptr)},
          {"value_str", q.value_str}, {"lo_str", q.lo_str}, {"hi_str", q.hi_str}, {"finite", q.finite}};
}

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

// ---- Baselines (docs/suite-file.md, "Baselines") ----
// An entry is keyed by the case's content alone: the case JSON of report.json (target, schedule, sampler,
// score, numerics, problem) with every number in a canonical decimal form, so `kappa = 10`, `10.0` and
// `1e1` are one key. The suite's name, the case's index and its label are not part of the key: renaming
// a suite or reordering its blocks keeps the regression check; identical cases share one entry.
constexpr const char* baseline_format = "diffbound-baseline/2";
constexpr const char* baseline_format_v1 = "diffbound-baseline/1";  // keys "suite|case JSON"; still read

// The canonical text of a decimal number: "10", "10.0", "1e1", "+1.00E+01" -> "1e1"; "0", "-0.0" -> "0";
// "" when the text is not a finite decimal number ("nan", "inf", words).
std::string canonical_decimal(std::string_view t) {
  std::size_t i = 0;
  bool negative = false;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) negative = t[i++] == '-';
  std::string digits;
  long exponent = 0;
  bool dot = false;
  for (; i < t.size(); ++i) {
    if (t[i] >= '0' && t[i] <= '9') {
      digits += t[i];
      if (dot) --exponent;
    } else if (t[i] == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (digits.empty()) return "";
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) eneg = t[i++] == '-';
    if (i == t.size()) return "";
    long e = 0;
    for (; i < t.size(); ++i) {
      if (t[i] < '0' || t[i] > '9' || e > 100000000) return "";
      e = 10 * e + (t[i] - '0');
    }
    exponent += eneg ? -e : e;
  }
  if (i != t.size()) return "";
  const auto first = digits.find_first_not_of('0');
  if (first == std::string::npos) return "0";
  digits.erase(0, first);
  const auto last = digits.find_last_not_of('0');
  exponent += static_cast<long>(digits.size() - 1 - last);
  digits.erase(last + 1);
  return (negative ? "-" : "") + digits + "e" + std::to_string(exponent);
}

// A case JSON with every number (JSON numbers and decimal texts alike) in canonical decimal form.
nlohmann::json canonical_case(const nlohmann::json& j) {
  if (j.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : j.items()) out[k] = canonical_case(v);
    return out;
  }
  if (j.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : j) out.push_back(canonical_case(v));
    return out;
  }
  if (j.is_number()) {
    const std::string c = canonical_decimal(j.dump());
    return c.empty() ? j : nlohmann::json(c);
  }
  if (j.is_string()) {
    const std::string c = canonical_decimal(j.get<std::string>());
    return c.empty() ? j : nlohmann::json(c);
  }
  return j;
}

std::string baseline_key(const nlohmann::json& case_content) { return canonical_case(case_content).dump(); }

// The stored quantities of an entry; D_T and B_T may be null (samplers without the decomposition).
constexpr std::pair<const char*, bool> baseline_quantities[] = {
    {"kl", false}, {"E_T", false}, {"D_T", true}, {"B_T", true}, {"kl_q0_gamma", false}};

// A stored enclosure must be a finite decimal interval lo <= hi (or "finite": false); anything else
// (nan, inf, a word, a number instead of text, lo > hi) would make the comparison meaningless.
void validate_stored(const nlohmann::json& q, const std::string& field, bool nullable) {
  if (q.is_null()) {
    if (nullable) return;
    throw InputError(field, "null", "expected a stored enclosure {finite, lo_str, hi_str}");
  }
  if (!q.is_object()) throw InputError(field, q.dump(), "expected a stored enclosure {finite, lo_str, hi_str}");
  if (!q.contains("finite") || !q["finite"].is_boolean())
    throw InputError(field + ".finite", q.contains("finite") ? q["finite"].dump() : "(missing)", "expected true or false");
  for (const char* end : {"lo_str", "hi_str"})
    if (!q.contains(end) || !q[end].is_string())
      throw InputError(field + "." + end, q.contains(end) ? q[end].dump() : "(missing)", "expected a decimal number as text");
  if (!q["finite"].get<bool>()) return;
  const std::string lo = q["lo_str"].get<std::string>(), hi = q["hi_str"].get<std::string>();
  if (canonical_decimal(lo).empty()) throw InputError(field + ".lo_str", lo, "not a finite decimal number");
  if (canonical_decimal(hi).empty()) throw InputError(field + ".hi_str", hi, "not a finite decimal number");
  PrecisionScope p(static_cast<unsigned>(std::max<std::size_t>(30, std::max(lo.size(), hi.size()) + 10)));
  if (mpfr_real(lo) > mpfr_real(hi)) throw InputError(field, "[" + lo + ", " + hi + "]", "the lower end exceeds the upper end");
}

// Reads and validates a baseline file; returns its entries by canonical key. Every error names the
// file and the field; nothing is computed before this passes.
std::map<std::string, nlohmann::json> read_baseline(const std::string& path) {
  nlohmann::json baseline;
  std::ifstream in(path);
  if (!in) throw InputError("--baseline", path, "cannot be opened");
  try {
    in >> baseline;
  } catch (const std::exception& e) {
    throw InputError("--baseline", path, std::string("not valid JSON: ") + e.what());
  }
  if (!baseline.is_object()) throw InputError("--baseline", path, "not a diffbound baseline (expected a JSON object)");
  const std::string format = baseline.contains("format") && baseline["format"].is_string() ? baseline["format"].get<std::string>() : "";
  if (format != baseline_format && format != baseline_format_v1)
    throw InputError(path + ": format", format.empty() ? "(missing)" : format,
                     std::string("not a diffbound baseline (expected \"") + baseline_format + "\" or \"" + baseline_format_v1 + "\")");
  if (!baseline.contains("cases") || !baseline["cases"].is_object())
    throw InputError(path + ": cases", baseline.contains("cases") ? baseline["cases"].type_name() : "(missing)",
                     "expected an object of stored cases");
  std::map<std::string, nlohmann::json> entries;
  std::size_t n = 0;
  for (const auto& [stored_key, entry] : baseline["cases"].items()) {
    // named by the stored id when there is one, else by position
    std::string name = "#" + std::to_string(n++);
    if (entry.is_object() && entry.contains("id") && entry["id"].is_string()) name = entry["id"].get<std::string>();
    const std::string where = path + ": cases[" + nlohmann::json(name).dump() + "]";
    if (!entry.is_object()) throw InputError(where, entry.dump(), "expected an object with the stored enclosures");
    for (const auto& [q, nullable] : baseline_quantities) {
      if (!entry.contains(q)) throw InputError(where + "." + q, "(missing)", "every entry stores kl, E_T, D_T, B_T and kl_q0_gamma");
      validate_stored(entry[q], where + "." + q, nullable);
    }
    std::string key = stored_key;
    if (format == baseline_format_v1) {
      // v1 keyed "suite|<case JSON as written>": re-key on the case's content
      const auto bar = stored_key.find("|{");
      nlohmann::json content;
      try {
        if (bar == std::string::npos) throw std::runtime_error("no \"|{\"");
        content = nlohmann::json::parse(stored_key.substr(bar + 1));
      } catch (const std::exception&) {
        throw InputError(where + " (key)", stored_key.substr(0, 80), "a diffbound-baseline/1 key is \"<suite>|<case JSON>\"");
      }
      key = baseline_key(content);
    } else {
      nlohmann::json content;
      try {
        content = nlohmann::json::parse(stored_key);
        if (!content.is_object()) throw std::runtime_error("not an object");
      } catch (const std::exception&) {
        throw InputError(where + " (key)", stored_key.substr(0, 80), "a diffbound-baseline/2 key is the case's canonical JSON");
      }
      key = baseline_key(content);  // a hand-edited key ("10" for "1e1") still matches
    }
    entries.emplace(key, entry);
  }
  return entries;
}

// Compares the stored enclosure with the new one: they must overlap (certified or estimated).
std::string regression_of(const nlohmann::json& stored, const nlohmann::json& now, const std::string& name) {
  if (stored.is_null() || now.is_null()) return stored.is_null() == now.is_null() ? "" : name + " appeared or disappeared";
  if (stored["finite"] != now["finite"]) return name + " changed finiteness";
  if (!now["finite"].get<bool>()) return "";
  std::size_t longest = 0;
  for (const auto* q : {&stored, &now})
    for (const char* end : {"lo_str", "hi_str"}) longest = std::max(longest, (*q)[end].get<std::string>().size());
  PrecisionScope p(static_cast<unsigned>(std::max<std::size_t>(30, longest + 10)));  // every stored digit counts
  const mpfr_real slo(stored["lo_str"].get<std::string>()), shi(stored["hi_str"].get<std::string>());
  const mpfr_real nlo(now["lo_str"].get<std::string>()), nhi(now["hi_str"].get<std::string>());
  if (nhi < slo || nlo > shi)
    return name + " = [" + now["lo_str"].get<std::string>() + ", " + now["hi_str"].get<std::string>() +
           "] does not overlap the baseline [" + stored["lo_str"].get<std::string>() + ", " + stored["hi_str"].get<std::string>() + "]";
  return "";
}

}  // namespace

nlohmann::json baseline_of(const nlohmann::json& report) {
  nlohmann::json b;
  b["format"] = baseline_format;
  b["diffbound"] = report["diffbound"];
  b["cases"] = nlohmann::json::object();
  for (const auto& c : report["cases"]) {
    if (c["exact"].is_null()) continue;
    const auto& e = c["exact"];
    b["cases"][baseline_key(c["case"])] = {{"id", c["id"]}, {"suite", c["suite"]}, {"kl", e["kl"]}, {"E_T", e["decomposition"]["E_T"]},
                                   {"D_T", e["decomposition"]["D_T"]}, {"B_T", e["decomposition"]["B_T"]},
                                   {"kl_q0_gamma", e["kl_q0_gamma"]}};
  }
  return b;
}

// The fields every rate-claim entry of report.json starts with, fitted or not.
nlohmann::json rate_entry(const Suite& suite, const Bound& b, const std::string& bid, const std::string& var,
                          const std::string& group, std::size_t index) {
  nlohmann::json rj;
  rj["id"] = suite.name + "/rate/" + bid + "/" + var + "/" + std::to_string(index);
  rj["suite"] = suite.name;
  rj["bound"] = bid;
  rj["citation"] = b.info().citation;
  rj["provenance"] = to_string(b.info().provenance);
  rj["variable"] = var;
  rj["group"] = group;
  rj["tolerance"] = suite.rates.tolerance;
  return rj;
}

nlohmann::json run_suites(const std::vector<Suite>& suites, const RunOptions& options) {
  std::vector<const Suite*> ptrs;
  for (const auto& s : suites) ptrs.push_back(&s);
  const BoundRegistry registry = registry_for(ptrs);
  std::vector<const SuiteCase*> cases;
  for (const auto& s : suites)
    for (const auto& c : s.cases) cases.push_back(&c);

  // The baseline is read, validated and matched against the run's cases before anything is computed.
  std::map<std::string, nlohmann::json> baseline;
  std::vector<std::string> keys(cases.size());
  nlohmann::json baseline_summary;
  if (!options.baseline.empty()) {
    baseline = read_baseline(options.baseline);
    std::size_t matched = 0;
    for (std::size_t i = 0; i < cases.size(); ++i) {
      keys[i] = baseline_key(case_json(cases[i]->spec));
      matched += baseline.count(keys[i]);
    }
    const std::size_t unmatched = cases.size() - matched;
    if (!cases.empty() && matched == 0)
      throw InputError("--baseline", options.baseline,
                       "none of the " + std::to_string(cases.size()) +
                           " cases of this run has an entry in it (entries are keyed by the case's content: target, schedule, "
                           "sampler, score, numerics, problem; is it the baseline of other suites?)");
    baseline_summary = {{"file", options.baseline}, {"cases", cases.size()}, {"matched", matched}, {"unmatched", unmatched},
                        {"warning", nullptr}};
    // most cases without an entry: regression is mostly off, which must not look like a pass
    if (2 * unmatched > cases.size()) {
      const std::string warning = std::to_string(unmatched) + " of " + std::to_string(cases.size()) + " cases found no match in the baseline " +
                                  options.baseline + ": the regression check is mostly off (the run fails; write a new baseline " +
                                  "with --write-baseline if the cases changed on purpose)";
      baseline_summary["warning"] = warning;
      std::fprintf(stderr, "diffbound: warning: %s\n", warning.c_str());
    }
  }

  const auto start = std::chrono::steady_clock::now();
  std::vector<CaseResult> results(cases.size());
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex io;
  const bool tty = ::isatty(2);
  std::exception_ptr failure;
  auto worker = [&] {
    for (;;) {
      const std::size_t i = next++;
      if (i >= cases.size()) return;
      try {
        results[i] = run_case(*cases[i], registry, options);
      } catch (...) {
        std::lock_guard<std::mutex> lock(io);
        if (!failure) failure = std::current_exception();
        next = cases.size();
        return;
      }
      const std::size_t n = ++done;
      if (options.progress) {
        std::lock_guard<std::mutex> lock(io);
        if (tty) {
          const int width = 30, filled = static_cast<int>(width * n / cases.size());
          std::fprintf(stderr, "\r[%s%s] %zu/%zu %s", std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), n,
                       cases.size(), cases[i]->id.c_str());
          if (n == cases.size()) std::fprintf(stderr, "\n");
        } else {
          std::fprintf(stderr, "[%zu/%zu] %s %s (%.2f s)\n", n, cases.size(), cases[i]->id.c_str(), cases[i]->label.c_str(),
                       results[i].exact.seconds);
        }
        std::fflush(stderr);
      }
    }
  };
  int jobs = options.jobs > 0 ? options.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  jobs = std::min<int>(jobs, static_cast<int>(std::max<std::size_t>(1, cases.size())));
  std::vector<std::thread> pool;
  for (int j = 0; j < jobs; ++j) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);

  nlohmann::json report;
  report["format"] = "diffbound-report/1";
  report["diffbound"] = build_json();
  report["started"] = now_iso();
  report["jobs"] = jobs;
  report["suites"] = nlohmann::json::array();
  for (const auto& s : suites) report["suites"].push_back({{"name", s.name}, {"description", s.description}, {"file", s.file}});
  report["bounds"] = nlohmann::json::array();
  std::set<std::string> used;
  for (const auto* c : cases) used.insert(c->checks.begin(), c->checks.end());
  for (const auto& b : registry.all()) {
    if (!used.count(b->id())) continue;
    const auto& i = b->info();
    report["bounds"].push_back({{"id", i.id}, {"kind", to_string(i.kind)}, {"metric", to_string(i.metric)},
                                {"measured", to_string(i.measured)}, {"citation", i.citation}, {"provenance", to_string(i.provenance)},
                                {"assumptions", i.assumptions()}, {"description", i.description}, {"formula", i.formula},
                                {"shape", i.shape.empty() ? nlohmann::json(nullptr) : nlohmann::json(i.shape)}});
  }
  long pass = 0, fail = 0, inconclusive = 0, checks = 0, errors = 0;
  std::map<std::string, std::string> file_of;  // suite name -> suite file
  for (const auto& s : suites) file_of.emplace(s.name, s.file.empty() ? s.name : s.file);
  report["cases"] = nlohmann::json::array();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& sc = *cases[i];
    const auto& r = results[i];
    nlohmann::json c;
    c["id"] = sc.id;
    c["suite"] = sc.suite;
    c["index"] = sc.index;
    c["label"] = sc.label;
    c["params"] = sc.params;
    c["case"] = case_json(sc.spec);
    // the error names the suite file and the case, so it stands on its own in any rendering
    c["error"] = r.error.empty() ? nlohmann::json(nullptr)
                                 : nlohmann::json(file_of.at(sc.suite) + ": case " + sc.id + " (" + sc.label + "): " + r.error);
    if (!r.error_field.empty()) c["error_field"] = r.error_field;
    c["checks"] = nlohmann::json::array();
    if (r.error.empty()) {
      auto e = exact_json(r.computed, r.exact);
      e.erase("case");
      e.erase("diffbound");
      c["exact"] = e;
    } else {
      c["exact"] = nullptr;
      ++errors;  // a case that could not be computed fails the run
    }
    for (const auto& ch : r.checks) {
      if (ch.rate) continue;  // judged over the sweep below
      nlohmann::json j;
      const Bound& b = registry.at(ch.bound);
      j["bound"] = ch.bound;
      j["kind"] = to_string(b.info().kind);
      j["metric"] = to_string(b.info().metric);
      j["verdict"] = ch.verdict;
      j["measured"] = {{"name", ch.measured_name}, {"value", number_or_null(ch.measured.value)}, {"lo", number_or_null(ch.measured.lo)},
                       {"hi", number_or_null(ch.measured.hi)}, {"value_str", ch.measured.value_str}, {"lo_str", ch.measured.lo_str},
                       {"hi_str", ch.measured.hi_str}, {"finite", ch.measured.finite}};
      j["bound_value"] = quantity_brief(ch.bound_value);
      const bool finite = ch.bound_value.finite && ch.reason != "not-applicable";
      j["slack"] = finite ? number_or_null(ch.bound_value.value - ch.measured.value) : nlohmann::json(nullptr);
      j["ratio"] = finite && ch.bound_value.value != 0 ? number_or_null(ch.measured.value / ch.bound_value.value) : nlohmann::json(nullptr);
      j["reason"] = ch.reason;
      j["message"] = ch.message;
      j["enclosure"] = ch.enclosure;
      c["checks"].push_back(j);
    }
    if (!options.baseline.empty() && r.error.empty()) {
      const std::string& key = keys[i];
      nlohmann::json j = {{"bound", "baseline"}, {"kind", "regression"}, {"metric", "KL"}, {"measured", {{"name", "kl"}}},
                          {"bound_value", nullptr}, {"slack", nullptr}, {"ratio", nullptr}};
      if (!baseline.count(key)) {
        j["verdict"] = "inconclusive";
        j["reason"] = "no-baseline";
        j["message"] = "no stored value for this case in " + options.baseline;
      } else {
        const auto& s = baseline.at(key);
        const auto& e = c["exact"];
        std::string msg;
        for (auto [name, now] : {std::pair<std::string, nlohmann::json>{"kl", e["kl"]}, {"E_T", e["decomposition"]["E_T"]},
                                 {"D_T", e["decomposition"]["D_T"]}, {"B_T", e["decomposition"]["B_T"]},
                                 {"kl_q0_gamma", e["kl_q0_gamma"]}}) {
          std::string m = regression_of(s[name], now, name);
          if (!m.empty()) msg += (msg.empty() ? "" : "; ") + m;
        }
        j["verdict"] = msg.empty() ? "pass" : "fail";
        j["reason"] = msg.empty() ? "" : "regression";
        j["message"] = msg.empty() ? "matches the baseline" : msg;
      }
      c["checks"].push_back(j);
    }
    for (const auto& j : c["checks"]) {
      ++checks;
      const auto v = j["verdict"].get<std::string>();
      (v == "pass" ? pass : v == "fail" ? fail : inconclusive)++;
    }
    report["cases"].push_back(c);
  }

  // Rate claims: per [[case]] block, bound and swept variable, group the cases that differ only in
  // that variable and fit the exponents (MATH §7).
  report["rates"] = nlohmann::json::array();
  report["plots"] = nlohmann::json::array();
  const std::map<std::string, std::string> variable_keys = {{"T", "schedule.steps"}, {"d", "target.dim"}, {"kappa", "target.kappa"},
                                                                {"kappa_H", "problem.kappa_H"}};
  for (const auto& suite : suites) {
    std::map<long, std::vector<std::size_t>> blocks;
    for (std::size_t i = 0; i < cases.size(); ++i)
      if (cases[i]->suite == suite.name) blocks[cases[i]->block].push_back(i);
    for (const auto& [block, members] : blocks) {
      // A rate claim never vanishes: where no fit can be made (its variables are not swept, a group has
      // fewer than 3 points, the claim does not apply) it is an inconclusive entry with the reason.
      std::vector<std::string> claims;  // the block's rate claims (a block's cases share their checks)
      for (const auto& id : cases[members[0]]->checks)
        if (registry.at(id).is_rate() && std::find(claims.begin(), claims.end(), id) == claims.end()) claims.push_back(id);
      const auto speaks_of = [&](const std::string& bid, const std::string& var) {
        for (auto sv : registry.at(bid).info().swept)
          if (to_string(sv) == var) return true;
        return false;
      };
      const auto unfitted = [&](const std::string& bid, const std::string& var, const std::string& group, const std::string& reason,
                                const std::string& message, const std::vector<std::size_t>& idx) {
        const auto& b = registry.at(bid);
        nlohmann::json rj = rate_entry(suite, b, bid, var, group, report["rates"].size());
        rj["measured"] = b.info().measured == Measured::tv ? "tv" : b.info().minus_limit ? "|kl - kl_inf|" : "kl";
        rj["points"] = nlohmann::json::array();
        for (std::size_t i : idx) rj["points"].push_back({{"case", cases[i]->id}});
        rj["fitted_exponent"] = nullptr;
        rj["kl_exponent"] = nullptr;
        rj["implied_constant"] = nullptr;
        rj["verdict"] = "inconclusive";
        rj["reason"] = reason;
        rj["message"] = message + " [" + std::string(to_string(b.info().provenance)) + "]";
        ++checks;
        ++inconclusive;
        report["rates"].push_back(rj);
      };
      for (const auto& bid : claims) {
        std::string vars;
        bool swept = false;
        for (auto sv : registry.at(bid).info().swept) {
          vars += (vars.empty() ? "" : ", ") + std::string(to_string(sv));
          swept = swept || cases[members[0]]->swept.count(variable_keys.at(std::string(to_string(sv))));
        }
        if (swept) continue;
        std::string swept_keys;
        for (const auto& [k, v] : cases[members[0]]->swept) swept_keys += (swept_keys.empty() ? "" : ", ") + k;
        const std::string& name = cases[members[0]]->block_name;
        unfitted(bid, vars, name.empty() ? cases[members[0]]->label : name, "not-swept",
                 "not fitted: the claim speaks of " + vars + " and this block sweeps " +
                     (swept_keys.empty() ? std::string("nothing") : swept_keys) + "; a rate fit needs its variable swept over at least 3 values",
                 members);
      }
      for (const auto& [var, key] : variable_keys) {
        // groups: same values of every other swept key
        std::map<std::string, std::vector<std::size_t>> groups;
        for (std::size_t i : members) {
          if (!cases[i]->swept.count(key)) continue;
          std::string g;
          for (const auto& [k, v] : cases[i]->swept)
            if (k != key) g += k + "=" + v + " ";
          groups[g].push_back(i);
        }
        for (const auto& [g, idx] : groups) {
          // the first case's label without the swept variable names the group
          std::string group_label;
          {
            std::istringstream words(cases[idx[0]]->label);
            for (std::string w; words >> w;)
              if (w.rfind(var + "=", 0) != 0) group_label += (group_label.empty() ? "" : " ") + w;
          }
          if (idx.size() < 3) {
            std::string values;
            for (std::size_t i : idx) values += (values.empty() ? "" : ", ") + cases[i]->swept.at(key);
            for (const auto& bid : claims)
              if (speaks_of(bid, var))
                unfitted(bid, var, group_label, "too-few-points",
                         "not fitted: " + std::to_string(idx.size()) + (idx.size() == 1 ? " point" : " points") + " along " + var + " (" +
                             var + " = " + values + ") in this group; a rate fit needs at least 3",
                         idx);
            continue;
          }
          const std::string label = cases[idx[0]]->label;
          nlohmann::json plot;
          plot["id"] = suite.name + "/plot/" + std::to_string(report["plots"].size());
          plot["x_label"] = var;
          plot["y_label"] = "KL";
          plot["title"] = "KL vs " + var + " (" + group_label + ")";
          nlohmann::json exact_curve = {{"label", "exact KL"}, {"kind", "exact"}, {"points", nlohmann::json::array()}};
          std::map<std::string, nlohmann::json> bound_curves;
          std::map<std::string, std::vector<std::array<double, 4>>> rate_points;  // bound -> (x, lo, hi, shape)
          // minus_limit claims: (x, sign of KL_T - KL_inf) per point
          std::map<std::string, std::vector<std::pair<double, int>>> limit_sides;
          std::map<std::string, std::vector<std::string>> rate_cases;
          std::map<std::string, std::vector<std::array<double, 3>>> limits;  // bound -> (x, KL_inf, B_inf)
          std::map<std::string, std::set<std::string>> rate_enclosures;  // bound -> enclosure kinds of its points
          std::map<std::string, std::vector<std::pair<std::string, std::string>>> missing;  // bound -> (why, what) per case without a point
          int p = 0, f = 0, inc = 0;
          for (std::size_t i : idx) {
            const auto& r = results[i];
            if (!r.error.empty()) continue;
            const double x = var == "T" ? r.exact.steps : var == "d" ? r.exact.dim
                             : var == "kappa_H" ? (r.exact.problem ? r.exact.problem->kappa_H : 1.0) : r.exact.kappa;
            exact_curve["points"].push_back({x, r.exact.kl.value});
            for (const auto& ch : r.checks) {
              // only bounds on KL itself share the KL axis (forward-contraction bounds E_T, Pinsker TV)
              if (ch.bound_value.finite && ch.reason != "not-applicable" && ch.measured_name == "kl") {
                auto& curve = bound_curves[ch.bound];
                if (curve.is_null())
                  curve = {{"label", ch.rate ? ch.bound + " (shape, C = 1)" : ch.bound}, {"kind", "bound"},
                           {"points", nlohmann::json::array()}};
                curve["points"].push_back({x, ch.bound_value.value});
              }
              if (!ch.rate) { (ch.verdict == "pass" ? p : ch.verdict == "fail" ? f : inc)++; continue; }
              const auto& b = registry.at(ch.bound);
              if (!speaks_of(ch.bound, var)) continue;
              if (ch.reason == "not-applicable") {
                missing[ch.bound].push_back({"not-applicable", cases[i]->id + ": " + ch.message});
                continue;
              }
              if (b.info().minus_limit) {
                // KL_T - KL_inf, with KL_inf estimated by the same case at 100 T steps (double);
                // what remains of the limit there is ~ shape(100 T), negligible for the exponent
                CaseSpec far = r.computed;
                far.schedule.steps *= 100;
                far.numerics.precision = Precision::double_;
                double limit = 0;
                try {
                  const auto far_exact = compute_exact(far);
                  limit = far_exact.kl.value;
                  // the limit against the accumulated mismatch (KL_inf <= C B_inf, MATH §5): data, not a verdict
                  if (far_exact.B_T && far_exact.B_T->finite)
                    limits[ch.bound].push_back({x, limit, far_exact.B_T->value});
                } catch (const std::exception& e) {
                  // e.g. a table schedule cannot be extended
                  missing[ch.bound].push_back({"no-limit", cases[i]->id + ": KL_inf (100 T) not computable: " + e.what()});
                  continue;
                }
                // a rate of convergence is two-sided: KL_T may approach KL_inf from below
                const double a = std::abs(ch.measured.lo - limit), c = std::abs(ch.measured.hi - limit);
                rate_points[ch.bound].push_back({x, std::min(a, c), std::max(a, c), ch.shape});
                limit_sides[ch.bound].push_back({x, ch.measured.value > limit ? 1 : ch.measured.value < limit ? -1 : 0});
              } else {
                rate_points[ch.bound].push_back({x, ch.measured.lo, ch.measured.hi, ch.shape});
              }
              rate_cases[ch.bound].push_back(cases[i]->id);
              rate_enclosures[ch.bound].insert(ch.enclosure);
            }
          }
          for (const auto& [bid, pts] : rate_points) {
            const auto& b = registry.at(bid);
            nlohmann::json rj = rate_entry(suite, b, bid, var, group_label, report["rates"].size());
            rj["points"] = nlohmann::json::array();
            const bool tv = b.info().measured == Measured::tv;
            rj["measured"] = tv ? "tv" : b.info().minus_limit ? "|kl - kl_inf|" : "kl";
            // the weakest kind among the points: one estimated point makes the fit estimated
            const auto& kinds = rate_enclosures[bid];
            rj["enclosure"] = kinds.count("none") ? "none" : kinds.count("estimated") ? "estimated" : "certified";
            std::vector<double> xs, los, his, ss;
            for (std::size_t k = 0; k < pts.size(); ++k) {
              const double mid = (pts[k][1] + pts[k][2]) / 2;
              rj["points"].push_back({{"x", pts[k][0]}, {"kl", mid}, {"lo", pts[k][1]}, {"hi", pts[k][2]}, {"shape", pts[k][3]},
                                      {"case", rate_cases[bid][k]}});
              xs.push_back(pts[k][0]);
              los.push_back(pts[k][1]);
              his.push_back(pts[k][2]);
              ss.push_back(pts[k][3]);
            }
            try {
              // The measured quantity is enclosed in [lo, hi] (for KL, a certified point; for TV on
              // Gaussians only the Hellinger/Pinsker enclosure). The claim passes when even the upper
              // ends follow the shape, fails when even the lower ends do not, else is inconclusive.
              const auto upper = fit_rate_claim(xs, his, ss, suite.rates.tolerance, rj["id"].get<std::string>());
              const auto lower = tv ? fit_rate_claim(xs, los, ss, suite.rates.tolerance, rj["id"].get<std::string>()) : upper;
              const auto& fit = upper.pass ? upper : lower;
              rj["fitted_exponent"] = fit.ratio.slope;
              rj["kl_exponent"] = fit.measured.slope;
              rj["implied_constant"] = upper.implied_constant;
              rj["verdict"] = upper.pass ? "pass" : lower.pass ? "inconclusive" : "fail";
              rj["reason"] = upper.pass || !lower.pass ? "" : "enclosures-overlap";  // the TV enclosure is too wide
              // KL_T - KL_inf changing sign within the fitted (upper) half passes through zero there:
              // |KL_T - KL_inf| then has a dip that no power law describes, and the exponent says nothing
              bool crosses = false;
              {
                std::vector<double> sorted = xs;
                std::sort(sorted.begin(), sorted.end());
                const std::size_t n = sorted.size();
                const double median = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
                bool above = false, below = false;
                for (const auto& [px, side] : limit_sides[bid])
                  if (px >= median) { above = above || side > 0; below = below || side < 0; }
                crosses = above && below;
              }
              if (crosses) {
                rj["verdict"] = "inconclusive";
                rj["reason"] = "sign-change";
              }
              const std::string q = tv ? "TV" : b.info().minus_limit ? "|KL - KL_inf|" : "KL";
              // the exponent against the tolerance with enough digits to show which side it is on
              const auto [slope_text, tolerance_text] = fmt_distinct(fit.ratio.slope, suite.rates.tolerance);
              rj["message"] = q + "/shape ~ " + var + "^" + slope_text + " over the upper half (tolerance " + tolerance_text + "); " + q + " ~ " + var + "^" + fmt(fit.measured.slope) +
                              "; implied constant " + fmt(upper.implied_constant) + " [" + std::string(to_string(b.info().provenance)) + "]" +
                              (tv ? (upper.pass ? " (upper end of the TV enclosure)"
                                                : lower.pass ? " (the TV enclosure is too wide to decide)" : " (lower end of the TV enclosure)")
                                  : "") +
                              (crosses ? "; KL_T - KL_inf changes sign in the fitted half of the sweep, so its power-law fit decides nothing "
                                         "(inconclusive)"
                                       : "");
            } catch (const std::exception& e) {
              rj["fitted_exponent"] = nullptr;
              rj["kl_exponent"] = nullptr;
              rj["implied_constant"] = nullptr;
              rj["verdict"] = "inconclusive";
              rj["reason"] = "cannot-fit";
              std::string why;
              for (const auto& [reason, what] : missing[bid]) why += "; " + what;
              rj["message"] = std::string("cannot fit: ") + e.what() + why;
            }
            if (limits.count(bid)) {
              rj["limits"] = nlohmann::json::array();
              double worst = 0;
              for (const auto& [x, kl_inf, b_inf] : limits[bid]) {
                rj["limits"].push_back({{"x", x}, {"kl_inf", kl_inf}, {"B_inf", b_inf},
                                        {"ratio", b_inf > 0 ? nlohmann::json(kl_inf / b_inf) : nlohmann::json(nullptr)}});
                if (b_inf > 0) worst = std::max(worst, kl_inf / b_inf);
              }
              rj["limit_constant"] = worst;  // max KL_inf / B_inf: the C of "KL_inf <= C B_inf" on this sweep
              rj["message"] = rj["message"].get<std::string>() + "; KL_inf/B_inf <= " + fmt(worst) + " (KL_inf, B_inf at 100 T)";
            }
            const auto v = rj["verdict"].get<std::string>();
            ++checks;
            (v == "pass" ? pass : v == "fail" ? fail : inconclusive)++;
            report["rates"].push_back(rj);
          }
          // claims of this group with no point at all (not applicable, or no limit) still get an entry
          for (const auto& bid : claims) {
            if (!speaks_of(bid, var) || rate_points.count(bid)) continue;
            const auto& why = missing[bid];
            bool all_not_applicable = !why.empty();
            for (const auto& [reason, what] : why) all_not_applicable = all_not_applicable && reason == "not-applicable";
            std::string message = "not fitted: no case of this group gave a point";
            if (all_not_applicable) message = "not applicable: " + why.front().second;
            else
              for (const auto& [reason, what] : why) message += "; " + what;
            unfitted(bid, var, group_label, all_not_applicable ? "not-applicable" : "too-few-points", message, idx);
          }
          plot["curves"] = nlohmann::json::array({exact_curve});
          for (auto& [bid, curve] : bound_curves) plot["curves"].push_back(curve);
          plot["verdicts"] = {{"pass", p}, {"fail", f}, {"inconclusive", inc}};
          report["plots"].push_back(plot);
        }
      }
    }
  }
  {
    std::vector<const StudySpec*> studies;
    for (const auto& s : suites)
      for (const auto& st : s.studies) studies.push_back(&st);
    // studies run after the cases, on every allowed thread (jobs above is capped by the case count)
    const int study_jobs = options.jobs > 0 ? options.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const StudyTally t = add_studies(report, studies, study_jobs);
    checks += t.checks;
    pass += t.pass;
    fail += t.fail;
    errors += t.errors;
  }
  // [[figure]]: KL against one variable, a curve per named block (and per group of its other swept keys)
  for (const auto& suite : suites)
    for (const auto& fig : suite.figures) {
      const std::string key = variable_keys.at(fig.x);
      nlohmann::json plot;
      plot["id"] = suite.name + "/figure/" + std::to_string(report["plots"].size());
      plot["title"] = fig.title;
      plot["x_label"] = fig.x;
      plot["y_label"] = "KL";
      plot["curves"] = nlohmann::json::array();
      int p = 0, f = 0, inc = 0;
      for (const auto& name : fig.curves) {
        std::map<std::string, std::vector<std::array<double, 2>>> groups;
        for (std::size_t i = 0; i < cases.size(); ++i) {
          if (cases[i]->suite != suite.name || cases[i]->block_name != name || !results[i].error.empty()) continue;
          std::string g;
          for (const auto& [k, v] : cases[i]->swept)
            if (k != key) g += (g.empty() ? "" : " ") + k.substr(k.rfind('.') + 1) + "=" + v;
          const auto& e = results[i].exact;
          const double x = fig.x == "T" ? e.steps : fig.x == "d" ? e.dim
                           : fig.x == "kappa_H" ? (e.problem ? e.problem->kappa_H : 1.0) : e.kappa;
          groups[g].push_back({x, e.kl.value});
          for (const auto& ch : results[i].checks)
            if (!ch.rate) (ch.verdict == "pass" ? p : ch.verdict == "fail" ? f : inc)++;
        }
        for (auto& [g, pts] : groups) {
          std::sort(pts.begin(), pts.end());
          nlohmann::json curve = {{"label", g.empty() ? name : name + " (" + g + ")"}, {"kind", "series"}, {"points", nlohmann::json::array()}};
          for (const auto& pt : pts) curve["points"].push_back({pt[0], pt[1]});
          plot["curves"].push_back(curve);
        }
      }
      plot["verdicts"] = {{"pass", p}, {"fail", f}, {"inconclusive", inc}};
      report["plots"].push_back(plot);
    }
  const bool baseline_off = baseline_summary.is_object() && !baseline_summary["warning"].is_null();
  const int exit_status = fail + errors > 0 || baseline_off ? 1 : (inconclusive > 0 && options.fail_on_inconclusive) ? 3 : 0;
  report["summary"] = {{"cases", cases.size()}, {"checks", checks}, {"pass", pass}, {"fail", fail},
                       {"inconclusive", inconclusive}, {"errors", errors}, {"exit_status", exit_status}};
  if (baseline_summary.is_object()) report["summary"]["baseline"] = baseline_summary;
  report["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace diffbound
