#include "reelrank/model_pack.h"

#include <gtest/gtest.h>

#include "reelrank/feature_table.h"
#include "reelrank/ranker.h"
#include "simulator.h"

namespace reelrank {
namespace {

TEST(ModelPackTest, ParsesAndRoundTrips) {
  Result<ModelPack> p =
      ParseModelPack(R"({"format": "reelrank-model-pack", "version": 1,
      "name": "t", "heads": {"watch_ratio": {"bias": -0.5, "sparse": {"dur:3": 0.25}}}})");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p.value().name, "t");
  EXPECT_EQ(p.value().heads[HeadIndex(Head::kWatchRatio)].bias, -0.5);
  EXPECT_EQ(p.value().heads[HeadIndex(Head::kLike)].bias,
            DefaultModelPack().heads[HeadIndex(Head::kLike)].bias);
  EXPECT_EQ(
      p.value().sparse.at(FeatureKey("dur:3"))[HeadIndex(Head::kWatchRatio)],
      0.25f);
  Result<ModelPack> q = ParseModelPack(ModelPackToJson(p.value()));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(ModelPackToJson(q.value()), ModelPackToJson(p.value()));
}

TEST(ModelPackTest, RejectsBadPacks) {
  EXPECT_EQ(ParseModelPack(R"({"version": 2})").status().code(),
            StatusCode::kUnimplemented);
  EXPECT_EQ(ParseModelPack(R"({"heads": {}})").status().code(),
            StatusCode::kInvalidArgument);
  Result<ModelPack> r =
      ParseModelPack(R"({"version": 1, "heads": {"like": {"prior": -1}}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("model_pack.heads.like.prior", 0), 0u);
  r = ParseModelPack(R"({"version": 1, "heads": {"liked": {}}})");
  EXPECT_EQ(r.status().message().rfind("model_pack.heads.liked", 0), 0u);
  r = ParseModelPack(
      R"({"version": 1, "heads": {"like": {"sparse": {"tag:x": "a"}}}})");
  EXPECT_EQ(r.status().message().rfind("model_pack.heads.like.sparse.tag:x", 0),
            0u);
}

TEST(ModelPackTest, GlobalSparseWeightsMoveItemsAndResetReturnsToThePack) {
  sim::Catalog cat = sim::MakeCatalog(21);
  Ranker ranker(sim::SimConfig());
  const RankResult base = ranker.Rank(cat.items, Context{});
  const int last = base.ranked.back().index;
  const std::string tag = cat.items[last].tags[1];
  ASSERT_TRUE(
      ranker
          .LoadModelPack(
              R"({"version": 1, "heads": {"watch_ratio": {"sparse": {"tag:)" +
              tag + R"(": 6}}}})")
          .ok());
  const RankResult boosted = ranker.Rank(cat.items, Context{});
  int pos = 0;
  while (boosted.ranked[pos].index != last) ++pos;
  EXPECT_LT(pos, static_cast<int>(cat.items.size()) / 2);
  // Learn something, then Reset: back to exactly the pack's ranking.
  sim::Session s(1, 0);  // the clock of Context{} (now_ms 0)
  for (int k = 0; k < 5; ++k) {
    const std::string& id = cat.items[boosted.ranked[k].index].id;
    ASSERT_TRUE(ranker.Observe(s.Make(id, EventKind::kImpression)).ok());
    ASSERT_TRUE(
        ranker.Observe(s.Make(id, EventKind::kSwipeAway, 100, 3.0f)).ok());
  }
  ranker.Reset();
  const RankResult again = ranker.Rank(cat.items, Context{});
  for (size_t i = 0; i < again.ranked.size(); ++i) {
    EXPECT_EQ(again.ranked[i].index, boosted.ranked[i].index);
    EXPECT_EQ(again.ranked[i].value, boosted.ranked[i].value);
  }
}

}  // namespace
}  // namespace reelrank
