#include "report_fixture.hpp"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>

namespace diffbound::test {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

nlohmann::json fixture_report() {
  return nlohmann::json::parse(read_text(std::string(DIFFBOUND_SOURCE_DIR) + "/tests/reports/fixtures/report.json"));
}

nlohmann::json synthetic_report(std::size_t n) {
  nlohmann::json r = fixture_report();
  const nlohmann::json proto = r["cases"][1];  // two checks, one of them failing in the fixture
  r["suites"] = nlohmann::json::array({{{"name", "big"}, {"description", "synthetic"}, {"file", "big.toml"}}});
  r["cases"] = nlohmann::json::array();
  std::size_t pass = 0, fail = 0, inconclusive = 0;
  for (std::size_t i = 0; i < n; ++i) {
    nlohmann::json c = proto;
    c["id"] = "big/" + std::to_string(i);
    c["suite"] = "big";
    c["index"] = i;
    c["label"] = "d=" + std::to_string(i % 97 + 1) + " T=" + std::to_string(10 * (i % 50 + 1)) + " kappa=1000 ddpm/theory | perturbed";
    for (std::size_t k = 0; k < c["checks"].size(); ++k) {
      const std::size_t j = 2 * i + k;
      const char* verdict = j % 10 == 0 ? "fail" : j % 7 == 0 ? "inconclusive" : "pass";
      c["checks"][k]["verdict"] = verdict;
      (j % 10 == 0 ? fail : j % 7 == 0 ? inconclusive : pass) += 1;
    }
    r["cases"].push_back(std::move(c));
  }
  for (auto& rate : r["rates"]) rate["suite"] = "big";
  r["summary"] = {{"cases", n}, {"checks", 2 * n + 2}, {"pass", pass + 1}, {"fail", fail + 1},
                  {"inconclusive", inconclusive}, {"exit_status", 1}};
  return r;
}

// --- XML ---------------------------------------------------------------------------------------------

std::vector<const XmlNode*> XmlNode::all(const std::string& element) const {
  std::vector<const XmlNode*> out;
  for (const auto& c : children) {
    if (c->name == element) out.push_back(c.get());
    for (const auto* d : c->all(element)) out.push_back(d);
  }
  return out;
}

const XmlNode* XmlNode::child(const std::string& element) const {
  for (const auto& c : children)
    if (c->name == element) return c.get();
  return nullptr;
}

std::string XmlNode::attr(const std::string& key) const {
  const auto it = attributes.find(key);
  return it == attributes.end() ? "" : it->second;
}

namespace {
class XmlParser {
public:
  explicit XmlParser(const std::string& s) : s_(s) {}

  std::unique_ptr<XmlNode> document() {
    check_characters();
    if (s_.compare(0, 5, "<?xml") == 0) {
      const auto end = s_.find("?>");
      if (end == std::string::npos) error("unterminated XML declaration");
      i_ = end + 2;
    }
    misc();
    if (peek() != '<') error("expected the root element");
    auto root = element();
    misc();
    if (i_ != s_.size()) error("content after the root element");
    return root;
  }

private:
  [[noreturn]] void error(const std::string& what) const {
    throw std::runtime_error("XML not well-formed at byte " + std::to_string(i_) + ": " + what + " near \"" +
                             s_.substr(i_ > 20 ? i_ - 20 : 0, 60) + "\"");
  }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool starts(const char* t) const { return s_.compare(i_, std::char_traits<char>::length(t), t) == 0; }
  static bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == ':' ||
           static_cast<unsigned char>(c) >= 0x80;
  }

