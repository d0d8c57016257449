#include "reelrank/signals.h"

#include <algorithm>
#include <cmath>

namespace reelrank {

void AccumulateEvent(const Event& e, ViewState* v) {
  v->last_ms = std::max(v->last_ms, e.timestamp_ms);
  switch (e.kind) {
    case EventKind::kImpression:
      v->opened_ms = e.timestamp_ms;
      break;
    case EventKind::kProgress:
      v->max_dwell_ms = std::max(v->max_dwell_ms, e.dwell_ms);
      break;
    case EventKind::kComplete:
      ++v->completes;
      break;
    case EventKind::kReplay:
      ++v->replays;
      break;
    case EventKind::kLike:
      v->liked = true;
      break;
    case EventKind::kUnlike:
      v->liked = false;
      break;
    case EventKind::kFollow:
      v->followed = true;
      break;
    case EventKind::kShare:
      v->shared = true;
      break;
    case EventKind::kComment:
      v->commented = true;
      break;
    case EventKind::kSwipeAway:
      v->swiped = true;
      v->swipe_dwell_ms = e.dwell_ms;
      v->swipe_velocity = e.velocity;
      v->max_dwell_ms = std::max(v->max_dwell_ms, e.dwell_ms);
      break;
    case EventKind::kNotInterested:
      v->not_interested = true;
      break;
    case EventKind::kReport:
      v->reported = true;
      break;
    case EventKind::kProfileVisit:
      v->profile_visit = true;
      break;
  }
}

double FastSwipeStrength(int64_t dwell_ms, double velocity,
                         const SignalConfig& c) {
  if (c.fast_swipe_ms <= 0) return 0.0;
  const double d = std::clamp(1.0 - static_cast<double>(dwell_ms) /
                                        static_cast<double>(c.fast_swipe_ms),
                              0.0, 1.0);
  const double v = std::clamp(velocity / c.fast_velocity, 0.0, 1.0);
  return d * (1.0 - c.velocity_share + c.velocity_share * v);
}

double WatchRatio(const ViewState& v) {
  const double dur =
      static_cast<double>(v.duration_ms > 0 ? v.duration_ms : kPhotoNominalMs);
  double watched = static_cast<double>(v.max_dwell_ms);
  watched = std::max(watched, v.completes * dur);
  if (v.replays > 0) watched = std::max(watched, (1.0 + v.replays) * dur);
  return watched / dur;
}

Labels ComputeLabels(const ViewState& v, const SignalConfig& c) {
  Labels l;
  const double ratio = WatchRatio(v);
  // A photo post (duration 0) is finished only by an explicit complete.
  const bool finished = v.completes > 0 || v.replays > 0 ||
                        (v.duration_ms > 0 && ratio >= c.finish_ratio);
  // A view that ends without a swipe (next impression) counts its dwell with
  // velocity 0; a finished item is never a fast swipe.
  double fast = 0.0;
  if (!finished) {
    const int64_t dwell = v.swiped ? v.swipe_dwell_ms : v.max_dwell_ms;
    fast = FastSwipeStrength(dwell, v.swiped ? v.swipe_velocity : 0.0, c);
  }
  l[Head::kContinue] = 1.0 - fast;
  l[Head::kWatchRatio] = std::min(ratio, c.watch_ratio_cap) / c.watch_ratio_cap;
  l[Head::kFinish] = finished ? 1.0 : 0.0;
  l[Head::kLike] = v.liked ? 1.0 : 0.0;
  l[Head::kFollow] = v.followed ? 1.0 : 0.0;
  l[Head::kShare] = v.shared ? 1.0 : 0.0;
  l[Head::kComment] = v.commented ? 1.0 : 0.0;
  l[Head::kNegative] = (v.not_interested || v.reported)
                           ? 1.0
                           : std::clamp(c.fast_swipe_negative * fast, 0.0, 1.0);
  if (v.not_interested || v.reported) l[Head::kContinue] = 0.0;
  return l;
}

}  // namespace reelrank
