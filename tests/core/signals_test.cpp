#include "reelrank/signals.h"

#include <gtest/gtest.h>

namespace reelrank {
namespace {

Event Ev(EventKind kind, int64_t dwell = 0, float velocity = 0.0f) {
  Event e;
  e.kind = kind;
  e.dwell_ms = dwell;
  e.velocity = velocity;
  return e;
}

ViewState View(int64_t duration_ms) {
  ViewState v;
  v.duration_ms = duration_ms;
  return v;
}

TEST(SignalsTest, FastSwipeIsGradedByDwellAndVelocity) {
  const SignalConfig c;
  EXPECT_DOUBLE_EQ(FastSwipeStrength(0, 10.0, c), 1.0);
  EXPECT_DOUBLE_EQ(FastSwipeStrength(0, 0.0, c), 1.0 - c.velocity_share);
  EXPECT_DOUBLE_EQ(FastSwipeStrength(c.fast_swipe_ms, 10.0, c), 0.0);
  double prev = 2.0;
  for (int64_t d = 0; d <= c.fast_swipe_ms; d += 250) {
    const double s = FastSwipeStrength(d, 1.5, c);
    EXPECT_LT(s, prev);
    prev = s;
  }
  EXPECT_LT(FastSwipeStrength(500, 0.5, c), FastSwipeStrength(500, 1.5, c));
}

TEST(SignalsTest, InstantSwipeIsNegativeNotContinue) {
  ViewState v = View(20000);
  AccumulateEvent(Ev(EventKind::kSwipeAway, 200, 3.0f), &v);
  const Labels l = ComputeLabels(v, SignalConfig{});
  EXPECT_LT(l[Head::kContinue], 0.2);
  EXPECT_GT(l[Head::kNegative], 0.4);
  EXPECT_LT(l[Head::kWatchRatio], 0.01);
  EXPECT_EQ(l[Head::kFinish], 0.0);
}

TEST(SignalsTest, WatchRatioCountsReplaysAndIsCapped) {
  const SignalConfig c;
  ViewState v = View(10000);
  AccumulateEvent(Ev(EventKind::kProgress, 5000), &v);
  EXPECT_DOUBLE_EQ(WatchRatio(v), 0.5);
  EXPECT_DOUBLE_EQ(ComputeLabels(v, c)[Head::kWatchRatio], 0.25);
  AccumulateEvent(Ev(EventKind::kComplete), &v);
  AccumulateEvent(Ev(EventKind::kReplay), &v);
  EXPECT_DOUBLE_EQ(WatchRatio(v), 2.0);
  AccumulateEvent(Ev(EventKind::kReplay), &v);
  EXPECT_DOUBLE_EQ(WatchRatio(v), 3.0);
  const Labels l = ComputeLabels(v, c);
  EXPECT_DOUBLE_EQ(l[Head::kWatchRatio], 1.0);  // capped at 2 -> 1
  EXPECT_EQ(l[Head::kFinish], 1.0);
  EXPECT_EQ(l[Head::kContinue], 1.0);
  EXPECT_EQ(l[Head::kNegative], 0.0);
}

TEST(SignalsTest, EngagementsAndExplicitNegatives) {
  const SignalConfig c;
  ViewState v = View(10000);
  AccumulateEvent(Ev(EventKind::kLike), &v);
  AccumulateEvent(Ev(EventKind::kShare), &v);
  Labels l = ComputeLabels(v, c);
  EXPECT_EQ(l[Head::kLike], 1.0);
  EXPECT_EQ(l[Head::kShare], 1.0);
  EXPECT_EQ(l[Head::kFollow], 0.0);
  AccumulateEvent(Ev(EventKind::kUnlike), &v);
  EXPECT_EQ(ComputeLabels(v, c)[Head::kLike], 0.0);
  ViewState n = View(10000);
  AccumulateEvent(Ev(EventKind::kProgress, 9000), &n);
  AccumulateEvent(Ev(EventKind::kNotInterested), &n);
  l = ComputeLabels(n, c);
  EXPECT_EQ(l[Head::kNegative], 1.0);
  EXPECT_EQ(l[Head::kContinue], 0.0);
}

TEST(SignalsTest, ThresholdsAreConfigurable) {
  SignalConfig c;
  c.fast_swipe_ms = 500;
  EXPECT_DOUBLE_EQ(FastSwipeStrength(600, 5.0, c), 0.0);
  c.velocity_share = 2.0;
  EXPECT_FALSE(ValidateSignalConfig(c).ok());
  EXPECT_EQ(ValidateSignalConfig(c).message().rfind(
                "config.signals.velocity_share", 0),
            0u);
}

TEST(SignalsTest, EventKindNamesRoundTrip) {
  for (int k = 0; k < kNumEventKinds; ++k) {
    const EventKind kind = static_cast<EventKind>(k);
    Result<EventKind> r = ParseEventKind(EventKindName(kind), "event.kind");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), kind);
  }
  Result<EventKind> bad = ParseEventKind("teleport", "events[3].kind");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "events[3].kind: unknown event kind 'teleport'");
  for (int h = 0; h < kNumHeads; ++h) {
    EXPECT_EQ(ParseHead(HeadName(static_cast<Head>(h)), "x").value(),
              static_cast<Head>(h));
  }
}

// A photo post (duration 0): its dwell counts against a nominal duration,
// and only an explicit complete finishes it.
TEST(SignalsTest, PhotoPostsLearnFromDwell) {
  ViewState v;
  v.duration_ms = 0;
  v.max_dwell_ms = kPhotoNominalMs / 2;
  EXPECT_DOUBLE_EQ(WatchRatio(v), 0.5);
  SignalConfig c;
  Labels l = ComputeLabels(v, c);
  EXPECT_DOUBLE_EQ(l[Head::kWatchRatio], 0.5 / c.watch_ratio_cap);
  EXPECT_EQ(l[Head::kFinish], 0.0);
  v.max_dwell_ms = kPhotoNominalMs * 3;  // long look, still not "finished"
  EXPECT_EQ(ComputeLabels(v, c)[Head::kFinish], 0.0);
  v.completes = 1;
  EXPECT_EQ(ComputeLabels(v, c)[Head::kFinish], 1.0);
}

}  // namespace
}  // namespace reelrank
