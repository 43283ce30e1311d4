// The Clock object (class 8) over a meter whose clock reads 2026-01-07 10:00:00 CET.
#include <gtest/gtest.h>

#include <cstdint>  // std::uint8_t
#include <vector>   // std::vector

#include "core/date_time.hpp"
#include "cosem/attribute_values.hpp"
#include "cosem/clock_object.hpp"
#include "cosem_test_support.hpp"
#include "support/measurements.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::ActionResult;
using dlms::Data;
using dlms::DataAccessResult;
using test::octets_of;
using test::value_of;
using Bytes = std::vector<std::uint8_t>;
using gridmeter::test::utc;

class ClockObjectTest : public ::testing::Test {
 protected:
  ClockObjectTest()
      : access_(Connection::single_phase_2w, utc(2026, 1, 7, 9, 0)), clock_(access_) {}

  Meter& meter() { return access_.meter(); }
  // The octet-string of a local CET time (deviation -60).
  Data cet(int hour, int minute, int second) {
    return date_time_octets(
        to_cosem(utc(2026, 1, 7, hour - 1, minute, second), meter().config().zone));
  }
  std::vector<std::int64_t> standard_event_codes() const {
    std::vector<std::int64_t> codes;
    const Profile& log = const_cast<test::TestAccess&>(access_).meter().state().standard_events;
    for (std::size_t i = 0; i < log.size(); ++i)
      codes.push_back(log.entry(i).values[0]);
    return codes;
  }

  test::TestAccess access_;
  ClockObject clock_;
};

TEST_F(ClockObjectTest, TimeIsTwelveOctetsWithDeviation) {
  EXPECT_EQ(clock_.class_id(), 8);
  EXPECT_EQ(value_of(clock_, 1), Data::octets({0, 0, 1, 0, 0, 255}));
  // Wednesday 10:00:00.00, deviation -60 (UTC minus local), status 0.
  EXPECT_EQ(octets_of(clock_, 2),
            (Bytes{0x07, 0xEA, 0x01, 0x07, 0x03, 0x0A, 0x00, 0x00, 0x00, 0xFF, 0xC4, 0x00}));
  EXPECT_EQ(value_of(clock_, 3), Data::integer16(-60));
  EXPECT_EQ(value_of(clock_, 4), Data::unsigned8(0));
  EXPECT_EQ(value_of(clock_, 7), Data::integer8(60));
  EXPECT_EQ(value_of(clock_, 8), Data::boolean(true));
  EXPECT_EQ(value_of(clock_, 9), Data::enumeration(1));
  EXPECT_EQ(test::error_of(clock_.get(10, std::nullopt)), DataAccessResult::object_undefined);
}

TEST_F(ClockObjectTest, DaylightSavingRuleAsTheBlueBookWritesIt) {
  // Last Sunday of March at 02:00 CET, last Sunday of October at 03:00 CEST.
  EXPECT_EQ(octets_of(clock_, 5),
            (Bytes{0xFF, 0xFF, 0x03, 0xFE, 0x07, 0x02, 0x00, 0x00, 0x00, 0xFF, 0xC4, 0xFF}));
  EXPECT_EQ(octets_of(clock_, 6),
            (Bytes{0xFF, 0xFF, 0x0A, 0xFE, 0x07, 0x03, 0x00, 0x00, 0x00, 0xFF, 0x88, 0xFF}));
  EXPECT_EQ(clock_.set(5, value_of(clock_, 5)), DataAccessResult::read_write_denied);
}

TEST_F(ClockObjectTest, SummerTimeSetsTheStatusBit) {
  ASSERT_EQ(
      clock_.set(2, date_time_octets(to_cosem(utc(2026, 7, 1, 10, 0), meter().config().zone))),
      DataAccessResult::success);
  // 12:00 CEST, deviation -120, daylight_saving_active.
  EXPECT_EQ(octets_of(clock_, 2),
            (Bytes{0x07, 0xEA, 0x07, 0x01, 0x03, 0x0C, 0x00, 0x00, 0x00, 0xFF, 0x88, 0x80}));
  EXPECT_EQ(value_of(clock_, 4), Data::unsigned8(0x80));
}

