// Ranker: the facade of the on-device ranker.
//
// Owns the private profile, the learners, the model pack and the seeded
// generator. Not thread safe: one Ranker per thread (the web package runs it
// on one thread or one worker). No method throws; errors are returned as
// values. Deterministic: the same config, seed and call sequence give
// bit-identical outputs; learning never reads a clock or the generator.
//
//   reelrank::Ranker ranker(reelrank::RankerConfig{});
//   reelrank::RankResult r = ranker.Rank(candidates, context);
//   for (const auto& s : r.ranked) Show(candidates[s.index]);
//   ranker.Observe(event);            // learns now; the next Rank reflects it
//   std::string saved = ranker.ExportProfile();
#ifndef REELRANK_RANKER_H_
#define REELRANK_RANKER_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/config.h"
#include "reelrank/context.h"
#include "reelrank/event.h"
#include "reelrank/explain.h"
#include "reelrank/heads.h"
#include "reelrank/policy.h"
#include "reelrank/status.h"

namespace reelrank {

// What a contribution is attributed to.
enum class ContributionKind : uint8_t {
  kBias = 0,         // the heads' biases
  kPrior,            // the server's score
  kTag,              // Candidate::tags[index]
  kAuthor,           // Candidate::author
  kSound,            // Candidate::sound
  kCategory,         // Candidate::category
  kDuration,         // the duration bucket
  kCross,            // index 0: category x duration, 1: category x hour
  kInterestLong,     // similarity to the long-term interest vector
  kInterestSession,  // similarity to the session interest vector
  kNotInterested,    // explicit not-interested / report on author or tags
  kSeen,             // already shown (seen-item memory)
};
constexpr int kNumContributionKinds = 12;
// "bias", "prior", "tag", "author", "sound", "category", "duration", "cross",
// "interest_long", "interest_session", "not_interested", "seen".
const char* ContributionKindName(ContributionKind kind);

// One feature's share of a candidate's value (first-order: for each head,
// objective weight * p(1-p) * the feature's logit term; exact for the
// additive penalties).
struct Contribution {
  ContributionKind kind = ContributionKind::kBias;
  int index = 0;       // which tag for kTag; which cross for kCross; else 0
  float value = 0.0f;  // signed contribution to ScoredCandidate::value
};
constexpr int kMaxContributions = 4;

// One ranked candidate. `index` points into the input vector.
struct ScoredCandidate {
  int index = 0;
  double value = 0.0;
  // Per-head predictions in [0, 1], indexed by HeadIndex(Head).
  // heads[kWatchRatio] is the expected watch-ratio label (ratio / cap);
  // heads[kFinish] ~ P(finish).
  std::array<float, kNumHeads> heads{};
  // The largest |value| contributions (excluding bias), largest first;
  // `num_contributions` of them are set (0 when config.explain is false).
  std::array<Contribution, kMaxContributions> contributions{};
  int num_contributions = 0;
  bool seen = false;  // the item was shown before (seen-item memory)

