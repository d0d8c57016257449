// Unit tests of the evaluator's metrics on tiny hand-computed inputs. They
// need no data files.
#include "metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace reelrank {
namespace eval {
namespace {

TEST(EvalMetricsTest, AucPerfectInvertedAndTies) {
  EXPECT_DOUBLE_EQ(Auc({0.9, 0.1, 0.5}, {1, 0, 0}), 1.0);
  EXPECT_DOUBLE_EQ(Auc({0.1, 0.9, 0.5}, {1, 0, 0}), 0.0);
  // All scores tied: every pair counts 1/2.
  EXPECT_DOUBLE_EQ(Auc({0.3, 0.3, 0.3, 0.3}, {1, 0, 1, 0}), 0.5);
  // Positives {0.8, 0.4}, negatives {0.6, 0.2}: pairs won 1+1+0+1 = 3 of 4.
  EXPECT_DOUBLE_EQ(Auc({0.8, 0.6, 0.4, 0.2}, {1, 0, 1, 0}), 0.75);
  // One tie between a positive and a negative: (1 + 0.5) / 2.
  EXPECT_DOUBLE_EQ(Auc({0.5, 0.5, 0.1}, {1, 0, 0}), 0.75);
}

TEST(EvalMetricsTest, AucUndefinedWithOneClass) {
  EXPECT_TRUE(std::isnan(Auc({0.1, 0.2}, {0, 0})));
  EXPECT_TRUE(std::isnan(Auc({0.1, 0.2}, {1, 1})));
  EXPECT_TRUE(std::isnan(Auc({}, {})));
  EXPECT_TRUE(std::isnan(Auc({0.1}, {1, 0})));
}

TEST(EvalMetricsTest, GroupAucWeightsByImpressionsAndSkipsOneClassUsers) {
  std::vector<UserScores> users(3);
  users[0] = {{0.9, 0.1}, {1, 0}};                  // AUC 1, weight 2
  users[1] = {{0.1, 0.9, 0.5, 0.4}, {1, 0, 0, 0}};  // AUC 0, weight 4
  users[2] = {{0.5, 0.6, 0.7}, {0, 0, 0}};          // skipped
  GroupAucResult r = GroupAuc(users);
  EXPECT_EQ(r.users, 2);
  EXPECT_EQ(r.weight, 6);
  EXPECT_NEAR(r.gauc, 2.0 / 6.0, 1e-12);
}

TEST(EvalMetricsTest, LogLossMatchesHandComputation) {
  const double expected = -(std::log(0.8) + std::log(1.0 - 0.4)) / 2.0;
  EXPECT_NEAR(LogLoss({0.8, 0.4}, {1, 0}), expected, 1e-12);
  // Clipping keeps a confident miss finite.
  EXPECT_TRUE(std::isfinite(LogLoss({0.0}, {1})));
  EXPECT_NEAR(LogLoss({0.0}, {1}, 1e-7), -std::log(1e-7), 1e-9);
  EXPECT_TRUE(std::isnan(LogLoss({}, {})));
}

TEST(EvalMetricsTest, NdcgBinaryAndGradedGains) {
  // Gains by item: item 2 is the only relevant one, ranked second.
  const std::vector<double> binary = {0.0, 0.0, 1.0};
  EXPECT_NEAR(NdcgAtK({0, 2, 1}, binary, 10), 1.0 / std::log2(3.0), 1e-12);
  EXPECT_DOUBLE_EQ(NdcgAtK({2, 0, 1}, binary, 10), 1.0);
  // Cut-off: the relevant item at position 3 is outside k = 2.
  EXPECT_DOUBLE_EQ(NdcgAtK({0, 1, 2}, binary, 2), 0.0);
  // Graded gains 0.5 and 1: order (0.5 first) vs ideal (1 first).
  const std::vector<double> graded = {0.5, 1.0};
  const double dcg = 0.5 + 1.0 / std::log2(3.0);
  const double idcg = 1.0 + 0.5 / std::log2(3.0);
  EXPECT_NEAR(NdcgAtK({0, 1}, graded, 10), dcg / idcg, 1e-12);
  // No relevant item: undefined.
  EXPECT_TRUE(std::isnan(NdcgAtK({0, 1}, {0.0, 0.0}, 10)));
}

TEST(EvalMetricsTest, OrderByScoreIsStableOnTies) {
  const std::vector<int> order = OrderByScore({0.2, 0.9, 0.2, 0.5});
  const std::vector<int> expected = {1, 3, 0, 2};
  EXPECT_EQ(order, expected);
}

}  // namespace
}  // namespace eval
}  // namespace reelrank
