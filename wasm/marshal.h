// Marshalling between JS values and core types. No ranking logic lives here:
// functions only convert shapes (JSON strings, typed arrays, plain objects).
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

// Candidates arrive as a JSON array of metadata objects plus one flat
// Float32Array holding the embeddings of the candidates whose "e" flag is 1,
// in order. Malformed entries become rejections (input index + reason); the
// others are appended to `out` and their input index to `source_index`.
reelrank::Status CandidatesFromJs(const std::string& json,
                                  const emscripten::val& embeddings, int dim,
                                  std::vector<reelrank::Candidate>* out,
                                  std::vector<int>* source_index,
                                  std::vector<reelrank::Rejection>* rejected);

reelrank::Result<reelrank::Context> ContextFromJson(const std::string& json);

// {order: Int32Array, values: Float64Array, rejected: [{index, code, message}]}
// with indices mapped back to the caller's input positions.
emscripten::val RankResultToJs(const reelrank::RankResult& result,
                               const std::vector<int>& source_index,
                               std::vector<reelrank::Rejection> rejected);

// The one long-lived handle JS holds; registered as `_Ranker`. JS must call
// delete() when done (web/'s Ranker.close() does). Each method converts its
// arguments, calls the core Ranker, and converts the result; failures come
// back as a returned Error value, never as a thrown C++ exception.
class RankerHandle {
 public:
  RankerHandle(int embedding_dim, double seed);
  emscripten::val rank(const std::string& candidates_json,
                       const emscripten::val& embeddings,
                       const std::string& context_json);
  int embeddingDim() const { return ranker_->config().embedding_dim; }

 private:
  std::unique_ptr<reelrank::Ranker> ranker_;
};

}  // namespace reelrank_wasm

#endif  // REELRANK_WASM_MARSHAL_H_
