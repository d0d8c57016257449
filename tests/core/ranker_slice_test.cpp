#include <gtest/gtest.h>

#include <vector>

#include "reelrank/ranker.h"

namespace reelrank {
namespace {

Candidate Make(const std::string& id, double server_score) {
  Candidate c;
  c.id = id;
  c.duration_ms = 15000;
  c.server_score = server_score;
  return c;
}

TEST(RankerSliceTest, EmptyProfileFollowsServerOrder) {
  Ranker ranker(RankerConfig{});
  std::vector<Candidate> cs = {Make("a", 0.2), Make("b", 0.9), Make("c", 0.5)};
  RankResult r = ranker.Rank(cs, Context{});
  ASSERT_EQ(r.ranked.size(), 3u);
  EXPECT_EQ(cs[r.ranked[0].index].id, "b");
  EXPECT_EQ(cs[r.ranked[1].index].id, "c");
  EXPECT_EQ(cs[r.ranked[2].index].id, "a");
  EXPECT_GT(r.ranked[0].value, r.ranked[1].value);
}

TEST(RankerSliceTest, BadCandidateIsSkippedWithReasonRestRanked) {
  Ranker ranker(RankerConfig{});
  std::vector<Candidate> cs = {Make("a", 0.2), Make("", 0.9), Make("c", 0.5)};
  cs[2].embedding.assign(5, 0.1f);  // wrong dimension
  RankResult r = ranker.Rank(cs, Context{});
  ASSERT_EQ(r.ranked.size(), 1u);
  EXPECT_EQ(cs[r.ranked[0].index].id, "a");
  ASSERT_EQ(r.rejected.size(), 2u);
  EXPECT_EQ(r.rejected[0].index, 1);
  EXPECT_NE(r.rejected[0].status.message().find("candidates[1].id"),
            std::string::npos);
  EXPECT_NE(r.rejected[1].status.message().find("candidates[2].embedding"),
            std::string::npos);
}

}  // namespace
}  // namespace reelrank
