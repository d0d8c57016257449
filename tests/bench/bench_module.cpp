// Bench-only Embind module (built by tests/bench/CMakeLists.txt configured on
// its own under Emscripten; never shipped). It holds parsed candidates
// between rank calls, which is the "register candidates once, rank by
// handle" path the package now has: rankStored() measures the core in wasm
// alone (no result columns, no JS), rankPacked() decoding a packed batch plus
// the core. Decoding reuses wasm/marshal.cpp (DecodeCandidates); JS writes
// the batch with web/ranker.js packCandidates into inputBuffer().
// DenseBench runs the core's dense scoring kernel (reelrank/dense_kernel.h,
// what Ranker::Rank calls) on inputs JS writes into wasm memory, for the
// dense-part comparison with plain JS and TF.js (purejs.mjs denseJs /
// tfjsDense).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "marshal.h"
#include "reelrank/config.h"
#include "reelrank/dense_kernel.h"
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

// The dense kernel on a batch of n items: JS fills E (n x dim, row-major),
// prior (n), sparse (n x 8), W (4 x 8: bias, prior, long, session rows),
// U (dim x 2: unit long / session interest interleaved) and obj (8) through
// the *Ptr() addresses (purejs.mjs denseInputs / denseWeights layout), calls
// setWeights() once, then run(); values are at valuePtr().
class DenseBench {
 public:
  DenseBench(int n, int dim)
      : n_(n),
        dim_(dim),
        e_(static_cast<size_t>(n) * dim),
        prior_(n),
        sparse_(static_cast<size_t>(n) * reelrank::kNumHeads),
        w_(4 * reelrank::kNumHeads),
        u_(static_cast<size_t>(dim) * 2),
        obj_(reelrank::kNumHeads),
        long_(dim),
        session_(dim),
        value_(n),
        p_(static_cast<size_t>(n) * reelrank::kNumHeads),
        rows_(n) {
    for (int i = 0; i < n; ++i)
      rows_[i] = e_.data() + static_cast<size_t>(i) * dim;
  }
  uintptr_t ePtr() { return reinterpret_cast<uintptr_t>(e_.data()); }
  uintptr_t priorPtr() { return reinterpret_cast<uintptr_t>(prior_.data()); }
  uintptr_t sparsePtr() { return reinterpret_cast<uintptr_t>(sparse_.data()); }
  uintptr_t wPtr() { return reinterpret_cast<uintptr_t>(w_.data()); }
  uintptr_t uPtr() { return reinterpret_cast<uintptr_t>(u_.data()); }
  uintptr_t objPtr() { return reinterpret_cast<uintptr_t>(obj_.data()); }
  uintptr_t valuePtr() { return reinterpret_cast<uintptr_t>(value_.data()); }
  // Reads W, U and obj into the kernel's form (once, like the ranker does
  // once per rank call).
  void setWeights() {
    constexpr int H = reelrank::kNumHeads;
    for (int h = 0; h < H; ++h) {
      weights_.bias[h] = w_[h];
      weights_.prior[h] = w_[H + h];
      weights_.interest_long[h] = w_[2 * H + h];
      weights_.interest_session[h] = w_[3 * H + h];
      weights_.objective[h] = obj_[h];
    }
    for (int d = 0; d < dim_; ++d) {
      long_[d] = u_[2 * d];
      session_[d] = u_[2 * d + 1];
    }
  }
  // One kernel call; `normalize`: divide each row of E by its norm first
  // (as denseJs / tfjsDense do); `probs`: also write the n x 8 head
  // probabilities (as the ranker does).
  void run(bool normalize, bool probs) {
    reelrank::DenseBatch in;
    in.n = n_;
    in.dim = dim_;
    in.embeddings = rows_.data();
    in.long_interest = long_.data();
    in.session_interest = session_.data();
    in.prior = prior_.data();
    in.sparse = sparse_.data();
    in.normalize = normalize;
    reelrank::DenseBatchOutput out;
    out.value = value_.data();
    if (probs) out.p = p_.data();
    reelrank::ScoreDenseBatch(in, weights_, out);
  }

 private:
  int n_, dim_;
  std::vector<float> e_, prior_, sparse_, w_, u_, obj_, long_, session_, value_,
      p_;
  std::vector<const float*> rows_;
  reelrank::DenseWeights weights_;
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
  emscripten::class_<DenseBench>("DenseBench")
      .constructor<int, int>()
      .function("ePtr", &DenseBench::ePtr)
      .function("priorPtr", &DenseBench::priorPtr)
      .function("sparsePtr", &DenseBench::sparsePtr)
      .function("wPtr", &DenseBench::wPtr)
      .function("uPtr", &DenseBench::uPtr)
      .function("objPtr", &DenseBench::objPtr)
      .function("valuePtr", &DenseBench::valuePtr)
      .function("setWeights", &DenseBench::setWeights)
      .function("run", &DenseBench::run);
}
