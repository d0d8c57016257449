// Heads: the objectives the ranker predicts for every candidate.
//
// Each head is one online learner (logistic, with a fractional label for the
// watch-ratio regressor). A candidate's value is the weighted sum of the head
// predictions (RankerConfig::objective_weights).
//
//   for (int h = 0; h < kNumHeads; ++h) Print(HeadName(static_cast<Head>(h)));
#ifndef REELRANK_HEADS_H_
#define REELRANK_HEADS_H_

#include <string>

#include "reelrank/status.h"

namespace reelrank {

enum class Head : int {
  kContinue = 0,  // P(the user does not swipe away fast)
  kWatchRatio,  // expected watch ratio, dwell / duration capped, mapped to [0,
                // 1]
  kFinish,      // P(played to the end)
  kLike,        // P(like)
  kFollow,      // P(follow the author)
  kShare,       // P(share)
  kComment,     // P(comment)
  kNegative,    // P(not interested / report / fast swipe), graded
};
constexpr int kNumHeads = 8;

// "continue", "watch_ratio", "finish", "like", "follow", "share", "comment",
// "negative". Stable names used in JSON (config, model pack, profile) and JS.
const char* HeadName(Head head);
// Parses a HeadName; unknown names give kInvalidArgument naming `field`.
Result<Head> ParseHead(const std::string& name, const std::string& field);

}  // namespace reelrank

#endif  // REELRANK_HEADS_H_
