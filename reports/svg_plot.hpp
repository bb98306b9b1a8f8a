// One entry of report.json's "plots" as an inline SVG log-log plot: decade ticks with labels, one
// polyline with markers per curve (exact curves solid, bound curves dashed), a legend and a title.
// Points that cannot go on a log scale (non-positive, infinite, null) are skipped and counted.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace diffbound {

// <svg class="plot" data-plot-id="..."> ... </svg>, every text escaped; no scripts, no external resources.
std::string render_svg_plot(const nlohmann::json& plot);

}  // namespace diffbound
