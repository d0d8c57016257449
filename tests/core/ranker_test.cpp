// The Ranker facade: server order, determinism, save/load/continue, forget,
// bad input and corrupt profiles.
#include "reelrank/ranker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "reelrank/prepared_batch.h"
#include "simulator.h"

namespace reelrank {
namespace {

using sim::Catalog;
using sim::Session;
using sim::User;

// Bitwise comparison of two rankings.
void ExpectSameRanking(const RankResult& a, const RankResult& b) {
  ASSERT_EQ(a.ranked.size(), b.ranked.size());
  for (size_t i = 0; i < a.ranked.size(); ++i) {
    EXPECT_EQ(a.ranked[i].index, b.ranked[i].index) << i;
    EXPECT_EQ(
        std::memcmp(&a.ranked[i].value, &b.ranked[i].value, sizeof(double)), 0)
        << i;
    EXPECT_EQ(std::memcmp(a.ranked[i].heads.data(), b.ranked[i].heads.data(),
                          sizeof(float) * kNumHeads),
              0)
        << i;
  }
  ASSERT_EQ(a.rejected.size(), b.rejected.size());
}

// Plays `views` feed views of user `u`.
void Play(Ranker* r, const Catalog& cat, const User& u, Session* s, int views) {
  for (int v = 0; v < views; ++v) {
    const int i = sim::NextUnseen(r->Rank(cat.items, s->Ctx()));
    for (const Event& e :
         s->View(u, cat.items[i], cat.topic[i], cat.creator[i])) {
      ASSERT_TRUE(r->Observe(e).ok()) << e.event_id;
    }
  }
}

User TestUser() {
  User u;
  u.loved_topic = 2;
  u.hated_topics = {5};
  u.disliked_creator = 7;
  return u;
}

TEST(RankerTest, EmptyProfileReproducesServerOrder) {
  Catalog cat = sim::MakeCatalog(3);
  Ranker ranker(sim::SimConfig());
  const RankResult r = ranker.Rank(cat.items, Context{});
  ASSERT_EQ(r.ranked.size(), cat.items.size());
  for (size_t i = 1; i < r.ranked.size(); ++i) {
    EXPECT_GE(cat.items[r.ranked[i - 1].index].server_score,
              cat.items[r.ranked[i].index].server_score);
    EXPECT_GT(r.ranked[i - 1].value, r.ranked[i].value);
  }
  // Also under a model pack with other dense weights (no sparse ones).
  ASSERT_TRUE(
      ranker
          .LoadModelPack(R"({"format": "reelrank-model-pack", "version": 1,
                     "heads": {"like": {"bias": -1, "prior": 2.5},
                               "negative": {"bias": -1, "prior": -0.5}}})")
          .ok());
  const RankResult r2 = ranker.Rank(cat.items, Context{});
  for (size_t i = 1; i < r2.ranked.size(); ++i) {
    EXPECT_GE(cat.items[r2.ranked[i - 1].index].server_score,
              cat.items[r2.ranked[i].index].server_score);
  }
}

TEST(RankerTest, ExposesHeadsAndContributions) {
  Catalog cat = sim::MakeCatalog(4);
  Ranker ranker(sim::SimConfig());
  Session s(4);
  Play(&ranker, cat, TestUser(), &s, 15);
  const RankResult r = ranker.Rank(cat.items, s.Ctx());
  for (const ScoredCandidate& c : r.ranked) {
    for (float p : c.heads) {
      EXPECT_GE(p, 0.0f);
      EXPECT_LE(p, 1.0f);
    }
    ASSERT_GT(c.num_contributions, 0);
    for (int k = 1; k < c.num_contributions; ++k) {
      EXPECT_GE(std::fabs(c.contributions[k - 1].value),
                std::fabs(c.contributions[k].value));
    }
  }
  RankerConfig quiet = sim::SimConfig();
  quiet.explain = false;
  Ranker q(quiet);
  EXPECT_EQ(q.Rank(cat.items, s.Ctx()).ranked[0].num_contributions, 0);
  EXPECT_STREQ(ContributionKindName(ContributionKind::kInterestSession),
               "interest_session");
}

TEST(RankerTest, SameSeedSameInputsBitIdentical) {
  Catalog cat = sim::MakeCatalog(5);
  Ranker a(sim::SimConfig()), b(sim::SimConfig());
  Session sa(9), sb(9);
  Play(&a, cat, TestUser(), &sa, 40);
  Play(&b, cat, TestUser(), &sb, 40);
  ExpectSameRanking(a.Rank(cat.items, sa.Ctx()), b.Rank(cat.items, sb.Ctx()));
  EXPECT_EQ(a.ExportProfile(), b.ExportProfile());
}

TEST(RankerTest, SaveLoadContinueIsBitIdenticalToUninterrupted) {
  RankerConfig c = sim::SimConfig();
  c.profile.max_event_log = 24;  // the checkpoint must fold events too
  Catalog cat = sim::MakeCatalog(6);
  const User u = TestUser();
  Ranker whole(c);
  Session s1(11);
  Play(&whole, cat, u, &s1, 60);

  Ranker first(c);
  Session s2(11);
  Play(&first, cat, u, &s2, 30);
  const std::string saved = first.ExportProfile();
  Ranker resumed(c);
  ASSERT_TRUE(resumed.ImportProfile(saved).ok());
  EXPECT_EQ(resumed.ExportProfile(), saved);
  Play(&resumed, cat, u, &s2, 30);

  EXPECT_EQ(resumed.ExportProfile(), whole.ExportProfile());
  ExpectSameRanking(resumed.Rank(cat.items, s2.Ctx()),
                    whole.Rank(cat.items, s1.Ctx()));
}

// A fixed event script over the catalog (not feed-driven), so two rankers can
// see it with and without one event.
std::vector<Event> Script(const Catalog& cat, Session* s, int views) {
  std::vector<Event> out;
  const User u = TestUser();
  for (int v = 0; v < views; ++v) {
    const int i = (v * 37) % static_cast<int>(cat.items.size());
    for (Event& e : s->View(u, cat.items[i], cat.topic[i], cat.creator[i]))
      out.push_back(e);
  }
  return out;
}

TEST(RankerTest, ForgetEqualsNeverHavingSeenTheEvent) {
  Catalog cat = sim::MakeCatalog(7);
  Session s(3);
  const std::vector<Event> events = Script(cat, &s, 30);
  ASSERT_LT(events.size(), 256u);  // within the default log: exports comparable
  for (size_t skip : {size_t{0}, events.size() / 2, events.size() - 1}) {
    Ranker a(sim::SimConfig()), b(sim::SimConfig());
    a.Rank(cat.items, s.Ctx());
    b.Rank(cat.items, s.Ctx());
    for (size_t k = 0; k < events.size(); ++k) {
      ASSERT_TRUE(a.Observe(events[k]).ok());
      if (k != skip) ASSERT_TRUE(b.Observe(events[k]).ok());
    }
    ASSERT_NE(a.ExportProfile(), b.ExportProfile());
    ASSERT_TRUE(a.Forget(events[skip].event_id).ok());
    EXPECT_EQ(a.ExportProfile(), b.ExportProfile()) << "skip " << skip;
    ExpectSameRanking(a.Rank(cat.items, s.Ctx()), b.Rank(cat.items, s.Ctx()));
  }
}

TEST(RankerTest, ForgetAfterTheLogOverflowedAndTooOldEvents) {
  RankerConfig c = sim::SimConfig();
  c.profile.max_event_log = 20;
  Catalog cat = sim::MakeCatalog(8);
  Session s(4);
  const std::vector<Event> events = Script(cat, &s, 40);
  const size_t skip = events.size() - 5;
  Ranker a(c), b(c);
  a.Rank(cat.items, s.Ctx());
  b.Rank(cat.items, s.Ctx());
  for (size_t k = 0; k < events.size(); ++k) {
    ASSERT_TRUE(a.Observe(events[k]).ok());
    if (k != skip) ASSERT_TRUE(b.Observe(events[k]).ok());
  }
  ASSERT_TRUE(a.Forget(events[skip].event_id).ok());
  ExpectSameRanking(a.Rank(cat.items, s.Ctx()), b.Rank(cat.items, s.Ctx()));
  const Status old = a.Forget(events[0].event_id);
  EXPECT_EQ(old.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(old.message().find("older than the log"), std::string::npos)
      << old.message();
  Ranker fresh(c);
  EXPECT_EQ(fresh.Forget("nope").code(), StatusCode::kNotFound);
}

TEST(RankerTest, BadCandidatesAreRejectedWithFieldAndTheRestRanked) {
  Catalog cat = sim::MakeCatalog(9, 2, 5);
  std::vector<Candidate> cs = cat.items;  // 10 items
  cs[1].embedding[3] = std::numeric_limits<float>::quiet_NaN();
  cs[2].embedding[0] = std::numeric_limits<float>::infinity();
  cs[3].embedding.resize(5);
  cs[4].id = "";
  cs[5].id = cs[0].id;  // duplicate
  cs[6].duration_ms = -5;
  Ranker ranker(sim::SimConfig());
  const std::string before = ranker.ExportProfile();
  const RankResult r = ranker.Rank(cs, Context{});
  EXPECT_EQ(r.ranked.size(), 4u);
  ASSERT_EQ(r.rejected.size(), 6u);
  const char* fields[] = {
      "candidates[1].embedding[3]", "candidates[2].embedding[0]",
      "candidates[3].embedding",    "candidates[4].id",
      "candidates[5].id",           "candidates[6].duration_ms"};
  for (int k = 0; k < 6; ++k) {
    EXPECT_EQ(r.rejected[k].index, k + 1);
    EXPECT_EQ(r.rejected[k].status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.rejected[k].status.message().rfind(fields[k], 0), 0u)
        << r.rejected[k].status.message();
  }
  EXPECT_NE(r.rejected[4].status.message().find("duplicate"),
            std::string::npos);
  EXPECT_EQ(ranker.ExportProfile(), before);
  // A rejected candidate is not known: events for it are not found.
  Session s(1, 0);  // the clock of Context{} (now_ms 0)
  EXPECT_EQ(
      ranker
          .Observe(s.Make(cs[4].id.empty() ? "x" : cs[4].id, EventKind::kLike))
          .code(),
      StatusCode::kNotFound);
}

TEST(RankerTest, BadEventsAreRejectedAndLeaveTheProfileUntouched) {
  Catalog cat = sim::MakeCatalog(10, 2, 5);
  Ranker ranker(sim::SimConfig());
  Session s(2);
  ranker.Rank(cat.items, s.Ctx());
  ASSERT_TRUE(
      ranker.Observe(s.Make(cat.items[0].id, EventKind::kImpression)).ok());
  const std::string before = ranker.ExportProfile();
  struct Case {
    Event e;
    StatusCode code;
    const char* field;
  };
  std::vector<Case> cases;
  Event e = s.Make(cat.items[0].id, EventKind::kLike);
  e.kind = static_cast<EventKind>(42);
  cases.push_back({e, StatusCode::kInvalidArgument, "event.kind"});
  e = s.Make("no-such-item", EventKind::kLike);
  cases.push_back({e, StatusCode::kNotFound, "event.item_id"});
  e = s.Make(cat.items[0].id, EventKind::kProgress, -10);
  cases.push_back({e, StatusCode::kInvalidArgument, "event.dwell_ms"});
  e = s.Make(cat.items[0].id, EventKind::kSwipeAway, 10, std::nanf(""));
  cases.push_back({e, StatusCode::kInvalidArgument, "event.velocity"});
  e = s.Make(cat.items[0].id, EventKind::kLike);
  e.event_id = "";
  cases.push_back({e, StatusCode::kInvalidArgument, "event.event_id"});
  e = s.Make(cat.items[0].id, EventKind::kLike);
  e.event_id = "e0";  // the impression's id
  cases.push_back({e, StatusCode::kInvalidArgument, "event.event_id"});
  e = s.Make("", EventKind::kLike);
  cases.push_back({e, StatusCode::kInvalidArgument, "event.item_id"});
  for (const Case& c : cases) {
    const Status st = ranker.Observe(c.e);
    EXPECT_EQ(st.code(), c.code) << st.ToString();
    EXPECT_EQ(st.message().rfind(c.field, 0), 0u) << st.message();
  }
  EXPECT_NE(ranker.Observe(cases[1].e).message().find("no-such-item"),
            std::string::npos);
  EXPECT_EQ(ranker.ExportProfile(), before);
  // The rest of the stream is still processed.
  EXPECT_TRUE(ranker.Observe(s.Make(cat.items[0].id, EventKind::kLike)).ok());
  EXPECT_NE(ranker.ExportProfile(), before);
}

TEST(RankerTest, CorruptImportFailsAndLeavesTheProfileUnchanged) {
  Catalog cat = sim::MakeCatalog(11);
  Ranker ranker(sim::SimConfig());
  Session s(5);
  Play(&ranker, cat, TestUser(), &s, 10);
  const std::string good = ranker.ExportProfile();
  Ranker other(sim::SimConfig());
  Session s2(6);
  Play(&other, cat, TestUser(), &s2, 3);
  const std::string mine = other.ExportProfile();

  std::string flipped = good;
  const size_t pos = flipped.find("\"duration_ms\":") + 15;
  flipped[pos] = flipped[pos] == '1' ? '2' : '1';
  std::string version = good;
  version.replace(version.find("\"version\":2"), 11, "\"version\":3");
  std::string dim = sim::SimConfig().embedding_dim == 16 ? good : good;
  RankerConfig c8 = sim::SimConfig();
  c8.embedding_dim = 8;
  Ranker eight(c8);

  struct Case {
    std::string text;
    StatusCode code;
  } cases[] = {
      {flipped, StatusCode::kDataLoss},
      {version, StatusCode::kUnimplemented},
      {good.substr(0, good.size() / 2), StatusCode::kDataLoss},
      {"", StatusCode::kDataLoss},
      {"[1,2]", StatusCode::kDataLoss},
      {R"({"format":"reelrank-profile","version":1})", StatusCode::kDataLoss}};
  for (const Case& c : cases) {
    const Status st = other.ImportProfile(c.text);
    EXPECT_EQ(st.code(), c.code) << st.ToString();
    EXPECT_EQ(other.ExportProfile(), mine);
  }
  EXPECT_EQ(eight.ImportProfile(good).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(other.ImportProfile(good).ok());
  EXPECT_EQ(other.ExportProfile(), good);
}

TEST(RankerTest, PauseResetAndObjectiveWeights) {
  Catalog cat = sim::MakeCatalog(12);
  Ranker ranker(sim::SimConfig());
  Session s(7);
  const RankResult fresh = ranker.Rank(cat.items, s.Ctx());
  const std::string empty = ranker.ExportProfile();
  ranker.PauseLearning(true);
  EXPECT_TRUE(ranker.learning_paused());
  Play(&ranker, cat, TestUser(), &s, 5);
  EXPECT_EQ(ranker.ExportProfile(), empty);
  ranker.PauseLearning(false);
  Play(&ranker, cat, TestUser(), &s, 5);
  EXPECT_NE(ranker.ExportProfile(), empty);
  EXPECT_GT(ranker.Stats().events, 0);
  ranker.Reset();
  EXPECT_EQ(ranker.ExportProfile(), empty);
  ExpectSameRanking(ranker.Rank(cat.items, s.Ctx()), fresh);

  EXPECT_FALSE(Ranker::IsUserAdjustable(Head::kNegative));
  EXPECT_EQ(ranker.SetObjectiveWeight(Head::kContinue, 1.0).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ranker.SetObjectiveWeight(Head::kLike, 9.0).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(ranker.SetObjectiveWeight(Head::kLike, 2.0).ok());
  EXPECT_EQ(ranker.config().objective_weights[HeadIndex(Head::kLike)], 2.0);
  EXPECT_FALSE(
      ranker.SetObjectiveWeights(R"({"share": 1, "negative": 0})").ok());
  EXPECT_EQ(ranker.config().objective_weights[HeadIndex(Head::kShare)], 0.3);
  EXPECT_TRUE(ranker.SetObjectiveWeights(R"({"share": 1, "comment": 0})").ok());
  EXPECT_EQ(ranker.config().objective_weights[HeadIndex(Head::kShare)], 1.0);
}

TEST(RankerTest, TopInterestsNameWhatTheUserDislikes) {
  // Sparse weights are residuals over the interest vectors, so the clearest
  // entries are the negative ones: a blocked creator and a fast-swiped topic.
  Catalog cat = sim::MakeCatalog(13);
  Ranker ranker(sim::SimConfig());
  Session s(8);
  const RankResult r0 = ranker.Rank(cat.items, s.Ctx());
  User u;
  u.hated_topics = {cat.topic[r0.ranked[0].index]};
  u.disliked_creator = cat.creator[r0.ranked[1].index];
  Play(&ranker, cat, u, &s, 12);
  const std::string& blocked = cat.items[r0.ranked[1].index].id;
  ranker.Rank(cat.items, s.Ctx());
  ASSERT_TRUE(ranker.Observe(s.Make(blocked, EventKind::kImpression)).ok());
  ASSERT_TRUE(ranker.Observe(s.Make(blocked, EventKind::kNotInterested)).ok());
  const std::vector<Interest> top = ranker.TopInterests(20);
  ASSERT_FALSE(top.empty());
  bool topic = false, creator = false;
  for (const Interest& i : top) {
    if (i.name == "tag:" + sim::TopicTag(u.hated_topics[0])) {
      topic = true;
      EXPECT_LT(i.weight, 0.0);
    }
    if (i.name == "author:" + sim::CreatorId(u.disliked_creator)) {
      creator = true;
      EXPECT_LT(i.weight, 0.0);
    }
  }
  EXPECT_TRUE(topic);
  EXPECT_TRUE(creator);
  EXPECT_EQ(top[0].name, "author:" + sim::CreatorId(u.disliked_creator));
  EXPECT_LE(ranker.TopInterests(3).size(), 3u);
}

TEST(RankerTest, CreateValidatesTheConfig) {
  RankerConfig bad;
  bad.embedding_dim = 0;
  auto r = Ranker::Create(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("config.embedding_dim", 0), 0u);
  Ranker fallback(bad);
  EXPECT_FALSE(fallback.config_status().ok());
  EXPECT_EQ(fallback.config().embedding_dim, RankerConfig{}.embedding_dim);
  EXPECT_TRUE(Ranker::Create(RankerConfig{}).ok());
}

Event LearningEvent(const std::string& id, const std::string& item, EventKind k,
                    int64_t ts, int64_t dwell = 0) {
  Event e;
  e.event_id = id;
  e.item_id = item;
  e.kind = k;
  e.timestamp_ms = ts;
  e.dwell_ms = dwell;
  return e;
}

// A registered batch's items can be observed before any rank of it.
TEST(RankerTest, RegisteredItemsCanBeObservedBeforeTheyAreRanked) {
  sim::Catalog cat = sim::MakeCatalog(2);
  Ranker r(sim::SimConfig());
  const PreparedBatch batch = r.Prepare(cat.items);
  const std::string& id = cat.items[7].id;
  EXPECT_EQ(r.Observe(LearningEvent("a", id, EventKind::kImpression, 1)).code(),
            StatusCode::kNotFound);
  r.Register(batch);
  EXPECT_TRUE(
      r.Observe(LearningEvent("b", id, EventKind::kImpression, 2)).ok());
  EXPECT_TRUE(
      r.Observe(LearningEvent("c", id, EventKind::kSwipeAway, 900, 898)).ok());
  EXPECT_EQ(r.Stats().views, 1);
  // Ranking afterwards still equals ranking the vector.
  Ranker v(sim::SimConfig());
  v.Rank(cat.items, Context{});
  v.Observe(LearningEvent("b", id, EventKind::kImpression, 2));
  v.Observe(LearningEvent("c", id, EventKind::kSwipeAway, 900, 898));
  const RankResult x = r.Rank(batch, Context{});
  const RankResult y = v.Rank(cat.items, Context{});
  ASSERT_EQ(x.ranked.size(), y.ranked.size());
  for (size_t k = 0; k < x.ranked.size(); ++k) {
    EXPECT_EQ(x.ranked[k].index, y.ranked[k].index);
    EXPECT_EQ(x.ranked[k].value, y.ranked[k].value);
  }
}

// "Not interested" and the swipe that follows it are one view, not two.
TEST(RankerTest, NotInterestedThenSwipeIsOneView) {
  sim::Catalog cat = sim::MakeCatalog(3);
  Ranker r(sim::SimConfig());
  r.Rank(cat.items, Context{});
  const std::string& id = cat.items[0].id;
  ASSERT_TRUE(
      r.Observe(LearningEvent("1", id, EventKind::kImpression, 10)).ok());
  ASSERT_TRUE(
      r.Observe(LearningEvent("2", id, EventKind::kNotInterested, 500)).ok());
  ASSERT_TRUE(
      r.Observe(LearningEvent("3", id, EventKind::kSwipeAway, 600, 590)).ok());
  EXPECT_EQ(r.Stats().views, 1);
  ASSERT_TRUE(r.Observe(LearningEvent("4", cat.items[1].id,
                                      EventKind::kImpression, 700))
                  .ok());
  EXPECT_EQ(r.Stats().views, 1);  // no second, phantom view was opened
}

// Issue 20 #4: an item Next() or Rank() returns can be observed, always
// (the known-items pool once evicted Next's winner while ranking the feed
// pool that holds as many items as it does). 10^4 batches of 20, the pool
// bound lowered to 256 so that eviction starts early and runs all along.
TEST(RankerTest, EveryItemNextOrRankReturnsCanBeObservedOver10kBatches) {
  RankerConfig cfg = sim::SimConfig();
  cfg.profile.max_known_items = 256;
  Ranker r(cfg);
  int64_t t = 1700000000000;
  int lost = 0;
  for (int b = 0; b < 10000; ++b) {
    std::vector<Candidate> batch(20);
    for (int i = 0; i < 20; ++i) {
      Candidate& c = batch[i];
      c.id = "b" + std::to_string(b) + "-" + std::to_string(i);
      c.author = "a" + std::to_string((b * 7 + i) % 50);
      c.tags = {"t" + std::to_string(i % 7)};
      c.category = "c" + std::to_string(i % 5);
      c.duration_ms = 15000;
      c.server_score = 0.3 + 0.02 * i;
      c.embedding.assign(cfg.embedding_dim, 0.01f * (i % 9));
    }
    Context ctx;
    ctx.now_ms = t;
    ctx.hour_of_day = (b / 40) % 24;
    const RankResult ranked = r.Rank(batch, ctx);
    ASSERT_FALSE(ranked.ranked.empty());
    const std::string& top = batch[ranked.ranked[b % 3].index].id;
    const std::string e = std::to_string(b);
    if (!r.Observe(LearningEvent("r" + e, top, EventKind::kImpression, t)).ok())
      ++lost;
    const NextItem next = r.Next(ctx);
    ASSERT_TRUE(next.found) << b;
    const Status st =
        r.Observe(LearningEvent("n" + e, next.id, EventKind::kImpression, t));
    if (!st.ok()) {
      ++lost;
      ADD_FAILURE() << "batch " << b << ": " << st.message();
    }
    if (!r.Observe(LearningEvent("s" + e, next.id, EventKind::kSwipeAway,
                                 t + 900, 900))
             .ok())
      ++lost;
    t += 20000;
    if (lost > 5) break;
  }
  EXPECT_EQ(lost, 0);
}

}  // namespace
}  // namespace reelrank
