#include "reelrank/candidate.h"

#include <cmath>
#include <string>

#include "limits_check.h"
#include "reelrank/limits.h"
#include "utf8.h"

namespace reelrank {

namespace {

// "<prefix>.<name>" or "<prefix>.<name>[index]" (index >= 0), built only
// when there is an error to report.
std::string Field(const std::string& prefix, const char* name, int index) {
  std::string f = prefix + "." + name;
  if (index >= 0) f += "[" + std::to_string(index) + "]";
  return f;
}

// Size first (cheap, and a huge value is never scanned), then UTF-8: text
// the profile may keep (ids, feature names) or policy rules read must be
// well-formed so that a profile export reproduces it exactly.
Status CheckText(const std::string& s, size_t limit, const std::string& prefix,
                 const char* name, int index = -1) {
  if (s.size() > limit) return CheckBytes(s, limit, Field(prefix, name, index));
  if (!IsValidUtf8(s)) {
    return Status::Invalid(Field(prefix, name, index), "must be valid UTF-8");
  }
  return Status::Ok();
}

}  // namespace

Status ValidateCandidate(const Candidate& c, int embedding_dim,
                         const std::string& field) {
  if (c.id.empty()) return Status::Invalid(field + ".id", "must not be empty");
  Status s = CheckText(c.id, Limits::kIdBytes, field, "id");
  if (s.ok()) s = CheckText(c.author, Limits::kAuthorBytes, field, "author");
  if (s.ok() && c.tags.size() > Limits::kTags) {
    s = CheckCount(c.tags.size(), Limits::kTags, field + ".tags");
  }
  for (size_t i = 0; s.ok() && i < c.tags.size(); ++i) {
    s = CheckText(c.tags[i], Limits::kTagBytes, field, "tags",
                  static_cast<int>(i));
  }
  if (s.ok()) {
    s = CheckText(c.category, Limits::kCategoryBytes, field, "category");
  }
  if (s.ok()) s = CheckText(c.sound, Limits::kSoundBytes, field, "sound");
  if (s.ok()) s = CheckText(c.caption, Limits::kCaptionBytes, field, "caption");
  if (s.ok()) s = CheckText(c.region, Limits::kRegionBytes, field, "region");
  if (!s.ok()) return s;
  if (c.duration_ms < 0 || c.duration_ms > Limits::kDurationMs) {
    return Status::Invalid(
        field + ".duration_ms",
        "must be in [0, " + std::to_string(Limits::kDurationMs) +
            "] (0 = not a video), got " + std::to_string(c.duration_ms));
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
        return Status::Invalid(Field(field, "embedding", static_cast<int>(i)),
                               "must be finite");
      }
    }
  }
  if (c.safety.size() > Limits::kSafetyLabels) {
    return CheckCount(c.safety.size(), Limits::kSafetyLabels,
                      field + ".safety");
  }
  for (size_t i = 0; i < c.safety.size(); ++i) {
    const SafetyLabel& label = c.safety[i];
    if (label.name.size() > Limits::kSafetyLabelBytes ||
        !IsValidUtf8(label.name)) {
      return CheckText(label.name, Limits::kSafetyLabelBytes,
                       Field(field, "safety", static_cast<int>(i)), "name");
    }
    if (!(label.confidence >= 0.0f && label.confidence <= 1.0f)) {
      return Status::Invalid(
          Field(field, "safety", static_cast<int>(i)) + ".confidence",
          "must be in [0, 1]");
    }
  }
  const int m = static_cast<int>(c.maturity);
  if (m < 0 || m > 2) {
    return Status::Invalid(field + ".maturity",
                           "must be 0, 1 or 2, got " + std::to_string(m));
  }
  return Status::Ok();
}

}  // namespace reelrank
