#include "reelrank/pipeline.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "pipeline_config_json.h"

namespace reelrank {
namespace {

constexpr int64_t kNow = 1700000000000;

const char* const kLabels[] = {"violence",  "adult",       "scam",
                               "hate",      "self_harm",   "dangerous_acts",
                               "clickbait", "low_quality", "high_quality"};
const char* const kTags[] = {"cats", "dogs", "food", "news", "cars", "golf"};
const char* const kWords[] = {"free", "money", "win", "cat", "recipe", "now"};

template <typename T, size_t N>
const char* Pick(const T (&arr)[N], SplitMix64& g) {
  return arr[static_cast<size_t>(g.Uniform() * N)];
}

Candidate RandomCandidate(int id, SplitMix64& g) {
  Candidate c;
  c.id = "c" + std::to_string(id);
  c.author = "a" + std::to_string(static_cast<int>(g.Uniform() * 12));
  c.sound = "s" + std::to_string(static_cast<int>(g.Uniform() * 8));
  c.category = g.Uniform() < 0.3 ? Pick(kTags, g) : "";
  const int nt = static_cast<int>(g.Uniform() * 3);
  for (int i = 0; i < nt; ++i) c.tags.push_back(Pick(kTags, g));
  c.caption = std::string(Pick(kWords, g)) + " " + Pick(kWords, g);
  c.region = g.Uniform() < 0.5 ? "us" : "de";
  c.duration_ms = 1000 + static_cast<int64_t>(g.Uniform() * 60000);
  c.created_at_ms =
      g.Uniform() < 0.1 ? 0 : kNow - static_cast<int64_t>(g.Uniform() * 1e9);
  const int nl = static_cast<int>(g.Uniform() * 3);
  for (int i = 0; i < nl; ++i) {
    c.safety.push_back({Pick(kLabels, g), static_cast<float>(g.Uniform())});
  }
  c.maturity = static_cast<Maturity>(static_cast<int>(g.Uniform() * 3));
  c.server_score = g.Uniform();
  c.embedding.resize(4);
  for (auto& x : c.embedding) x = static_cast<float>(g.Uniform() - 0.5);
  return c;
}

std::string RandomPolicy(SplitMix64& g) {
  static const char* const kActions[] = {"drop", "demote", "boost",
                                         "interstitial"};
  nlohmann::json rules = nlohmann::json::array();
  const int n = 1 + static_cast<int>(g.Uniform() * 6);
  for (int i = 0; i < n; ++i) {
    nlohmann::json r;
    r["id"] = "r" + std::to_string(i);
    r["action"] = Pick(kActions, g);
    if (r["action"] == "demote") r["multiplier"] = 0.1 + 0.8 * g.Uniform();
    if (r["action"] == "boost") r["multiplier"] = 1.1 + 5 * g.Uniform();
    r["priority"] = static_cast<int>(g.Uniform() * 10) - 5;
    r["final"] = g.Uniform() < 0.2;
    nlohmann::json m;
    const double u = g.Uniform();
    if (u < 0.3) {
      m["labels"] = {Pick(kLabels, g)};
      m["min_confidence"] = g.Uniform();
    } else if (u < 0.45) {
      m["tags"] = {Pick(kTags, g), Pick(kTags, g)};
    } else if (u < 0.55) {
      m["keywords"] = {Pick(kWords, g)};
    } else if (u < 0.65) {
      m["authors"] = {"a" + std::to_string(static_cast<int>(g.Uniform() * 12))};
    } else if (u < 0.72) {
      m["sounds"] = {"s" + std::to_string(static_cast<int>(g.Uniform() * 8))};
    } else if (u < 0.8) {
      m["regions"] = {"us"};
    } else if (u < 0.9) {
      m["maturity_at_least"] = static_cast<int>(g.Uniform() * 3);
    } else {
      m["max_age_hours"] = g.Uniform() * 200;
    }
    r["match"] = m;
    rules.push_back(r);
  }
  return nlohmann::json{{"version", 1}, {"rules", rules}}.dump();
}

UserControls RandomControls(SplitMix64& g) {
  UserControls u;
  if (g.Uniform() < 0.5) {
    u.blocked_authors.push_back(
        "a" + std::to_string(static_cast<int>(g.Uniform() * 12)));
  }
  if (g.Uniform() < 0.3) u.blocked_tags.push_back(Pick(kTags, g));
  if (g.Uniform() < 0.3) u.blocked_keywords.push_back(Pick(kWords, g));
  if (g.Uniform() < 0.3) {
    u.blocked_sounds.push_back(
        "s" + std::to_string(static_cast<int>(g.Uniform() * 8)));
  }
  u.max_maturity = static_cast<Maturity>(static_cast<int>(g.Uniform() * 3));
  if (g.Uniform() < 0.3) {
    u.not_interested_topics.push_back(
        {Pick(kTags, g), g.Uniform() < 0.5 ? 0 : kNow - kMsPerDay * 20});
  }
  return u;
}

// Property: 100,000 random candidates under random policies, user controls,
// fatigue, exploration and diversity settings -> no dropped item is ever
// returned by Order() or Next(), and every non-dropped item is.
TEST(PipelineTest, PropertyDroppedItemsAreNeverReturned) {
  SplitMix64 g(12345);
  const int kBatches = 500, kBatch = 200;  // 100,000 candidates
  int64_t dropped_total = 0, returned_total = 0, explored_total = 0;
  int64_t violations = 0;
  int id = 0;
  for (int b = 0; b < kBatches; ++b) {
    PipelineConfig cfg;
    cfg.explore.max_rate = g.Uniform();
    cfg.explore.method =
        g.Uniform() < 0.5 ? ExploreMethod::kThompson : ExploreMethod::kUcb;
    cfg.explore.slot_every = 2 + static_cast<int>(g.Uniform() * 5);
    cfg.explore.enabled = g.Uniform() < 0.9;
    cfg.diversity.enabled = g.Uniform() < 0.9;
    cfg.diversity.mmr_lambda = g.Uniform();
    cfg.diversity.depth = 10 + static_cast<int>(g.Uniform() * 30);
    cfg.policy.enabled = g.Uniform() < 0.95;
    Pipeline p(cfg);
    ASSERT_TRUE(p.policy_engine().SetPolicyJson(RandomPolicy(g)).ok());
    p.policy_engine().SetUserControls(RandomControls(g));
    std::vector<Candidate> cs;
    for (int i = 0; i < kBatch; ++i) cs.push_back(RandomCandidate(id++, g));
    // A few "not interested" signals feed fatigue.
    for (int i = 0; i < 3; ++i) {
      p.RecordNegative(
          cs[static_cast<int>(g.Uniform() * kBatch)],
          kNow - static_cast<int64_t>(g.Uniform() * 30) * kMsPerDay);
    }
    std::vector<StageItem> items;
    std::set<int> allowed;
    for (int i = 0; i < kBatch; ++i) {
      StageItem s;
      s.index = i;
      s.policy = p.Decide(cs[i], kNow);
      s.score = g.Uniform() * 2 - 0.5;
      s.uncertainty = g.Uniform() * 3;
      if (s.policy.dropped()) {
        ++dropped_total;
      } else {
        allowed.insert(i);
      }
      items.push_back(s);  // dropped ones too: the pipeline must remove them
    }
    SplitMix64 rng(b);
    const std::vector<StageItem> out = p.Order(cs, items, b % 100, rng);
    std::set<int> returned;
    for (const StageItem& s : out) {
      returned.insert(s.index);
      explored_total += s.explored;
      if (p.Decide(cs[s.index], kNow).dropped() || s.policy.dropped()) {
        ++violations;
      }
    }
    returned_total += out.size();
    EXPECT_EQ(returned, allowed);
    for (int k = 0; k < 5; ++k) {
      StageItem chosen;
      const int pos = p.Next(cs, items, b % 100, rng, &chosen);
      if (allowed.empty()) {
        EXPECT_EQ(pos, -1);
        break;
      }
      ASSERT_GE(pos, 0);
      if (p.Decide(cs[items[pos].index], kNow).dropped()) ++violations;
      p.RecordShown(cs[chosen.index], chosen.explored);
    }
  }
  EXPECT_EQ(violations, 0);
  // The property is not vacuous.
  EXPECT_GT(dropped_total, 10000);
  EXPECT_GT(returned_total, 10000);
  EXPECT_GT(explored_total, 100);
}

Candidate Simple(const std::string& id, const std::string& author,
                 const std::string& topic) {
  Candidate c;
  c.id = id;
  c.author = author;
  c.category = topic;
  c.duration_ms = 1000;
  return c;
}

TEST(PipelineTest, FatigueDropsThenDiscounts) {
  Pipeline p;
  const Candidate bad = Simple("x", "bob", "cooking");
  p.RecordNegative(bad, kNow);
  PolicyDecision d = p.Decide(Simple("y", "bob", "cars"), kNow + kMsPerDay);
  EXPECT_TRUE(d.dropped());
  EXPECT_EQ(d.source, RuleSource::kFatigue);
  EXPECT_EQ(d.rule_id, "fatigue:author:bob");
  d = p.Decide(Simple("z", "eve", "cooking"), kNow + 20 * kMsPerDay);
  EXPECT_FALSE(d.dropped());
  EXPECT_EQ(d.action, PolicyAction::kDemote);
  EXPECT_EQ(d.rule_id, "fatigue:topic:cooking");
  EXPECT_NEAR(d.multiplier, 0.2 + 0.8 * 20.0 / 140.0, 1e-12);
  // A topic is discounted from the start, never filtered (topic_filter_ms).
  d = p.Decide(Simple("v", "eve", "cooking"), kNow + kMsPerDay);
  EXPECT_FALSE(d.dropped());
  EXPECT_EQ(d.rule_id, "fatigue:topic:cooking");
  EXPECT_EQ(p.Decide(Simple("w", "eve", "cars"), kNow).action,
            PolicyAction::kAllow);
}

void ExpectSameDecision(const PolicyDecision& a, const PolicyDecision& b,
                        int i) {
  EXPECT_EQ(a.action, b.action) << i;
  EXPECT_EQ(a.multiplier, b.multiplier) << i;
  EXPECT_EQ(a.interstitial, b.interstitial) << i;
  EXPECT_EQ(a.source, b.source) << i;
  EXPECT_EQ(a.rule_id, b.rule_id) << i;
  EXPECT_EQ(a.reason, b.reason) << i;
  EXPECT_EQ(a.applied, b.applied) << i;
}

// The rank path decides into one reused PolicyDecision per candidate slot,
// with the prepared match input (its precomputed fatigue keys): whatever
// the slot held before, the result is Decide()'s. Fatigue holds many
// entries, several per key, so every index path is taken.
TEST(PipelineTest, DecideIntoReusedSlotsAndPreparedKeysMatchDecide) {
  SplitMix64 g(777);
  Pipeline p;
  ASSERT_TRUE(p.policy_engine().SetPolicyJson(RandomPolicy(g)).ok());
  p.policy_engine().SetUserControls(RandomControls(g));
  std::vector<Candidate> cs;
  for (int i = 0; i < 400; ++i) cs.push_back(RandomCandidate(i, g));
  for (int i = 0; i < 60; ++i) {
    p.RecordNegative(cs[static_cast<int>(g.Uniform() * cs.size())],
                     kNow - static_cast<int64_t>(g.Uniform() * 200) * kMsPerDay,
                     "e" + std::to_string(i));
  }
  ASSERT_GT(p.fatigue().entries().size(), 60u);
  std::vector<PolicyDecision> slots(7);  // reused across candidates
  int dropped = 0, demoted = 0;
  for (int i = 0; i < 4000; ++i) {
    const Candidate& c = cs[i % cs.size()];
    const int64_t now =
        kNow + static_cast<int64_t>(g.Uniform() * 180) * kMsPerDay;
    const PolicyDecision want = p.Decide(c, now);
    dropped += want.dropped() ? 1 : 0;
    demoted += want.action == PolicyAction::kDemote ? 1 : 0;
    const PolicyMatchInput in = MakePolicyMatchInput(c);
    p.DecideInto(c, &in, now, &slots[i % 7]);
    ExpectSameDecision(slots[i % 7], want, i);
    p.DecideInto(c, nullptr, now, &slots[(i + 3) % 7]);
    ExpectSameDecision(slots[(i + 3) % 7], want, i);
    // Keys not computed (a hand-made input): looked up from the strings.
    PolicyMatchInput no_keys = in;
    no_keys.fatigue_keys = FatigueKeys{};
    EXPECT_EQ(p.Decide(c, &no_keys, now).rule_id, want.rule_id) << i;
  }
  EXPECT_GT(dropped, 100);
  EXPECT_GT(demoted, 100);
}

// OrderPositions is Order without moving items: the same items in the same
// order with the same values, exploration flags and diversity notes.
TEST(PipelineTest, OrderPositionsMatchOrder) {
  SplitMix64 g(4321);
  for (int b = 0; b < 40; ++b) {
    PipelineConfig cfg;
    cfg.explore.max_rate = g.Uniform();
    cfg.diversity.depth = 5 + static_cast<int>(g.Uniform() * 30);
    Pipeline p(cfg);
    ASSERT_TRUE(p.policy_engine().SetPolicyJson(RandomPolicy(g)).ok());
    std::vector<Candidate> cs;
    for (int i = 0; i < 150; ++i) cs.push_back(RandomCandidate(i, g));
    for (int i = 0; i < 12; ++i) p.RecordShown(cs[i], i % 4 == 0);
    std::vector<StageItem> items;
    for (int i = 0; i < 150; ++i) {
      StageItem s;
      s.index = i;
      s.policy = p.Decide(cs[i], kNow);
      s.score = g.Uniform() * 2 - 0.5;
      s.uncertainty = g.Uniform() * 3;
      items.push_back(s);
    }
    std::vector<StageItem> in_place = items;
    SplitMix64 rng_a(b), rng_b(b);
    const std::vector<StageItem> want = p.Order(cs, items, b, rng_a);
    const std::vector<int> at = p.OrderPositions(cs, &in_place, b, rng_b);
    ASSERT_EQ(at.size(), want.size());
    ASSERT_FALSE(want.empty());
    for (size_t k = 0; k < at.size(); ++k) {
      const StageItem& got = in_place[at[k]];
      EXPECT_EQ(got.index, want[k].index);
      EXPECT_EQ(got.value, want[k].value);
      EXPECT_EQ(got.explored, want[k].explored);
      EXPECT_EQ(got.diversity.from, want[k].diversity.from);
      EXPECT_EQ(got.diversity.to, want[k].diversity.to);
      EXPECT_EQ(got.diversity.held_back_by, want[k].diversity.held_back_by);
      EXPECT_EQ(got.diversity.similarity, want[k].diversity.similarity);
      EXPECT_EQ(got.policy.rule_id, want[k].policy.rule_id);
    }
    const std::vector<int> prepared = p.PreparePositions(&in_place);
    const std::vector<StageItem> prepared_want = p.Prepare(items);
    ASSERT_EQ(prepared.size(), prepared_want.size());
    for (size_t k = 0; k < prepared.size(); ++k) {
      EXPECT_EQ(in_place[prepared[k]].index, prepared_want[k].index);
      EXPECT_EQ(in_place[prepared[k]].value, prepared_want[k].value);
    }
  }
}

TEST(PipelineTest, ApplyMultiplierIsMonotoneForAnySign) {
  EXPECT_DOUBLE_EQ(ApplyMultiplier(2.0, 0.5), 1.0);
  EXPECT_DOUBLE_EQ(ApplyMultiplier(-2.0, 0.5), -4.0);
  EXPECT_DOUBLE_EQ(ApplyMultiplier(-2.0, 2.0), -1.0);
  EXPECT_GT(ApplyMultiplier(-1.0, 1.5), -1.0);
}

TEST(PipelineTest, OrderAppliesPolicyBeforeSorting) {
  PipelineConfig cfg;
  cfg.explore.enabled = false;
  cfg.diversity.enabled = false;
  Pipeline p(cfg);
  ASSERT_TRUE(p.policy_engine()
                  .SetPolicyJson(R"({"rules":[{"id":"b","action":"boost",
                      "multiplier":3,"match":{"tags":["news"]}}]})")
                  .ok());
  std::vector<Candidate> cs = {Simple("a", "1", ""), Simple("b", "2", "")};
  cs[1].tags = {"news"};
  std::vector<StageItem> items(2);
  for (int i = 0; i < 2; ++i) {
    items[i].index = i;
    items[i].policy = p.Decide(cs[i], kNow);
  }
  items[0].score = 1.0;
  items[1].score = 0.5;
  SplitMix64 rng(1);
  auto out = p.Order(cs, items, 0, rng);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].index, 1);
  EXPECT_DOUBLE_EQ(out[0].value, 1.5);
  EXPECT_EQ(out[0].policy.rule_id, "b");
}