  // ---- Pipeline (policy -> score -> explore -> diversify) ----
  // Policy outcome; never kDrop (dropped candidates are not returned).
  PolicyAction action = PolicyAction::kAllow;
  std::string rule_id;             // the rule that decided `action`, "" none
  double policy_multiplier = 1.0;  // already applied to `value`
  bool interstitial = false;       // show a warning before playing it
  bool explored = false;           // an exploration pick
  // Position in the explore order before diversity moved it (equal to its
  // own position when diversity left it in place).
  int pre_diversity_rank = -1;
};

// A valid candidate the policy stage dropped (never ranked), with the reason.
struct DroppedCandidate {
  int index = 0;
  std::string rule_id;  // e.g. "violence", "user:blocked_author:bob",
                        // "fatigue:topic:golf"
  RuleSource source = RuleSource::kNone;
  std::string reason;
};

// A candidate that was skipped, with the reason.
struct Rejection {
  int index = 0;
  Status status;
};

struct RankResult {
  // Best first: by value after the policy multiplier (ties: input order),
  // dropped candidates removed. With config pipeline.rank_feed_order the
  // feed order instead: exploration slots and diversity applied as in Next
  // (see pipeline.h). Never contains a dropped candidate.
  std::vector<ScoredCandidate> ranked;
  std::vector<Rejection> rejected;        // in input order
  std::vector<DroppedCandidate> dropped;  // in input order
};

// The item the full-screen feed shows now (Ranker::Next).
struct NextItem {
  bool found = false;  // false: nothing left to show; rank more candidates
  std::string id;
  ScoredCandidate scored;  // scored.index is -1 (no input vector)
};

// A readable profile entry for a UI ("what reelrank thinks you like").
struct Interest {
  std::string
      name;  // "tag:cooking", "author:42", "category:food", "dur:3", ...
  double weight = 0.0;  // personal effect on the value of an item with it
  double sightings = 0.0;
};

// Sizes and counters of the profile (for UIs, tests and benchmarks).
struct ProfileStats {
  int features = 0;     // feature-table entries (<= profile.max_features)
  int seen_items = 0;   // <= profile.max_seen_items
  int event_log = 0;    // <= profile.max_event_log
  int known_items = 0;  // <= profile.max_known_items
  int64_t events = 0;   // events learned from
  int64_t views = 0;    // views closed
  // Per head (HeadIndex), in [0, 1]: the weight the personal terms have now,
  // earned by evidence that they predict this user better than the server's
  // score alone (0 = the server's order; see core/src/scorer.h).
  std::array<float, kNumHeads> personal_weight{};
};

class PreparedBatch;  // reelrank/prepared_batch.h

class Ranker {
 public:
  // Uses `config` if valid; otherwise the defaults (see config_status()).
  explicit Ranker(const RankerConfig& config);
  // Validates first; errors name the field.
  static Result<std::unique_ptr<Ranker>> Create(const RankerConfig& config);
  ~Ranker();
  Ranker(const Ranker&) = delete;
  Ranker& operator=(const Ranker&) = delete;

  const RankerConfig& config() const;
  // Ok, or why the constructor fell back to the default config.
  const Status& config_status() const;

  // Scores every valid candidate and returns them best first. Invalid ones
  // (bad embedding, empty or duplicate id, bad duration, ...) are listed in
  // `rejected` with a field-named reason and do not affect the others.
  // Valid candidates are remembered (bounded pool) so Observe can refer to
  // them by id. Does not change what the ranker has learned.
  RankResult Rank(const std::vector<Candidate>& candidates,
                  const Context& context);

  // Prepare once, rank many (reelrank/prepared_batch.h): validates the batch
  // and precomputes its input-only work. Does not change the ranker.
  PreparedBatch Prepare(std::vector<Candidate> candidates) const;
  // Exactly Rank(batch.candidates(), context), without redoing the work
  // Prepare did. Everything depending on the ranker's state (profile, model
  // pack, policy, user controls, objective weights, time) is per call.
  RankResult Rank(const PreparedBatch& batch, const Context& context);
  // Makes the batch's valid candidates known to Observe before they are
  // ranked (a feed registers its server batch once, then the user may act on
  // an item before the next rank). Known items stay as they are.
  void Register(const PreparedBatch& batch);

  // Learns from one event, inside the call. Errors (nothing changed):
  // kInvalidArgument naming the field (empty or duplicate event_id, an id
  // longer than Limits::kIdBytes, unknown kind, negative dwell, non-finite or
  // negative velocity, timestamp_ms outside +-1e15), kNotFound naming
  // event.item_id for an item never ranked (or evicted from the pool).
  // The ranker's clock is the later of the latest accepted event's
  // timestamp_ms and the now_ms of the latest Rank / Next; an event more
  // than Limits::kEventLeadMs (1 day) ahead of it is rejected as
  // kInvalidArgument naming event.timestamp_ms, so one event with a wrong
  // clock cannot expire what the profile learned. Events behind the clock
  // (late or offline events) are accepted.
  // While learning is paused, valid events return ok and change nothing
  // learned (the export is unchanged); an impression still marks the item
  // as shown for Next() (in memory only, until Reset()).
  Status Observe(const Event& event);

  // Tells the ranker the current time, as a Rank / Next's now_ms does,
  // without ranking: an embedder calls it at start with the device clock, so
  // that the first event, too, is bounded by Limits::kEventLeadMs.
  void SetClock(int64_t now_ms);

