// ScoreCache (core/src/learner.h): scoring many items with the per-call memo
// gives bit-identical results to uncached ScoreItem, including after the
// memo's table grows and after a Reset for a changed profile.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "learner.h"
#include "reelrank/config.h"
#include "reelrank/model_pack.h"
#include "reelrank/profile.h"

namespace reelrank {
namespace {

Candidate MakeCandidate(int i, int dim) {
  Candidate c;
  c.id = "item" + std::to_string(i);
  c.author = "a" + std::to_string(i % 37);
  c.category = "k" + std::to_string(i % 11);
  c.sound = "s" + std::to_string(i % 53);
  c.tags = {"t" + std::to_string(i % 97), "t" + std::to_string((i * 7) % 97),
            "u" + std::to_string(i)};  // many distinct keys: the memo grows
  c.duration_ms = 3000 + (i * 7919) % 170000;
  c.server_score = 0.05 + 0.9 * ((i * 31) % 100) / 100.0;
  c.embedding.resize(dim);
  for (int d = 0; d < dim; ++d)
    c.embedding[d] = static_cast<float>(((i + 3) * (d + 5)) % 17) - 8.0f;
  return c;
}

void ExpectSame(const ItemScore& a, const ItemScore& b) {
  ASSERT_EQ(a.num_features, b.num_features);
  for (int h = 0; h < kNumHeads; ++h) {
    EXPECT_EQ(a.logit[h], b.logit[h]);
    EXPECT_EQ(a.p[h], b.p[h]);
    EXPECT_EQ(a.prior_term[h], b.prior_term[h]);
    EXPECT_EQ(a.long_term[h], b.long_term[h]);
    EXPECT_EQ(a.session_term[h], b.session_term[h]);
    for (int f = 0; f < a.num_features; ++f)
      EXPECT_EQ(a.feature_term[f][h], b.feature_term[f][h]);
  }
  EXPECT_EQ(a.author_negative, b.author_negative);
  EXPECT_EQ(a.tag_negative, b.tag_negative);
}

TEST(ScoreCacheTest, MatchesUncachedScoringBitForBit) {
  const int dim = 8;
  RankerConfig cfg;
  cfg.embedding_dim = dim;
  ModelPack pack = DefaultModelPack();
  for (int k = 0; k < 11; ++k) {
    std::array<float, kNumHeads> w{};
    for (int h = 0; h < kNumHeads; ++h)
      w[h] = 0.01f * static_cast<float>((k * 3 + h) % 13) - 0.05f;
    pack.sparse[FeatureKey("category:k" + std::to_string(k))] = w;
  }
  Profile profile;
  int64_t now = 1767225600000LL;
  // Learn from views of some items (watch, like, swipe, not interested).
  const char* kinds[] = {"impression", "progress", "like", "swipe_away",
                         "not_interested"};
  int seq = 0;
  for (int i = 0; i < 120; ++i) {
    auto snap = std::make_shared<ItemSnapshot>();
    BuildItemSnapshot(MakeCandidate(i % 40, dim), 13, snap.get());
    for (const char* k : kinds) {
      if (std::string(k) == "not_interested" && i % 9 != 0) continue;
      if (std::string(k) == "like" && i % 3 != 0) continue;
      Event e;
      e.event_id = "e" + std::to_string(seq++);
      e.item_id = "item" + std::to_string(i % 40);
      e.kind = ParseEventKind(k, "kind").value();
      e.timestamp_ms = now;
      e.dwell_ms = (i % 4) * 2500;
      e.velocity = (i % 5) * 0.5f;
      ApplyEvent(&profile, pack, cfg, e, snap);
      now += 1500;
    }
  }
  ASSERT_GT(profile.features.size(), 50u);
  ScoreCache cache;
  for (int round = 0; round < 2; ++round) {
    const double ln = VectorNorm(profile.long_interest);
    const double sn = VectorNorm(profile.session_interest);
    cache.Reset(profile, pack, cfg, now);
    for (int i = 0; i < 400; ++i) {
      ItemSnapshot s;
      BuildItemSnapshot(MakeCandidate(i, dim), 13, &s);
      ItemScore plain, cached;
      ScoreItem(profile, pack, cfg, s, now, ln, sn, &plain);
      ScoreItem(profile, pack, s, ln, sn, &cache, &cached);
      ExpectSame(plain, cached);
    }
    // Change the profile; the next Reset must not serve stale weights.
    auto snap = std::make_shared<ItemSnapshot>();
    BuildItemSnapshot(MakeCandidate(5, dim), 13, snap.get());
    Event e;
    e.event_id = "late" + std::to_string(round);
    e.item_id = "item5";
    e.kind = EventKind::kLike;
    e.timestamp_ms = now;
    ApplyEvent(&profile, pack, cfg, e, snap);
    now += 60000;
  }
}

// SparseItemScore with batch feature ids (ScoreCache::GetById) equals the
// lookup by key, also when the memo's table grows while ids are in use.
TEST(ScoreCacheTest, FeatureIdsMatchKeyLookupsAcrossGrowth) {
  const int dim = 8;
  RankerConfig cfg;
  cfg.embedding_dim = dim;
  ModelPack pack = DefaultModelPack();
  Profile profile;
  int64_t now = 1767225600000LL;
  for (int i = 0; i < 80; ++i) {
    auto snap = std::make_shared<ItemSnapshot>();
    BuildItemSnapshot(MakeCandidate(i % 30, dim), 9, snap.get());
    Event e;
    e.event_id = "e" + std::to_string(i);
    e.item_id = "item" + std::to_string(i % 30);
    e.kind = i % 4 == 0 ? EventKind::kNotInterested : EventKind::kLike;
    e.timestamp_ms = now;
    ApplyEvent(&profile, pack, cfg, e, snap);
    now += 2000;
  }
  // A batch of 60 items and its dictionary (key -> dense id).
  std::vector<ItemSnapshot> batch(60);
  std::vector<std::vector<uint32_t>> ids(batch.size());
  std::vector<uint64_t> keys;
  for (size_t i = 0; i < batch.size(); ++i) {
    BuildItemSnapshot(MakeCandidate(static_cast<int>(i), dim), 9, &batch[i]);
    for (const ItemFeature& f : batch[i].features) {
      uint32_t id = 0;
      while (id < keys.size() && keys[id] != f.key) ++id;
      if (id == keys.size()) keys.push_back(f.key);
      ids[i].push_back(id);
    }
  }
  ScoreCache by_id, by_key;
  by_id.Reset(profile, pack, cfg, now);
  by_key.Reset(profile, pack, cfg, now);
  by_id.BeginIds(keys.size());
  bool any = false;  // something learned shows (not a comparison of zeros)
  for (size_t i = 0; i < batch.size(); ++i) {
    if (i == 30) {
      // Hundreds of other keys through the same memo: its table grows.
      for (int j = 1000; j < 1400; ++j) {
        ItemSnapshot other;
        BuildItemSnapshot(MakeCandidate(j, dim), 9, &other);
        SparseScore ignored;
        SparseItemScore(other, &by_id, &ignored);
      }
    }
    SparseScore a, b;
    SparseItemScore(batch[i], &by_id, &a, ids[i].data());
    SparseItemScore(batch[i], &by_key, &b);
    for (int h = 0; h < kNumHeads; ++h) EXPECT_EQ(a.logit[h], b.logit[h]) << i;
    EXPECT_EQ(a.author_negative, b.author_negative) << i;
    EXPECT_EQ(a.tag_negative, b.tag_negative) << i;
    any |= b.author_negative > 0.0 || b.tag_negative > 0.0;
    for (int h = 0; h < kNumHeads; ++h) any |= b.logit[h] != 0.0;
  }
  EXPECT_TRUE(any);
}

}  // namespace
}  // namespace reelrank
