// Learning curves with the seeded simulator: each assertion has a threshold
// that a weaker learner would fail.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "reelrank/ranker.h"
#include "simulator.h"

namespace reelrank {
namespace {

using sim::Catalog;
using sim::Session;
using sim::User;

// Feeds the user the next unseen item until `max_events` events were
// observed; returns the number of events used.
int RunFeed(Ranker* ranker, const Catalog& cat, const User& u, Session* s,
            int max_events) {
  int used = 0;
  while (used < max_events) {
    RankResult r = ranker->Rank(cat.items, s->Ctx());
    const int i = sim::NextUnseen(r);
    std::vector<Event> evs =
        s->View(u, cat.items[i], cat.topic[i], cat.creator[i]);
    if (getenv("SIMDBG"))
      std::printf("  view topic %d score %.2f\n", cat.topic[i],
                  cat.items[i].server_score);
    for (const Event& e : evs) {
      if (used == max_events) break;
      EXPECT_TRUE(ranker->Observe(e).ok());
      ++used;
    }
  }
  return used;
}

// The personal terms must first earn their weight (the evidence gate,
// core/src/scorer.h): a handful of views is not enough, about 20 views are.
TEST(LearningTest, LovedTopicReachesHalfOfTopTenWithinSixtyEvents) {
  double total = 0.0;
  int rose = 0;
  const int kSeeds = 12;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Catalog cat = sim::MakeCatalog(seed);
    Ranker ranker(sim::SimConfig());
    Session s(seed * 31);
    User u;
    // A topic the user meets early: the one of the server's 4th item.
    const RankResult prior = ranker.Rank(cat.items, s.Ctx());
    u.loved_topic = cat.topic[prior.ranked[3].index];
    const double before = sim::TopicShare(prior, cat, u.loved_topic);
    RunFeed(&ranker, cat, u, &s, 60);
    const double after =
        sim::TopicShare(ranker.Rank(cat.items, s.Ctx()), cat, u.loved_topic);
    std::printf("seed %d: loved-topic share of top 10: %.2f -> %.2f\n",
                static_cast<int>(seed), before, after);
    EXPECT_LE(before, 0.3) << "seed " << seed;
    total += after;
    rose += after > before;
  }
  EXPECT_GE(total / kSeeds, 0.45);
  EXPECT_GE(rose, kSeeds - 2);
}

}  // namespace
}  // namespace reelrank

namespace reelrank {
namespace {

double UnseenTopicShare(const RankResult& r, const sim::Catalog& cat, int topic,
                        int k = 10) {
  int n = 0, hit = 0;
  for (const auto& s : r.ranked) {
    if (n == k) break;
    if (s.seen) continue;
    ++n;
    hit += cat.topic[s.index] == topic;
  }
  return n ? static_cast<double>(hit) / n : 0.0;
}

TEST(LearningTest, OneNotInterestedRemovesTheCreatorFromTopTen) {
  int before_total = 0, after_total = 0;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    sim::Catalog cat = sim::MakeCatalog(seed);
    // Give one creator 8 of the 25 best-scored items.
    std::vector<int> order(cat.items.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      return cat.items[a].server_score > cat.items[b].server_score;
    });
    const int star = 99;
    for (int k = 0; k < 25; k += 3) {
      cat.items[order[k]].author = sim::CreatorId(star);
      cat.creator[order[k]] = star;
    }
    Ranker ranker(sim::SimConfig());
    sim::Session s(seed);
    const RankResult r0 = ranker.Rank(cat.items, s.Ctx());
    const int before = sim::CreatorCount(r0, cat, star);
    // The user presses "not interested" on the creator's first item.
    int first = -1;
    for (const auto& x : r0.ranked) {
      if (cat.creator[x.index] == star) {
        first = x.index;
        break;
      }
    }
    ASSERT_GE(first, 0);
    ASSERT_TRUE(
        ranker.Observe(s.Make(cat.items[first].id, EventKind::kImpression))
            .ok());
    ASSERT_TRUE(
        ranker.Observe(s.Make(cat.items[first].id, EventKind::kNotInterested))
            .ok());
    const int after =
        sim::CreatorCount(ranker.Rank(cat.items, s.Ctx()), cat, star);
    before_total += before;
    after_total += after;
    EXPECT_GE(before, 3) << "seed " << seed;
  }
  std::printf("creator items in top 10: %d -> %d\n", before_total, after_total);
  EXPECT_LE(after_total, before_total / 10);
}

