// Deterministic synthetic workload shared by the native benchmark.
//
// Mirrors tests/bench/workload.mjs exactly (same PRNG, same draws, same
// order), so native, wasm and the JS peers rank the same candidates and learn
// from the same events.
#ifndef REELRANK_BENCH_WORKLOAD_H_
#define REELRANK_BENCH_WORKLOAD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/context.h"
#include "reelrank/event.h"

namespace reelrank_bench {

constexpr int kTags = 500;
constexpr int kAuthors = 300;
constexpr int kCategories = 20;
constexpr int kSounds = 200;
constexpr int64_t kT0 = 1767225600000LL;  // 2026-01-01T00:00:00Z

// mulberry32: identical in JS (Math.imul) and C++ (uint32 wrap-around).
class Rng {
 public:
  explicit Rng(uint32_t seed) : a_(seed) {}
  uint32_t Next() {
    a_ += 0x6D2B79F5u;
    uint32_t t = a_;
    t = (t ^ (t >> 15)) * (t | 1u);
    t ^= t + (t ^ (t >> 7)) * (t | 61u);
    return t ^ (t >> 14);
  }
  // [0, 1) with 24 bits: exact in float and double.
  double Uniform() { return static_cast<double>(Next() >> 8) / 16777216.0; }
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint32_t>(n)); }

 private:
  uint32_t a_;
};

// Category centroids of the embedding space (seeded by dim).
inline std::vector<float> Centroids(int dim) {
  Rng r(1000u + static_cast<uint32_t>(dim));
  std::vector<float> c(static_cast<size_t>(kCategories) * dim);
  for (float& x : c) x = static_cast<float>(2.0 * r.Uniform() - 1.0);
  return c;
}

// `n` candidates of batch `batch` with `dim`-float embeddings.
inline std::vector<reelrank::Candidate> MakeCandidates(int n, int dim,
                                                       int batch) {
  const std::vector<float> centroids = Centroids(dim);
  Rng r(static_cast<uint32_t>(batch) * 7919u + 17u);
  std::vector<reelrank::Candidate> out(n);
  for (int i = 0; i < n; ++i) {
    reelrank::Candidate& c = out[i];
    c.id = "v" + std::to_string(batch) + "_" + std::to_string(i);
    // New creators appear every 8 batches (long runs grow the vocabulary).
    c.author = "a" + std::to_string(r.Below(kAuthors) + kAuthors * (batch / 8));
    const int k = r.Below(kCategories);
    c.category = "k" + std::to_string(k);
    c.sound = "s" + std::to_string(r.Below(kSounds));
    for (int t = 0; t < 3; ++t) c.tags.push_back("t" + std::to_string(r.Below(kTags)));
    c.caption = "clip " + std::to_string(i);
    c.duration_ms = 3000 + r.Below(177000);
    c.created_at_ms = kT0 - r.Below(86400000);
    c.server_score = 0.05 + 0.9 * r.Uniform();
    c.embedding.resize(dim);
    for (int d = 0; d < dim; ++d) {
      c.embedding[d] = static_cast<float>(
          centroids[static_cast<size_t>(k) * dim + d] + 0.5 * (2.0 * r.Uniform() - 1.0));
    }
    if (r.Uniform() < 0.1) c.safety.push_back({"violence", static_cast<float>(r.Uniform())});
  }
  return out;
}

inline reelrank::Context MakeContext(int64_t now_ms) {
  reelrank::Context ctx;
  ctx.now_ms = now_ms;
  ctx.hour_of_day = static_cast<int>((now_ms / 3600000) % 24);
  return ctx;
}

// A simulated user who likes categories k0..k4 and swipes the rest away.
// Emits the events of one view of `c` starting at *now_ms (advanced).
inline void ViewEvents(const reelrank::Candidate& c, int category, Rng* r,
                       int64_t* now_ms, int64_t* seq,
                       std::vector<reelrank::Event>* out) {
  auto ev = [&](reelrank::EventKind kind, int64_t dwell, float velocity) {
    reelrank::Event e;
    e.event_id = "e" + std::to_string((*seq)++);
    e.item_id = c.id;
    e.kind = kind;
    e.timestamp_ms = *now_ms + dwell;
    e.dwell_ms = dwell;
    e.velocity = velocity;
    out->push_back(std::move(e));
  };
  ev(reelrank::EventKind::kImpression, 0, 0.0f);
  const double u = r->Uniform();
  if (category < 5) {
    const int64_t dwell = static_cast<int64_t>(c.duration_ms * (0.6 + 0.4 * u));
    ev(reelrank::EventKind::kProgress, dwell / 2, 0.0f);
    if (u > 0.5) ev(reelrank::EventKind::kComplete, c.duration_ms, 0.0f);
    if (u > 0.7) ev(reelrank::EventKind::kLike, dwell, 0.0f);
    ev(reelrank::EventKind::kSwipeAway, dwell, 0.8f);
    *now_ms += dwell + 500;
  } else {
    const int64_t dwell = 400 + static_cast<int64_t>(1500 * u);
    if (u < 0.03) ev(reelrank::EventKind::kNotInterested, dwell, 0.0f);
    ev(reelrank::EventKind::kSwipeAway, dwell, static_cast<float>(1.0 + 3.0 * u));
    *now_ms += dwell + 300;
  }
}

inline int CategoryOf(const reelrank::Candidate& c) {
  return std::stoi(c.category.substr(1));
}

}  // namespace reelrank_bench

#endif  // REELRANK_BENCH_WORKLOAD_H_
