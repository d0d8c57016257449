// Prepare once, rank many: Ranker::Rank(PreparedBatch) gives exactly what
// Ranker::Rank(candidates) gives, whatever changed in between (observes,
// policy, user controls, objective weights, model pack, import / reset, time).
#include "reelrank/prepared_batch.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "reelrank/config.h"
#include "reelrank/explain.h"
#include "reelrank/ranker.h"

namespace reelrank {
namespace {

constexpr int64_t kT0 = 1700000000000;
constexpr int kDim = 8;

uint64_t NextRand(uint64_t* s) {
  *s += 0x9e3779b97f4a7c15ULL;
  uint64_t z = *s;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A varied batch: mixed-case and '#' tags, repeated and empty tags,
// captions with keywords, safety labels, maturity, embeddings or none, and a
// few invalid candidates (bad embedding, empty id, duplicate id, bad
// duration).
std::vector<Candidate> MakeBatch(uint64_t seed, int n) {
  static const char* kCats[] = {"news", "Pets", "food", "golf", "", "science"};
  static const char* kTags[] = {"cooking", "#Golf", "cats",   "DIY",
                                "news",    "prank", "travel", ""};
  static const char* kLabels[] = {"Violence", "low_quality", "high_quality",
                                  "clickbait", "gore"};
  uint64_t s = seed;
  std::vector<Candidate> out;
  for (int i = 0; i < n; ++i) {
    Candidate c;
    c.id = "item" + std::to_string(i);
    c.author = "Author" + std::to_string(NextRand(&s) % 7);
    c.category = kCats[NextRand(&s) % 6];
    if (NextRand(&s) % 4) c.sound = "snd" + std::to_string(NextRand(&s) % 5);
    const int nt = static_cast<int>(NextRand(&s) % 5);
    for (int t = 0; t < nt; ++t) c.tags.push_back(kTags[NextRand(&s) % 8]);
    if (NextRand(&s) % 3 == 0) c.caption = "Free MONEY here, a prank!";
    c.region = NextRand(&s) % 2 ? "US" : "fr";
    c.duration_ms = 3000 + static_cast<int64_t>(NextRand(&s) % 120000);
    c.created_at_ms = kT0 - static_cast<int64_t>(NextRand(&s) % 400000000);
    if (NextRand(&s) % 4) {
      for (int d = 0; d < kDim; ++d) {
        c.embedding.push_back(
            static_cast<float>(static_cast<int>(NextRand(&s) % 200) - 100) /
            37.0f);
      }
    }
    if (NextRand(&s) % 3 == 0) {
      c.safety.push_back({kLabels[NextRand(&s) % 5],
                          static_cast<float>(NextRand(&s) % 100) / 100.0f});
    }
    c.maturity = static_cast<Maturity>(NextRand(&s) % 3);
    c.server_score = static_cast<double>(NextRand(&s) % 1000) / 1000.0;
    out.push_back(std::move(c));
  }
  if (n >= 10) {
    out[3].embedding.assign(kDim + 1, 0.5f);  // wrong dimension
    out[5].id.clear();                        // empty id
    out[7].id = out[2].id;                    // duplicate of a valid one
    out[8].duration_ms = -1;                  // bad duration
  }
  return out;
}

Context Ctx(int64_t now, int hour) {
  Context c;
  c.now_ms = now;
  c.hour_of_day = hour;
  return c;
}

// known_items > 0: a known-items pool that small (evictions every call).
RankerConfig Cfg(bool feed_order, int known_items = 0) {
  RankerConfig cfg;
  cfg.embedding_dim = kDim;
  cfg.seed = 7;
  cfg.pipeline.rank_feed_order = feed_order;
  if (known_items > 0) cfg.profile.max_known_items = known_items;
  return cfg;
}

bool SameBits(double a, double b) {
  return std::memcmp(&a, &b, sizeof(a)) == 0;
}

void ExpectSame(const RankResult& a, const RankResult& b,
                const std::string& where) {
  SCOPED_TRACE(where);
  ASSERT_EQ(a.ranked.size(), b.ranked.size());
  for (size_t k = 0; k < a.ranked.size(); ++k) {
    const ScoredCandidate &x = a.ranked[k], &y = b.ranked[k];
    EXPECT_EQ(x.index, y.index) << k;
    EXPECT_TRUE(SameBits(x.value, y.value)) << k;
    for (int h = 0; h < kNumHeads; ++h) {
      EXPECT_EQ(std::memcmp(&x.heads[h], &y.heads[h], sizeof(float)), 0);
    }
    ASSERT_EQ(x.num_contributions, y.num_contributions) << k;
    for (int c = 0; c < x.num_contributions; ++c) {
      EXPECT_EQ(x.contributions[c].kind, y.contributions[c].kind);
      EXPECT_EQ(x.contributions[c].index, y.contributions[c].index);
      EXPECT_EQ(std::memcmp(&x.contributions[c].value,
                            &y.contributions[c].value, sizeof(float)),
                0);
    }
    EXPECT_EQ(x.seen, y.seen);
    EXPECT_EQ(x.action, y.action);
    EXPECT_EQ(x.rule_id, y.rule_id);
    EXPECT_TRUE(SameBits(x.policy_multiplier, y.policy_multiplier));
    EXPECT_EQ(x.interstitial, y.interstitial);
    EXPECT_EQ(x.explored, y.explored);
    EXPECT_EQ(x.pre_diversity_rank, y.pre_diversity_rank);
  }
  ASSERT_EQ(a.rejected.size(), b.rejected.size());
  for (size_t k = 0; k < a.rejected.size(); ++k) {
    EXPECT_EQ(a.rejected[k].index, b.rejected[k].index);
    EXPECT_EQ(a.rejected[k].status.code(), b.rejected[k].status.code());
    EXPECT_EQ(a.rejected[k].status.message(), b.rejected[k].status.message());
  }
  ASSERT_EQ(a.dropped.size(), b.dropped.size());
  for (size_t k = 0; k < a.dropped.size(); ++k) {
    EXPECT_EQ(a.dropped[k].index, b.dropped[k].index);
    EXPECT_EQ(a.dropped[k].rule_id, b.dropped[k].rule_id);
    EXPECT_EQ(a.dropped[k].source, b.dropped[k].source);
    EXPECT_EQ(a.dropped[k].reason, b.dropped[k].reason);
  }
}

// Two rankers in lock step: `plain` ranks the vector, `prep` the prepared
// batch; every other call is made on both.
struct Twins {
  Twins(bool feed_order, int known_items)
      : plain(Cfg(feed_order, known_items)),
        prep(Cfg(feed_order, known_items)),
        every_view_known(known_items == 0) {}
  Ranker plain;
  Ranker prep;
  bool every_view_known;  // the pool holds the whole batch

  void Both(const std::function<void(Ranker&)>& f) {
    f(plain);
    f(prep);
  }
  RankResult Check(const std::vector<Candidate>& cs, const PreparedBatch& b,
                   const Context& ctx, const std::string& where) {
    RankResult a = plain.Rank(cs, ctx);
    RankResult r = prep.Rank(b, ctx);
    ExpectSame(a, r, where);
    EXPECT_EQ(plain.ExportProfile(), prep.ExportProfile()) << where;
    return a;
  }
  // The user views the top `k` items: impression, then a like or a swipe.
  void View(const std::vector<Candidate>& cs, const RankResult& r, int k,
            int64_t* now, int* seq) {
    for (int v = 0; v < k && v < static_cast<int>(r.ranked.size()); ++v) {
      const std::string& id = cs[r.ranked[v].index].id;
      auto ev = [&](EventKind kind, int64_t dwell) {
        Event e;
        e.event_id = "e" + std::to_string((*seq)++);
        e.item_id = id;
        e.kind = kind;
        e.timestamp_ms = (*now += 1500);
        e.dwell_ms = dwell;
        e.velocity = 1.0f;
        // With a small known pool a viewed item may have been evicted:
        // then both must say so alike.
        const Status a = plain.Observe(e), b = prep.Observe(e);
        EXPECT_EQ(a.ToString(), b.ToString()) << id;
        if (every_view_known) EXPECT_TRUE(a.ok()) << id << ": " << a.ToString();
      };
      ev(EventKind::kImpression, 0);
      if (v % 3 == 0) ev(EventKind::kLike, 0);
      if (v % 5 == 4) ev(EventKind::kNotInterested, 0);
      ev(EventKind::kSwipeAway, 2000 + 700 * v);
    }
  }
};

void RunScenario(bool feed_order, int known_items = 0) {
  Twins t(feed_order, known_items);
  const std::vector<Candidate> cs = MakeBatch(42, 120);
  Ranker helper(Cfg(feed_order));
  const PreparedBatch b = helper.Prepare(cs);
  ASSERT_EQ(b.size(), cs.size());
  int64_t now = kT0;
  int seq = 0;
  RankResult r = t.Check(cs, b, Ctx(now, 9), "fresh");
  for (int round = 0; round < 6; ++round) {
    t.View(cs, r, 4, &now, &seq);
    r = t.Check(cs, b, Ctx(now, (round * 5) % 24),
                "after views " + std::to_string(round));
  }
  // Different times and hours (the hour cross; decay).
  for (int hour : {-3, 0, 5, 6, 11, 12, 17, 18, 23, 40}) {
    r = t.Check(cs, b, Ctx(now + 3600000LL * hour, hour),
                "hour " + std::to_string(hour));
  }
  t.View(cs, r, 3, &now, &seq);
  r = t.Check(cs, b, Ctx(now, 21), "views at hour 21");
  // Objective weights.
  t.Both([](Ranker& x) {
    ASSERT_TRUE(x.SetObjectiveWeights(R"({"like": 3, "share": 0})").ok());
  });
  r = t.Check(cs, b, Ctx(now, 21), "objective weights");
  t.Both([](Ranker& x) {
    ASSERT_TRUE(x.SetObjectiveWeight(Head::kFinish, 4.5).ok());
  });
  r = t.Check(cs, b, Ctx(now, 21), "objective weight");
  // Policy (keywords, tags, regions, authors) and user controls.
  t.Both([](Ranker& x) {
    ASSERT_TRUE(x.SetPolicy(
                     R"({"version": 1, "rules": [
          {"id": "kw", "priority": 5, "action": "demote", "multiplier": 0.5,
           "reason": "kw", "match": {"keywords": ["free money"]}},
          {"id": "fr", "priority": 4, "action": "boost", "multiplier": 1.3,
           "reason": "fr", "match": {"regions": ["FR"]}},
          {"id": "golf", "priority": 3, "action": "drop", "reason": "golf",
           "match": {"tags": ["GOLF"], "authors": ["author3"]}},
          {"id": "v", "priority": 9, "action": "drop", "reason": "v",
           "match": {"labels": ["VIOLENCE"], "min_confidence": 0.5}}]})")
                    .ok());
  });
  r = t.Check(cs, b, Ctx(now, 21), "policy");
  t.Both([](Ranker& x) {
    ASSERT_TRUE(x.SetUserControls(
                     R"({"blocked_authors": ["AUTHOR1"],
                         "blocked_tags": ["#diy"], "blocked_sounds": ["snd2"],
                         "blocked_keywords": ["prank"],
                         "max_maturity": "teen",
                         "not_interested_topics": ["food"]})")
                    .ok());
  });
  r = t.Check(cs, b, Ctx(now, 21), "user controls");
  EXPECT_FALSE(r.dropped.empty());
  t.View(cs, r, 3, &now, &seq);
  r = t.Check(cs, b, Ctx(now, 2), "views under controls");
  t.Both([](Ranker& x) { ASSERT_TRUE(x.SetUserControls("{}").ok()); });
  r = t.Check(cs, b, Ctx(now, 2), "controls cleared");
  // Model pack with sparse weights on features of the batch.
  t.Both([](Ranker& x) {
    ASSERT_TRUE(x.LoadModelPack(
                     R"({"format": "reelrank-model-pack", "version": 1,
                 "heads": {"like": {"bias": -1, "prior": 2.0,
                   "sparse": {"tag:cats": 0.7, "author:Author2": -0.4,
                              "cat_hour:news|3": 0.9}}}})")
                    .ok());
  });
  r = t.Check(cs, b, Ctx(now, 19), "model pack");
  // Export from one, import into both; then reset.
  const std::string saved = t.plain.ExportProfile();
  t.View(cs, r, 2, &now, &seq);
  r = t.Check(cs, b, Ctx(now, 19), "before import");
  t.Both([&](Ranker& x) { ASSERT_TRUE(x.ImportProfile(saved).ok()); });
  r = t.Check(cs, b, Ctx(now, 19), "after import");
  t.Both([](Ranker& x) { x.Reset(); });
  r = t.Check(cs, b, Ctx(now, 19), "after reset");
  // Next() after ranking the prepared batch (the known pool is the same).
  t.View(cs, r, 2, &now, &seq);
  NextItem n1 = t.plain.Next(Ctx(now, 8));
  NextItem n2 = t.prep.Next(Ctx(now, 8));
  EXPECT_EQ(n1.found, n2.found);
  EXPECT_EQ(n1.id, n2.id);
  EXPECT_TRUE(SameBits(n1.scored.value, n2.scored.value));
  // Explanations match.
  for (const auto& s : r.ranked) {
    Result<Explanation> e1 = t.plain.Explain(cs[s.index].id);
    Result<Explanation> e2 = t.prep.Explain(cs[s.index].id);
    ASSERT_EQ(e1.ok(), e2.ok());
    if (e1.ok()) {
      EXPECT_EQ(ExplanationToJson(e1.value()), ExplanationToJson(e2.value()));
    }
  }
}

