// Input limits (reelrank/limits.h): every string and list a caller passes in
// has a byte / count limit, checked where it enters the core and rejected
// with a field-named reason; photo posts (duration 0); the event clock bound.
#include "reelrank/limits.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "reelrank/prepared_batch.h"
#include "reelrank/profile.h"
#include "reelrank/ranker.h"
#include "simulator.h"

namespace reelrank {
namespace {

using sim::Catalog;
using sim::Session;

struct FieldCase {
  const char* field;  // after "candidates[i]."
  size_t limit;
  // Sets the field of `c` to a value of `bytes` bytes.
  std::function<void(Candidate* c, size_t bytes)> set;
};

std::vector<FieldCase> FieldCases() {
  auto text = [](size_t n) { return std::string(n, 'a'); };
  return {
      {"id", Limits::kIdBytes,
       [=](Candidate* c, size_t n) { c->id = text(n); }},
      {"author", Limits::kAuthorBytes,
       [=](Candidate* c, size_t n) { c->author = text(n); }},
      {"tags[1]", Limits::kTagBytes,
       [=](Candidate* c, size_t n) {
         c->tags = {"ok", text(n)};
       }},
      {"category", Limits::kCategoryBytes,
       [=](Candidate* c, size_t n) { c->category = text(n); }},
      {"sound", Limits::kSoundBytes,
       [=](Candidate* c, size_t n) { c->sound = text(n); }},
      {"caption", Limits::kCaptionBytes,
       [=](Candidate* c, size_t n) { c->caption = text(n); }},
      {"region", Limits::kRegionBytes,
       [=](Candidate* c, size_t n) { c->region = text(n); }},
      {"safety[0].name", Limits::kSafetyLabelBytes,
       [=](Candidate* c, size_t n) {
         c->safety = {{text(n), 0.5f}};
       }},
  };
}

TEST(LimitsTest, EveryCandidateStringHasAByteLimitNamedInTheRejection) {
  Catalog cat = sim::MakeCatalog(4, 1, 3);
  for (const FieldCase& fc : FieldCases()) {
    Candidate at = cat.items[1];
    fc.set(&at, fc.limit);
    EXPECT_TRUE(ValidateCandidate(at, sim::kDim, "candidates[1]").ok())
        << fc.field << " at its limit";
    Candidate over = cat.items[1];
    fc.set(&over, fc.limit + 1);
    const Status s = ValidateCandidate(over, sim::kDim, "candidates[1]");
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << fc.field;
    EXPECT_EQ(s.message(), std::string("candidates[1].") + fc.field + ": " +
                               std::to_string(fc.limit + 1) + " bytes, limit " +
                               std::to_string(fc.limit));
  }
}

TEST(LimitsTest, TagAndSafetyLabelCountsAreLimited) {
  Catalog cat = sim::MakeCatalog(4, 1, 3);
  Candidate c = cat.items[0];
  c.tags.assign(Limits::kTags, "t");
  EXPECT_TRUE(ValidateCandidate(c, sim::kDim, "candidates[0]").ok());
  c.tags.push_back("t");
  EXPECT_EQ(ValidateCandidate(c, sim::kDim, "candidates[0]").message(),
            "candidates[0].tags: " + std::to_string(Limits::kTags + 1) +
                " entries, limit " + std::to_string(Limits::kTags));
  c = cat.items[0];
  c.safety.assign(Limits::kSafetyLabels, SafetyLabel{"x", 0.1f});
  EXPECT_TRUE(ValidateCandidate(c, sim::kDim, "candidates[0]").ok());
  c.safety.push_back({"x", 0.1f});
  EXPECT_EQ(ValidateCandidate(c, sim::kDim, "candidates[0]")
                .message()
                .rfind("candidates[0].safety: ", 0),
            0u);
}

// A 20 MB caption is refused by its size (not scanned, not copied into the
// message) and the rest of the batch is ranked.
TEST(LimitsTest, HugeCaptionIsRejectedAndTheRestRanked) {
  Catalog cat = sim::MakeCatalog(5, 2, 5);
  std::vector<Candidate> cs = cat.items;
  cs[3].caption.assign(20971520, 'x');
  Ranker ranker(sim::SimConfig());
  const RankResult r = ranker.Rank(cs, Context{});
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].index, 3);
  EXPECT_EQ(r.rejected[0].status.message(),
            "candidates[3].caption: 20971520 bytes, limit 16384");
  EXPECT_EQ(r.ranked.size() + r.dropped.size(), cs.size() - 1);
  for (const auto& s : r.ranked) EXPECT_NE(s.index, 3);
  // The same through a prepared batch.
  const PreparedBatch b = ranker.Prepare(cs);
  ASSERT_EQ(b.rejected().size(), 1u);
  EXPECT_EQ(b.rejected()[0].status.message(), r.rejected[0].status.message());
}

