// Feedback fatigue: after the user says "not interested" in (or reports) an
// item, its creator is filtered out for a window, then its value is
// discounted; its topic and its sound are discounted (filter window
// topic_filter_ms, 0 by default); each discount decays back to normal (X's
// home-mixer filters for 14 days, then discounts over 140 days).
//
//   filter window        discount window
//   |<- filter_ms ->|<------ discount_ms ------>|
//   multiplier 0     start_multiplier ... 1.0 (linear)      1.0 afterwards
//
// Time is injected: every call takes the client clock in unix ms; nothing
// reads a clock. A repeated signal on the same key restarts its window (the
// latest signal per key counts). Signals remember the event that caused them,
// so Forget(event_id) removes exactly that event's effect.
//
//   FatigueTracker t(FatigueConfig{});
//   t.RecordNegative(candidate, event.timestamp_ms);
//   FatigueVerdict v = t.Assess(other_candidate, now_ms);
//   if (v.filtered) ...;  else value *= v.multiplier;
#ifndef REELRANK_FATIGUE_H_
#define REELRANK_FATIGUE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/status.h"

namespace reelrank {

constexpr int64_t kMsPerDay = 24LL * 3600 * 1000;

struct FatigueConfig {
  bool enabled = true;
  int64_t filter_ms = 14 * kMsPerDay;  // >= 0: filtered (dropped) this long
  // The filter window of a topic (its discount window is discount_ms). A
  // topic is often coarse (a whole category): filtering it would empty much
  // of a feed for one tap, so by default a topic is only discounted.
  int64_t topic_filter_ms = 0;
  int64_t discount_ms = 140 * kMsPerDay;  // >= 0: then discounted this long
  // Multiplier at the start of the discount window, in (0, 1]; rises
  // linearly to 1 at its end.
  double start_multiplier = 0.2;
  bool track_authors = true;  // fatigue the creator of a disliked item
  bool track_topics = true;   // fatigue its PrimaryTopic
  bool track_sounds = true;   // fatigue its sound (discounted, like a topic)
  int max_entries = 1024;     // bound; the oldest entries are evicted first
};

// Where on the curve a signal given at `since_ms` is at `now_ms`.
// A signal "in the future" (clock went back) counts as just given.
struct FatigueState {
  bool filtered = false;
  double multiplier = 1.0;  // 0 when filtered
};
FatigueState FatigueCurve(const FatigueConfig& config, int64_t since_ms,
                          int64_t now_ms);

// The topic fatigue and diversity track for a candidate: its category,
// else its first tag, else "" (none). Lower-cased, without a leading '#'.
std::string PrimaryTopic(const Candidate& c);

enum class FatigueKind : int { kAuthor = 0, kTopic = 1, kSound = 2 };

// The curve a signal of `kind` follows: `config` with the topic filter
// window for topics and sounds (both are shared by many items, so by default
// only discounted).
FatigueConfig CurveFor(const FatigueConfig& config, FatigueKind kind);
// "author", "topic" or "sound" (the JSON and rule-id name of `kind`).
const char* KindName(FatigueKind kind);

// One signal. Signals with the same kind, key and event id are merged (the
// later time wins).
struct FatigueEntry {
  FatigueKind kind = FatigueKind::kAuthor;
  std::string key;  // author or sound id (as given), or lower-cased topic
  int64_t at_ms = 0;
  std::string event_id;  // the event that caused it; may be empty
};

// A candidate's keys in the fatigue index: FeatureKey of its author (as
// given), of its normalised category and of each normalised tag (tag order).
// A PreparedBatch computes them once per candidate.
struct FatigueKeys {
  bool set = false;  // false: not computed (Assess computes them)
  uint64_t author = 0;
  uint64_t sound = 0;
  uint64_t category = 0;
  std::vector<uint64_t> tags;
};
FatigueKeys MakeFatigueKeys(const std::string& author, const std::string& sound,
                            const std::string& norm_category,
                            const std::vector<std::string>& norm_tags);

// The verdict for one candidate: the strongest fatigue among its author,
// its category and its tags (lowest multiplier; filtered wins).
struct FatigueVerdict {
  bool filtered = false;
  double multiplier = 1.0;
  // "author:<id>", "sound:<id>" or "topic:<name>"; "" when none applies.
  std::string key;
};

class FatigueTracker {
 public:
  explicit FatigueTracker(const FatigueConfig& config = FatigueConfig{});

