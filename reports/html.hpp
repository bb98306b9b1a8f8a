// index.html: report.json as one self-contained page (inline CSS, no scripts, no network, no external
// fonts): a header with summary badges, the failures, the rate claims, an SVG log-log plot per entry of
// "plots", the per-case table and the bounds used.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace diffbound {

// Throws InputError when `report` is not a diffbound-report/1 object. link_plot_files: each plot links
// its own file, plots/<name> (plot_file_names in reports/svg_plot.hpp), as `diffbound run` writes them.
std::string render_html(const nlohmann::json& report, bool link_plot_files = false);

}  // namespace diffbound
