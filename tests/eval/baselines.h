// Baselines the evaluation ranks the same lists with: the server prior,
// random order, "shortest first", the oracle, and a per-user empirical-Bayes
// affinity re-rank (the simple personalization an engineer would try first).
//
// Empirical-Bayes affinity: each item has keys (its tags, its author, its
// duration bucket). On the user's observed rows, a key's long-view rate is
// shrunk to the population's rate of that key with strength m:
//   r_uk = (long views_uk + m * p_k) / (rows_uk + m),
// and an item scores logit(prior) + sum over its keys of
// (logit(r_uk) - logit(p_k)). A key the user has not seen adds 0; m -> inf
// gives the prior order. p_k is the key's rate on the other users' rows,
// itself shrunk to their overall rate with strength kPopulationShrink.
#ifndef REELRANK_EVAL_BASELINES_H_
#define REELRANK_EVAL_BASELINES_H_

#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace reelrank {
namespace eval {

using AffinityKeys = std::vector<std::string>;

class PopulationRates {
 public:
  static constexpr double kPopulationShrink = 10.0;
  void Add(const AffinityKeys& keys, bool long_view);
  // The shrunk rate of `key`; the overall rate for an unseen key.
  double Rate(const std::string& key) const;
  double overall() const;

 private:
  struct Count {
    double rows = 0.0, pos = 0.0;
  };
  std::unordered_map<std::string, Count> by_key_;
  Count all_;
};

// The m values the evaluation's inner cross-validation chooses from.
const std::vector<double>& AffinityStrengths();

// Scores of `items` (keys and prior P(long view) per item) for a user who
// was observed on `seen` rows with long-view labels `seen_y`.
std::vector<double> AffinityScores(
    const std::vector<const AffinityKeys*>& seen,
    const std::vector<int>& seen_y,
    const std::vector<const AffinityKeys*>& items,
    const std::vector<double>& item_prior, const PopulationRates& population,
    double m);

// Indices by increasing duration; ties by decreasing prior, then index.
std::vector<int> ShortestFirstOrder(const std::vector<int64_t>& durations_ms,
                                    const std::vector<double>& prior);

// Mean NDCG@k of `shuffles` uniform random orders (NaN when the gains have
// no positive entry).
double RandomNdcg(const std::vector<double>& gains, int k, int shuffles,
                  std::mt19937_64* rng);

}  // namespace eval
}  // namespace reelrank

#endif  // REELRANK_EVAL_BASELINES_H_
