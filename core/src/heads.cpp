#include "reelrank/heads.h"

namespace reelrank {

const char* HeadName(Head head) {
  switch (head) {
    case Head::kContinue:
      return "continue";
    case Head::kWatchRatio:
      return "watch_ratio";
    case Head::kFinish:
      return "finish";
    case Head::kLike:
      return "like";
    case Head::kFollow:
      return "follow";
    case Head::kShare:
      return "share";
    case Head::kComment:
      return "comment";
    case Head::kNegative:
      return "negative";
  }
  return "unknown";
}

Result<Head> ParseHead(const std::string& name, const std::string& field) {
  for (int h = 0; h < kNumHeads; ++h) {
    if (name == HeadName(static_cast<Head>(h))) return static_cast<Head>(h);
  }
  return Status::Invalid(field, "unknown head '" + name + "'");
}

}  // namespace reelrank
