// One entry of report.json's "plots" as an inline SVG log-log plot: decade ticks with labels, one
// polyline with markers per curve (exact curves solid, bound curves dashed), a legend and a title.
// Points that cannot go on a log scale (non-positive, infinite, null) are skipped and counted.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace diffbound {

// <svg class="plot" data-plot-id="..."> ... </svg>, every text escaped; no scripts, no external resources.
std::string render_svg_plot(const nlohmann::json& plot);

// The file names of report.json's "plots" under DIR/plots/, in order: "<id>_<title>.svg" reduced to
// [a-z0-9-_] (at most 100 characters before ".svg"), unique (a repeat gets "-2", "-3", ...) and the
// same for the same report.
std::vector<std::string> plot_file_names(const nlohmann::json& plots);

// A plot as a file of its own: an XML declaration, then render_svg_plot.
std::string render_svg_file(const nlohmann::json& plot);

}  // namespace diffbound
