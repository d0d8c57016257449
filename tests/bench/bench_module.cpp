// Bench-only Embind module (built by tests/bench/CMakeLists.txt configured on
// its own under Emscripten; never shipped). It holds parsed candidates
// between rank calls, which is the "register candidates once, rank by
// handle" path the package now has: rankStored() measures the core in wasm
// alone (no result columns, no JS), rankPacked() decoding a packed batch plus
// the core. Decoding reuses wasm/marshal.cpp (DecodeCandidates); JS writes
// the batch with web/ranker.js packCandidates into inputBuffer().
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "marshal.h"
#include "reelrank/config.h"
#include "reelrank/event.h"
#include "reelrank/ranker.h"

namespace {

class BenchRanker {
 public:
  explicit BenchRanker(const std::string& config_json) {
    reelrank::Result<reelrank::RankerConfig> c =
        reelrank::ParseConfig(config_json);
    ranker_ = std::make_unique<reelrank::Ranker>(
        c.ok() ? c.value() : reelrank::RankerConfig{});
  }
  bool loadModelPack(const std::string& json) {
    return ranker_->LoadModelPack(json).ok();
  }

  // A buffer of `bytes` bytes for a packed batch (web/ranker.js layout).
  uintptr_t inputBuffer(int bytes) {
    if (bytes > 0 && input_.size() < static_cast<size_t>(bytes))
      input_.resize(bytes);
    return reinterpret_cast<uintptr_t>(input_.data());
  }

  // Decodes and keeps the packed batch; returns how many are valid.
  int setCandidates(int bytes) {
    stored_.clear();
    source_.clear();
    rejected_.clear();
    reelrank_wasm::DecodeCandidates(
        input_.data(), std::min<size_t>(bytes, input_.size()),
        ranker_->config().embedding_dim, &stored_, &source_, &rejected_);
    return static_cast<int>(stored_.size());
  }

  // Ranks the kept candidates (core only). Returns the input index of the
  // best one (-1 if none).
  int rankStored(double now_ms, int hour) {
    reelrank::Context ctx;
    ctx.now_ms = static_cast<int64_t>(now_ms);
    ctx.hour_of_day = hour;
    reelrank::RankResult r = ranker_->Rank(stored_, ctx);
    return r.ranked.empty() ? -1 : source_[r.ranked[0].index];
  }

  // Decode + rank, no result shaping.
  int rankPacked(int bytes, double now_ms, int hour) {
    setCandidates(bytes);
    return rankStored(now_ms, hour);
  }

  bool observe(const std::string& event_id, const std::string& item_id,
               const std::string& kind, double ts, double dwell,
               double velocity) {
    reelrank::Result<reelrank::EventKind> k =
        reelrank::ParseEventKind(kind, "kind");
    if (!k.ok()) return false;
    reelrank::Event e;
    e.event_id = event_id;
    e.item_id = item_id;
    e.kind = k.value();
    e.timestamp_ms = static_cast<int64_t>(ts);
    e.dwell_ms = static_cast<int64_t>(dwell);
    e.velocity = static_cast<float>(velocity);
    return ranker_->Observe(e).ok();
  }

 private:
  std::unique_ptr<reelrank::Ranker> ranker_;
  std::vector<uint8_t> input_;
  std::vector<reelrank::Candidate> stored_;
  std::vector<int> source_;
  std::vector<reelrank::Rejection> rejected_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(reelrank_bench) {
  emscripten::class_<BenchRanker>("BenchRanker")
      .constructor<const std::string&>()
      .function("loadModelPack", &BenchRanker::loadModelPack)
      .function("inputBuffer", &BenchRanker::inputBuffer)
      .function("setCandidates", &BenchRanker::setCandidates)
      .function("rankStored", &BenchRanker::rankStored)
      .function("rankPacked", &BenchRanker::rankPacked)
      .function("observe", &BenchRanker::observe);
}
