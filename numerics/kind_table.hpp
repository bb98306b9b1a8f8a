// Lookups over a kind table: a constexpr std::array of rows, each with `kind` (an enum value) and
// `name` (its case-file text), listed in enum order (numerics/case_kinds.hpp holds the tables).
#pragma once

#include <array>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace diffbound {

// A table lists every enumerator once, in declaration order, so a kind's row is its index.
template <class Row, std::size_t N> constexpr bool lists_every_kind_in_order(const std::array<Row, N>& table) {
  for (std::size_t i = 0; i < N; ++i)
    if (static_cast<std::size_t>(table[i].kind) != i) return false;
  return true;
}

template <class Row, std::size_t N> constexpr const Row& row_of(const std::array<Row, N>& table, decltype(Row::kind) kind) {
  return table[static_cast<std::size_t>(kind)];
}

// The row whose name is `name`, or nullptr.
template <class Row, std::size_t N> constexpr const Row* row_named(const std::array<Row, N>& table, std::string_view name) {
  for (const Row& row : table)
    if (row.name == name) return &row;
  return nullptr;
}

// The names of the rows `keep` accepts, in table order (the parser's list of accepted values).
template <class Row, std::size_t N, class Keep>
std::vector<std::string> names_of(const std::array<Row, N>& table, Keep keep) {
  std::vector<std::string> out;
  for (const Row& row : table)
    if (keep(row)) out.emplace_back(row.name);
  return out;
}
template <class Row, std::size_t N> std::vector<std::string> names_of(const std::array<Row, N>& table) {
  return names_of(table, [](const Row&) { return true; });
}

// Case-file keys a kind reads beyond those every kind of its table reads; unused slots are empty.
using KeyList = std::array<std::string_view, 5>;
inline std::set<std::string> keys_of(const KeyList& keys) {
  std::set<std::string> out;
  for (std::string_view k : keys)
    if (!k.empty()) out.emplace(k);
  return out;
}

// For tables whose rows are a name only.
template <class Kind> struct NameRow {
  Kind kind;
  std::string_view name;
};

}  // namespace diffbound