// The full-screen feed through the pipeline: 1,000 next() calls with the
// history recorded by RecordShown; diversity and the exploration budget hold,
// and the whole run is reproducible from the seed.
std::vector<std::string> RunFeed(uint64_t seed, int* explored, bool* ok) {
  PipelineConfig cfg;
  cfg.diversity.author_window = 2;
  cfg.diversity.topic_window = 8;
  cfg.diversity.topic_max_share = 0.25;
  cfg.explore.enabled = true;
  cfg.explore.max_rate = 1.0;
  cfg.explore.slot_every = 4;
  Pipeline p(cfg);
  SplitMix64 g(77);
  std::vector<Candidate> pool;
  int next = 0;
  std::vector<std::string> shown;
  SplitMix64 rng(seed);
  *ok = true;
  int last_explore = -100;
  *explored = 0;
  for (int step = 0; step < 1000; ++step) {
    while (pool.size() < 40) {
      Candidate c = RandomCandidate(next++, g);
      c.safety.clear();
      c.maturity = Maturity::kGeneral;
      c.category = Pick(kTags, g);
      pool.push_back(c);
    }
    std::vector<StageItem> items;
    for (size_t i = 0; i < pool.size(); ++i) {
      StageItem s;
      s.index = static_cast<int>(i);
      s.policy = p.Decide(pool[i], kNow);
      s.score = pool[i].server_score;
      s.uncertainty = 0.5;
      items.push_back(s);
    }
    StageItem chosen;
    const int pos = p.Next(pool, items, step, rng, &chosen);
    if (pos < 0) {
      *ok = false;
      return shown;
    }
    const Candidate c = pool[items[pos].index];
    const RecentItem r = RecentItem::From(c, chosen.explored);
    const std::vector<RecentItem> hist(p.history().begin(), p.history().end());
    DiversityConfig check = cfg.diversity;
    check.explore_gap = cfg.explore.slot_every;
    if (BreaksDiversity(r, hist, check)) *ok = false;
    if (chosen.explored) {
      ++*explored;
      if (step - last_explore < cfg.explore.slot_every) *ok = false;
      last_explore = step;
    }
    p.RecordShown(c, chosen.explored);
    shown.push_back(c.id);
    pool.erase(pool.begin() + items[pos].index);
  }
  return shown;
}

