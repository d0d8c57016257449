// Profile: everything the device has learned about its user.
//
// The feature table (sparse personal deltas, sightings, explicit negatives),
// dense per-head personal deltas (bias, prior, interest similarities),
// long-term and session interest vectors over the embedding (different
// half-lives, event time), the open view, counters, and a bounded seen-item
// memory. Bounded whatever the history length: the table by
// ProfileConfig::max_features, the seen memory by max_seen_items. The recent
// event log and its checkpoint (for exact forgetting) live in the Ranker.
//
// ProfileToJson / ProfileFromJson serialize it exactly (floats round-trip).
#ifndef REELRANK_PROFILE_H_
#define REELRANK_PROFILE_H_

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/event.h"
#include "reelrank/feature_table.h"
#include "reelrank/ftrl.h"
#include "reelrank/heads.h"
#include "reelrank/key_hash.h"
#include "reelrank/signals.h"

namespace reelrank {

// Dense coordinates of every head.
enum class Dense : int { kBias = 0, kPrior, kInterestLong, kInterestSession };
constexpr int kNumDense = 4;

// One sparse feature of an item: its key and where its name is in
// ItemSnapshot::names.
struct ItemFeature {
  uint64_t key = 0;
  FeatureKind kind = FeatureKind::kTag;
  uint8_t index = 0;  // which tag for kTag, else 0
  uint32_t name_begin = 0;
  uint32_t name_len = 0;
};

// A compact, immutable copy of what the learner needs about a ranked item.
struct ItemSnapshot {
  uint64_t item_key = 0;      // FeatureKey(item id)
  int64_t duration_ms = 0;    // >= 0; 0 = not a video
  double server_score = 0.5;  // the prior
  int hour = 12;              // hour of day of the Rank call that saw it
  std::vector<ItemFeature> features;
  std::string names;             // concatenated feature names
  std::vector<float> embedding;  // unit length, or empty

  std::string_view name(const ItemFeature& f) const {
    return std::string_view(names).substr(f.name_begin, f.name_len);
  }
};

// Maximum tags per item that become features (the rest are ignored).
constexpr int kMaxItemTags = 16;

// Fills `snap` from a (valid) candidate, reusing its buffers.
void BuildItemSnapshot(const Candidate& c, int hour_of_day, ItemSnapshot* snap);

struct Profile {
  FeatureTable features;
  std::array<std::array<FtrlCoord, kNumDense>, kNumHeads> dense{};
  // Per head: the decayed sum of the log-loss the personal terms saved on
  // this user's own views, and of its square (core/src/scorer.h: the
  // evidence gate).
  std::array<float, kNumHeads> evidence{};
  std::array<float, kNumHeads> evidence_sq{};
  // Interest vectors (sums of unit embeddings weighted by the view's signal),
  // empty until the first update; *_ms = event time they are decayed to.
  std::vector<float> long_interest;
  int64_t long_ms = 0;
  std::vector<float> session_interest;
  int64_t session_ms = 0;
  // Seen-item memory: item keys, oldest first, plus counts for lookup.
  std::deque<uint64_t> seen_order;
  std::unordered_map<uint64_t, uint32_t, KeyHash> seen_count;
  // The open view, if any.
  bool has_view = false;
  ViewState view;
  std::shared_ptr<const ItemSnapshot> view_item;
  // Counters.
  int64_t events = 0;
  int64_t views = 0;
  int64_t last_event_ms = 0;
  std::array<int64_t, kNumEventKinds> kind_counts{};

  bool Seen(uint64_t item_key) const { return seen_count.count(item_key) != 0; }
  void AddSeen(uint64_t item_key, int max_seen);
};

// JSON value (nlohmann) is kept out of the public header: these use text.
std::string ProfileToJson(const Profile& p);
// Errors are kDataLoss naming the field.
Status ProfileFromJson(const std::string& json, int embedding_dim,
                       Profile* out);

}  // namespace reelrank

#endif  // REELRANK_PROFILE_H_
