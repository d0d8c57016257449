// The evaluation's view of the log: users in time order, folds by user, and
// one user's rows turned into what reelrank sees (candidates, contexts,
// events) with the evaluation's labels (long view, watch ratio, debiased
// gain) beside them.
#ifndef REELRANK_EVAL_DATASET_H_
#define REELRANK_EVAL_DATASET_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "baselines.h"
#include "gains.h"
#include "kuairand.h"
#include "prior.h"
#include "reelrank/candidate.h"
#include "reelrank/context.h"
#include "reelrank/event.h"

namespace reelrank {
namespace eval {

using VideoMap = std::unordered_map<int64_t, Video>;

struct UserLog {
  int64_t user_id = 0;
  std::vector<const LogRow*> rows;  // time order
};

// Users in increasing id order, each user's rows in time order (stable).
std::vector<UserLog> GroupByUser(const std::vector<LogRow>& rows);

// splitmix64 finaliser.
uint64_t Mix(uint64_t x);

// Fold 0..folds-1 of a user for a named split ("outer", "inner",
// "crossfit"): a hash of the user id, the split's name and the seed, so
// splits at different levels are independent of each other.
int FoldOf(int64_t user_id, const char* split, uint64_t seed, int folds);

// A seed that depends only on the set of users (not their order).
uint64_t SetSeed(const std::vector<const UserLog*>& users, uint64_t seed);

// Gap (ms) between rows that starts a new session (session_depth 0).
constexpr int64_t kSessionGapMs = 30LL * 60 * 1000;

// One user's rows as the evaluation replays them, in time order.
struct UserCase {
  const UserLog* log = nullptr;
  std::vector<Candidate> candidates;  // server_score = the fold's prior
  std::vector<Context> contexts;
  std::vector<std::vector<Event>> events;  // RowToEvents
  std::vector<int> long_view;
  std::vector<double> watch_ratio;   // WatchRatioGain
  std::vector<double> debiased;      // DebiasTable::Gain
  std::vector<int64_t> duration_ms;  // KnownDurationMs (0 = unknown)
  std::vector<AffinityKeys> keys;    // for the affinity baseline
  size_t size() const { return candidates.size(); }
};

// Affinity keys of a video: "tag:<t>" per tag, "author:<a>", "dur:<b>" (the
// core's duration bucket; "dur:none" when unknown).
AffinityKeys AffinityKeysOf(const Video& video, int64_t duration_ms);

// `debias` may be null (debiased gains left 0).
UserCase BuildCase(const UserLog& user, const VideoMap& videos,
                   const PriorModel& prior, const DebiasTable* debias);

}  // namespace eval
}  // namespace reelrank

#endif  // REELRANK_EVAL_DATASET_H_
