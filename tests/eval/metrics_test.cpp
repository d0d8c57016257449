// Unit tests of the evaluator's metrics, gains, baselines and objectives on
// tiny hand-computed inputs. They need no data files.
#include "metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "baselines.h"
#include "gains.h"
#include "report.h"

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

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(EvalMetricsTest, PairedDifferenceMeanAndStandardError) {
  // d = {1, 2, 3, 6}: mean 3, sd = sqrt((4 + 1 + 0 + 9) / 3), se = sd / 2.
  const PairedDiff d = PairedDifference({2, 3, 4, 8}, {1, 1, 1, 2});
  EXPECT_EQ(d.n, 4);
  EXPECT_DOUBLE_EQ(d.mean, 3.0);
  EXPECT_NEAR(d.se, std::sqrt(14.0 / 3.0) / 2.0, 1e-12);
  // Undefined entries on either side drop the pair.
  const PairedDiff e = PairedDifference({1, kNaN, 3}, {0, 0, kNaN});
  EXPECT_EQ(e.n, 1);
  EXPECT_DOUBLE_EQ(e.mean, 1.0);
  EXPECT_TRUE(std::isnan(e.se));
  EXPECT_TRUE(std::isnan(PairedDifference({kNaN}, {1}).mean));
}

TEST(EvalMetricsTest, WeightedPairedDifferenceWeightsUsers) {
  // d = {1, 4} with weights {3, 1}: mean (3 + 4) / 4 = 1.75;
  // se = sqrt(2 / 1 * ((3 * -0.75)^2 + (1 * 2.25)^2)) / 4.
  const PairedDiff d = WeightedPairedDifference({1, 4}, {0, 0}, {3, 1});
  EXPECT_DOUBLE_EQ(d.mean, 1.75);
  const double ss = 2.25 * 2.25 + 2.25 * 2.25;
  EXPECT_NEAR(d.se, std::sqrt(2.0 * ss) / 4.0, 1e-12);
  // Equal weights give the unweighted figures.
  const PairedDiff u = PairedDifference({2, 3, 4, 8}, {1, 1, 1, 2});
  const PairedDiff w =
      WeightedPairedDifference({2, 3, 4, 8}, {1, 1, 1, 2}, {5, 5, 5, 5});
  EXPECT_NEAR(w.mean, u.mean, 1e-12);
  EXPECT_NEAR(w.se, u.se, 1e-12);
  // Weight 0 leaves a user out.
  EXPECT_EQ(WeightedPairedDifference({1, 9}, {0, 0}, {1, 0}).n, 1);
}

TEST(EvalMetricsTest, ListEligibilityForKTwenty) {
  EXPECT_FALSE(kList10.Eligible(19));
  EXPECT_TRUE(kList10.Eligible(20));
  EXPECT_FALSE(kList20.Eligible(39));
  EXPECT_TRUE(kList20.Eligible(40));
  // Every listed row comes after the rows observed for its k.
  EXPECT_GE(kList10.start, 10);
  EXPECT_GE(kList20.start, 20);
  EXPECT_GE(kList20.min_rows - kList20.start, 20);
}

TEST(EvalGainsTest, DebiasBinsAreEqualFrequency) {
  // Durations 1..100 s: deciles at 11 s, 21 s, ...; 10 rows per bin.
  std::vector<int64_t> dur, play;
  for (int i = 1; i <= 100; ++i) {
    dur.push_back(i * 1000);
    play.push_back(0);
  }
  const DebiasTable t = DebiasTable::Fit(dur, play);
  ASSERT_EQ(t.edges().size(), 9u);
  EXPECT_EQ(t.edges()[0], 11000);
  EXPECT_EQ(t.edges()[8], 91000);
  std::vector<int> count(DebiasTable::kBins + 1, 0);
  for (int64_t d : dur) ++count[t.Bin(d)];
  for (int b = 0; b < DebiasTable::kBins; ++b) EXPECT_EQ(count[b], 10) << b;
  EXPECT_EQ(t.Bin(0), DebiasTable::kBins);  // unknown duration: own bin
  EXPECT_EQ(t.Bin(500), 0);
  EXPECT_EQ(t.Bin(10000000), DebiasTable::kBins - 1);
}

