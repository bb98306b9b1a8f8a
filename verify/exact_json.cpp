#include "verify/exact_json.hpp"

#include "numerics/case_kinds.hpp"
#include "numerics/continuous_time.hpp"
#include "verify/version.hpp"

#include <cstdio>
#include <sstream>

namespace diffbound {

namespace {
nlohmann::json number_or_null(double v, bool finite) { return finite ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json target_json(const TargetSpec& t) {
  nlohmann::json j;
  j["family"] = to_string(t.family);
  if (t.family == Family::gaussian) {
    const auto& g = t.gaussian;
    j["dim"] = g.dim;
    j["spectrum"] = to_string(g.spectrum);
    j["kappa"] = g.kappa;
    j["scale"] = g.scale;
    if (!g.eigenvalues.empty()) j["eigenvalues"] = g.eigenvalues;
    if (!g.covariance.empty()) j["covariance"] = g.covariance;
    j["mean"] = g.mean.size() == 1 ? nlohmann::json(g.mean[0]) : nlohmann::json(g.mean);
  } else {
    const auto& m = t.mixture;
    j["dim"] = m.dim;
    j["layout"] = to_string(m.layout);
    j["weights"] = m.weights;
    j["means"] = m.means;
    j["variances"] = m.variances;
  }
  return j;
}
}  // namespace

nlohmann::json build_json() { return {{"version", DIFFBOUND_VERSION}, {"revision", DIFFBOUND_GIT_REVISION}}; }

nlohmann::json quantity_json(const Enclosure& q) {
  return {{"value", number_or_null(q.value, q.finite)}, {"lo", number_or_null(q.lo, q.finite)}, {"hi", number_or_null(q.hi, q.finite)},
          {"value_str", q.value_str}, {"lo_str", q.lo_str}, {"hi_str", q.hi_str}, {"finite", q.finite},
          {"certified", q.kind == EnclosureKind::certified}, {"method", q.method}};
}

nlohmann::json case_json(const CaseSpec& s) {
  nlohmann::json j;
  j["target"] = target_json(s.target);
  const auto& sc = s.schedule;
  j["schedule"] = {{"kind", to_string(sc.kind)}, {"steps", sc.steps}};
  switch (sc.kind) {
    case ScheduleKind::etc: j["schedule"]["c"] = sc.c; j["schedule"]["delta"] = sc.delta; break;
    case ScheduleKind::linear: j["schedule"]["b_min"] = sc.b_min; j["schedule"]["b_max"] = sc.b_max; break;
    case ScheduleKind::cosine: j["schedule"]["s"] = sc.s; break;
    case ScheduleKind::constant: j["schedule"]["eta"] = sc.eta; break;
    case ScheduleKind::table: j["schedule"]["betas"] = sc.betas; break;
    case ScheduleKind::exponential:
      j["schedule"]["b_min"] = sc.b_min; j["schedule"]["b_max"] = sc.b_max; j["schedule"]["rate"] = sc.rate; break;
  }
  // the general VP SDE (docs/math.md#vp-sde-general): written when not the defaults, so that a case of
  // before (sigma_inf = 1, T_f = 1, compared with the marginal) keeps its record and its baseline key
  const bool continuous = is_continuous_time(s.sampler.kind);
  if (continuous && sc.horizon != "1") j["schedule"]["horizon"] = sc.horizon;
  if (continuous && sc.sigma_inf != "1") j["schedule"]["sigma_inf"] = sc.sigma_inf;
  j["sampler"] = {{"kind", to_string(s.sampler.kind)}, {"variance", to_string(s.sampler.variance)},
                  {"init", to_string(s.sampler.init)}, {"t_out", s.sampler.t_out}};
  if (continuous) {
    if (s.sampler.t_stop) j["sampler"]["t_stop"] = *s.sampler.t_stop;
    if (s.sampler.compare_with == CompareWith::data) j["sampler"]["compare_with"] = "data";
  }
  j["score"] = {{"kind", to_string(s.score.kind)}};
  if (s.score.kind == ScoreKind::perturbed) {
    j["score"]["epsilon"] = s.score.epsilon;
    j["score"]["perturbation"] = to_string(s.score.perturbation);
    if (!s.score.direction.empty()) j["score"]["direction"] = s.score.direction;
  }
  if (s.score.train) j["score"]["train"] = target_json(*s.score.train);
  j["numerics"] = {{"precision", to_string(s.numerics.precision)}, {"engine", to_string(s.numerics.engine)}};
  if (traits_of(s.numerics.precision).reads_digits)
    j["numerics"]["digits"] = s.numerics.digits;
  if (s.problem) {
    const ProblemSpec& p = *s.problem;
    nlohmann::json pj = {{"kind", "linear"}, {"sigma_y", p.sigma_y}};
    if (p.op == Operator::matrix) pj["H"] = p.matrix;
    else pj["H"] = to_string(p.op);
    if (p.op == Operator::inpaint) pj["observed"] = p.observed;
    if (p.op == Operator::subsample) pj["factor"] = p.factor;
    if (p.op == Operator::conditioned) { pj["kappa_H"] = p.kappa_H; pj["rows"] = p.rows; }
    if (p.draw) pj["y"] = "draw";
    else pj["y"] = p.y;
    if (p.draw || p.op == Operator::conditioned) pj["seed"] = p.seed;
    j["problem"] = pj;
  }
  return j;
}

nlohmann::json exact_json(const CaseSpec& spec, const ExactQuantities& q) {
  nlohmann::json j;
  j["case"] = case_json(spec);
  j["kl"] = quantity_json(q.kl);
  j["kl_q0_gamma"] = quantity_json(q.kl_q0_gamma);
  // W2(Q_t_out, P_t_out) (docs/math.md#w2); null where the engine does not compute it
  j["w2"] = q.w2 ? quantity_json(*q.w2) : nlohmann::json(nullptr);
  if (q.fisher_rel) j["fisher_rel"] = quantity_json(*q.fisher_rel);  // Gaussian targets (docs/math.md#fisher-rel)
  nlohmann::json dec;
  dec["E_T"] = quantity_json(q.E_T);
  dec["D_T"] = q.D_T ? quantity_json(*q.D_T) : nlohmann::json(nullptr);
  dec["B_T"] = q.B_T ? quantity_json(*q.B_T) : nlohmann::json(nullptr);
  if (q.girsanov) dec["girsanov"] = quantity_json(*q.girsanov);  // sde-ei: KL <= E_T + girsanov
  if (!q.D_T && !q.B_T) dec["note"] = "D_T and B_T are defined for the ddpm sampler only (docs/math.md#path-decomposition)";
  else if (!q.D_T) dec["note"] = "D_T is not computed for mixture targets in this version";
  j["decomposition"] = dec;
  j["tv"] = {{"lo", q.tv_lo.lo}, {"hi", q.tv_hi.hi}, {"lo_str", q.tv_lo.lo_str}, {"hi_str", q.tv_hi.hi_str},
             {"method", q.engine == Engine::mixture && q.dim == 1 ? "quadrature (1-D), estimated error"
                                                            : "Hellinger (H^2 <= TV <= H sqrt(2 - H^2)) and Pinsker"},
             {"certified", q.certified()},
             {"hellinger2", quantity_json(q.hellinger2)}};
  j["descriptors"] = {{"dim", q.dim}, {"steps", q.steps}, {"t_out", q.t_out}, {"kappa", q.kappa.value},
                      {"alpha_bar_T", q.alpha_bar_T.value}, {"m2", q.m2.value}, {"lambda_min", q.lambda_min.value},
                      {"lambda_max", q.lambda_max.value}};
  j["engine"] = {{"method", q.method}, {"path", to_string(q.engine)}, {"precision", q.precision}, {"digits", q.digits},
                 {"directions", q.directions}, {"seconds", q.seconds}};
  if (q.problem) {
    // the measurement as used: a drawn y and x_0 are recorded here
    const ProblemRecord& p = *q.problem;
    j["problem"] = {{"target", "posterior Q_{0|y} of the prior in case.target (docs/math.md#zero-shot)"},
                    {"H", p.op}, {"p", p.p}, {"rank", p.rank}, {"coordinatewise", p.coordinatewise},
                    {"kappa_H", p.kappa_H}, {"s_max", p.s_max}, {"s_min", p.s_min}, {"sigma_y", p.sigma_y}, {"y", p.y}};
    if (!p.x0.empty()) j["problem"]["x0"] = p.x0;
  }
  j["diffbound"] = build_json();
  return j;
}

std::string exact_summary(const CaseSpec& spec, const ExactQuantities& q) {
  std::ostringstream out;
  char buf0[32];
  auto show = [&](const char* name, const Enclosure& x) {
    out << "  " << name << " = ";
    if (!x.finite) { out << "+inf\n"; return; }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.12g", x.value);
    out << buf;
    if (q.certified() || x.lo != x.hi) out << "   in [" << x.lo_str << ", " << x.hi_str << "]";
    out << "\n";
  };
  out << (spec.target.family == Family::gaussian ? "Gaussian" : "Gaussian-mixture") << " target, d = " << q.dim << ", T = " << q.steps << ", t_out = " << q.t_out << ", kappa = " << q.kappa.value
      << "; sampler " << to_string(spec.sampler.kind)
      << (traits_of(spec.sampler.kind).chooses_variance ? " (" + to_string(spec.sampler.variance) + " variance)" : std::string())
      << ", score " << to_string(spec.score.kind) << "\n";
  if (q.problem) {
    std::snprintf(buf0, sizeof buf0, "%.4g", q.problem->kappa_H);
    out << "  zero-shot: y = H x_0 + N(0, sigma_y^2 I), H " << q.problem->op << " (" << q.problem->p << " x " << q.dim
        << ", kappa_H = " << buf0 << "), sigma_y = " << q.problem->sigma_y << (q.problem->x0.empty() ? "" : ", y drawn")
        << "; compared with the posterior Q_{t_out|y}\n";
  }
  show("KL(Q_t_out || P_t_out)", q.kl);
  if (q.w2) show("W2(Q_t_out, P_t_out)  ", *q.w2);
  show("KL(Q_0 || gamma)      ", q.kl_q0_gamma);
  show("E_T                   ", q.E_T);
  if (q.D_T) show("D_T                   ", *q.D_T);
  if (q.B_T) show("B_T                   ", *q.B_T);
  if (q.girsanov) show("Girsanov integral G   ", *q.girsanov);
  char buf[128];
  std::snprintf(buf, sizeof buf, "  TV in [%.6g, %.6g]\n", q.tv_lo.lo, q.tv_hi.hi);
  out << buf;
  out << "  method: " << q.method
      << (q.certified() ? " (certified enclosures)" : q.engine == Engine::mixture ? " (estimated errors, refinement study)" : " (not certified)") << ", "
      << q.directions << (q.engine == Engine::gaussian_fast || q.engine == Engine::continuous_time ? " distinct directions"
                     : q.engine == Engine::mixture ? " distinct 1-D lines" : " dimensions");
  std::snprintf(buf, sizeof buf, ", %.3f s\n", q.seconds);
  out << buf;
  return out.str();
}

}  // namespace diffbound
