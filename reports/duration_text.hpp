// Durations as people read them, in every report format and on the terminal.
#pragma once

#include <string>

namespace diffbound {

// Seconds as "12.3 s", "0.012 s", "2 min 5 s", "7.4 h", "2.1 days"; "n/a" when negative or not finite.
std::string duration_text(double seconds);

}  // namespace diffbound