TEST(PreparedBatchTest, SameAsRankingTheVectorScoreOrder) {
  RunScenario(false);
}

TEST(PreparedBatchTest, SameAsRankingTheVectorFeedOrder) { RunScenario(true); }

// A known-items pool smaller than the batch: entries are evicted while the
// batch is ranked, every call.
TEST(PreparedBatchTest, SameAsRankingTheVectorSmallKnownPool) {
  RunScenario(false, 50);
  RunScenario(true, 50);
}

TEST(PreparedBatchTest, RejectionsNameTheField) {
  Ranker ranker(Cfg(false));
  const std::vector<Candidate> cs = MakeBatch(3, 12);
  const PreparedBatch b = ranker.Prepare(cs);
  ASSERT_EQ(b.rejected().size(), 4u);
  EXPECT_EQ(b.rejected()[0].index, 3);
  EXPECT_EQ(
      b.rejected()[0].status.message().rfind("candidates[3].embedding", 0), 0u)
      << b.rejected()[0].status.message();
  EXPECT_EQ(b.rejected()[1].index, 5);
  EXPECT_EQ(b.rejected()[1].status.message().rfind("candidates[5].id", 0), 0u);
  EXPECT_EQ(b.rejected()[2].index, 7);
  EXPECT_NE(b.rejected()[2].status.message().find("duplicate id 'item2'"),
            std::string::npos);
  EXPECT_EQ(b.rejected()[3].index, 8);
  EXPECT_EQ(
      b.rejected()[3].status.message().rfind("candidates[8].duration_ms", 0),
      0u);
  for (const auto& rj : b.rejected()) {
    EXPECT_EQ(rj.status.code(), StatusCode::kInvalidArgument);
  }
  const RankResult r = ranker.Rank(b, Ctx(kT0, 12));
  ASSERT_EQ(r.rejected.size(), 4u);
  for (const auto& s : r.ranked) {
    EXPECT_NE(s.index, 3);
    EXPECT_NE(s.index, 7);
  }
  EXPECT_EQ(r.ranked.size() + r.dropped.size(), cs.size() - 4);
}