TEST(LimitsTest, MaturityOutOfRangeIsRejected) {
  Catalog cat = sim::MakeCatalog(4, 1, 3);
  // What a binding that packs maturity as int32 passes for 2**32 + 2 (2),
  // for -1, and for 3 / 1 << 30.
  for (int m : {-1, 3, 1 << 30}) {
    Candidate c = cat.items[0];
    c.maturity = static_cast<Maturity>(m);
    const Status s = ValidateCandidate(c, sim::kDim, "candidates[0]");
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << m;
    EXPECT_EQ(s.message().rfind("candidates[0].maturity: ", 0), 0u)
        << s.message();
  }
}

TEST(LimitsTest, EventAndLookupIdsAreLimited) {
  Catalog cat = sim::MakeCatalog(6, 1, 4);
  Ranker ranker(sim::SimConfig());
  Session s(1);
  ranker.Rank(cat.items, s.Ctx());
  const std::string before = ranker.ExportProfile();
  Event e = s.Make(cat.items[0].id, EventKind::kImpression);
  e.event_id.assign(1 << 20, 'e');
  Status st = ranker.Observe(e);
  EXPECT_EQ(st.message(), "event.event_id: 1048576 bytes, limit 256");
  e = s.Make(std::string(Limits::kIdBytes + 1, 'i'), EventKind::kImpression);
  st = ranker.Observe(e);
  EXPECT_EQ(st.message(), "event.item_id: 257 bytes, limit 256");
  EXPECT_EQ(ranker.ExportProfile(), before);
  e = s.Make(cat.items[0].id, EventKind::kImpression);
  e.event_id.assign(Limits::kIdBytes, 'e');
  EXPECT_TRUE(ranker.Observe(e).ok());
  EXPECT_EQ(ranker.Forget(std::string(1 << 20, 'f')).message(),
            "forget.event_id: 1048576 bytes, limit 256");
  EXPECT_EQ(ranker.Explain(std::string(1 << 20, 'x')).status().message(),
            "explain.id: 1048576 bytes, limit 256");
}

// ---- Photo posts (duration 0) -------------------------------------------

