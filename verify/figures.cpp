#include "verify/figures.hpp"

#include <algorithm>
#include <array>

namespace diffbound {

void add_figures(nlohmann::json& report, const std::vector<Suite>& suites, const RunCases& run) {
  for (const auto& suite : suites)
    for (const auto& fig : suite.figures) {
      const std::string key = variable_keys().at(fig.x);
      nlohmann::json plot;
      plot["id"] = suite.name + "/figure/" + std::to_string(report["plots"].size());
      plot["title"] = fig.title;
      plot["x_label"] = fig.x;
      plot["y_label"] = fig.metric;
      const bool w2 = fig.metric == "W2";
      plot["curves"] = nlohmann::json::array();
      VerdictCounts verdicts;
      for (const auto& name : fig.curves) {
        std::map<std::string, std::vector<std::pair<double, Enclosure>>> groups;
        for (std::size_t i = 0; i < run.cases.size(); ++i) {
          const SuiteCase& sc = *run.cases[i];
          if (sc.suite != suite.name || sc.block_name != name || !run.results[i].error.empty()) continue;
          std::string g;
          for (const auto& [k, v] : sc.swept)
            if (k != key) g += (g.empty() ? "" : " ") + k.substr(k.rfind('.') + 1) + "=" + v;
          const auto& e = run.results[i].exact;
          // an engine without W2 has no point on a W2 plot
          if (!w2) groups[g].push_back({swept_value(fig.x, e), e.kl});
          else if (e.w2 && e.w2->finite) groups[g].push_back({swept_value(fig.x, e), *e.w2});
          for (const auto& ch : run.results[i].checks)
            if (!ch.rate) verdicts.count(ch.verdict);
        }
        for (auto& [g, pts] : groups) {
          std::sort(pts.begin(), pts.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first < b.first : a.second.value < b.second.value;
          });
          nlohmann::json curve = {{"label", g.empty() ? name : name + " (" + g + ")"}, {"kind", "series"}, {"points", nlohmann::json::array()}};
          for (const auto& [x, q] : pts) curve["points"].push_back(plot_point(x, q));
          plot["curves"].push_back(curve);
        }
      }
      plot["verdicts"] = verdicts.to_json();
      report["plots"].push_back(plot);
    }
}

}  // namespace diffbound
