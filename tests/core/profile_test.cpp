#include "reelrank/profile.h"

#include <gtest/gtest.h>

#include "reelrank/ranker.h"
#include "simulator.h"

namespace reelrank {
namespace {

TEST(ProfileTest, SnapshotHasHashedFeaturesAndUnitEmbedding) {
  Candidate c;
  c.id = "v1";
  c.author = "42";
  c.tags = {"cooking", "cooking", "", "pasta"};
  c.category = "food";
  c.sound = "s9";
  c.duration_ms = 20000;
  c.embedding = {3.0f, 4.0f};
  ItemSnapshot s;
  BuildItemSnapshot(c, 13, &s);
  std::vector<std::string> names;
  for (const ItemFeature& f : s.features) {
    names.emplace_back(s.name(f));
    EXPECT_EQ(f.key, FeatureKey(s.name(f)));
  }
  const std::vector<std::string> want = {
      "tag:cooking",   "tag:pasta", "author:42",      "sound:s9",
      "category:food", "dur:2",     "cat_dur:food|2", "cat_hour:food|2"};
  EXPECT_EQ(names, want);
  EXPECT_EQ(s.features[1].index, 3);  // which tag
  EXPECT_FLOAT_EQ(s.embedding[0], 0.6f);
  EXPECT_FLOAT_EQ(s.embedding[1], 0.8f);
}

TEST(ProfileTest, SeenMemoryIsBounded) {
  Profile p;
  for (uint64_t k = 0; k < 100; ++k) p.AddSeen(k, 10);
  EXPECT_EQ(p.seen_order.size(), 10u);
  EXPECT_FALSE(p.Seen(5));
  EXPECT_TRUE(p.Seen(95));
}

TEST(ProfileTest, JsonRoundTripIsExact) {
  Profile p;
  p.long_interest = {0.1f, 1e-30f, -3.4028235e38f};
  p.long_ms = 5;
  p.features.Touch(7, "tag:x", 3, 1000)->coords[2] =
      FtrlCoord{0.1f, 1.0f / 3.0f};
  p.AddSeen(99, 5);
  p.events = 12;
  const std::string j = ProfileToJson(p);
  Profile q;
  ASSERT_TRUE(ProfileFromJson(j, 3, &q).ok());
  EXPECT_EQ(ProfileToJson(q), j);
  EXPECT_EQ(q.long_interest, p.long_interest);
  EXPECT_EQ(q.features.Find(7)->coords[2].n, 1.0f / 3.0f);
  Profile bad;
  EXPECT_EQ(ProfileFromJson(j, 4, &bad).code(), StatusCode::kDataLoss);
  EXPECT_EQ(ProfileFromJson("{\"features\": 3}", 3, &bad).code(),
            StatusCode::kDataLoss);
}

TEST(ProfileTest, FrequencyGateHoldsBackRareIds) {
  sim::Catalog cat = sim::MakeCatalog(41);
  RankerConfig gated = sim::SimConfig();
  gated.profile.frequency_gate = 3;
  gated.learner.interest_rate = 0.0;  // isolate the sparse path
  gated.learner.gate_z = 0.0;         // ... and the frequency gate
  RankerConfig open = gated;
  open.profile.frequency_gate = 1;
  Ranker a(gated), b(open);
  sim::Session s(3);
  const std::string& id = cat.items[0].id;
  a.Rank(cat.items, s.Ctx());
  b.Rank(cat.items, s.Ctx());
  for (Ranker* r : {&a, &b}) {
    sim::Session t(3);
    ASSERT_TRUE(r->Observe(t.Make(id, EventKind::kImpression)).ok());
    ASSERT_TRUE(r->Observe(t.Make(id, EventKind::kSwipeAway, 100, 3.0f)).ok());
  }
  // Another item by nobody else, same tag: the gated ranker ignores the tag.
  const RankResult ra = a.Rank(cat.items, s.Ctx());
  const RankResult rb = b.Rank(cat.items, s.Ctx());
  auto value_of = [](const RankResult& r, int index) {
    for (const auto& x : r.ranked) {
      if (x.index == index) return x.value;
    }
    return 0.0;
  };
  // Item 1 shares topic tag and category with item 0.
  EXPECT_LT(value_of(rb, 1), value_of(ra, 1));
}

}  // namespace
}  // namespace reelrank
