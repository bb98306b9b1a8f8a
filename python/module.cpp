// The compiled half of the Python module diffbound (python/diffbound/__init__.py wraps it). Every result
// crosses as the JSON text the CLI prints or writes (kl --json, report.json), built by the same functions, so
// the module's numbers are the CLI's digit for digit; Python parses it (json.loads reads a double back
// exactly). The computations run with the GIL released and Ctrl-C stops them (interruptible.hpp).
#include "interruptible.hpp"
#include "python_toml.hpp"

#include "bounds/registry.hpp"
#include "cli/commands.hpp"
#include "numerics/engine_threads.hpp"
#include "numerics/exact.hpp"
#include "numerics/input_error.hpp"
#include "reports/render.hpp"
#include "verify/case_file.hpp"
#include "verify/exact_json.hpp"
#include "verify/version.hpp"

#include <pybind11/stl.h>

#include <algorithm>
#include <optional>
#include <thread>

namespace py = pybind11;
using namespace diffbound;

namespace {

// one computation: it may use every core (numerics/engine_threads.hpp)
std::string kl_of(const CaseSpec& spec) {
  const EngineThreadsScope threads(std::max(1u, std::thread::hardware_concurrency()));
  return exact_json(spec, compute_exact(spec)).dump(2);
}

// diffbound kl CASE --json: the file is checked, then read and computed; InputError as the CLI prints it
// after "diffbound kl: error: " (the file checks' messages alone, the case's prefixed with its path).
std::string kl_file(const std::string& path) {
  try {
    check_input_file("case", path);
  } catch (const InputError& e) {
    throw py::value_error(e.what());
  }
  return python::interruptible([&](const std::atomic<bool>&) { return kl_of(read_case_file(path)); }, path + ": ");
}

std::string kl_text(const std::string& text) {
  return python::interruptible([&](const std::atomic<bool>&) { return kl_of(read_case_text(text)); });
}

std::string kl_dict(const py::dict& table) {
  std::string text;
  try {
    text = python::toml_text_of(table);
  } catch (const InputError& e) {
    throw py::value_error(e.what());
  }
  return kl_text(text);
}

// diffbound run SUITE... [--out DIR]: the report JSON; nothing is written without `out`.
std::string run(const std::vector<std::string>& suites, const std::string& jobs, const std::optional<std::string>& out, const std::string& max_digits,
                const std::string& baseline, const std::string& write_baseline, bool fail_on_inconclusive, bool progress) {
  RunCommandOptions options;
  options.suites = suites;
  options.jobs = jobs;
  if (out) options.out = *out;
  options.max_digits = max_digits;
  options.baseline = baseline;
  options.write_baseline = write_baseline;
  options.fail_on_inconclusive = fail_on_inconclusive;
  options.quiet = !progress;
  return python::interruptible(
      [&](const std::atomic<bool>& cancel) { return run_suites_checked(options, out.has_value(), &cancel).dump(); });
}

// diffbound report --format FORMAT of a report.json text: the same renderers (reports/), not a second copy.
std::string render(const std::string& report_json, const std::string& format) {
  try {
    const auto& formats = report_formats();
    if (std::find(formats.begin(), formats.end(), format) == formats.end())
      throw InputError("format", format, "unknown report format; expected " + report_formats_text());
    return render_format(nlohmann::json::parse(report_json), format);
  } catch (const InputError& e) {
    throw py::value_error(e.what());
  }
}

py::list bounds() {
  py::list rows;
  for (const auto& b : list_bounds(BoundRegistry::builtins())) {
    py::dict row;
    row["id"] = b.id;
    row["kind"] = b.kind;
    row["metric"] = b.metric;
    row["measured"] = b.measured;
    row["provenance"] = b.provenance;
    row["citation"] = b.citation;
    row["description"] = b.description;
    rows.append(row);
  }
  return rows;
}

}  // namespace

PYBIND11_MODULE(_diffbound, m) {
  m.doc() = "diffbound's compiled core; use the package diffbound";
  m.attr("version") = DIFFBOUND_VERSION;
  m.attr("revision") = DIFFBOUND_GIT_REVISION;
  m.def("kl_file", &kl_file, py::arg("path"), "kl --json of a case file, as JSON text");
  m.def("kl_text", &kl_text, py::arg("text"), "kl --json of a case given as TOML text, as JSON text");
  m.def("kl_dict", &kl_dict, py::arg("table"), "kl --json of a case given as a dict of its tables, as JSON text");
  m.def("run", &run, py::arg("suites"), py::arg("jobs"), py::arg("out"), py::arg("max_digits"), py::arg("baseline"),
        py::arg("write_baseline"), py::arg("fail_on_inconclusive"), py::arg("progress"), "report.json of a run, as JSON text");
  m.def("render", &render, py::arg("report_json"), py::arg("format"),
        "a report.json text rendered as diffbound report --format has it (md, junit, html, csv, latex)");
  m.def("bounds", &bounds, "the built-in bounds, as diffbound list bounds has them");
  m.def("_last_interrupt_stopped_work", &python::last_interrupt_stopped_work,
        "whether the last Ctrl-C stopped the computation at a cancellation point (for the tests)");
}
