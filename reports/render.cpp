#include "reports/render.hpp"

#include "numerics/input_error.hpp"
#include "reports/csv.hpp"
#include "reports/file_write.hpp"
#include "reports/html.hpp"
#include "reports/junit.hpp"
#include "reports/latex.hpp"
#include "reports/markdown.hpp"
#include "reports/report_view.hpp"
#include "reports/svg_plot.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>
#include <utility>

namespace diffbound {

namespace fs = std::filesystem;

namespace {
constexpr const char* plots_dir_name = "plots";

[[noreturn]] void fail(const fs::path& dir, const std::string& why) { throw InputError("out", dir.string(), why); }

std::string errno_text(int e) { return std::strerror(e); }

// Writes and fsyncs one new file, so a rename that follows never exposes a half-written one after a crash.
void write_file(const fs::path& dir, const fs::path& path, const std::string& content) {
  if (const std::string why = write_new_file_synced(path, content); !why.empty()) fail(dir, why);
}

// Removes a temporary directory unless released; keeps a failed write from leaving debris.
class TempDir {
public:
  explicit TempDir(fs::path p) : path_(std::move(p)) {}
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  void release() { path_.clear(); }

private:
  fs::path path_;
};

fs::path make_temp_sibling(const fs::path& target, const std::string& tag) {
  std::string pattern = (target.parent_path() / ("." + target.filename().string() + "." + tag + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) fail(target, "cannot create a temporary directory next to it: " + errno_text(errno));
  return pattern;
}

// True when every entry of dir is one of the report files, or plots/ holding only .svg files (so swapping
// the directory loses nothing).
bool holds_only_report_files(const fs::path& dir) {
  const auto& names = report_file_names();
  const std::set<std::string> ours(names.begin(), names.end());
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name == plots_dir_name && it->is_directory() && !it->is_symlink()) {
      for (fs::directory_iterator p(it->path(), ec); !ec && p != end; p.increment(ec))
        if (p->path().extension() != ".svg" || !p->is_regular_file()) return false;
      if (ec) return false;
      continue;
    }
    if (!ours.count(name) || !it->is_regular_file()) return false;
  }
  return !ec;  // unreadable: assume there may be other files
}

bool is_current_directory(const fs::path& dir) {
  std::error_code ec;
  return fs::equivalent(dir, fs::current_path(), ec);
}

// Puts the complete new directory `fresh` in place of the existing directory `target`; afterwards `fresh`
// names the previous report (the caller removes it).
void swap_directories(const fs::path& fresh, const fs::path& target) {
  if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) return;
  if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
    fail(target, "cannot replace the previous report: " + errno_text(errno));
  // The file system cannot exchange: move the old report aside, then the new one in, and back on failure.
  const fs::path aside = make_temp_sibling(target, "old");
  if (::rename(target.c_str(), aside.c_str()) != 0) {
    const int e = errno;
    ::rmdir(aside.c_str());
    fail(target, "cannot move the previous report aside: " + errno_text(e));
  }
  if (::rename(fresh.c_str(), target.c_str()) != 0) {
    const int e = errno;
    ::rename(aside.c_str(), target.c_str());
    fail(target, "cannot install the new report: " + errno_text(e));
  }
  if (::rename(aside.c_str(), fresh.c_str()) != 0) {  // so the caller's cleanup removes the old report
    std::error_code ec;
    fs::remove_all(aside, ec);
  }
}
}  // namespace

const std::vector<std::string>& report_file_names() {
  static const std::vector<std::string> names = {"report.json", "report.md", "junit.xml", "index.html"};
  return names;
}

void write_report_files(const nlohmann::json& report, const std::string& out_dir) {
  write_report_files(report, out_dir, ReportWriteObserver{});
}

