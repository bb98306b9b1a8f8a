// junit.xml: report.json as JUnit XML for CI test tabs. One <testsuite> per suite; one <testcase> per
// case x check (name "<bound> @ <case label>", classname = suite) and one per rate claim
// ("rate <bound> in <variable> @ <group>"). fail -> <failure>, inconclusive -> <skipped>, a case that
// could not be computed -> <error>; the messages carry the numbers.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace diffbound {

// Throws InputError when `report` is not a diffbound-report/1 object.
std::string render_junit(const nlohmann::json& report);

}  // namespace diffbound
