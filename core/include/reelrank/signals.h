// Signals: turn the events of one shown item (a "view") into labels per head.
//
// A view opens with an impression and closes with a swipe-away, the next
// impression or a not-interested. While it is open it accumulates dwell,
// completions, replays and engagements; ComputeLabels maps that to one label
// in [0, 1] per head. How fast the user swiped away is a graded signal:
// FastSwipeStrength is 1 for an instant, fast flick and falls to 0 as the
// dwell reaches `fast_swipe_ms` or the velocity falls.
//
//   ViewState v; v.duration_ms = 15000;
//   AccumulateEvent(swipe_event, &v);
//   Labels l = ComputeLabels(v, SignalConfig{});
#ifndef REELRANK_SIGNALS_H_
#define REELRANK_SIGNALS_H_

#include <array>
#include <cstdint>

#include "reelrank/event.h"
#include "reelrank/heads.h"

namespace reelrank {

struct SignalConfig {
  // Dwell (ms) below which leaving counts as (partly) a fast swipe. Default
  // 2000. The fast-swipe strength falls linearly from 1 at 0 ms to 0 here.
  int64_t fast_swipe_ms = 2000;
  // Swipe velocity (screen heights / s) at and above which a swipe counts as
  // fully "fast". Default 2.0.
  double fast_velocity = 2.0;
  // Share of the fast-swipe strength that comes from velocity, in [0, 1].
  // Default 0.5: an instant swipe at velocity 0 has strength 0.5.
  double velocity_share = 0.5;
  // Watch ratio cap (dwell / duration, replays counted). Default 2.0. The
  // watch-ratio label is min(ratio, cap) / cap.
  double watch_ratio_cap = 2.0;
  // Watch ratio at or above which the view counts as finished even without a
  // complete event. Default 0.95.
  double finish_ratio = 0.95;
  // Weight of a fast swipe in the negative label (label = weight * strength,
  // max'ed with 1 for not-interested / report). Default 0.6.
  double fast_swipe_negative = 0.6;
};

// Per-head labels in [0, 1], indexed by static_cast<int>(Head).
struct Labels {
  std::array<double, kNumHeads> value{};
  double& operator[](Head h) { return value[static_cast<int>(h)]; }
  double operator[](Head h) const { return value[static_cast<int>(h)]; }
};

// What one view has accumulated so far. Plain data (part of the profile).
struct ViewState {
  uint64_t item_key = 0;     // hash of the item id
  int64_t duration_ms = 0;   // the item's duration, >= 0 (0: a photo post)
  int64_t opened_ms = 0;     // impression timestamp
  int64_t last_ms = 0;       // latest event timestamp
  int64_t max_dwell_ms = 0;  // longest dwell reported (progress / swipe)
  int completes = 0;
  int replays = 0;
  bool liked = false;
  bool followed = false;
  bool shared = false;
  bool commented = false;
  bool not_interested = false;
  bool reported = false;
  bool profile_visit = false;
  bool swiped = false;         // closed by a swipe-away
  int64_t swipe_dwell_ms = 0;  // dwell of the swipe-away
  float swipe_velocity = 0.0f;
  // Heads already learned during this view (bit h = head h), so a head is
  // learned at most once per view (engagements learn the moment they happen).
  uint32_t learned_mask = 0;
};

// Adds one event to the view (impression only sets opened_ms/last_ms).
void AccumulateEvent(const Event& e, ViewState* view);

// Graded fast-swipe strength in [0, 1] of leaving after `dwell_ms` at
// `velocity`.
double FastSwipeStrength(int64_t dwell_ms, double velocity,
                         const SignalConfig& config);

// A photo post has duration 0; its watch ratio counts its dwell against
// this nominal duration (ms).
constexpr int64_t kPhotoNominalMs = 10000;

// Watch ratio of the view: max(max dwell, completes * duration, (1 + replays) *
// duration if replays) / duration, uncapped; the duration of a photo post
// (0) is kPhotoNominalMs.
double WatchRatio(const ViewState& view);

// Labels of the view as it stands (a still-open view is treated as if closed
// now).
Labels ComputeLabels(const ViewState& view, const SignalConfig& config);

// Checks a SignalConfig; errors name "signals.<field>".
Status ValidateSignalConfig(const SignalConfig& config);

}  // namespace reelrank

#endif  // REELRANK_SIGNALS_H_