void write_report_files(const nlohmann::json& report, const std::string& out_dir, const ReportWriteObserver& after_each_file) {
  if (out_dir.empty()) throw InputError("out", "\"\"", "the report directory must be named");
  validate_report(report);
  // Everything is rendered before the file system is touched: a renderer's exception changes nothing.
  const std::vector<std::pair<std::string, std::string>> files = {
      {"report.json", report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"},
      {"report.md", render_markdown(report)},
      {"junit.xml", render_junit(report)},
      {"index.html", render_html(report, /*link_plot_files=*/true)},
  };
  // every plot also as a file of its own, named as index.html links it
  std::vector<std::pair<std::string, std::string>> plot_files;
  const auto plot_names = plot_file_names(report.at("plots"));
  for (std::size_t i = 0; i < plot_names.size(); ++i) plot_files.push_back({plot_names[i], render_svg_file(report.at("plots")[i])});

  fs::path target = fs::absolute(fs::path(out_dir)).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();  // "out/" -> "out"
  std::error_code ec;
  const auto status = fs::symlink_status(target, ec);
  const bool exists = fs::exists(status);
  if (exists && !fs::is_directory(fs::status(target, ec))) fail(target, "exists and is not a directory");
  const fs::path target_plots = target / plots_dir_name;
  const auto plots_status = fs::symlink_status(target_plots, ec);
  if (exists && fs::exists(plots_status)) {
    if (fs::is_symlink(plots_status) || !fs::is_directory(plots_status)) fail(target, target_plots.string() + " exists and is not a directory");
    // plots/ is replaced as a whole: a file of someone else's there would be lost, so nothing is written
    for (fs::directory_iterator it(target_plots, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() != ".svg" || !it->is_regular_file())
        fail(target, target_plots.string() + " holds " + it->path().filename().string() +
                         ", which is not a plot: the report replaces plots/ as a whole (move it elsewhere)");
  }
  if (!fs::exists(target.parent_path())) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) fail(target, "cannot create its parent directory: " + ec.message());
  }

  TempDir fresh(make_temp_sibling(target, "new"));
  if (::chmod(fresh.path().c_str(), 0755) != 0) fail(target, "cannot set permissions: " + errno_text(errno));  // mkdtemp: 0700
  for (const auto& [name, content] : files) {
    write_file(target, fresh.path() / name, content);
    if (after_each_file) after_each_file(name);
  }
  const fs::path fresh_plots = fresh.path() / plots_dir_name;
  if (::mkdir(fresh_plots.c_str(), 0755) != 0) fail(target, "cannot create " + fresh_plots.string() + ": " + errno_text(errno));
  for (const auto& [name, content] : plot_files) {
    write_file(target, fresh_plots / name, content);
    if (after_each_file) after_each_file(std::string(plots_dir_name) + "/" + name);
  }
  sync_directory(fresh_plots);
  sync_directory(fresh.path());

  if (!exists) {
    if (::rename(fresh.path().c_str(), target.c_str()) != 0) fail(target, "cannot install the new report: " + errno_text(errno));
    fresh.release();
  } else if (!fs::is_symlink(status) && !is_current_directory(target) && holds_only_report_files(target)) {
    swap_directories(fresh.path(), target);  // fresh now holds the previous report; TempDir removes it
  } else {
    // Other files live here (or it is a symlink or the working directory): keep them, replace ours one by
    // one (plots/ first, as a whole: index.html links it), report.json (the canonical file) last.
    if (fs::exists(plots_status)) swap_directories(fresh_plots, target_plots);  // fresh_plots: the old plots, removed with fresh
    else if (::rename(fresh_plots.c_str(), target_plots.c_str()) != 0)
      fail(target, "cannot install " + target_plots.string() + ": " + errno_text(errno));
    for (auto it = files.rbegin(); it != files.rend(); ++it) {
      const auto& name = it->first;
      if (name == "report.json") continue;
      if (::rename((fresh.path() / name).c_str(), (target / name).c_str()) != 0)
        fail(target, "cannot install " + name + ": " + errno_text(errno));
    }
    if (::rename((fresh.path() / "report.json").c_str(), (target / "report.json").c_str()) != 0)
      fail(target, "cannot install report.json: " + errno_text(errno));
  }
  sync_directory(target.parent_path());
}

const std::vector<std::string>& report_formats() {
  static const std::vector<std::string> formats = {"md", "junit", "html", "csv", "latex"};
  return formats;
}

std::string report_formats_text() {
  const auto& f = report_formats();
  std::string out;
  for (std::size_t i = 0; i < f.size(); ++i) out += (i == 0 ? "" : i + 1 == f.size() ? " or " : ", ") + f[i];
  return out;
}

std::string render_format(const nlohmann::json& report, const std::string& format) {
  const auto& f = report_formats();
  if (std::find(f.begin(), f.end(), format) == f.end())
    throw InputError("format", format, "unknown report format; expected " + report_formats_text());
  validate_report(report);
  if (format == "md") return render_markdown(report);
  if (format == "junit") return render_junit(report);
  if (format == "csv") return render_csv(report);
  if (format == "latex") return render_latex(report);
  return render_html(report);
}

nlohmann::json read_report_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("report", path, "cannot open: " + errno_text(errno));
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json report = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (report.is_discarded()) throw InputError("report", path, "not valid JSON");
  validate_report(report);
  return report;
}

}  // namespace diffbound
