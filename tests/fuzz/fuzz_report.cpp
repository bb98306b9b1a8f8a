// Fuzz target: the report.json reader (reports/render.hpp read_report_file: parse + validate_report)
// and every renderer that reads a report: Markdown, JUnit XML, HTML, CSV, LaTeX, the GitHub annotations
// and the terminal table. A report
// that passes validation must render without any other exception.
#include "fuzz_target.hpp"

#include "numerics/input_error.hpp"
#include "reports/github.hpp"
#include "reports/render.hpp"
#include "reports/report_view.hpp"
#include "reports/terminal.hpp"

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The same steps as read_report_file, without the file: a parse failure is its "not valid JSON".
  const nlohmann::json report = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (report.is_discarded()) return 0;
  try {
    diffbound::validate_report(report);
  } catch (const diffbound::InputError&) {
    return 0;
  }
  for (const auto& format : diffbound::report_formats()) (void)diffbound::render_format(report, format);
  (void)diffbound::render_github_annotations(report);
  (void)diffbound::render_terminal_table(report, false);
  (void)diffbound::render_terminal_table(report, true);
  return 0;
}
