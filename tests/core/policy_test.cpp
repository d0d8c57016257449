#include "reelrank/policy.h"

#include <gtest/gtest.h>

#include <string>

#include "reelrank/limits.h"
#include "reelrank/prepared_batch.h"
#include "reelrank/ranker.h"
#include "unicode_text.h"

namespace reelrank {
namespace {

constexpr int64_t kNow = 1700000000000;

Candidate Item(const std::string& id) {
  Candidate c;
  c.id = id;
  c.author = "alice";
  c.duration_ms = 10000;
  c.created_at_ms = kNow - 3600 * 1000;  // one hour old
  return c;
}

Candidate Labeled(const std::string& label, float conf) {
  Candidate c = Item("x");
  c.safety.push_back({label, conf});
  return c;
}

PolicyEngine Engine(const std::string& json) {
  PolicyEngine e;
  Status s = e.SetPolicyJson(json);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return e;
}

TEST(PolicyTest, DefaultPolicyParsesAndDropsHarmfulContent) {
  Result<Policy> p = ParsePolicy(DefaultPolicyJson());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  PolicyEngine e;  // starts with the default policy
  for (const char* label : {"violence", "gore", "adult", "sexual", "scam",
                            "fraud", "hate", "self_harm", "dangerous_acts"}) {
    PolicyDecision d = e.Decide(Labeled(label, 0.95f), kNow);
    EXPECT_EQ(d.action, PolicyAction::kDrop) << label;
    EXPECT_EQ(d.source, RuleSource::kOperator) << label;
    EXPECT_FALSE(d.rule_id.empty()) << label;
  }
  EXPECT_EQ(e.Decide(Labeled("violence", 0.95f), kNow).rule_id, "violence");
  EXPECT_EQ(e.Decide(Labeled("scam", 0.9f), kNow).rule_id, "scam");
  EXPECT_EQ(e.Decide(Labeled("clickbait", 0.9f), kNow).action,
            PolicyAction::kDemote);
  EXPECT_EQ(e.Decide(Labeled("low_quality", 0.9f), kNow).action,
            PolicyAction::kDemote);
  EXPECT_EQ(e.Decide(Labeled("high_quality", 0.9f), kNow).action,
            PolicyAction::kBoost);
  Candidate news = Item("n");
  news.category = "News";
  EXPECT_EQ(e.Decide(news, kNow).action, PolicyAction::kBoost);
  EXPECT_EQ(e.Decide(news, kNow).rule_id, "news");
  Candidate edu = Item("e");
  edu.category = "education";
  EXPECT_EQ(e.Decide(edu, kNow).rule_id, "educational");
  EXPECT_EQ(e.Decide(Item("plain"), kNow).action, PolicyAction::kAllow);
  EXPECT_EQ(e.Decide(Item("plain"), kNow).rule_id, "");
  EXPECT_DOUBLE_EQ(e.Decide(Item("plain"), kNow).multiplier, 1.0);
}

TEST(PolicyTest, ConfidenceThresholdIsInclusive) {
  PolicyEngine e = Engine(R"({"rules":[{"id":"v","action":"drop",
      "match":{"labels":["violence"],"min_confidence":0.7}}]})");
  EXPECT_EQ(e.Decide(Labeled("violence", 0.69f), kNow).action,
            PolicyAction::kAllow);
  EXPECT_EQ(e.Decide(Labeled("violence", 0.7f), kNow).action,
            PolicyAction::kDrop);
  EXPECT_EQ(e.Decide(Labeled("VIOLENCE", 0.9f), kNow).action,
            PolicyAction::kDrop);
}

TEST(PolicyTest, DropBeatsBoostWhateverThePriority) {
  PolicyEngine e = Engine(R"({"rules":[
      {"id":"boost_all_cats","priority":1000,"action":"boost","multiplier":5,
       "match":{"tags":["cats"]}},
      {"id":"scam","priority":-5,"action":"drop","match":{"labels":["scam"]}}]})");
  Candidate c = Labeled("scam", 0.9f);
  c.tags = {"#Cats"};
  PolicyDecision d = e.Decide(c, kNow);
  EXPECT_EQ(d.action, PolicyAction::kDrop);
  EXPECT_EQ(d.rule_id, "scam");
  EXPECT_EQ(d.multiplier, 0.0);
}

TEST(PolicyTest, HighestPriorityDropRuleIsReported) {
  PolicyEngine e = Engine(R"({"rules":[
      {"id":"low","priority":1,"action":"drop","match":{"labels":["scam"]}},
      {"id":"high","priority":9,"action":"drop","match":{"authors":["alice"]}},
      {"id":"tie","priority":9,"action":"drop","match":{"labels":["scam"]}}]})");
  EXPECT_EQ(e.Decide(Labeled("scam", 0.9f), kNow).rule_id, "high");
}

