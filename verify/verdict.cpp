#include "verify/verdict.hpp"

namespace diffbound {

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "fail";
    case Verdict::inconclusive: return "inconclusive";
  }
  return "inconclusive";
}

std::string_view to_string(Reason r) {
  switch (r) {
    case Reason::none: return "";
    case Reason::not_applicable: return "not-applicable";
    case Reason::not_certified: return "not-certified";
    case Reason::enclosures_overlap: return "enclosures-overlap";
    case Reason::vacuous: return "vacuous";
    case Reason::regression: return "regression";
    case Reason::no_baseline: return "no-baseline";
    case Reason::not_swept: return "not-swept";
    case Reason::too_few_points: return "too-few-points";
    case Reason::cannot_fit: return "cannot-fit";
    case Reason::sign_change: return "sign-change";
  }
  return "";
}

nlohmann::json VerdictCounts::to_json() const {
  return {{to_string(Verdict::pass), pass}, {to_string(Verdict::fail), fail}, {to_string(Verdict::inconclusive), inconclusive}};
}

}  // namespace diffbound
