#include "reelrank/candidate.h"

#include <cmath>
#include <string>

#include "time_range.h"
#include "utf8.h"

namespace reelrank {

Status ValidateCandidate(const Candidate& c, int embedding_dim,
                         const std::string& field) {
  if (c.id.empty()) return Status::Invalid(field + ".id", "must not be empty");
  // Text the profile may keep (ids, feature names) or policy rules read must
  // be well-formed UTF-8 so that a profile export reproduces it exactly.
  const char* kUtf8 = "must be valid UTF-8";
  if (!IsValidUtf8(c.id)) return Status::Invalid(field + ".id", kUtf8);
  if (!IsValidUtf8(c.author)) return Status::Invalid(field + ".author", kUtf8);
  for (size_t i = 0; i < c.tags.size(); ++i) {
    if (!IsValidUtf8(c.tags[i])) {
      return Status::Invalid(field + ".tags[" + std::to_string(i) + "]", kUtf8);
    }
  }
  if (!IsValidUtf8(c.category))
    return Status::Invalid(field + ".category", kUtf8);
  if (!IsValidUtf8(c.sound)) return Status::Invalid(field + ".sound", kUtf8);
  if (!IsValidUtf8(c.caption))
    return Status::Invalid(field + ".caption", kUtf8);
  if (!IsValidUtf8(c.region)) return Status::Invalid(field + ".region", kUtf8);
  if (c.duration_ms <= 0) {
    return Status::Invalid(field + ".duration_ms",
                           "must be > 0, got " + std::to_string(c.duration_ms));
  }
  if (c.duration_ms > kMaxAbsTimeMs) {
    return Status::Invalid(
        field + ".duration_ms",
        "must be <= 1e15 ms, got " + std::to_string(c.duration_ms));
  }
  if (!std::isfinite(c.server_score) || c.server_score < 0.0 ||
      c.server_score > 1.0) {
    return Status::Invalid(field + ".server_score",
                           "must be a number in [0, 1]");
  }
  if (!c.embedding.empty()) {
    if (static_cast<int>(c.embedding.size()) != embedding_dim) {
      return Status::Invalid(field + ".embedding",
                             "expected " + std::to_string(embedding_dim) +
                                 " floats, got " +
                                 std::to_string(c.embedding.size()));
    }
    for (size_t i = 0; i < c.embedding.size(); ++i) {
      if (!std::isfinite(c.embedding[i])) {
        return Status::Invalid(field + ".embedding[" + std::to_string(i) + "]",
                               "must be finite");
      }
    }
  }
  for (size_t i = 0; i < c.safety.size(); ++i) {
    if (!IsValidUtf8(c.safety[i].name)) {
      return Status::Invalid(field + ".safety[" + std::to_string(i) + "].name",
                             kUtf8);
    }
    const float conf = c.safety[i].confidence;
    if (!(conf >= 0.0f && conf <= 1.0f)) {
      return Status::Invalid(
          field + ".safety[" + std::to_string(i) + "].confidence",
          "must be in [0, 1]");
    }
  }
  const int m = static_cast<int>(c.maturity);
  if (m < 0 || m > 2) {
    return Status::Invalid(field + ".maturity", "must be 0, 1 or 2");
  }
  return Status::Ok();
}

}  // namespace reelrank
