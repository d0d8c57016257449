// The evaluation's duration-debiased gain.
//
// Raw watch ratio mostly measures duration (short items are finished more
// often), so the evaluation also scores a binary gain that compares a play
// only with plays of items of similar length: 1 when the play time is in the
// top quarter of the *other* users' plays of items in the same duration
// bucket, else 0 (the binary form of the correction of Kuaishou's D2Q work).
//
// Buckets: 10 equal-frequency bins of the other users' rows by duration
// (edges at their deciles), plus one bucket for an unknown duration (0).
// "Top quarter": at least 75 % of the other users' plays in the bucket are
// strictly shorter than this play.
//
//   DebiasTable t = DebiasTable::Fit(durations, plays);   // other users
//   double g = t.Gain(duration_ms, play_ms);              // 0 or 1
#ifndef REELRANK_EVAL_GAINS_H_
#define REELRANK_EVAL_GAINS_H_

#include <cstdint>
#include <vector>

namespace reelrank {
namespace eval {

class DebiasTable {
 public:
  static constexpr int kBins = 10;
  static constexpr double kTopShare = 0.25;

  // Fits the bins and the per-bin play distributions on the other users'
  // rows (parallel vectors; duration 0 = unknown).
  static DebiasTable Fit(const std::vector<int64_t>& durations_ms,
                         const std::vector<int64_t>& plays_ms);

  // 0..kBins-1 for a known duration, kBins for an unknown one (0).
  int Bin(int64_t duration_ms) const;
  // Share of the bin's fitted plays strictly shorter than `play_ms`.
  double PlayRank(int64_t duration_ms, int64_t play_ms) const;
  // 1 when PlayRank >= 1 - kTopShare, else 0; 0 for a bin without plays.
  double Gain(int64_t duration_ms, int64_t play_ms) const;

  // Upper edges (exclusive) of bins 0..kBins-2; the last bin is open.
  const std::vector<int64_t>& edges() const { return edges_; }

 private:
  std::vector<int64_t> edges_;
  std::vector<std::vector<int64_t>> plays_;  // per bin, sorted
};

}  // namespace eval
}  // namespace reelrank

#endif  // REELRANK_EVAL_GAINS_H_
