#include "verify/toml_reader.hpp"

#include <cfloat>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace diffbound {

TomlSource TomlSource::from_text(std::string path, const std::string& text) {
  TomlSource s;
  s.path = std::move(path);
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) s.lines.push_back(line);
  return s;
}

toml::table parse_toml_text(const std::string& text, const std::string& name, std::shared_ptr<TomlSource>& source) {
  source = std::make_shared<TomlSource>(TomlSource::from_text(name, text));
  try {
    return toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw InputError(name + ":" + std::to_string(b.line) + ":" + std::to_string(b.column), "(TOML syntax)",
                     std::string(e.description()));
  }
}

toml::table parse_toml_file(const std::string& path, std::shared_ptr<TomlSource>& source) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError("file", path, "is a directory, not a TOML file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("file", path, "cannot be opened");
  std::stringstream buf;
  buf << in.rdbuf();
  return parse_toml_text(buf.str(), path, source);
}

std::string describe(const toml::node& node) {
  std::ostringstream out;
  node.visit([&](const auto& v) {
    if constexpr (toml::is_string<decltype(v)>) out << '"' << v.get() << '"';
    else out << v;
  });
  return out.str();
}

namespace {

std::string shortest(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string source_slice(const toml::node& node, const TomlSource& source) {
  const auto& r = node.source();
  if (r.begin.line == 0 || r.begin.line != r.end.line || r.begin.line > source.lines.size()) return {};
  const std::string& line = source.lines[r.begin.line - 1];
  if (r.end.column <= r.begin.column || r.end.column - 1 > line.size()) return {};
  return line.substr(r.begin.column - 1, r.end.column - r.begin.column);
}

}  // namespace

std::string decimal_text(const toml::node& node, const std::string& field, const TomlSource& source) {
  if (source.overrides && (node.is_integer() || node.is_floating_point())) {
    auto it = source.overrides->find(field);
    if (it != source.overrides->end()) return it->second;
  }
  if (node.is_integer()) return std::to_string(node.as_integer()->get());
  if (!node.is_floating_point()) throw InputError(field, describe(node), "must be a number");
  const double v = node.as_floating_point()->get();
  if (!std::isfinite(v)) throw InputError(field, describe(node), "must be a finite number (NaN and infinity are not allowed)");
  std::string text = source_slice(node, source);
  std::string clean;
  for (char c : text)
    if (c != '_' && c != '+') clean += c;
  // Accept the source text only if it is the same number (guards against a stale source map).
  double check;
  auto res = std::from_chars(clean.data(), clean.data() + clean.size(), check);
  // A nonzero number below the normal double range (1e-400 parses as 0, 1e-310 as a subnormal) would
  // mean different numbers in double and in MPFR: refused rather than echoed as 0.
  const bool parsed_whole = !clean.empty() && res.ptr == clean.data() + clean.size();
  if ((parsed_whole && res.ec == std::errc::result_out_of_range) || (v != 0 && std::abs(v) < DBL_MIN))
    throw InputError(field, parsed_whole ? clean : shortest(v),
                     "a nonzero number must be at least 2.2250738585072014e-308 in magnitude (the smallest normal "
                     "double; smaller ones read as 0 or lose their digits in double precision); write 0 if 0 is meant");
  if (!parsed_whole || res.ec != std::errc() || check != v) return shortest(v);
  return clean;
}

void record_decimal_texts(const toml::node& node, const std::string& field, const TomlSource& source,
                          std::map<std::string, std::string>& out) {
  if (node.is_integer() || node.is_floating_point()) {
    const double v = node.is_integer() ? static_cast<double>(node.as_integer()->get()) : node.as_floating_point()->get();
    if (std::isfinite(v)) out[field] = decimal_text(node, field, source);
  } else if (const toml::array* a = node.as_array()) {
    for (std::size_t i = 0; i < a->size(); ++i) record_decimal_texts(*a->get(i), field + "[" + std::to_string(i) + "]", source, out);
  } else if (const toml::table* t = node.as_table()) {
    for (const auto& [k, v] : *t) record_decimal_texts(v, field + "." + std::string(k.str()), source, out);
  }
}

std::string TableReader::string(const std::string& key, const std::string& fallback) const {
  const toml::node* n = table_.get(key);
  if (!n) return fallback;
  if (!n->is_string()) throw InputError(field(key), describe(*n), "must be a string");
  return n->as_string()->get();
}

std::string TableReader::choice(const std::string& key, const std::string& fallback, const std::vector<std::string>& allowed) const {
  std::string v = string(key, fallback);
  for (const auto& a : allowed)
    if (a == v) return v;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + ("\"" + a + "\"");
  throw InputError(field(key), "\"" + v + "\"", "unknown value; expected one of " + list);
}

long TableReader::integer(const std::string& key, long fallback) const {
  const toml::node* n = table_.get(key);
  if (!n) return fallback;
  if (n->is_integer()) return static_cast<long>(n->as_integer()->get());
  if (n->is_floating_point()) {
    const double v = n->as_floating_point()->get();
    if (std::isfinite(v) && v == std::floor(v) && std::abs(v) < 9e15) return static_cast<long>(v);
  }
  throw InputError(field(key), describe(*n), "must be an integer");
}

long TableReader::required_integer(const std::string& key) const {
  if (!has(key)) throw InputError(field(key), "(missing)", "is required");
  return integer(key, 0);
}

bool TableReader::boolean(const std::string& key, bool fallback) const {
  const toml::node* n = table_.get(key);
  if (!n) return fallback;
  if (!n->is_boolean()) throw InputError(field(key), describe(*n), "must be true or false");
  return n->as_boolean()->get();
}

std::string TableReader::number(const std::string& key, const std::string& fallback) const {
  const toml::node* n = table_.get(key);
  if (!n) return fallback;
  return decimal_text(*n, field(key), source_);
}

std::vector<std::string> TableReader::numbers(const std::string& key) const {
  const toml::node* n = table_.get(key);
  if (!n) return {};
  const toml::array* a = n->as_array();
  if (!a) throw InputError(field(key), describe(*n), "must be an array of numbers");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < a->size(); ++i) out.push_back(decimal_text(*a->get(i), field(key) + "[" + std::to_string(i) + "]", source_));
  return out;
}

