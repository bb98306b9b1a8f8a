#include "reports/render.hpp"

#include "numerics/input_error.hpp"
#include "reports/html.hpp"
#include "reports/junit.hpp"
#include "reports/markdown.hpp"
#include "reports/svg_plot.hpp"
#include "reports/terminal.hpp"
#include "report_fixture.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <stdexcept>

namespace diffbound {
namespace {

namespace fs = std::filesystem;

// Name -> content of every file in a directory.
// Name -> content of every file in a directory and its subdirectories ("plots/x.svg").
std::map<std::string, std::string> snapshot(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = test::read_text(e.path().string());
  return out;
}

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

nlohmann::json second_report() {
  auto r = test::fixture_report();
  r["started"] = "2026-11-23T09:00:00Z";
  r["cases"][1]["checks"][1]["message"] = "second run";
  return r;
}

TEST(report_write_files, WritesTheFourFiles) {
  test::ScratchDir scratch;
  const std::string out = scratch.path() + "/nested/out";
  const auto report = test::fixture_report();
  write_report_files(report, out);
  EXPECT_EQ(entries(out), (std::vector<std::string>{"index.html", "junit.xml", "plots", "report.json", "report.md"}));
  EXPECT_EQ(nlohmann::json::parse(test::read_text(out + "/report.json")), report);
  EXPECT_EQ(test::read_text(out + "/report.md"), render_markdown(report));
  EXPECT_EQ(test::read_text(out + "/junit.xml"), render_junit(report));
  EXPECT_EQ(test::read_text(out + "/index.html"), render_html(report, /*link_plot_files=*/true));
  // every plot as a file of its own, named as index.html links it
  const auto names = plot_file_names(report["plots"]);
  ASSERT_EQ(names.size(), report["plots"].size());
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(entries(out + "/plots"), sorted);
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(test::read_text(out + "/plots/" + names[i]), render_svg_file(report["plots"][i]));
    EXPECT_NE(test::read_text(out + "/index.html").find("href=\"plots/" + names[i] + "\""), std::string::npos) << names[i];
  }
  EXPECT_EQ(entries(scratch.path() + "/nested"), std::vector<std::string>{"out"});  // no temporary left behind
}

TEST(report_write_files, ReplacesAPreviousReport) {
  test::ScratchDir scratch;
  const std::string out = scratch.path() + "/out";
  write_report_files(test::fixture_report(), out);
  write_report_files(second_report(), out + "/");
  EXPECT_EQ(nlohmann::json::parse(test::read_text(out + "/report.json")), second_report());
  EXPECT_NE(test::read_text(out + "/report.md").find("second run"), std::string::npos);
  EXPECT_EQ(entries(scratch.path()), std::vector<std::string>{"out"});
}

TEST(report_write_files, KeepsOtherFilesInTheDirectory) {
  test::ScratchDir scratch;
  const std::string out = scratch.path() + "/out";
  write_report_files(test::fixture_report(), out);
  test::write_text(out + "/notes.txt", "mine");
  write_report_files(second_report(), out);
  EXPECT_EQ(test::read_text(out + "/notes.txt"), "mine");
  // plots/ is replaced as a whole, the new report's plots in it
  EXPECT_EQ(entries(out + "/plots").size(), second_report()["plots"].size());
  EXPECT_EQ(test::read_text(out + "/plots/" + plot_file_names(second_report()["plots"])[0]), render_svg_file(second_report()["plots"][0]));
  EXPECT_EQ(nlohmann::json::parse(test::read_text(out + "/report.json")), second_report());
  EXPECT_EQ(entries(scratch.path()), std::vector<std::string>{"out"});
}

// The previous report survives a write interrupted after each of the files, byte for byte.
TEST(report_write_files, InterruptedWriteLeavesThePreviousReportIntact) {
  std::vector<std::string> stops = report_file_names();
  for (const auto& name : plot_file_names(test::fixture_report()["plots"])) stops.push_back("plots/" + name);
  for (const std::string& stop_after : stops) {
    test::ScratchDir scratch;
    const std::string out = scratch.path() + "/out";
    write_report_files(test::fixture_report(), out);
    const auto before = snapshot(out);
    const auto interrupt = [&](const std::string& name) {
      if (name == stop_after) throw std::runtime_error("interrupted after " + name);
    };
    EXPECT_THROW(write_report_files(second_report(), out, interrupt), std::runtime_error) << stop_after;
    EXPECT_EQ(snapshot(out), before) << stop_after;
    EXPECT_EQ(entries(scratch.path()), std::vector<std::string>{"out"}) << stop_after;
  }
}

TEST(report_write_files, InterruptedFirstWriteCreatesNothing) {
  test::ScratchDir scratch;
  const std::string out = scratch.path() + "/out";
  EXPECT_THROW(write_report_files(test::fixture_report(), out, [](const std::string& name) {
                 if (name == "junit.xml") throw std::runtime_error("disk full");
               }),
               std::runtime_error);
  EXPECT_TRUE(entries(scratch.path()).empty());
}

TEST(report_write_files, InvalidReportTouchesNothing) {
  test::ScratchDir scratch;
  const std::string out = scratch.path() + "/out";
  write_report_files(test::fixture_report(), out);
  const auto before = snapshot(out);
  auto bad = second_report();
  bad["format"] = "diffbound-report/0";
  EXPECT_THROW(write_report_files(bad, out), InputError);
  auto broken = second_report();
  broken["rates"] = 3;
  EXPECT_THROW(write_report_files(broken, out), InputError);
  EXPECT_EQ(snapshot(out), before);
  EXPECT_EQ(entries(scratch.path()), std::vector<std::string>{"out"});
}

TEST(report_write_files, TargetThatIsAFileIsAnErrorAndKept) {
  test::ScratchDir scratch;
  const std::string out = scratch.path() + "/out";
  test::write_text(out, "a file, not a directory");
  try {
    write_report_files(test::fixture_report(), out);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "out");
    EXPECT_NE(std::string(e.what()).find("not a directory"), std::string::npos);
  }
  EXPECT_EQ(test::read_text(out), "a file, not a directory");
  EXPECT_EQ(entries(scratch.path()), std::vector<std::string>{"out"});
}

