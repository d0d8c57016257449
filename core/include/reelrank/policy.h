// Policy ("border control"): the operator's declarative rules plus the user's
// own controls decide, per candidate, whether it may be shown and how its
// value is scaled.
//
// Operator policy is JSON:
//
//   {"version": 1,
//    "rules": [
//      {"id": "violence", "priority": 100, "action": "drop",
//       "match": {"labels": ["violence", "gore"], "min_confidence": 0.7},
//       "reason": "violent or graphic content"},
//      {"id": "clickbait", "action": "demote", "multiplier": 0.5,
//       "match": {"labels": ["clickbait"]}}]}
//
// Rule fields: "id" (required, unique string), "action" (required: "drop",
// "demote", "boost", "interstitial"), "multiplier" (demote: in (0, 1),
// default 0.5; boost: in (1, 100], default 1.5; others: not allowed),
// "priority" (integer, default 0), "final" (bool, default false), "reason"
// (text shown to users, default the id), "match" (required, at least one
// condition). Unknown fields are errors (they are usually typos).
//
// Match conditions (all present conditions must hold; a list holds when any
// element matches; strings compare in their folded form: Unicode case
// folding and NFKC normalization, default-ignorable code points removed,
// Turkish ı / İ as i, so "CAFÉ" == "café" == "cafe\u0301" and "ＳＰＯＩＬＥＲ"
// == "spoiler"; tags and categories ignore a leading '#'):
//   "labels": [..] + "min_confidence" (default 0.5): a safety label with one
//       of these names and confidence >= min_confidence;
//   "maturity_at_least": "general" | "teen" | "mature" (or 0..2);
//   "tags": [..]          any Candidate::tags element;
//   "categories": [..]    Candidate::category;
//   "authors": [..]       Candidate::author;
//   "sounds": [..]        Candidate::sound;
//   "regions": [..]       Candidate::region;
//   "keywords": [..]      whole words or phrases in Candidate::caption:
//                         words by Unicode word boundaries (UAX #29) of the
//                         folded text, so punctuation, quotes, dashes,
//                         ellipses, spaces of any kind, emoji and CJK
//                         punctuation separate words ("scam" matches
//                         "“Scam!”" and "scam。" but not "scammer"); a phrase
//                         matches consecutive words; scripts without spaces
//                         (Han, Hiragana, Thai, ...) are one word per
//                         character, so their keywords match as substrings.
//                         The first Limits::kCaptionWords words of a caption
//                         are matched (words compare by 64-bit hash);
//   "min_age_hours", "max_age_hours": content age now - created_at within
//       [min, max]; a candidate with unknown created_at (0) never matches an
//       age condition.
//
// Semantics (Decide), in this order:
//   1. User controls first. A candidate by a blocked author / with a blocked
//      sound, tag or keyword, above the user's maturity level, or on a
//      "not interested" topic inside its filter window is DROPPED with source
//      kUser. Nothing (no operator boost, no exploration) can undo it.
//   2. Operator drop rules: if any matching rule has action drop, the item is
//      DROPPED (drop beats every other action regardless of priority; the
//      reported rule is the highest-priority matching drop rule, ties broken
//      by position in the file). A user control cannot un-drop an operator
//      drop.
//   3. Otherwise matching non-drop rules are visited by priority (higher
//      first; equal priorities in file order). Their multipliers combine by
//      multiplication; a matching "interstitial" rule sets `interstitial`.
//      A matching rule with "final": true stops the visit (rules of lower
//      priority, or later with equal priority, are not applied). The user's
//      "not interested" topic discount (after the filter window) multiplies
//      in last. The product is clamped to [kMinPolicyMultiplier,
//      kMaxPolicyMultiplier].
//   4. `action` summarises the outcome: drop > interstitial > demote
//      (multiplier < 1) > boost (multiplier > 1) > allow. `rule_id` names the
//      rule that decided it: the drop rule; else the first interstitial rule
//      applied; else the first rule applied (highest priority); else the
//      user's topic discount; "" when nothing applied.
#ifndef REELRANK_POLICY_H_
#define REELRANK_POLICY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/fatigue.h"
#include "reelrank/status.h"

