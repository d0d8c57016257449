// Offline ranking metrics for the reelrank evaluator: AUC, group AUC,
// log-loss and NDCG@k.
//
// Pure functions on plain vectors, independent of the core, so they can be
// unit-tested on tiny hand-computed inputs (metrics_test.cpp).
//
//   double auc = reelrank::eval::Auc({0.9, 0.1, 0.5}, {1, 0, 0});  // 1.0
#ifndef REELRANK_EVAL_METRICS_H_
#define REELRANK_EVAL_METRICS_H_

#include <cstdint>
#include <vector>

namespace reelrank {
namespace eval {

// Area under the ROC curve of `scores` against binary `labels` (0 / non-0),
// computed from average ranks, so tied scores count 1/2. Returns NaN when
// the sizes differ or one class is absent.
double Auc(const std::vector<double>& scores, const std::vector<int>& labels);

// One user's prequential predictions and labels, for GroupAuc.
struct UserScores {
  std::vector<double> scores;
  std::vector<int> labels;
};

struct GroupAucResult {
  double gauc = 0.0;   // weighted mean AUC; NaN when no user qualifies
  int users = 0;       // users with both classes
  int64_t weight = 0;  // their impressions (the weights)
};

// Impression-weighted mean of per-user AUC over users that have both
// classes (GAUC). Users with one class only are skipped.
GroupAucResult GroupAuc(const std::vector<UserScores>& users);

// Mean binary cross-entropy of probabilities `p` against `labels`, with p
// clipped to [eps, 1 - eps]. NaN for empty or mismatched input.
double LogLoss(const std::vector<double>& p, const std::vector<int>& labels,
               double eps = 1e-7);

// DCG@k of `gains` ordered by `order` (indices into gains, best first):
// sum over the first k positions i (0-based) of gain / log2(i + 2).
double DcgAtK(const std::vector<int>& order, const std::vector<double>& gains,
              int k);

// NDCG@k of the order (indices into gains, best first): DcgAtK divided by the
// DCG@k of the gains sorted in decreasing order. NaN when that ideal DCG is 0
// (no positive gain), so callers can leave such lists out.
double NdcgAtK(const std::vector<int>& order, const std::vector<double>& gains,
               int k);

// Indices 0..n-1 sorted by decreasing score; ties keep index order (stable).
std::vector<int> OrderByScore(const std::vector<double>& scores);

}  // namespace eval
}  // namespace reelrank

#endif  // REELRANK_EVAL_METRICS_H_
