#include "reelrank/candidate.h"

#include <cmath>
#include <string>

namespace reelrank {

Status ValidateCandidate(const Candidate& c, int embedding_dim,
                         const std::string& field) {
  if (c.id.empty()) return Status::Invalid(field + ".id", "must not be empty");
  if (c.duration_ms <= 0) {
    return Status::Invalid(field + ".duration_ms",
                           "must be > 0, got " + std::to_string(c.duration_ms));
  }
  if (!std::isfinite(c.server_score) || c.server_score < 0.0 ||
      c.server_score > 1.0) {
    return Status::Invalid(field + ".server_score", "must be a number in [0, 1]");
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
