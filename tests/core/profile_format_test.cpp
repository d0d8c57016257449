// The exported profile format: version 2 (binary-in-text floats, items stored
// once, canonical layout), the base64 and string helpers behind it, and the
// version-1 reader kept for profiles saved by earlier builds.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lite_json.h"
#include "profile_v1_fixture.h"
#include "reelrank/limits.h"
#include "reelrank/ranker.h"
#include "serial.h"
#include "simulator.h"

namespace reelrank {
namespace {

using nlohmann::json;

// The config profile_v1_fixture.h was generated with.
RankerConfig V1FixtureConfig() {
  RankerConfig c = sim::SimConfig();
  c.profile.max_event_log = 12;
  c.profile.max_features = 48;
  c.profile.max_seen_items = 32;
  // Personal terms at full weight, so the imported weights show in
  // TopInterests whatever evidence the replayed log built.
  c.learner.gate_z = 0.0;
  return c;
}

std::string Reseal(json root) {
  const std::string ptext =
      root["payload"].dump(-1, ' ', false, json::error_handler_t::replace);
  root["checksum"] = serial::Hex64(Fnv1a64(ptext));
  return root.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A ranker with history: `views` simulated views, log of `log` events.
void Play(Ranker* r, int views, uint64_t seed = 11) {
  sim::Catalog cat = sim::MakeCatalog(6);
  sim::User u;
  u.loved_topic = 2;
  u.hated_topics = {5};
  sim::Session s(seed);
  for (int v = 0; v < views; ++v) {
    const int i = sim::NextUnseen(r->Rank(cat.items, s.Ctx()));
    for (const Event& e :
         s.View(u, cat.items[i], cat.topic[i], cat.creator[i])) {
      ASSERT_TRUE(r->Observe(e).ok());
    }
  }
}

TEST(ProfileFormatTest, Base64RoundTripsAndRejectsNonCanonicalText) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  for (size_t n = 0; n <= 10; ++n) {
    std::string enc, dec;
    serial::AppendBase64(bytes.data() + 100, n, &enc);
    EXPECT_EQ(enc.size(), (n + 2) / 3 * 4);
    ASSERT_TRUE(serial::DecodeBase64(enc, &dec)) << enc;
    EXPECT_EQ(dec, bytes.substr(100, n));
  }
  std::string enc, dec;
  serial::AppendBase64(bytes.data(), bytes.size(), &enc);
  ASSERT_TRUE(serial::DecodeBase64(enc, &dec));
  EXPECT_EQ(dec, bytes);
  std::string out;
  serial::AppendBase64("f", 1, &out);
  EXPECT_EQ(out, "Zg==");
  for (const char* bad : {"Zg=", "Zg", "Zh==", "Z===", "=Zg=", "Zg==Zg==",
                          "Zm9v!A==", "Zm9\n", "Zm=v"}) {
    EXPECT_FALSE(serial::DecodeBase64(bad, &dec)) << bad;
  }
  EXPECT_TRUE(serial::DecodeBase64("", &dec));
  EXPECT_TRUE(dec.empty());
}

TEST(ProfileFormatTest, JsonStringsAreWrittenAsNlohmannDumpsThem) {
  for (std::string s :
       {std::string("plain"), std::string("q\"uo\\te"), std::string("tab\t"),
        std::string("nul\0x", 5), std::string("caf\xc3\xa9"),
        std::string("bad\xff utf8"), std::string("del\x7f"), std::string()}) {
    std::string out;
    serial::AppendJsonString(s, &out);
    EXPECT_EQ(out, json(s).dump(-1, ' ', false, json::error_handler_t::replace))
        << s;
  }
}

TEST(ProfileFormatTest, ExportIsCanonicalCompactJsonWithItemsStoredOnce) {
  RankerConfig c = sim::SimConfig();
  c.profile.max_event_log = 40;
  Ranker r(c);
  Play(&r, 30);
  const std::string text = r.ExportProfile();
  const json root = json::parse(text);
  EXPECT_EQ(root["version"], 2);
  // The writer lays the profile out exactly as nlohmann's compact dump does
  // (sorted keys), so the checksum of the raw payload bytes is the checksum
  // of the canonical payload.
  EXPECT_EQ(root.dump(-1, ' ', false, json::error_handler_t::replace), text);
  const json& p = root["payload"];
  EXPECT_EQ(root["checksum"],
            serial::Hex64(Fnv1a64(
                p.dump(-1, ' ', false, json::error_handler_t::replace))));
  ASSERT_EQ(p["log"].size(), 40u);
  // A view logs several events of the same item: each item is stored once.
  EXPECT_LT(p["items"].size(), p["log"].size() / 2);
  for (const json& e : p["log"]) {
    ASSERT_LT(e["item"].get<size_t>(), p["items"].size());
    EXPECT_EQ(p["items"][e["item"].get<size_t>()]["key"],
              serial::Hex64(FeatureKey(e["item_id"].get<std::string>())));
  }
  // No decimal floats: every number in the payload (outside the feed state)
  // is an integer.
  std::vector<const json*> stack = {&p["checkpoint"], &p["items"], &p["log"]};
  while (!stack.empty()) {
    const json* j = stack.back();
    stack.pop_back();
    EXPECT_FALSE(j->is_number_float()) << j->dump();
    if (j->is_structured()) {
      for (const json& k : *j) stack.push_back(&k);
    }
  }
}

TEST(ProfileFormatTest, ReformattedProfileStillImportsAndIsTheSameState) {
  Ranker r(sim::SimConfig());
  Play(&r, 12);
  const std::string text = r.ExportProfile();
  // Pretty-printed (not the canonical layout): the general path reads it.
  const std::string pretty = json::parse(text).dump(2);
  Ranker a(sim::SimConfig());
  ASSERT_TRUE(a.ImportProfile(pretty).ok());
  EXPECT_EQ(a.ExportProfile(), text);
  // ...and still detects a change in the payload.
  std::string flipped = pretty;
  const size_t pos = flipped.find("\"duration_ms\": ") + 15;
  flipped[pos] = flipped[pos] == '1' ? '2' : '1';
  Ranker b(sim::SimConfig());
  EXPECT_EQ(b.ImportProfile(flipped).code(), StatusCode::kDataLoss);
}

TEST(ProfileFormatTest, VersionOneProfilesStillImport) {
  const std::string v1 = fixture::kV1Profile;
  ASSERT_NE(v1.find("\"version\":1}"), std::string::npos);
  Ranker r(V1FixtureConfig());
  ASSERT_TRUE(r.ImportProfile(v1).ok());
  const ProfileStats st = r.Stats();
  EXPECT_EQ(st.features, fixture::kV1Features);
  EXPECT_EQ(st.seen_items, fixture::kV1SeenItems);
  EXPECT_EQ(st.event_log, fixture::kV1EventLog);
  EXPECT_EQ(st.events, fixture::kV1Events);
  EXPECT_EQ(st.views, fixture::kV1Views);
  const std::vector<Interest> top = r.TopInterests(3);
  ASSERT_EQ(top.size(), 3u);
  // Re-exported as version 2, smaller, and the same state both ways.
  const std::string v2 = r.ExportProfile();
  EXPECT_NE(v2.find("\"version\":2}"), std::string::npos);
  EXPECT_LT(v2.size(), v1.size() / 2);
  Ranker again(V1FixtureConfig());
  ASSERT_TRUE(again.ImportProfile(v2).ok());
  EXPECT_EQ(again.ExportProfile(), v2);
  const std::vector<Interest> top2 = again.TopInterests(3);
  ASSERT_EQ(top2.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(top[i].name, top2[i].name);
    EXPECT_EQ(top[i].weight, top2[i].weight);
  }
  sim::Catalog cat = sim::MakeCatalog(6);
  sim::Session s(12);
  const RankResult x = r.Rank(cat.items, s.Ctx());
  const RankResult y = again.Rank(cat.items, s.Ctx());
  ASSERT_EQ(x.ranked.size(), y.ranked.size());
  for (size_t i = 0; i < x.ranked.size(); ++i) {
    EXPECT_EQ(x.ranked[i].index, y.ranked[i].index);
    EXPECT_EQ(x.ranked[i].value, y.ranked[i].value);
  }
  // Version-1 values, one item copy per event: the checkpoint's floats and
  // the logged events come back exactly.
  const json j1 = json::parse(v1)["payload"];
  const json j2 = json::parse(v2)["payload"];
  ASSERT_EQ(j1["log"].size(), j2["log"].size());
  for (size_t i = 0; i < j1["log"].size(); ++i) {
    EXPECT_EQ(j1["log"][i]["event"]["id"], j2["log"][i]["id"]);
    const json& item = j2["items"][j2["log"][i]["item"].get<size_t>()];
    EXPECT_EQ(j1["log"][i]["item"]["key"], item["key"]);
    std::string emb;
    ASSERT_TRUE(
        serial::DecodeBase64(item["embedding"].get<std::string>(), &emb));
    ASSERT_EQ(emb.size(), 4 * j1["log"][i]["item"]["embedding"].size());
    for (size_t k = 0; k < emb.size() / 4; ++k) {
      float f;
      std::memcpy(&f, &emb[4 * k], 4);  // little-endian host (x86, wasm)
      EXPECT_EQ(f, j1["log"][i]["item"]["embedding"][k].get<float>());
    }
  }
}

TEST(ProfileFormatTest, CorruptVersionOneProfilesAreRejected) {
  const std::string v1 = fixture::kV1Profile;
  Ranker r(V1FixtureConfig());
  Play(&r, 3);
  const std::string mine = r.ExportProfile();
  std::vector<std::pair<std::string, StatusCode>> cases;
  std::string flipped = v1;
  const size_t pos = flipped.find("\"duration_ms\":") + 15;
  flipped[pos] = flipped[pos] == '1' ? '2' : '1';
  cases.push_back({flipped, StatusCode::kDataLoss});
  cases.push_back({v1.substr(0, v1.size() - 20), StatusCode::kDataLoss});
  std::string version = v1;
  version.replace(version.find("\"version\":1}"), 12, "\"version\":9}");
  cases.push_back({version, StatusCode::kUnimplemented});
  // fuzz_profile crash-e5c085ee: a decimal float beyond float range.
  json root = json::parse(v1);
  json big = root;
  big["payload"]["checkpoint"]["long_interest"][0] = 1e39;
  cases.push_back({Reseal(big), StatusCode::kDataLoss});
  json vel = root;
  vel["payload"]["log"][0]["event"]["velocity"] = 1e39;
  cases.push_back({Reseal(vel), StatusCode::kDataLoss});
  // A negative FTRL accumulator (sqrt(n) would be NaN when ranking).
  json neg = root;
  neg["payload"]["checkpoint"]["dense_n"][0] = -1.0;
  cases.push_back({Reseal(neg), StatusCode::kDataLoss});
  json negf = root;
  negf["payload"]["checkpoint"]["features"][0]["n"][2] = -0.5;
  cases.push_back({Reseal(negf), StatusCode::kDataLoss});
  for (const auto& c : cases) {
    const Status s = r.ImportProfile(c.first);
    EXPECT_EQ(s.code(), c.second) << s.ToString();
    EXPECT_EQ(r.ExportProfile(), mine);
  }
  RankerConfig other = V1FixtureConfig();
  other.embedding_dim = 8;
  Ranker eight(other);
  EXPECT_EQ(eight.ImportProfile(v1).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace reelrank

namespace reelrank {
namespace {

// Issue 20 #3: what is refused before any parsing, and an import that is
// linear in a long (re-sealed, so checksum-valid) feed history.
TEST(ProfileLimitsTest, TooDeepOrTooLongTextIsRefusedBeforeParsing) {
  Ranker r(sim::SimConfig());
  Play(&r, 20);
  const std::string good = r.ExportProfile();
  ASSERT_LT(good.size(), r.profile_bytes_limit());
  EXPECT_TRUE(lite::DepthWithin(good, Limits::kProfileDepth));
  for (int depth : {Limits::kProfileDepth + 1, 10000, 1000000}) {
    json root = json::parse(good);
    std::string text = root.dump();
    text.insert(text.size() - 1,
                ",\"x\":" + std::string(depth, '[') + std::string(depth, ']'));
    const Status st = r.ImportProfile(text);
    EXPECT_EQ(st.code(), StatusCode::kDataLoss) << depth;
    EXPECT_EQ(st.message().rfind("profile: nested deeper than", 0), 0u)
        << st.message();
    EXPECT_EQ(r.ExportProfile(), good);
  }
  // Brackets inside strings do not count.
  EXPECT_TRUE(lite::DepthWithin("[\"" + std::string(100, '[') + "\\\"[\"]", 1));
  EXPECT_FALSE(lite::DepthWithin("[[", 1));
  std::string huge = good;
  huge.insert(huge.size() - 1,
              ",\"pad\":\"" + std::string(r.profile_bytes_limit(), 'x') + "\"");
  const Status st = r.ImportProfile(huge);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message().rfind("profile: ", 0), 0u) << st.message();
  EXPECT_NE(st.message().find("limit"), std::string::npos) << st.message();
  EXPECT_EQ(r.ExportProfile(), good);
}

TEST(ProfileLimitsTest, ALongFeedHistoryImportsInOnePassAndKeepsTheNewest) {
  Ranker r(sim::SimConfig());
  Play(&r, 20);
  json root = json::parse(r.ExportProfile());
  json& history = root["payload"]["feed"]["history"];
  ASSERT_TRUE(history.is_array());
  ASSERT_FALSE(history.empty());
  const json entry = history.back();
  // 60,000 entries (about 9 MB, within the byte limit); a trim that erased
  // one entry at a time took minutes for this.
  json big = json::array();
  for (int i = 0; i < 60000; ++i) {
    json e = entry;
    e["event_id"] = "h" + std::to_string(i);
    big.push_back(std::move(e));
  }
  history = std::move(big);
  const std::string text = Reseal(root);
  ASSERT_LT(text.size(), r.profile_bytes_limit());
  ASSERT_TRUE(r.ImportProfile(text).ok());
  const json after = json::parse(r.ExportProfile());
  const json& kept = after["payload"]["feed"]["history"];
  const size_t cap =
      static_cast<size_t>(sim::SimConfig().pipeline.history_size);
  ASSERT_EQ(kept.size(), cap);
  EXPECT_EQ(kept.back()["event_id"], "h59999");
  EXPECT_EQ(kept.front()["event_id"], "h" + std::to_string(60000 - cap));
}

}  // namespace
}  // namespace reelrank

namespace reelrank {
namespace {

// Issue 21 #6: everything the user set is in the export, the objective
// weights too; a profile without them (saved before) keeps the current ones.
TEST(ProfileLimitsTest, ObjectiveWeightsTravelWithTheProfile) {
  Ranker a(sim::SimConfig());
  Play(&a, 10);
  ASSERT_TRUE(a.SetObjectiveWeights(R"({"like": 2.5, "share": 0})").ok());
  const std::string saved = a.ExportProfile();
  Ranker b(sim::SimConfig());
  ASSERT_TRUE(b.ImportProfile(saved).ok());
  EXPECT_EQ(b.config().objective_weights, a.config().objective_weights);
  EXPECT_EQ(b.ExportProfile(), saved);
  // Without the key: accepted, the weights stay as they were.
  json root = json::parse(saved);
  root["payload"].erase("objective_weights");
  Ranker c(sim::SimConfig());
  ASSERT_TRUE(c.ImportProfile(Reseal(root)).ok());
  EXPECT_EQ(c.config().objective_weights, sim::SimConfig().objective_weights);
  // Out of range (re-sealed, so only the value is wrong): refused, named.
  root = json::parse(saved);
  root["payload"]["objective_weights"]["like"] = 9;
  const std::string before = b.ExportProfile();
  const Status st = b.ImportProfile(Reseal(root));
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message().rfind("profile.payload.objective_weights.like: ", 0),
            0u)
      << st.message();
  EXPECT_EQ(b.ExportProfile(), before);
}

}  // namespace
}  // namespace reelrank