// plots/ is the report's: a foreign file there stops the write before anything changes.
TEST(report_write_files, ForeignFileInPlotsIsAnErrorAndNothingChanges) {
  test::ScratchDir scratch;
  const std::string out = scratch.path() + "/out";
  write_report_files(test::fixture_report(), out);
  test::write_text(out + "/plots/mine.txt", "mine");
  const auto before = snapshot(out);
  try {
    write_report_files(second_report(), out);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "out");
    EXPECT_NE(std::string(e.what()).find("mine.txt"), std::string::npos) << e.what();
  }
  EXPECT_EQ(snapshot(out), before);
  EXPECT_EQ(entries(scratch.path()), std::vector<std::string>{"out"});
}

TEST(report_render_format, KnownFormats) {
  const auto report = test::fixture_report();
  EXPECT_EQ(render_format(report, "md"), render_markdown(report));
  EXPECT_EQ(render_format(report, "junit"), render_junit(report));
  EXPECT_EQ(render_format(report, "html"), render_html(report));
}

TEST(report_render_format, UnknownFormatNamesTheField) {
  try {
    render_format(test::fixture_report(), "pdf");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "format");
    EXPECT_EQ(e.value(), "pdf");
    EXPECT_NE(std::string(e.what()).find("md, junit, html, csv or latex"), std::string::npos);
  }
}