  void check_characters() {
    for (i_ = 0; i_ < s_.size(); ++i_) {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') error("control character " + std::to_string(c));
    }
    i_ = 0;
  }
  void spaces() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  void misc() {
    for (;;) {
      spaces();
      if (starts("<!--")) {
        const auto end = s_.find("-->", i_ + 4);
        if (end == std::string::npos) error("unterminated comment");
        i_ = end + 3;
      } else {
        return;
      }
    }
  }
  std::string name() {
    const std::size_t start = i_;
    while (i_ < s_.size() && name_char(s_[i_])) ++i_;
    if (i_ == start || std::isdigit(static_cast<unsigned char>(s_[start])) || s_[start] == '-' || s_[start] == '.')
      error("expected a name");
    return s_.substr(start, i_ - start);
  }
  void append_utf8(std::string& out, unsigned long cp) {
    if (cp == 0 || (cp < 0x20 && cp != 9 && cp != 10 && cp != 13) || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
        cp == 0xFFFF || cp > 0x10FFFF)
      error("character reference to a character XML does not allow");
    if (cp < 0x80) out += static_cast<char>(cp);
    else if (cp < 0x800) { out += static_cast<char>(0xC0 | (cp >> 6)); out += static_cast<char>(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12)); out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18)); out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  // At '&': decodes one reference.
  void reference(std::string& out) {
    const auto end = s_.find(';', i_);
    if (end == std::string::npos || end - i_ > 12) error("unterminated entity reference");
    const std::string ref = s_.substr(i_ + 1, end - i_ - 1);
    static const std::map<std::string, std::string> named = {{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}};
    if (const auto it = named.find(ref); it != named.end()) out += it->second;
    else if (ref.size() > 1 && ref[0] == '#') {
      const bool hex = ref[1] == 'x';
      const std::string digits = ref.substr(hex ? 2 : 1);
      if (digits.empty() || digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") != std::string::npos)
        error("bad character reference &" + ref + ";");
      append_utf8(out, std::stoul(digits, nullptr, hex ? 16 : 10));
    } else {
      error("unknown entity &" + ref + ";");
    }
    i_ = end + 1;
  }
  std::unique_ptr<XmlNode> element() {
    ++i_;  // '<'
    auto node = std::make_unique<XmlNode>();
    node->name = name();
    for (;;) {
      const std::size_t before = i_;
      spaces();
      if (starts("/>")) { i_ += 2; return node; }
      if (peek() == '>') { ++i_; break; }
      if (i_ == before) error("expected whitespace before an attribute");
      const std::string key = name();
      spaces();
      if (peek() != '=') error("expected '=' after attribute " + key);
      ++i_;
      spaces();
      const char quote = peek();
      if (quote != '"' && quote != '\'') error("attribute value not quoted");
      ++i_;
      std::string value;
      while (peek() != quote) {
        if (i_ >= s_.size()) error("unterminated attribute value");
        if (peek() == '<') error("'<' in an attribute value");
        if (peek() == '&') reference(value);
        else value += s_[i_++];
      }
      ++i_;
      if (!node->attributes.emplace(key, value).second) error("duplicate attribute " + key);
    }
    for (;;) {  // content
      if (i_ >= s_.size()) error("unterminated element <" + node->name + ">");
      if (starts("</")) {
        i_ += 2;
        if (name() != node->name) error("mismatched end tag for <" + node->name + ">");
        spaces();
        if (peek() != '>') error("expected '>'");
        ++i_;
        return node;
      }
      if (starts("<!--")) {
        const auto end = s_.find("-->", i_ + 4);
        if (end == std::string::npos) error("unterminated comment");
        i_ = end + 3;
      } else if (starts("<![CDATA[")) {
        const auto end = s_.find("]]>", i_);
        if (end == std::string::npos) error("unterminated CDATA");
        node->text += s_.substr(i_ + 9, end - i_ - 9);
        i_ = end + 3;
      } else if (peek() == '<') {
        node->children.push_back(element());
      } else if (peek() == '&') {
        reference(node->text);
      } else {
        if (starts("]]>")) error("']]>' in character data");
        node->text += s_[i_++];
      }
    }
  }

  const std::string& s_;
  std::size_t i_ = 0;
};
}  // namespace

std::unique_ptr<XmlNode> parse_xml(const std::string& text) { return XmlParser(text).document(); }

ScratchDir::ScratchDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "diffbound-reports-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int run(const std::string& command) {
  const int status = std::system(command.c_str());
  if (status == -1 || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

}  // namespace diffbound::test
