// Follows: a creator the user follows is kept (in the profile, through a
// feed refresh), raises that creator's items and is named by Explain; a
// forgotten follow event removes it; Reset forgets follows too.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "reelrank/ranker.h"
#include "simulator.h"

namespace reelrank {
namespace {

const ScoredCandidate* Find(const RankResult& r,
                            const std::vector<Candidate>& items,
                            const std::string& id) {
  for (const ScoredCandidate& s : r.ranked) {
    if (items[s.index].id == id) return &s;
  }
  return nullptr;
}

TEST(FollowsTest, AFollowIsKeptThroughARefreshRaisesTheCreatorAndIsExplained) {
  sim::Catalog cat = sim::MakeCatalog(8);
  Ranker r(sim::SimConfig());
  sim::Session s(3);
  const RankResult first = r.Rank(cat.items, s.Ctx());
  const Candidate& followed = cat.items[first.ranked[5].index];
  // Another item by the same creator.
  std::string other;
  for (const Candidate& c : cat.items) {
    if (c.author == followed.author && c.id != followed.id) other = c.id;
  }
  ASSERT_FALSE(other.empty());
  const double before = Find(first, cat.items, other)->value;
  Event follow = s.Make(followed.id, EventKind::kFollow);
  ASSERT_TRUE(r.Observe(s.Make(followed.id, EventKind::kImpression)).ok());
  ASSERT_TRUE(r.Observe(follow).ok());

  r.RefreshFeed();
  EXPECT_EQ(r.Stats().events, 0) << "a refresh starts over";
  EXPECT_TRUE(r.TopInterests(10).empty());
  const RankResult after = r.Rank(cat.items, s.Ctx());
  const ScoredCandidate* o = Find(after, cat.items, other);
  ASSERT_NE(o, nullptr);
  EXPECT_NEAR(o->value, before * kFollowedMultiplier, 1e-9);
  const Result<Explanation> why = r.Explain(other);
  ASSERT_TRUE(why.ok());
  EXPECT_EQ(why.value().rule_reason, "it's by a creator you follow");
  // Kept with the profile.
  const std::string saved = r.ExportProfile();
  EXPECT_NE(saved.find("\"follows\":[{\"author\":\"" + followed.author),
            std::string::npos);
  Ranker other_device(sim::SimConfig());
  ASSERT_TRUE(other_device.ImportProfile(saved).ok());
  EXPECT_EQ(other_device.ExportProfile(), saved);
  // Reset forgets follows too.
  r.Reset();
  EXPECT_EQ(r.ExportProfile().find("\"follows\":[{"), std::string::npos);
}

TEST(FollowsTest, ForgettingTheFollowEventRemovesTheFollow) {
  sim::Catalog cat = sim::MakeCatalog(8);
  Ranker r(sim::SimConfig());
  sim::Session s(3);
  const RankResult first = r.Rank(cat.items, s.Ctx());
  const Candidate& c = cat.items[first.ranked[0].index];
  const Event follow = s.Make(c.id, EventKind::kFollow);
  ASSERT_TRUE(r.Observe(follow).ok());
  ASSERT_NE(r.ExportProfile().find("\"follows\":[{"), std::string::npos);
  ASSERT_TRUE(r.Forget(follow.event_id).ok());
  EXPECT_EQ(r.ExportProfile().find("\"follows\":[{"), std::string::npos);
}

}  // namespace
}  // namespace reelrank