namespace reelrank {

enum class PolicyAction : int {
  kAllow = 0,
  kBoost = 1,
  kDemote = 2,
  kInterstitial = 3,  // allowed, but the client must show a warning first
  kDrop = 4,          // never returned by rank() or next()
};
// "allow", "boost", "demote", "interstitial", "drop".
const char* PolicyActionName(PolicyAction action);

// Who decided: nobody, the operator's policy, the user's controls, or the
// feedback-fatigue memory (see fatigue.h).
enum class RuleSource : int {
  kNone = 0,
  kOperator = 1,
  kUser = 2,
  kFatigue = 3
};
// "none", "operator", "user", "fatigue".
const char* RuleSourceName(RuleSource source);

constexpr double kMinPolicyMultiplier = 0.01;
constexpr double kMaxPolicyMultiplier = 100.0;

// Lists hold folded strings (FoldText; tags and categories without a
// leading '#').
struct RuleMatch {
  std::vector<std::string> labels;
  float min_confidence = 0.5f;
  int maturity_at_least = -1;  // -1 = any
  std::vector<std::string> tags, categories, authors, sounds, regions;
  // Each keyword as its folded words (SplitWords; a phrase has several).
  std::vector<std::vector<std::string>> keywords;
  double min_age_hours = -1.0;  // < 0 = no bound
  double max_age_hours = -1.0;  // < 0 = no bound
};

struct PolicyRule {
  std::string id;
  PolicyAction action = PolicyAction::kAllow;
  double multiplier = 1.0;
  int priority = 0;
  bool final = false;
  std::string reason;
  RuleMatch match;
};

// A parsed operator policy. `rules` are in file order.
struct Policy {
  int version = 1;
  std::vector<PolicyRule> rules;
};

// Parses operator policy JSON. Errors name the rule and field, e.g.
// "rules[2] (id 'scam').action: unknown action 'delete'".
Result<Policy> ParsePolicy(const std::string& json);

// The policy that ships with the library (compiled in) and its JSON text:
// violence/gore, adult/sexual, scam/fraud, hate, self-harm, dangerous acts
// -> drop; low quality / clickbait -> demote; high quality, news,
// educational -> boost.
const std::string& DefaultPolicyJson();
Policy DefaultPolicy();

// A topic the user said "not interested" to. `at_ms` = 0 means "until the
// user removes it" (always filtered); otherwise the topic follows the fatigue
// curve (filtered, then discounted back to normal) from `at_ms`.
struct NotInterestedTopic {
  std::string topic;  // matches Candidate::tags or Candidate::category
  int64_t at_ms = 0;
};

// "More" or "less" of a topic (TikTok's "Manage topics"): a multiplier on
// the value of every item whose category or a tag is the topic; never a
// filter. ("normal" is the absence of an entry.)
enum class TopicLevel : int { kLess = -1, kMore = 1 };
constexpr double kTopicMoreMultiplier = 2.0;
constexpr double kTopicLessMultiplier = 0.4;
struct TopicPreference {
  std::string topic;  // matches Candidate::tags or Candidate::category
  TopicLevel level = TopicLevel::kMore;
};

// The user's own controls, matched like the operator's conditions (folded;
// blocked keywords like "keywords"). JSON form (every key optional):
//   {"blocked_authors": [..], "blocked_sounds": [..], "blocked_tags": [..],
//    "blocked_keywords": [..], "max_maturity": "general"|"teen"|"mature",
//    "not_interested_topics": ["cats", {"topic": "dogs", "at_ms": 1700..}],
//    "topic_levels": {"cooking": "more", "cats": "less", "news": "normal"}}
// ("normal" removes the topic's entry; at most Limits::kUserListItems.)
struct UserControls {
  std::vector<std::string> blocked_authors;
  std::vector<std::string> blocked_sounds;
  std::vector<std::string> blocked_tags;
  std::vector<std::string> blocked_keywords;
  Maturity max_maturity = Maturity::kMature;
  std::vector<NotInterestedTopic> not_interested_topics;
  std::vector<TopicPreference> topic_levels;  // sorted by topic, unique
};

Result<UserControls> ParseUserControls(const std::string& json);
std::string UserControlsToJson(const UserControls& controls);

// The outcome for one candidate.
struct PolicyDecision {
  PolicyAction action = PolicyAction::kAllow;
  double multiplier = 1.0;  // applied to the value; 0 when dropped
  bool interstitial = false;
  RuleSource source = RuleSource::kNone;
  std::string rule_id;  // "" when no rule fired; user rules: "user:..."
  std::string reason;   // human-readable reason of `rule_id`
  // Every rule that applied, in the order applied (for explanations).
  std::vector<std::string> applied;