TEST_F(ClockObjectTest, SetTimeMovesTheMeterClockAndLogsEvents) {
  // 10:05:00 CET: 07 EA 01 07 03 0A 05 00 00 FF C4 00.
  const Data new_time =
      Data::octets({0x07, 0xEA, 0x01, 0x07, 0x03, 0x0A, 0x05, 0x00, 0x00, 0xFF, 0xC4, 0x00});
  EXPECT_EQ(clock_.set(2, new_time), DataAccessResult::success);
  EXPECT_EQ(meter().clock_now(), utc(2026, 1, 7, 9, 5));
  EXPECT_EQ(standard_event_codes(), (std::vector<std::int64_t>{4, 5}));
  EXPECT_EQ(value_of(clock_, 2), new_time);
}

TEST_F(ClockObjectTest, InvalidTimesAreRefused) {
  EXPECT_EQ(clock_.set(2, Data::unsigned32(0)), DataAccessResult::type_unmatched);
  EXPECT_EQ(clock_.set(2, Data::octets({0x07, 0xEA, 0x01})), DataAccessResult::type_unmatched);
  // Month 13.
  EXPECT_EQ(clock_.set(2, Data::octets({0x07, 0xEA, 0x0D, 0x07, 0xFF, 0x0A, 0x00, 0x00, 0x00, 0xFF,
                                        0xC4, 0x00})),
            DataAccessResult::other_reason);
  // Hour not specified: no instant.
  EXPECT_EQ(clock_.set(2, Data::octets({0x07, 0xEA, 0x01, 0x07, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0xFF,
                                        0xC4, 0x00})),
            DataAccessResult::other_reason);
  EXPECT_EQ(meter().clock_now(), utc(2026, 1, 7, 9, 0));
  EXPECT_TRUE(standard_event_codes().empty());
}

TEST_F(ClockObjectTest, ShiftTime) {
  EXPECT_EQ(clock_.action(6, Data::integer16(60)).result, ActionResult::success);
  EXPECT_EQ(meter().clock_now(), utc(2026, 1, 7, 9, 1));
  EXPECT_EQ(clock_.action(6, Data::integer16(-900)).result, ActionResult::success);
  EXPECT_EQ(meter().clock_now(), utc(2026, 1, 7, 8, 46));
  EXPECT_EQ(clock_.action(6, Data::integer16(901)).result, ActionResult::other_reason);
  EXPECT_EQ(clock_.action(6, Data::integer16(-901)).result, ActionResult::other_reason);
  EXPECT_EQ(clock_.action(6, Data::integer8(60)).result, ActionResult::type_unmatched);
  EXPECT_EQ(clock_.action(6, std::nullopt).result, ActionResult::type_unmatched);
  EXPECT_EQ(meter().clock_now(), utc(2026, 1, 7, 8, 46));
  EXPECT_EQ(standard_event_codes(), (std::vector<std::int64_t>{4, 5, 4, 5}));
  EXPECT_EQ(clock_.action(7, std::nullopt).result, ActionResult::object_undefined);
}

TEST_F(ClockObjectTest, AdjustToQuarterRoundsToTheNearest) {
  ASSERT_EQ(clock_.set(2, cet(10, 7, 29)), DataAccessResult::success);
  EXPECT_EQ(clock_.action(1, Data::integer8(0)).result, ActionResult::success);
  EXPECT_EQ(meter().clock_now(), utc(2026, 1, 7, 9, 0));
  ASSERT_EQ(clock_.set(2, cet(10, 7, 30)), DataAccessResult::success);
  EXPECT_EQ(clock_.action(1, Data::integer8(0)).result, ActionResult::success);
  EXPECT_EQ(meter().clock_now(), utc(2026, 1, 7, 9, 15));
}

