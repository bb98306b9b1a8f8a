#include "reports/escape.hpp"

#include <cstdint>

namespace diffbound {

namespace {
constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

// Decodes one UTF-8 sequence at text[i]; returns its length, or 0 when it is invalid (overlong,
// surrogate, out of range or truncated).
std::size_t utf8_sequence(std::string_view text, std::size_t i, std::uint32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  std::size_t len = 0;
  if (b0 < 0x80) { cp = b0; return 1; }
  if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1F; }
  else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0F; }
  else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07; }
  else return 0;
  if (i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr std::uint32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// Walks valid code points, calling emit(code point, its bytes); invalid bytes arrive as (0xFFFD, U+FFFD).
template <class Emit>
void for_each_code_point(std::string_view text, Emit&& emit) {
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = 0;
    const std::size_t len = utf8_sequence(text, i, cp);
    if (len == 0) { emit(0xFFFDu, replacement); ++i; continue; }
    emit(cp, text.substr(i, len));
    i += len;
  }
}
}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for_each_code_point(text, [&](std::uint32_t cp, std::string_view bytes) {
    switch (cp) {
      case '&': out += "&amp;"; return;
      case '<': out += "&lt;"; return;
      case '>': out += "&gt;"; return;
      case '"': out += "&quot;"; return;
      case '\'': out += "&#39;"; return;
      case '\t': out += "&#9;"; return;
      case '\n': out += "&#10;"; return;
      case '\r': out += "&#13;"; return;
      default: break;
    }
    // Not allowed in XML 1.0 documents, not even as character references.
    if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF) { out += replacement; return; }
    out += bytes;
  });
  return out;
}

std::string markdown_cell(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for_each_code_point(text, [&](std::uint32_t cp, std::string_view bytes) {
    switch (cp) {
      case '|': out += "\\|"; return;
      case '<': out += "&lt;"; return;  // the only character that can open raw HTML
      case '\n': case '\r': case '\t': out += ' '; return;
      default: break;
    }
    if (cp < 0x20 || cp == 0x7F) return;
    out += bytes;
  });
  return out;
}

std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for_each_code_point(text, [&](std::uint32_t cp, std::string_view bytes) {
    if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F) { out += replacement; return; }
    out += bytes;
  });
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t n = 0;
  for_each_code_point(text, [&](std::uint32_t, std::string_view) { ++n; });
  return n;
}

std::string truncate_display(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) return std::string(text);
  std::string out;
  std::size_t n = 0;
  for_each_code_point(text, [&](std::uint32_t, std::string_view bytes) {
    if (n + 1 < width) out += bytes;
    ++n;
  });
  if (width > 0) out += "\xE2\x80\xA6";  // …
  return out;
}

}  // namespace diffbound
