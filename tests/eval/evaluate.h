// Per-user evaluation: what each evaluated user contributes to every metric,
// for the baselines (independent of reelrank's config) and for reelrank
// (one config, with or without a model pack). Undefined values are NaN (an
// NDCG list without a positive gain, an AUC with one class).
//
// For every user, in time order (prequential):
//   - before each row, reelrank ranks the row's candidate (Ranker::Rank)
//     with what it learned so far: its value and heads; then it observes the
//     row's events;
//   - NDCG@10 of the list rows (kList10: rows after the 10th, users with
//     >= 20 rows) ranked after reelrank observed the first k in {0, 5, 10}
//     rows, and of the kList20 rows (after the 20th, users with >= 40 rows)
//     after it observed 20 (the list is prepared once: PreparedBatch);
//   - the feed loop (users with >= kLoopMinRows rows): every row of the user
//     is a candidate; Ranker::Next picks one, its logged reaction is
//     observed, for kLoopSteps steps.
#ifndef REELRANK_EVAL_EVALUATE_H_
#define REELRANK_EVAL_EVALUATE_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "dataset.h"
#include "reelrank/config.h"
#include "reelrank/heads.h"
#include "trace.h"

namespace reelrank {
namespace eval {

constexpr int kNdcgAt = 10;
constexpr int kRandomShuffles = 20;
constexpr int kLoopMinRows = 20;
constexpr int kLoopSteps = 20;

// Gains of the NDCG lists.
enum GainIndex { kGainLongView = 0, kGainWatchRatio, kGainDebiased };
constexpr int kGains = 3;
const char* GainKey(int gain);  // "long_view", "watch_ratio", "debiased"

// Observed rows before ranking a list: k = 0, 5, 10 (kList10) and 20
// (kList20).
constexpr int kNumK = 4;
constexpr int kObserved[kNumK] = {0, 5, 10, 20};
inline bool KOnList20(int ki) { return ki == 3; }

// Loop figures: long-view rate and mean debiased gain of the first 10 and
// 20 picks.
enum LoopMetric { kLoopLv10 = 0, kLoopLv20, kLoopDeb10, kLoopDeb20 };
constexpr int kLoopMetrics = 4;
const char* LoopMetricKey(int m);  // "lv10", "lv20", "deb10", "deb20"

using Nan4 = std::array<double, kNumK>;

struct BaseRecord {
  int64_t user_id = 0;
  int rows = 0;
  double auc_prior = 0.0;
  double ll_prior_sum = 0.0;  // log-loss summed over rows
  // [gain][list: 0 = kList10, 1 = kList20]
  double prior[kGains][2], random[kGains][2], shortest[kGains][2],
      oracle[kGains][2];
  double affinity[kGains][kNumK];  // at each k of kObserved
  // Loop baselines [metric]: prior-greedy, random (the pool's mean: the
  // expectation of random picks), oracle (the best picks for that metric).
  double loop_prior[kLoopMetrics], loop_random[kLoopMetrics],
      loop_oracle[kLoopMetrics];
  bool loop = false;
};

struct ReelRecord {
  double auc_value = 0.0;           // GAUC input: the value rank sorts by
  double auc_head[kNumHeads] = {};  // ... and each head
  double ll_head_sum[kNumHeads] = {};
  double ndcg[kGains][kNumK];
  double loop_feed[kLoopMetrics], loop_exploit[kLoopMetrics];
  int64_t rejected_events = 0;  // Observe errors
  int64_t dropped = 0;          // prequential candidates the policy dropped
  int loop_dry_steps = 0;       // loop steps where Next found nothing
  std::string first_error;
};

BaseRecord EvaluateBaselines(const UserCase& user, double affinity_m,
                             const PopulationRates& rates, uint64_t seed);

// `feed` is the evaluated config; `exploit` the same with exploration and
// diversity off (loop only). `pack_json` empty = no model pack. When not
// null, `prequential` records the calls of the prequential pass and `loop`
// those of the feed loop under `feed`.
ReelRecord EvaluateReel(const UserCase& user, const RankerConfig& feed,
                        const RankerConfig& exploit,
                        const std::string& pack_json,
                        CallTrace* prequential = nullptr,
                        CallTrace* loop = nullptr);

}  // namespace eval
}  // namespace reelrank

#endif  // REELRANK_EVAL_EVALUATE_H_
