#include "numerics/enclosure.hpp"

#include <stdexcept>
#include <string>

namespace diffbound {

std::string_view to_string(EnclosureKind k) {
  switch (k) {
    case EnclosureKind::certified: return "certified";
    case EnclosureKind::estimated: return "estimated";
    case EnclosureKind::point: return "point";
  }
  return "point";
}

std::string_view to_string(Engine e) {
  switch (e) {
    case Engine::gaussian_fast: return "fast";
    case Engine::gaussian_dense: return "dense";
    case Engine::continuous_time: return "continuous";
    case Engine::mixture: return "mixture";
  }
  return "fast";
}

Engine parse_engine_path(std::string_view path) {
  for (Engine e : {Engine::gaussian_fast, Engine::gaussian_dense, Engine::continuous_time, Engine::mixture})
    if (to_string(e) == path) return e;
  throw std::logic_error("unknown engine path \"" + std::string(path) + "\"");
}

}  // namespace diffbound
