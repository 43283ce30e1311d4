// Single action schedule (class 22), end of billing period: the billing programming as an
// execution time, writes that reprogram it, and refusals that leave it alone.
#include "cosem/single_action_schedule.hpp"

#include <gtest/gtest.h>

#include <cstdint>  // std::uint8_t
#include <vector>   // std::vector

#include "cosem_test_support.hpp"
#include "support/measurements.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using dlms::DataAccessResult;
using test::bytes;
using test::hex;
using test::wire;

// execution_time with one entry { time, date }.
Data at(std::vector<std::uint8_t> time, std::vector<std::uint8_t> date) {
  return Data::array({Data::structure({bytes(std::move(time)), bytes(std::move(date))})});
}

class SingleActionScheduleTest : public ::testing::Test {
 protected:
  // Wednesday 2026-01-07 10:00 CET.
  SingleActionScheduleTest()
      : access_(Connection::single_phase_2w, gridmeter::test::utc(2026, 1, 7, 9, 0)),
        schedule_(access_) {}

  Meter& meter() { return access_.meter(); }

  test::TestAccess access_;
  SingleActionSchedule schedule_;
};

TEST_F(SingleActionScheduleTest, DefaultBillingOnTheFirstAtMidnight) {
  EXPECT_EQ(schedule_.class_id(), 22);
  EXPECT_EQ(schedule_.version(), 0);
  EXPECT_EQ(wire(schedule_, 1), hex("09 06 00000F0000FF"));
  EXPECT_EQ(wire(schedule_, 2), hex("02 02 09 06 00000A0001FF 12 0001"));
  EXPECT_EQ(wire(schedule_, 3), hex("16 01"));
  EXPECT_EQ(wire(schedule_, 4), hex("01 01 02 02 09 04 00000000 09 05 FFFFFF01FF"));
  EXPECT_EQ(schedule_.attribute_access(4), AttributeAccess::read_write);
  EXPECT_EQ(schedule_.attribute_access(2), AttributeAccess::read);
}

TEST_F(SingleActionScheduleTest, WritingTheExecutionTimeReprogramsBilling) {
  EXPECT_EQ(schedule_.set(4, at({6, 0, 0, 0}, {0xFF, 0xFF, 0xFF, 5, 0xFF})),
            DataAccessResult::success);
  EXPECT_EQ(meter().config().billing.day, 5);
  EXPECT_EQ(meter().config().billing.hour, 6);
  EXPECT_EQ(wire(schedule_, 4), hex("01 01 02 02 09 04 06000000 09 05 FFFFFF05FF"));
  EXPECT_EQ(test::standard_event_codes(meter()), (std::vector<std::int64_t>{47}));
  // Hundredths not specified mean the same whole hour.
  EXPECT_EQ(schedule_.set(4, at({23, 0, 0, 0xFF}, {0xFF, 0xFF, 0xFF, 28, 0xFF})),
            DataAccessResult::success);
  EXPECT_EQ(meter().config().billing.day, 28);
  EXPECT_EQ(meter().config().billing.hour, 23);
}

TEST_F(SingleActionScheduleTest, TheMeterBillsAtTheNewTime) {
  // Today, the 7th, at 11:00: an hour and a half of meter time later, one billing period.
  ASSERT_EQ(schedule_.set(4, at({11, 0, 0, 0}, {0xFF, 0xFF, 0xFF, 7, 0xFF})),
            DataAccessResult::success);
  UtcMicros t = gridmeter::test::utc(2026, 1, 7, 9, 0);
  for (int minute = 0; minute < 90; ++minute, t += micros_per_minute)
    access_.advance(gridmeter::test::single_phase(t, 500.0, 0.0, micros_per_minute));
  EXPECT_EQ(meter().state().billing_count, 1U);
  ASSERT_EQ(meter().state().billing_profile.size(), 1U);
  EXPECT_EQ(meter().state().billing_profile.entry(0).stamp.time_utc_us,
            gridmeter::test::utc(2026, 1, 7, 10, 0));
}