TEST(EvalGainsTest, DebiasedGainIsTheTopQuarterWithinTheBin) {
  // One short bin and one long bin (durations 5 s and 60 s, 40 rows each),
  // plays 1..40 s in each: the top quarter is a play above 30 s in either.
  std::vector<int64_t> dur, play;
  for (int i = 1; i <= 40; ++i) {
    dur.push_back(5000);
    play.push_back(i * 1000);
    dur.push_back(60000);
    play.push_back(i * 100);  // the long bin's plays are 0.1..4 s
  }
  const DebiasTable t = DebiasTable::Fit(dur, play);
  // 30 of 40 plays are shorter than 31 s: rank 0.75 -> gain 1.
  EXPECT_DOUBLE_EQ(t.PlayRank(5000, 31000), 0.75);
  EXPECT_DOUBLE_EQ(t.Gain(5000, 31000), 1.0);
  EXPECT_DOUBLE_EQ(t.Gain(5000, 30000), 0.0);  // rank 29/40
  // The same 3.1 s play is in the top quarter of the long bin only.
  EXPECT_DOUBLE_EQ(t.Gain(60000, 3100), 1.0);
  EXPECT_DOUBLE_EQ(t.Gain(5000, 3100), 0.0);
  // A bin without fitted plays (unknown duration here) gives 0.
  EXPECT_DOUBLE_EQ(t.Gain(0, 1000000), 0.0);
}

TEST(EvalBaselinesTest, AffinityShrinksToThePriorOrder) {
  PopulationRates pop;
  for (int i = 0; i < 100; ++i) {
    pop.Add({"tag:a"}, i % 10 == 0);
    pop.Add({"tag:b"}, i % 10 == 0);
  }
  const AffinityKeys a = {"tag:a"}, b = {"tag:b"};
  // The user long-viewed both "a" rows and no "b" row.
  const std::vector<const AffinityKeys*> seen = {&a, &a, &b, &b};
  const std::vector<int> seen_y = {1, 1, 0, 0};
  // Items: b first by the prior.
  const std::vector<const AffinityKeys*> items = {&b, &a};
  const std::vector<double> prior = {0.2, 0.1};
  const std::vector<double> weak =
      AffinityScores(seen, seen_y, items, prior, pop, 1.0);
  EXPECT_GT(weak[1], weak[0]);  // a little evidence flips the order
  const std::vector<double> strong =
      AffinityScores(seen, seen_y, items, prior, pop, 1e9);
  EXPECT_GT(strong[0], strong[1]);  // m -> inf: the prior order
  EXPECT_NEAR(strong[0], std::log(0.2 / 0.8), 1e-6);
  // Nothing observed: the prior.
  const std::vector<double> none = AffinityScores({}, {}, items, prior, pop, 1);
  EXPECT_NEAR(none[1], std::log(0.1 / 0.9), 1e-9);
}

TEST(EvalBaselinesTest, ShortestFirstAndRandom) {
  const std::vector<int> order =
      ShortestFirstOrder({30000, 5000, 5000, 10000}, {0.1, 0.2, 0.4, 0.9});
  const std::vector<int> expected = {2, 1, 3, 0};
  EXPECT_EQ(order, expected);
  std::mt19937_64 rng(7);
  // One relevant item of two: NDCG is 1 or 1/log2(3), so the mean of many
  // shuffles is near their average.
  const double r = RandomNdcg({1.0, 0.0}, 10, 2000, &rng);
  EXPECT_NEAR(r, 0.5 * (1.0 + 1.0 / std::log2(3.0)), 0.02);
  EXPECT_TRUE(std::isnan(RandomNdcg({0.0, 0.0}, 10, 5, &rng)));
}

TEST(EvalReportTest, ObjectivesReadThePairedDifferences) {
  nlohmann::json s = Summarize({}, {});
  s["ndcg10_debiased"]["diff_k5"]["mean"] = 0.02;
  s["ndcg10_debiased"]["diff_k10"]["mean"] = 0.04;
  s["ndcg10_long_view"]["diff_k5"]["mean"] = -0.01;
  s["ndcg10_long_view"]["diff_k10"]["mean"] = 0.01;
  s["ndcg10_watch_ratio"]["diff_k5"]["mean"] = 0.0;
  s["ndcg10_watch_ratio"]["diff_k10"]["mean"] = -0.005;
  s["loop"]["deb20"]["diff_feed"]["mean"] = 0.1;
  nlohmann::json report = {{"no_pack", s}};
  std::string err;
  EXPECT_DOUBLE_EQ(Objective(report, "deb_k10", &err), 0.04);
  EXPECT_DOUBLE_EQ(Objective(report, "mean_k5_k10", &err), 0.03);
  EXPECT_NEAR(Objective(report, "combined", &err), 0.03 - 0.01 - 0.005, 1e-12);
  EXPECT_NEAR(Objective(report, "deb_k10+0.5*loop_deb20", &err), 0.09, 1e-12);
  EXPECT_TRUE(err.empty()) << err;
  EXPECT_TRUE(std::isnan(Objective(report, "pack.deb_k10", &err)));
  EXPECT_NE(err.find("pack"), std::string::npos);
  err.clear();
  EXPECT_TRUE(std::isnan(Objective(report, "deb_k7", &err)));
  EXPECT_NE(err.find("unknown metric"), std::string::npos);
}

}  // namespace
}  // namespace eval
}  // namespace reelrank
