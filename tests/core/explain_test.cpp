#include "reelrank/explain.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace reelrank {
namespace {

TEST(ExplainTest, NamesTheRuleThatFired) {
  PolicyEngine engine;  // default policy
  Candidate c;
  c.id = "v1";
  c.duration_ms = 1000;
  c.safety.push_back({"clickbait", 0.9f});
  ExplainInput in;
  in.item_id = c.id;
  in.policy = engine.Decide(c, 0);
  Explanation e = BuildExplanation(in);
  EXPECT_EQ(e.rule_id, "clickbait");
  EXPECT_EQ(e.action, PolicyAction::kDemote);
  EXPECT_EQ(e.rule_source, RuleSource::kOperator);
  EXPECT_EQ(e.rule_reason, "clickbait");
  const auto j = nlohmann::json::parse(ExplanationToJson(e));
  EXPECT_EQ(j["policy"]["rule_id"], "clickbait");
  EXPECT_EQ(j["policy"]["action"], "demote");
  EXPECT_EQ(j["policy"]["source"], "operator");
}

TEST(ExplainTest, DroppedItemSummaryGivesTheReason) {
  PolicyEngine engine;
  UserControls u;
  u.blocked_authors = {"bob"};
  engine.SetUserControls(u);
  Candidate c;
  c.id = "v";
  c.author = "bob";
  c.duration_ms = 1;
  ExplainInput in;
  in.policy = engine.Decide(c, 0);
  Explanation e = BuildExplanation(in);
  EXPECT_EQ(e.action, PolicyAction::kDrop);
  EXPECT_EQ(e.rule_id, "user:blocked_author:bob");
  EXPECT_EQ(e.summary, "hidden: you blocked this creator");
}

TEST(ExplainTest, TopContributionsInUserWords) {
  ExplainInput in;
  in.item_id = "v";
  in.reasons = {
      {ReasonKind::kPopular, "", 0.05, 0, 0, 0},
      {ReasonKind::kTopic, "cooking", 0.8, 5, 0, 0},
      {ReasonKind::kFollowedCreator, "chef", 0.5, 0, 1, 0},
      {ReasonKind::kSound, "s", 0.0, 0, 0, 0},
      {ReasonKind::kTopic, "cats", -0.3, 0, 0, 4},
  };
  Explanation e = BuildExplanation(in, 3);
  ASSERT_EQ(e.reasons.size(), 3u);
  EXPECT_EQ(e.reasons[0].text, "you watched 5 cooking videos to the end");
  EXPECT_EQ(e.reasons[1].text, "it's by a creator you follow");
  EXPECT_EQ(e.reasons[2].text, "you often swipe past cats videos");
  EXPECT_EQ(e.summary, "because you watched 5 cooking videos to the end");
  ScoreReason one{ReasonKind::kCreator, "ann", 0.2, 1, 0, 0};
  EXPECT_EQ(ReasonText(one), "you watched 1 video by ann to the end");
}

TEST(ExplainTest, ExplorationAndDiversityAreReported) {
  ExplainInput in;
  in.item_id = "v";
  in.explored = true;
  in.has_diversity = true;
  in.diversity.from = 0;
  in.diversity.to = 2;
  in.diversity.held_back_by = {"creator"};
  Explanation e = BuildExplanation(in);
  EXPECT_TRUE(e.explored);
  ASSERT_EQ(e.diversity.size(), 1u);
  EXPECT_EQ(e.diversity[0],
            "moved from 1 to 3: same creator as a video you just saw");
  EXPECT_EQ(e.summary, "something new, to help discover what you like");
  const auto j = nlohmann::json::parse(ExplanationToJson(e));
  EXPECT_TRUE(j["explored"].get<bool>());
  EXPECT_EQ(j["diversity"].size(), 1u);
}

TEST(ExplainTest, InvalidUtf8DoesNotBreakJson) {
  ExplainInput in;
  in.item_id = "bad\xff";
  Explanation e = BuildExplanation(in);
  const std::string s = ExplanationToJson(e);
  EXPECT_FALSE(nlohmann::json::parse(s, nullptr, false).is_discarded());
}

}  // namespace
}  // namespace reelrank
