// The evaluator's view of reelrank: one personal Ranker per evaluated user,
// created from what a server could ship (the prior as `server_score`, and
// global knowledge learned from other users), scored before each event and
// fed the user's events afterwards.
#ifndef REELRANK_EVAL_REEL_ADAPTER_H_
#define REELRANK_EVAL_REEL_ADAPTER_H_

#include <memory>
#include <string>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/context.h"
#include "reelrank/event.h"
#include "reelrank/ranker.h"

namespace reelrank {
namespace eval {

// One scored candidate, in input order.
struct ReelScore {
  double value = 0.0;        // the ranker's value (its ranking key)
  double p_long_view = 0.0;  // P(long view) mapped from the ranker's output
  int rank = 0;              // 0 = first in the ranker's order
};

// One user's training sequence for the server side: candidates in time
// order with their events and labels.
struct UserSequence {
  std::vector<Candidate> candidates;
  std::vector<Context> contexts;
  std::vector<std::vector<Event>> events;
  std::vector<int> long_view;
};

class ReelUnderTest {
 public:
  // `config_json` overrides the ranker's defaults (may be empty).
  explicit ReelUnderTest(const std::string& config_json);

  // Server side, before any evaluated user: learns the global knowledge a
  // server would ship (e.g. a model pack and the mapping from the ranker's
  // outputs to P(long view)) from other users' sequences only.
  void Prepare(const std::vector<UserSequence>& others);

  // Starts a fresh personal profile for the next user.
  void ResetUser();

  // Scores candidates with the current profile (does not learn).
  std::vector<ReelScore> Score(const std::vector<Candidate>& candidates,
                               const Context& context);

  // Registers candidates the events will refer to, then learns from events.
  void Observe(const Candidate& candidate, const std::vector<Event>& events);

  // A one-line description of the configuration, for the report.
  std::string Describe() const;

 private:
  std::string config_json_;
  std::unique_ptr<Ranker> ranker_;
};

}  // namespace eval
}  // namespace reelrank

#endif  // REELRANK_EVAL_REEL_ADAPTER_H_
