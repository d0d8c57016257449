// A record of every call the evaluator makes on a Ranker (rank, next,
// observe) and what it returned, in the web package's JSON shapes
// (web/index.d.ts: Candidate, RankContext, FeedEvent), so that
// tests/node/eval_parity.test.mjs can replay it through web/index.js and
// check that the wasm package ranks exactly as the native evaluator did.
#ifndef REELRANK_EVAL_TRACE_H_
#define REELRANK_EVAL_TRACE_H_

#include <nlohmann/json.hpp>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/context.h"
#include "reelrank/event.h"
#include "reelrank/ranker.h"
#include "reelrank/status.h"

namespace reelrank {
namespace eval {

class CallTrace {
 public:
  // {"op": "rank", "candidates": [...], "context": {...},
  //  "ranked": [{"id", "value", "heads": [...]}], "dropped": [ids]}
  void Rank(const std::vector<Candidate>& batch, const Context& context,
            const RankResult& result);
  // {"op": "next", "context": {...}, "id": id or null, "value"}
  void Next(const Context& context, const NextItem& next);
  // {"op": "observe", "event": {...}, "ok": bool}
  void Observe(const Event& event, const Status& status);

  nlohmann::json& ops() { return ops_; }

 private:
  nlohmann::json ops_ = nlohmann::json::array();
};

}  // namespace eval
}  // namespace reelrank

#endif  // REELRANK_EVAL_TRACE_H_
