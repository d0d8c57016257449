// The scorer (core/src/scorer.h): feature ids equal key lookups, the
// evidence gate stays shut for a user whose personal terms predict nothing
// and opens for one with a learnable taste, and a topic the user watches to
// the end gets a positive learned weight (not one that compensates another
// term's overshoot).
#include "scorer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "learner.h"
#include "reelrank/config.h"
#include "reelrank/model_pack.h"
#include "reelrank/profile.h"
#include "reelrank/ranker.h"

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

Event MakeEvent(const std::string& id, const std::string& item, EventKind k,
                int64_t ts, int64_t dwell = 0) {
  Event e;
  e.event_id = id;
  e.item_id = item;
  e.kind = k;
  e.timestamp_ms = ts;
  e.dwell_ms = dwell;
  return e;
}

// SumSparse with batch feature ids (ScoreCache::GetById) equals the lookup
// by key, also when the memo's table grows while ids are in use.
TEST(ScorerTest, FeatureIdsMatchKeyLookupsAcrossGrowth) {
  const int dim = 8;
  RankerConfig cfg;
  cfg.embedding_dim = dim;
  ModelPack pack = DefaultModelPack();
  pack.sparse[FeatureKey("category:k3")] = {0.1f, -0.2f, 0.3f, 0, 0, 0, 0, 0};
  Profile profile;
  int64_t now = 1767225600000LL;
  for (int i = 0; i < 80; ++i) {
    auto snap = std::make_shared<ItemSnapshot>();
    BuildItemSnapshot(MakeCandidate(i % 30, dim), 9, snap.get());
    const std::string item = "item" + std::to_string(i % 30);
    const EventKind k =
        i % 4 == 0 ? EventKind::kNotInterested : EventKind::kLike;
    ApplyEvent(
        &profile, pack, cfg,
        MakeEvent("i" + std::to_string(i), item, EventKind::kImpression, now),
        snap);
    ApplyEvent(&profile, pack, cfg,
               MakeEvent("e" + std::to_string(i), item, k, now), snap);
    now += 2000;
  }
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
  bool personal = false, global = false, negative = false;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (i == 30) {
      for (int j = 1000; j < 1400; ++j) {  // the memo's table grows
        ItemSnapshot other;
        BuildItemSnapshot(MakeCandidate(j, dim), 9, &other);
        SparseSums ignored;
        SumSparse(other, &by_id, &ignored);
      }
    }
    SparseSums a, b;
    SumSparse(batch[i], &by_id, &a, ids[i].data());
    SumSparse(batch[i], &by_key, &b);
    for (int h = 0; h < kNumHeads; ++h) {
      EXPECT_EQ(a.global[h], b.global[h]) << i;
      EXPECT_EQ(a.personal[h], b.personal[h]) << i;
      personal |= b.personal[h] != 0.0;
      global |= b.global[h] != 0.0;
    }
    EXPECT_EQ(a.author_negative, b.author_negative) << i;
    EXPECT_EQ(a.tag_negative, b.tag_negative) << i;
    negative |= b.author_negative > 0.0 || b.tag_negative > 0.0;
  }
  EXPECT_TRUE(personal && global && negative);
}

TEST(ScorerTest, DecayClockIsTheHourFloor) {
  EXPECT_EQ(DecayClock(0), 0);
  EXPECT_EQ(DecayClock(3599999), 0);
  EXPECT_EQ(DecayClock(3600000), 3600000);
  EXPECT_EQ(DecayClock(-1), -3600000);
}

// Views of items whose features carry no information about the watch time
// (each item seen once, watch time drawn independently of it) versus views
// where one tag is always watched to the end and another always skipped.
std::array<float, kNumHeads> GatesAfter(bool learnable, int views,
                                        uint64_t seed = 12345) {
  RankerConfig cfg;
  cfg.embedding_dim = 4;
  const ModelPack pack = DefaultModelPack();
  Profile p;
  uint64_t x = seed;
  int64_t now = 1767225600000LL;
  for (int i = 0; i < views; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const bool liked_tag = (x >> 33) % 2 == 0;
    Candidate c;
    c.id = "v" + std::to_string(i);
    c.author = "a" + std::to_string(i);  // never repeats
    c.tags = {learnable ? (liked_tag ? "loved" : "boring")
                        : "t" + std::to_string((x >> 40) % 40)};
    c.duration_ms = 20000;
    c.server_score = 0.3;
    auto snap = std::make_shared<ItemSnapshot>();
    BuildItemSnapshot(c, 12, snap.get());
    const bool watched = learnable ? liked_tag : ((x >> 20) % 2 == 0);
    const int64_t dwell = watched ? 20000 : 1500;
    ApplyEvent(
        &p, pack, cfg,
        MakeEvent("i" + std::to_string(i), c.id, EventKind::kImpression, now),
        snap);
    ApplyEvent(&p, pack, cfg,
               MakeEvent("s" + std::to_string(i), c.id, EventKind::kSwipeAway,
                         now + dwell, dwell),
               snap);
    now += 60000;
  }
  return Gates(p, cfg.learner);
}

TEST(ScorerTest, GateStaysShutWithoutALearnablePatternAndOpensWithOne) {
  const int wr = HeadIndex(Head::kWatchRatio);
  // The gate is a test statistic: for one noise user it wanders around 0,
  // on average it stays low; a learnable taste opens it fully.
  double noise = 0.0;
  const int kUsers = 20;
  for (int u = 0; u < kUsers; ++u)
    noise += GatesAfter(false, 200, 1000 + u)[wr];
  EXPECT_LT(noise / kUsers, 0.2);
  for (int u = 0; u < 5; ++u)
    EXPECT_EQ(GatesAfter(true, 200, 1000 + u)[wr], 1.0f);
}

