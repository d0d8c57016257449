// The non-personalized feed (Ranker::SetPersonalization): the server's order
// under the policy and the user's controls, nothing read from the profile or
// learned into it, and the profile as it was when personalization returns.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "reelrank/ranker.h"
#include "simulator.h"

namespace reelrank {
namespace {

std::vector<std::string> Ids(const RankResult& r,
                             const std::vector<Candidate>& items) {
  std::vector<std::string> out;
  for (const ScoredCandidate& s : r.ranked) out.push_back(items[s.index].id);
  return out;
}

// The items of `items` not blocked or dropped, by server score (stable).
std::vector<std::string> ServerOrder(const std::vector<Candidate>& items,
                                     const std::string& blocked_author,
                                     const std::string& dropped_tag) {
  std::vector<const Candidate*> keep;
  for (const Candidate& c : items) {
    if (c.author == blocked_author) continue;
    if (std::find(c.tags.begin(), c.tags.end(), dropped_tag) != c.tags.end())
      continue;
    keep.push_back(&c);
  }
  std::stable_sort(keep.begin(), keep.end(),
                   [](const Candidate* a, const Candidate* b) {
                     return a->server_score > b->server_score;
                   });
  std::vector<std::string> out;
  for (const Candidate* c : keep) out.push_back(c->id);
  return out;
}

TEST(PersonalizationTest, OffIsTheServerOrderUnderPolicyAndLearnsNothing) {
  sim::Catalog cat = sim::MakeCatalog(3);
  Ranker r(sim::SimConfig());
  sim::Session s(9);
  sim::User u;
  u.loved_topic = 2;
  u.hated_topics = {4};
  std::set<std::string> seen;  // shown while learning
  for (int v = 0; v < 80; ++v) {
    const int i = sim::NextUnseen(r.Rank(cat.items, s.Ctx()));
    seen.insert(cat.items[i].id);
    for (const Event& e :
         s.View(u, cat.items[i], cat.topic[i], cat.creator[i])) {
      ASSERT_TRUE(r.Observe(e).ok());
    }
  }
  ASSERT_TRUE(r.SetUserControls(R"({"blocked_authors": ["creator3"]})").ok());
  ASSERT_TRUE(r.SetPolicy(R"({"version": 1, "rules": [{"id": "no-misc7",
      "action": "drop", "match": {"tags": ["misc7"]}}]})")
                  .ok());
  const Context ctx = s.Ctx();
  const std::vector<std::string> personal =
      Ids(r.Rank(cat.items, ctx), cat.items);
  const std::vector<std::string> server =
      ServerOrder(cat.items, "creator3", "misc7");
  ASSERT_NE(personal, server) << "the learned profile reorders the feed";
  const std::string profile = r.ExportProfile();

  r.SetPersonalization(false);
  EXPECT_FALSE(r.personalization());
  const RankResult off = r.Rank(cat.items, ctx);
  EXPECT_EQ(Ids(off, cat.items), server);
  for (const ScoredCandidate& c : off.ranked) {
    EXPECT_EQ(c.num_contributions, 1);
    EXPECT_EQ(c.contributions[0].kind, ContributionKind::kPrior);
  }
  // Next walks the server order, past what was shown before; every event
  // is accepted and learned from not at all.
  std::vector<std::string> unseen;
  for (const std::string& id : server) {
    if (!seen.count(id)) unseen.push_back(id);
  }
  std::set<std::string> shown;
  for (int v = 0; v < 30; ++v) {
    const NextItem next = r.Next(s.Ctx());
    ASSERT_TRUE(next.found);
    EXPECT_EQ(next.id, unseen[v]) << v;
    EXPECT_TRUE(shown.insert(next.id).second) << "shown twice: " << next.id;
    const auto it =
        std::find_if(cat.items.begin(), cat.items.end(),
                     [&](const Candidate& c) { return c.id == next.id; });
    const size_t i = static_cast<size_t>(it - cat.items.begin());
    for (const Event& e : s.View(u, *it, cat.topic[i], cat.creator[i])) {
      ASSERT_TRUE(r.Observe(e).ok());
    }
  }
  EXPECT_EQ(r.ExportProfile(), profile);

  r.SetPersonalization(true);
  EXPECT_EQ(Ids(r.Rank(cat.items, ctx), cat.items), personal);
  EXPECT_EQ(r.ExportProfile(), profile);
}

}  // namespace
}  // namespace reelrank
