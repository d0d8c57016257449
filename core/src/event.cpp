#include "reelrank/event.h"

namespace reelrank {

const char* EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kImpression:
      return "impression";
    case EventKind::kProgress:
      return "progress";
    case EventKind::kComplete:
      return "complete";
    case EventKind::kReplay:
      return "replay";
    case EventKind::kLike:
      return "like";
    case EventKind::kUnlike:
      return "unlike";
    case EventKind::kFollow:
      return "follow";
    case EventKind::kShare:
      return "share";
    case EventKind::kComment:
      return "comment";
    case EventKind::kSwipeAway:
      return "swipe_away";
    case EventKind::kNotInterested:
      return "not_interested";
    case EventKind::kReport:
      return "report";
    case EventKind::kProfileVisit:
      return "profile_visit";
  }
  return "unknown";
}

Result<EventKind> ParseEventKind(const std::string& name,
                                 const std::string& field) {
  for (int k = 0; k < kNumEventKinds; ++k) {
    if (name == EventKindName(static_cast<EventKind>(k))) {
      return static_cast<EventKind>(k);
    }
  }
  return Status::Invalid(field, "unknown event kind '" + name + "'");
}

}  // namespace reelrank
