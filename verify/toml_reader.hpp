// Strict reading of TOML tables: every key must be known, every value of the expected type, and
// every error names the field (dotted path) and the offending value.
#pragma once

#include "numerics/input_error.hpp"

#include <toml++/toml.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace diffbound {

// The text of the file being read: numbers are taken from their source text so the decimal the user
// wrote (not its binary rounding) reaches the multi-precision engines.
struct TomlSource {
  std::string path;
  std::vector<std::string> lines;
  // Decimal texts by field name, for tables built by copying nodes (suite expansion), whose copies
  // no longer know where in the file they came from.
  const std::map<std::string, std::string>* overrides = nullptr;
  static TomlSource from_text(std::string path, const std::string& text);
};

// Parses a TOML file; syntax errors become InputError with line and column.
toml::table parse_toml_file(const std::string& path, std::shared_ptr<TomlSource>& source);
toml::table parse_toml_text(const std::string& text, const std::string& name, std::shared_ptr<TomlSource>& source);

// The keys one kind of a table reads (beyond the keys every kind reads): one row per kind.
struct KindKeys {
  std::string kind;
  std::set<std::string> keys;
};

class TableReader {
public:
  TableReader(const toml::table& table, std::string prefix, const TomlSource& source)
      : table_(table), prefix_(std::move(prefix)), source_(source) {}

  bool has(const std::string& key) const { return table_.contains(key); }
  std::string field(const std::string& key) const { return prefix_.empty() ? key : prefix_ + "." + key; }
  const toml::node* node(const std::string& key) const { return table_.get(key); }
  // The value of `key` for messages, numbers as their decimal text ("0.1", not 0.10000000000000001).
  std::string written(const std::string& key) const;

  std::string string(const std::string& key, const std::string& fallback) const;
  std::string choice(const std::string& key, const std::string& fallback, const std::vector<std::string>& allowed) const;
  long integer(const std::string& key, long fallback) const;
  long required_integer(const std::string& key) const;
  bool boolean(const std::string& key, bool fallback) const;
  std::string number(const std::string& key, const std::string& fallback) const;  // decimal text
  std::vector<std::string> numbers(const std::string& key) const;                 // array of numbers
  std::vector<std::string> number_or_numbers(const std::string& key, const std::string& fallback) const;
  std::vector<std::vector<std::string>> matrix(const std::string& key) const;
  std::vector<std::string> strings(const std::string& key) const;
  const toml::table* subtable(const std::string& key) const;
  // Throws on any key not in `known`, naming it (and the known keys).
  void reject_unknown(const std::set<std::string>& known) const;
  // Throws on a key that another kind of this table reads but `kind` (the value of `selector`) does
  // not: such a key would otherwise be accepted and dropped. `table` lists, per kind, the keys it
  // reads beyond those every kind reads.
  void reject_unused(const std::string& selector, const std::string& kind, const std::vector<KindKeys>& table) const;

  const TomlSource& source() const { return source_; }
  const std::string& prefix() const { return prefix_; }

private:
  const toml::table& table_;
  std::string prefix_;
  const TomlSource& source_;
};

// Decimal text of a numeric node (source text with underscores removed), or InputError.
std::string decimal_text(const toml::node& node, const std::string& field, const TomlSource& source);
std::string describe(const toml::node& node);  // the value as written, for error messages
// Records the decimal text of every number below `node` under its field name ("f.key[2]").
void record_decimal_texts(const toml::node& node, const std::string& field, const TomlSource& source,
                          std::map<std::string, std::string>& out);

}  // namespace diffbound
