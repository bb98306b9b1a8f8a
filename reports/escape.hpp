// Escaping text for the report renderers: every string in report.json is untrusted (labels,
// messages and descriptions come from user suite files) and must not break the output format.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace diffbound {

// XML / HTML text and attribute values: & < > " ' become entities; tab, newline and carriage return
// become character references (so attribute values keep them); other control characters, which XML 1.0
// cannot represent at all, and invalid UTF-8 become U+FFFD.
std::string xml_escape(std::string_view text);

// Markdown table cells and list items: | is escaped, line breaks become spaces, < becomes &lt; (GitHub
// renders raw HTML in job summaries; "KL > bound" stays readable), control characters are dropped.
std::string markdown_cell(std::string_view text);

// Valid UTF-8 with control characters other than tab and newline replaced by U+FFFD (terminal output).
std::string sanitize_utf8(std::string_view text);

// Number of code points (the display width of text without wide characters).
std::size_t display_width(std::string_view text);

// At most `width` code points; the last one becomes "…" when text is cut.
std::string truncate_display(std::string_view text, std::size_t width);

}  // namespace diffbound