TEST(ScorerTest, AnEmptyProfileHasEveryGateShut) {
  const std::array<float, kNumHeads> g =
      Gates(Profile{}, RankerConfig{}.learner);
  for (float x : g) EXPECT_EQ(x, 0.0f);
  LearnerConfig open;
  open.gate_z = 0.0;  // gate disabled: personal terms at full weight
  for (float x : Gates(Profile{}, open)) EXPECT_EQ(x, 1.0f);
}

// The demo's complaint: after watching cooking to the end, "tag:cooking"
// showed a negative learned weight because fixed interest weights made the
// model over-predict and the tag's weight compensated. With the interest
// vectors learned from the same residual, the loved topic's weight is
// positive and cooking items rank above the others.
TEST(ScorerTest, ATopicWatchedToTheEndGetsAPositiveWeight) {
  RankerConfig cfg;
  cfg.embedding_dim = 4;
  Ranker ranker(cfg);
  std::vector<Candidate> items;
  for (int i = 0; i < 40; ++i) {
    Candidate c;
    c.id = "c" + std::to_string(i);
    c.author = "creator" + std::to_string(i);
    const bool cooking = i % 4 == 0;
    c.tags = {cooking ? "cooking" : "topic" + std::to_string(i % 4)};
    c.duration_ms = 15000;
    c.server_score = 0.5;
    c.embedding = cooking
                      ? std::vector<float>{1, 0, 0, 0}
                      : std::vector<float>{0, static_cast<float>(i % 4 == 1),
                                           static_cast<float>(i % 4 == 2),
                                           static_cast<float>(i % 4 == 3)};
    items.push_back(c);
  }
  Context ctx;
  ctx.now_ms = 1767225600000LL;
  ranker.Rank(items, ctx);
  int64_t t = ctx.now_ms;
  for (int i = 0; i < 40; ++i) {
    const Candidate& c = items[i];
    const bool cooking = i % 4 == 0;
    const int64_t dwell = cooking ? 15000 : 1200;
    ASSERT_TRUE(ranker
                    .Observe(MakeEvent("i" + std::to_string(i), c.id,
                                       EventKind::kImpression, t))
                    .ok());
    if (cooking) {
      ASSERT_TRUE(ranker
                      .Observe(MakeEvent("c" + std::to_string(i), c.id,
                                         EventKind::kComplete, t + dwell))
                      .ok());
    }
    ASSERT_TRUE(ranker
                    .Observe(MakeEvent("s" + std::to_string(i), c.id,
                                       EventKind::kSwipeAway, t + dwell, dwell))
                    .ok());
    t += 20000;
  }
  EXPECT_GT(ranker.Stats().personal_weight[HeadIndex(Head::kWatchRatio)], 0.0f);
  bool found = false;
  for (const Interest& in : ranker.TopInterests(50)) {
    if (in.name == "tag:cooking") {
      found = true;
      EXPECT_GT(in.weight, 0.0);
    }
  }
  EXPECT_TRUE(found);
  // Fresh cooking and non-cooking items: cooking first.
  std::vector<Candidate> fresh;
  for (int i = 0; i < 8; ++i) {
    Candidate c = items[i];
    c.id = "fresh" + std::to_string(i);
    c.author = "new" + std::to_string(i);
    fresh.push_back(c);
  }
  ctx.now_ms = t;
  const RankResult r = ranker.Rank(fresh, ctx);
  ASSERT_EQ(r.ranked.size(), 8u);
  EXPECT_EQ(fresh[r.ranked[0].index].tags[0], "cooking");
  EXPECT_EQ(fresh[r.ranked[1].index].tags[0], "cooking");
}

// A photo post (duration 0) is a candidate like any other: ranked, observed,
// learned from (its dwell), exported.
TEST(ScorerTest, APhotoPostIsRankedAndLearned) {
  RankerConfig cfg;
  cfg.embedding_dim = 4;
  cfg.learner.gate_z = 0.0;
  Ranker r(cfg);
  Candidate photo;
  photo.id = "photo";
  photo.tags = {"cats"};
  photo.duration_ms = 0;
  photo.server_score = 0.4;
  Candidate video = photo;
  video.id = "video";
  video.tags = {"dogs"};
  video.duration_ms = 30000;
  Context ctx;
  ctx.now_ms = 1767225600000LL;
  RankResult rr = r.Rank({photo, video}, ctx);
  ASSERT_TRUE(rr.rejected.empty());
  ASSERT_EQ(rr.ranked.size(), 2u);
  ASSERT_TRUE(
      r.Observe(MakeEvent("1", "photo", EventKind::kImpression, ctx.now_ms))
          .ok());
  ASSERT_TRUE(r.Observe(MakeEvent("2", "photo", EventKind::kSwipeAway,
                                  ctx.now_ms + 9000, 9000))
                  .ok());
  double cats = 0.0;
  for (const Interest& in : r.TopInterests(20)) {
    EXPECT_TRUE(std::isfinite(in.weight)) << in.name;
    if (in.name == "tag:cats") cats = in.weight;
  }
  EXPECT_GT(cats, 0.0);  // 9 s on a photo is a long look
  Ranker again(cfg);
  EXPECT_TRUE(again.ImportProfile(r.ExportProfile()).ok());
}

}  // namespace
}  // namespace reelrank
