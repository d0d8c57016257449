// Explanations: a structured "why" for one ranked item, in words a user
// understands: the policy rule that fired (and its action), the top score
// contributions ("you watched 5 cooking videos to the end", "a creator you
// follow"), whether the item was an exploration pick, and what diversity
// did to its position.
//
//   Explanation e = BuildExplanation(input);
//   std::string json = ExplanationToJson(e);
#ifndef REELRANK_EXPLAIN_H_
#define REELRANK_EXPLAIN_H_

#include <string>
#include <vector>

#include "reelrank/diversify.h"
#include "reelrank/policy.h"

namespace reelrank {

// What kind of evidence a score contribution rests on.
enum class ReasonKind : int {
  kTopic = 0,        // key = tag / topic
  kCreator,          // key = author id
  kFollowedCreator,  // key = author id
  kSound,            // key = sound id
  kCategory,         // key = category
  kSimilar,          // embedding similarity to what the user watched
  kPopular,          // the server's prior
  kSession,          // what the user is into right now
  kOther,            // key = raw feature name
  kDuration,         // the video length
  kNotInterested,    // the user's "not interested" on its creator / topics
  kSeen,             // already shown
};
// "topic", "creator", "followed_creator", "sound", "category", "similar",
// "popular", "session", "other", "duration", "not_interested", "seen".
const char* ReasonKindName(ReasonKind kind);

// One contribution to the item's value, as the scorer reports it.
struct ScoreReason {
  ReasonKind kind = ReasonKind::kOther;
  std::string key;
  double contribution = 0.0;  // signed, in value units
  int completions = 0;        // items of this key watched to the end
  int positives = 0;          // likes, follows, shares, comments on this key
  int negatives = 0;          // fast swipes, "not interested" on this key
  int views = 0;              // items of this key watched at all
};

// The user-facing sentence for one contribution, e.g.
// {kTopic, "cooking", +0.4, completions 5} -> "you watched 5 cooking videos
// to the end"; {kFollowedCreator, ..} -> "a creator you follow". Negative
// contributions say what held the item back ("you often swipe past
// cooking videos").
std::string ReasonText(const ScoreReason& reason);

struct ExplainInput {
  std::string item_id;
  double value = 0.0;  // final value (after the policy multiplier)
  int position = -1;   // position in the last ranked list; -1 = not ranked
  PolicyDecision policy;
  std::vector<ScoreReason> reasons;  // any order; the top ones are kept
  bool explored = false;
  bool has_diversity = false;
  DiversityNote diversity;
};

struct ExplainedReason {
  ScoreReason reason;
  std::string text;
};

struct Explanation {
  std::string item_id;
  double value = 0.0;
  int position = -1;
  // Policy.
  PolicyAction action = PolicyAction::kAllow;
  RuleSource rule_source = RuleSource::kNone;
  std::string rule_id;  // "" when no rule fired
  std::string rule_reason;
  double policy_multiplier = 1.0;
  bool interstitial = false;
  std::vector<std::string> rules_applied;
  // Score: the top contributions by |contribution|, largest first.
  std::vector<ExplainedReason> reasons;
  // Exploration.
  bool explored = false;
  // Diversity, as sentences ("moved from 1 to 3: same creator as a recent
  // video"), empty if it kept its place.
  std::vector<std::string> diversity;
  // One line for the UI.
  std::string summary;
};

// Keeps at most `max_reasons` contributions (by |contribution|).
Explanation BuildExplanation(const ExplainInput& input, int max_reasons = 3);

// {"item_id":..,"value":..,"position":..,"policy":{"action":..,"source":..,
//  "rule_id":..,"reason":..,"multiplier":..,"interstitial":..,"applied":[..]},
//  "reasons":[{"kind":..,"key":..,"contribution":..,"text":..}],
//  "explored":..,"diversity":[..],"summary":..}
std::string ExplanationToJson(const Explanation& e);

}  // namespace reelrank

#endif  // REELRANK_EXPLAIN_H_
