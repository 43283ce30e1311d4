// TokenMemory: a token is applied once; the oldest are forgotten behind a floor.
#include "meter/token_memory.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace gridmeter {
namespace {

TEST(TokenMemory, RemembersEveryTokenUntilFullThenForgetsTheOldest) {
  TokenMemory tokens;
  EXPECT_EQ(tokens.check(0), TokenCheck::too_old);  // 0 is never a token
  for (std::uint64_t id = 100; id < 100 + TokenMemory::capacity; ++id) {
    ASSERT_EQ(tokens.check(id), TokenCheck::fresh);
    tokens.remember(id);
  }
  EXPECT_EQ(tokens.size(), TokenMemory::capacity);
  EXPECT_EQ(tokens.check(100), TokenCheck::replayed);
  EXPECT_EQ(tokens.floor(), 0U);
  // Full: a new token pushes out the smallest, which and all below it stay refused.
  tokens.remember(500);
  EXPECT_EQ(tokens.floor(), 100U);
  EXPECT_EQ(tokens.check(100), TokenCheck::too_old);
  EXPECT_EQ(tokens.check(50), TokenCheck::too_old);
  EXPECT_EQ(tokens.check(101), TokenCheck::replayed);
  EXPECT_EQ(tokens.check(500), TokenCheck::replayed);
  EXPECT_EQ(tokens.check(400), TokenCheck::fresh);
}

TEST(TokenMemory, ATokenOlderThanEveryOneHeldIsForgottenAtOnce) {
  TokenMemory tokens;
  for (std::uint64_t id = 200; id < 200 + TokenMemory::capacity; ++id)
    tokens.remember(id);
  ASSERT_EQ(tokens.check(150), TokenCheck::fresh);
  tokens.remember(150);  // applied, and the memory being full, at once the floor
  EXPECT_EQ(tokens.floor(), 150U);
  EXPECT_EQ(tokens.check(150), TokenCheck::too_old);
  EXPECT_EQ(tokens.check(200), TokenCheck::replayed);
  EXPECT_EQ(tokens.size(), TokenMemory::capacity);
}

TEST(TokenMemory, RestoreRefusesWhatCannotBe) {
  TokenMemory tokens;
  const std::vector<std::uint64_t> ids{5, 9, 7};
  EXPECT_TRUE(tokens.restore(ids, 4));
  EXPECT_EQ(tokens.check(9), TokenCheck::replayed);
  EXPECT_EQ(tokens.check(4), TokenCheck::too_old);
  const TokenMemory before = tokens;
  EXPECT_FALSE(tokens.restore(std::vector<std::uint64_t>{5, 5}, 0));
  EXPECT_FALSE(tokens.restore(std::vector<std::uint64_t>{5, 3}, 3));
  EXPECT_FALSE(tokens.restore(std::vector<std::uint64_t>(TokenMemory::capacity + 1, 1), 0));
  EXPECT_EQ(tokens, before);
}

}  // namespace
}  // namespace gridmeter
