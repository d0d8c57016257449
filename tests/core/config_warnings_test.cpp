// ParseConfig reports unknown keys (usually typos) as warnings instead of
// ignoring them silently; the config itself still parses.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "reelrank/config.h"
#include "reelrank/limits.h"

namespace reelrank {
namespace {

TEST(ConfigWarningsTest, UnknownKeysAreListedAtEveryLevel) {
  std::vector<std::string> warnings;
  Result<RankerConfig> c = ParseConfig(
      R"({"embedding_dim": 8, "embeding_dim": 16, "seed": 3,
          "explore": {"slot_every": 4, "slot_evry": 9},
          "learner": {"sparse": {"alpha": 0.1, "alfa": 2}, "gate_z": 1},
          "profile": {"max_features": 64}, "persist": true})",
      &warnings);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c.value().embedding_dim, 8);
  EXPECT_EQ(c.value().pipeline.explore.slot_every, 4);
  EXPECT_EQ(warnings, (std::vector<std::string>{
                          "config.embeding_dim: unknown key (ignored)",
                          "config.explore.slot_evry: unknown key (ignored)",
                          "config.learner.sparse.alfa: unknown key (ignored)",
                          "config.persist: unknown key (ignored)"}));
}

TEST(ConfigWarningsTest, EveryKeyConfigToJsonWritesIsKnown) {
  std::vector<std::string> warnings;
  Result<RankerConfig> c = ParseConfig(ConfigToJson(RankerConfig{}), &warnings);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  // Without a warnings list the unknown keys are still ignored.
  EXPECT_TRUE(ParseConfig(R"({"typo": 1})").ok());
}

TEST(ConfigWarningsTest, ConfigTextHasASizeLimit) {
  const std::string big(Limits::kConfigJsonBytes + 1, ' ');
  Result<RankerConfig> c = ParseConfig("{}" + big);
  EXPECT_EQ(c.status().message(), "config: 65539 bytes, limit 65536");
}

}  // namespace
}  // namespace reelrank
