// A run split across processes or machines (docs/cluster.md): `run --shard K/N` computes a deterministic
// share of the planned cases and studies and writes it as a part; `merge` checks that the parts form one run
// and summarizes them exactly as a single process would (runner.hpp's compute_share and summarize_run).
#pragma once

#include "verify/runner.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace diffbound {

// Shard K of N, 1 <= K <= N (Slurm: --array=1-N with K = $SLURM_ARRAY_TASK_ID).
struct ShardSpec {
  long index = 1, count = 1;
};
// "K/N"; InputError naming `option` and the text otherwise. N is at most 100000.
ShardSpec parse_shard(const std::string& option, const std::string& text);

// Which cases and studies (indices in run order) a shard computes. Balanced by estimated cost, not by count:
// cases by their estimated cost with their twins (verify/run_estimate.hpp), largest first, each to the shard with the
// least estimated time so far (ties: the lower shard; equal costs keep run order); studies after them, each
// at the mean case cost. The same inputs give the same shares on every machine.
struct ShardShare {
  std::vector<std::size_t> cases, studies;
};
ShardShare shard_share(const RunInputs& in, ShardSpec shard);
// The shares of all `count` shards at once (one cost estimate of every case).
std::vector<ShardShare> shard_shares(const RunInputs& in, long count);
// The estimated seconds of every case (the cost shard_share balances; at least 1e-6 each).
std::vector<double> case_costs(const RunInputs& in);

// A suite as read: its file name and text (a part carries the texts, so merge needs no suite file).
struct SuiteSource {
  std::string file, text;
};
std::vector<Suite> suites_of(const std::vector<SuiteSource>& sources);

// Computes the shard's share and returns the part (format "diffbound-part", version 1): revision, shard,
// max_digits, the suites' texts and the share's results (verify/part_json.hpp).
nlohmann::json run_shard(const std::vector<SuiteSource>& sources, ShardSpec shard, const RunOptions& options);

// A part as read from its file.
struct PartFile {
  std::string path;
  nlohmann::json part;
};
// Reads DIR/part.json (or the file itself when `path` is one); InputError naming the path otherwise.
PartFile read_part(const std::string& path);

// Checks that the parts form one run and returns its report (with options' jobs, baseline and
// fail_on_inconclusive; max_digits comes from the parts). InputError naming the part, or the missing shard,
// when: a file is not a part, its revision is not this program's, its suites or max_digits differ from the
// first part's, its shard count differs, a shard appears twice or is missing, or its cases are not its share.
nlohmann::json merge_parts(const std::vector<PartFile>& parts, const RunOptions& options);

}  // namespace diffbound
