// The evaluator's view of reelrank: one personal Ranker per evaluated user,
// created from what a server could ship (the prior as `server_score`, and a
// mapping from the ranker's outputs to P(long view) learned from other
// users), scored before each event and fed the user's events afterwards.
#ifndef REELRANK_EVAL_REEL_ADAPTER_H_
#define REELRANK_EVAL_REEL_ADAPTER_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/config.h"
#include "reelrank/context.h"
#include "reelrank/event.h"
#include "reelrank/ranker.h"

namespace reelrank {
namespace eval {

// One scored candidate, in input order.
struct ReelScore {
  double value = 0.0;        // the ranker's value (its ranking key)
  double p_long_view = 0.0;  // P(long view) mapped from the ranker's output
  int rank = 0;              // 0 = first in the ranker's order
  std::array<float, kNumHeads> heads{};  // per-head predictions
};

// One user's sequence: candidates in time order with their events and
// labels (labels are used only on the server side, for other users).
struct UserSequence {
  std::vector<Candidate> candidates;
  std::vector<Context> contexts;
  std::vector<std::vector<Event>> events;
  std::vector<int> long_view;
};

// The fixed server-side map from a candidate's ranker outputs to
// P(long view): sigmoid(w0 + w1 * logit(server score) + w2 * personal finish
// delta), the delta (the finish head's logit minus the pack's non-personal
// logit) used for items shorter than 18 s only, with w fitted on reelrank's
// prequential outputs for other users (pairwise within users, then
// calibrated). KuaiRand's long view is a play of at least min(duration,
// 18 s): for a short item that is a completion, which the finish head
// predicts on the device; for longer items no head predicts "18 s or more",
// and the personal watch-ratio delta (tried, on the validation half) tracks
// the user's changing level and lowers the within-user AUC, as did the
// continue / negative heads and the server score alone.
constexpr int64_t kLongViewMs = 18000;
constexpr int kMapFeatures = 3;
using MapFeatures = std::array<double, kMapFeatures>;

// The core's duration bucket of an item (0..6), as in its "dur:<b>" names.
int PackDurationBucket(int64_t duration_ms);
constexpr int kPackDurationBuckets = 7;

class ReelUnderTest {
 public:
  // `config_json` overrides the ranker's defaults (may be empty). An invalid
  // config is reported by status() and the defaults are used.
  explicit ReelUnderTest(const std::string& config_json);
  const Status& status() const { return status_; }

  // Server side, before any evaluated user: learns what a server would ship
  // from other users' sequences only (here the P(long view) map, fitted on
  // reelrank's prequential outputs for those users).
  void Prepare(const std::vector<UserSequence>& others);

  // Starts a fresh personal profile for the next user.
  void ResetUser();

  // Scores candidates with the current profile (does not learn).
  std::vector<ReelScore> Score(const std::vector<Candidate>& candidates,
                               const Context& context);

  // Learns from the events of one shown candidate (ranked before).
  void Observe(const std::vector<Event>& events);

  // A one-line description of the configuration, for the report.
  std::string Describe() const;
  int64_t rejected_events() const { return rejected_events_; }
  const std::string& first_rejection() const { return first_rejection_; }

 private:
  double MapToLongView(const MapFeatures& x) const;
  // [1, logit(server score), personal finish delta for a short item, else
  // 0].
  MapFeatures MapInputs(const Candidate& c, const ScoredCandidate& s) const;
  double finish_bias_ = -1.0;  // the pack's finish bias and prior weight
  double finish_prior_ = 1.0;
  // A model pack JSON fitted on other users (see Prepare).
  std::string TrainPack(const std::vector<UserSequence>& others);

  std::string pack_json_;
  RankerConfig config_;
  Status status_;
  std::unique_ptr<Ranker> ranker_;
  std::array<double, kMapFeatures> map_w_{};  // fitted map weights
  bool map_fitted_ = false;
  int64_t rejected_events_ = 0;
  std::string first_rejection_;
};

}  // namespace eval
}  // namespace reelrank

#endif  // REELRANK_EVAL_REEL_ADAPTER_H_
