// Pipeline: the feed-level stages around scoring, run in this order:
//
//   policy (operator rules + user controls + feedback fatigue)
//     -> score (the caller's heads; dropped items need not be scored)
//     -> explore (bounded exploration slots)
//     -> diversify (creator / sound / topic constraints + MMR)
//
// Each stage is its own header (policy.h, fatigue.h, explore.h,
// diversify.h) and can be switched off in PipelineConfig. The Pipeline owns
// the policy engine, the fatigue memory and a short history of what the feed
// showed; randomness comes from the caller's SplitMix64.
//
// Invariant: an item whose decision is kDrop is never in the output of
// Order() or Next(), whatever exploration and diversity do.
//
//   Pipeline p(PipelineConfig{});
//   std::vector<StageItem> items;
//   for (i...) { PolicyDecision d = p.Decide(c[i], now);
//                if (!d.dropped()) items.push_back({i, Score(c[i]), sigma, d});
//                }
//   std::vector<StageItem> feed = p.Order(c, items, profile_events, rng);
//   p.RecordShown(c[feed[0].index], feed[0].explored);
#ifndef REELRANK_PIPELINE_H_
#define REELRANK_PIPELINE_H_

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/diversify.h"
#include "reelrank/explore.h"
#include "reelrank/fatigue.h"
#include "reelrank/policy.h"

namespace reelrank {

// Policy stage switches. JSON key "policy".
struct PolicyConfig {
  // Apply the operator's rules. User controls and fatigue always apply (they
  // are the user's own wishes). Default true.
  bool enabled = true;
};

struct PipelineConfig {
  PolicyConfig policy;
  FatigueConfig fatigue;
  ExploreConfig explore;
  DiversityConfig diversity;
  // Items of feed history kept for diversity (>= 1). Default 64.
  int history_size = 64;
  // What Ranker::Rank returns. false (default): the exploit order (policy,
  // then value; dropped items removed): the ranking of the batch, which a
  // caller compares, prefetches or evaluates. true: the feed order, with
  // exploration slots and diversity as in Order(). Ranker::Next (the item
  // the feed shows) always runs every enabled stage. JSON
  // "rank_feed_order".
  bool rank_feed_order = false;
};

// Field-named errors, e.g. "config.explore.slot_every: must be >= 2".
Status ValidatePipelineConfig(const PipelineConfig& config,
                              const std::string& path = "config");

// One candidate as it flows through the stages.
struct StageItem {
  int index = 0;             // into the caller's candidate vector
  double score = 0.0;        // from the score stage, before policy
  double uncertainty = 0.0;  // std-dev of `score` (for exploration), >= 0
  PolicyDecision policy;     // from Decide()
  // Filled by Order() / Next():
  double value = 0.0;  // score adjusted by the policy multiplier
  bool explored = false;
  DiversityNote diversity;
};

// score adjusted by a policy multiplier m: score * m when score >= 0, else
// score / m (so a boost always raises and a demote always lowers a value,
// whatever its sign).
double ApplyMultiplier(double score, double multiplier);

class Pipeline {
 public:
  explicit Pipeline(const PipelineConfig& config = PipelineConfig{});

  const PipelineConfig& config() const { return config_; }
  void set_config(const PipelineConfig& config);

  PolicyEngine& policy_engine() { return policy_; }
  const PolicyEngine& policy_engine() const { return policy_; }
  FatigueTracker& fatigue() { return fatigue_; }
  const FatigueTracker& fatigue() const { return fatigue_; }

  // Stage 1 for one candidate: user controls, operator rules (if enabled),
  // then feedback fatigue (filtered -> kDrop with source kFatigue and rule
  // id "fatigue:author:<id>" / "fatigue:topic:<t>"; discount multiplies in
  // and may turn allow into demote), then follows (a creator the user
  // follows: x kFollowedMultiplier, rule "user:follow:<author>").
  PolicyDecision Decide(const Candidate& c, int64_t now_ms) const;
  // The same, with the policy's match input precomputed (`in` may be null).
  PolicyDecision Decide(const Candidate& c, const PolicyMatchInput* in,
                        int64_t now_ms) const;
  // The same into *out (its strings' and vector's capacity reused).
  void DecideInto(const Candidate& c, const PolicyMatchInput* in,
                  int64_t now_ms, PolicyDecision* out) const;