TEST(PolicyTest, NonDropRulesMultiplyAndFinalStops) {
  PolicyEngine e = Engine(R"({"rules":[
      {"id":"a","priority":5,"action":"boost","multiplier":2,"match":{"tags":["x"]}},
      {"id":"b","priority":3,"action":"demote","multiplier":0.25,"match":{"tags":["x"]}},
      {"id":"c","priority":1,"action":"boost","multiplier":1.5,"match":{"tags":["x"]}}]})");
  Candidate c = Item("i");
  c.tags = {"x"};
  PolicyDecision d = e.Decide(c, kNow);
  EXPECT_DOUBLE_EQ(d.multiplier, 2 * 0.25 * 1.5);
  EXPECT_EQ(d.action, PolicyAction::kDemote);
  EXPECT_EQ(d.rule_id, "a");  // first applied = highest priority
  EXPECT_EQ(d.applied, (std::vector<std::string>{"a", "b", "c"}));

  PolicyEngine f = Engine(R"({"rules":[
      {"id":"a","priority":5,"action":"boost","multiplier":2,"final":true,"match":{"tags":["x"]}},
      {"id":"b","priority":3,"action":"demote","multiplier":0.25,"match":{"tags":["x"]}}]})");
  PolicyDecision g = f.Decide(c, kNow);
  EXPECT_DOUBLE_EQ(g.multiplier, 2.0);
  EXPECT_EQ(g.action, PolicyAction::kBoost);
  EXPECT_EQ(g.applied, (std::vector<std::string>{"a"}));
}

TEST(PolicyTest, EqualPriorityKeepsFileOrderAndFinalDoesNotStopDrops) {
  PolicyEngine e = Engine(R"({"rules":[
      {"id":"first","action":"boost","final":true,"match":{"tags":["x"]}},
      {"id":"second","action":"demote","match":{"tags":["x"]}},
      {"id":"kill","action":"drop","match":{"tags":["x"]}}]})");
  Candidate c = Item("i");
  c.tags = {"x"};
  EXPECT_EQ(e.Decide(c, kNow).action, PolicyAction::kDrop);
  c.tags = {"x"};
  PolicyEngine g = Engine(R"({"rules":[
      {"id":"first","action":"boost","final":true,"match":{"tags":["x"]}},
      {"id":"second","action":"demote","match":{"tags":["x"]}}]})");
  EXPECT_EQ(g.Decide(c, kNow).rule_id, "first");
  EXPECT_EQ(g.Decide(c, kNow).action, PolicyAction::kBoost);
}

TEST(PolicyTest, MultiplierIsClamped) {
  PolicyEngine e = Engine(R"({"rules":[
      {"id":"a","action":"boost","multiplier":100,"match":{"tags":["x"]}},
      {"id":"b","action":"boost","multiplier":100,"match":{"tags":["x"]}},
      {"id":"c","action":"demote","multiplier":0.001,"match":{"tags":["y"]}},
      {"id":"d","action":"demote","multiplier":0.001,"match":{"tags":["y"]}}]})");
  Candidate c = Item("i");
  c.tags = {"x"};
  EXPECT_DOUBLE_EQ(e.Decide(c, kNow).multiplier, kMaxPolicyMultiplier);
  c.tags = {"y"};
  EXPECT_DOUBLE_EQ(e.Decide(c, kNow).multiplier, kMinPolicyMultiplier);
}

TEST(PolicyTest, InterstitialIsAllowedWithWarning) {
  PolicyEngine e;  // default policy: violence 0.4..0.7 -> interstitial
  PolicyDecision d = e.Decide(Labeled("violence", 0.5f), kNow);
  EXPECT_EQ(d.action, PolicyAction::kInterstitial);
  EXPECT_TRUE(d.interstitial);
  EXPECT_FALSE(d.dropped());
  EXPECT_EQ(d.rule_id, "sensitive_warning");
}

TEST(PolicyTest, MatchConditionsAreAndedListsAreOred) {
  PolicyEngine e = Engine(R"({"rules":[{"id":"r","action":"drop",
      "match":{"authors":["Bob","alice"],"regions":["us"],"sounds":["s1"]}}]})");
  Candidate c = Item("i");
  c.region = "US";
  c.sound = "s1";
  EXPECT_TRUE(e.Decide(c, kNow).dropped());
  c.sound = "s2";
  EXPECT_FALSE(e.Decide(c, kNow).dropped());
  c.sound = "s1";
  c.region = "de";
  EXPECT_FALSE(e.Decide(c, kNow).dropped());
}

