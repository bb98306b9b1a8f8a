#include "verify/mpi_run.hpp"

#include "numerics/input_error.hpp"
#include "verify/part_json.hpp"

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/serialization/string.hpp>
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <thread>

namespace diffbound {

namespace {

namespace mpi = boost::mpi;

// Messages are JSON texts. Rank 0 sends the start (tag_start: the suites' texts and the options, or stop) and
// then one item at a time (tag_item: a case, a study, or stop); a worker sends a request (tag_result: its
// first one empty, then each with the result of the item it had, or the error it met).
constexpr int tag_start = 1, tag_item = 2, tag_result = 3;

// A blocking receive that sleeps between polls: MPI's own blocking calls spin on a core, which on a node
// whose cores all compute (or oversubscribed) takes time from the workers.
std::string receive(const mpi::communicator& world, int source, int tag, int* from = nullptr) {
  for (;;) {
    if (const auto st = world.iprobe(source, tag)) {
      std::string text;
      world.recv(st->source(), tag, text);
      if (from) *from = st->source();
      return text;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void send(const mpi::communicator& world, int dest, int tag, const nlohmann::json& j) { world.send(dest, tag, j.dump()); }

// A test hook (tests/cli/test_mpi.cpp): a worker handed the case with this id fails as a rank can (an
// exception that is not the case's own result), to show that rank 0 reports it and no rank hangs.
bool injected_failure(const SuiteCase& sc) {
  const char* id = std::getenv("DIFFBOUND_MPI_TEST_FAIL");
  return id != nullptr && sc.id == id;
}

std::string case_name(const SuiteCase& sc) { return "case " + sc.id + " (" + sc.label + ")"; }

// The items in the order they are handed out: largest estimated cost first (shard.hpp's case_costs; a study
// at the mean case cost, as shards count it), equal costs in run order, cases before studies.
struct Item {
  bool study;
  std::size_t index;
  double cost;
};
std::vector<Item> dispatch_order(const RunInputs& in) {
  const std::vector<double> cost = case_costs(in);
  const double study_cost = cost.empty() ? 1.0 : std::accumulate(cost.begin(), cost.end(), 0.0) / static_cast<double>(cost.size());
  std::vector<Item> items;
  for (std::size_t i = 0; i < cost.size(); ++i) items.push_back({false, i, cost[i]});
  for (std::size_t j = 0; j < in.studies.size(); ++j) items.push_back({true, j, study_cost});
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.cost > b.cost; });
  return items;
}

}  // namespace

bool launched_by_mpi() {
  // Open MPI's mpirun / mpiexec; a PMIx or PMI launcher (srun --mpi=pmix, MPICH's hydra)
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}

std::string mpi_implementation() {
#ifdef OMPI_MAJOR_VERSION
  return "Open MPI " + std::to_string(OMPI_MAJOR_VERSION) + "." + std::to_string(OMPI_MINOR_VERSION) + "." +
         std::to_string(OMPI_RELEASE_VERSION);
#else
  return "MPI " + std::to_string(MPI_VERSION) + "." + std::to_string(MPI_SUBVERSION);
#endif
}

struct MpiSession::Impl {
  // the worker threads of a rank never call MPI; only the main thread does
  mpi::environment env{mpi::threading::funneled, /*abort_on_exception=*/false};
  mpi::communicator world;
  bool started = false;  // rank 0: the start message was sent

