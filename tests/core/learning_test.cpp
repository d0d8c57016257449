// Learning curves with the seeded simulator: each assertion has a threshold
// that a weaker learner would fail.
#include <gtest/gtest.h>

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

TEST(LearningTest, LovedTopicReachesSeventyPercentOfTopTenWithinTwentyEvents) {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    Catalog cat = sim::MakeCatalog(seed);
    Ranker ranker(sim::SimConfig());
    Session s(seed * 31);
    User u;
    // A topic the user meets early: the one of the server's 4th item.
    const RankResult prior = ranker.Rank(cat.items, s.Ctx());
    u.loved_topic = cat.topic[prior.ranked[3].index];
    const double before = sim::TopicShare(prior, cat, u.loved_topic);
    RunFeed(&ranker, cat, u, &s, 20);
    const double after =
        sim::TopicShare(ranker.Rank(cat.items, s.Ctx()), cat, u.loved_topic);
    std::printf("seed %d: loved-topic share of top 10: %.2f -> %.2f\n",
                static_cast<int>(seed), before, after);
    EXPECT_LE(before, 0.3) << "seed " << seed;
    EXPECT_GE(after, 0.7) << "seed " << seed;
  }
}

}  // namespace
}  // namespace reelrank
