// Private: the glue between the Ranker facade and the pipeline stages.
//
// The Ranker owns one FeedStage. Rank() calls Begin() after validation (the
// policy stage decides every valid candidate; dropped ones are not scored),
// Evidence() while scoring (for the exploration uncertainty), and Finish()
// instead of sorting (policy multiplier -> explore -> diversify, fills the
// pipeline fields of ScoredCandidate, remembers what is needed for
// Explain() and Next()). Observe() calls OnEvent(). Next() ranks NextPool():
// the known candidates kept in prepared form (validated when first ranked,
// prepared once), so a Next call neither copies nor re-validates them.
#ifndef REELRANK_SRC_PIPELINE_RANKER_H_
#define REELRANK_SRC_PIPELINE_RANKER_H_

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "prepared.h"
#include "reelrank/explain.h"
#include "reelrank/key_hash.h"
#include "reelrank/pipeline.h"
#include "reelrank/profile.h"
#include "reelrank/ranker.h"

namespace reelrank {

class FeedStage {
 public:
  void Configure(const PipelineConfig& config, uint64_t seed,
                 int max_known_items);

  // Personalization off (Ranker::SetPersonalization): the stages that read
  // the user's history (feedback fatigue, exploration, diversity against the
  // feed history) are skipped; the operator policy and the user's controls
  // still apply. Nothing kept (history, fatigue entries) is trimmed or lost.
  void SetPersonal(bool personal);

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

  // The known pool as a prepared batch for Next(): every remembered
  // candidate (oldest first), valid when not yet shown (profile.Seen). Null
  // when no candidate is valid. Stays valid until the next Rank / Next.
  const PreparedBatch::Data* NextPool(const Profile& profile,
                                      int embedding_dim);
  // Set by Ranker::Next around its Rank call (evidence is only needed when
  // exploration can use it).
  void set_next_mode(bool next_mode) { next_mode_ = next_mode; }

  // Observe hook: impressions feed the diversity history, not-interested and
  // reports feed fatigue. Nothing is learned unless `learn`; while learning
  // is paused an impression only marks the known item as shown (transient,
  // never exported), so Next() still moves on.
  void OnEvent(const Event& e, bool learn);
  void Forget(const std::string& event_id) { pipeline_.Forget(event_id); }
  void Reset();

  Result<Explanation> Explain(const std::string& id) const;

  Status SetPolicy(const std::string& json);
  const std::string& policy_json() const { return policy_json_; }

 private:
  // What Explain() needs about one remembered candidate, captured when it
  // was ranked or dropped; the reasons are built from it (and the stored
  // candidate) only when asked.
  struct Known {
    uint64_t key = 0;  // FeatureKey(id)
    bool live = false;
    // pool_.items[slot] is PrepareItem(candidate).
    bool prepared = false;
    // The prepared batch (serial, index) the candidate was copied from; 0 =
    // not from a prepared batch. A batch is immutable, so the same source
    // means the same candidate.
    uint64_t batch = 0;
    int batch_index = -1;
    // Shown while learning was paused (not in the profile's seen memory):
    // Next() skips it all the same.
    bool shown_paused = false;
    bool has_explain = false;
    ExplainInput explain;  // without item_id and reasons
    int num_contributions = 0;
    std::array<Contribution, kMaxContributions> contributions{};
    std::array<int, kMaxContributions> views{};
  };
  // The slot of candidates[i] in the pool, remembering it (a copy only when
  // it is new or changed); -1 if it cannot be remembered.
  int Remember(const std::vector<Candidate>& candidates, size_t i);
  int RememberSlow(const Candidate& c, const PreparedItem* prep);
  int Find(const std::string& id) const;
  void Evict(size_t slot);
  void Compact();
  // Decayed sightings of `key` in the profile, memoised per Rank call.
  double Sightings(const Profile& profile, uint64_t key);

  PipelineConfig config_;      // in effect
  PipelineConfig configured_;  // as configured (personalization on)
  uint64_t seed_ = 1;
  int max_known_ = 4096;
  Pipeline pipeline_;
  std::string policy_json_;
  bool next_mode_ = false;
  bool need_evidence_ = true;
  // Per-call scratch, indexed like the input candidates.
  const std::vector<PreparedItem>* match_ = nullptr;
  std::vector<PolicyDecision> decisions_;
  std::vector<uint8_t> dropped_;
  std::vector<double> evidence_;
  // Sightings memo (open addressing; valid when gen == memo_gen_).
  struct MemoSlot {
    uint64_t key = 0;
    uint32_t gen = 0;
    double sightings = 0.0;
  };
  std::vector<MemoSlot> memo_;
  uint32_t memo_gen_ = 0;
  size_t memo_used_ = 0;
  // Known candidates (bounded, FIFO): pool_.owned / pool_.items / known_ are
  // parallel, in insertion order; evicted slots are dead until Compact().
  PreparedBatch::Data pool_;
  std::vector<Known> known_;
  std::unordered_map<uint64_t, int, KeyHash> slot_of_;  // key -> live slot
  size_t live_ = 0;
  size_t oldest_ = 0;  // no live slot before it
  // The slot each item of the last prepared batch went to (a hint).
  uint64_t hint_batch_ = 0;
  std::vector<int> hint_slot_;
};

// Maps the scorer's contributions to user-facing reasons.
std::vector<ScoreReason> ReasonsFor(const ScoredCandidate& s,
                                    const Candidate& c, const Profile& profile);
// The two halves of ReasonsFor: the profile's view counts per contribution
// (at rank time), then the reasons from them.
void ReasonViews(const Contribution* contributions, int num, const Candidate& c,
                 const Profile& profile,
                 std::array<int, kMaxContributions>* views);
std::vector<ScoreReason> ReasonsFrom(
    const Contribution* contributions, int num,
    const std::array<int, kMaxContributions>& views, const Candidate& c);

}  // namespace reelrank

#endif  // REELRANK_SRC_PIPELINE_RANKER_H_
