#include "reelrank/ranker.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>

namespace reelrank {

Ranker::Ranker(const RankerConfig& config) : config_(config) {}

RankResult Ranker::Rank(const std::vector<Candidate>& candidates,
                        const Context& /*context*/) const {
  RankResult result;
  result.ranked.reserve(candidates.size());
  std::unordered_set<std::string> ids;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    const std::string field = "candidates[" + std::to_string(i) + "]";
    Status s = ValidateCandidate(c, config_.embedding_dim, field);
    if (s.ok() && !ids.insert(c.id).second) {
      s = Status::Invalid(field + ".id", "duplicate id '" + c.id + "'");
    }
    if (!s.ok()) {
      result.rejected.push_back({static_cast<int>(i), s});
      continue;
    }
    const double p = std::min(std::max(c.server_score, 1e-6), 1.0 - 1e-6);
    result.ranked.push_back({static_cast<int>(i), std::log(p / (1.0 - p))});
  }
  std::stable_sort(result.ranked.begin(), result.ranked.end(),
                   [](const ScoredCandidate& a, const ScoredCandidate& b) {
                     return a.value > b.value;
                   });
  return result;
}

}  // namespace reelrank
