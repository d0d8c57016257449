// Regression tests from fuzzing (tests/fuzz/): every input a fuzzer found
// crashing or breaking an invariant is replayed here, plus deterministic
// sweeps of the same properties the fuzz targets check (so the normal suite,
// and its ASan/UBSan run, keeps guarding them without a fuzzer):
//   - a byte-level mutation of a valid exported profile either imports or
//     returns an error, and a rejected import leaves the profile unchanged;
//   - malformed candidates are rejected with a reason, never crash, and the
//     rest are still ranked;
//   - an item the policy drops is never returned by the pipeline.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "profile_fixture.h"
#include "reelrank/feature_table.h"
#include "reelrank/pipeline.h"
#include "reelrank/policy.h"
#include "reelrank/ranker.h"
#include "serial.h"

namespace reelrank {
namespace {

// Sanitizer builds run a sparser sweep (tests/lib/extra-native.sh sets it).
int Stride(int normal, int sanitized) {
  return std::getenv("REELRANK_SANITIZER") ? sanitized : normal;
}

using fixture::LearnProfileHistory;

RankerConfig SmallConfig() { return fixture::SmallProfileConfig(); }
std::vector<Candidate> Catalog(int n) { return fixture::ProfileCatalog(n); }

// A ranker with a little history (views, likes, a not-interested).
void Learn(Ranker* r) { ASSERT_EQ(LearnProfileHistory(r), 0); }

TEST(FuzzRegression, ByteMutationsOfAValidProfileImportOrFailCleanly) {
  Ranker source(SmallConfig());
  Learn(&source);
  const std::string valid = source.ExportProfile();
  ASSERT_GT(valid.size(), 100u);

  Ranker target(SmallConfig());
  ASSERT_TRUE(target.ImportProfile(valid).ok());
  const std::string before = target.ExportProfile();
  ASSERT_EQ(before, valid);

  int rejected = 0, accepted = 0;
  const int stride = Stride(7, 61);
  for (size_t i = 0; i < valid.size(); i += stride) {
    for (int variant = 0; variant < 3; ++variant) {
      std::string m = valid;
      if (variant == 0) m[i] = static_cast<char>(m[i] ^ (1 << (i % 8)));
      if (variant == 1) m.resize(i);  // truncated
      if (variant == 2) m.insert(i, "\x00\xff", 2);
      Status s = target.ImportProfile(m);
      if (s.ok()) {
        ++accepted;
        // Whatever was accepted re-exports and re-imports exactly.
        const std::string again = target.ExportProfile();
        Ranker fresh(SmallConfig());
        ASSERT_TRUE(fresh.ImportProfile(again).ok()) << "offset " << i;
        EXPECT_EQ(fresh.ExportProfile(), again);
        ASSERT_TRUE(target.ImportProfile(valid).ok());
      } else {
        ++rejected;
        EXPECT_FALSE(s.message().empty());
        ASSERT_EQ(target.ExportProfile(), before)
            << "rejected import changed the profile at offset " << i
            << " variant " << variant << ": " << s.ToString();
      }
    }
  }
  EXPECT_GT(rejected, 0);
  // The checksum catches flips inside the payload: almost nothing passes.
  EXPECT_LT(accepted, rejected / 10 + 5);
}

// fuzz_events crash-73e5031c (UBSan, learner.cpp EntryScale): an event with
// timestamp_ms near INT64_MIN was accepted, and the next Rank computed
// now - last_seen, a signed overflow. Observe now rejects times outside
// +-1e15 ms and Rank clamps now_ms.
TEST(FuzzRegression, ExtremeTimestampsAreRejectedNotOverflowed) {
  Ranker r(SmallConfig());
  Learn(&r);
  const std::string before = r.ExportProfile();
  for (int64_t ts :
       {std::numeric_limits<int64_t>::min(),
        std::numeric_limits<int64_t>::min() + 3154,
        std::numeric_limits<int64_t>::max(), int64_t{1000000000000001}}) {
    Event e;
    e.event_id = "extreme" + std::to_string(ts);
    e.item_id = "v3";
    e.kind = EventKind::kLike;
    e.timestamp_ms = ts;
    Status s = r.Observe(e);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << ts;
    EXPECT_NE(s.message().find("event.timestamp_ms"), std::string::npos);
  }
  EXPECT_EQ(r.ExportProfile(), before);
  // Ranking at any clock value is defined behaviour (UBSan checks it).
  std::vector<Candidate> cands = Catalog(12);
  for (int64_t now : {std::numeric_limits<int64_t>::min(), int64_t{0},
                      std::numeric_limits<int64_t>::max()}) {
    Context ctx;
    ctx.now_ms = now;
    RankResult res = r.Rank(cands, ctx);
    EXPECT_FALSE(res.ranked.empty());  // some may be dropped (fatigue, policy)
    for (const auto& sc : res.ranked) EXPECT_TRUE(std::isfinite(sc.value));
  }
  // The largest accepted times still learn without overflow.
  Event e;
  e.event_id = "far-future";
  e.item_id = "v3";
  e.kind = EventKind::kLike;
  e.timestamp_ms = 1000000000000000LL;
  EXPECT_TRUE(r.Observe(e).ok());
  Context ctx;
  ctx.now_ms = -1000000000000000LL;
  EXPECT_FALSE(r.Rank(cands, ctx).ranked.empty());
}

// A profile edited with a valid checksum (what a buggy or hostile writer
// could store).
std::string Reseal(nlohmann::json root) {
  const std::string ptext = root["payload"].dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  root["checksum"] = serial::Hex64(Fnv1a64(ptext));
  return root.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Base64 of little-endian floats, as the version-2 profile stores them.
std::string B64Floats(const std::vector<float>& v) {
  std::string bytes;
  for (float f : v) {
    uint32_t u;
    std::memcpy(&u, &f, sizeof(u));
    for (int i = 0; i < 4; ++i)
      bytes.push_back(static_cast<char>(u >> (8 * i)));
  }
  std::string out;
  serial::AppendBase64(bytes.data(), bytes.size(), &out);
  return out;
}

// fuzz_profile crash-e5c085ee (FUZZ_CHECK): a float field holding a finite
// double beyond float range (1e39) was accepted, became inf in memory, was
// exported as null and the export no longer imported. Now kDataLoss. In the
// version-2 format floats are binary: a non-finite value is kDataLoss too.
TEST(FuzzRegression, FloatFieldsBeyondFloatRangeAreRejected) {
  Ranker source(SmallConfig());
  Learn(&source);
  const std::string valid = source.ExportProfile();
  nlohmann::json root = nlohmann::json::parse(valid);
  ASSERT_EQ(root["version"], 2);
  ASSERT_TRUE(root["payload"]["log"].size() > 0);
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();

  std::vector<std::string> bad;
  {
    nlohmann::json j = root;
    j["payload"]["checkpoint"]["long_interest"] =
        B64Floats({inf, 0.0f, 0.0f, 0.0f});
    bad.push_back(Reseal(j));
  }
  {
    nlohmann::json j = root;
    j["payload"]["log"][0]["velocity"] = B64Floats({nan});
    bad.push_back(Reseal(j));
  }
  {
    nlohmann::json j = root;
    j["payload"]["checkpoint"]["features"]["z"] = B64Floats({1.0f});
    bad.push_back(Reseal(j));  // wrong length
  }
  {
    nlohmann::json j = root;
    j["payload"]["log"][0]["item"] = 100000;  // no such item
    bad.push_back(Reseal(j));
  }
  {
    nlohmann::json j = root;
    j["payload"]["log"][0]["velocity"] = "AAAAAA=";  // not base64
    bad.push_back(Reseal(j));
  }
  // fuzz_profile crash-4ddd75cf (FUZZ_CHECK, non-finite rank value): a bit
  // flip in binary made an FTRL accumulator n negative, sqrt(n) NaN. Now
  // kDataLoss (accumulators, sightings and negative strengths are >= 0).
  {
    nlohmann::json j = root;
    std::vector<float> dn(kNumHeads * kNumDense, 1.0f);
    dn[5] = -0.5f;
    j["payload"]["checkpoint"]["dense_n"] = B64Floats(dn);
    bad.push_back(Reseal(j));
  }
  {
    nlohmann::json j = root;
    const size_t n = j["payload"]["checkpoint"]["features"]["name"].size();
    ASSERT_GT(n, 0u);
    std::vector<float> nn(n * kNumHeads, 1.0f);
    nn[3] = -0.45f;
    j["payload"]["checkpoint"]["features"]["n"] = B64Floats(nn);
    bad.push_back(Reseal(j));
  }
  {
    nlohmann::json j = root;
    j["payload"]["log"][0]["velocity"] = B64Floats({3.0e38f});  // a float
    bad.push_back(Reseal(j));
  }
  Ranker target(SmallConfig());
  ASSERT_TRUE(target.ImportProfile(valid).ok());
  for (size_t i = 0; i < bad.size(); ++i) {
    Status s = target.ImportProfile(bad[i]);
    if (i + 1 < bad.size()) {
      EXPECT_EQ(s.code(), StatusCode::kDataLoss) << i << " " << s.ToString();
      EXPECT_EQ(target.ExportProfile(), valid) << i;
    } else if (s.ok()) {
      // Whatever is accepted must export and import again.
      Ranker again(SmallConfig());
      EXPECT_TRUE(again.ImportProfile(target.ExportProfile()).ok());
      ASSERT_TRUE(target.ImportProfile(valid).ok());
    }
  }
}

// fuzz_profile crash-3330c73d (FUZZ_CHECK, non-finite rank value): a bit
// flip in an item snapshot's base64 embedding turned one entry into -1e24
// (finite, checksum recomputed); the import accepted it and the score
// overflowed. Snapshot embeddings are stored unit length, so anything else is
// now kDataLoss naming the field; a different unit vector still imports.
TEST(FuzzRegression, SnapshotEmbeddingsMustBeUnitLength) {
  Ranker source(SmallConfig());
  Learn(&source);
  const std::string valid = source.ExportProfile();
  nlohmann::json root = nlohmann::json::parse(valid);
  nlohmann::json& items = root["payload"]["items"];
  size_t k = 0;
  while (k < items.size() && items[k]["embedding"].get<std::string>().empty())
    ++k;
  ASSERT_LT(k, items.size()) << "fixture has no item with an embedding";

  Ranker target(SmallConfig());
  ASSERT_TRUE(target.ImportProfile(valid).ok());
  for (const std::vector<float>& e : std::vector<std::vector<float>>{
           {-1.0552e24f, 0.0f, 0.4364f, -0.2182f},  // the fuzzer's value
           {2.0f, 0.0f, 0.0f, 0.0f},
           {0.0f, 0.0f, 0.0f, 0.0f}}) {
    nlohmann::json j = root;
    j["payload"]["items"][k]["embedding"] = B64Floats(e);
    Status s = target.ImportProfile(Reseal(j));
    EXPECT_EQ(s.code(), StatusCode::kDataLoss) << s.ToString();
    EXPECT_NE(s.message().find("embedding"), std::string::npos) << s.message();
    EXPECT_EQ(target.ExportProfile(), valid);
  }
  nlohmann::json j = root;
  j["payload"]["items"][k]["embedding"] = B64Floats({0.0f, 0.6f, 0.0f, 0.8f});
  Status s = target.ImportProfile(Reseal(j));
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::vector<Candidate> cands = Catalog(12);
  Context ctx;
  ctx.now_ms = fixture::kProfileT0;
  for (const auto& r : target.Rank(cands, ctx).ranked) {
    EXPECT_TRUE(std::isfinite(r.value));
  }
}

// fuzz_profile crash-90c576a0 (UBSan, learner.cpp DecayVector): a profile
// whose checkpoint long_ms was near INT64_MIN (checksum recomputed) was
// accepted and the next event computed now - long_ms, a signed overflow.
// Every time in an imported profile must now be within +-1e15 ms (as events
// are), item durations within (0, 1e15]; candidates are held to the same.
TEST(FuzzRegression, ProfileTimesOutOfRangeAreRejected) {
  Ranker source(SmallConfig());
  Learn(&source);
  const std::string valid = source.ExportProfile();
  const nlohmann::json root = nlohmann::json::parse(valid);
  const nlohmann::json& cp = root["payload"]["checkpoint"];
  ASSERT_TRUE(cp.contains("long_ms") && cp.contains("session_ms"));
  Ranker target(SmallConfig());
  ASSERT_TRUE(target.ImportProfile(valid).ok());
  std::vector<std::pair<std::string, int64_t>> edits = {
      {"long_ms", -9223372036854687474LL},
      {"session_ms", std::numeric_limits<int64_t>::max()},
      {"last_event_ms", 1000000000000001LL}};
  for (const auto& [field, value] : edits) {
    nlohmann::json j = root;
    j["payload"]["checkpoint"][field] = value;
    Status s = target.ImportProfile(Reseal(j));
    EXPECT_EQ(s.code(), StatusCode::kDataLoss) << field;
    EXPECT_NE(s.message().find(field), std::string::npos) << s.message();
    EXPECT_EQ(target.ExportProfile(), valid) << field;
  }
  {
    nlohmann::json j = root;
    j["payload"]["items"][0]["duration_ms"] = 1000000000000001LL;
    EXPECT_EQ(target.ImportProfile(Reseal(j)).code(), StatusCode::kDataLoss);
  }
  // A time at the edge of the range is still accepted, and the ranker keeps
  // ranking and learning from it without overflow. A candidate longer than
  // 1e15 ms is rejected naming the field.
  nlohmann::json j = root;
  j["payload"]["checkpoint"]["long_ms"] = -1000000000000000LL;
  ASSERT_TRUE(target.ImportProfile(Reseal(j)).ok());
  std::vector<Candidate> cands = Catalog(2);
  cands[1].duration_ms = 1000000000000001LL;
  Context ctx;
  ctx.now_ms = 1000000000000000LL;
  RankResult res = target.Rank(cands, ctx);
  ASSERT_EQ(res.rejected.size(), 1u);
  EXPECT_NE(res.rejected[0].status.ToString().find("duration_ms"),
            std::string::npos);
  Event e;
  e.event_id = "late";
  e.item_id = cands[0].id;
  e.kind = EventKind::kLike;
  e.timestamp_ms = ctx.now_ms;
  Status so = target.Observe(e);
  EXPECT_TRUE(so.ok()) << so.ToString();
}

// fuzz_profile crash-cba6b596 (UBSan signed overflow in ApplyEvent): a
// stored checkpoint with "events": INT64_MAX imported, and the next event
// incremented it. The counters the learner increments (events, views, per
// kind, a view's completes / replays) must leave room to count.
TEST(FuzzRegression, ProfileCountsOutOfRangeAreRejected) {
  Ranker source(SmallConfig());
  Learn(&source);
  const std::string valid = source.ExportProfile();
  const nlohmann::json root = nlohmann::json::parse(valid);
  ASSERT_TRUE(root["payload"]["checkpoint"].contains("events"));
  Ranker target(SmallConfig());
  ASSERT_TRUE(target.ImportProfile(valid).ok());
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  struct Edit {
    std::string field;
    nlohmann::json value;
  };
  std::vector<Edit> edits = {{"events", kMax},
                             {"events", -1},
                             {"views", 1000000000000001LL},
                             {"kind_counts", nullptr}};
  for (const Edit& e : edits) {
    nlohmann::json j = root;
    nlohmann::json& cp = j["payload"]["checkpoint"];
    if (e.field == "kind_counts") {
      ASSERT_TRUE(cp["kind_counts"].is_array());
      cp["kind_counts"][0] = kMax;
    } else {
      cp[e.field] = e.value;
    }
    Status s = target.ImportProfile(Reseal(j));
    EXPECT_EQ(s.code(), StatusCode::kDataLoss) << e.field;
    EXPECT_NE(s.message().find("checkpoint." + e.field), std::string::npos)
        << s.message();
    EXPECT_EQ(target.ExportProfile(), valid) << e.field;
  }
  // A view's replays beyond an int's room (the checkpoint's open view).
  {
    nlohmann::json j = root;
    nlohmann::json& cp = j["payload"]["checkpoint"];
    ASSERT_TRUE(cp.contains("view") && cp["view"].is_object());
    cp["view"]["replays"] = 4294967297LL;
    Status s = target.ImportProfile(Reseal(j));
    EXPECT_EQ(s.code(), StatusCode::kDataLoss);
    EXPECT_NE(s.message().find("view.replays"), std::string::npos)
        << s.message();
  }
  // At the edge of the range the ranker keeps learning without overflow.
  nlohmann::json j = root;
  j["payload"]["checkpoint"]["events"] = 1000000000000000LL;
  ASSERT_TRUE(target.ImportProfile(Reseal(j)).ok());
  std::vector<Candidate> cands = Catalog(2);
  Context ctx;
  ctx.now_ms = 1800000000000LL;
  ASSERT_FALSE(target.Rank(cands, ctx).ranked.empty());
  for (int k = 0; k < 3; ++k) {
    Event e;
    e.event_id = "edge" + std::to_string(k);
    e.item_id = cands[0].id;
    e.kind = k == 0 ? EventKind::kImpression : EventKind::kReplay;
    e.timestamp_ms = ctx.now_ms + k;
    Status so = target.Observe(e);
    EXPECT_TRUE(so.ok()) << so.ToString();
  }
}

// fuzz_events crash-3f898fcd (FUZZ_CHECK, export -> import -> export
// differs): two items whose tags were different invalid UTF-8 bytes were both
// exported with U+FFFD, so they imported as one item. Text the profile keeps
// must now be valid UTF-8: such candidates and events are rejected naming the
// field; valid non-ASCII text is kept and round-trips byte for byte.
TEST(FuzzRegression, InvalidUtf8IsRejectedAndValidTextRoundTrips) {
  Ranker r(SmallConfig());
  std::vector<Candidate> cands = Catalog(4);
  cands[0].tags.push_back("caf\xc3\xa9");   // valid: "café"
  cands[1].tags.push_back("\xe7\x8c\xab");  // valid: U+732B
  Candidate bad = cands[2];
  bad.id = "bad-tag";
  bad.tags = {"ok", "\xff\x14\xfe"};
  cands.push_back(bad);
  bad = cands[3];
  bad.id = "bad-author";
  bad.author = "a\xc0\xaf";  // overlong '/'
  cands.push_back(bad);
  bad = cands[3];
  bad.id = "bad-label";
  bad.safety = {{"\xed\xa0\x80", 0.5f}};  // a surrogate
  cands.push_back(bad);
  bad = cands[3];
  bad.id = "v\xe2\x82";  // truncated sequence
  cands.push_back(bad);

  Context ctx;
  ctx.now_ms = fixture::kProfileT0;
  RankResult res = r.Rank(cands, ctx);
  EXPECT_EQ(res.ranked.size(), 4u);
  ASSERT_EQ(res.rejected.size(), 4u);
  const char* fields[] = {"tags[1]", "author", "safety[0].name", "id"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(res.rejected[i].index, 4 + i);
    EXPECT_NE(res.rejected[i].status.message().find("UTF-8"),
              std::string::npos);
    EXPECT_NE(res.rejected[i].status.ToString().find(fields[i]),
              std::string::npos)
        << res.rejected[i].status.ToString();
  }

  Event e;
  e.event_id = "e\x80";
  e.item_id = cands[0].id;
  e.kind = EventKind::kLike;
  e.timestamp_ms = ctx.now_ms;
  Status s = r.Observe(e);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.ToString().find("event.event_id"), std::string::npos);
  e.event_id = "e1";
  e.item_id = "v\xf5";
  EXPECT_NE(r.Observe(e).ToString().find("event.item_id"), std::string::npos);
  for (int i = 0; i < 2; ++i) {
    e.event_id = "ok" + std::to_string(i);
    e.item_id = cands[i].id;
    ASSERT_TRUE(r.Observe(e).ok());
  }

  const std::string out = r.ExportProfile();
  Ranker fresh(SmallConfig());
  ASSERT_TRUE(fresh.ImportProfile(out).ok());
  EXPECT_EQ(fresh.ExportProfile(), out);
  EXPECT_NE(out.find("caf\xc3\xa9"), std::string::npos);
}

TEST(FuzzRegression, MalformedCandidatesAreRejectedOthersRanked) {
  Ranker r(SmallConfig());
  std::vector<Candidate> cands = Catalog(6);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  Candidate bad = cands[0];
  bad.id = "nan-emb";
  bad.embedding = {nan, 0, 0, 0};
  cands.push_back(bad);
  bad.id = "inf-emb";
  bad.embedding = {inf, -inf, 0, 0};
  cands.push_back(bad);
  bad.id = "huge-emb";
  bad.embedding = {3e38f, 3e38f, 3e38f, 3e38f};  // finite, norm overflows
  cands.push_back(bad);
  bad.id = "zero-emb";
  bad.embedding = {0, 0, 0, 0};
  cands.push_back(bad);
  bad.id = "short-emb";
  bad.embedding = {1, 2};
  cands.push_back(bad);
  bad = cands[1];
  bad.id = "nan-score";
  bad.server_score = std::nan("");
  cands.push_back(bad);
  bad.id = "neg-duration";
  bad.server_score = 0.5;
  bad.duration_ms = -5;
  cands.push_back(bad);
  bad.id = "max-duration";
  bad.duration_ms = std::numeric_limits<int64_t>::max();
  cands.push_back(bad);
  bad.id = "min-created";
  bad.duration_ms = 1000;
  bad.created_at_ms = std::numeric_limits<int64_t>::min();
  cands.push_back(bad);
  bad.id = "bad-maturity";
  bad.created_at_ms = 0;
  bad.maturity = static_cast<Maturity>(7);
  cands.push_back(bad);
  bad.id = "nan-label";
  bad.maturity = Maturity::kGeneral;
  bad.safety = {{"violence", nan}};
  cands.push_back(bad);
  bad.id = "";
  bad.safety.clear();
  cands.push_back(bad);
  cands.push_back(cands[2]);  // duplicate id

  Context ctx;
  ctx.now_ms = 1700000000000LL;
  ctx.hour_of_day = 99;  // out of range: must not index out of bounds
  RankResult res = r.Rank(cands, ctx);
  std::vector<int> hits(cands.size(), 0);
  for (const auto& s : res.ranked) {
    ASSERT_GE(s.index, 0);
    ASSERT_LT(s.index, static_cast<int>(cands.size()));
    ++hits[s.index];
    EXPECT_TRUE(std::isfinite(s.value)) << cands[s.index].id;
  }
  for (const auto& j : res.rejected) {
    ++hits[j.index];
    EXPECT_FALSE(j.status.ok());
  }
  for (int h : hits) EXPECT_LE(h, 1);
  // The six good ones are always ranked.
  for (int i = 0; i < 6; ++i) EXPECT_EQ(hits[i], 1) << i;
  for (const auto& j : res.rejected) {
    EXPECT_NE(j.index, 0);
  }
}

// The drop-invariant sweeps' catalog: items 1 (violence label), 4 (blocked
// tag), 7 (blocked author), 9 (scam keyword) and 10 (mature) are dropped by
// kDropPolicy + kDropControls; "cats" items are boosted 100x.
std::vector<Candidate> DropCatalog() {
  std::vector<Candidate> cands = Catalog(12);
  cands[1].safety = {{"violence", 0.95f}};
  cands[4].tags.push_back("blocked_tag");
  cands[7].author = "blocked_author";
  cands[9].caption = "a real SCAM offer";
  cands[10].maturity = Maturity::kMature;
  return cands;
}
constexpr const char* kDropPolicy = R"({"rules": [
    {"id": "v", "action": "drop", "match": {"labels": ["violence"]}},
    {"id": "kw", "action": "drop", "match": {"keywords": ["scam"]}},
    {"id": "b", "action": "boost", "multiplier": 100, "priority": 9,
     "final": true, "match": {"tags": ["cats"]}}]})";