  void start(const nlohmann::json& message) {
    started = true;
    for (int r = 1; r < world.size(); ++r) send(world, r, tag_start, message);
  }
};

MpiSession::MpiSession() : impl_(std::make_unique<Impl>()) {}

MpiSession::~MpiSession() {
  if (impl_->world.rank() == 0 && !impl_->started) {
    try {
      impl_->start({{"go", false}});
    } catch (...) {
      // MPI_Finalize follows; a rank still waiting is ended by the launcher when this one exits
    }
  }
}

int MpiSession::rank() const { return impl_->world.rank(); }
int MpiSession::size() const { return impl_->world.size(); }

nlohmann::json MpiSession::run(const std::vector<SuiteSource>& sources, const RunOptions& options) {
  const mpi::communicator& world = impl_->world;
  std::vector<Suite> suites;
  std::unique_ptr<RunInputs> in;
  std::unique_ptr<Baseline> baseline;
  std::vector<Item> items;
  try {
    suites = suites_of(sources);
    in = std::make_unique<RunInputs>(run_inputs(suites));
    // the baseline is read, validated and matched against the run's cases before anything is computed
    if (!options.baseline.empty()) baseline = std::make_unique<Baseline>(options.baseline, in->cases);
    if (world.size() > 1) items = dispatch_order(*in);
  } catch (...) {
    impl_->start({{"go", false}});
    throw;
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<CaseResult> results;
  std::vector<nlohmann::json> study_results;
  if (world.size() == 1) {
    // no one to hand work to: this rank computes the whole run, as a single process does
    impl_->started = true;
    std::vector<std::size_t> all_cases(in->cases.size()), all_studies(in->studies.size());
    std::iota(all_cases.begin(), all_cases.end(), 0);
    std::iota(all_studies.begin(), all_studies.end(), 0);
    ComputedShare computed = compute_share(*in, all_cases, all_studies, options);
    results = std::move(computed.results);
    study_results = std::move(computed.study_results);
  } else {
    nlohmann::json go = {{"go", true}, {"max_digits", options.max_digits}, {"jobs", options.jobs}};
    go["suites"] = nlohmann::json::array();
    for (const auto& s : sources) go["suites"].push_back({{"file", s.file}, {"text", s.text}});
    impl_->start(go);

    results.resize(in->cases.size());
    study_results.resize(in->studies.size());
    std::size_t next = 0, finished = 0;
    int working = world.size() - 1;
    std::optional<std::string> failure;  // the first rank's failure; no item is handed out after it
    std::optional<InputError> input_failure;  // when that failure is bad input
    while (working > 0) {
      int from = 0;
      const std::string text = receive(world, mpi::any_source, tag_result, &from);
      // nothing here may throw past the loop: every worker must be told to stop
      try {
        const nlohmann::json m = text.empty() ? nlohmann::json::object() : nlohmann::json::parse(text);
        const std::string rank = "rank " + std::to_string(from);
        if (m.contains("error")) {
          if (!failure) {
            std::string what = rank;
            if (m.contains("case")) what += ", " + case_name(*in->cases.at(m["case"].get<std::size_t>()));
            if (m.contains("study")) what += ", study " + std::to_string(m["study"].get<std::size_t>() + 1);
            failure = what + ": " + m["error"].get<std::string>();
            if (m.contains("field"))
              input_failure.emplace(m["field"].get<std::string>(), m["value"].get<std::string>(), m["why"].get<std::string>() + " (" + what + ")");
          }
        } else if (m.contains("case")) {
          const std::size_t i = m["case"].get<std::size_t>();
          results.at(i) = case_result_from_part(m["result"], plan_case(*in->cases[i], in->registry), rank + ": " + in->cases[i]->id);
          ++finished;
          if (options.progress)
            std::fprintf(stderr, "[%zu/%zu] %s %s (rank %d, %.2f s)\n", finished, items.size(), in->cases[i]->id.c_str(),
                         in->cases[i]->label.c_str(), from, m.value("seconds", 0.0));
        } else if (m.contains("study")) {
          study_results.at(m["study"].get<std::size_t>()) = m["result"];
          ++finished;
          if (options.progress)
            std::fprintf(stderr, "[%zu/%zu] study %zu (rank %d, %.2f s)\n", finished, items.size(), m["study"].get<std::size_t>() + 1,
                         from, m.value("seconds", 0.0));
        }
      } catch (const std::exception& e) {
        if (!failure) failure = "rank " + std::to_string(from) + ": its result cannot be read: " + e.what();
      }
      if (options.progress) std::fflush(stderr);
      if (!failure && options.cancel && options.cancel->load()) failure = "cancelled";
      if (!failure && next < items.size()) {
        const Item& item = items[next++];
        send(world, from, tag_item, {{item.study ? "study" : "case", item.index}});
      } else {
        send(world, from, tag_item, {{"stop", true}});
        --working;
      }
    }
    if (failure) {
      if (input_failure) throw *input_failure;
      throw std::runtime_error("MPI run failed on " + *failure + " (nothing was written)");
    }
  }
  nlohmann::json report = summarize_run(suites, *in, results, study_results, baseline.get(), options);
  report["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

int MpiSession::serve() {
  const mpi::communicator& world = impl_->world;
  const nlohmann::json go = nlohmann::json::parse(receive(world, 0, tag_start));
  if (!go.value("go", false)) return 0;  // rank 0 found bad input and reports it
  std::vector<Suite> suites;
  std::unique_ptr<RunInputs> in;
  RunOptions options;
  std::optional<std::string> setup_error;
  try {
    std::vector<SuiteSource> sources;
    for (const auto& s : go.at("suites")) sources.push_back({s.at("file").get<std::string>(), s.at("text").get<std::string>()});
    suites = suites_of(sources);
    in = std::make_unique<RunInputs>(run_inputs(suites));
    options.max_digits = go.at("max_digits").get<unsigned>();
    options.jobs = go.at("jobs").get<int>();
    options.progress = false;  // rank 0 reports progress
  } catch (const std::exception& e) {
    setup_error = std::string("cannot read the run rank 0 sent: ") + e.what();
  }
  nlohmann::json reply = nlohmann::json::object();
  if (setup_error) reply = {{"error", *setup_error}};
  for (;;) {
    send(world, 0, tag_result, reply);
    const nlohmann::json item = nlohmann::json::parse(receive(world, 0, tag_item));
    if (item.contains("stop")) return setup_error ? 4 : 0;
    const bool study = item.contains("study");
    const std::size_t index = item.at(study ? "study" : "case").get<std::size_t>();
    reply = {{study ? "study" : "case", index}};
    const auto start = std::chrono::steady_clock::now();
    try {
      if (study) {
        reply["result"] = compute_share(*in, {}, {index}, options).study_results.at(0);
      } else {
        if (injected_failure(*in->cases.at(index))) throw std::runtime_error("injected failure (DIFFBOUND_MPI_TEST_FAIL)");
        reply["result"] = part_json(compute_share(*in, {index}, {}, options).results.at(0));
      }
      reply["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } catch (const InputError& e) {
      reply.update({{"error", e.what()}, {"field", e.field()}, {"value", e.value()}, {"why", e.why()}});
    } catch (const std::exception& e) {
      reply["error"] = e.what();
    }
  }
}

}  // namespace diffbound