  // The learned state as versioned JSON with an FNV-1a-64 checksum (format
  // version 2: floats and bulk integers as base64 of little-endian binary,
  // each logged item stored once; see core/src/serial.h). Floats round-trip
  // exactly; export -> import -> export is byte-identical.
  std::string ExportProfile() const;
  // Replaces the learned state. Reads format versions 2 and 1 (profiles
  // saved by earlier builds). kUnimplemented for an unknown version,
  // kDataLoss for a bad checksum or malformed / truncated JSON,
  // kInvalidArgument for a profile of another embedding dimension. On error
  // the profile is unchanged. The known-items pool is not part of a profile:
  // Rank the candidates again before observing events about them.
  // Before anything is parsed: text longer than profile_bytes_limit() is
  // kInvalidArgument naming "profile" with both sizes, and text nesting
  // deeper than Limits::kProfileDepth is kDataLoss. Time is linear in the
  // text's length.
  Status ImportProfile(const std::string& json);
  // The longest profile text ImportProfile reads, in bytes (see limits.h).
  size_t profile_bytes_limit() const;

  // Forgets everything learned; the model pack stays.
  void Reset();
  // "Refresh your feed": starts over as if new (Reset) but keeps the
  // creators the user follows, the user controls and the objective weights.
  void RefreshFeed();
  // Rebuilds the profile as if event `event_id` had never been observed
  // (replay from a checkpoint). kFailedPrecondition if the event is not in
  // the recent-event log once events have left it (older than the log, or
  // never observed); kNotFound while nothing has left the log. Replay uses the
  // current model pack.
  Status Forget(const std::string& event_id);

  void PauseLearning(bool paused);
  bool learning_paused() const;

  // The non-personalized feed (the EU DSA, Art. 38): with personalization
  // off, Rank orders by the server's score under the operator policy and
  // the user's controls (blocks, maturity), Next shows the first item of
  // that order not yet shown, and nothing is learned (Observe validates and
  // then changes nothing exported; an impression still marks the item shown
  // for Next, in memory only). The one thing read from the profile is which
  // items were already shown, so that the feed does not repeat them.
  // The profile is kept: turning personalization on again ranks exactly as
  // before. Not part of the profile (an app stores the switch with the
  // user's settings). Default on.
  void SetPersonalization(bool on);
  bool personalization() const;

  // The user-adjustable objectives: watch_ratio, finish, like, follow, share,
  // comment; weight in [0, 5]. Others -> kInvalidArgument.
  static bool IsUserAdjustable(Head head);
  Status SetObjectiveWeight(Head head, double weight);
  // JSON object keyed by HeadName, e.g. {"like": 2, "share": 0}; all or
  // nothing. The weights are part of the exported profile (what the user
  // set travels with it); a profile without them keeps the current ones.
  Status SetObjectiveWeights(const std::string& json);

  // Loads global (non-personal) head weights (see model_pack.h). Personal
  // deltas are kept and now apply on top of the new pack.
  Status LoadModelPack(const std::string& json);
  std::string ModelPackJson() const;

  // Up to `k` profile entries with the largest |personal weight|, largest
  // first (ties by name).
  std::vector<Interest> TopInterests(int k) const;
  ProfileStats Stats() const;

  // ---- Pipeline: policy, user controls, next, explain ----
  // Replaces the operator policy (JSON, see policy.h). On error (naming the
  // rule and field) the previous policy stays in force. Starts with
  // DefaultPolicyJson().
  Status SetPolicy(const std::string& json);
  std::string PolicyJson() const;
  // Replaces the user's controls (JSON, see policy.h UserControls). On error
  // the previous controls stay. Exported with the profile; Reset() keeps
  // them (they are settings, not learned state).
  Status SetUserControls(const std::string& json);
  std::string UserControlsJson() const;
  // Both at once, all or nothing: both are validated before either is
  // applied, so on error (naming the field, as SetPolicy / SetUserControls
  // do) the previous policy and controls stay.
  Status SetPolicyAndControls(const std::string& policy_json,
                              const std::string& controls_json);
  // The single item the full-screen feed shows now: the best of the known,
  // not yet shown candidates (shown = an observed impression, also while
  // learning is paused; every valid candidate of earlier Rank calls,
  // bounded by profile.max_known_items), through the whole pipeline. Pure
  // for a given state: it changes after Observe / Rank / SetPolicy / ...,
  // not between two calls. Never a dropped item.
  NextItem Next(const Context& context);
  // Why item `id` (of the latest Rank / Next that saw it) got its place or
  // was dropped. kNotFound for an unknown id. ExplanationToJson (explain.h)
  // gives its JSON form.
  Result<Explanation> Explain(const std::string& id) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace reelrank

#endif  // REELRANK_RANKER_H_