TEST(LearningTest, FastSwipesOnATopicDemoteIt) {
  double before_sum = 0, after_sum = 0;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    sim::Catalog cat = sim::MakeCatalog(seed);
    Ranker ranker(sim::SimConfig());
    sim::Session s(seed);
    const RankResult r0 = ranker.Rank(cat.items, s.Ctx());
    // The topic with the most items in the server's top 20.
    std::vector<int> count(10, 0);
    for (int k = 0; k < 20; ++k) ++count[cat.topic[r0.ranked[k].index]];
    const int topic = static_cast<int>(
        std::max_element(count.begin(), count.end()) - count.begin());
    const double before = UnseenTopicShare(r0, cat, topic, 20);
    // Three fast swipes on the topic's best items.
    int swiped = 0;
    for (const auto& x : r0.ranked) {
      if (cat.topic[x.index] != topic) continue;
      const std::string& id = cat.items[x.index].id;
      ASSERT_TRUE(ranker.Observe(s.Make(id, EventKind::kImpression)).ok());
      ASSERT_TRUE(
          ranker.Observe(s.Make(id, EventKind::kSwipeAway, 250, 3.0f)).ok());
      if (++swiped == 3) break;
    }
    const double after =
        UnseenTopicShare(ranker.Rank(cat.items, s.Ctx()), cat, topic, 20);
    before_sum += before;
    after_sum += after;
  }
  std::printf("fast-swiped topic share of the unseen top 20: %.3f -> %.3f\n",
              before_sum / 6, after_sum / 6);
  EXPECT_GT(before_sum / 6, 0.15);
  EXPECT_LE(after_sum, 0.25 * before_sum);
}

TEST(LearningTest, ProfileStaysUnderItsCapAfterAMillionEvents) {
  RankerConfig c = sim::SimConfig();
  c.profile.max_features = 512;
  c.profile.max_seen_items = 256;
  c.profile.max_event_log = 32;
  c.profile.max_known_items = 256;
  Ranker ranker(c);
  sim::Rng rng(5);
  int64_t t = 1700000000000LL;
  int item = 0;
  std::vector<Candidate> batch(8);
  Context ctx;
  Event e;
  e.item_id.reserve(16);
  int64_t observed = 0;
  int max_features = 0;
  size_t max_export = 0;
  const int64_t kEvents = 1000000;
  while (observed < kEvents) {
    // Every 80 events: 8 fresh items with fresh tags, authors and sounds.
    for (Candidate& cand : batch) {
      cand.id = "it" + std::to_string(item);
      cand.author = "au" + std::to_string(item % 5000);
      cand.tags = {"t" + std::to_string(item), "t" + std::to_string(item % 97)};
      cand.category = "c" + std::to_string(item % 13);
      cand.sound = "s" + std::to_string(item);
      cand.duration_ms = 3000 + (item % 50) * 2000;
      cand.server_score = rng.Uniform();
      cand.embedding.assign(sim::kDim, 0.0f);
      cand.embedding[item % sim::kDim] = 1.0f;
      ++item;
    }
    ctx.now_ms = t;
    ranker.Rank(batch, ctx);
    for (const Candidate& cand : batch) {
      // impression, 7 progress ticks, then a swipe (and a like every 5th).
      for (int k = 0; k < 10 && observed < kEvents; ++k) {
        e.event_id = std::to_string(observed);
        e.item_id = cand.id;
        e.timestamp_ms = (t += 300);
        e.dwell_ms = 0;
        e.velocity = 0.0f;
        if (k == 0) {
          e.kind = EventKind::kImpression;
        } else if (k < 8) {
          e.kind = EventKind::kProgress;
          e.dwell_ms = 300 * k;
        } else if (k == 8) {
          e.kind = (item % 5 == 0) ? EventKind::kLike : EventKind::kProgress;
          e.dwell_ms = 2400;
        } else {
          e.kind = EventKind::kSwipeAway;
          e.dwell_ms = 2700;
          e.velocity = 1.0f;
        }
        ASSERT_TRUE(ranker.Observe(e).ok());
        ++observed;
      }
    }
    if (item % 8000 == 0) {
      const ProfileStats st = ranker.Stats();
      max_features = std::max(max_features, st.features);
      ASSERT_LE(st.features, c.profile.max_features);
      ASSERT_LE(st.seen_items, c.profile.max_seen_items);
      ASSERT_LE(st.event_log, c.profile.max_event_log);
      ASSERT_LE(st.known_items, c.profile.max_known_items);
      if (item % 40000 == 0)
        max_export = std::max(max_export, ranker.ExportProfile().size());
    }
  }
  const ProfileStats st = ranker.Stats();
  EXPECT_EQ(st.events, kEvents);
  EXPECT_LE(st.features, c.profile.max_features);
  EXPECT_GT(st.features, c.profile.max_features / 2);  // the cap was reached
  EXPECT_LE(st.seen_items, c.profile.max_seen_items);
  const size_t size = ranker.ExportProfile().size();
  std::printf(
      "after %lld events: %d features (max %d), export %zu bytes (max seen "
      "%zu)\n",
      static_cast<long long>(st.events), st.features, max_features, size,
      max_export);
  EXPECT_LT(size, 400000u);
}

}  // namespace
}  // namespace reelrank
