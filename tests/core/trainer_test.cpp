// The model-pack trainer (reelrank/trainer.h): recovers the coefficients of
// generated data, keeps an empty profile in the server's order, and refuses
// bad lines with field-named errors without crashing.
#include "reelrank/trainer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "reelrank/ranker.h"
#include "simulator.h"

namespace reelrank {
namespace {

std::string Line(double score, int64_t dur, int64_t play, bool done,
                 bool like = false) {
  char b[512];
  std::snprintf(
      b, sizeof(b),
      "{\"candidate\":{\"id\":\"v\",\"author\":\"a\",\"tags\":[\"t\"],"
      "\"duration_ms\":%lld,\"server_score\":%.17g},"
      "\"outcome\":{\"play_ms\":%lld,\"completed\":%s,\"like\":%s},"
      "\"user\":\"u\",\"time_ms\":1}",
      static_cast<long long>(dur), score, static_cast<long long>(play),
      done ? "true" : "false", like ? "true" : "false");
  return b;
}

// Views whose completion follows P(finish) = sigmoid(-0.5 + 0.8 logit(s)).
TEST(TrainerTest, RecoversTheFinishHeadsCalibration) {
  PackTrainer t(TrainerOptions{});
  sim::Rng rng(3);
  for (int i = 0; i < 20000; ++i) {
    const double s = 0.02 + 0.96 * rng.Uniform();
    const double z = -0.5 + 0.8 * std::log(s / (1 - s));
    const bool done = rng.Uniform() < 1 / (1 + std::exp(-z));
    ASSERT_TRUE(t.AddLine(Line(s, 20000, done ? 20000 : 3000, done)).ok());
  }
  Result<ModelPack> p = t.Fit();
  ASSERT_TRUE(p.ok());
  const HeadWeights& f = p.value().heads[HeadIndex(Head::kFinish)];
  EXPECT_NEAR(f.bias, -0.5, 0.1);
  EXPECT_NEAR(f.prior, 0.8, 0.1);
  // The pack loads, and an empty profile ranks in the server's order.
  Ranker r(RankerConfig{});
  ASSERT_TRUE(r.LoadModelPack(ModelPackToJson(p.value())).ok());
  std::vector<Candidate> cs;
  for (int i = 0; i < 20; ++i) {
    Candidate c;
    c.id = "c" + std::to_string(i);
    c.duration_ms = 5000 + 1000 * i;
    c.server_score = 0.03 * ((i * 7) % 20) + 0.01;
    cs.push_back(c);
  }
  const RankResult rr = r.Rank(cs, Context{});
  for (size_t k = 1; k < rr.ranked.size(); ++k) {
    EXPECT_GE(cs[rr.ranked[k - 1].index].server_score,
              cs[rr.ranked[k].index].server_score);
  }
}

// Data where a head falls with the server score: the pack pins that head's
// prior coefficient at 0 rather than reverse the server's order.
TEST(TrainerTest, KeepsThePriorCoefficientsSign) {
  PackTrainer t(TrainerOptions{});
  sim::Rng rng(5);
  for (int i = 0; i < 5000; ++i) {
    const double s = 0.02 + 0.96 * rng.Uniform();
    const bool like = rng.Uniform() < 0.3 * (1 - s);
    t.AddLine(Line(s, 20000, 20000, true, like));
  }
  Result<ModelPack> p = t.Fit();
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value().heads[HeadIndex(Head::kLike)].prior, 0.0);
  EXPECT_LT(p.value().heads[HeadIndex(Head::kLike)].bias, -1.0);
}

TEST(TrainerTest, DurationWeightsAreOptional) {
  TrainerOptions o;
  o.duration_weights = true;
  PackTrainer t(o);
  sim::Rng rng(9);
  for (int i = 0; i < 4000; ++i) {
    const bool short_item = i % 2 == 0;
    const bool done = rng.Uniform() < (short_item ? 0.7 : 0.2);
    t.AddLine(
        Line(0.3, short_item ? 5000 : 100000, done ? 100000 : 1000, done));
  }
  Result<ModelPack> p = t.Fit();
  ASSERT_TRUE(p.ok());
  const auto& sp = p.value().sparse_by_name;
  ASSERT_TRUE(sp.count("dur:0") && sp.count("dur:4"));
  const int f = HeadIndex(Head::kFinish);
  EXPECT_GT(sp.at("dur:0")[f], sp.at("dur:4")[f] + 1.0);
  PackTrainer plain(TrainerOptions{});
  plain.AddLine(Line(0.3, 5000, 5000, true));
  EXPECT_TRUE(plain.Fit().value().sparse_by_name.empty());
}

TEST(TrainerTest, BadLinesNameTheFieldAndAddNothing) {
  PackTrainer t(TrainerOptions{});
  struct Case {
    std::string line, field;
  } cases[] = {
      {"{\"candidate\":{\"id\":\"v\",\"duration_ms\":1", "line"},
      {"[1,2]", "line"},
      {"", "line"},
      {"{\"candidate\":{\"id\":\"v\",\"duration_ms\":\"long\"},\"outcome\":{}}",
       "candidate.duration_ms"},
      {"{\"candidate\":{\"id\":\"v\",\"duration_ms\":-5},\"outcome\":{}}",
       "candidate.duration_ms"},
      {"{\"candidate\":{\"id\":\"v\",\"duration_ms\":1e400},\"outcome\":{}}",
       "line"},
      {"{\"candidate\":{\"id\":\"v\",\"duration_ms\":9,\"server_score\":2},"
       "\"outcome\":{}}",
       "candidate.server_score"},
      {"{\"candidate\":{\"id\":\"\",\"duration_ms\":9},\"outcome\":{}}",
       "candidate.id"},
      {"{\"candidate\":{\"id\":\"v\",\"creator\":\"a\",\"duration_ms\":9},"
       "\"outcome\":{}}",
       "candidate.creator"},
      {"{\"candidate\":{\"id\":\"v\",\"duration_ms\":9},\"outcome\":{\"play_"
       "ms\""
       ":NaN}}",
       "line"},
      {"{\"candidate\":{\"id\":\"v\",\"duration_ms\":9},\"outcome\":{\"like\":"
       "1}}",
       "outcome.like"},
      {"{\"candidate\":{\"id\":\"v\",\"duration_ms\":9}}", "outcome"},
      {"{\"candidate\":{\"id\":\"\xff\",\"duration_ms\":9},\"outcome\":{}}",
       "line"},
      {"{\"candidate\":{\"id\":\"v\",\"tags\":[1],\"duration_ms\":9},"
       "\"outcome\":{}}",
       "candidate.tags[0]"},
      {std::string(kMaxLoggedViewBytes + 1, ' '), "line"},
  };
  for (const Case& c : cases) {
    Status s = t.AddLine(c.line);
    ASSERT_FALSE(s.ok()) << c.line.substr(0, 80);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(s.message().rfind(c.field + ":", 0), 0u)
        << s.message() << " / " << c.field;
  }
  EXPECT_EQ(t.views(), 0);
  EXPECT_EQ(t.Fit().status().code(), StatusCode::kFailedPrecondition);
  // A 10 MB line of valid JSON is refused by size, not parsed.
  const std::string big = "{\"candidate\":{\"id\":\"" +
                          std::string(10 << 20, 'x') + "\",\"duration_ms\":9}}";
  EXPECT_EQ(t.AddLine(big).message().rfind("line:", 0), 0u);
  // A photo post (duration 0) is a valid view.
  EXPECT_TRUE(t.AddLine(Line(0.5, 0, 4000, false)).ok());
  EXPECT_EQ(t.views(), 1);
}

}  // namespace
}  // namespace reelrank
