// The range of client times the core accepts: events, Rank's now and every
// time stored in a profile are within +-kMaxAbsTimeMs (about 31,700 years),
// so the difference of any two never overflows int64.
#ifndef REELRANK_CORE_SRC_TIME_RANGE_H_
#define REELRANK_CORE_SRC_TIME_RANGE_H_

#include <cstdint>

namespace reelrank {

constexpr int64_t kMaxAbsTimeMs = 1000000000000000LL;

inline bool TimeInRange(int64_t t) {
  return t >= -kMaxAbsTimeMs && t <= kMaxAbsTimeMs;
}

}  // namespace reelrank

#endif  // REELRANK_CORE_SRC_TIME_RANGE_H_
