// Marshalling between JS values and core types. No ranking logic lives here:
// functions only convert shapes (packed batches, typed arrays, plain objects)
// and forward to the core Ranker.
//
// Boundary rules (see web/ranker.js, the only caller):
//   - candidate batches enter as ONE packed byte buffer (layout below),
//     copied into the handle's input buffer by JS and decoded once per batch
//     into core Candidates that the handle keeps ("register once, rank by
//     handle"); no JSON on the rank path;
//   - a rank writes its result into ONE output buffer of typed columns
//     (layout below) that JS copies out with a single slice; only the rare
//     parts (dropped items, rule ids) are built as JS values;
//   - config, policy, model packs and profiles cross as JSON strings;
//   - errors leave as a returned JS Error "code: field: reason", never as a
//     thrown C++ exception; success of a void call is `null`.
#ifndef REELRANK_WASM_MARSHAL_H_
#define REELRANK_WASM_MARSHAL_H_

#include <emscripten/val.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/context.h"
#include "reelrank/prepared_batch.h"
#include "reelrank/ranker.h"
#include "reelrank/status.h"

namespace reelrank_wasm {

// A JS Error whose message is "<code>: <message>"; web/ turns it into a
// RankerError with that code.
emscripten::val ErrorValue(const reelrank::Status& status);
// null for ok, else ErrorValue(status).
emscripten::val StatusValue(const reelrank::Status& status);

// Limits (reelrank/limits.h) on candidate strings, in bytes of UTF-8, keyed
// by the JS field name: {id, author, sound, category, caption, region, tag,
// safety_label}, and batch_units (Limits::kBatchStringUnits). JS refuses a
// string longer in UTF-16 units than its limit (it is longer in bytes too)
// before packing it; the core checks bytes.
emscripten::val CandidateStringLimits();

// ---- Packed candidate batch (written by web/ranker.js packCandidates) ----
// Little-endian; every section starts at a multiple of 8 bytes, in order:
//   i32 header[8]    n, dim, num_strings, string_bytes, num_tags,
//                    num_safety, emb_rows, 0
//   f64 nums[n * 3]  duration_ms, created_at, server_score
//   f32 emb[emb_rows * dim]
//   f32 safety_conf[num_safety]
//   i32 rec[n * kRecInts]  see RecField
//   i32 tag_str[num_tags]        string index of each tag
//   i32 safety_str[num_safety]   string index of each safety label name
//   i32 str_off[num_strings + 1] byte offsets into str_bytes
//   u8  str_bytes[string_bytes]  UTF-8
// String fields hold a string index or -1 (absent). A record with
// kSkip != 0 was rejected by JS (type errors) and is not decoded.
enum RecField {
  kSkip = 0,
  kId,
  kAuthor,
  kCategory,
  kSound,
  kCaption,
  kRegion,
  kTagStart,
  kTagCount,
  kSafetyStart,
  kSafetyCount,
  kMaturity,
  kEmbRow,  // -1: no embedding
  kRecInts
};

// Decodes a packed batch. Records JS skipped are left out; the others that
// fail ValidateCandidate or repeat an earlier valid id become rejections
// named "candidates[<input index>]..."; the rest are appended to `out` with
// their input index in `source_index`. Returns an error only for a buffer
// that does not follow the layout (a bug in the caller).
reelrank::Status DecodeCandidates(const uint8_t* data, size_t size, int dim,
                                  std::vector<reelrank::Candidate>* out,
                                  std::vector<int>* source_index,
                                  std::vector<reelrank::Rejection>* rejected);

// ---- Rank output buffer (read by web/ranker.js RankedBatch) ----
// Little-endian, n = ranked, nd = dropped, ns = strings; every section
// starts at a multiple of 8 bytes, in order:
//   i32 header[8]   n, nd, ns, total_bytes, string_bytes, c, 0, 0
//                   (c = kMaxContributions, or 0 when no item has any, as
//                   with explain off: the three contrib_* arrays are empty)
//   f64 values[n]   f64 policy_multiplier[n]
//   i32 order[n]    (input indices)   i32 pre_diversity_rank[n]
//   f32 heads[n * kNumHeads]
//   f32 contrib_value[n * c]
//   i32 contrib_index[n * c]
//   u8  contrib_kind[n * c]   u8 contrib_count[n]
//   u8  flags[n] (1 seen, 2 interstitial, 4 explored)   u8 action[n]
//   i32 rule_id[n]  (string index, -1 none)
//   i32 dropped_index[nd] (input indices)  i32 dropped_rule_id[nd]
//   i32 dropped_reason[nd]  u8 dropped_source[nd]
//   i32 str_off[ns + 1]  u8 str_bytes[string_bytes]  (UTF-8; each distinct
//                        rule id / reason of this call once)

// The one long-lived handle JS holds; registered as `_Ranker`.
//
// Ownership: JS creates it with `new Module._Ranker(configJson)` and MUST call
// `delete()` exactly once when done (web/'s Ranker.close() does); calls after
// delete() throw an Embind BindingError. Every method returns plain values or
// copies (or a pointer into a buffer the handle owns, valid until the next
// call), so nothing else needs freeing. A config error does not throw: the
// handle is created without a ranker and `_initError()` returns the Error
// (JS then deletes the handle). Not thread safe (one handle per thread).
class RankerHandle {
 public:
  // Batch slots: kept candidates, ranked by handle.
  static constexpr int kNumSlots = 2;  // 0: setCandidates, 1: one-shot rank
  static constexpr int kOneShotSlot = 1;

