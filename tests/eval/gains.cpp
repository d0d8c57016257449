#include "gains.h"

#include <algorithm>

namespace reelrank {
namespace eval {

DebiasTable DebiasTable::Fit(const std::vector<int64_t>& durations_ms,
                             const std::vector<int64_t>& plays_ms) {
  DebiasTable t;
  std::vector<int64_t> known;
  for (int64_t d : durations_ms) {
    if (d > 0) known.push_back(d);
  }
  std::sort(known.begin(), known.end());
  // Edge b (b = 1..kBins-1) is the (b / kBins) quantile; a bin holds
  // durations in [edge_{b-1}, edge_b). Equal edges (many equal durations)
  // leave a bin empty rather than splitting a duration across bins.
  for (int b = 1; b < kBins && !known.empty(); ++b) {
    const size_t i = known.size() * static_cast<size_t>(b) / kBins;
    t.edges_.push_back(known[std::min(i, known.size() - 1)]);
  }
  t.plays_.assign(kBins + 1, {});
  for (size_t i = 0; i < durations_ms.size() && i < plays_ms.size(); ++i) {
    t.plays_[t.Bin(durations_ms[i])].push_back(
        std::max<int64_t>(0, plays_ms[i]));
  }
  for (auto& p : t.plays_) std::sort(p.begin(), p.end());
  return t;
}

int DebiasTable::Bin(int64_t duration_ms) const {
  if (duration_ms <= 0) return kBins;
  // Bins 0..edges_.size(); with fewer edges (tiny fits) the top bins stay
  // empty.
  return static_cast<int>(
      std::upper_bound(edges_.begin(), edges_.end(), duration_ms) -
      edges_.begin());
}

double DebiasTable::PlayRank(int64_t duration_ms, int64_t play_ms) const {
  if (plays_.empty()) return 0.0;
  const std::vector<int64_t>& p = plays_[Bin(duration_ms)];
  if (p.empty()) return 0.0;
  const size_t below =
      std::lower_bound(p.begin(), p.end(), play_ms) - p.begin();
  return static_cast<double>(below) / static_cast<double>(p.size());
}

double DebiasTable::Gain(int64_t duration_ms, int64_t play_ms) const {
  if (plays_.empty() || plays_[Bin(duration_ms)].empty()) return 0.0;
  return PlayRank(duration_ms, play_ms) >= 1.0 - kTopShare ? 1.0 : 0.0;
}

}  // namespace eval
}  // namespace reelrank
