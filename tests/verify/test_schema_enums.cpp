// docs/report.schema.json and docs/kl.schema.json name the words report.json and kl --json write; they
// are the C++ tables' names, and this test keeps them equal so the schema cannot drift from the code.
#include "bounds/bound.hpp"
#include "numerics/case_kinds.hpp"
#include "numerics/enclosure.hpp"
#include "verify/verdict.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <string>

namespace diffbound {
namespace {

nlohmann::json schema(const std::string& name) {
  std::ifstream in(std::string(DIFFBOUND_SOURCE_DIR) + "/docs/" + name);
  EXPECT_TRUE(in) << name;
  return nlohmann::json::parse(in);
}

std::set<std::string> enum_at(const nlohmann::json& s, const std::string& pointer) {
  const auto& e = s.at(nlohmann::json::json_pointer(pointer)).at("enum");
  std::set<std::string> out;
  for (const auto& v : e) out.insert(v.get<std::string>());
  EXPECT_EQ(out.size(), e.size()) << pointer << ": duplicates";
  return out;
}

template <class Table> std::set<std::string> names(const Table& t) {
  std::set<std::string> out;
  for (const auto& row : t) out.insert(std::string(row.name));
  return out;
}

template <class E> std::set<std::string> names_upto(E last) {
  std::set<std::string> out;
  for (int i = 0; i <= static_cast<int>(last); ++i) out.insert(std::string(to_string(static_cast<E>(i))));
  return out;
}

TEST(schema_enums, ReportSchemaNamesTheTablesWords) {
  const auto s = schema("report.schema.json");
  EXPECT_EQ(enum_at(s, "/$defs/verdict"), names(verdict_table));
  EXPECT_EQ(enum_at(s, "/$defs/reason"), names(reason_table));
  EXPECT_EQ(enum_at(s, "/$defs/provenance"), names(provenance_table));
  // report.json writes "none" for a point value (verify/report_json.cpp)
  std::set<std::string> enclosures;
  for (auto k : {EnclosureKind::certified, EnclosureKind::estimated, EnclosureKind::point})
    enclosures.insert(k == EnclosureKind::point ? "none" : std::string(to_string(k)));
  EXPECT_EQ(enum_at(s, "/$defs/enclosure_kind"), enclosures);
  EXPECT_EQ(enum_at(s, "/$defs/bound_kind"), names_upto(BoundKind::rate));
  auto check_kinds = names_upto(BoundKind::rate);
  check_kinds.insert("regression");  // the --baseline check
  EXPECT_EQ(enum_at(s, "/$defs/check_kind"), check_kinds);
  EXPECT_EQ(enum_at(s, "/$defs/metric"), names_upto(Metric::W2));
  EXPECT_EQ(enum_at(s, "/$defs/measured"), names_upto(Measured::w2));
}

TEST(schema_enums, KlSchemaNamesTheCaseTablesWords) {
  const auto s = schema("kl.schema.json");
  const std::string c = "/$defs/case/properties";
  EXPECT_EQ(enum_at(s, c + "/schedule/properties/kind"), names(schedule_table));
  EXPECT_EQ(enum_at(s, c + "/sampler/properties/kind"), names(sampler_table));
  EXPECT_EQ(enum_at(s, c + "/sampler/properties/variance"), names(variance_table));
  EXPECT_EQ(enum_at(s, c + "/sampler/properties/init"), names(init_table));
  EXPECT_EQ(enum_at(s, c + "/score/properties/kind"), names(score_table));
  EXPECT_EQ(enum_at(s, c + "/numerics/properties/precision"), names(precision_table));
  EXPECT_EQ(enum_at(s, c + "/numerics/properties/engine"), names(engine_table));
  EXPECT_EQ(enum_at(s, "/$defs/target/properties/family"), names(family_table));
}

}  // namespace
}  // namespace diffbound