  // Stages 3-4: applies each item's policy multiplier, sorts by value (ties:
  // input order), explores, diversifies against the feed history. Items
  // whose decision is kDrop are removed. Returns the feed order.
  std::vector<StageItem> Order(const std::vector<Candidate>& candidates,
                               std::vector<StageItem> items,
                               double profile_events, SplitMix64& rng) const;
  // The same without moving items: sets each item's value, explored and
  // diversity in *items and returns the feed order as positions into it.
  std::vector<int> OrderPositions(const std::vector<Candidate>& candidates,
                                  std::vector<StageItem>* items,
                                  double profile_events, SplitMix64& rng) const;

  // The single item the full-screen feed shows now (Order's first item,
  // computed with one diversity step): a position into `items`, or -1 when
  // nothing can be shown. `*out` (may be null) receives the filled item.
  int Next(const std::vector<Candidate>& candidates,
           const std::vector<StageItem>& items, double profile_events,
           SplitMix64& rng, StageItem* out) const;

  // The feed showed `c` (an impression, event `event_id`): updates the
  // diversity history and the exploration budget.
  void RecordShown(const Candidate& c, bool explored,
                   const std::string& event_id = std::string());
  // "not interested" or a report on `c` at `at_ms`: feeds fatigue.
  void RecordNegative(const Candidate& c, int64_t at_ms,
                      const std::string& event_id = std::string());
  // A follow of `c`'s creator (event `event_id`); at most
  // Limits::kUserListItems creators, the oldest follow dropped first.
  void RecordFollow(const Candidate& c, const std::string& event_id);
  // Removes what event `event_id` did (history entry, fatigue signals,
  // follow), as if it never happened.
  void Forget(const std::string& event_id);
  // The creators followed, oldest first: (author, event id).
  const std::vector<std::pair<std::string, std::string>>& follows() const {
    return follows_;
  }
  void SetFollows(std::vector<std::pair<std::string, std::string>> follows);

  const std::vector<RecentItem>& history() const { return history_; }
  // Items shown since the last exploration pick in the history; the history
  // size when it holds none (so a fresh feed opens its first slot after K-1
  // exploit items).
  int since_last_explore() const;

  // Stage 3 alone: applies each item's policy multiplier and sorts by value
  // (ties: input order); items whose decision is kDrop are removed. The
  // exploit order, before exploration and diversity.
  std::vector<StageItem> Prepare(std::vector<StageItem> items) const;
  // The same as positions into *items (whose value, explored and diversity
  // it sets; dropped items are left out).
  std::vector<int> PreparePositions(std::vector<StageItem>* items) const;

  // Feed state (history with event ids, fatigue signals, user controls) as
  // JSON, for the profile export; FromJson replaces it (nothing changes on
  // error). The operator policy is not part of it.
  std::string StateToJson() const;
  Status StateFromJson(const std::string& json);
  // Forgets the feed history, the fatigue memory and the follows (not the
  // controls).
  void ResetFeed();

 private:
  void DecideBase(const Candidate& c, const PolicyMatchInput* in,
                  int64_t now_ms, PolicyDecision* out) const;
  PipelineConfig config_;
  PolicyEngine policy_;
  FatigueTracker fatigue_;
  std::vector<RecentItem> history_;         // oldest first, bounded
  std::deque<std::string> history_events_;  // parallel to history_
  std::vector<std::pair<std::string, std::string>> follows_;
  std::unordered_set<uint64_t> followed_;  // FeatureKey of follows_' authors
};

// A followed creator's items: value x this (a user rule, never a filter).
constexpr double kFollowedMultiplier = 1.5;

}  // namespace reelrank

#endif  // REELRANK_PIPELINE_H_
