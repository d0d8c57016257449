// Private: the checks behind reelrank/limits.h and the one way error messages
// quote caller-given text.
#ifndef REELRANK_CORE_SRC_LIMITS_CHECK_H_
#define REELRANK_CORE_SRC_LIMITS_CHECK_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "reelrank/limits.h"
#include "reelrank/status.h"

namespace reelrank {

// Ok when `s` has at most `limit` bytes; else "field: N bytes, limit M".
inline Status CheckBytes(std::string_view s, size_t limit,
                         const std::string& field) {
  if (s.size() <= limit) return Status::Ok();
  return Status::Invalid(field, std::to_string(s.size()) + " bytes, limit " +
                                    std::to_string(limit));
}

// Ok when `n` <= `limit`; else "field: N entries, limit M".
inline Status CheckCount(size_t n, size_t limit, const std::string& field) {
  if (n <= limit) return Status::Ok();
  return Status::Invalid(field, std::to_string(n) + " entries, limit " +
                                    std::to_string(limit));
}

// `s` for an error message: at most 64 bytes of it, cut at a UTF-8 character
// boundary, with "..." when cut. Messages never copy unbounded input.
std::string Excerpt(std::string_view s);

}  // namespace reelrank

#endif  // REELRANK_CORE_SRC_LIMITS_CHECK_H_