TEST(PipelineTest, FeedOf1000NextCallsKeepsConstraintsAndIsDeterministic) {
  int explored_a = 0, explored_b = 0, explored_c = 0;
  bool ok_a = false, ok_b = false, ok_c = false;
  const auto a = RunFeed(5, &explored_a, &ok_a);
  const auto b = RunFeed(5, &explored_b, &ok_b);
  const auto c = RunFeed(6, &explored_c, &ok_c);
  EXPECT_TRUE(ok_a);
  EXPECT_TRUE(ok_c);
  ASSERT_EQ(a.size(), 1000u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_GT(explored_a, 20);
  EXPECT_LE(explored_a, 250);
}

TEST(PipelineTest, ConfigValidationNamesTheField) {
  PipelineConfig c;
  EXPECT_TRUE(ValidatePipelineConfig(c).ok());
  c.explore.slot_every = 1;
  EXPECT_EQ(
      ValidatePipelineConfig(c).message().rfind("config.explore.slot_every", 0),
      0u);
  c = PipelineConfig{};
  c.diversity.topic_max_share = 0;
  EXPECT_EQ(ValidatePipelineConfig(c).message().rfind(
                "config.diversity.topic_max_share", 0),
            0u);
  c = PipelineConfig{};
  c.fatigue.filter_ms = -1;
  EXPECT_EQ(
      ValidatePipelineConfig(c).message().rfind("config.fatigue.filter_ms", 0),
      0u);
}

}  // namespace
}  // namespace reelrank

