#include "verify/shard.hpp"

#include "numerics/input_error.hpp"
#include "verify/part_json.hpp"
#include "verify/run_estimate.hpp"
#include "verify/version.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <sstream>

namespace diffbound {

namespace {

constexpr const char* part_format = "diffbound-part";
constexpr int part_version = 1;
constexpr long max_shards = 100000;

std::string shard_text(long index, long count) { return std::to_string(index) + "/" + std::to_string(count); }

// Greedy longest-processing-time assignment: each item (largest cost first) to the least loaded shard.
void assign(const std::vector<double>& cost, std::vector<double>& load, std::vector<long>& owner) {
  std::vector<std::size_t> order(cost.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
  owner.assign(cost.size(), 0);
  for (std::size_t i : order) {
    const long k = static_cast<long>(std::min_element(load.begin(), load.end()) - load.begin());  // first minimum
    owner[i] = k;
    load[static_cast<std::size_t>(k)] += cost[i];
  }
}

const nlohmann::json& field_of(const PartFile& p, const char* key) {
  if (!p.part.is_object() || !p.part.contains(key)) throw InputError("part", p.path, std::string("has no \"") + key + "\": not a complete part");
  return p.part.at(key);
}

}  // namespace

ShardSpec parse_shard(const std::string& option, const std::string& text) {
  const auto slash = text.find('/');
  auto whole = [&](const std::string& s, long& out) {
    if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos) return false;
    out = std::stol(s);
    return true;
  };
  ShardSpec s;
  if (slash == std::string::npos || !whole(text.substr(0, slash), s.index) || !whole(text.substr(slash + 1), s.count) ||
      s.count < 1 || s.count > max_shards || s.index < 1 || s.index > s.count)
    throw InputError(option, text, "must be K/N with 1 <= K <= N <= " + std::to_string(max_shards) + " (e.g. 2/8)");
  return s;
}

std::vector<double> case_costs(const RunInputs& in) {
  std::vector<double> cost;
  for (const SuiteCase* sc : in.cases) {
    double seconds = 1e-6;
    try {
      seconds = plan_cost(plan_case(*sc, in.registry));  // the case and its twins
    } catch (const std::exception&) {
      // a case the engines refuse costs little; its error is reported by whichever shard has it
    }
    cost.push_back(std::max(seconds, 1e-6));
  }
  return cost;
}

std::vector<ShardShare> shard_shares(const RunInputs& in, long count) {
  const std::vector<double> cost = case_costs(in);
  std::vector<double> load(static_cast<std::size_t>(count), 0.0);
  std::vector<long> owner;
  assign(cost, load, owner);
  const double study_cost = cost.empty() ? 1.0 : std::accumulate(cost.begin(), cost.end(), 0.0) / static_cast<double>(cost.size());
  std::vector<long> study_owner;
  assign(std::vector<double>(in.studies.size(), study_cost), load, study_owner);
  std::vector<ShardShare> shares(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < owner.size(); ++i) shares[static_cast<std::size_t>(owner[i])].cases.push_back(i);
  for (std::size_t j = 0; j < study_owner.size(); ++j) shares[static_cast<std::size_t>(study_owner[j])].studies.push_back(j);
  return shares;
}

ShardShare shard_share(const RunInputs& in, ShardSpec shard) {
  return shard_shares(in, shard.count)[static_cast<std::size_t>(shard.index - 1)];
}

std::vector<Suite> suites_of(const std::vector<SuiteSource>& sources) {
  std::vector<Suite> suites;
  for (const auto& s : sources) suites.push_back(read_suite_text(s.text, s.file));
  check_distinct_suites(suites);
  return suites;
}

nlohmann::json run_shard(const std::vector<SuiteSource>& sources, ShardSpec shard, const RunOptions& options) {
  const std::vector<Suite> suites = suites_of(sources);
  const RunInputs in = run_inputs(suites);
  const auto start = std::chrono::steady_clock::now();
  const ShardShare share = shard_share(in, shard);
  const ComputedShare computed = compute_share(in, share.cases, share.studies, options);
  nlohmann::json part = {{"format", part_format},
                         {"version", part_version},
                         {"diffbound", DIFFBOUND_VERSION},
                         {"revision", DIFFBOUND_GIT_REVISION},
                         {"shard", {{"index", shard.index}, {"count", shard.count}}},
                         {"max_digits", options.max_digits}};
  part["suites"] = nlohmann::json::array();
  for (const auto& s : sources) part["suites"].push_back({{"file", s.file}, {"text", s.text}});
  part["cases"] = nlohmann::json::array();
  for (std::size_t k = 0; k < share.cases.size(); ++k)
    part["cases"].push_back({{"index", share.cases[k]}, {"result", part_json(computed.results[k])}});
  part["studies"] = nlohmann::json::array();
  for (std::size_t k = 0; k < share.studies.size(); ++k)
    part["studies"].push_back({{"index", share.studies[k]}, {"result", computed.study_results[k]}});
  part["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return part;
}

PartFile read_part(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path file = fs::is_directory(path, ec) ? fs::path(path) / "part.json" : fs::path(path);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError("part", path, "cannot be read (" + file.string() + "; a part is what `run --shard K/N --out PART` writes)");
  std::stringstream text;
  text << in.rdbuf();
  PartFile p{path, nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false)};
  if (p.part.is_discarded()) throw InputError("part", path, "not valid JSON");
  if (!p.part.is_object() || p.part.value("format", "") != part_format)
    throw InputError("part", path, "not a diffbound part (no \"format\": \"diffbound-part\")");
  return p;
}

nlohmann::json merge_parts(const std::vector<PartFile>& parts, const RunOptions& options) {
  if (parts.empty()) throw InputError("part", "(none)", "name at least one part");
  const PartFile& first = parts.front();
  for (const PartFile& p : parts) {
    if (field_of(p, "version") != part_version)
      throw InputError("part", p.path, "part format version " + field_of(p, "version").dump() + "; this diffbound reads version 1");
    if (field_of(p, "revision") != DIFFBOUND_GIT_REVISION)
      throw InputError("part", p.path, "written by revision " + field_of(p, "revision").dump() + "; this diffbound is " +
                                           DIFFBOUND_GIT_REVISION + ": merge with the build that ran the shards");
    if (field_of(p, "suites") != field_of(first, "suites"))
      throw InputError("part", p.path, "its suites differ from those of " + first.path + ": parts of different runs");
    if (!field_of(p, "max_digits").is_number_unsigned())
      throw InputError("part", p.path, "its max_digits is not a number of digits");
    if (field_of(p, "max_digits") != field_of(first, "max_digits"))
      throw InputError("part", p.path, "ran with max_digits " + field_of(p, "max_digits").dump() + ", " + first.path + " with " +
                                           field_of(first, "max_digits").dump());
  }
  std::vector<SuiteSource> sources;
  for (const auto& s : field_of(first, "suites")) {
    if (!s.is_object() || !s.contains("file") || !s.contains("text") || !s["file"].is_string() || !s["text"].is_string())
      throw InputError("part", first.path, "its suites are not {file, text} entries");
    sources.push_back({s["file"].get<std::string>(), s["text"].get<std::string>()});
  }
  const std::vector<Suite> suites = suites_of(sources);
  const RunInputs in = run_inputs(suites);
  // the baseline is read, validated and matched against the run's cases before the parts are unpacked
  std::unique_ptr<Baseline> baseline;
  if (!options.baseline.empty()) baseline = std::make_unique<Baseline>(options.baseline, in.cases);

  const auto start = std::chrono::steady_clock::now();
  const nlohmann::json& first_shard = field_of(first, "shard");
  if (!first_shard.is_object() || !first_shard.value("count", nlohmann::json()).is_number_integer())
    throw InputError("part", first.path, "its shard is not {index, count}");
  const long count = first_shard["count"].get<long>();
  if (count < 1) throw InputError("part", first.path, "its shard count is not a positive number");
  std::vector<const PartFile*> of_shard(static_cast<std::size_t>(count), nullptr);
  const std::vector<ShardShare> shares = shard_shares(in, count);  // once: the cost estimates plan every case
  std::vector<CaseResult> results(in.cases.size());
  std::vector<nlohmann::json> study_results(in.studies.size());
  double seconds = 0;
  for (const PartFile& p : parts) {
    const nlohmann::json& shard = field_of(p, "shard");
    if (!shard.is_object() || !shard.value("index", nlohmann::json()).is_number_integer() ||
        !shard.value("count", nlohmann::json()).is_number_integer())
      throw InputError("part", p.path, "its shard is not {index, count}");
    const long index = shard["index"].get<long>(), n = shard["count"].get<long>();
    if (n != count) throw InputError("part", p.path, "is shard " + shard_text(index, n) + ", " + first.path + " is of " + std::to_string(count));
    if (index < 1 || index > count) throw InputError("part", p.path, "shard " + shard_text(index, n) + " is out of range");
    const PartFile*& seen = of_shard[static_cast<std::size_t>(index - 1)];
    if (seen) throw InputError("part", p.path, "shard " + shard_text(index, count) + " is also " + seen->path + ": a part named twice");
    seen = &p;
    // the part's cases must be exactly its share (same revision, same suites: the same assignment)
    const ShardShare& share = shares[static_cast<std::size_t>(index - 1)];
    const nlohmann::json& cases = field_of(p, "cases");
    const nlohmann::json& studies = field_of(p, "studies");
    if (!cases.is_array() || !studies.is_array() || cases.size() != share.cases.size() || studies.size() != share.studies.size())
      throw InputError("part", p.path, "its cases are not the share of shard " + shard_text(index, count));
    for (std::size_t k = 0; k < cases.size(); ++k) {
      if (!cases[k].is_object() || cases[k].value("index", nlohmann::json()) != share.cases[k] || !cases[k].contains("result"))
        throw InputError("part", p.path, "its cases are not the share of shard " + shard_text(index, count));
      const std::size_t i = share.cases[k];
      results[i] = case_result_from_part(cases[k]["result"], plan_case(*in.cases[i], in.registry),
                                         p.path + ": cases[" + std::to_string(k) + "]");
    }
    for (std::size_t k = 0; k < studies.size(); ++k) {
      if (!studies[k].is_object() || studies[k].value("index", nlohmann::json()) != share.studies[k] || !studies[k].contains("result"))
        throw InputError("part", p.path, "its studies are not the share of shard " + shard_text(index, count));
      study_results[share.studies[k]] = studies[k]["result"];
    }
    const nlohmann::json& s = field_of(p, "seconds");
    if (s.is_number()) seconds += s.get<double>();
  }
  for (long k = 0; k < count; ++k)
    if (!of_shard[static_cast<std::size_t>(k)])
      throw InputError("part", "shard " + shard_text(k + 1, count), "is missing: every shard of the run must be merged");

  RunOptions summary_options = options;
  summary_options.max_digits = field_of(first, "max_digits").get<unsigned>();
  nlohmann::json report = summarize_run(suites, in, results, study_results, baseline.get(), summary_options);
  // the parts' computing time plus this merge's
  report["seconds"] = seconds + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace diffbound