TEST(PhotoPostTest, DurationZeroIsACandidateThatRanksLearnsAndRoundTrips) {
  Catalog cat = sim::MakeCatalog(7, 2, 5);
  std::vector<Candidate> cs = cat.items;
  cs[2].duration_ms = 0;
  cs[5].duration_ms = 0;
  cs[6].duration_ms = -1;
  cs[7].duration_ms = Limits::kDurationMs + 1;
  Ranker ranker(sim::SimConfig());
  Session s(3);
  RankResult r = ranker.Rank(cs, s.Ctx());
  ASSERT_EQ(r.rejected.size(), 2u);
  EXPECT_EQ(r.rejected[0].index, 6);
  EXPECT_EQ(
      r.rejected[0].status.message().rfind("candidates[6].duration_ms", 0), 0u);
  EXPECT_EQ(r.rejected[1].index, 7);
  bool photo_ranked = false;
  for (const auto& sc : r.ranked) {
    EXPECT_TRUE(std::isfinite(sc.value));
    for (float h : sc.heads) EXPECT_TRUE(std::isfinite(h));
    photo_ranked |= sc.index == 2;
  }
  EXPECT_TRUE(photo_ranked);
  // A whole view of the photo post: impression, dwell, like, swipe.
  const std::string id = cs[2].id;
  for (const Event& e :
       {s.Make(id, EventKind::kImpression),
        s.Make(id, EventKind::kProgress, 4000),
        s.Make(id, EventKind::kComplete), s.Make(id, EventKind::kReplay),
        s.Make(id, EventKind::kLike),
        s.Make(id, EventKind::kSwipeAway, 6000, 1.0f),
        s.Make(cs[5].id, EventKind::kImpression)}) {
    ASSERT_TRUE(ranker.Observe(e).ok()) << e.event_id;
  }
  r = ranker.Rank(cs, s.Ctx());
  for (const auto& sc : r.ranked) EXPECT_TRUE(std::isfinite(sc.value));
  // No duration feature for a photo post.
  for (const Interest& in : ranker.TopInterests(100)) {
    EXPECT_TRUE(std::isfinite(in.weight)) << in.name;
  }
  const Result<Explanation> ex = ranker.Explain(id);
  ASSERT_TRUE(ex.ok()) << ex.status().ToString();
  for (const auto& reason : ex.value().reasons) {
    EXPECT_EQ(reason.text.find("length"), std::string::npos) << reason.text;
  }
  // The profile (its log holds the photo post and its open view) round-trips.
  const std::string saved = ranker.ExportProfile();
  Ranker other(sim::SimConfig());
  const Status st = other.ImportProfile(saved);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(other.ExportProfile(), saved);
}

// A photo post's duration features are its own bucket "p", never a video
// bucket.
TEST(PhotoPostTest, SnapshotOfAPhotoPostHasItsOwnDurationBucket) {
  Catalog cat = sim::MakeCatalog(7, 1, 2);
  Candidate c = cat.items[0];
  ItemSnapshot video, photo;
  BuildItemSnapshot(c, 12, &video);
  c.duration_ms = 0;
  BuildItemSnapshot(c, 12, &photo);
  auto count = [](const ItemSnapshot& s, FeatureKind kind) {
    int n = 0;
    for (const ItemFeature& f : s.features) n += f.kind == kind;
    return n;
  };
  EXPECT_EQ(count(video, FeatureKind::kDuration), 1);
  EXPECT_EQ(count(video, FeatureKind::kCatDur), 1);
  EXPECT_EQ(count(photo, FeatureKind::kDuration), 1);
  EXPECT_EQ(count(photo, FeatureKind::kCatDur), 1);
  EXPECT_EQ(count(photo, FeatureKind::kCatHour), 1);
  EXPECT_EQ(photo.features.size(), video.features.size());
  for (const ItemFeature& f : photo.features) {
    if (f.kind == FeatureKind::kDuration) EXPECT_EQ(photo.name(f), "dur:p");
  }
}

// ---- The event clock ----------------------------------------------------

// Plays `views` views of the loved topic and returns the clock after them.
void Learn(Ranker* ranker, const Catalog& cat, Session* s, int views) {
  sim::User u;
  u.loved_topic = 1;
  for (int v = 0; v < views; ++v) {
    const int i = v % static_cast<int>(cat.items.size());
    ranker->Rank(cat.items, s->Ctx());
    for (const Event& e :
         s->View(u, cat.items[i], cat.topic[i], cat.creator[i])) {
      ASSERT_TRUE(ranker->Observe(e).ok()) << e.event_id;
    }
  }
}

