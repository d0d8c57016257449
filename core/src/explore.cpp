#include "reelrank/explore.h"

#include <algorithm>
#include <cmath>

namespace reelrank {

uint64_t SplitMix64::Next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

double SplitMix64::Uniform() {
  return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0);
}

double SplitMix64::Normal() {
  double s = 0.0;
  for (int i = 0; i < 12; ++i) s += Uniform();
  return s - 6.0;
}

double ExploreRate(const ExploreConfig& config, double profile_events) {
  const double n = std::max(profile_events, 0.0);
  const double h = std::max(config.half_fill_events, 0.0);
  const double lo = std::min(std::max(config.min_rate, 0.0), 1.0);
  const double hi = std::min(std::max(config.max_rate, 0.0), 1.0);
  if (h + n <= 0.0) return hi;
  return lo + (hi - lo) * h / (h + n);
}

double UncertaintyFromSightings(double sightings, double prior_sigma) {
  return prior_sigma / std::sqrt(1.0 + std::max(sightings, 0.0));
}

namespace {

// Shared core of ExploreList / ExploreNext. Fills `out` with up to `limit`
// placements.
void Place(const std::vector<ExploreArm>& arms, int since_last,
           double profile_events, const ExploreConfig& config, SplitMix64& rng,
           size_t limit, ExploreResult* out) {
  std::vector<int> live;  // exploit order, dropped removed
  live.reserve(arms.size());
  for (size_t i = 0; i < arms.size(); ++i) {
    if (!arms[i].dropped) live.push_back(static_cast<int>(i));
  }
  limit = std::min(limit, live.size());
  out->order.reserve(limit);
  out->explored.reserve(limit);
  if (!config.enabled || live.size() < 2) {
    for (size_t p = 0; p < limit; ++p) {
      out->order.push_back(live[p]);
      out->explored.push_back(false);
    }
    return;
  }
  const int k = std::max(config.slot_every, 2);
  const double rate = ExploreRate(config, profile_events);
  // One exploration score per live arm per call.
  std::vector<double> score(live.size());
  for (size_t j = 0; j < live.size(); ++j) {
    const ExploreArm& a = arms[live[j]];
    const double sigma = std::isfinite(a.uncertainty) && a.uncertainty > 0.0
                             ? a.uncertainty
                             : 0.0;
    score[j] = config.method == ExploreMethod::kThompson
                   ? a.value + sigma * rng.Normal()
                   : a.value + config.ucb_c * sigma;
  }
  std::vector<char> used(live.size(), 0);
  // The best unused arm: highest score, ties to the first in exploit order.
  // With finite scores, kept per block of kBlock arms (a pick rescans one
  // block); otherwise a scan from the first unused arm, as comparisons with
  // a NaN are order-dependent.
  constexpr size_t kBlock = 32;
  const bool finite = std::all_of(score.begin(), score.end(),
                                  [](double x) { return std::isfinite(x); });
  std::vector<int> block_best;  // per block; -1: every arm used
  auto rescan = [&](size_t b) {
    int best = -1;
    for (size_t j = b * kBlock; j < std::min(live.size(), (b + 1) * kBlock);
         ++j) {
      if (!used[j] && (best < 0 || score[j] > score[best])) {
        best = static_cast<int>(j);
      }
    }
    block_best[b] = best;
  };
  auto best_unused = [&](size_t head) {
    if (!finite) {
      size_t best = head;
      for (size_t j = head + 1; j < live.size(); ++j) {
        if (!used[j] && score[j] > score[best]) best = j;
      }
      return best;
    }
    if (block_best.empty()) {
      block_best.resize((live.size() + kBlock - 1) / kBlock);
      for (size_t b = 0; b < block_best.size(); ++b) rescan(b);
    }
    int best = -1;
    for (int b : block_best) {
      if (b >= 0 && (best < 0 || score[b] > score[best])) best = b;
    }
    return static_cast<size_t>(best);
  };
  auto mark_used = [&](size_t j) {
    used[j] = 1;
    if (!block_best.empty() && block_best[j / kBlock] == static_cast<int>(j)) {
      rescan(j / kBlock);
    }
  };
  size_t head = 0;  // first unused in exploit order
  long since = since_last < 0 ? 0 : since_last;
  for (size_t p = 0; p < limit; ++p) {
    while (used[head]) ++head;
    size_t pick = head;
    bool explored = false;
    if (since >= k - 1) {
      const double u = rng.Uniform();
      if (u < rate) {
        const size_t best = best_unused(head);
        pick = best;
        explored = best != head;
        since = -1;  // slot used; the counter restarts after this item
      }
    }
    mark_used(pick);
    out->order.push_back(live[pick]);
    out->explored.push_back(explored);
    ++since;
  }
}

}  // namespace

ExploreResult ExploreList(const std::vector<ExploreArm>& arms, int since_last,
                          double profile_events, const ExploreConfig& config,
                          SplitMix64& rng) {
  ExploreResult r;
  Place(arms, since_last, profile_events, config, rng, arms.size(), &r);
  return r;
}

int ExploreNext(const std::vector<ExploreArm>& arms, int since_last,
                double profile_events, const ExploreConfig& config,
                SplitMix64& rng, bool* explored) {
  ExploreResult r;
  Place(arms, since_last, profile_events, config, rng, 1, &r);
  if (explored) *explored = !r.explored.empty() && r.explored[0];
  return r.order.empty() ? -1 : r.order[0];
}

}  // namespace reelrank
