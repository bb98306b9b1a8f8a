#include "reports/junit.hpp"

#include "report_fixture.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

namespace diffbound {
namespace {

using test::XmlNode;

std::size_t count_children(const XmlNode& suite, const std::string& outcome) {
  std::size_t n = 0;
  for (const auto* t : suite.all("testcase")) n += t->child(outcome) != nullptr;
  return n;
}

// The counts in a <testsuite> or <testsuites> element agree with the testcases below it.
void expect_counts_match(const XmlNode& node) {
  EXPECT_EQ(node.attr("tests"), std::to_string(node.all("testcase").size())) << node.name << " " << node.attr("name");
  EXPECT_EQ(node.attr("failures"), std::to_string(count_children(node, "failure")));
  EXPECT_EQ(node.attr("errors"), std::to_string(count_children(node, "error")));
  EXPECT_EQ(node.attr("skipped"), std::to_string(count_children(node, "skipped")));
}

TEST(report_junit, WellFormedWithTheExpectedCounts) {
  const auto root = test::parse_xml(render_junit(test::fixture_report()));
  ASSERT_EQ(root->name, "testsuites");
  // 11 case checks + 1 case that could not be computed + 2 rate claims.
  EXPECT_EQ(root->attr("tests"), "14");
  EXPECT_EQ(root->attr("failures"), "2");
  EXPECT_EQ(root->attr("errors"), "1");
  EXPECT_EQ(root->attr("skipped"), "1");
  expect_counts_match(*root);
  const auto suites = root->all("testsuite");
  ASSERT_EQ(suites.size(), 2u);
  EXPECT_EQ(suites[0]->attr("name"), "smoke");
  EXPECT_EQ(suites[0]->attr("tests"), "5");
  EXPECT_EQ(suites[0]->attr("failures"), "1");
  EXPECT_EQ(suites[0]->attr("errors"), "1");
  EXPECT_EQ(suites[1]->attr("name"), "ddpm-rates");
  EXPECT_EQ(suites[1]->attr("tests"), "9");
  EXPECT_EQ(suites[1]->attr("failures"), "1");
  EXPECT_EQ(suites[1]->attr("skipped"), "1");
  for (const auto* s : suites) expect_counts_match(*s);
}

TEST(report_junit, TestcaseNamesAndFailureMessages) {
  const auto root = test::parse_xml(render_junit(test::fixture_report()));
  const XmlNode* failing = nullptr;
  for (const auto* t : root->all("testcase"))
    if (t->attr("name") == "half-chain @ d=64 T=100 kappa=1000 ddpm/theory perturbed") failing = t;
  ASSERT_NE(failing, nullptr);
  EXPECT_EQ(failing->attr("classname"), "smoke");
  const XmlNode* failure = failing->child("failure");
  ASSERT_NE(failure, nullptr);
  EXPECT_EQ(failure->attr("message"), "KL = 0.4093 > bound = 0.3812 at d = 64, T = 100, \xCE\xBA = 1e3");
  EXPECT_NE(failure->text.find("slack = -0.0281"), std::string::npos) << failure->text;

  bool saw_rate = false, saw_inconclusive = false, saw_error = false;
  for (const auto* t : root->all("testcase")) {
    if (t->attr("name") == "rate liang2024-accel in T @ d=3 kappa=10 ddpm/theory") {
      saw_rate = true;
      EXPECT_EQ(t->attr("classname"), "ddpm-rates");
      ASSERT_NE(t->child("failure"), nullptr);
      EXPECT_NE(t->child("failure")->attr("message").find("fitted exponent of KL/shape = 1.008 > tolerance 0.05"), std::string::npos);
    }
    if (t->attr("name") == "forward-contraction @ d=3 T=1000 kappa=10 ddpm/theory exact") {
      saw_inconclusive = true;
      ASSERT_NE(t->child("skipped"), nullptr);
      EXPECT_NE(t->child("skipped")->attr("message").find("overlaps bound"), std::string::npos);
    }
    if (t->child("error") != nullptr) {
      saw_error = true;
      EXPECT_NE(t->child("error")->attr("message").find("dimension too large"), std::string::npos);
    }
  }
  EXPECT_TRUE(saw_rate);
  EXPECT_TRUE(saw_inconclusive);
  EXPECT_TRUE(saw_error);
}

TEST(report_junit, SpecialCharactersAreEscaped) {
  auto report = test::fixture_report();
  const std::string nasty = "a&b<c>\"d'e\x01" "f\nnext";
  report["suites"][0]["name"] = nasty;
  for (auto& c : report["cases"])
    if (c["suite"] == "smoke") c["suite"] = nasty;
  report["cases"][1]["label"] = nasty;
  report["cases"][1]["checks"][1]["message"] = nasty + " ]]> </failure>";
  const std::string xml = render_junit(report);
  const auto root = test::parse_xml(xml);  // throws if anything broke the markup
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  const auto suites = root->all("testsuite");
  ASSERT_EQ(suites.size(), 2u);
  // Decoded back, the text is the original with the control character replaced.
  const std::string expected = "a&b<c>\"d'e\xEF\xBF\xBD" "f\nnext";
  EXPECT_EQ(suites[0]->attr("name"), expected);
  bool found = false;
  for (const auto* t : suites[0]->all("testcase"))
    if (t->child("failure") != nullptr && t->attr("name") == "half-chain @ " + expected) {
      found = true;
      EXPECT_EQ(t->child("failure")->attr("message"), expected + " ]]> </failure>");
    }
  EXPECT_TRUE(found);
  expect_counts_match(*root);
}

// GitLab keeps only the first of testcases sharing a name: names are unique within a report even when
// two cases share a label (the later ones get " #2", " #3", in report order).
TEST(report_junit, TestcaseNamesAreUnique) {
  auto report = test::fixture_report();
  for (auto& c : report["cases"]) c["label"] = "same";
  for (auto& r : report["rates"]) r["group"] = "same";
  const auto root = test::parse_xml(render_junit(report));
  std::map<std::string, int> names;
  for (const auto* t : root->all("testcase")) ++names[t->attr("name")];
  for (const auto& [name, n] : names) EXPECT_EQ(n, 1) << name;
  EXPECT_EQ(names.size(), root->all("testcase").size());
  EXPECT_TRUE(names.count("chain-rule @ same")) << "the first keeps its name";
  EXPECT_TRUE(names.count("chain-rule @ same #2"));
  // the same report gives the same names
  EXPECT_EQ(render_junit(report), render_junit(report));
}

// Each check's testcase carries the bound, its provenance, both numbers and the enclosure kind as
// <properties> (what GitLab and Jenkins show next to a test).
TEST(report_junit, TestcasesCarryTheCheckAsProperties) {
  auto report = test::fixture_report();
  for (auto& c : report["cases"])
    if (c.contains("checks"))
      for (auto& ch : c["checks"])
        if (ch["bound"] == "half-chain") {
          ch["enclosure"] = "certified";
          ch["provenance"] = "user";
        }
  const auto root = test::parse_xml(render_junit(report));
  std::size_t checked = 0;
  for (const auto* t : root->all("testcase")) {
    if (t->attr("name") != "half-chain @ d=64 T=100 kappa=1000 ddpm/theory perturbed") continue;
    const XmlNode* props = t->child("properties");
    ASSERT_NE(props, nullptr);
    std::map<std::string, std::string> p;
    for (const auto* q : props->all("property")) p[q->attr("name")] = q->attr("value");
    EXPECT_EQ(p["bound"], "half-chain");
    EXPECT_EQ(p["provenance"], "user");
    EXPECT_EQ(p["measured"].rfind("kl = 0.4093", 0), 0u) << p["measured"];
    EXPECT_NE(p["measured"].find(" in ["), std::string::npos) << p["measured"];
    EXPECT_EQ(p["bound_value"].rfind("0.3812", 0), 0u) << p["bound_value"];
    EXPECT_EQ(p["enclosure"], "certified");
    ++checked;
  }
  EXPECT_EQ(checked, 1u);
  for (const auto* t : root->all("testcase")) {
    if (t->attr("name").rfind("rate ", 0) != 0) continue;
    std::map<std::string, std::string> p;
    ASSERT_NE(t->child("properties"), nullptr) << t->attr("name");
    for (const auto* q : t->child("properties")->all("property")) p[q->attr("name")] = q->attr("value");
    EXPECT_FALSE(p["bound"].empty());
    EXPECT_EQ(p["variable"], "T");
    EXPECT_FALSE(p["fitted_exponent"].empty());
  }
}

TEST(report_junit, XmllintAcceptsIt) {
  if (!std::filesystem::exists("/usr/bin/xmllint")) GTEST_SKIP() << "xmllint not installed (scripts/install-deps installs libxml2-utils)";
  test::ScratchDir dir;
  auto report = test::fixture_report();
  report["cases"][0]["label"] = "x & y < z \x02 \"q\"";
  test::write_text(dir.path() + "/junit.xml", render_junit(report));
  EXPECT_EQ(test::run("/usr/bin/xmllint --noout '" + dir.path() + "/junit.xml'"), 0);
}

TEST(report_junit, ParserRejectsBrokenXml) {  // the checker above must be able to fail
  EXPECT_THROW(test::parse_xml("<a><b></a></b>"), std::runtime_error);
  EXPECT_THROW(test::parse_xml("<a x=\"1\" x=\"2\"/>"), std::runtime_error);
  EXPECT_THROW(test::parse_xml("<a>&nbsp;</a>"), std::runtime_error);
  EXPECT_THROW(test::parse_xml("<a>1 < 2</a>"), std::runtime_error);
  EXPECT_THROW(test::parse_xml("<a>\x01</a>"), std::runtime_error);
  EXPECT_THROW(test::parse_xml("<a/><b/>"), std::runtime_error);
  EXPECT_NO_THROW(test::parse_xml("<?xml version=\"1.0\"?>\n<a k='v &amp; &#10;'><b/>t&lt;</a>\n"));
}

}  // namespace
}  // namespace diffbound
