#include "reelrank/fatigue.h"

#include <gtest/gtest.h>

namespace reelrank {
namespace {

constexpr int64_t kT0 = 1700000000000;

Candidate Item(const std::string& author, const std::string& category) {
  Candidate c;
  c.id = author + "/" + category;
  c.author = author;
  c.category = category;
  c.duration_ms = 10000;
  return c;
}

TEST(FatigueTest, DefaultsFollowHomeMixer) {
  FatigueConfig f;
  EXPECT_EQ(f.filter_ms, 14 * kMsPerDay);
  EXPECT_EQ(f.discount_ms, 140 * kMsPerDay);
  EXPECT_EQ(f.topic_filter_ms, 0);
}

TEST(FatigueTest, CurveFiltersThenDiscountsLinearlyBackToOne) {
  FatigueConfig f;
  f.filter_ms = 14 * kMsPerDay;
  f.discount_ms = 140 * kMsPerDay;
  f.start_multiplier = 0.2;
  EXPECT_TRUE(FatigueCurve(f, kT0, kT0).filtered);
  EXPECT_TRUE(FatigueCurve(f, kT0, kT0 + 14 * kMsPerDay - 1).filtered);
  FatigueState s = FatigueCurve(f, kT0, kT0 + 14 * kMsPerDay);
  EXPECT_FALSE(s.filtered);
  EXPECT_DOUBLE_EQ(s.multiplier, 0.2);
  s = FatigueCurve(f, kT0, kT0 + 84 * kMsPerDay);  // halfway
  EXPECT_NEAR(s.multiplier, 0.6, 1e-12);
  s = FatigueCurve(f, kT0, kT0 + 154 * kMsPerDay);
  EXPECT_DOUBLE_EQ(s.multiplier, 1.0);
  // Clock went backwards: treated as just given.
  EXPECT_TRUE(FatigueCurve(f, kT0, kT0 - 1000).filtered);
  f.enabled = false;
  EXPECT_FALSE(FatigueCurve(f, kT0, kT0).filtered);
}

TEST(FatigueTest, TrackerFiltersAuthorAndTopicWithInjectedClock) {
  FatigueConfig f;
  f.filter_ms = 2 * kMsPerDay;
  f.discount_ms = 10 * kMsPerDay;
  f.start_multiplier = 0.5;
  FatigueTracker t(f);
  t.RecordNegative(Item("bob", "Cooking"), kT0);
  // Same author, other topic: filtered by author.
  FatigueVerdict v = t.Assess(Item("bob", "cars"), kT0 + kMsPerDay);
  EXPECT_TRUE(v.filtered);
  EXPECT_EQ(v.key, "author:bob");
  // Other author, same topic (via a tag): a topic is discounted, not
  // filtered (topic_filter_ms 0): one day into the 10-day discount.
  Candidate c = Item("eve", "");
  c.tags = {"#cooking"};
  v = t.Assess(c, kT0 + kMsPerDay);
  EXPECT_FALSE(v.filtered);
  EXPECT_NEAR(v.multiplier, 0.55, 1e-12);
  EXPECT_EQ(v.key, "topic:cooking");
  // With a topic filter window, the topic is filtered like the author.
  FatigueConfig ft = f;
  ft.topic_filter_ms = f.filter_ms;
  FatigueTracker tt(ft);
  tt.RecordNegative(Item("bob", "Cooking"), kT0);
  EXPECT_TRUE(tt.Assess(c, kT0 + kMsPerDay).filtered);
  // Unrelated.
  EXPECT_EQ(t.Assess(Item("eve", "cars"), kT0).key, "");
  // In the discount window.
  v = t.Assess(Item("bob", "cars"), kT0 + 7 * kMsPerDay);
  EXPECT_FALSE(v.filtered);
  EXPECT_NEAR(v.multiplier, 0.75, 1e-12);
  // Back to normal.
  v = t.Assess(Item("bob", "cars"), kT0 + 12 * kMsPerDay);
  EXPECT_DOUBLE_EQ(v.multiplier, 1.0);
}

TEST(FatigueTest, RepeatedSignalRestartsTheWindow) {
  FatigueConfig f;
  f.filter_ms = kMsPerDay;
  f.discount_ms = kMsPerDay;
  FatigueTracker t(f);
  t.Record(FatigueKind::kAuthor, "bob", kT0);
  t.Record(FatigueKind::kAuthor, "bob", kT0 + 3 * kMsPerDay);
  EXPECT_EQ(t.entries().size(), 1u);
  EXPECT_TRUE(t.Assess(Item("bob", ""), kT0 + 3 * kMsPerDay + 10).filtered);
}

// "Not interested" also discounts the item's sound (never filters it: a
// sound is shared by many items), kept through JSON and named in the key.
TEST(FatigueTest, TheSoundOfADislikedItemIsDiscountedNotFiltered) {
  FatigueConfig f;
  FatigueTracker t(f);
  Candidate disliked = Item("ann", "cooking");
  disliked.sound = "song7";
  t.RecordNegative(disliked, kT0, "e1");
  Candidate same_sound = Item("bob", "cars");
  same_sound.sound = "song7";
  FatigueVerdict v = t.Assess(same_sound, kT0 + 1000);
  EXPECT_FALSE(v.filtered);
  EXPECT_NEAR(v.multiplier, f.start_multiplier, 1e-6);
  EXPECT_EQ(v.key, "sound:song7");
  Candidate other = Item("bob", "cars");
  other.sound = "song8";
  EXPECT_EQ(t.Assess(other, kT0 + 1000).multiplier, 1.0);
  FatigueTracker back(f);
  ASSERT_TRUE(back.FromJson(t.ToJson()).ok());
  EXPECT_EQ(back.Assess(same_sound, kT0 + 1000).key, "sound:song7");
  f.track_sounds = false;
  FatigueTracker off(f);
  off.RecordNegative(disliked, kT0, "e1");
  EXPECT_EQ(off.Assess(same_sound, kT0 + 1000).multiplier, 1.0);
}

TEST(FatigueTest, SwitchesAndBound) {
  FatigueConfig f;
  f.track_topics = false;
  f.max_entries = 3;
  FatigueTracker t(f);
  t.RecordNegative(Item("a", "x"), kT0);
  EXPECT_EQ(t.entries().size(), 1u);  // author only
  for (int i = 0; i < 10; ++i) {
    t.Record(FatigueKind::kAuthor, "w" + std::to_string(i), kT0 + i);
  }
  ASSERT_EQ(t.entries().size(), 3u);
  EXPECT_EQ(t.entries()[0].key, "w7");  // the oldest were evicted
  t.Prune(kT0 + f.filter_ms + f.discount_ms + 100);
  EXPECT_TRUE(t.entries().empty());
}

TEST(FatigueTest, JsonRoundTripAndErrorsKeepState) {
  FatigueTracker t;
  t.RecordNegative(Item("bob", "cooking"), kT0);
  FatigueTracker u;
  ASSERT_TRUE(u.FromJson(t.ToJson()).ok());
  ASSERT_EQ(u.entries().size(), 2u);
  EXPECT_EQ(u.entries()[1].key, "cooking");
  EXPECT_EQ(u.entries()[1].at_ms, kT0);
  Status s = u.FromJson(
      R"({"version":1,"entries":[{"kind":"x","key":"a","at_ms":1}]})");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message().rfind("fatigue.entries[0].kind", 0), 0u);
  EXPECT_EQ(u.FromJson(R"({"version":9,"entries":[]})").code(),
            StatusCode::kUnimplemented);
  EXPECT_EQ(u.entries().size(), 2u);
}

TEST(FatigueTest, PrimaryTopic) {
  Candidate c = Item("a", "Food");
  EXPECT_EQ(PrimaryTopic(c), "food");
  c.category = "";
  c.tags = {"#Pasta", "x"};
  EXPECT_EQ(PrimaryTopic(c), "pasta");
  c.tags.clear();
  EXPECT_EQ(PrimaryTopic(c), "");
}

}  // namespace
}  // namespace reelrank

namespace reelrank {
namespace {

TEST(FatigueTest, ForgetRemovesExactlyThatEvent) {
  FatigueTracker t;
  Candidate c;
  c.id = "x";
  c.author = "bob";
  c.category = "golf";
  c.duration_ms = 1;
  t.RecordNegative(c, kT0, "e1");
  t.RecordNegative(c, kT0 + 5 * kMsPerDay, "e2");
  ASSERT_EQ(t.entries().size(), 4u);
  // Forgetting the later one: the earlier signal still counts.
  EXPECT_EQ(t.Forget("e2"), 2);
  FatigueVerdict v = t.Assess(c, kT0 + 16 * kMsPerDay);
  EXPECT_FALSE(v.filtered);  // 16 days after e1
  EXPECT_EQ(t.Forget("e1"), 2);
  EXPECT_EQ(t.Assess(c, kT0 + kMsPerDay).key, "");
  EXPECT_EQ(t.Forget(""), 0);
}

}  // namespace
}  // namespace reelrank