  const FatigueConfig& config() const { return config_; }
  void set_config(const FatigueConfig& config);

  // A "not interested" or report on `c` at `at_ms`: records its author and
  // its PrimaryTopic (as enabled in the config).
  void RecordNegative(const Candidate& c, int64_t at_ms,
                      const std::string& event_id = std::string());
  // Records one key directly (e.g. "not interested in this creator").
  void Record(FatigueKind kind, const std::string& key, int64_t at_ms,
              const std::string& event_id = std::string());
  // Removes the signals of event `event_id`; returns how many.
  int Forget(const std::string& event_id);

  FatigueVerdict Assess(const Candidate& c, int64_t now_ms) const;
  // The same with c's category and tags already normalised as PrimaryTopic
  // does (lower-cased, one leading '#' removed), e.g. PolicyMatchInput's.
  // `keys` (may be null): MakeFatigueKeys(c.author, norm_category,
  // norm_tags), precomputed.
  FatigueVerdict Assess(const Candidate& c, const std::string& norm_category,
                        const std::vector<std::string>& norm_tags,
                        const FatigueKeys* keys, int64_t now_ms) const;
  // The same as the entry that decides it (null: none applies; valid until
  // the tracker changes) and, in *state, its place on the curve.
  const FatigueEntry* Strongest(const Candidate& c,
                                const std::string& norm_category,
                                const std::vector<std::string>& norm_tags,
                                const FatigueKeys* keys, int64_t now_ms,
                                FatigueState* state) const;

  // Forgets entries whose discount window has ended by `now_ms`.
  void Prune(int64_t now_ms);
  void Clear() {
    entries_.clear();
    index_valid_ = false;
  }
  const std::vector<FatigueEntry>& entries() const { return entries_; }

  // Versioned JSON:
  // {"version":1,"entries":[{"kind":"author","key":..,"at_ms":..}]}
  std::string ToJson() const;
  // Replaces the entries; on error nothing changes.
  Status FromJson(const std::string& json);

 private:
  const FatigueEntry* AssessImpl(const Candidate& c,
                                 const std::string* norm_category,
                                 const std::vector<std::string>* norm_tags,
                                 const FatigueKeys* keys, int64_t now_ms,
                                 FatigueState* state) const;
  static FatigueVerdict VerdictOf(const FatigueEntry* best,
                                  const FatigueState& s);
  // Rebuilds the (kind, key) -> entry positions index (after entries_
  // changed).
  void BuildIndex() const;
  // The index slot of (kind, FeatureKey of an entry key), or null.
  static constexpr uint32_t kNoEntry = 0xffffffffu;
  struct IndexSlot {
    uint64_t key = 0;
    uint32_t first = kNoEntry;  // kNoEntry: empty slot
    uint32_t last = kNoEntry;
    FatigueKind kind = FatigueKind::kAuthor;
  };
  const IndexSlot* FindSlot(FatigueKind kind, uint64_t key) const;

  FatigueConfig config_;
  std::vector<FatigueEntry> entries_;  // insertion order; small (bounded)
  // Positions in entries_ by key, per kind; valid while index_valid_ (every
  // change to entries_ clears it), so Assess costs a few lookups per
  // candidate instead of a pass over every entry.
  mutable bool index_valid_ = false;
  // Open addressing (a power of two, at most half full) on (kind,
  // FeatureKey(entry key)); a hit is confirmed on the string. A slot's
  // entries are first, index_next_[first], ... (kNoEntry ends), in entries_
  // order.
  mutable std::vector<IndexSlot> index_;
  mutable std::vector<uint32_t> index_next_;
  mutable bool has_author_ = false, has_topic_ = false, has_sound_ = false;
};

}  // namespace reelrank

#endif  // REELRANK_FATIGUE_H_
