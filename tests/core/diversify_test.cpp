#include "reelrank/diversify.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>

#include "reelrank/explore.h"
#include "reelrank/fatigue.h"

namespace reelrank {
namespace {

Candidate Make(int id, int author, int sound, int topic, SplitMix64& g) {
  Candidate c;
  c.id = "v" + std::to_string(id);
  c.author = "a" + std::to_string(author);
  c.sound = "s" + std::to_string(sound);
  c.category = "t" + std::to_string(topic);
  c.duration_ms = 10000;
  c.embedding.resize(8);
  for (auto& x : c.embedding) x = static_cast<float>(g.Uniform() - 0.5);
  c.embedding[topic % 8] += 2.0f;  // same topic -> similar
  return c;
}

TEST(DiversifyTest, NoSameCreatorOrSoundBackToBack) {
  SplitMix64 g(1);
  std::vector<Candidate> cs;
  // Top relevance items all by the same creator with the same sound.
  for (int i = 0; i < 4; ++i) cs.push_back(Make(i, 0, 0, i, g));
  for (int i = 4; i < 8; ++i) cs.push_back(Make(i, i, i, i, g));
  std::vector<DiversityItem> items;
  for (size_t i = 0; i < cs.size(); ++i) {
    items.push_back({&cs[i], 10.0 - i, false});
  }
  DiversityConfig cfg;
  cfg.mmr_lambda = 1.0;
  DiversifyResult r = Diversify(items, {}, cfg);
  ASSERT_EQ(r.order.size(), cs.size());
  for (size_t p = 1; p < r.order.size(); ++p) {
    EXPECT_NE(cs[r.order[p]].author, cs[r.order[p - 1]].author) << p;
  }
  EXPECT_EQ(r.order[0], 0);
  EXPECT_EQ(r.order[1], 4);  // item 1 was held back
  EXPECT_EQ(r.order[2], 1);
  // Item 1's note says why.
  EXPECT_EQ(r.notes[2].from, 1);
  EXPECT_EQ(r.notes[2].to, 2);
  EXPECT_EQ(r.notes[2].held_back_by,
            (std::vector<std::string>{"creator", "sound"}));
}

TEST(DiversifyTest, RelaxesWhenNothingElseFits) {
  SplitMix64 g(2);
  std::vector<Candidate> cs = {Make(0, 0, 0, 0, g), Make(1, 0, 0, 0, g)};
  std::vector<DiversityItem> items = {{&cs[0], 2, false}, {&cs[1], 1, false}};
  DiversifyResult r = Diversify(items, {}, DiversityConfig{});
  ASSERT_EQ(r.order.size(), 2u);
  EXPECT_TRUE(r.notes[1].relaxed);
}

TEST(DiversifyTest, HistoryCountsAndDisabledKeepsOrder) {
  SplitMix64 g(3);
  std::vector<Candidate> cs = {Make(0, 0, 0, 0, g), Make(1, 1, 1, 1, g)};
  std::vector<DiversityItem> items = {{&cs[0], 2, false}, {&cs[1], 1, false}};
  std::vector<RecentItem> hist = {RecentItem::From(cs[0], false)};
  EXPECT_EQ(DiversifyNext(items, hist, DiversityConfig{}, nullptr), 1);
  DiversityConfig off;
  off.enabled = false;
  EXPECT_EQ(DiversifyNext(items, hist, off, nullptr), 0);
  EXPECT_EQ(DiversifyNext({}, hist, off, nullptr), -1);
}

TEST(DiversifyTest, MmrPrefersDissimilarItems) {
  Candidate a, b, c;
  for (Candidate* x : {&a, &b, &c}) x->duration_ms = 1;
  a.id = "a";
  a.embedding = {1, 0};
  b.id = "b";
  b.embedding = {0.99f, 0.1f};  // near a
  c.id = "c";
  c.embedding = {0, 1};  // far from a
  Candidate d = c;
  d.id = "d";
  // d anchors the relevance scale (min-max over the input).
  std::vector<DiversityItem> items = {
      {&b, 1.0, false}, {&c, 0.9, false}, {&d, 0.0, false}};
  std::vector<RecentItem> hist = {RecentItem::From(a, false)};
  DiversityConfig cfg;
  cfg.mmr_lambda = 0.5;
  DiversityNote note;
  EXPECT_EQ(DiversifyNext(items, hist, cfg, &note), 1);
  EXPECT_NEAR(note.similarity, 0.0, 1e-9);
  cfg.mmr_lambda = 1.0;  // relevance only
  EXPECT_EQ(DiversifyNext(items, hist, cfg, nullptr), 0);
}

TEST(DiversifyTest, ExploreGapSpacesExplorationPicks) {
  SplitMix64 g(4);
  std::vector<Candidate> cs;
  for (int i = 0; i < 10; ++i) cs.push_back(Make(i, i, i, i, g));
  std::vector<DiversityItem> items;
  for (int i = 0; i < 10; ++i) items.push_back({&cs[i], 10.0 - i, i < 3});
  DiversityConfig cfg;
  cfg.explore_gap = 4;
  DiversifyResult r = Diversify(items, {}, cfg);
  int last = -100;
  for (size_t p = 0; p < r.order.size(); ++p) {
    if (items[r.order[p]].explored) {
      EXPECT_GE(static_cast<int>(p) - last, 4);
      last = static_cast<int>(p);
    }
  }
}

// The feed: 1,000 consecutive next() calls over a pool that is refilled
// from a catalog; every constraint holds at every step.
TEST(DiversifyTest, ConstraintsHoldOver1000ConsecutiveNextCalls) {
  SplitMix64 g(2024);
  DiversityConfig cfg;
  cfg.author_window = 3;
  cfg.sound_window = 2;
  cfg.topic_window = 10;
  cfg.topic_max_share = 0.3;
  std::deque<Candidate> pool;
  int next_id = 0;
  auto refill = [&]() {
    while (pool.size() < 60) {
      // A few creators and sounds dominate; topics are even (with a 30 %
      // cap over 10 items, heavily skewed topics make the constraints
      // infeasible and diversity would have to relax them).
      const int author = static_cast<int>(g.Uniform() * g.Uniform() * 30);
      const int sound = static_cast<int>(g.Uniform() * g.Uniform() * 12);
      const int topic = static_cast<int>(g.Uniform() * 8);
      pool.push_back(Make(next_id++, author, sound, topic, g));
    }
  };
  std::vector<RecentItem> hist;
  std::vector<Candidate> shown;
  int relaxed = 0;
  for (int step = 0; step < 1000; ++step) {
    refill();
    std::vector<Candidate> cs(pool.begin(), pool.end());
    std::vector<DiversityItem> items;
    for (size_t i = 0; i < cs.size(); ++i) {
      items.push_back({&cs[i], g.Uniform(), false});
    }
    DiversityNote note;
    const int pick = DiversifyNext(items, hist, cfg, &note);
    ASSERT_GE(pick, 0);
    relaxed += note.relaxed;
    const RecentItem r = RecentItem::From(cs[pick], false);
    ASSERT_FALSE(BreaksDiversity(r, hist, cfg))
        << "step " << step << " relaxed " << note.relaxed;
    hist.push_back(r);
    shown.push_back(cs[pick]);
    pool.erase(pool.begin() + pick);
  }
  EXPECT_EQ(relaxed, 0);
  // Independent check of the sequence.
  const int cap = 3;  // floor(0.3 * 10)
  for (size_t i = 0; i < shown.size(); ++i) {
    for (size_t j = (i >= 3 ? i - 3 : 0); j < i; ++j) {
      ASSERT_NE(shown[i].author, shown[j].author);
    }
    for (size_t j = (i >= 2 ? i - 2 : 0); j < i; ++j) {
      ASSERT_NE(shown[i].sound, shown[j].sound);
    }
    if (i + 10 <= shown.size()) {
      std::map<std::string, int> count;
      for (size_t j = i; j < i + 10; ++j) {
        ASSERT_LE(++count[shown[j].category], cap) << "window at " << i;
      }
    }
  }
}

}  // namespace
}  // namespace reelrank
