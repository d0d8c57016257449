#include "reelrank/config.h"

#include <gtest/gtest.h>

namespace reelrank {
namespace {

TEST(ConfigTest, MissingKeysKeepDefaults) {
  Result<RankerConfig> r =
      ParseConfig(R"({"embedding_dim": 8, "profile": {"max_features": 100}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const RankerConfig d;
  EXPECT_EQ(r.value().embedding_dim, 8);
  EXPECT_EQ(r.value().profile.max_features, 100);
  EXPECT_EQ(r.value().profile.max_event_log, d.profile.max_event_log);
  EXPECT_EQ(r.value().learner.sparse.alpha, d.learner.sparse.alpha);
  EXPECT_EQ(r.value().objective_weights, d.objective_weights);
  EXPECT_TRUE(ParseConfig("{}").ok());
}

TEST(ConfigTest, RoundTripsThroughJson) {
  RankerConfig c;
  c.embedding_dim = 64;
  c.seed = 123456789012345ULL;
  c.signals.fast_swipe_ms = 1234;
  c.learner.dense.l2 = 0.125;
  c.learner.head_rate[HeadIndex(Head::kShare)] = 0.5;
  c.objective_weights[HeadIndex(Head::kLike)] = 2.0;
  c.explain = false;
  Result<RankerConfig> r = ParseConfig(ConfigToJson(c));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ConfigToJson(r.value()), ConfigToJson(c));
  EXPECT_EQ(r.value().seed, c.seed);
  EXPECT_FALSE(r.value().explain);
}

TEST(ConfigTest, ErrorsNameTheField) {
  struct Case {
    const char* json;
    const char* field;
  } cases[] = {
      {R"({"embedding_dim": "32"})", "config.embedding_dim"},
      {R"({"embedding_dim": 0})", "config.embedding_dim"},
      {R"({"profile": {"max_features": 1.5}})", "config.profile.max_features"},
      {R"({"learner": {"sparse": {"alpha": -1}}})",
       "config.learner.sparse.alpha"},
      {R"({"objective_weights": {"negative": 1}})",
       "config.objective_weights.negative"},
      {R"({"objective_weights": {"likes": 1}})",
       "config.objective_weights.likes"},
      {R"({"signals": []})", "config.signals"},
      {R"({"explain": 1})", "config.explain"},
      {R"({"seed": -1})", "config.seed"},
      {R"([1])", "config"},
      {R"({"embedding_dim": )", "config"},
  };
  for (const Case& c : cases) {
    Result<RankerConfig> r = ParseConfig(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message().rfind(std::string(c.field) + ":", 0), 0u)
        << r.status().message();
  }
}

}  // namespace
}  // namespace reelrank