TEST(report_render_format, NotAReport) {
  const auto expect_error = [](const nlohmann::json& j, const std::string& field, const std::string& text) {
    try {
      render_format(j, "md");
      ADD_FAILURE() << "expected InputError for " << j.dump().substr(0, 80);
    } catch (const InputError& e) {
      EXPECT_EQ(e.field(), field);
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  };
  expect_error(nlohmann::json{{"kl", 1}}, "format", "diffbound-report/1");
  expect_error(nlohmann::json{{"format", "diffbound-report/2"}}, "format", "diffbound-report/1");
  expect_error(nlohmann::json::array(), "report", "JSON object");
  auto no_cases = test::fixture_report();
  no_cases.erase("cases");
  expect_error(no_cases, "cases", "expected an array");
}

TEST(report_read_file, ReadsAndValidates) {
  const std::string fixture = std::string(DIFFBOUND_SOURCE_DIR) + "/tests/reports/fixtures/report.json";
  EXPECT_EQ(read_report_file(fixture), test::fixture_report());
  test::ScratchDir scratch;
  test::write_text(scratch.path() + "/x.json", "{ not json");
  EXPECT_THROW(read_report_file(scratch.path() + "/x.json"), InputError);
  EXPECT_THROW(read_report_file(scratch.path() + "/missing.json"), InputError);
  test::write_text(scratch.path() + "/kl.json", R"({"format": "something-else"})");
  EXPECT_THROW(read_report_file(scratch.path() + "/kl.json"), InputError);
}

// The fixture itself is consistent: its summary counts are the verdicts it holds.
TEST(report_fixture, SummaryMatchesItsVerdicts) {
  const auto r = test::fixture_report();
  std::size_t pass = 0, fail = 0, inconclusive = 0, checks = 0;
  const auto add = [&](const nlohmann::json& v) {
    ++checks;
    pass += v == "pass";
    fail += v == "fail";
    inconclusive += v == "inconclusive";
  };
  for (const auto& c : r["cases"])
    for (const auto& check : c["checks"]) add(check["verdict"]);
  for (const auto& rate : r["rates"]) add(rate["verdict"]);
  EXPECT_EQ(r["summary"]["cases"], r["cases"].size());
  EXPECT_EQ(r["summary"]["checks"], checks);
  EXPECT_EQ(r["summary"]["pass"], pass);
  EXPECT_EQ(r["summary"]["fail"], fail);
  EXPECT_EQ(r["summary"]["inconclusive"], inconclusive);
}

}  // namespace
}  // namespace diffbound

namespace diffbound {
namespace {

// Every leaf of the fixture replaced by a value of another type (null, a number, hostile text, an array):
// each renderer either renders, with well-formed XML, or rejects the report with an InputError; nothing
// else escapes (no nlohmann type_error from a renderer that trusted a field's type).
TEST(report_robustness, AnyFieldOfAnyTypeRendersOrIsRejected) {
  const auto fixture = test::fixture_report();
  // Leaves and the objects and arrays above them; cases 3, 4, 6 and bounds past the first repeat the
  // structure of others and are left out to keep the test quick.
  std::set<std::string> pointers;
  const auto flat = fixture.flatten();
  for (const auto& [leaf, value] : flat.items())
    for (auto p = nlohmann::json::json_pointer(leaf); !p.empty(); p = p.parent_pointer()) pointers.insert(p.to_string());
  const std::regex repeated("^/(cases/[346]|bounds/[1-9])(/.*)?$");
  const std::vector<nlohmann::json> replacements = {nullptr, -1.5, "<&\"x\x01'>", nlohmann::json::array({1, "a"})};
  std::size_t rendered = 0, rejected = 0;
  for (const auto& pointer : pointers) {
    if (std::regex_match(pointer, repeated)) continue;
    for (const auto& replacement : replacements) {
      nlohmann::json mutated = fixture;
      mutated[nlohmann::json::json_pointer(pointer)] = replacement;
      try {
        render_markdown(mutated);
        render_terminal_table(mutated, true);
        const std::string xml = render_junit(mutated);
        EXPECT_NO_THROW(test::parse_xml(xml)) << pointer;
        const std::string html = render_html(mutated);
        for (auto at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1))
          EXPECT_NO_THROW(test::parse_xml(html.substr(at, html.find("</svg>", at) + 6 - at))) << pointer;
        ++rendered;
      } catch (const InputError&) {
        ++rejected;
      } catch (const std::exception& e) {
        ADD_FAILURE() << pointer << " = " << replacement.dump() << ": " << e.what();
      }
    }
  }
  EXPECT_GT(rendered, 1000u);
  EXPECT_GT(rejected, 0u);  // e.g. "format" replaced
}

}  // namespace
}  // namespace diffbound