TEST(PolicyTest, KeywordsAreWholeWordsCaseInsensitive) {
  PolicyEngine e = Engine(R"({"rules":[{"id":"kw","action":"drop",
      "match":{"keywords":["scam","free money"]}}]})");
  Candidate c = Item("i");
  c.caption = "This is a SCAM!";
  EXPECT_TRUE(e.Decide(c, kNow).dropped());
  c.caption = "the scammer's story";
  EXPECT_FALSE(e.Decide(c, kNow).dropped());
  c.caption = "get Free   Money now";
  EXPECT_TRUE(e.Decide(c, kNow).dropped());
  c.caption = "free moneybags";
  EXPECT_FALSE(e.Decide(c, kNow).dropped());
}

TEST(PolicyTest, MaturityAndAgeConditions) {
  PolicyEngine e = Engine(R"({"rules":[
      {"id":"mat","action":"interstitial","match":{"maturity_at_least":"teen"}},
      {"id":"fresh","action":"boost","match":{"max_age_hours":24}},
      {"id":"stale","action":"demote","match":{"min_age_hours":720}}]})");
  Candidate c = Item("i");
  EXPECT_EQ(e.Decide(c, kNow).rule_id, "fresh");
  c.maturity = Maturity::kTeen;
  EXPECT_TRUE(e.Decide(c, kNow).interstitial);
  c.maturity = Maturity::kGeneral;
  c.created_at_ms = kNow - 40LL * 24 * 3600 * 1000;
  EXPECT_EQ(e.Decide(c, kNow).rule_id, "stale");
  c.created_at_ms = 0;  // unknown age never matches age conditions
  EXPECT_EQ(e.Decide(c, kNow).action, PolicyAction::kAllow);
}

TEST(PolicyTest, InvalidPolicyNamesRuleAndFieldAndKeepsPrevious) {
  PolicyEngine e = Engine(R"({"rules":[{"id":"cats","action":"drop",
      "match":{"tags":["cats"]}}]})");
  struct Case {
    const char* json;
    const char* expect;
  } cases[] = {
      {R"({"rules":[{"id":"ok","action":"drop","match":{"tags":["a"]}},
                    {"id":"bad","action":"delete","match":{"tags":["a"]}}]})",
       "rules[1] (id 'bad').action"},
      {R"({"rules":[{"id":"m","action":"demote","multiplier":2,"match":{"tags":["a"]}}]})",
       "rules[0] (id 'm').multiplier"},
      {R"({"rules":[{"id":"t","action":"drop","match":{"labelz":["a"]}}]})",
       "rules[0] (id 't').match.labelz"},
      {R"({"rules":[{"action":"drop","match":{"tags":["a"]}}]})",
       "rules[0].id"},
      {R"({"rules":[{"id":"e","action":"drop","match":{}}]})",
       "rules[0] (id 'e').match"},
      {R"({"rules":[{"id":"c","action":"drop","match":{"labels":["a"],"min_confidence":3}}]})",
       "rules[0] (id 'c').match.min_confidence"},
      {R"({"rules":[{"id":"d","action":"drop","match":{"tags":["a"]}},
                    {"id":"d","action":"drop","match":{"tags":["b"]}}]})",
       "rules[1] (id 'd').id"},
      {R"({"rules":[{"id":"p","action":"boost","priority":1.5,"match":{"tags":["a"]}}]})",
       "rules[0] (id 'p').priority"},
      {R"({"rules": 3})", "rules"},
      {"{not json", "policy"},
  };
  for (const auto& tc : cases) {
    Status s = e.SetPolicyJson(tc.json);
    EXPECT_FALSE(s.ok()) << tc.json;
    EXPECT_EQ(s.message().rfind(tc.expect, 0), 0u)
        << "got '" << s.message() << "' want prefix '" << tc.expect << "'";
  }
  // The previous policy is still in force.
  ASSERT_EQ(e.policy().rules.size(), 1u);
  Candidate c = Item("i");
  c.tags = {"cats"};
  EXPECT_TRUE(e.Decide(c, kNow).dropped());
}

TEST(PolicyTest, UserBlocksDropAndCannotBeOverriddenByOperatorBoost) {
  PolicyEngine e = Engine(R"({"rules":[{"id":"boost","priority":100,
      "action":"boost","multiplier":10,"match":{"authors":["alice"]}}]})");
  UserControls u;
  u.blocked_authors = {"Alice"};
  e.SetUserControls(u);
  PolicyDecision d = e.Decide(Item("i"), kNow);
  EXPECT_TRUE(d.dropped());
  EXPECT_EQ(d.source, RuleSource::kUser);
  EXPECT_EQ(d.rule_id, "user:blocked_author:alice");
}

