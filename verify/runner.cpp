#include "verify/runner.hpp"

#include "verify/figures.hpp"
#include "verify/plan.hpp"
#include "verify/rate_claims.hpp"
#include "verify/report_json.hpp"
#include "verify/run_estimate.hpp"
#include "verify/worker_pool.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <numeric>
#include <unistd.h>

namespace diffbound {

namespace {

// Progress on stderr: a bar on a terminal, a line per computation otherwise; each with the rate so far and an
// ETA from the cost estimates (verify/run_estimate.hpp: the time still to go is the estimated cost still to
// go at the rate measured so far, which calibrates the model's constant on this machine and this --jobs).
class Progress {
public:
  Progress(bool on, double total_cost) : on_(on), tty_(::isatty(2)), total_cost_(total_cost), start_(std::chrono::steady_clock::now()) {}
  void done(std::size_t n, std::size_t total, double cost, const std::string& id, const std::string& label, Role role, double seconds) {
    done_cost_ += cost;
    if (!on_) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const std::string pace = pace_text(n, total, elapsed);
    const char* what = role == Role::far_twin ? " (100 T twin)" : role == Role::ddnm_twin ? " (DDNM twin)" : "";
    if (tty_) {
      const int width = 30, filled = static_cast<int>(width * n / total);
      std::fprintf(stderr, "\r[%s%s] %zu/%zu%s %s\033[K", std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), n,
                   total, pace.c_str(), id.c_str());
      if (n == total) std::fprintf(stderr, "\n");
    } else {
      std::fprintf(stderr, "[%zu/%zu] %s %s%s (%.2f s)%s\n", n, total, id.c_str(), label.c_str(), what, seconds, pace.c_str());
    }
    std::fflush(stderr);
  }

private:
  // " · 3.2/s · ETA 4m10s" (nothing before a measurable elapsed time; no ETA once done)
  std::string pace_text(std::size_t n, std::size_t total, double elapsed) const {
    if (elapsed < 1e-3) return "";
    std::string out = " \u00b7 " + rate_text(static_cast<double>(n) / elapsed);
    if (n < total && done_cost_ > 0) out += " \u00b7 ETA " + duration_text(elapsed * std::max(0.0, total_cost_ - done_cost_) / done_cost_);
    return out;
  }
  static std::string rate_text(double per_second) {
    char buf[32];
    std::snprintf(buf, sizeof buf, per_second >= 10 ? "%.0f/s" : per_second >= 0.1 ? "%.2g/s" : "%.2g/min", per_second >= 0.1 ? per_second : per_second * 60);
    return buf;
  }
  static std::string duration_text(double s) {  // "42s", "4m10s", "2h05m", "3.5d"
    char buf[48];
    if (s < 60) std::snprintf(buf, sizeof buf, "%.0fs", s);
    else if (s < 3600) std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s / 60), static_cast<int>(s) % 60);
    else if (s < 2 * 86400) std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s / 3600), static_cast<int>(s / 60) % 60);
    else std::snprintf(buf, sizeof buf, "%.1fd", s / 86400);
    return buf;
  }
  bool on_, tty_;
  double total_cost_, done_cost_ = 0;
  std::chrono::steady_clock::time_point start_;
};

// compute -> judge, in rounds: every open plan's computations (and, in the first round, every study)
// on one pool; a plan whose checks need more digits is planned again for the next round.
std::vector<CaseResult> compute_and_judge(std::vector<CasePlan>& plans, const std::vector<const StudySpec*>& studies,
                                          std::vector<nlohmann::json>& study_results, const BoundRegistry& registry,
                                          const RunOptions& options, int jobs) {
  std::vector<CaseResult> results(plans.size());
  std::vector<std::size_t> open(plans.size());
  for (std::size_t i = 0; i < plans.size(); ++i) open[i] = i;
  for (bool first = true; first || !open.empty(); first = false) {
    std::vector<Computation> work;
    for (std::size_t i : open)
      for (auto& c : computations_of(plans[i], i)) work.push_back(std::move(c));
    const std::size_t n_studies = first ? studies.size() : 0;
    // largest estimated cost first (the longest-processing-time order: the pool's last task is a short one);
    // results land at their index, so the order changes no output. Studies cost about a mean case.
    std::vector<double> cost(work.size() + n_studies);
    for (std::size_t k = 0; k < work.size(); ++k) cost[k] = computation_cost(work[k].spec);
    const double mean_cost = work.empty() ? 1.0 : std::accumulate(cost.begin(), cost.begin() + static_cast<long>(work.size()), 0.0) / static_cast<double>(work.size());
    for (std::size_t k = work.size(); k < cost.size(); ++k) cost[k] = mean_cost;
    std::vector<std::size_t> order(cost.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
    Progress progress(options.progress, std::accumulate(cost.begin(), cost.end(), 0.0));
    std::vector<Computed> computed(work.size());
    std::size_t finished = 0;
    run_parallel(
        work.size() + n_studies, jobs,
        [&](std::size_t i) {
          const std::size_t k = order[i];
          if (k < work.size()) computed[k] = compute(work[k]);
          else study_results[k - work.size()] = run_study(*studies[k - work.size()]);
        },
        [&](std::size_t i) {
          const std::size_t k = order[i];
          ++finished;
          if (k < work.size())
            progress.done(finished, work.size() + n_studies, cost[k], plans[work[k].plan].source->id, plans[work[k].plan].source->label,
                          work[k].role, computed[k].exact ? computed[k].exact->seconds : 0.0);
          else
            progress.done(finished, work.size() + n_studies, cost[k], studies[k - work.size()]->id, studies[k - work.size()]->label,
                          Role::main, 0.0);
        },
        options.cancel);
    std::vector<std::size_t> again;
    for (std::size_t k = 0; k < work.size();) {
      const std::size_t i = work[k].plan;
      std::vector<const Computed*> outcomes;
      for (; k < work.size() && work[k].plan == i; ++k) outcomes.push_back(&computed[k]);
      if (auto r = settle(plans[i], outcomes, registry, options.max_digits)) results[i] = std::move(*r);
      else again.push_back(i);
    }
    open = std::move(again);
  }
  return results;
}

// KL_inf of the cases whose minus_limit claims are fitted, on the pool.
std::map<std::size_t, Limit> compute_limits(const std::vector<Suite>& suites, const RunCases& run, int jobs, const std::atomic<bool>* cancel) {
  const std::vector<std::size_t> need = cases_needing_limits(suites, run);
  std::vector<Limit> limits(need.size());
  run_parallel(need.size(), jobs, [&](std::size_t k) {
    try {
      limits[k].exact = compute_exact(limit_spec(run.results[need[k]]));
    } catch (const Cancelled&) {
      throw;
    } catch (const std::exception& e) {
      limits[k].error = e.what();
    }
  }, {}, cancel);
  std::map<std::size_t, Limit> out;
  for (std::size_t k = 0; k < need.size(); ++k) out.emplace(need[k], std::move(limits[k]));
  return out;
}

}  // namespace

