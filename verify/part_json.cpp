#include "verify/part_json.hpp"

#include "numerics/input_error.hpp"

#include <cmath>
#include <limits>

namespace diffbound {

namespace {

using nlohmann::json;

// Doubles: JSON numbers round-trip exactly (nlohmann writes the shortest exact form); inf and nan cannot be
// JSON numbers, so they are words.
json number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

[[noreturn]] void bad(const std::string& field, const std::string& why) { throw InputError(field, "(part)", why); }

const json& at(const json& j, const char* key, const std::string& field) {
  if (!j.is_object() || !j.contains(key)) bad(field + "." + key, "missing");
  return j.at(key);
}

double number_of(const json& j, const char* key, const std::string& field) {
  const json& v = at(j, key, field);
  if (v.is_number()) return v.get<double>();
  if (v == "inf") return std::numeric_limits<double>::infinity();
  if (v == "-inf") return -std::numeric_limits<double>::infinity();
  if (v == "nan") return std::numeric_limits<double>::quiet_NaN();
  bad(field + "." + key, "not a number");
}

long integer_of(const json& j, const char* key, const std::string& field) {
  const json& v = at(j, key, field);
  if (!v.is_number_integer()) bad(field + "." + key, "not an integer");
  return v.get<long>();
}

std::string text_of(const json& j, const char* key, const std::string& field) {
  const json& v = at(j, key, field);
  if (!v.is_string()) bad(field + "." + key, "not a string");
  return v.get<std::string>();
}

bool flag_of(const json& j, const char* key, const std::string& field) {
  const json& v = at(j, key, field);
  if (!v.is_boolean()) bad(field + "." + key, "not a boolean");
  return v.get<bool>();
}

// Enums as their integer values: both sides are the same revision (the part says which).
template <class E> E enum_of(const json& j, const char* key, const std::string& field, E last) {
  const long v = integer_of(j, key, field);
  if (v < 0 || v > static_cast<long>(last)) bad(field + "." + key, "out of range");
  return static_cast<E>(v);
}
template <class E> json enum_json(E e) { return static_cast<long>(e); }

void put_optional(json& j, const char* key, const std::optional<Enclosure>& e) {
  j[key] = e ? part_json(*e) : json(nullptr);
}
std::optional<Enclosure> optional_of(const json& j, const char* key, const std::string& field) {
  const json& v = at(j, key, field);
  if (v.is_null()) return std::nullopt;
  return enclosure_from_part(v, field + "." + key);
}

json problem_json(const ProblemRecord& p) {
  return {{"op", p.op}, {"p", p.p}, {"rank", p.rank}, {"coordinatewise", p.coordinatewise}, {"kappa_H", number(p.kappa_H)},
          {"s_max", number(p.s_max)}, {"s_min", number(p.s_min)}, {"sigma_y", p.sigma_y}, {"y", p.y}, {"x0", p.x0}};
}
ProblemRecord problem_of(const json& j, const std::string& field) {
  ProblemRecord p;
  p.op = text_of(j, "op", field);
  p.p = integer_of(j, "p", field);
  p.rank = integer_of(j, "rank", field);
  p.coordinatewise = flag_of(j, "coordinatewise", field);
  p.kappa_H = number_of(j, "kappa_H", field);
  p.s_max = number_of(j, "s_max", field);
  p.s_min = number_of(j, "s_min", field);
  p.sigma_y = text_of(j, "sigma_y", field);
  for (const char* key : {"y", "x0"}) {
    const json& v = at(j, key, field);
    if (!v.is_array()) bad(field + "." + key, "not an array");
    auto& out = std::string(key) == "y" ? p.y : p.x0;
    for (const auto& s : v) {
      if (!s.is_string()) bad(field + "." + key, "not an array of strings");
      out.push_back(s.get<std::string>());
    }
  }
  return p;
}

json check_json_of(const CheckOutcome& c) {
  return {{"bound", c.bound},
          {"verdict", enum_json(c.verdict)},
          {"reason", enum_json(c.reason)},
          {"message", c.message},
          {"enclosure", enum_json(c.enclosure)},
          {"measured_kind", enum_json(c.measured_kind)},
          {"measured", part_json(c.measured)},
          {"bound_value", part_json(c.bound_value)},
          {"rate", c.rate},
          {"shape", number(c.shape)}};
}
CheckOutcome check_of(const json& j, const std::string& field) {
  CheckOutcome c;
  c.bound = text_of(j, "bound", field);
  c.verdict = enum_of(j, "verdict", field, Verdict::inconclusive);
  c.reason = enum_of(j, "reason", field, Reason::unexpected_inconclusive);
  c.message = text_of(j, "message", field);
  c.enclosure = enum_of(j, "enclosure", field, EnclosureKind::point);
  c.measured_kind = enum_of(j, "measured_kind", field, Measured::w2);
  c.measured = enclosure_from_part(at(j, "measured", field), field + ".measured");
  c.bound_value = enclosure_from_part(at(j, "bound_value", field), field + ".bound_value");
  c.rate = flag_of(j, "rate", field);
  c.shape = number_of(j, "shape", field);
  return c;
}

}  // namespace

json part_json(const Enclosure& e) {
  return {{"value", number(e.value)}, {"lo", number(e.lo)},   {"hi", number(e.hi)},
          {"value_str", e.value_str}, {"lo_str", e.lo_str},   {"hi_str", e.hi_str},
          {"finite", e.finite},       {"kind", enum_json(e.kind)}, {"method", e.method}};
}

Enclosure enclosure_from_part(const json& j, const std::string& field) {
  Enclosure e;
  e.value = number_of(j, "value", field);
  e.lo = number_of(j, "lo", field);
  e.hi = number_of(j, "hi", field);
  e.value_str = text_of(j, "value_str", field);
  e.lo_str = text_of(j, "lo_str", field);
  e.hi_str = text_of(j, "hi_str", field);
  e.finite = flag_of(j, "finite", field);
  e.kind = enum_of(j, "kind", field, EnclosureKind::point);
  e.method = text_of(j, "method", field);
  return e;
}

json part_json(const ExactQuantities& q) {
  json j;
  j["kl"] = part_json(q.kl);
  j["kl_q0_gamma"] = part_json(q.kl_q0_gamma);
  j["E_T"] = part_json(q.E_T);
  put_optional(j, "D_T", q.D_T);
  put_optional(j, "B_T", q.B_T);
  put_optional(j, "girsanov", q.girsanov);
  put_optional(j, "w2", q.w2);
  j["w2_estimated"] = q.w2_estimated;
  j["hellinger2"] = part_json(q.hellinger2);
  j["tv_lo"] = part_json(q.tv_lo);
  j["tv_hi"] = part_json(q.tv_hi);
  j["dim"] = q.dim;
  j["steps"] = q.steps;
  j["t_out"] = q.t_out;
  j["kappa"] = part_json(q.kappa);
  j["alpha_bar_T"] = part_json(q.alpha_bar_T);
  j["m2"] = part_json(q.m2);
  j["lambda_min"] = part_json(q.lambda_min);
  j["lambda_max"] = part_json(q.lambda_max);
  j["epsilon"] = number(q.epsilon);
  put_optional(j, "fisher_rel", q.fisher_rel);
  put_optional(j, "kl_q0_stationary", q.kl_q0_stationary);
  put_optional(j, "w2_q0_stationary", q.w2_q0_stationary);
  put_optional(j, "w2_init", q.w2_init);
  put_optional(j, "mean_norm2", q.mean_norm2);
  j["kind"] = enum_json(q.kind);
  j["method"] = q.method;
  j["precision"] = q.precision;
  j["digits"] = q.digits;
  j["engine"] = enum_json(q.engine);
  j["directions"] = q.directions;
  j["seconds"] = number(q.seconds);
  j["problem"] = q.problem ? problem_json(*q.problem) : json(nullptr);
  return j;
}

ExactQuantities exact_from_part(const json& j, const std::string& field) {
  ExactQuantities q;
  auto enc = [&](const char* key) { return enclosure_from_part(at(j, key, field), field + "." + key); };
  q.kl = enc("kl");
  q.kl_q0_gamma = enc("kl_q0_gamma");
  q.E_T = enc("E_T");
  q.D_T = optional_of(j, "D_T", field);
  q.B_T = optional_of(j, "B_T", field);
  q.girsanov = optional_of(j, "girsanov", field);
  q.w2 = optional_of(j, "w2", field);
  q.w2_estimated = flag_of(j, "w2_estimated", field);
  q.hellinger2 = enc("hellinger2");
  q.tv_lo = enc("tv_lo");
  q.tv_hi = enc("tv_hi");
  q.dim = integer_of(j, "dim", field);
  q.steps = integer_of(j, "steps", field);
  q.t_out = integer_of(j, "t_out", field);
  q.kappa = enc("kappa");
  q.alpha_bar_T = enc("alpha_bar_T");
  q.m2 = enc("m2");
  q.lambda_min = enc("lambda_min");
  q.lambda_max = enc("lambda_max");
  q.epsilon = number_of(j, "epsilon", field);
  q.fisher_rel = optional_of(j, "fisher_rel", field);
  q.kl_q0_stationary = optional_of(j, "kl_q0_stationary", field);
  q.w2_q0_stationary = optional_of(j, "w2_q0_stationary", field);
  q.w2_init = optional_of(j, "w2_init", field);
  q.mean_norm2 = optional_of(j, "mean_norm2", field);
  q.kind = enum_of(j, "kind", field, EnclosureKind::point);
  q.method = text_of(j, "method", field);
  q.precision = text_of(j, "precision", field);
  q.digits = static_cast<unsigned>(integer_of(j, "digits", field));
  q.engine = enum_of(j, "engine", field, Engine::mixture);
  q.directions = integer_of(j, "directions", field);
  q.seconds = number_of(j, "seconds", field);
  if (!at(j, "problem", field).is_null()) q.problem = problem_of(j.at("problem"), field + ".problem");
  return q;
}

json part_json(const CaseResult& r) {
  json j;
  j["error"] = r.error;
  j["error_field"] = r.error_field;
  // a computed case: its spec is the plan's at these digits (settle only doubles numerics.digits)
  j["digits"] = r.error.empty() ? json(r.computed.numerics.digits) : json(nullptr);
  j["exact"] = r.error.empty() ? part_json(r.exact) : json(nullptr);
  json related;
  put_optional(related, "kl_far", r.related.kl_far);
  related["kl_far_refused"] = r.related.kl_far_refused;
  put_optional(related, "kl_ddnm", r.related.kl_ddnm);
  j["related"] = related;
  j["checks"] = json::array();
  for (const auto& c : r.checks) j["checks"].push_back(check_json_of(c));
  return j;
}

CaseResult case_result_from_part(const json& j, const CasePlan& plan, const std::string& field) {
  CaseResult r;
  r.error = text_of(j, "error", field);
  r.error_field = text_of(j, "error_field", field);
  if (r.error.empty()) {
    r.exact = exact_from_part(at(j, "exact", field), field + ".exact");
    r.computed = plan.spec;
    r.computed.numerics.digits = static_cast<unsigned>(integer_of(j, "digits", field));
  }
  const json& related = at(j, "related", field);
  r.related.kl_far = optional_of(related, "kl_far", field + ".related");
  r.related.kl_far_refused = text_of(related, "kl_far_refused", field + ".related");
  r.related.kl_ddnm = optional_of(related, "kl_ddnm", field + ".related");
  const json& checks = at(j, "checks", field);
  if (!checks.is_array()) bad(field + ".checks", "not an array");
  for (std::size_t k = 0; k < checks.size(); ++k) r.checks.push_back(check_of(checks[k], field + ".checks[" + std::to_string(k) + "]"));
  return r;
}

}  // namespace diffbound
