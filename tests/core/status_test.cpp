#include "reelrank/status.h"

#include <gtest/gtest.h>

namespace reelrank {
namespace {

TEST(StatusTest, InvalidNamesFieldAndReason) {
  Status s = Status::Invalid("candidates[2].id", "must not be empty");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "candidates[2].id: must not be empty");
  EXPECT_EQ(s.ToString(),
            "invalid_argument: candidates[2].id: must not be empty");
}

TEST(StatusTest, ResultHoldsValueOrError) {
  Result<int> good(7);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.value(), 7);
  Result<int> bad(Status(StatusCode::kNotFound, "x"));
  EXPECT_FALSE(bad.ok());
  EXPECT_STREQ(StatusCodeName(bad.status().code()), "not_found");
}

}  // namespace
}  // namespace reelrank