  explicit RankerHandle(const std::string& config_json);

  // null, or the Error explaining why the config was refused.
  emscripten::val initError() const;
  int embeddingDim() const;
  std::string configJson() const;

  // A buffer of at least `bytes` bytes owned by the handle; JS writes a
  // packed batch there, then calls setCandidates. Valid until the next call.
  uintptr_t inputBuffer(int bytes);
  // Decodes the packed batch of `bytes` bytes in the input buffer into
  // `slot` (replacing what it held). Returns the core's rejections
  // [{index, code, message}] (JS adds its own), or an Error.
  emscripten::val setCandidates(int slot, int bytes);
  // Frees a slot's candidates.
  void clearCandidates(int slot);
  // Ranks the candidates kept in `slot`. Context numbers: -1 = default for
  // hour, depth and surface. Returns the address of the output buffer
  // (layout above; valid until the next call); its header says how long it
  // is.
  uintptr_t rankKept(int slot, double now_ms, int hour_of_day,
                     int session_depth, int surface);

  // kind is an EventKind name; numbers are JS numbers (ms, screens/s).
  emscripten::val observe(const std::string& event_id,
                          const std::string& item_id, const std::string& kind,
                          double timestamp_ms, double dwell_ms,
                          double velocity);
  std::string exportProfile() const;
  // Imports the profile text of `bytes` bytes (UTF-8) that JS wrote into the
  // input buffer (see inputBuffer). Returns null, or an Error (a size beyond
  // the buffer: internal; else the core's refusal; nothing changes then).
  emscripten::val importProfileInput(int bytes);
  // Ranker::profile_bytes_limit(): JS checks it before it writes a profile
  // into the input buffer.
  double profileBytesLimit() const;
  emscripten::val forget(const std::string& event_id);
  void reset();
  void refreshFeed();
  void pauseLearning(bool paused);
  bool learningPaused() const;
  void setPersonalization(bool on);
  bool personalization() const;
  // Ranker::SetClock(now_ms), now_ms a JS number of unix ms.
  void setClock(double now_ms);
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
  // Both, all or nothing (Ranker::SetPolicyAndControls).
  emscripten::val setPolicyAndControls(const std::string& policy_json,
                                       const std::string& controls_json);
  std::string userControlsJson() const;
  emscripten::val next(double now_ms, int hour_of_day, int session_depth,
                       int surface);
  emscripten::val explain(const std::string& id) const;

 private:
  struct Batch {
    // Slot 0 (ranked again after every swipe): prepared once
    // (reelrank/prepared_batch.h), so rankKept does not redo the input-only
    // work. The one-shot slot, ranked once: the plain candidates.
    reelrank::PreparedBatch prepared;
    std::vector<reelrank::Candidate> candidates;
    std::vector<int> source_index;  // input index of each kept candidate
  };

  std::unique_ptr<reelrank::Ranker> ranker_;
  reelrank::Status init_status_;
  std::vector<uint8_t> input_;
  std::array<Batch, kNumSlots> batches_;
  std::vector<uint8_t> output_;
};

}  // namespace reelrank_wasm

#endif  // REELRANK_WASM_MARSHAL_H_
