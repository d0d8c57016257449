// Private: the glue between the Ranker facade and the pipeline stages.
//
// The Ranker owns one FeedStage. Rank() calls Begin() after validation (the
// policy stage decides every valid candidate; dropped ones are not scored),
// Evidence() while scoring (for the exploration uncertainty), and Finish()
// instead of sorting (policy multiplier -> explore -> diversify, fills the
// pipeline fields of ScoredCandidate, remembers what is needed for
// Explain() and Next()). Observe() calls OnEvent().
#ifndef REELRANK_SRC_PIPELINE_RANKER_H_
#define REELRANK_SRC_PIPELINE_RANKER_H_

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "prepared.h"
#include "reelrank/explain.h"
#include "reelrank/pipeline.h"
#include "reelrank/profile.h"
#include "reelrank/ranker.h"

namespace reelrank {

class FeedStage {
 public:
  void Configure(const PipelineConfig& config, uint64_t seed,
                 int max_known_items);

  Pipeline& pipeline() { return pipeline_; }
  const Pipeline& pipeline() const { return pipeline_; }

  // Policy stage for every valid candidate (valid[i] != 0). `match`, if
  // not null, holds each candidate's precomputed policy match input
  // (indexed like `candidates`).
  void Begin(const std::vector<Candidate>& candidates,
             const std::vector<uint8_t>& valid,
             const std::vector<PreparedItem>* match, const Context& context);
  bool dropped(size_t i) const {
    return i < dropped_.size() && dropped_[i] != 0;
  }
  // Evidence (decayed sightings of the item's tags, author, sound, category)
  // the profile has for `snap`, for candidate i.
  void Evidence(size_t i, const Profile& profile, const ItemSnapshot& snap);

  // Explore + diversify. `result->ranked` holds the scored (non-dropped)
  // candidates in any order; on return it is the feed order. In
  // `next_mode` (Ranker::Next), items already shown are skipped and only the
  // single item to show now is returned.
  void Finish(const std::vector<Candidate>& candidates, const Context& context,
              const Profile& profile, bool next_mode, RankResult* result);

  // Known, not yet shown candidates (oldest first), for Next().
  std::vector<Candidate> Unseen(const Profile& profile) const;

  // Observe hook: impressions feed the diversity history, not-interested and
  // reports feed fatigue. Nothing changes unless `learn` (learning paused).
  void OnEvent(const Event& e, bool learn);
  void Forget(const std::string& event_id) { pipeline_.Forget(event_id); }
  void Reset() { pipeline_.ResetFeed(); }

  Result<Explanation> Explain(const std::string& id) const;

  Status SetPolicy(const std::string& json);
  const std::string& policy_json() const { return policy_json_; }

 private:
  struct Known {
    Candidate candidate;
    bool has_explain = false;
    ExplainInput explain;
  };
  Known* Remember(const Candidate& c);

  PipelineConfig config_;
  uint64_t seed_ = 1;
  int max_known_ = 4096;
  Pipeline pipeline_;
  std::string policy_json_;
  // Per-call scratch, indexed like the input candidates.
  std::vector<PolicyDecision> decisions_;
  std::vector<uint8_t> dropped_;
  std::vector<double> evidence_;
  // Known candidates (bounded, FIFO).
  std::unordered_map<std::string, Known> known_;
  std::deque<std::string> known_order_;
};

// Maps the scorer's contributions to user-facing reasons.
std::vector<ScoreReason> ReasonsFor(const ScoredCandidate& s,
                                    const Candidate& c, const Profile& profile);

}  // namespace reelrank

#endif  // REELRANK_SRC_PIPELINE_RANKER_H_
