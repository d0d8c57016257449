// Topic controls (TikTok's "Manage topics"): "more" / "less" of a topic act
// as multipliers on the ranking, never remove the topic, are kept with the
// profile and explained.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "reelrank/ranker.h"
#include "simulator.h"

namespace reelrank {
namespace {

// Share of `topic` among the next `n` items Next() shows to a user who
// watches everything for a little while (no taste to learn), with the
// controls `controls` set from the start, fed as an app feeds it: a server
// page of 20 new candidates (10 topics x 2) every 10 swipes.
double ShareOfNext(const std::string& controls, int topic, int n, int seed) {
  Ranker r(sim::SimConfig());
  EXPECT_TRUE(r.SetUserControls(controls).ok()) << controls;
  sim::Session s(seed);
  int hits = 0;
  // As a feed uses it: a server page of 20 every 10 swipes.
  sim::Catalog cat;
  for (int k = 0; k < n; ++k) {
    if (k % 10 == 0) {
      cat = sim::MakeCatalog(1000 * seed + k, 10, 2, 25,
                             "p" + std::to_string(k) + "-");
      r.Rank(cat.items, s.Ctx());
    }
    const NextItem next = r.Next(s.Ctx());
    EXPECT_TRUE(next.found);
    const size_t dash = next.id.find('-');
    const int idx = std::stoi(next.id.substr(dash + 1));
    if (idx / 2 == topic) ++hits;  // MakeCatalog: topic-major ids
    EXPECT_TRUE(r.Observe(s.Make(next.id, EventKind::kImpression)).ok());
    EXPECT_TRUE(
        r.Observe(s.Make(next.id, EventKind::kSwipeAway, 3000, 1.0f)).ok());
  }
  return static_cast<double>(hits) / n;
}

TEST(TopicControlsTest, LessHalvesATopicsShareOfTheNext50AndMoreRaisesIt) {
  const int topic = 3;  // tag "topic3", category "cat3"
  const int N = 50;
  // Each over 8 sessions (seeds) of the next 50 picks.
  auto share = [&](const std::string& controls) {
    double sum = 0.0;
    for (int seed = 1; seed <= 8; ++seed)
      sum += ShareOfNext(controls, topic, N, seed);
    return sum / 8;
  };
  const double normal = share("{}");
  const double less = share(R"({"topic_levels": {"topic3": "less"}})");
  const double more = share(R"({"topic_levels": {"cat3": "more"}})");
  std::printf(
      "share of topic 3 in the next 50: normal %.2f, less %.2f, more %.2f\n",
      normal, less, more);
  ASSERT_GT(normal, 0.0);
  EXPECT_LE(less, normal / 2) << "less: at least half fewer";
  EXPECT_GT(less, 0.0) << "less never removes the topic";
  EXPECT_GT(more, normal);
}

TEST(TopicControlsTest, LevelsAreExplainedExportedAndNormalRemovesThem) {
  sim::Catalog cat = sim::MakeCatalog(5);
  Ranker r(sim::SimConfig());
  ASSERT_TRUE(
      r.SetUserControls(
           R"({"topic_levels": {"topic1": "more", "topic2": "less", "x": "normal"}})")
          .ok());
  sim::Session s(1);
  const RankResult res = r.Rank(cat.items, s.Ctx());
  bool saw_more = false, saw_less = false;
  for (const ScoredCandidate& c : res.ranked) {
    const int t = cat.topic[c.index];
    if (t != 1 && t != 2) continue;
    const Result<Explanation> e = r.Explain(cat.items[c.index].id);
    ASSERT_TRUE(e.ok());
    const std::string want =
        t == 1 ? "you asked for more topic1" : "you asked for less topic2";
    EXPECT_EQ(e.value().rule_reason, want) << cat.items[c.index].id;
    (t == 1 ? saw_more : saw_less) = true;
  }
  EXPECT_TRUE(saw_more && saw_less);
  // Kept with the profile: a fresh ranker importing it has the same levels.
  Ranker other(sim::SimConfig());
  ASSERT_TRUE(other.ImportProfile(r.ExportProfile()).ok());
  EXPECT_EQ(other.UserControlsJson(), r.UserControlsJson());
  EXPECT_NE(r.UserControlsJson().find(
                R"("topic_levels":{"topic1":"more","topic2":"less"})"),
            std::string::npos)
      << r.UserControlsJson();
  // Bad levels are refused naming the field; nothing changes.
  const Status bad = r.SetUserControls(R"({"topic_levels": {"cats": "lots"}})");
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message().rfind("topic_levels.cats: ", 0), 0u) << bad.message();
  EXPECT_EQ(other.UserControlsJson(), r.UserControlsJson());
}

}  // namespace
}  // namespace reelrank
