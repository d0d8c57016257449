// Ranker: the facade of the on-device ranker.
//
// Owns the private profile, the learners and the seeded generator. Not thread
// safe: one Ranker per thread (the web package runs it on one thread or one
// worker). No method throws; errors are returned as values.
//
//   reelrank::Ranker ranker(reelrank::RankerConfig{});
//   reelrank::RankResult r = ranker.Rank(candidates, context);
//   for (const auto& s : r.ranked) Show(candidates[s.index]);
#ifndef REELRANK_RANKER_H_
#define REELRANK_RANKER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/context.h"
#include "reelrank/status.h"

namespace reelrank {

struct RankerConfig {
  int embedding_dim = 32;  // dimension of Candidate::embedding, 1..1024
  uint64_t seed = 1;       // seeds every random choice
};

// One ranked candidate. `index` points into the input vector.
struct ScoredCandidate {
  int index = 0;
  double value = 0.0;
};

// A candidate that was skipped, with the reason.
struct Rejection {
  int index = 0;
  Status status;
};

struct RankResult {
  std::vector<ScoredCandidate> ranked;  // best first
  std::vector<Rejection> rejected;      // in input order
};

class Ranker {
 public:
  explicit Ranker(const RankerConfig& config);

  const RankerConfig& config() const { return config_; }

  // Scores every valid candidate and returns them best first. Invalid ones are
  // listed in `rejected` and do not affect the others.
  RankResult Rank(const std::vector<Candidate>& candidates,
                  const Context& context) const;

 private:
  RankerConfig config_;
};

}  // namespace reelrank

#endif  // REELRANK_RANKER_H_
