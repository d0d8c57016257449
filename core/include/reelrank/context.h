// Context: the situation a ranking request is made in.
#ifndef REELRANK_CONTEXT_H_
#define REELRANK_CONTEXT_H_

#include <cstdint>

namespace reelrank {

enum class Surface : int {
  kForYou = 0,
  kFollowing = 1,
  kSearch = 2,
  kProfile = 3
};

struct Context {
  int64_t now_ms =
      0;  // client clock, unix ms (injected; core never reads a clock)
  int hour_of_day = 12;   // 0..23, local time
  int session_depth = 0;  // items shown so far in this session
  Surface surface = Surface::kForYou;
};

}  // namespace reelrank

#endif  // REELRANK_CONTEXT_H_