TEST(PolicyTest, UserCannotUndropOperatorDrop) {
  PolicyEngine e;
  ASSERT_TRUE(e.SetUserControlsJson(R"({"max_maturity":"mature"})").ok());
  PolicyDecision d = e.Decide(Labeled("adult", 0.99f), kNow);
  EXPECT_TRUE(d.dropped());
  EXPECT_EQ(d.source, RuleSource::kOperator);
}

TEST(PolicyTest, UserControlsBlockSoundsTagsKeywordsAndMaturity) {
  PolicyEngine e;
  Status s = e.SetUserControlsJson(R"({
      "blocked_sounds":["song1"], "blocked_tags":["#Spiders"],
      "blocked_keywords":["prank"], "max_maturity":"general",
      "not_interested_topics":["golf"]})");
  ASSERT_TRUE(s.ok()) << s.ToString();
  Candidate c = Item("i");
  EXPECT_FALSE(e.Decide(c, kNow).dropped());
  Candidate a = c;
  a.sound = "SONG1";
  EXPECT_EQ(e.Decide(a, kNow).rule_id, "user:blocked_sound:SONG1");
  Candidate b = c;
  b.tags = {"funny", "spiders"};
  EXPECT_EQ(e.Decide(b, kNow).rule_id, "user:blocked_tag:spiders");
  Candidate k = c;
  k.caption = "Best Prank ever";
  EXPECT_EQ(e.Decide(k, kNow).rule_id, "user:blocked_keyword:prank");
  Candidate m = c;
  m.maturity = Maturity::kTeen;
  EXPECT_EQ(e.Decide(m, kNow).rule_id, "user:maturity");
  Candidate g = c;
  g.category = "Golf";
  EXPECT_EQ(e.Decide(g, kNow).rule_id, "user:not_interested:golf");
  for (const Candidate& x : {a, b, k, m, g}) {
    EXPECT_EQ(e.Decide(x, kNow).source, RuleSource::kUser);
  }
}

TEST(PolicyTest, TimedNotInterestedTopicFiltersThenDecays) {
  PolicyEngine e;
  FatigueConfig f;
  f.filter_ms = 10 * kMsPerDay;
  f.discount_ms = 100 * kMsPerDay;
  f.start_multiplier = 0.2;
  e.SetFatigueConfig(f);
  UserControls u;
  u.not_interested_topics.push_back({"golf", kNow});
  e.SetUserControls(u);
  Candidate c = Item("i");
  c.tags = {"golf"};
  EXPECT_TRUE(e.Decide(c, kNow + 9 * kMsPerDay).dropped());
  PolicyDecision mid = e.Decide(c, kNow + 60 * kMsPerDay);
  EXPECT_FALSE(mid.dropped());
  EXPECT_EQ(mid.action, PolicyAction::kDemote);
  EXPECT_NEAR(mid.multiplier, 0.2 + 0.8 * 0.5, 1e-9);
  EXPECT_EQ(mid.rule_id, "user:not_interested:golf");
  EXPECT_EQ(e.Decide(c, kNow + 111 * kMsPerDay).action, PolicyAction::kAllow);
}

TEST(PolicyTest, InvalidUserControlsKeepPrevious) {
  PolicyEngine e;
  ASSERT_TRUE(e.SetUserControlsJson(R"({"blocked_authors":["alice"]})").ok());
  Status s = e.SetUserControlsJson(R"({"blocked_authors":["bob", 3]})");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message().rfind("blocked_authors[1]", 0), 0u) << s.message();
  s = e.SetUserControlsJson(R"({"max_maturity":"adult"})");
  EXPECT_EQ(s.message().rfind("max_maturity", 0), 0u) << s.message();
  s = e.SetUserControlsJson(
      R"({"not_interested_topics":[{"topic":"a","when":1}]})");
  EXPECT_EQ(s.message().rfind("not_interested_topics[0].when", 0), 0u)
      << s.message();
  EXPECT_TRUE(e.Decide(Item("i"), kNow).dropped());  // alice still blocked
}

TEST(PolicyTest, UserControlsJsonRoundTrip) {
  Result<UserControls> u = ParseUserControls(
      R"({"blocked_authors":["A"],"blocked_tags":["t"],"max_maturity":"teen",
          "not_interested_topics":["x",{"topic":"y","at_ms":5}]})");
  ASSERT_TRUE(u.ok());
  Result<UserControls> v = ParseUserControls(UserControlsToJson(u.value()));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v.value().blocked_authors, u.value().blocked_authors);
  EXPECT_EQ(v.value().blocked_tags, u.value().blocked_tags);
  EXPECT_EQ(v.value().max_maturity, Maturity::kTeen);
  ASSERT_EQ(v.value().not_interested_topics.size(), 2u);
  EXPECT_EQ(v.value().not_interested_topics[1].at_ms, 5);
}