TEST(PreparedBatchTest, OtherDimensionIsValidatedAgain) {
  Ranker ranker(Cfg(false));
  const PreparedBatch b = ranker.Prepare(MakeBatch(5, 20));
  RankerConfig other = Cfg(false);
  other.embedding_dim = kDim * 2;
  Ranker wide(other);
  const RankResult a = wide.Rank(b.candidates(), Ctx(kT0, 12));
  const RankResult r = wide.Rank(b, Ctx(kT0, 12));
  ExpectSame(a, r, "other dim");
  EXPECT_GT(r.rejected.size(), b.rejected().size());  // embeddings now bad
}

TEST(PreparedBatchTest, EmptyAndMovedBatches) {
  Ranker ranker(Cfg(false));
  PreparedBatch empty;
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_TRUE(ranker.Rank(empty, Ctx(kT0, 12)).ranked.empty());
  PreparedBatch b = ranker.Prepare(MakeBatch(9, 15));
  const RankResult r1 = ranker.Rank(b, Ctx(kT0, 12));
  PreparedBatch moved = std::move(b);
  EXPECT_EQ(b.size(), 0u);  // NOLINT(bugprone-use-after-move): documented
  EXPECT_EQ(moved.size(), 15u);
  const RankResult r2 = ranker.Rank(moved, Ctx(kT0, 12));
  ExpectSame(r1, r2, "moved");
}

TEST(PreparedBatchTest, EveryHourMatchesAndIsLearnedAlike) {
  // The category x hour cross is patched per call; the snapshot the log
  // keeps (hour, cross key and name) must be what BuildItemSnapshot makes.
  Candidate c;
  c.id = "x";
  c.category = "news";
  c.tags = {"zz"};
  c.duration_ms = 10000;
  std::vector<Candidate> cs = {c};
  Ranker a(Cfg(false)), p(Cfg(false));
  const PreparedBatch b = p.Prepare(cs);
  for (int h = 0; h < 24; ++h) {
    ExpectSame(a.Rank(cs, Ctx(kT0, h)), p.Rank(b, Ctx(kT0, h)),
               "hour " + std::to_string(h));
    Event e;
    e.event_id = "i" + std::to_string(h);
    e.item_id = "x";
    e.kind = EventKind::kImpression;
    e.timestamp_ms = kT0 + h;
    ASSERT_TRUE(a.Observe(e).ok());
    ASSERT_TRUE(p.Observe(e).ok());
  }
  EXPECT_EQ(a.ExportProfile(), p.ExportProfile());
}

}  // namespace
}  // namespace reelrank