TEST_F(SingleActionScheduleTest, SchedulesTheBillingCannotFollowAreRefused) {
  const MeterConfig before = meter().config();
  const std::vector<std::uint8_t> monthly_1st{0xFF, 0xFF, 0xFF, 1, 0xFF};
  const std::vector<std::uint8_t> midnight{0, 0, 0, 0};
  // other_reason: days every month does not have, the last day, no day, a given month or year,
  // a weekday, minutes or seconds, no hour, two or no execution times.
  for (const std::uint8_t day :
       {std::uint8_t{29}, std::uint8_t{31}, std::uint8_t{0xFE}, std::uint8_t{0xFF}}) {
    EXPECT_EQ(schedule_.set(4, at(midnight, {0xFF, 0xFF, 0xFF, day, 0xFF})),
              DataAccessResult::other_reason)
        << int{day};
  }
  EXPECT_EQ(schedule_.set(4, at(midnight, {0xFF, 0xFF, 3, 1, 0xFF})),
            DataAccessResult::other_reason);
  EXPECT_EQ(schedule_.set(4, at(midnight, {0x07, 0xEA, 0xFF, 1, 0xFF})),
            DataAccessResult::other_reason);
  EXPECT_EQ(schedule_.set(4, at(midnight, {0xFF, 0xFF, 0xFF, 1, 1})),
            DataAccessResult::other_reason);
  EXPECT_EQ(schedule_.set(4, at({6, 30, 0, 0}, monthly_1st)), DataAccessResult::other_reason);
  EXPECT_EQ(schedule_.set(4, at({6, 0, 1, 0}, monthly_1st)), DataAccessResult::other_reason);
  EXPECT_EQ(schedule_.set(4, at({6, 0, 0, 50}, monthly_1st)), DataAccessResult::other_reason);
  EXPECT_EQ(schedule_.set(4, at({0xFF, 0, 0, 0}, monthly_1st)), DataAccessResult::other_reason);
  EXPECT_EQ(schedule_.set(4, at({24, 0, 0, 0}, monthly_1st)), DataAccessResult::other_reason);
  const Data entry = test::value_of(schedule_, 4).elements()[0];
  EXPECT_EQ(schedule_.set(4, Data::array({entry, entry})), DataAccessResult::other_reason);
  EXPECT_EQ(schedule_.set(4, Data::array({})), DataAccessResult::other_reason);
  // type_unmatched: not an array of { octet-string (4), octet-string (5) }.
  EXPECT_EQ(schedule_.set(4, entry), DataAccessResult::type_unmatched);
  EXPECT_EQ(schedule_.set(4, at({0, 0, 0}, monthly_1st)), DataAccessResult::type_unmatched);
  EXPECT_EQ(schedule_.set(4, at(midnight, {0xFF, 0xFF, 0xFF, 1})),
            DataAccessResult::type_unmatched);
  EXPECT_EQ(
      schedule_.set(
          4, Data::array({Data::structure({Data::time(dlms::CosemTime{0, 0, 0, 0}),
                                           Data::date(dlms::CosemDate{0xFFFF, 0xFF, 1, 0xFF})})})),
      DataAccessResult::type_unmatched);
  EXPECT_EQ(schedule_.set(4, Data::array({Data::unsigned8(1)})), DataAccessResult::type_unmatched);
  // Attributes 2 and 3 are the meter's.
  EXPECT_EQ(schedule_.set(2, test::value_of(schedule_, 2)), DataAccessResult::read_write_denied);
  EXPECT_EQ(schedule_.set(3, Data::enumeration(1)), DataAccessResult::read_write_denied);
  EXPECT_EQ(meter().config(), before);
  EXPECT_TRUE(test::standard_event_codes(meter()).empty());
  EXPECT_EQ(schedule_.action(1, std::nullopt).result, dlms::ActionResult::object_undefined);
}

}  // namespace
}  // namespace gridmeter::cosem
