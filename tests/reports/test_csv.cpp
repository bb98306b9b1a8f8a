#include "reports/csv.hpp"

#include "numerics/input_error.hpp"
#include "reports/render.hpp"
#include "report_fixture.hpp"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <vector>

namespace diffbound {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// A strict RFC 4180 reader: records end with CRLF; a quoted field may hold anything, "" is a quote;
// a quote inside an unquoted field or text after a closing quote is an error.
Rows parse_csv(const std::string& text) {
  Rows rows(1, std::vector<std::string>(1));
  std::size_t i = 0;
  while (i < text.size()) {
    std::string& field = rows.back().back();
    if (text[i] == '"') {
      if (!field.empty()) throw std::runtime_error("quote inside an unquoted field at " + std::to_string(i));
      for (++i;; ++i) {
        if (i >= text.size()) throw std::runtime_error("unterminated quoted field");
        if (text[i] == '"' && i + 1 < text.size() && text[i + 1] == '"') { field += '"'; ++i; }
        else if (text[i] == '"') { ++i; break; }
        else field += text[i];
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\r') throw std::runtime_error("text after a closing quote at " + std::to_string(i));
      continue;
    }
    if (text[i] == ',') { rows.back().emplace_back(); ++i; }
    else if (text[i] == '\r') {
      if (i + 1 >= text.size() || text[i + 1] != '\n') throw std::runtime_error("bare CR at " + std::to_string(i));
      i += 2;
      if (i < text.size()) rows.emplace_back(1);
    } else if (text[i] == '\n') throw std::runtime_error("bare LF at " + std::to_string(i));
    else field += text[i++];
  }
  return rows;
}

// Rows as maps from header names.
std::vector<std::map<std::string, std::string>> records(const std::string& text) {
  const Rows rows = parse_csv(text);
  std::vector<std::map<std::string, std::string>> out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    EXPECT_EQ(rows[r].size(), rows[0].size()) << "row " << r;
    std::map<std::string, std::string> m;
    for (std::size_t k = 0; k < rows[0].size() && k < rows[r].size(); ++k) m[rows[0][k]] = rows[r][k];
    out.push_back(m);
  }
  return out;
}

TEST(report_csv, FieldsAreQuotedPerRfc4180) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("bell\x07"), "bell\xEF\xBF\xBD");  // control characters cannot reach a spreadsheet
}

TEST(report_csv, OneRowPerCaseAndCheckWithHostileTextRoundTripping) {
  auto report = test::fixture_report();
  const std::string hostile = "mean=1,5 \"quoted\"\nsecond line\r\nthird";
  report["cases"][0]["label"] = hostile;
  const std::string text = render_csv(report);
  const auto rows = records(text);
  std::size_t expected = 0;
  for (const auto& c : report["cases"]) expected += std::max<std::size_t>(1, c["checks"].size());
  ASSERT_EQ(rows.size(), expected);
  EXPECT_EQ(rows[0].at("label"), hostile);
  EXPECT_EQ(rows[0].at("case"), "smoke/0");
  EXPECT_EQ(rows[0].at("suite"), "smoke");
  EXPECT_EQ(rows[0].at("bound"), "chain-rule");
  EXPECT_EQ(rows[0].at("verdict"), "pass");
  EXPECT_EQ(rows[1].at("bound"), "forward-contraction");
  EXPECT_EQ(rows[1].at("measured"), "E_T");
  EXPECT_EQ(rows[1].at("label"), hostile);
}

TEST(report_csv, ExactDigitsArePreserved) {
  auto report = test::fixture_report();
  auto& kl = report["cases"][0]["exact"]["kl"];
  kl["value_str"] = "0.00123400000000000012345678901234567890";
  kl["lo_str"] = "0.00123399999999999999";
  kl.erase("hi_str");
  kl["hi"] = 0.0012340000000000003;  // no companion: the stored double's shortest round-trip text
  report["cases"][0]["checks"][0]["bound_value"]["value_str"] = "1.9700711140170469938888793522433e+434";
  const auto rows = records(render_csv(report));
  EXPECT_EQ(rows[0].at("kl"), "0.00123400000000000012345678901234567890");
  EXPECT_EQ(rows[0].at("kl_lo"), "0.00123399999999999999");
  EXPECT_EQ(rows[0].at("kl_hi"), "0.0012340000000000003");
  EXPECT_EQ(rows[0].at("bound_value"), "1.9700711140170469938888793522433e+434");
  EXPECT_EQ(rows[0].at("tv_hi"), "0.024839484696748442");
  EXPECT_EQ(rows[0].at("measured_value"), "0.001234");
}

TEST(report_csv, EverySweptKeyOfTheReportIsAColumn) {
  auto report = test::fixture_report();
  report["cases"][0]["swept"] = {{"schedule.steps", "100"}};
  report["cases"][3]["swept"] = {{"target.mean", "1.5"}, {"schedule.steps", "10"}};
  EXPECT_EQ(swept_keys(report), (std::vector<std::string>{"schedule.steps", "target.mean"}));
  const Rows rows = parse_csv(render_csv(report));
  const auto& header = rows[0];
  ASSERT_GE(header.size(), 5u);
  EXPECT_EQ(header[3], "schedule.steps");
  EXPECT_EQ(header[4], "target.mean");
  const auto recs = records(render_csv(report));
  for (const auto& r : recs) {
    if (r.at("case") == "smoke/0") {
      EXPECT_EQ(r.at("schedule.steps"), "100");
      EXPECT_EQ(r.at("target.mean"), "");  // a case without the key: empty
    }
    if (r.at("case") == "ddpm-rates/0") {
      EXPECT_EQ(r.at("schedule.steps"), "10");
      EXPECT_EQ(r.at("target.mean"), "1.5");
    }
    if (r.at("case") == "smoke/1") {
      EXPECT_EQ(r.at("schedule.steps"), "");
    }
  }
}

TEST(report_csv, ACaseThatFailedGetsOneRowWithItsError) {
  auto report = test::fixture_report();
  report["cases"][2]["error"] = "suites/x.toml: case smoke/2: target.kappa = -1: must be positive";
  report["cases"][2]["checks"] = nlohmann::json::array();
  report["cases"][2]["exact"] = nullptr;
  const auto rows = records(render_csv(report));
  std::size_t n = 0;
  for (const auto& r : rows)
    if (r.at("case") == "smoke/2") {
      ++n;
      EXPECT_EQ(r.at("error"), "suites/x.toml: case smoke/2: target.kappa = -1: must be positive");
      EXPECT_EQ(r.at("bound"), "");
      EXPECT_EQ(r.at("kl"), "");
    }
  EXPECT_EQ(n, 1u);
}

TEST(report_csv, RenderFormatKnowsCsvAndLatexAndNamesTheRest) {
  const auto report = test::fixture_report();
  EXPECT_EQ(render_format(report, "csv"), render_csv(report));
  try {
    render_format(report, "xlsx");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "format");
    EXPECT_NE(std::string(e.what()).find("md, junit, html, csv or latex"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace diffbound
