#include "reelrank/ftrl.h"

#include <gtest/gtest.h>

#include <cmath>

namespace reelrank {
namespace {

TEST(FtrlTest, StartsAtZeroAndMovesAgainstTheGradient) {
  const FtrlParams p{0.5, 1.0, 0.0, 1.0};
  FtrlCoord c;
  EXPECT_EQ(FtrlWeight(c, p), 0.0);
  double prev = 0.0;
  for (int i = 0; i < 20; ++i) {
    FtrlUpdate(-0.5, p, &c);  // loss decreases as the weight grows
    const double w = FtrlWeight(c, p);
    EXPECT_GT(w, prev);
    prev = w;
  }
}

TEST(FtrlTest, PerCoordinateRateShrinksWithEvidence) {
  const FtrlParams p{0.5, 1.0, 0.0, 0.0};
  FtrlCoord c;
  FtrlUpdate(-1.0, p, &c);
  const double first = FtrlWeight(c, p);
  FtrlCoord d = c;
  for (int i = 0; i < 50; ++i) FtrlUpdate(-1.0, p, &d);
  const double before = FtrlWeight(d, p);
  FtrlUpdate(-1.0, p, &d);
  EXPECT_LT(FtrlWeight(d, p) - before, first);
}

TEST(FtrlTest, L1KeepsWeakCoordinatesAtZeroAndL2Shrinks) {
  FtrlCoord c;
  FtrlUpdate(-0.3, FtrlParams{0.5, 1.0, 1.0, 0.0}, &c);
  EXPECT_EQ(FtrlWeight(c, FtrlParams{0.5, 1.0, 1.0, 0.0}), 0.0);
  FtrlCoord a, b;
  FtrlUpdate(-1.0, FtrlParams{0.5, 1.0, 0.0, 0.0}, &a);
  FtrlUpdate(-1.0, FtrlParams{0.5, 1.0, 0.0, 10.0}, &b);
  EXPECT_LT(FtrlWeight(b, FtrlParams{0.5, 1.0, 0.0, 10.0}),
            FtrlWeight(a, FtrlParams{0.5, 1.0, 0.0, 0.0}));
}

TEST(FtrlTest, LearnsALogisticRate) {
  // One coordinate, label 1 with probability 0.8: the weight approaches
  // logit(0.8) ~ 1.386.
  const FtrlParams p{0.5, 1.0, 0.0, 0.0};
  FtrlCoord c;
  for (int i = 0; i < 4000; ++i) {
    const double w = FtrlWeight(c, p);
    const double pred = 1.0 / (1.0 + std::exp(-w));
    const double y = (i % 5) != 0 ? 1.0 : 0.0;
    FtrlUpdate(pred - y, p, &c);
  }
  EXPECT_NEAR(FtrlWeight(c, p), std::log(4.0), 0.25);
}

}  // namespace
}  // namespace reelrank
