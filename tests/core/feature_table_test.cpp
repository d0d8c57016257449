#include "reelrank/feature_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace reelrank {
namespace {

TEST(FeatureTableTest, KeysAreStableFnv1a64) {
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(FeatureKey("tag:cooking"), Fnv1a64("cooking", Fnv1a64("tag:")));
  EXPECT_NE(FeatureKey("tag:a"), FeatureKey("author:a"));
}

TEST(FeatureTableTest, DistinctNamesNeverShareAnEntry) {
  FeatureTable t;
  for (int i = 0; i < 10000; ++i) {
    const std::string n = "tag:" + std::to_string(i);
    t.Touch(FeatureKey(n), n, 0, 1000)->count = static_cast<uint32_t>(i);
  }
  EXPECT_EQ(t.size(), 10000u);
  for (int i = 0; i < 10000; i += 997) {
    const std::string n = "tag:" + std::to_string(i);
    const FeatureEntry* e = t.Find(FeatureKey(n));
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->name, n);
    EXPECT_EQ(e->count, static_cast<uint32_t>(i));
  }
}

TEST(FeatureTableTest, DecayHalvesSightingsAndWeightsPerHalfLife) {
  FeatureTable t;
  FeatureEntry* e = t.Touch(1, "x", 0, 1000);
  e->sightings = 8.0f;
  e->coords[0].z = -4.0f;
  t.Touch(1, "x", 2000, 1000);
  EXPECT_FLOAT_EQ(t.Find(1)->sightings, 2.0f);
  EXPECT_FLOAT_EQ(t.Find(1)->coords[0].z, -1.0f);
  EXPECT_EQ(t.Find(1)->last_seen_ms, 2000);
  t.Touch(1, "x", 1000, 1000);  // out-of-order time: no decay, no rewind
  EXPECT_EQ(t.Find(1)->last_seen_ms, 2000);
  EXPECT_DOUBLE_EQ(DecayFactor(-5, 10), 1.0);
}

ProfileConfig SmallCap() {
  ProfileConfig c;
  c.max_features = 64;
  c.feature_half_life_ms = 1000000;
  c.feature_expiry_ms = 5000;
  return c;
}

std::vector<uint64_t> Keys(const FeatureTable& t) {
  std::vector<uint64_t> k;
  for (const auto& kv : t.Sorted()) k.push_back(kv.first);
  return k;
}

TEST(FeatureTableTest,
     EvictionKeepsTheCapAndTheValuableEntriesDeterministically) {
  const ProfileConfig c = SmallCap();
  FeatureTable a, b;
  std::vector<int> order(200);
  for (int i = 0; i < 200; ++i) order[i] = i;
  for (int pass = 0; pass < 2; ++pass) {
    FeatureTable& t = pass == 0 ? a : b;
    if (pass == 1) std::reverse(order.begin(), order.end());
    for (int i : order) {
      const std::string n = "k" + std::to_string(i);
      FeatureEntry* e = t.Touch(FeatureKey(n), n, 100, c.feature_half_life_ms);
      e->sightings = static_cast<float>(i % 10 == 0 ? 100 : 1);
      e->count = 1;
    }
    t.Enforce(100, c, false);
    EXPECT_LE(t.size(), 64u);
    EXPECT_GE(t.size(), 56u);
    for (int i = 0; i < 200; i += 10) {  // the frequent ones survive
      EXPECT_NE(t.Find(FeatureKey("k" + std::to_string(i))), nullptr) << i;
    }
  }
  EXPECT_EQ(Keys(a), Keys(b));  // independent of insertion order
}

TEST(FeatureTableTest, ExpiredEntriesAreDropped) {
  const ProfileConfig c = SmallCap();
  FeatureTable t;
  t.Touch(1, "old", 0, c.feature_half_life_ms);
  t.Touch(2, "new", 9000, c.feature_half_life_ms);
  t.Enforce(10000, c, true);
  EXPECT_EQ(t.Find(1), nullptr);
  EXPECT_NE(t.Find(2), nullptr);
}

TEST(FeatureTableTest, DurationBucketsAreLogSpaced) {
  EXPECT_EQ(DurationBucket(1000), 0);
  EXPECT_EQ(DurationBucket(7000), 1);
  EXPECT_EQ(DurationBucket(14999), 1);
  EXPECT_EQ(DurationBucket(15000), 2);
  EXPECT_EQ(DurationBucket(59000), 3);
  EXPECT_EQ(DurationBucket(119000), 4);
  EXPECT_EQ(DurationBucket(299000), 5);
  EXPECT_EQ(DurationBucket(3600000), 6);
}

}  // namespace
}  // namespace reelrank
