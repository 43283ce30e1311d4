#include "core/ring_log.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace gridmeter {
namespace {

TEST(RingLog, KeepsEntriesInOrderUntilFull) {
  RingLog<int, 4> log;
  EXPECT_TRUE(log.empty());
  log.push(1);
  log.push(2);
  log.push(3);
  ASSERT_EQ(log.size(), 3U);
  EXPECT_EQ(log[0], 1);
  EXPECT_EQ(log[2], 3);
  EXPECT_EQ(log.newest(), 3);
  EXPECT_FALSE(log.full());
}

TEST(RingLog, OverwritesOldestWhenFull) {
  RingLog<int, 200> log;
  for (int i = 1; i <= 450; ++i)
    log.push(i);
  ASSERT_EQ(log.size(), 200U);
  EXPECT_TRUE(log.full());
  EXPECT_EQ(log.pushed_total(), 450U);
  for (std::size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i], static_cast<int>(251 + i));
  }
  EXPECT_EQ(log.newest(), 450);
}

TEST(RingLog, RestoresNewestEntriesAndCount) {
  RingLog<int, 3> log;
  const std::vector<int> saved{5, 6, 7, 8};
  log.restore(saved, 42);
  ASSERT_EQ(log.size(), 3U);
  EXPECT_EQ(log[0], 6);
  EXPECT_EQ(log[2], 8);
  EXPECT_EQ(log.pushed_total(), 42U);
  log.clear();
  EXPECT_TRUE(log.empty());
}

}  // namespace
}  // namespace gridmeter