constexpr const char* kDropControls =
    R"({"blocked_authors": ["blocked_author"],
        "blocked_tags": ["blocked_tag"], "max_maturity": "teen"})";

// The drop invariant, swept over exploration / diversity settings and many
// seeds: dropped items passed to the pipeline never come out.
TEST(FuzzRegression, DroppedItemsNeverLeaveThePipeline) {
  const std::vector<Candidate> cands = DropCatalog();
  const int seeds = Stride(200, 40);
  for (int seed = 0; seed < seeds; ++seed) {
    PipelineConfig pc;
    pc.explore.enabled = true;
    pc.explore.slot_every = 2 + seed % 3;
    pc.explore.max_rate = 1.0;
    pc.explore.min_rate = 1.0;
    pc.diversity.author_window = seed % 4;
    pc.diversity.explore_gap = seed % 2;
    pc.history_size = 1 + seed % 8;
    Pipeline p(pc);
    ASSERT_TRUE(p.policy_engine().SetPolicyJson(kDropPolicy).ok());
    ASSERT_TRUE(p.policy_engine().SetUserControlsJson(kDropControls).ok());
    SplitMix64 rng(seed);
    const int64_t now = 1700000000000LL;
    for (int step = 0; step < 6; ++step) {
      std::vector<StageItem> items;
      std::vector<bool> dropped(cands.size());
      for (size_t i = 0; i < cands.size(); ++i) {
        StageItem it;
        it.index = static_cast<int>(i);
        it.policy = p.Decide(cands[i], now);
        it.score = (i * 7 + seed) % 5 - 2.0;
        it.uncertainty = 3.0;  // exploration wants these badly
        dropped[i] = it.policy.dropped();
        items.push_back(it);
      }
      ASSERT_TRUE(dropped[1] && dropped[4] && dropped[7] && dropped[9] &&
                  dropped[10]);
      for (const StageItem& f : p.Order(cands, items, 0.0, rng)) {
        ASSERT_FALSE(dropped[f.index])
            << "seed " << seed << " item " << f.index;
      }
      StageItem out;
      int pos = p.Next(cands, items, 0.0, rng, &out);
      ASSERT_GE(pos, 0);
      ASSERT_FALSE(dropped[items[pos].index]) << "seed " << seed;
      p.RecordShown(cands[items[pos].index], out.explored);
    }
  }
}