namespace reelrank {
namespace {

TEST(PipelineConfigJsonTest, RoundTripAndFieldNamedErrors) {
  PipelineConfig c;
  c.explore.method = ExploreMethod::kUcb;
  c.explore.slot_every = 7;
  c.diversity.author_window = 3;
  c.fatigue.filter_ms = 5;
  c.policy.enabled = false;
  c.history_size = 10;
  nlohmann::json j = nlohmann::json::object();
  WritePipelineConfigJson(c, &j);
  PipelineConfig d;
  ASSERT_TRUE(ParsePipelineConfigJson(j, "config", &d).ok());
  EXPECT_EQ(d.explore.method, ExploreMethod::kUcb);
  EXPECT_EQ(d.explore.slot_every, 7);
  EXPECT_EQ(d.diversity.author_window, 3);
  EXPECT_EQ(d.fatigue.filter_ms, 5);
  EXPECT_FALSE(d.policy.enabled);
  EXPECT_EQ(d.history_size, 10);
  // Missing keys keep defaults.
  PipelineConfig e;
  ASSERT_TRUE(
      ParsePipelineConfigJson(nlohmann::json::object(), "config", &e).ok());
  EXPECT_EQ(e.explore.slot_every, PipelineConfig{}.explore.slot_every);
  // Errors name the field.
  PipelineConfig f;
  Status s = ParsePipelineConfigJson(
      nlohmann::json::parse(R"({"explore":{"method":"greedy"}})"), "config",
      &f);
  EXPECT_EQ(s.message().rfind("config.explore.method", 0), 0u) << s.message();
  s = ParsePipelineConfigJson(
      nlohmann::json::parse(R"({"diversity":{"mmr_lambda":"x"}})"), "config",
      &f);
  EXPECT_EQ(s.message().rfind("config.diversity.mmr_lambda", 0), 0u);
  s = ParsePipelineConfigJson(
      nlohmann::json::parse(R"({"diversity":{"topic_max_share":2}})"), "config",
      &f);
  EXPECT_EQ(s.message().rfind("config.diversity.topic_max_share", 0), 0u);
  s = ParsePipelineConfigJson(nlohmann::json::parse(R"({"fatigue":3})"),
                              "config", &f);
  EXPECT_EQ(s.message().rfind("config.fatigue", 0), 0u);
}

}  // namespace
}  // namespace reelrank