TEST_F(ClockObjectTest, AdjustToMeasuringPeriodAndMinute) {
  MeterConfig config = meter().config();
  config.load_profile.period_min = 60;
  meter().configure(config);
  ASSERT_EQ(clock_.set(2, cet(10, 31, 0)), DataAccessResult::success);
  EXPECT_EQ(clock_.action(2, Data::integer8(0)).result, ActionResult::success);
  EXPECT_EQ(meter().clock_now(), utc(2026, 1, 7, 10, 0));  // 11:00 CET
  ASSERT_EQ(clock_.set(2, cet(10, 20, 29)), DataAccessResult::success);
  EXPECT_EQ(clock_.action(3, Data::integer8(0)).result, ActionResult::success);
  EXPECT_EQ(meter().clock_now(), utc(2026, 1, 7, 9, 20));
}

TEST_F(ClockObjectTest, PresetAdjustingTime) {
  EXPECT_EQ(clock_.action(4, Data::integer8(0)).result, ActionResult::other_reason);  // no preset
  const Data preset = Data::structure({cet(10, 30, 0), cet(9, 55, 0), cet(10, 5, 0)});
  EXPECT_EQ(clock_.action(5, preset).result, ActionResult::success);
  EXPECT_EQ(meter().clock_now(), utc(2026, 1, 7, 9, 0));  // nothing moves yet
  EXPECT_EQ(clock_.action(4, Data::integer8(0)).result, ActionResult::success);
  EXPECT_EQ(meter().clock_now(), utc(2026, 1, 7, 9, 30));
  EXPECT_EQ(clock_.action(4, Data::integer8(0)).result, ActionResult::other_reason);  // used up

  // Outside the validity interval nothing happens.
  EXPECT_EQ(clock_.action(5, Data::structure({cet(12, 0, 0), cet(9, 0, 0), cet(9, 30, 0)})).result,
            ActionResult::success);
  EXPECT_EQ(clock_.action(4, Data::integer8(0)).result, ActionResult::other_reason);
  EXPECT_EQ(meter().clock_now(), utc(2026, 1, 7, 9, 30));

  EXPECT_EQ(clock_.action(5, Data::structure({cet(12, 0, 0), cet(10, 0, 0), cet(9, 0, 0)})).result,
            ActionResult::other_reason);  // start after end
  EXPECT_EQ(clock_.action(5, Data::structure({cet(12, 0, 0), cet(10, 0, 0)})).result,
            ActionResult::type_unmatched);
  EXPECT_EQ(
      clock_.action(5, Data::structure({cet(12, 0, 0), cet(10, 0, 0), Data::unsigned8(1)})).result,
      ActionResult::type_unmatched);
}

TEST_F(ClockObjectTest, DaylightSavingSwitchedThroughAttribute8) {
  EXPECT_EQ(clock_.set(8, Data::boolean(false)), DataAccessResult::success);
  EXPECT_FALSE(meter().config().zone.dst_enabled);
  EXPECT_EQ(value_of(clock_, 8), Data::boolean(false));
  EXPECT_EQ(standard_event_codes(), (std::vector<std::int64_t>{3}));
  EXPECT_EQ(clock_.set(8, Data::unsigned8(1)), DataAccessResult::type_unmatched);
  // Without DST, summer reads standard time: 11:00 CET on 1 July, deviation -60, status 0.
  ASSERT_EQ(clock_.set(2, Data::octets({0x07, 0xEA, 0x07, 0x01, 0x03, 0x0B, 0x00, 0x00, 0x00, 0xFF,
                                        0xC4, 0x00})),
            DataAccessResult::success);
  EXPECT_EQ(meter().clock_now(), utc(2026, 7, 1, 10, 0));
  EXPECT_EQ(value_of(clock_, 4), Data::unsigned8(0));
}

TEST_F(ClockObjectTest, TimeZoneIsWritable) {
  EXPECT_EQ(clock_.set(3, Data::integer16(-120)), DataAccessResult::success);
  EXPECT_EQ(meter().config().zone.standard_offset_min, 120);
  EXPECT_EQ(value_of(clock_, 3), Data::integer16(-120));
  EXPECT_EQ(clock_.set(3, Data::integer16(721)), DataAccessResult::other_reason);
  EXPECT_EQ(clock_.set(3, Data::integer8(0)), DataAccessResult::type_unmatched);
  EXPECT_EQ(clock_.set(4, Data::unsigned8(0)), DataAccessResult::read_write_denied);
}

}  // namespace
}  // namespace gridmeter::cosem