std::vector<std::string> TableReader::number_or_numbers(const std::string& key, const std::string& fallback) const {
  const toml::node* n = table_.get(key);
  if (!n) return {fallback};
  if (n->is_array()) return numbers(key);
  return {decimal_text(*n, field(key), source_)};
}

std::vector<std::vector<std::string>> TableReader::matrix(const std::string& key) const {
  const toml::node* n = table_.get(key);
  if (!n) return {};
  const toml::array* a = n->as_array();
  if (!a) throw InputError(field(key), describe(*n), "must be an array of rows (arrays of numbers)");
  std::vector<std::vector<std::string>> out;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const toml::array* row = a->get(i)->as_array();
    const std::string f = field(key) + "[" + std::to_string(i) + "]";
    if (!row) throw InputError(f, describe(*a->get(i)), "must be an array of numbers");
    std::vector<std::string> r;
    for (std::size_t j = 0; j < row->size(); ++j) r.push_back(decimal_text(*row->get(j), f + "[" + std::to_string(j) + "]", source_));
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> TableReader::strings(const std::string& key) const {
  const toml::node* n = table_.get(key);
  if (!n) return {};
  if (n->is_string()) return {n->as_string()->get()};
  const toml::array* a = n->as_array();
  if (!a) throw InputError(field(key), describe(*n), "must be a string or an array of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < a->size(); ++i) {
    if (!a->get(i)->is_string()) throw InputError(field(key) + "[" + std::to_string(i) + "]", describe(*a->get(i)), "must be a string");
    out.push_back(a->get(i)->as_string()->get());
  }
  return out;
}

const toml::table* TableReader::subtable(const std::string& key) const {
  const toml::node* n = table_.get(key);
  if (!n) return nullptr;
  if (!n->is_table()) throw InputError(field(key), describe(*n), "must be a table");
  return n->as_table();
}

namespace {

std::string written_text(const toml::node& node, const std::string& field, const TomlSource& source) {
  if (node.is_integer() || node.is_floating_point()) {
    try {
      return decimal_text(node, field, source);
    } catch (const InputError&) {
      return describe(node);
    }
  }
  if (const toml::array* a = node.as_array()) {
    std::string s = "[";
    for (std::size_t i = 0; i < a->size(); ++i)
      s += (i ? ", " : "") + written_text(*a->get(i), field + "[" + std::to_string(i) + "]", source);
    return s + "]";
  }
  return describe(node);
}

}  // namespace

std::string TableReader::written(const std::string& key) const {
  const toml::node* n = table_.get(key);
  return n ? written_text(*n, field(key), source_) : "(missing)";
}

void TableReader::reject_unused(const std::string& selector, const std::string& kind, const std::vector<KindKeys>& table) const {
  const std::set<std::string>* uses = nullptr;
  for (const auto& row : table)
    if (row.kind == kind) uses = &row.keys;
  for (const auto& row : table)
    for (const auto& key : row.keys) {
      if (!has(key) || (uses && uses->count(key))) continue;
      std::string readers;  // the kinds that do read it, for the message
      for (const auto& r : table)
        if (r.keys.count(key)) readers += (readers.empty() ? "" : ", ") + ("\"" + r.kind + "\"");
      throw InputError(field(key), written(key),
                       "is not used by " + selector + " = \"" + kind + "\" (only " + selector + " = " + readers + " reads it)");
    }
}

void TableReader::reject_unknown(const std::set<std::string>& known) const {
  for (const auto& [k, v] : table_) {
    const std::string key(k.str());
    if (known.count(key)) continue;
    std::string list;
    for (const auto& a : known) list += (list.empty() ? "" : ", ") + a;
    throw InputError(field(key), describe(v), "unknown key (known keys here: " + list + ")");
  }
}

}  // namespace diffbound