TEST(PolicyTest, OperatorRulesCanBeSwitchedOffButUserControlsStay) {
  PolicyEngine e;
  e.set_operator_enabled(false);
  EXPECT_FALSE(e.Decide(Labeled("violence", 0.99f), kNow).dropped());
  UserControls u;
  u.blocked_authors = {"alice"};
  e.SetUserControls(u);
  EXPECT_TRUE(e.Decide(Labeled("violence", 0.99f), kNow).dropped());
}

TEST(PolicyTest, SplitWordsHandlesPunctuationAndUtf8) {
  EXPECT_EQ(SplitWords("Hi, there!  x_y"),
            (std::vector<std::string>{"hi", "there", "x_y"}));
  EXPECT_EQ(SplitWords("caf\xc3\xa9 ok").size(), 2u);
  EXPECT_TRUE(SplitWords("").empty());
}

// ---- Ranges and limits
// -------------------------------------------------------

// Ints that used to wrap as int32: a final boost at priority 2^31 became
// -2^31 and lost to a priority-1 demote; maturity 2^32 + 2 was read as 2.
TEST(PolicyLimitsTest, PriorityAndMaturityOutOfRangeAreRejectedNotWrapped) {
  for (const char* p : {"2147483648", "-2147483649", "4294967297", "1000000001",
                        "18446744073709551615"}) {
    Result<Policy> r = ParsePolicy(
        std::string(R"({"rules":[{"id":"b","action":"boost","final":true,)") +
        R"("priority":)" + p + R"(,"match":{"tags":["x"]}}]})");
    ASSERT_FALSE(r.ok()) << p;
    EXPECT_EQ(r.status().message().rfind("rules[0] (id 'b').priority: ", 0), 0u)
        << r.status().message();
    EXPECT_NE(r.status().message().find(p), std::string::npos)
        << r.status().message();
  }
  // At the limit, the order is the integers' order.
  PolicyEngine e = Engine(R"({"rules":[
      {"id":"demote","action":"demote","multiplier":0.5,"priority":1,
       "final":true,"match":{"tags":["x"]}},
      {"id":"boost","action":"boost","multiplier":2,"priority":1000000000,
       "final":true,"match":{"tags":["x"]}}]})");
  Candidate c = Item("c");
  c.tags = {"x"};
  EXPECT_EQ(e.Decide(c, kNow).rule_id, "boost");
  EXPECT_EQ(e.Decide(c, kNow).action, PolicyAction::kBoost);
  for (const char* m : {"4294967298", "-1", "3", "18446744073709551615"}) {
    Result<Policy> r = ParsePolicy(
        std::string(R"({"rules":[{"id":"m","action":"drop","match":)") +
        R"({"maturity_at_least":)" + m + "}}]}");
    ASSERT_FALSE(r.ok()) << m;
    EXPECT_EQ(r.status().message().rfind(
                  "rules[0] (id 'm').match.maturity_at_least: ", 0),
              0u)
        << r.status().message();
    Result<UserControls> u =
        ParseUserControls(std::string(R"({"max_maturity":)") + m + "}");
    ASSERT_FALSE(u.ok()) << m;
    EXPECT_EQ(u.status().message().rfind("max_maturity: ", 0), 0u)
        << u.status().message();
  }
  // A version that wrapped to 1.
  Result<Policy> v = ParsePolicy(R"({"version":4294967297,"rules":[]})");
  EXPECT_EQ(v.status().code(), StatusCode::kUnimplemented);
  // A "not interested" time beyond the clock range (would overflow now - at).
  Result<UserControls> t = ParseUserControls(
      R"({"not_interested_topics":[{"topic":"a","at_ms":9223372036854775807}]})");
  EXPECT_EQ(t.status().message().rfind("not_interested_topics[0].at_ms: ", 0),
            0u)
      << t.status().message();
}

std::string Repeat(const std::string& item, size_t n) {
  std::string out = "[";
  for (size_t i = 0; i < n; ++i) out += (i ? ",\"" : "\"") + item + "\"";
  return out + "]";
}

