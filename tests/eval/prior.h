// The server prior of the offline evaluation: a global, non-personal model of
// P(long view) that only a server could know, learned from other users' logs.
//
// An L2-regularised logistic regression on item features (duration bucket,
// tags, upload type, video type, music type, orientation, author, video id),
// trained with AdaGrad over a few seeded epochs. Its prediction becomes each
// candidate's `server_score`.
#ifndef REELRANK_EVAL_PRIOR_H_
#define REELRANK_EVAL_PRIOR_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "kuairand.h"

namespace reelrank {
namespace eval {

struct PriorOptions {
  int epochs = 8;
  double learning_rate = 0.05;  // AdaGrad step
  double l2 = 0.1;              // per-example L2 on the weights touched
  double l2_id = 1.0;           // stronger L2 for author / video ids
  uint64_t seed = 1;            // shuffles the training rows
};

// Duration bucket used by the prior (and useful elsewhere): "none" for an
// unknown duration, otherwise a log-spaced bucket label such as "7-10s".
std::string DurationBucket(int64_t duration_ms);

class PriorModel {
 public:
  // Trains on `rows` (none of them from the evaluated user). Rows whose video
  // is unknown are skipped.
  void Train(const std::vector<const LogRow*>& rows,
             const std::unordered_map<int64_t, Video>& videos,
             const PriorOptions& options);

  // P(long view) of showing `video` (duration as in KnownDurationMs).
  double Predict(const Video& video, int64_t duration_ms) const;

  // Long-view rate of the training rows.
  double base_rate() const { return base_rate_; }

 private:
  // Feature names of an item; the bias is implicit.
  static void Features(const Video& video, int64_t duration_ms,
                       std::vector<std::string>* out);

  std::unordered_map<std::string, double> w_;
  double bias_ = 0.0;
  double base_rate_ = 0.0;
};

}  // namespace eval
}  // namespace reelrank

#endif  // REELRANK_EVAL_PRIOR_H_