namespace reelrank {
namespace {

TEST(PipelineStateTest, ForgetAndStateRoundTrip) {
  Pipeline p;
  Candidate a = Simple("a", "bob", "golf");
  a.embedding = {1.0f, 0.0f};
  Candidate b = Simple("b", "eve", "cars");
  p.RecordShown(a, false, "imp1");
  p.RecordShown(b, true, "imp2");
  p.RecordNegative(a, kNow, "neg1");
  UserControls u;
  u.blocked_tags = {"spiders"};
  p.policy_engine().SetUserControls(u);
  EXPECT_EQ(p.since_last_explore(), 0);
  EXPECT_TRUE(p.Decide(Simple("c", "bob", "x"), kNow).dropped());

  Pipeline q;
  ASSERT_TRUE(q.StateFromJson(p.StateToJson()).ok());
  EXPECT_EQ(q.StateToJson(), p.StateToJson());
  ASSERT_EQ(q.history().size(), 2u);
  EXPECT_EQ(q.history()[0].embedding, a.embedding);
  EXPECT_TRUE(q.Decide(Simple("c", "bob", "x"), kNow).dropped());
  EXPECT_EQ(q.policy_engine().user_controls().blocked_tags,
            std::vector<std::string>{"spiders"});

  p.Forget("neg1");
  EXPECT_FALSE(p.Decide(Simple("c", "bob", "x"), kNow).dropped());
  p.Forget("imp2");
  ASSERT_EQ(p.history().size(), 1u);
  EXPECT_EQ(p.since_last_explore(), 1);  // no explored item left

  // A bad state changes nothing.
  const std::string before = q.StateToJson();
  EXPECT_FALSE(
      q.StateFromJson(R"({"feed_version":1,"history":[{"author":1}]})").ok());
  EXPECT_EQ(q.StateToJson(), before);
}

}  // namespace
}  // namespace reelrank
