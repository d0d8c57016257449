// Marshalling between JS values and core types. No ranking logic lives here:
// functions only convert shapes (JSON strings, typed arrays, plain objects)
// and forward to the core Ranker.
//
// Boundary rules (see web/index.js, the only caller):
//   - embeddings enter as ONE flat Float32Array, copied in bulk;
//   - config, policy, model packs and profiles cross as JSON strings;
//   - results leave as plain JS objects and typed-array copies (never views
//     into the wasm heap, which die when memory grows);
//   - errors leave as a returned JS Error "code: field: reason", never as a
//     thrown C++ exception; success of a void call is `null`.
#ifndef REELRANK_WASM_MARSHAL_H_
#define REELRANK_WASM_MARSHAL_H_

#include <emscripten/val.h>

#include <memory>
#include <string>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/context.h"
#include "reelrank/ranker.h"
#include "reelrank/status.h"

namespace reelrank_wasm {

// A JS Error whose message is "<code>: <message>"; web/ turns it into a
// RankerError with that code.
emscripten::val ErrorValue(const reelrank::Status& status);
// null for ok, else ErrorValue(status).
emscripten::val StatusValue(const reelrank::Status& status);

// Candidates arrive as a JSON array of metadata objects plus one flat
// Float32Array holding the embeddings of the candidates whose "e" flag is 1,
// in order. Malformed entries become rejections (input index + reason); the
// others are appended to `out` and their input index to `source_index`.
reelrank::Status CandidatesFromJs(const std::string& json,
                                  const emscripten::val& embeddings, int dim,
                                  std::vector<reelrank::Candidate>* out,
                                  std::vector<int>* source_index,
                                  std::vector<reelrank::Rejection>* rejected);

// {"now_ms", "hour_of_day", "session_depth", "surface"}; "" = defaults.
reelrank::Result<reelrank::Context> ContextFromJson(const std::string& json);

// {order: Int32Array, values: Float64Array, heads: Float32Array (n x
//  kNumHeads, row-major), seen: Uint8Array,
//  contributions: [[{kind, label, value}, ...], ...],
//  pipeline: [{action, ruleId, policyMultiplier, interstitial, explored,
//              preDiversityRank}, ...],
//  rejected: [{index, code, message}],
//  dropped: [{index, ruleId, source, reason}]}
// with indices mapped back to the caller's input positions.
emscripten::val RankResultToJs(
    const reelrank::RankResult& result,
    const std::vector<reelrank::Candidate>& ranked_input,
    const std::vector<int>& source_index,
    std::vector<reelrank::Rejection> rejected);

// The one long-lived handle JS holds; registered as `_Ranker`.
//
// Ownership: JS creates it with `new Module._Ranker(configJson)` and MUST call
// `delete()` exactly once when done (web/'s Ranker.close() does); calls after
// delete() throw an Embind BindingError. Every method returns plain values or
// copies, so nothing else needs freeing. A config error does not throw: the
// handle is created without a ranker and `_initError()` returns the Error
// (JS then deletes the handle). Not thread safe (one handle per thread).
class RankerHandle {
 public:
  explicit RankerHandle(const std::string& config_json);

  // null, or the Error explaining why the config was refused.
  emscripten::val initError() const;
  int embeddingDim() const;
  std::string configJson() const;

  emscripten::val rank(const std::string& candidates_json,
                       const emscripten::val& embeddings,
                       const std::string& context_json);
  // kind is an EventKind name; numbers are JS numbers (ms, screens/s).
  emscripten::val observe(const std::string& event_id,
                          const std::string& item_id, const std::string& kind,
                          double timestamp_ms, double dwell_ms,
                          double velocity);
  std::string exportProfile() const;
  emscripten::val importProfile(const std::string& json);
  emscripten::val forget(const std::string& event_id);
  void reset();
  void pauseLearning(bool paused);
  bool learningPaused() const;
  emscripten::val setObjectiveWeights(const std::string& json);
  // {continue: w, watch_ratio: w, ...}
  emscripten::val objectiveWeights() const;
  emscripten::val loadModelPack(const std::string& json);
  std::string modelPackJson() const;
  // [{name, weight, sightings}]
  emscripten::val topInterests(int k) const;
  // {features, seenItems, eventLog, knownItems, events, views}
  emscripten::val stats() const;

  // Pipeline: operator policy and user controls as JSON; next() gives null
  // or {id, value, heads: Float32Array, contributions, seen, action, ruleId,
  // policyMultiplier, interstitial, explored, preDiversityRank}; explain()
  // gives the explanation's JSON text (explain.h) or an Error.
  emscripten::val setPolicy(const std::string& json);
  std::string policyJson() const;
  emscripten::val setUserControls(const std::string& json);
  std::string userControlsJson() const;
  emscripten::val next(const std::string& context_json);
  emscripten::val explain(const std::string& id) const;

 private:
  std::unique_ptr<reelrank::Ranker> ranker_;
  reelrank::Status init_status_;
};

}  // namespace reelrank_wasm

#endif  // REELRANK_WASM_MARSHAL_H_