TEST(PolicyLimitsTest, PolicyStringsAndListsHaveLimitsNamedInTheError) {
  auto rule = [](const std::string& fields) {
    return ParsePolicy(R"({"rules":[{"id":"r","action":"drop",)" + fields +
                       "}]}");
  };
  const std::string big(Limits::kRuleItemBytes + 1, 'k');
  EXPECT_TRUE(rule(R"("match":{"keywords":)" +
                   Repeat(std::string(Limits::kRuleItemBytes, 'k'), 1) + "}")
                  .ok());
  Result<Policy> r = rule(R"("match":{"keywords":)" + Repeat(big, 1) + "}");
  EXPECT_EQ(r.status().message(),
            "rules[0] (id 'r').match.keywords[0]: 257 bytes, limit 256");
  r = rule(R"("match":{"tags":)" + Repeat("t", Limits::kRuleListItems + 1) +
           "}");
  EXPECT_EQ(r.status().message(),
            "rules[0] (id 'r').match.tags: 4097 entries, limit 4096");
  r = rule(R"("reason":")" + std::string(Limits::kRuleReasonBytes + 1, 'x') +
           R"(","match":{"tags":["a"]})");
  EXPECT_EQ(r.status().message(),
            "rules[0] (id 'r').reason: 1025 bytes, limit 1024");
  r = ParsePolicy(R"({"rules":[{"id":")" +
                  std::string(Limits::kRuleIdBytes + 1, 'i') +
                  R"(","action":"drop","match":{"tags":["a"]}}]})");
  EXPECT_EQ(r.status().message(), "rules[0].id: 129 bytes, limit 128");
  std::string rules;
  for (size_t i = 0; i <= Limits::kPolicyRules; ++i) {
    rules += (i ? "," : "") + std::string(R"({"id":"r)") + std::to_string(i) +
             R"(","action":"drop","match":{"tags":["a"]}})";
  }
  r = ParsePolicy(R"({"rules":[)" + rules + "]}");
  EXPECT_EQ(r.status().message(), "rules: 257 entries, limit 256");
  r = ParsePolicy(std::string(Limits::kPolicyJsonBytes + 1, ' '));
  EXPECT_EQ(r.status().message(), "policy: 1048577 bytes, limit 1048576");
  // An unknown key is quoted, not copied whole.
  r = ParsePolicy(R"({")" + std::string(100000, 'z') + R"(":1,"rules":[]})");
  EXPECT_LT(r.status().message().size(), 200u) << r.status().message();
}

TEST(PolicyLimitsTest, UserControlListsHaveLimitsNamedInTheError) {
  for (const char* key : {"blocked_authors", "blocked_sounds", "blocked_tags",
                          "blocked_keywords", "not_interested_topics"}) {
    const std::string k = key;
    EXPECT_TRUE(ParseUserControls("{\"" + k + "\":" +
                                  Repeat("w", Limits::kUserListItems) + "}")
                    .ok())
        << k;
    Result<UserControls> u = ParseUserControls(
        "{\"" + k + "\":" + Repeat("w", Limits::kUserListItems + 1) + "}");
    EXPECT_EQ(u.status().message(), k + ": 4097 entries, limit 4096");
    u = ParseUserControls(
        "{\"" + k +
        "\":" + Repeat(std::string(Limits::kUserItemBytes + 1, 'w'), 1) + "}");
    EXPECT_EQ(u.status().message().rfind(k + "[0]", 0), 0u)
        << u.status().message();
    EXPECT_NE(u.status().message().find("257 bytes, limit 256"),
              std::string::npos)
        << u.status().message();
  }
  EXPECT_EQ(
      ParseUserControls(std::string(Limits::kUserControlsJsonBytes + 1, ' '))
          .status()
          .message(),
      "controls: 1048577 bytes, limit 1048576");
}

// setPolicy({rules, user}): both validated before either is applied.
TEST(PolicyLimitsTest, SetPolicyAndControlsIsAllOrNothing) {
  RankerConfig cfg;
  cfg.embedding_dim = 4;
  Ranker r(cfg);
  const std::string rules_x =
      R"({"rules":[{"id":"no-x","action":"drop","match":{"tags":["x"]}}]})";
  const std::string rules_y =
      R"({"rules":[{"id":"no-y","action":"drop","match":{"tags":["y"]}}]})";
  ASSERT_TRUE(r.SetPolicy(rules_x).ok());
  ASSERT_TRUE(r.SetUserControls(R"({"blocked_authors":["bob"]})").ok());
  const std::string policy = r.PolicyJson(), controls = r.UserControlsJson();
  Status s = r.SetPolicyAndControls(rules_y, R"({"max_maturity":4294967298})");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().rfind("max_maturity: ", 0), 0u) << s.message();
  EXPECT_EQ(r.PolicyJson(), policy);
  EXPECT_EQ(r.UserControlsJson(), controls);
  s = r.SetPolicyAndControls(
      R"({"rules":[{"id":"b","action":"boost","priority":2147483648,"match":{"tags":["a"]}}]})",
      R"({"blocked_authors":["carol"]})");
  EXPECT_EQ(s.message().rfind("rules[0] (id 'b').priority: ", 0), 0u)
      << s.message();
  EXPECT_EQ(r.PolicyJson(), policy);
  EXPECT_EQ(r.UserControlsJson(), controls);
  // Both valid: both applied.
  ASSERT_TRUE(
      r.SetPolicyAndControls(rules_y, R"({"blocked_authors":["carol"]})").ok());
  EXPECT_EQ(r.PolicyJson(), rules_y);
  std::vector<Candidate> cs = {Item("a"), Item("b"), Item("c")};
  cs[0].tags = {"x"};
  cs[1].tags = {"y"};
  cs[2].author = "carol";
  for (auto& c : cs) c.author = c.author == "carol" ? "carol" : "dave";
  Context ctx;
  ctx.now_ms = kNow;
  const RankResult res = r.Rank(cs, ctx);
  ASSERT_EQ(res.ranked.size(), 1u);
  EXPECT_EQ(res.ranked[0].index, 0);  // x is allowed again; y and carol not
}