RunInputs run_inputs(const std::vector<Suite>& suites) {
  std::vector<const Suite*> ptrs;
  for (const auto& s : suites) ptrs.push_back(&s);
  RunInputs in{{}, {}, registry_for(ptrs)};
  for (const auto& s : suites) {
    for (const auto& c : s.cases) in.cases.push_back(&c);
    for (const auto& st : s.studies) in.studies.push_back(&st);
  }
  return in;
}

ComputedShare compute_share(const RunInputs& in, const std::vector<std::size_t>& cases, const std::vector<std::size_t>& studies,
                            const RunOptions& options) {
  std::vector<CasePlan> plans;
  for (std::size_t i : cases) plans.push_back(plan_case(*in.cases.at(i), in.registry));
  std::vector<const StudySpec*> share_studies;
  for (std::size_t j : studies) share_studies.push_back(in.studies.at(j));
  ComputedShare out;
  out.study_results.resize(share_studies.size());
  const int pool_jobs = worker_count(options.jobs, plans.size() + share_studies.size());
  out.results = compute_and_judge(plans, share_studies, out.study_results, in.registry, options, pool_jobs);
  return out;
}

nlohmann::json summarize_run(const std::vector<Suite>& suites, const RunInputs& in, const std::vector<CaseResult>& results,
                             const std::vector<nlohmann::json>& study_results, const Baseline* baseline, const RunOptions& options) {
  const auto& cases = in.cases;
  const RunCases run{cases, results, in.registry};
  const std::map<std::size_t, Limit> limits =
      compute_limits(suites, run, worker_count(options.jobs, cases.size() + in.studies.size()), options.cancel);

  // summarize: the report, every verdict counted once
  nlohmann::json report = report_header(suites, in.registry, cases, worker_count(options.jobs, cases.size()));
  RunSummary summary;
  summary.cases = cases.size();
  std::map<std::string, std::string> file_of;  // suite name -> suite file
  for (const auto& s : suites) file_of.emplace(s.name, s.file.empty() ? s.name : s.file);
  report["cases"] = nlohmann::json::array();
  for (std::size_t i = 0; i < cases.size(); ++i)
    report["cases"].push_back(case_entry(*cases[i], results[i], file_of.at(cases[i]->suite), in.registry, baseline, i, summary));
  add_rate_claims(report, suites, run, limits, summary);
  std::vector<nlohmann::json> studies = study_results;  // append_studies takes them over
  append_studies(report, studies, summary);
  add_figures(report, suites, run);
  summary.baseline_off = baseline && baseline->mostly_off();
  report["summary"] = summary.to_json(options.fail_on_inconclusive);
  if (baseline) report["summary"]["baseline"] = baseline->summary();
  return report;
}

nlohmann::json run_suites(const std::vector<Suite>& suites, const RunOptions& options) {
  const RunInputs in = run_inputs(suites);
  // the baseline is read, validated and matched against the run's cases before anything is computed
  std::unique_ptr<Baseline> baseline;
  if (!options.baseline.empty()) baseline = std::make_unique<Baseline>(options.baseline, in.cases);

  const auto start = std::chrono::steady_clock::now();
  std::vector<std::size_t> all_cases(in.cases.size()), all_studies(in.studies.size());
  for (std::size_t i = 0; i < all_cases.size(); ++i) all_cases[i] = i;
  for (std::size_t j = 0; j < all_studies.size(); ++j) all_studies[j] = j;
  const ComputedShare computed = compute_share(in, all_cases, all_studies, options);
  nlohmann::json report = summarize_run(suites, in, computed.results, computed.study_results, baseline.get(), options);
  report["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace diffbound