TEST(EventClockTest, OneFarFutureEventIsRejectedAndTheProfileKeepsItsFeatures) {
  Catalog cat = sim::MakeCatalog(8, 3, 6);
  Ranker ranker(sim::SimConfig());
  Session s(5);
  Learn(&ranker, cat, &s, 40);
  ranker.Rank(cat.items, s.Ctx());  // the clock: s.now_ms()
  const std::string before = ranker.ExportProfile();
  const size_t interests = ranker.TopInterests(50).size();
  ASSERT_GT(interests, 0u);
  for (int64_t ts :
       std::vector<int64_t>{1000000000000000, s.now_ms() + 2 * 86400000LL,
                            s.now_ms() + Limits::kEventLeadMs + 1}) {
    Event e = s.Make(cat.items[0].id, EventKind::kLike);
    e.timestamp_ms = ts;
    const Status st = ranker.Observe(e);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << ts;
    EXPECT_EQ(st.message().rfind("event.timestamp_ms: ", 0), 0u)
        << st.message();
  }
  EXPECT_EQ(ranker.ExportProfile(), before);
  EXPECT_EQ(ranker.TopInterests(50).size(), interests);
  // Up to one day ahead is accepted; late events (behind the clock) too.
  Event e = s.Make(cat.items[0].id, EventKind::kLike);
  e.timestamp_ms = s.now_ms() + Limits::kEventLeadMs;
  EXPECT_TRUE(ranker.Observe(e).ok());
  e = s.Make(cat.items[0].id, EventKind::kUnlike);
  e.timestamp_ms = s.now_ms() - 30LL * 86400000;
  EXPECT_TRUE(ranker.Observe(e).ok());
}

// A user who comes back after two weeks: the app ranks at the new time
// first, so the new events are within a day of the ranker's clock.
TEST(EventClockTest, RankAtTheNewTimeMovesTheClockForAReturningUser) {
  Catalog cat = sim::MakeCatalog(8, 3, 6);
  Ranker ranker(sim::SimConfig());
  Session s(5);
  Learn(&ranker, cat, &s, 10);
  const int64_t later = s.now_ms() + 14LL * 86400000;
  Event e = s.Make(cat.items[1].id, EventKind::kImpression);
  e.timestamp_ms = later;
  EXPECT_EQ(ranker.Observe(e).code(), StatusCode::kInvalidArgument);
  Context ctx = s.Ctx();
  ctx.now_ms = later;
  ranker.Rank(cat.items, ctx);
  EXPECT_TRUE(ranker.Observe(e).ok());
  // A fresh ranker: the clock of its first Rank bounds its first event.
  Ranker fresh(sim::SimConfig());
  fresh.Rank(cat.items, s.Ctx());
  e = s.Make(cat.items[1].id, EventKind::kImpression);
  e.timestamp_ms = 1000000000000000LL;
  EXPECT_EQ(fresh.Observe(e).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(fresh.Stats().events, 0);
}

// A fresh ranker whose first event comes before any Rank (an item registered
// and acted on at once): SetClock, called by the embedder at start with the
// device clock, bounds that event too.
TEST(EventClockTest, SetClockBoundsTheFirstEventOfAFreshRanker) {
  Catalog cat = sim::MakeCatalog(8, 3, 6);
  Session s(5);
  for (bool set_clock : {false, true}) {
    Ranker fresh(sim::SimConfig());
    const PreparedBatch batch = fresh.Prepare(cat.items);
    if (set_clock) fresh.SetClock(s.now_ms());
    fresh.Register(batch);
    Event e = s.Make(cat.items[1].id, EventKind::kImpression);
    e.timestamp_ms = 1000000000000000LL;
    const Status st = fresh.Observe(e);
    if (set_clock) {
      EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.message();
      EXPECT_EQ(fresh.Stats().events, 0);
      e.timestamp_ms = s.now_ms() + Limits::kEventLeadMs;
      EXPECT_TRUE(fresh.Observe(e).ok());
    } else {
      EXPECT_TRUE(st.ok()) << "without a clock the first event is unbounded";
    }
  }
}

}  // namespace
}  // namespace reelrank