// ---- Unicode matching
// --------------------------------------------------------

PolicyEngine UserEngine(const std::string& controls) {
  PolicyEngine e;
  Status s = e.SetUserControlsJson(controls);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return e;
}

Candidate Captioned(const std::string& caption) {
  Candidate c = Item("c");
  c.caption = caption;
  return c;
}

// Each of these captions was not blocked by "spoiler" when words were runs of
// ASCII letters and any non-ASCII byte.
TEST(PolicyUnicodeTest,
     KeywordNextToUnicodePunctuationSpacesAndEmojiIsBlocked) {
  PolicyEngine e = UserEngine(R"({"blocked_keywords":["spoiler"]})");
  for (const char* caption : {
           "\xe2\x80\x9cspoiler\xe2\x80\x9d",               // “spoiler”
           "\xe2\x80\x98Spoiler\xe2\x80\x99 ahead",         // ‘Spoiler’
           "no\xe2\x80\x94spoiler",                         // em dash
           "spoiler\xe2\x80\xa6",                           // ellipsis
           "big\xc2\xa0spoiler",                            // no-break space
           "\xe5\x89\xa7\xe9\x80\x8f spoiler\xe3\x80\x82",  // 。
           "spoiler\xf0\x9f\x94\xa5",                       // emoji
           "\xc2\xbfspoiler\xe2\x80\xa6?",                  // ¿…?
           "\xef\xbc\xb3\xef\xbc\xb0\xef\xbc\xaf\xef\xbc\xa9\xef\xbc\xac\xef"
           "\xbc"
           "\xa5\xef\xbc\xb2",  // full-width
           "spo\xc2\xadiler",   // soft hyphen
       }) {
    const PolicyDecision d = e.Decide(Captioned(caption), kNow);
    EXPECT_TRUE(d.dropped()) << caption;
    EXPECT_EQ(d.rule_id, "user:blocked_keyword:spoiler") << caption;
  }
  // Still whole words.
  for (const char* caption : {"spoilers", "nospoiler", "spoiler_alert"}) {
    EXPECT_FALSE(e.Decide(Captioned(caption), kNow).dropped()) << caption;
  }
}

TEST(PolicyUnicodeTest, CaseFoldingAndNormalizationMatchEquivalentText) {
  struct Case {
    const char* keyword;
    const char* caption;
  } cases[] = {
      {"istanbul", "\xc4\xb0STANBUL"},  // İ
      {"istanbul", "\xc4\xb1stanbul"},  // dotless ı
      {"ISPARTA", "\xc4\xb1sparta"},    // I vs ı
      {"strasse",
       "Stra\xc3\x9f"
       "e"},  // ß -> ss
      {"stra\xc3\x9f"
       "e",
       "STRASSE"},
      {"fight", "\xef\xac\x81ght"},      // ﬁ ligature
      {"caf\xc3\xa9", "CAFE\xcc\x81!"},  // é == E + U+0301
      {"cafe\xcc\x81", "Caf\xc3\xa9"},
      {"\xce\xa3\xce\xbf\xcf\x86\xce\xaf\xce\xb1",   // Σοφία
       "\xcf\x83\xce\xbf\xcf\x86\xce\xaf\xce\xb1"},  // σοφία
      {"\xe5\x89\xa7\xe9\x80\x8f",  // 剧透 (one word per ideograph)
       "\xe8\xbf\x99\xe6\x98\xaf\xe5\x89\xa7\xe9\x80\x8f\xe3\x80\x82"},
  };
  for (const Case& c : cases) {
    PolicyEngine e = UserEngine(std::string(R"({"blocked_keywords":[")") +
                                c.keyword + R"("]})");
    EXPECT_TRUE(e.Decide(Captioned(c.caption), kNow).dropped())
        << c.keyword << " / " << c.caption;
    // The operator's keyword rules match the same way.
    PolicyEngine op = Engine(
        std::string(
            R"({"rules":[{"id":"k","action":"drop","match":{"keywords":[")") +
        c.keyword + R"("]}}]})");
    EXPECT_EQ(op.Decide(Captioned(c.caption), kNow).rule_id, "k")
        << c.keyword << " / " << c.caption;
  }
  PolicyEngine e = UserEngine(R"({"blocked_keywords":["caf\u00e9"]})");
  EXPECT_FALSE(e.Decide(Captioned("cafe"), kNow).dropped());  // accents count
}

