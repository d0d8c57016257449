// "Not interested" that measurably works, measured as Mozilla's YouTube study
// did (22,722 volunteers; "not interested" prevented 11 % of unwanted similar
// recommendations): after one tap on an item, the share of the next 50 picks
// that share its creator, its topic or its sound, against a twin session
// without the tap. Targets: the creator 100 % removed; topic and sound at
// least 80 % fewer.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "reelrank/ranker.h"
#include "simulator.h"

namespace reelrank {
namespace {

struct Counts {
  int creator = 0, topic = 0, sound = 0;
};

// One session: 10 views, then (if `tap`) "not interested" on the 10th item,
// then the next 50 picks, counted against that item's creator / topic / sound.
Counts Session(uint64_t seed, bool tap) {
  sim::Catalog cat = sim::MakeCatalog(seed, 10, 60, 40);
  Ranker r(sim::SimConfig());
  sim::Session s(seed);
  sim::User u;  // no taste: a short look at everything
  r.Rank(cat.items, s.Ctx());
  size_t target = 0;
  auto index_of = [&](const std::string& id) {
    size_t i = 0;
    while (cat.items[i].id != id) ++i;
    return i;
  };
  for (int v = 0; v < 10; ++v) {
    const NextItem next = r.Next(s.Ctx());
    target = index_of(next.id);
    for (const Event& e :
         s.View(u, cat.items[target], cat.topic[target], cat.creator[target])) {
      EXPECT_TRUE(r.Observe(e).ok());
    }
  }
  if (tap) {
    EXPECT_TRUE(
        r.Observe(s.Make(cat.items[target].id, EventKind::kNotInterested))
            .ok());
  }
  Counts c;
  const Candidate& t = cat.items[target];
  for (int k = 0; k < 50; ++k) {
    const NextItem next = r.Next(s.Ctx());
    EXPECT_TRUE(next.found);
    const size_t i = index_of(next.id);
    const Candidate& x = cat.items[i];
    c.creator += x.author == t.author;
    c.topic += cat.topic[i] == cat.topic[target];
    c.sound += x.sound == t.sound;
    for (const Event& e : s.View(u, x, cat.topic[i], cat.creator[i])) {
      EXPECT_TRUE(r.Observe(e).ok());
    }
  }
  return c;
}

TEST(NotInterestedTest, OneTapRemovesTheCreatorAndMostOfTheTopicAndSound) {
  Counts with, without;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    const Counts a = Session(seed, true), b = Session(seed, false);
    with.creator += a.creator;
    with.topic += a.topic;
    with.sound += a.sound;
    without.creator += b.creator;
    without.topic += b.topic;
    without.sound += b.sound;
  }
  std::printf(
      "next 50 x 12 sessions, twin without the tap -> with it: creator %d -> "
      "%d, topic %d -> %d, sound %d -> %d\n",
      without.creator, with.creator, without.topic, with.topic, without.sound,
      with.sound);
  ASSERT_GT(without.creator, 0);
  ASSERT_GT(without.topic, 0);
  ASSERT_GT(without.sound, 0);
  EXPECT_EQ(with.creator, 0);
  EXPECT_LE(with.topic, 0.2 * without.topic);
  EXPECT_LE(with.sound, 0.2 * without.sound);
}

}  // namespace
}  // namespace reelrank
