// RankerConfig: every tunable of the ranker, with documented defaults.
//
// Plain data. ParseConfig reads JSON, tolerant of missing keys (they keep
// their defaults), and validates once with field-named errors; ConfigToJson
// writes every field. Time is always event time (client ms), never a clock.
//
//   Result<RankerConfig> c = ParseConfig(R"({"embedding_dim": 16})");
//   if (!c.ok()) return c.status();   // e.g. "config.embedding_dim: must be
//   ..." Ranker ranker(c.value());
#ifndef REELRANK_CONFIG_H_
#define REELRANK_CONFIG_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "reelrank/ftrl.h"
#include "reelrank/heads.h"
#include "reelrank/pipeline.h"
#include "reelrank/signals.h"
#include "reelrank/status.h"

namespace reelrank {

// Bounds and time constants of the private profile. JSON key "profile".
struct ProfileConfig {
  // Feature-table cap (entries). Default 4096. The table never exceeds it:
  // when full, the least valuable entries (decayed sightings, then oldest,
  // then key) are evicted.
  int max_features = 4096;
  // Frequency gate: an entry's personal weight is used only after this many
  // sightings (Monolith-style admission). Default 1 (every seen id).
  int frequency_gate = 1;
  // Confidence shrinkage: a personal weight is multiplied by c / (c + k),
  // c = decayed sightings. Default 1.0; 0 disables.
  double confidence_k = 1.0;
  // Half-life (ms) of an entry's sightings and personal weights since it was
  // last seen. Default 14 days.
  int64_t feature_half_life_ms = 14LL * 24 * 3600 * 1000;
  // An entry not seen for this long (ms) is dropped. Default 60 days.
  int64_t feature_expiry_ms = 60LL * 24 * 3600 * 1000;
  // Half-life (ms) of the long-term interest vector. Default 7 days.
  int64_t long_half_life_ms = 7LL * 24 * 3600 * 1000;
  // Half-life (ms) of the session interest vector. Default 10 minutes.
  int64_t session_half_life_ms = 10LL * 60 * 1000;
  // Half-life (ms) of an explicit not-interested / report on an author or a
  // tag. Default 30 days.
  int64_t negative_half_life_ms = 30LL * 24 * 3600 * 1000;
  // Seen-item memory (item ids remembered as shown). Default 2048.
  int max_seen_items = 2048;
  // Recent-event log length: forget() works for events still in it. Default
  // 256.
  int max_event_log = 256;
  // Known-items pool: compact snapshots of ranked candidates that Observe can
  // refer to by id. Default 4096.
  int max_known_items = 4096;
};

// Online learners. JSON key "learner".
struct LearnerConfig {
  // FTRL for the sparse personal deltas (tags, authors, ..., crosses).
  // Defaults alpha 0.2, beta 1, l1 0, l2 1 (tuned on KuaiRand-1K, see
  // tests/eval/README.md).
  FtrlParams sparse{0.2, 1.0, 0.0, 1.0};
  // FTRL for the personal sensitivity to the server score (the prior's
  // personal delta). Defaults alpha 0.01, beta 1, l1 0, l2 5.
  FtrlParams dense{0.01, 1.0, 0.0, 5.0};
  // FTRL for the user's level per head (the personal bias, learned from the
  // model without personal terms). Defaults alpha 1, beta 1, l1 0, l2 1: the
  // level must keep up with the personal terms, or they would earn evidence
  // just by learning the level faster.
  FtrlParams level{1.0, 1.0, 0.0, 1.0};
  // Per-head multiplier of the gradient (0 = head not learned). JSON
  // object keyed by HeadName. Default 1 for every head.
  std::array<double, kNumHeads> head_rate{1, 1, 1, 1, 1, 1, 1, 1};
  // Importance weight of an explicit negative (not interested, report) in the
  // negative head's update. Default 4.
  double explicit_negative_weight = 4.0;
  // FTRL for the coefficients of the two interest similarities (how much
  // "like what you watched" predicts each head). Defaults alpha 1, beta 1,
  // l1 0, l2 1.
  FtrlParams interest{1.0, 1.0, 0.0, 1.0};
  // Step of the interest vectors per closed view, times the view's interest
  // signal (watch-ratio label - 0.15, plus engagements, minus negative).
  // Default 1.
  double interest_rate = 1.0;
  // Evidence gate: a head's personal terms count with weight
  // clamp(z / gate_z, 0, 1), where z is the log-loss they saved on the
  // user's own views (measured before each update, decayed) divided by its
  // standard error: z standard errors of evidence that they predict better.
  // 0 disables the gate (personal terms always at full weight). Default 2.
  double gate_z = 2.0;
  // Floor (nats) added to the evidence's standard error. Default 0.5.
  double evidence_floor = 0.5;
  // Half-life of the evidence, in learning steps of the head (views).
  // 0 = no decay. Default 200.
  double evidence_half_life = 200.0;
};

// Index into objective weights etc.
inline int HeadIndex(Head h) { return static_cast<int>(h); }

struct RankerConfig {
  // Dimension of Candidate::embedding, 1..1024. Default 32.
  int embedding_dim = 32;
  // Seeds every random choice (exploration). Learning never uses it.
  uint64_t seed = 1;
  // Event -> label thresholds. JSON key "signals".
  SignalConfig signals;
  // Profile bounds and half-lives. JSON key "profile".
  ProfileConfig profile;
  // Learner hyper-parameters. JSON key "learner".
  LearnerConfig learner;
  // Value = sum_h objective_weights[h] * p_h. JSON object keyed by HeadName.
  // Defaults (tuned on KuaiRand-1K, where the dense watch-ratio signal ranks
  // best): continue 0, watch_ratio 1.0, finish 0, like 0.5, follow 0.3,
  // share 0.3, comment 0.2, negative -0.3. Positive heads must be >= 0 and the
  // negative head <= 0 (so an empty profile keeps the server order). The user
  // may adjust watch_ratio, finish, like, follow, share, comment in [0, 5]
  // (Ranker::SetObjectiveWeight); continue and negative are operator-only.
  std::array<double, kNumHeads> objective_weights{0.0, 1.0, 0.0, 0.5,
                                                  0.3, 0.3, 0.2, -0.3};
  // Value subtracted from an item already shown (seen-item memory). Default
  // 1.0; 0 disables (offline evaluation).
  double seen_penalty = 1.0;
  // Value subtracted per unit of explicit negative (not interested / report,
  // decayed) on the item's author; tags count `tag_negative_share` of it.
  // Default 3.0.
  double negative_penalty = 3.0;
  // Share of an explicit negative that also lands on the item's tags (the
  // strongest tag counts), in [0, 1]. Default 0.25.
  double tag_negative_share = 0.25;
  // Fill ScoredCandidate::contributions (top contributing features). Default
  // true. Turning it off saves a little time per candidate.
  bool explain = true;

  // ---- Pipeline stages (policy, fatigue, explore, diversity) -------------
  // Stage switches and settings (see pipeline.h). JSON: the top-level keys
  // "policy", "fatigue", "explore", "diversity" (see
  // core/src/pipeline_config_json.h); errors name "config.explore.slot_every"
  // etc.
  PipelineConfig pipeline;
};

// Validates every field; errors name "config.<path>: reason".
Status ValidateConfig(const RankerConfig& config);

// Parses JSON (at most Limits::kConfigJsonBytes, reelrank/limits.h).
// Missing keys keep their defaults; a wrong type or out-of-range value is an
// error naming the field. Unknown keys (usually typos) are ignored, and when
// `warnings` is not null each one appends a message naming it, in document
// order, e.g. "config.explore.slot_evry: unknown key (ignored)".
Result<RankerConfig> ParseConfig(const std::string& json,
                                 std::vector<std::string>* warnings = nullptr);

// Every field as JSON (parses back to an identical config).
std::string ConfigToJson(const RankerConfig& config);

}  // namespace reelrank

#endif  // REELRANK_CONFIG_H_
