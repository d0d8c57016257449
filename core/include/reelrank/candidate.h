// Candidate: one item the server proposes for the feed.
//
// Plain data, owned by the caller. The ranker validates every candidate
// (see ValidateCandidate) and skips invalid ones with a reason; it never
// keeps pointers into a Candidate after the call returns. Every string and
// list has a size limit (reelrank/limits.h).
#ifndef REELRANK_CANDIDATE_H_
#define REELRANK_CANDIDATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "reelrank/status.h"

namespace reelrank {

// A safety classifier's verdict, e.g. {"violence", 0.93}.
struct SafetyLabel {
  std::string name;
  float confidence = 0.0f;  // in [0, 1]
};

// Maturity rating; a user's maturity setting admits items at or below it.
enum class Maturity : int { kGeneral = 0, kTeen = 1, kMature = 2 };

struct Candidate {
  std::string id;                 // required, non-empty, unique in a batch
  std::string author;             // creator id; may be empty
  std::vector<std::string> tags;  // hashtags / topic tags, without '#'
  std::string category;           // top-level category; may be empty
  std::string sound;              // sound / music id; may be empty
  std::string caption;            // free text (policy keywords)
  std::string region;             // ISO region of the upload; may be empty
  // Length of the video, in [0, Limits::kDurationMs]; 0 = not a video (a
  // photo post): it has no duration features and no watch ratio.
  int64_t duration_ms = 0;
  int64_t created_at_ms = 0;  // unix ms; 0 = unknown
  // Optional dense embedding. Empty = none; otherwise exactly the ranker's
  // embedding dimension, all finite.
  std::vector<float> embedding;
  std::vector<SafetyLabel> safety;
  Maturity maturity = Maturity::kGeneral;
  // The server's non-personal estimate of the item's value, in [0, 1]
  // (a probability-like prior). An empty profile ranks by it.
  double server_score = 0.5;
};

// Checks one candidate: the field rules above, the size limits of
// reelrank/limits.h (e.g. "candidates[3].caption: 20971520 bytes, limit
// 16384"), well-formed UTF-8 in every string. `field` prefixes messages (e.g.
// "candidates[3]"). `embedding_dim` is the ranker's dimension. Returns the
// first problem found.
Status ValidateCandidate(const Candidate& c, int embedding_dim,
                         const std::string& field);

}  // namespace reelrank

#endif  // REELRANK_CANDIDATE_H_
