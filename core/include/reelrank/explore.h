// Exploration: a bounded budget of feed slots spent on items whose value is
// uncertain, so the profile keeps learning.
//
// Budget: at most one exploration slot in every `slot_every` (K) consecutive
// items. A slot opens once K-1 items have been shown since the last slot; it
// is used with probability ExploreRate(), which is high while the profile is
// empty and falls as it fills. A used slot takes the item with the highest
// exploration score among the remaining ones:
//   Thompson sampling: value + uncertainty * z, z ~ N(0, 1) (one draw per item
//                      per call, from the caller's generator);
//   UCB:               value + ucb_c * uncertainty.
// If that item is the exploit choice anyway, it is not flagged as explored.
// Dropped items are never placed (exploration never resurrects them).
//
// Randomness comes only from the caller's SplitMix64, whose uniform and
// normal draws use integer and IEEE add/multiply only, so results are
// bit-identical on native and wasm for a seed.
//
//   SplitMix64 rng(seed);
//   ExploreResult r = ExploreList(arms, since_last, profile_events, cfg, rng);
#ifndef REELRANK_EXPLORE_H_
#define REELRANK_EXPLORE_H_

#include <cstdint>
#include <vector>

namespace reelrank {

// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, portable.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed = 0) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, 1) with 53 random bits.
  double Uniform();
  // Approximately standard normal: sum of 12 uniforms minus 6 (Irwin-Hall),
  // mean 0, variance 1, support [-6, 6]. No transcendental functions.
  double Normal();
  uint64_t state() const { return state_; }
  void set_state(uint64_t s) { state_ = s; }

 private:
  uint64_t state_;
};

enum class ExploreMethod : int { kThompson = 0, kUcb = 1 };

struct ExploreConfig {
  // Off by default: on KuaiRand-1K users the exploration slots cost the feed
  // its debiased gain and chose no better items (nested cross-validation,
  // tests/eval/README.md); turn it on for catalogs where it pays.
  bool enabled = false;
  ExploreMethod method = ExploreMethod::kThompson;
  int slot_every = 5;     // K >= 2: at most one exploration slot per K items
  double max_rate = 0.8;  // chance a slot is used with an empty profile
  double min_rate = 0.1;  // ... the limit as the profile fills
  // Profile size (e.g. observed events) at which the rate is halfway
  // between max_rate and min_rate: rate = min + (max - min) * h / (h + n).
  double half_fill_events = 50.0;
  double ucb_c = 1.0;  // UCB exploration weight
  // Uncertainty (std-dev, value units) of an item the profile has no
  // evidence about; the ranker shrinks it with UncertaintyFromSightings.
  double prior_sigma = 0.3;
};

// One candidate as exploration sees it.
struct ExploreArm {
  int index = 0;             // the caller's id for the item
  double value = 0.0;        // exploit value (any consistent unit)
  double uncertainty = 0.0;  // standard deviation of `value`, >= 0
  bool dropped = false;      // policy-dropped: never placed
};

// rate(n) described above, in [0, 1].
double ExploreRate(const ExploreConfig& config, double profile_events);

// A standard deviation from how often the profile has seen the item's
// features: prior_sigma / sqrt(1 + sightings).
double UncertaintyFromSightings(double sightings, double prior_sigma);

struct ExploreResult {
  // Positions into the input `arms`, in feed order; dropped arms are absent.
  std::vector<int> order;
  std::vector<bool> explored;  // parallel to `order`
};

// Places exploration slots into a list. `arms` are in exploit order (best
// first). `since_last` = items shown since the last exploration slot (use a
// large number, e.g. 1 << 30, if none yet). Disabled config: the exploit
// order without dropped arms.
ExploreResult ExploreList(const std::vector<ExploreArm>& arms, int since_last,
                          double profile_events, const ExploreConfig& config,
                          SplitMix64& rng);

// The single item to show now: a position into `arms` (exploit order), or -1
// when every arm is dropped. `*explored` tells whether it is an exploration
// pick. Same rules as one step of ExploreList.
int ExploreNext(const std::vector<ExploreArm>& arms, int since_last,
                double profile_events, const ExploreConfig& config,
                SplitMix64& rng, bool* explored);

}  // namespace reelrank

#endif  // REELRANK_EXPLORE_H_
