// Offline ranking metrics for the reelrank evaluator: AUC, group AUC,
// log-loss, NDCG@k, paired differences with standard errors, and which
// users have an NDCG list.
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

// Mean and standard error of paired per-user differences.
struct PairedDiff {
  double mean = 0.0;  // NaN when no pair
  double se = 0.0;    // NaN with fewer than 2 pairs
  int n = 0;          // pairs used
};

// Unweighted: d_i = a[i] - b[i] over the pairs where both are defined (not
// NaN); se = sd(d) / sqrt(n), sd with n - 1.
PairedDiff PairedDifference(const std::vector<double>& a,
                            const std::vector<double>& b);

// Weighted (as GroupAuc weights users): mean = sum w_i d_i / sum w_i over
// the defined pairs with w_i > 0; se = sqrt(n / (n - 1) * sum w_i^2 (d_i -
// mean)^2) / sum w_i (the usual ratio-estimator standard error).
PairedDiff WeightedPairedDifference(const std::vector<double>& a,
                                    const std::vector<double>& b,
                                    const std::vector<double>& w);

// Mean of the defined (not NaN) values; NaN when none.
double MeanDefined(const std::vector<double>& x);

// Which rows of a user form an NDCG list, and which users have one: the
// rows from `start` on (0-based, time order), for users with at least
// `min_rows` rows. The first `start` rows are what the ranker may have
// observed (k <= start), so no listed row was observed.
struct ListSpec {
  int start = 10;
  int min_rows = 20;
  bool Eligible(int rows) const { return rows >= min_rows; }
};
// The list for k in {0, 5, 10}, and the one for k = 20.
constexpr ListSpec kList10{10, 20};
constexpr ListSpec kList20{20, 40};

}  // namespace eval
}  // namespace reelrank

#endif  // REELRANK_EVAL_METRICS_H_
