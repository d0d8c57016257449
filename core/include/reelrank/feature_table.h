// FeatureTable: the profile's collision-free sparse table (Monolith's ideas on
// a device budget).
//
// Keyed by full 64-bit FNV-1a hashes of readable feature names
// ("tag:cooking", "author:42", "category:food", "dur:3", "cat_dur:food|3",
// "cat_hour:food|2", "sound:s1"); two names share an entry only on a true
// 64-bit hash collision, never by modulo. Each entry keeps per-head FTRL
// state (the personal delta), raw and decayed sightings, last-seen time and an
// explicit-negative strength. Decay happens in event time when an entry is
// touched; eviction keeps the table at or under its cap and is deterministic
// (it never depends on hash-map iteration order).
//
//   FeatureTable t;
//   FeatureEntry* e = t.Touch(FeatureKey("tag:cooking"), "tag:cooking", now,
//   hl); t.Enforce(now, profile_config);   // expiry + eviction to the cap
#ifndef REELRANK_FEATURE_TABLE_H_
#define REELRANK_FEATURE_TABLE_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "reelrank/config.h"
#include "reelrank/ftrl.h"
#include "reelrank/heads.h"
#include "reelrank/key_hash.h"

namespace reelrank {

constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

// FNV-1a 64 of `s`, continuing from `h` (so keys can be built piecewise
// without allocating). Stable across platforms.
inline uint64_t Fnv1a64(std::string_view s, uint64_t h = kFnvOffset) {
  for (unsigned char c : s) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}
// The key of a readable feature name.
inline uint64_t FeatureKey(std::string_view name) { return Fnv1a64(name); }

// Kinds of sparse features an item has.
enum class FeatureKind : uint8_t {
  kTag = 0,   // "tag:<tag>"
  kAuthor,    // "author:<author>"
  kSound,     // "sound:<sound>"
  kCategory,  // "category:<category>"
  kDuration,  // "dur:<bucket>" ("dur:p" for a photo post, duration 0)
  kCatDur,    // "cat_dur:<category>|<bucket>"
  kCatHour,   // "cat_hour:<category>|<hour / 6>"
};

// Log-spaced duration buckets: <7 s, 7-15, 15-30, 30-60, 60-120, 120-300,
// >= 300 s -> 0..6.
int DurationBucket(int64_t duration_ms);
constexpr int kNumDurationBuckets = 7;

// 2^(-dt / half_life); 1 when dt <= 0.
double DecayFactor(int64_t dt_ms, int64_t half_life_ms);

struct FeatureEntry {
  std::string name;          // readable name (for UIs and export)
  uint32_t count = 0;        // raw sightings (frequency gate)
  float sightings = 0.0f;    // decayed sightings as of last_seen_ms
  int64_t last_seen_ms = 0;  // latest sighting or update (event time)
  float negative = 0.0f;     // explicit negative strength as of negative_ms
  int64_t negative_ms = 0;
  std::array<FtrlCoord, kNumHeads> coords{};  // personal deltas per head
};

class FeatureTable {
 public:
  FeatureEntry* Find(uint64_t key);
  const FeatureEntry* Find(uint64_t key) const;

  // Finds or inserts the entry and brings it to `now_ms`: decays sightings
  // and the FTRL z (so personal weights fade) by the time since last seen,
  // then sets last_seen_ms = max(last_seen_ms, now_ms). Never evicts, so
  // pointers stay valid until Enforce / Erase / Clear.
  FeatureEntry* Touch(uint64_t key, std::string_view name, int64_t now_ms,
                      int64_t half_life_ms);

  // Drops entries not seen for feature_expiry_ms (when `sweep_expired`) and,
  // if the table is over max_features, evicts the least valuable entries
  // (decayed sightings plus explicit negative, then oldest, then key) down
  // to max_features - max_features / 16.
  void Enforce(int64_t now_ms, const ProfileConfig& config, bool sweep_expired);

  // Raw insert for deserialization (replaces an existing key).
  void Put(uint64_t key, FeatureEntry entry);
  void Clear() { map_.clear(); }
  size_t size() const { return map_.size(); }
  // Entries sorted by key (deterministic order for export and scans).
  std::vector<std::pair<uint64_t, const FeatureEntry*>> Sorted() const;

 private:
  std::unordered_map<uint64_t, FeatureEntry, KeyHash> map_;
};

}  // namespace reelrank

#endif  // REELRANK_FEATURE_TABLE_H_