  bool dropped() const { return action == PolicyAction::kDrop; }
};

// The normalized forms of a candidate's fields that Decide matches on. They
// depend on the candidate only, so a PreparedBatch computes them once.
struct PolicyMatchInput {
  // Folded (see the match conditions above), one leading '#' removed.
  std::vector<std::string> folded_tags;
  std::string folded_category;
  std::string author, sound, region;  // folded
  std::vector<std::string> labels;    // safety[i].name folded
  // FeatureKey of each word of the folded caption (SplitWords), in order.
  std::vector<uint64_t> words;
  // The fatigue stage's topic keys (ASCII lower case, one leading '#'
  // removed) and MakeFatigueKeys(author and sound as given, category, tags):
  // its lookups (Pipeline::Decide).
  std::vector<std::string> tags;
  std::string category;
  FatigueKeys fatigue_keys;
};
PolicyMatchInput MakePolicyMatchInput(const Candidate& c);

// Holds the operator policy and the user controls and decides. Starts with
// DefaultPolicy() and empty controls. Not thread safe.
class PolicyEngine {
 public:
  PolicyEngine();

  // Replaces the operator policy. On error the previous policy stays.
  Status SetPolicyJson(const std::string& json);
  void SetPolicy(const Policy& policy);
  const Policy& policy() const { return policy_; }

  // Replaces the user's controls. On error the previous controls stay.
  Status SetUserControlsJson(const std::string& json);
  void SetUserControls(const UserControls& controls);
  const UserControls& user_controls() const { return controls_; }

  // The curve for timed "not interested" topics.
  void SetFatigueConfig(const FatigueConfig& config) { fatigue_ = config; }

  // Whether the operator's rules apply (user controls always do).
  void set_operator_enabled(bool enabled) { operator_enabled_ = enabled; }
  bool operator_enabled() const { return operator_enabled_; }

  // Decides one candidate at client time `now_ms` (see the file comment).
  PolicyDecision Decide(const Candidate& c, int64_t now_ms) const;
  // The same decision, with `in` == MakePolicyMatchInput(c) precomputed.
  PolicyDecision Decide(const Candidate& c, const PolicyMatchInput& in,
                        int64_t now_ms) const;

  // The lookup structures Decide consults (policy.cpp), rebuilt when the
  // policy or the controls change.
  struct Compiled;

 private:
  void Compile();
  PolicyDecision DecideImpl(const Candidate& c, const PolicyMatchInput* in,
                            int64_t now_ms) const;

  Policy policy_;
  UserControls controls_;
  FatigueConfig fatigue_;
  bool operator_enabled_ = true;
  std::shared_ptr<const Compiled> compiled_;
};

// Helpers shared by the stages (exposed for tests).
std::string ToLowerAscii(const std::string& s);
// The folded words of `text` (see the keyword rule above).
std::vector<std::string> SplitWords(const std::string& text);

}  // namespace reelrank

#endif  // REELRANK_POLICY_H_
