#include "verify/rate_claims.hpp"

#include "verify/number_text.hpp"
#include "verify/rate_fit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <set>
#include <sstream>

namespace diffbound {

const std::map<std::string, std::string>& variable_keys() {
  static const std::map<std::string, std::string> keys = {
      {"T", "schedule.steps"}, {"d", "target.dim"}, {"kappa", "target.kappa"}, {"kappa_H", "problem.kappa_H"}};
  return keys;
}

double swept_value(const std::string& var, const ExactQuantities& e) {
  if (var == "T") return static_cast<double>(e.steps);
  if (var == "d") return static_cast<double>(e.dim);
  if (var == "kappa_H") return e.problem ? e.problem->kappa_H : 1.0;
  return e.kappa.value;
}

nlohmann::json plot_point(double x, const Enclosure& e) {
  // a certified enclosure at the working precision is far thinner than any marker: no bar to draw
  const bool wide = e.kind == EnclosureKind::estimated ? e.lo < e.hi : e.hi > e.lo * (1 + 1e-9);
  if (!wide || !std::isfinite(e.lo) || !std::isfinite(e.hi)) return {x, e.value};
  return {x, e.value, e.lo, e.hi};
}

CaseSpec limit_spec(const CaseResult& r) {
  // KL_inf estimated by the same case at 100 T steps (double); what remains of the limit there is
  // ~ shape(100 T), negligible for the exponent
  CaseSpec far = r.computed;
  far.schedule.steps *= 100;
  far.numerics.precision = Precision::double_;
  return far;
}

namespace {

bool speaks_of(const Bound& b, const std::string& var) {
  for (auto sv : b.info().swept)
    if (to_string(sv) == var) return true;
  return false;
}

// One group: the cases of a block that differ only in `var`.
struct Group {
  const Suite* suite;
  std::string var, label;
  std::vector<std::size_t> cases;
};

// The block's rate claims, in check order (a block's cases share their checks).
std::vector<std::string> claims_of(const RunCases& run, const std::vector<std::size_t>& members) {
  std::vector<std::string> claims;
  for (const auto& id : run.cases[members[0]]->checks)
    if (run.registry.at(id).is_rate() && std::find(claims.begin(), claims.end(), id) == claims.end()) claims.push_back(id);
  return claims;
}

// Calls block(members) for every [[case]] block of a suite, in block order.
template <class F> void for_each_block(const Suite& suite, const RunCases& run, F block) {
  std::map<long, std::vector<std::size_t>> blocks;
  for (std::size_t i = 0; i < run.cases.size(); ++i)
    if (run.cases[i]->suite == suite.name) blocks[run.cases[i]->block].push_back(i);
  for (const auto& [b, members] : blocks) block(members);
}

// Calls group(g) for every group of a block along every variable it sweeps.
template <class F> void for_each_group(const Suite& suite, const RunCases& run, const std::vector<std::size_t>& members, F group) {
  for (const auto& [var, key] : variable_keys()) {
    std::map<std::string, std::vector<std::size_t>> groups;  // by the values of every other swept key
    for (std::size_t i : members) {
      if (!run.cases[i]->swept.count(key)) continue;
      std::string g;
      for (const auto& [k, v] : run.cases[i]->swept)
        if (k != key) g += k + "=" + v + " ";
      groups[g].push_back(i);
    }
    for (const auto& [g, idx] : groups) {
      // the first case's label without the swept variable names the group
      std::string label;
      std::istringstream words(run.cases[idx[0]]->label);
      for (std::string w; words >> w;)
        if (w.rfind(var + "=", 0) != 0) label += (label.empty() ? "" : " ") + w;
      group(Group{&suite, var, label, idx});
    }
  }
}

// Whether a check's point along `var` needs KL_inf.
bool needs_limit(const RunCases& run, const CheckOutcome& ch, const std::string& var) {
  if (!ch.rate || ch.reason == Reason::not_applicable) return false;
  const Bound& b = run.registry.at(ch.bound);
  return speaks_of(b, var) && b.info().minus_limit;
}

std::string measured_label(const BoundInfo& info) {
  return info.measured == Measured::tv ? "tv" : info.minus_limit ? "|kl - kl_inf|" : "kl";
}

// The fields every rate-claim entry starts with, fitted or not.
nlohmann::json rate_entry(const Suite& suite, const Bound& b, const std::string& var, const std::string& group, std::size_t index) {
  nlohmann::json rj;
  rj["id"] = suite.name + "/rate/" + b.id() + "/" + var + "/" + std::to_string(index);
  rj["suite"] = suite.name;
  rj["bound"] = b.id();
  rj["citation"] = b.info().citation;
  rj["provenance"] = to_string(b.info().provenance);
  rj["variable"] = var;
  rj["group"] = group;
  rj["tolerance"] = suite.rates.tolerance;
  rj["measured"] = measured_label(b.info());
  return rj;
}

// A claim no fit can be made for: inconclusive, with the reason. A rate claim never vanishes.
void add_unfitted(nlohmann::json& report, RunSummary& summary, const Suite& suite, const RunCases& run, const Bound& b,
                  const std::string& var, const std::string& group, Reason reason, const std::string& message,
                  const std::vector<std::size_t>& idx) {
  nlohmann::json rj = rate_entry(suite, b, var, group, report["rates"].size());
  rj["points"] = nlohmann::json::array();
  for (std::size_t i : idx) rj["points"].push_back({{"case", run.cases[i]->id}});
  rj["fitted_exponent"] = nullptr;
  rj["kl_exponent"] = nullptr;
  rj["implied_constant"] = nullptr;
  rj["verdict"] = to_string(Verdict::inconclusive);
  rj["reason"] = to_string(reason);
  rj["message"] = message + " [" + std::string(to_string(b.info().provenance)) + "]";
  // a block's cases share its expect table: the first member speaks for the claim
  const Expectation e = idx.empty() ? Expectation{} : run.cases[idx.front()]->expectation(b.id(), Verdict::inconclusive);
  rj["expected"] = e.to_json();
  summary.count(Verdict::inconclusive, e);
  report["rates"].push_back(rj);
}

// The points of one claim in one group.
struct ClaimPoints {
  std::vector<std::array<double, 4>> points;  // (x, lo, hi, shape)
  std::vector<std::pair<double, int>> sides;  // minus_limit claims: (x, sign of KL_T - KL_inf)
  std::vector<std::string> cases;
  std::vector<std::array<double, 3>> limits;  // (x, KL_inf, B_inf)
  std::set<EnclosureKind> enclosures;
  std::vector<std::pair<std::string, std::string>> missing;  // (why, what) per case without a point
};

// KL_T - KL_inf changing sign within the fitted (upper) half passes through zero there: |KL_T - KL_inf|
// then has a dip that no power law describes, and the exponent says nothing.
bool crosses_zero(const std::vector<double>& xs, const std::vector<std::pair<double, int>>& sides) {
  const double median = upper_half_start(xs);
  bool above = false, below = false;
  for (const auto& [px, side] : sides)
    if (px >= median) {
      above = above || side > 0;
      below = below || side < 0;
    }
  return above && below;
}

// The entry of a claim with points: fitted, judged and counted.
// Returns the fit of KL itself (for the plot's slope line) when the claim measures KL and was fitted.
std::optional<PowerFit> add_fitted(nlohmann::json& report, RunSummary& summary, const Group& g, const RunCases& run, const Bound& b,
                                   ClaimPoints& cp) {
  std::optional<PowerFit> kl_fit;
  const Suite& suite = *g.suite;
  const std::string& var = g.var;
  nlohmann::json rj = rate_entry(suite, b, var, g.label, report["rates"].size());
  rj["points"] = nlohmann::json::array();
  const bool tv = b.info().measured == Measured::tv;
  // the weakest kind among the points: one estimated point makes the fit estimated
  rj["enclosure"] = cp.enclosures.count(EnclosureKind::point) ? "none" : cp.enclosures.count(EnclosureKind::estimated) ? "estimated" : "certified";
  std::vector<double> xs, los, his, ss;
  for (std::size_t k = 0; k < cp.points.size(); ++k) {
    const auto& p = cp.points[k];
    rj["points"].push_back({{"x", p[0]}, {"kl", (p[1] + p[2]) / 2}, {"lo", p[1]}, {"hi", p[2]}, {"shape", p[3]}, {"case", cp.cases[k]}});
    xs.push_back(p[0]);
    los.push_back(p[1]);
    his.push_back(p[2]);
    ss.push_back(p[3]);
  }
  Verdict verdict = Verdict::inconclusive;
  Reason reason = Reason::none;
  try {
    // The measured quantity is enclosed in [lo, hi] (for KL, a certified point; for TV on Gaussians
    // only the Hellinger/Pinsker enclosure). The claim passes when even the upper ends follow the
    // shape, fails when even the lower ends do not, else is inconclusive.
    const std::string id = rj["id"].get<std::string>();
    const auto upper = fit_rate_claim(xs, his, ss, suite.rates.tolerance, id);
    const auto lower = tv ? fit_rate_claim(xs, los, ss, suite.rates.tolerance, id) : upper;
    const auto& fit = upper.pass ? upper : lower;
    rj["fitted_exponent"] = fit.ratio.slope;
    rj["kl_exponent"] = fit.measured.slope;
    rj["implied_constant"] = upper.implied_constant;
    if (!tv && !b.info().minus_limit) kl_fit = fit.measured;
    verdict = upper.pass ? Verdict::pass : lower.pass ? Verdict::inconclusive : Verdict::fail;
    if (!upper.pass && lower.pass) reason = Reason::enclosures_overlap;  // the TV enclosure is too wide
    const bool crosses = crosses_zero(xs, cp.sides);
    if (crosses) {
      verdict = Verdict::inconclusive;
      reason = Reason::sign_change;
    }
    const std::string q = tv ? "TV" : b.info().minus_limit ? "|KL - KL_inf|" : "KL";
    // the exponent against the tolerance with enough digits to show which side it is on
    const auto [slope_text, tolerance_text] = fmt_distinct(fit.ratio.slope, suite.rates.tolerance);
    rj["message"] = q + "/shape ~ " + var + "^" + slope_text + " over the upper half (tolerance " + tolerance_text + "); " + q + " ~ " +
                    var + "^" + fmt(fit.measured.slope) + "; implied constant " + fmt(upper.implied_constant) + " [" +
                    std::string(to_string(b.info().provenance)) + "]" +
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
    verdict = Verdict::inconclusive;
    reason = Reason::cannot_fit;
    std::string why;
    for (const auto& [r, what] : cp.missing) why += "; " + what;
    rj["message"] = std::string("cannot fit: ") + e.what() + why;
  }
  rj["verdict"] = to_string(verdict);
  rj["reason"] = to_string(reason);
  // cases of the group that gave no point (e.g. a schedule outside Li & Yan's Lemma 7): said, never dropped
  if (!cp.missing.empty() && reason != Reason::cannot_fit)
    rj["message"] = rj["message"].get<std::string>() + "; " + std::to_string(cp.missing.size()) +
                    (cp.missing.size() == 1 ? " case" : " cases") + " left out (" + cp.missing.front().second +
                    (cp.missing.size() > 1 ? "; ..." : "") + ")";
  if (!cp.limits.empty()) {
    rj["limits"] = nlohmann::json::array();
    double worst = 0;
    for (const auto& [x, kl_inf, b_inf] : cp.limits) {
      rj["limits"].push_back({{"x", x}, {"kl_inf", kl_inf}, {"B_inf", b_inf},
                              {"ratio", b_inf > 0 ? nlohmann::json(kl_inf / b_inf) : nlohmann::json(nullptr)}});
      if (b_inf > 0) worst = std::max(worst, kl_inf / b_inf);
    }
    rj["limit_constant"] = worst;  // max KL_inf / B_inf: the C of "KL_inf <= C B_inf" on this sweep
    rj["message"] = rj["message"].get<std::string>() + "; KL_inf/B_inf <= " + fmt(worst) + " (KL_inf, B_inf at 100 T)";
  }
  const Expectation e = g.cases.empty() ? Expectation{} : run.cases[g.cases.front()]->expectation(b.id(), verdict);
  rj["expected"] = e.to_json();
  summary.count(verdict, e);
  report["rates"].push_back(rj);
  return kl_fit;
}

// Fits every claim of one group with at least 3 points, and draws its plot.
void add_group(nlohmann::json& report, RunSummary& summary, const Group& g, const RunCases& run, const std::vector<std::string>& claims,
               const std::map<std::size_t, Limit>& limits) {
  const std::string& var = g.var;
  nlohmann::json plot;
  plot["id"] = g.suite->name + "/plot/" + std::to_string(report["plots"].size());
  plot["x_label"] = var;
  plot["y_label"] = "KL";
  plot["title"] = "KL vs " + var + " (" + g.label + ")";
  nlohmann::json exact_curve = {{"label", "exact KL"}, {"kind", "exact"}, {"points", nlohmann::json::array()}};
  std::map<std::string, nlohmann::json> bound_curves;
  // W2 checks (docs/math.md#w2) get their own plot: the exact W2 and the W2 bounds on one axis
  nlohmann::json w2_curve = {{"label", "exact W2"}, {"kind", "exact"}, {"points", nlohmann::json::array()}};
  std::map<std::string, nlohmann::json> w2_bound_curves;
  bool has_w2_checks = false;
  std::map<std::string, ClaimPoints> points;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> missing;
  VerdictCounts verdicts;
  for (std::size_t i : g.cases) {
    const auto& r = run.results[i];
    if (!r.error.empty()) continue;
    const double x = swept_value(var, r.exact);
    exact_curve["points"].push_back(plot_point(x, r.exact.kl));
    if (r.exact.w2 && r.exact.w2->finite) w2_curve["points"].push_back(plot_point(x, *r.exact.w2));
    for (const auto& ch : r.checks) {
      if (ch.measured_kind == Measured::w2 && ch.reason != Reason::not_applicable) {
        has_w2_checks = true;
        if (ch.bound_value.finite) {
          auto& curve = w2_bound_curves[ch.bound];
          if (curve.is_null())
            curve = {{"label", ch.rate ? ch.bound + " (shape, C = 1)" : ch.bound}, {"kind", "bound"}, {"points", nlohmann::json::array()}};
          curve["points"].push_back({x, ch.bound_value.value});
        }
      }
      // only bounds on KL itself share the KL axis (forward-contraction bounds E_T, Pinsker TV)
      if (ch.bound_value.finite && ch.reason != Reason::not_applicable && ch.measured_kind == Measured::kl) {
        auto& curve = bound_curves[ch.bound];
        if (curve.is_null())
          curve = {{"label", ch.rate ? ch.bound + " (shape, C = 1)" : ch.bound}, {"kind", "bound"}, {"points", nlohmann::json::array()}};
        curve["points"].push_back({x, ch.bound_value.value});
      }
      if (!ch.rate) {
        verdicts.count(ch.verdict, run.cases[i]->expectation(ch.bound, ch.verdict));
        continue;
      }
      const Bound& b = run.registry.at(ch.bound);
      if (!speaks_of(b, var)) continue;
      if (ch.reason == Reason::not_applicable) {
        missing[ch.bound].push_back({"not-applicable", run.cases[i]->id + ": " + ch.message});
        continue;
      }
      if (b.info().minus_limit) {
        const Limit& lim = limits.at(i);
        if (!lim.exact) {  // e.g. a table schedule cannot be extended
          missing[ch.bound].push_back({"no-limit", run.cases[i]->id + ": KL_inf (100 T) not computable: " + lim.error});
          continue;
        }
        const double limit = lim.exact->kl.value;
        ClaimPoints& cp = points[ch.bound];
        // the limit against the accumulated mismatch (KL_inf <= C B_inf, docs/math.md#bound-liang2025-score-mismatch): data, not a verdict
        if (lim.exact->B_T && lim.exact->B_T->finite) cp.limits.push_back({x, limit, lim.exact->B_T->value});
        // a rate of convergence is two-sided: KL_T may approach KL_inf from below
        const double a = std::abs(ch.measured.lo - limit), c = std::abs(ch.measured.hi - limit);
        cp.points.push_back({x, std::min(a, c), std::max(a, c), ch.shape});
        cp.sides.push_back({x, ch.measured.value > limit ? 1 : ch.measured.value < limit ? -1 : 0});
      } else {
        points[ch.bound].points.push_back({x, ch.measured.lo, ch.measured.hi, ch.shape});
      }
      points[ch.bound].cases.push_back(run.cases[i]->id);
      points[ch.bound].enclosures.insert(ch.enclosure);
    }
  }
  // the fitted slope of KL over the fitted range, once per group (every KL claim fits the same points)
  std::optional<PowerFit> kl_fit;
  for (auto& [bid, cp] : points) {
    cp.missing = missing[bid];
    const auto fit = add_fitted(report, summary, g, run, run.registry.at(bid), cp);
    if (fit && !kl_fit) kl_fit = fit;
  }
  // claims of this group with no point at all (not applicable, or no limit) still get an entry
  for (const auto& bid : claims) {
    if (!speaks_of(run.registry.at(bid), var) || points.count(bid)) continue;
    const auto& why = missing[bid];
    bool all_not_applicable = !why.empty();
    for (const auto& [reason, what] : why) all_not_applicable = all_not_applicable && reason == "not-applicable";
    std::string message = "not fitted: no case of this group gave a point";
    if (all_not_applicable) message = "not applicable: " + why.front().second;
    else
      for (const auto& [reason, what] : why) message += "; " + what;
    add_unfitted(report, summary, *g.suite, run, run.registry.at(bid), var, g.label,
                 all_not_applicable ? Reason::not_applicable : Reason::too_few_points, message, g.cases);
  }
  plot["curves"] = nlohmann::json::array({exact_curve});
  if (kl_fit && kl_fit->x_max > kl_fit->x_min) {
    const auto at = [&](double x) { return std::exp(kl_fit->intercept + kl_fit->slope * std::log(x)); };
    // the fit's range is exp(log x): back to the swept values themselves (160, not 159.99999999999994)
    for (const auto& p : exact_curve["points"])
      for (double* end : {&kl_fit->x_min, &kl_fit->x_max})
        if (std::abs(p[0].get<double>() - *end) <= 1e-12 * *end) *end = p[0].get<double>();
    plot["curves"].push_back({{"label", "fitted KL ~ " + var + "^" + fmt(kl_fit->slope)},
                              {"kind", "fit"},
                              {"exponent", kl_fit->slope},
                              {"points", {{kl_fit->x_min, at(kl_fit->x_min)}, {kl_fit->x_max, at(kl_fit->x_max)}}}});
  }
  for (auto& [bid, curve] : bound_curves) plot["curves"].push_back(curve);
  plot["verdicts"] = verdicts.to_json();
  report["plots"].push_back(plot);
  if (has_w2_checks) {
    nlohmann::json w2_plot;
    w2_plot["id"] = g.suite->name + "/plot/" + std::to_string(report["plots"].size());
    w2_plot["x_label"] = var;
    w2_plot["y_label"] = "W2";
    w2_plot["title"] = "W2 vs " + var + " (" + g.label + ")";
    w2_plot["curves"] = nlohmann::json::array({w2_curve});
    for (auto& [bid, curve] : w2_bound_curves) w2_plot["curves"].push_back(curve);
    w2_plot["verdicts"] = verdicts.to_json();
    report["plots"].push_back(w2_plot);
  }
}

// Claims whose variables the block does not sweep at all: an entry each, not-swept.
void add_not_swept(nlohmann::json& report, RunSummary& summary, const Suite& suite, const RunCases& run,
                   const std::vector<std::size_t>& members, const std::vector<std::string>& claims) {
  const SuiteCase& first = *run.cases[members[0]];
  for (const auto& bid : claims) {
    std::string vars;
    bool swept = false;
    for (auto sv : run.registry.at(bid).info().swept) {
      vars += (vars.empty() ? "" : ", ") + std::string(to_string(sv));
      swept = swept || first.swept.count(variable_keys().at(std::string(to_string(sv))));
    }
    if (swept) continue;
    std::string swept_keys;
    for (const auto& [k, v] : first.swept) swept_keys += (swept_keys.empty() ? "" : ", ") + k;
    add_unfitted(report, summary, suite, run, run.registry.at(bid), vars, first.block_name.empty() ? first.label : first.block_name,
                 Reason::not_swept,
                 "not fitted: the claim speaks of " + vars + " and this block sweeps " +
                     (swept_keys.empty() ? std::string("nothing") : swept_keys) + "; a rate fit needs its variable swept over at least 3 values",
                 members);
  }
}

}  // namespace

std::vector<std::size_t> cases_needing_limits(const std::vector<Suite>& suites, const RunCases& run) {
  std::set<std::size_t> need;
  for (const auto& suite : suites)
    for_each_block(suite, run, [&](const std::vector<std::size_t>& members) {
      for_each_group(suite, run, members, [&](const Group& g) {
        if (g.cases.size() < 3) return;
        for (std::size_t i : g.cases)
          if (run.results[i].error.empty())
            for (const auto& ch : run.results[i].checks)
              if (needs_limit(run, ch, g.var)) need.insert(i);
      });
    });
  return {need.begin(), need.end()};
}

void add_rate_claims(nlohmann::json& report, const std::vector<Suite>& suites, const RunCases& run,
                     const std::map<std::size_t, Limit>& limits, RunSummary& summary) {
  report["rates"] = nlohmann::json::array();
  report["plots"] = nlohmann::json::array();
  for (const auto& suite : suites)
    for_each_block(suite, run, [&](const std::vector<std::size_t>& members) {
      const std::vector<std::string> claims = claims_of(run, members);
      add_not_swept(report, summary, suite, run, members, claims);
      for_each_group(suite, run, members, [&](const Group& g) {
        if (g.cases.size() >= 3) {
          add_group(report, summary, g, run, claims, limits);
          return;
        }
        std::string values;
        for (std::size_t i : g.cases) values += (values.empty() ? "" : ", ") + run.cases[i]->swept.at(variable_keys().at(g.var));
        for (const auto& bid : claims)
          if (speaks_of(run.registry.at(bid), g.var))
            add_unfitted(report, summary, suite, run, run.registry.at(bid), g.var, g.label, Reason::too_few_points,
                         "not fitted: " + std::to_string(g.cases.size()) + (g.cases.size() == 1 ? " point" : " points") + " along " +
                             g.var + " (" + g.var + " = " + values + ") in this group; a rate fit needs at least 3",
                         g.cases);
      });
    });
}

}  // namespace diffbound
