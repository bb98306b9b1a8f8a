// The files of a report directory, written together or not at all, and the renderings `diffbound report`
// produces on demand from a stored report.json.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace diffbound {

// report.json, report.md, junit.xml, index.html: the files write_report_files owns in a report directory
// (with plots/, one SVG file per plot, named by plot_file_names in reports/svg_plot.hpp).
const std::vector<std::string>& report_file_names();

// Validates the report, renders every file in memory, writes them into a fresh temporary directory next to
// out_dir (created with its parents if needed), then installs them:
//   - out_dir absent, or holding nothing but report files: the temporary directory takes its place in one
//     rename (an atomic exchange when out_dir exists), and the previous report is removed afterwards;
//   - out_dir holding other files too (or being a symlink or the working directory): they are kept and
//     each report file is renamed over the old one, report.json last. Each file is replaced atomically,
//     but a crash between two renames can leave old and new files side by side; a directory of its own
//     gets the all-or-nothing swap.
// plots/ is installed as a whole (first, in the second case); a file in it other than an .svg is an error
// before anything is written.
// Any failure before installing (bad report, a write error, an exception) removes the temporary directory
// and leaves out_dir exactly as it was. Errors are InputError naming the directory.
void write_report_files(const nlohmann::json& report, const std::string& out_dir);

// The same, calling after_each_file(name) once each file is complete in the temporary directory; an
// exception it throws aborts the write like any other failure (tests use it to interrupt a write).
using ReportWriteObserver = std::function<void(const std::string& file_name)>;
void write_report_files(const nlohmann::json& report, const std::string& out_dir, const ReportWriteObserver& after_each_file);

// The formats render_format knows: md, junit, html, csv, latex; and "md, junit, html, csv or latex".
const std::vector<std::string>& report_formats();
std::string report_formats_text();

// format: one of report_formats() (diffbound report FILE --format ...). InputError for an unknown format or
// a JSON value that is not a diffbound-report/1.
std::string render_format(const nlohmann::json& report, const std::string& format);

// Reads and validates a report.json file; InputError when it cannot be read, parsed or is not a report.
nlohmann::json read_report_file(const std::string& path);

}  // namespace diffbound
