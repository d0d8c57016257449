// Event: one thing the user did with one shown item.
//
// Events are the only input to learning. Timestamps are the client's clock;
// the core never reads a clock itself, so replaying the same events gives the
// same profile.
#ifndef REELRANK_EVENT_H_
#define REELRANK_EVENT_H_

#include <cstdint>
#include <string>

#include "reelrank/status.h"

namespace reelrank {

enum class EventKind : int {
  kImpression = 0,  // the item became the full-screen item
  kProgress,        // watch progress; dwell_ms = time watched so far
  kComplete,        // played to the end once
  kReplay,          // started again after completing
  kLike,
  kUnlike,
  kFollow,
  kShare,
  kComment,
  kSwipeAway,      // left the item; dwell_ms and velocity describe the swipe
  kNotInterested,  // "press down" / long press
  kReport,
  kProfileVisit,
};
constexpr int kNumEventKinds = 13;

// "impression", "progress", ... Stable names used by JSON and JS.
const char* EventKindName(EventKind kind);
// Parses a name; unknown names give kInvalidArgument naming `field`.
Result<EventKind> ParseEventKind(const std::string& name,
                                 const std::string& field);

struct Event {
  std::string event_id;  // unique, caller-chosen; used by forget()
  std::string item_id;   // must be a candidate the ranker has seen
  EventKind kind = EventKind::kImpression;
  int64_t timestamp_ms = 0;  // client clock, unix ms
  int64_t dwell_ms = 0;      // kProgress / kSwipeAway: time on the item, >= 0
  float velocity = 0.0f;  // kSwipeAway: swipe speed in screen heights/s, >= 0
};

}  // namespace reelrank

#endif  // REELRANK_EVENT_H_
