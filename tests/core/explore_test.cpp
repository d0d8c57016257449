#include "reelrank/explore.h"

#include <gtest/gtest.h>

#include <cmath>

namespace reelrank {
namespace {

std::vector<ExploreArm> MakeArms(int n, SplitMix64& gen, double drop_share) {
  std::vector<ExploreArm> arms(n);
  for (int i = 0; i < n; ++i) {
    arms[i].index = i;
    arms[i].value = 1.0 - i * 0.01;  // exploit order
    arms[i].uncertainty = gen.Uniform();
    arms[i].dropped = gen.Uniform() < drop_share;
  }
  return arms;
}

TEST(ExploreTest, SplitMix64MatchesReferenceSequence) {
  // Reference values of splitmix64 seeded with 0 (Vigna's splitmix64.c).
  SplitMix64 r(0);
  EXPECT_EQ(r.Next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(r.Next(), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(r.Next(), 0x06C45D188009454FULL);
}

TEST(ExploreTest, UniformAndNormalHaveTheRightMoments) {
  SplitMix64 r(42);
  double su = 0, sn = 0, sn2 = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double u = r.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    su += u;
    const double z = r.Normal();
    sn += z;
    sn2 += z * z;
  }
  EXPECT_NEAR(su / n, 0.5, 0.01);
  EXPECT_NEAR(sn / n, 0.0, 0.02);
  EXPECT_NEAR(sn2 / n, 1.0, 0.03);
}

TEST(ExploreTest, RateFallsAsProfileFills) {
  ExploreConfig c;
  c.enabled = true;
  c.max_rate = 0.8;
  c.min_rate = 0.1;
  c.half_fill_events = 50;
  EXPECT_DOUBLE_EQ(ExploreRate(c, 0), 0.8);
  EXPECT_DOUBLE_EQ(ExploreRate(c, 50), 0.45);
  EXPECT_LT(ExploreRate(c, 10000), 0.11);
  EXPECT_GT(ExploreRate(c, 10), ExploreRate(c, 100));
}

TEST(ExploreTest, AtMostOneSlotInKAndNeverDropped) {
  SplitMix64 gen(7);
  for (int trial = 0; trial < 200; ++trial) {
    ExploreConfig c;
    c.enabled = true;
    c.slot_every = 2 + trial % 6;
    c.max_rate = 1.0;
    c.method = trial % 2 ? ExploreMethod::kUcb : ExploreMethod::kThompson;
    std::vector<ExploreArm> arms = MakeArms(60, gen, 0.3);
    SplitMix64 rng(trial);
    ExploreResult r = ExploreList(arms, 1 << 30, 0, c, rng);
    int live = 0;
    for (const auto& a : arms) live += !a.dropped;
    ASSERT_EQ(static_cast<int>(r.order.size()), live);
    int last = -1000;
    int count = 0;
    for (size_t p = 0; p < r.order.size(); ++p) {
      ASSERT_FALSE(arms[r.order[p]].dropped);
      if (r.explored[p]) {
        ASSERT_GE(static_cast<int>(p) - last, c.slot_every)
            << "trial " << trial;
        last = static_cast<int>(p);
        ++count;
      }
    }
    EXPECT_LE(count, (live + c.slot_every - 1) / c.slot_every);
  }
}

// The contract of a used slot, by a plain scan: the unused live arm with the
// highest score (UCB: value + ucb_c * uncertainty), ties to the earliest in
// exploit order. Values are coarse so ties are common; one run has a NaN.
std::vector<int> ScanReference(const std::vector<ExploreArm>& arms,
                               int since_last, const ExploreConfig& cfg,
                               double rate, SplitMix64& rng,
                               std::vector<bool>* explored) {
  std::vector<int> live;
  for (size_t i = 0; i < arms.size(); ++i) {
    if (!arms[i].dropped) live.push_back(static_cast<int>(i));
  }
  std::vector<double> score;
  for (int i : live) {
    score.push_back(arms[i].value + cfg.ucb_c * arms[i].uncertainty);
  }
  std::vector<char> used(live.size(), 0);
  std::vector<int> order;
  size_t head = 0;
  long since = since_last;
  for (size_t p = 0; p < live.size(); ++p) {
    while (used[head]) ++head;
    size_t pick = head;
    bool ex = false;
    if (since >= cfg.slot_every - 1 && rng.Uniform() < rate) {
      for (size_t j = head + 1; j < live.size(); ++j) {
        if (!used[j] && score[j] > score[pick]) pick = j;
      }
      ex = pick != head;
      since = -1;
    }
    used[pick] = 1;
    order.push_back(live[pick]);
    explored->push_back(ex);
    ++since;
  }
  return order;
}

TEST(ExploreTest, SlotsPickTheBestUnusedArmLikeAScan) {
  SplitMix64 gen(99);
  for (int trial = 0; trial < 60; ++trial) {
    const int n = 1 + static_cast<int>(gen.Uniform() * 400);
    std::vector<ExploreArm> arms(n);
    for (int i = 0; i < n; ++i) {
      arms[i].index = i;
      arms[i].value = std::floor(gen.Uniform() * 8) / 4;  // many ties
      arms[i].uncertainty = std::floor(gen.Uniform() * 4) / 4;
      arms[i].dropped = gen.Uniform() < 0.1;
    }
    if (trial == 7) arms[n / 2].value = std::nan("");
    ExploreConfig cfg;
    cfg.enabled = true;
    cfg.method = ExploreMethod::kUcb;
    cfg.slot_every = 2 + trial % 5;
    cfg.min_rate = cfg.max_rate = 0.3 + 0.7 * gen.Uniform();
    SplitMix64 a(trial), b(trial);
    const ExploreResult got = ExploreList(arms, 3, 10.0, cfg, a);
    std::vector<bool> want_explored;
    const std::vector<int> want =
        ScanReference(arms, 3, cfg, ExploreRate(cfg, 10.0), b, &want_explored);
    std::vector<int> got_index;
    for (int o : got.order) got_index.push_back(arms[o].index);
    EXPECT_EQ(got_index, want) << "trial " << trial;
    EXPECT_EQ(got.explored, want_explored) << "trial " << trial;
  }
}

TEST(ExploreTest, MoreExplorationWithEmptyProfile) {
  ExploreConfig c;
  c.enabled = true;
  SplitMix64 gen(3);
  std::vector<ExploreArm> arms = MakeArms(100, gen, 0.0);
  for (auto& a : arms) a.uncertainty = 2.0;
  int empty = 0, full = 0;
  for (int s = 0; s < 50; ++s) {
    SplitMix64 r1(s), r2(s);
    ExploreResult a = ExploreList(arms, 1 << 30, 0, c, r1);
    ExploreResult b = ExploreList(arms, 1 << 30, 5000, c, r2);
    for (bool e : a.explored) empty += e;
    for (bool e : b.explored) full += e;
  }
  EXPECT_GT(empty, 2 * full);  // rate 0.8 vs ~0.11 per open slot
  EXPECT_GT(full, 0);
}

TEST(ExploreTest, UcbPrefersUncertainArms) {
  std::vector<ExploreArm> arms(5);
  for (int i = 0; i < 5; ++i) arms[i] = {i, 1.0 - 0.1 * i, 0.0, false};
  arms[4].uncertainty = 1.0;  // value 0.6 + 1.0 beats 1.0
  ExploreConfig c;
  c.enabled = true;
  c.method = ExploreMethod::kUcb;
  c.max_rate = c.min_rate = 1.0;
  SplitMix64 rng(1);
  bool explored = false;
  EXPECT_EQ(ExploreNext(arms, 1 << 30, 0, c, rng, &explored), 4);
  EXPECT_TRUE(explored);
  // Slot not open yet: exploit.
  EXPECT_EQ(ExploreNext(arms, 0, 0, c, rng, &explored), 0);
  EXPECT_FALSE(explored);
  // Disabled.
  c.enabled = false;
  EXPECT_EQ(ExploreNext(arms, 1 << 30, 0, c, rng, &explored), 0);
  EXPECT_FALSE(explored);
}

TEST(ExploreTest, ExplorationPickIsNeverDropped) {
  std::vector<ExploreArm> arms(4);
  for (int i = 0; i < 4; ++i) arms[i] = {i, 1.0, 0.0, false};
  arms[2].uncertainty = 100.0;
  arms[2].dropped = true;  // the most uncertain one is dropped
  arms[0].dropped = true;
  ExploreConfig c;
  c.enabled = true;
  c.method = ExploreMethod::kUcb;
  c.max_rate = c.min_rate = 1.0;
  SplitMix64 rng(1);
  bool explored = true;
  const int pick = ExploreNext(arms, 1 << 30, 0, c, rng, &explored);
  EXPECT_TRUE(pick == 1 || pick == 3);
  for (auto& a : arms) a.dropped = true;
  EXPECT_EQ(ExploreNext(arms, 1 << 30, 0, c, rng, &explored), -1);
}

TEST(ExploreTest, DeterministicForASeed) {
  SplitMix64 gen(11);
  std::vector<ExploreArm> arms = MakeArms(80, gen, 0.1);
  ExploreConfig c;
  c.enabled = true;
  SplitMix64 a(99), b(99), d(100);
  ExploreResult ra = ExploreList(arms, 1 << 30, 0, c, a);
  ExploreResult rb = ExploreList(arms, 1 << 30, 0, c, b);
  EXPECT_EQ(ra.order, rb.order);
  EXPECT_EQ(ra.explored, rb.explored);
  EXPECT_EQ(a.state(), b.state());
  bool differs = false;
  for (int s = 100; s < 110 && !differs; ++s) {
    SplitMix64 o(s);
    differs = ExploreList(arms, 1 << 30, 0, c, o).order != ra.order;
  }
  EXPECT_TRUE(differs);
  (void)d;
}

TEST(ExploreTest, UncertaintyFromSightingsShrinks) {
  EXPECT_DOUBLE_EQ(UncertaintyFromSightings(0, 2.0), 2.0);
  EXPECT_DOUBLE_EQ(UncertaintyFromSightings(3, 2.0), 1.0);
  EXPECT_LT(UncertaintyFromSightings(100, 2.0), 0.2);
}

}  // namespace
}  // namespace reelrank
