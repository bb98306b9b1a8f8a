// Shared by the reports tests: the fixture report, a synthetic large report, and a small strict XML
// parser (well-formedness plus a tree to count elements and read decoded attributes).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace diffbound::test {

// tests/reports/fixtures/report.json
nlohmann::json fixture_report();

// A report with n cases in one suite: every 10th check fails, every 7th is inconclusive.
nlohmann::json synthetic_report(std::size_t n);

struct XmlNode {
  std::string name;
  std::map<std::string, std::string> attributes;  // decoded
  std::vector<std::unique_ptr<XmlNode>> children;
  std::string text;  // decoded character data directly inside this element

  std::vector<const XmlNode*> all(const std::string& element) const;  // descendants named element, document order
  const XmlNode* child(const std::string& element) const;             // first direct child named element
  std::string attr(const std::string& key) const;                     // "" when absent
};

// Parses an XML 1.0 document (declaration, comments, one root element, entities and character references).
// Throws std::runtime_error with the byte offset on anything not well-formed, including control
// characters, unknown entities, raw '<' or '&', mismatched tags and duplicate attributes.
std::unique_ptr<XmlNode> parse_xml(const std::string& text);

std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);

// A fresh empty directory under the system temp dir, removed at destruction.
class ScratchDir {
public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

private:
  std::string path_;
};

// Runs a shell command; returns its exit status (-1 when it could not run).
int run(const std::string& command);

}  // namespace diffbound::test
