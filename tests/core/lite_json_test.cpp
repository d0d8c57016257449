// The light JSON parser used to read version-2 profiles: it accepts exactly
// what nlohmann accepts (except nesting deeper than kMaxDepth), and its
// nodes hold the right values.
#include "lite_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reelrank/ranker.h"
#include "simulator.h"

namespace reelrank {
namespace {

bool NlohmannAccepts(const std::string& s) {
  return !nlohmann::json::parse(s, nullptr, false).is_discarded();
}

TEST(LiteJsonTest, AcceptsExactlyWhatNlohmannAccepts) {
  const std::vector<std::string> cases = {"{\"a\":1}",
                                          "[1,2,]",
                                          "{\"a\":}",
                                          "{\"a\" 1}",
                                          "{\"a\":1}x",
                                          "",
                                          " [ ] ",
                                          "[]",
                                          "{}",
                                          "[{}]",
                                          "\"\\ud800\"",
                                          "\"\\udc00\"",
                                          "\"\\ud800\\udc00\"",
                                          "\"\\ud800\\u0041\"",
                                          "\"\x01\"",
                                          "\"\xff\"",
                                          "\"\xc3\xa9\"",
                                          "\"\xc3\"",
                                          "\"\xe0\x80\x80\"",
                                          "\"\xed\xa0\x80\"",
                                          "\"\xf4\x90\x80\x80\"",
                                          "\"\xf0\x9f\x98\x80\"",
                                          "01",
                                          "-",
                                          "1.",
                                          "1e",
                                          "1e5",
                                          "-0",
                                          "1.5e-3",
                                          "9223372036854775807",
                                          "9223372036854775808",
                                          "-9223372036854775808",
                                          "-9223372036854775809",
                                          "tru",
                                          "true",
                                          "null",
                                          "nul",
                                          "\"a\\x\"",
                                          "\"\\u12g4\"",
                                          "\"abc",
                                          "[\"a\",",
                                          "{\"a\":[1,{\"b\":null}]}",
                                          "\"tab\there\"",
                                          "[1 2]",
                                          "{,}",
                                          "[,1]",
                                          "\"\\/\""};
  for (const std::string& s : cases) {
    lite::Doc d;
    EXPECT_EQ(d.Parse(s), NlohmannAccepts(s)) << s;
  }
}

TEST(LiteJsonTest, NodesHoldValues) {
  const std::string text =
      "{\"i\":-42,\"big\":18446744073709551615,\"f\":1.5,\"s\":\"a\\\"b\\\\c\\/"
      "d\\n\\u00e9\\ud83d\\ude00\",\"raw\":\"plain\",\"arr\":[1,[2,3],{}],"
      "\"t\":true,\"n\":null}";
  lite::Doc d;
  ASSERT_TRUE(d.Parse(text));
  const uint32_t i = d.Find(0, "i");
  ASSERT_NE(i, lite::Doc::kNone);
  EXPECT_EQ(d.node(i).type, lite::Type::kInt);
  EXPECT_EQ(d.node(i).int_value, -42);
  EXPECT_EQ(d.node(d.Find(0, "big")).type, lite::Type::kNumber);
  EXPECT_EQ(d.node(d.Find(0, "f")).type, lite::Type::kNumber);
  const uint32_t s = d.Find(0, "s");
  EXPECT_TRUE(d.node(s).escaped);
  EXPECT_EQ(d.String(s), nlohmann::json::parse(text)["s"].get<std::string>());
  EXPECT_EQ(d.String(d.Find(0, "raw")), "plain");
  const uint32_t arr = d.Find(0, "arr");
  ASSERT_EQ(d.node(arr).size, 3u);
  EXPECT_EQ(d.node(arr).text, "[1,[2,3],{}]");
  const uint32_t second = d.Next(arr + 1);
  EXPECT_EQ(d.node(second).text, "[2,3]");
  EXPECT_EQ(d.node(d.Next(second)).type, lite::Type::kObject);
  EXPECT_EQ(d.node(d.Find(0, "t")).type, lite::Type::kTrue);
  EXPECT_EQ(d.node(d.Find(0, "n")).type, lite::Type::kNull);
  EXPECT_EQ(d.Find(0, "missing"), lite::Doc::kNone);
  EXPECT_EQ(d.Find(i, "x"), lite::Doc::kNone);  // not an object
}

TEST(LiteJsonTest, DeepNestingIsRejectedNotRecursedInto) {
  lite::Doc d;
  EXPECT_TRUE(d.Parse(std::string(lite::Doc::kMaxDepth, '[') +
                      std::string(lite::Doc::kMaxDepth, ']')));
  EXPECT_FALSE(d.Parse(std::string(100000, '[') + std::string(100000, ']')));
}

TEST(LiteJsonTest, ByteMutationsOfAProfileAgreeWithNlohmann) {
  RankerConfig c = sim::SimConfig();
  c.profile.max_event_log = 8;
  c.profile.max_features = 24;
  Ranker r(c);
  sim::Catalog cat = sim::MakeCatalog(3);
  sim::User u;
  u.loved_topic = 1;
  sim::Session s(5);
  for (int v = 0; v < 6; ++v) {
    const int k = sim::NextUnseen(r.Rank(cat.items, s.Ctx()));
    for (const Event& e : s.View(u, cat.items[k], cat.topic[k], cat.creator[k]))
      ASSERT_TRUE(r.Observe(e).ok());
  }
  const std::string valid = r.ExportProfile();
  int accepted = 0, rejected = 0;
  for (size_t i = 0; i < valid.size(); i += 3) {
    for (int variant = 0; variant < 3; ++variant) {
      std::string m = valid;
      if (variant == 0) m[i] = static_cast<char>(m[i] ^ (1 << (i % 8)));
      if (variant == 1) m.resize(i);
      if (variant == 2) m.insert(i, "\"\\", 2);
      lite::Doc d;
      const bool ok = d.Parse(m);
      ASSERT_EQ(ok, NlohmannAccepts(m))
          << "offset " << i << " variant " << variant;
      (ok ? accepted : rejected)++;
    }
  }
  EXPECT_GT(accepted, 0);
  EXPECT_GT(rejected, 0);
}

}  // namespace
}  // namespace reelrank