// Blocking #CAFÉ kept café when tags were lower-cased as ASCII.
TEST(PolicyUnicodeTest, BlockedHashtagMatchesEveryFormOfTheTag) {
  PolicyEngine e = UserEngine(R"({"blocked_tags":["#CAF\u00c9"]})");
  for (const char* tag :
       {"caf\xc3\xa9", "Caf\xc3\xa9", "#CAF\xc3\x89", "cafe\xcc\x81",
        "\xef\xbc\x83"
        "caf\xc3\xa9"}) {
    Candidate c = Item("t");
    c.tags = {"other", tag};
    const PolicyDecision d = e.Decide(c, kNow);
    EXPECT_TRUE(d.dropped()) << tag;
    EXPECT_EQ(d.rule_id, "user:blocked_tag:caf\xc3\xa9") << tag;
  }
  Candidate cat = Item("cat");
  cat.category = "CAF\xc3\x89";
  EXPECT_TRUE(e.Decide(cat, kNow).dropped());
  // The operator's tag, author and category lists fold too.
  PolicyEngine op = Engine(R"({"rules":[
      {"id":"t","action":"drop","match":{"tags":["STRASSE"]}},
      {"id":"a","action":"drop","match":{"authors":["\uff22\uff4f\uff42"]}}]})");
  Candidate t = Item("x");
  t.tags = {
      "stra\xc3\x9f"
      "e"};
  EXPECT_EQ(op.Decide(t, kNow).rule_id, "t");
  Candidate a = Item("y");
  a.author = "BOB";
  EXPECT_EQ(op.Decide(a, kNow).rule_id, "a");
  // Not-interested topics fold.
  PolicyEngine ni =
      UserEngine(R"({"not_interested_topics":["\u00c9T\u00c9"]})");
  Candidate topic = Item("z");
  topic.tags = {"e\xcc\x81te\xcc\x81"};
  EXPECT_TRUE(ni.Decide(topic, kNow).dropped());
}

// A prepared batch (the words folded once at prepare) decides exactly like a
// one-shot Rank.
TEST(PolicyUnicodeTest, PreparedAndUnpreparedDecideAlike) {
  RankerConfig cfg;
  cfg.embedding_dim = 4;
  Ranker r(cfg);
  ASSERT_TRUE(
      r.SetPolicyAndControls(
           R"({"rules":[{"id":"k","action":"demote","multiplier":0.5,
                       "match":{"keywords":["free money"]}}]})",
           R"({"blocked_keywords":["spoiler"],"blocked_tags":["caf\u00e9"]})")
          .ok());
  std::vector<Candidate> cs;
  for (const char* caption :
       {"\xe2\x80\x9cspoiler\xe2\x80\x9d", "FREE\xe2\x80\x94MONEY",
        "free\xc2\xa0money!", "nothing here", "\xef\xac\x81ne"}) {
    cs.push_back(Item("i" + std::to_string(cs.size())));
    cs.back().caption = caption;
  }
  cs.push_back(Item("tagged"));
  cs.back().tags = {"CAFE\xcc\x81"};
  Context ctx;
  ctx.now_ms = kNow;
  const RankResult a = r.Rank(cs, ctx);
  const PreparedBatch batch = r.Prepare(cs);
  const RankResult b = r.Rank(batch, ctx);
  ASSERT_EQ(a.dropped.size(), 2u);
  EXPECT_EQ(a.dropped[0].index, 0);
  EXPECT_EQ(a.dropped[1].index, 5);
  ASSERT_EQ(a.ranked.size(), b.ranked.size());
  ASSERT_EQ(a.dropped.size(), b.dropped.size());
  for (size_t i = 0; i < a.ranked.size(); ++i) {
    EXPECT_EQ(a.ranked[i].index, b.ranked[i].index);
    EXPECT_EQ(a.ranked[i].rule_id, b.ranked[i].rule_id);
    EXPECT_EQ(a.ranked[i].policy_multiplier, b.ranked[i].policy_multiplier);
  }
  int demoted = 0;
  for (const auto& s : a.ranked) demoted += s.rule_id == "k";
  EXPECT_EQ(demoted, 2);
  // Ranking the prepared batch again, at another time, and Next, normalize
  // no text: it was folded once, at Prepare.
  const uint64_t folds = FoldTextCount();
  for (int k = 0; k < 5; ++k) {
    ctx.now_ms += 60000;
    r.Rank(batch, ctx);
  }
  EXPECT_EQ(FoldTextCount(), folds);
}

}  // namespace
}  // namespace reelrank
