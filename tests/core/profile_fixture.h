// Test support: a small ranker config and a 12-item catalog with a short
// history (views, likes, a "not interested"), i.e. a valid exported profile
// with every section filled. Shared by the profile fuzzer
// (tests/fuzz/fuzz_profile.cpp) and its deterministic regression sweep
// (fuzz_regression_test.cpp), which both mutate that profile.
#ifndef REELRANK_TESTS_CORE_PROFILE_FIXTURE_H_
#define REELRANK_TESTS_CORE_PROFILE_FIXTURE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/config.h"
#include "reelrank/context.h"
#include "reelrank/event.h"
#include "reelrank/ranker.h"

namespace reelrank {
namespace fixture {

constexpr int64_t kProfileT0 = 1700000000000LL;

// Small caps so evictions and the log bound are reached quickly.
inline RankerConfig SmallProfileConfig() {
  RankerConfig c;
  c.embedding_dim = 4;
  c.profile.max_features = 64;
  c.profile.max_seen_items = 16;
  c.profile.max_event_log = 8;
  c.profile.max_known_items = 32;
  return c;
}

// Items "v0".."v<n-1>": 3 authors, two tag pairs, 2 categories and sounds.
inline std::vector<Candidate> ProfileCatalog(int n = 12) {
  std::vector<Candidate> out;
  for (int i = 0; i < n; ++i) {
    Candidate c;
    c.id = "v" + std::to_string(i);
    c.author = "a" + std::to_string(i % 3);
    c.tags = {i % 2 ? "cats" : "dogs", "t" + std::to_string(i % 4)};
    c.category = i % 3 ? "pets" : "food";
    c.sound = "s" + std::to_string(i % 2);
    c.duration_ms = 10000 + 1000 * i;
    c.created_at_ms = 1690000000000LL;
    c.embedding = {0.1f * i, 1.0f - 0.1f * i, 0.5f, -0.25f};
    c.server_score = 0.3 + 0.04 * i;
    out.push_back(c);
  }
  return out;
}

// Ranks the 12-item catalog, then one view per item (impression, progress,
// a like on every third, "not interested" on v5, swipe away). Returns how
// many events the ranker refused (0 for a ranker of SmallProfileConfig).
inline int LearnProfileHistory(Ranker* r) {
  const std::vector<Candidate> cands = ProfileCatalog(12);
  Context ctx;
  ctx.now_ms = kProfileT0;
  r->Rank(cands, ctx);
  int n = 0;
  int refused = 0;
  for (int i = 0; i < 12; ++i) {
    auto ev = [&](EventKind k, int64_t dwell, float vel) {
      Event e;
      e.event_id = "e" + std::to_string(n++);
      e.item_id = "v" + std::to_string(i);
      e.kind = k;
      e.timestamp_ms = kProfileT0 + 60000 * i + n;
      e.dwell_ms = dwell;
      e.velocity = vel;
      if (!r->Observe(e).ok()) ++refused;
    };
    ev(EventKind::kImpression, 0, 0);
    ev(EventKind::kProgress, 3000 + 500 * i, 0);
    if (i % 3 == 0) ev(EventKind::kLike, 0, 0);
    if (i == 5) ev(EventKind::kNotInterested, 0, 0);
    ev(EventKind::kSwipeAway, 4000 + 700 * i, 1.5f);
  }
  return refused;
}

}  // namespace fixture
}  // namespace reelrank

#endif  // REELRANK_TESTS_CORE_PROFILE_FIXTURE_H_