// The same invariant through the facade: Ranker::Rank in feed order
// (rank_feed_order: exploration at rate 1 and diversity inside Rank) and
// Ranker::Next, with views observed in between, never return a dropped item.
TEST(FuzzRegression, DroppedItemsNeverLeaveTheRanker) {
  const std::vector<Candidate> cands = DropCatalog();
  const std::vector<std::string> dropped_ids = {"v1", "v4", "v7", "v9", "v10"};
  auto is_dropped = [&](const std::string& id) {
    return std::find(dropped_ids.begin(), dropped_ids.end(), id) !=
           dropped_ids.end();
  };
  const int seeds = Stride(60, 12);
  for (int seed = 0; seed < seeds; ++seed) {
    RankerConfig c = SmallConfig();
    c.seed = static_cast<uint64_t>(seed);
    c.pipeline.rank_feed_order = true;
    c.pipeline.explore.slot_every = 2 + seed % 3;
    c.pipeline.explore.max_rate = 1.0;
    c.pipeline.explore.min_rate = 1.0;
    c.pipeline.explore.prior_sigma = 5.0;
    c.pipeline.diversity.author_window = seed % 4;
    Ranker r(c);
    ASSERT_TRUE(r.SetPolicy(kDropPolicy).ok());
    ASSERT_TRUE(r.SetUserControls(kDropControls).ok());
    Context ctx;
    ctx.now_ms = 1700000000000LL;
    int n = 0;
    for (int step = 0; step < 6; ++step) {
      RankResult res = r.Rank(cands, ctx);
      EXPECT_EQ(res.dropped.size(), dropped_ids.size()) << "seed " << seed;
      for (const auto& s : res.ranked) {
        ASSERT_FALSE(is_dropped(cands[s.index].id))
            << "seed " << seed << " Rank returned " << cands[s.index].id;
      }
      NextItem next = r.Next(ctx);
      if (!next.found) break;
      ASSERT_FALSE(is_dropped(next.id))
          << "seed " << seed << " Next returned " << next.id;
      for (EventKind k : {EventKind::kImpression, EventKind::kSwipeAway}) {
        Event e;
        e.event_id = "e" + std::to_string(n++);
        e.item_id = next.id;
        e.kind = k;
        e.timestamp_ms = ctx.now_ms + n;
        e.dwell_ms = 2000;
        ASSERT_TRUE(r.Observe(e).ok());
      }
      ctx.now_ms += 60000;
    }
  }
}

}  // namespace
}  // namespace reelrank
