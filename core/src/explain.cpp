#include "reelrank/explain.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace reelrank {

const char* ReasonKindName(ReasonKind kind) {
  switch (kind) {
    case ReasonKind::kTopic:
      return "topic";
    case ReasonKind::kCreator:
      return "creator";
    case ReasonKind::kFollowedCreator:
      return "followed_creator";
    case ReasonKind::kSound:
      return "sound";
    case ReasonKind::kCategory:
      return "category";
    case ReasonKind::kSimilar:
      return "similar";
    case ReasonKind::kPopular:
      return "popular";
    case ReasonKind::kSession:
      return "session";
    case ReasonKind::kOther:
      return "other";
    case ReasonKind::kDuration:
      return "duration";
    case ReasonKind::kNotInterested:
      return "not_interested";
    case ReasonKind::kSeen:
      return "seen";
  }
  return "other";
}

namespace {
std::string Videos(int n) { return n == 1 ? "video" : "videos"; }
}  // namespace

std::string ReasonText(const ScoreReason& r) {
  const std::string& k = r.key;
  if (r.contribution < 0.0) {
    switch (r.kind) {
      case ReasonKind::kTopic:
      case ReasonKind::kCategory:
        return r.negatives > 0 ? "you often swipe past " + k + " videos"
                               : "you rarely watch " + k + " videos";
      case ReasonKind::kCreator:
      case ReasonKind::kFollowedCreator:
        return "you often swipe past videos by " + k;
      case ReasonKind::kSound:
        return "you often swipe past videos with this sound";
      case ReasonKind::kSimilar:
        return "unlike what you watched recently";
      case ReasonKind::kPopular:
        return "not many people watch this";
      case ReasonKind::kSession:
        return "different from what you're watching right now";
      case ReasonKind::kOther:
        return "held back by " + k;
      case ReasonKind::kDuration:
        return "a length you usually skip";
      case ReasonKind::kNotInterested:
        return "you said you're not interested in similar videos";
      case ReasonKind::kSeen:
        return "you've already seen it";
    }
  }
  switch (r.kind) {
    case ReasonKind::kTopic:
    case ReasonKind::kCategory:
      if (r.completions > 0) {
        return "you watched " + std::to_string(r.completions) + " " + k + " " +
               Videos(r.completions) + " to the end";
      }
      if (r.positives > 0) return "you liked " + k + " videos";
      if (r.views > 0) {
        return "you watched " + std::to_string(r.views) + " " + k + " " +
               Videos(r.views);
      }
      return "you watch " + k + " videos";
    case ReasonKind::kCreator:
      if (r.completions > 0) {
        return "you watched " + std::to_string(r.completions) + " " +
               Videos(r.completions) + " by " + k + " to the end";
      }
      if (r.views > 0) {
        return "you watched " + std::to_string(r.views) + " " +
               Videos(r.views) + " by " + k;
      }
      return "it's by a creator you watch";
    case ReasonKind::kFollowedCreator:
      return "it's by a creator you follow";
    case ReasonKind::kSound:
      return "it uses a sound you like";
    case ReasonKind::kSimilar:
      return "it's similar to videos you watched";
    case ReasonKind::kPopular:
      return "it's popular right now";
    case ReasonKind::kSession:
      return "it's like what you're watching right now";
    case ReasonKind::kOther:
      return "it matches your interests (" + k + ")";
    case ReasonKind::kDuration:
      return "it's a length you like to watch";
    case ReasonKind::kNotInterested:
    case ReasonKind::kSeen:
      return "it's new to you";
  }
  return k;
}

Explanation BuildExplanation(const ExplainInput& in, int max_reasons) {
  Explanation e;
  e.item_id = in.item_id;
  e.value = in.value;
  e.position = in.position;
  e.action = in.policy.action;
  e.rule_source = in.policy.source;
  e.rule_id = in.policy.rule_id;
  e.rule_reason = in.policy.reason;
  e.policy_multiplier = in.policy.multiplier;
  e.interstitial = in.policy.interstitial;
  e.rules_applied = in.policy.applied;
  std::vector<ScoreReason> rs = in.reasons;
  std::stable_sort(
      rs.begin(), rs.end(), [](const ScoreReason& a, const ScoreReason& b) {
        return std::fabs(a.contribution) > std::fabs(b.contribution);
      });
  for (const auto& r : rs) {
    if (static_cast<int>(e.reasons.size()) >= max_reasons) break;
    if (r.contribution == 0.0) continue;
    e.reasons.push_back({r, ReasonText(r)});
  }
  e.explored = in.explored;
  if (in.has_diversity) {
    const DiversityNote& d = in.diversity;
    for (const auto& why : d.held_back_by) {
      std::string s;
      if (why == "creator") s = "same creator as a video you just saw";
      if (why == "sound") s = "same sound as a video you just saw";
      if (why == "topic") s = "you've seen a lot of this topic lately";
      if (why == "explore_gap") s = "another discovery pick was just shown";
      if (!s.empty()) {
        e.diversity.push_back("moved from " + std::to_string(d.from + 1) +
                              " to " + std::to_string(d.to + 1) + ": " + s);
      }
    }
    if (d.relaxed) {
      e.diversity.push_back("shown despite a variety rule: nothing else fit");
    }
  }
  // Summary.
  if (e.action == PolicyAction::kDrop) {
    e.summary = "hidden: " + e.rule_reason;
  } else if (e.explored) {
    e.summary = "something new, to help discover what you like";
  } else if (!e.reasons.empty() && e.reasons[0].reason.contribution > 0.0) {
    e.summary = "because " + e.reasons[0].text;
  } else if (e.action == PolicyAction::kBoost) {
    e.summary = "recommended: " + e.rule_reason;
  } else {
    e.summary = "popular right now";
  }
  if (e.interstitial) e.summary += " (warning: " + e.rule_reason + ")";
  return e;
}

std::string ExplanationToJson(const Explanation& e) {
  nlohmann::json j;
  j["item_id"] = e.item_id;
  j["value"] = std::isfinite(e.value) ? e.value : 0.0;
  j["position"] = e.position;
  j["policy"] = {{"action", PolicyActionName(e.action)},
                 {"source", RuleSourceName(e.rule_source)},
                 {"rule_id", e.rule_id},
                 {"reason", e.rule_reason},
                 {"multiplier", e.policy_multiplier},
                 {"interstitial", e.interstitial},
                 {"applied", e.rules_applied}};
  nlohmann::json rs = nlohmann::json::array();
  for (const auto& r : e.reasons) {
    rs.push_back({{"kind", ReasonKindName(r.reason.kind)},
                  {"key", r.reason.key},
                  {"contribution", r.reason.contribution},
                  {"text", r.text}});
  }
  j["reasons"] = std::move(rs);
  j["explored"] = e.explored;
  j["diversity"] = e.diversity;
  j["summary"] = e.summary;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace reelrank
