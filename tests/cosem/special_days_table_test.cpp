// Special days table (class 11) over the meter's calendar: entries byte for byte, insert (with
// the Blue Book's replacement by index or date), delete, whole-table writes, and refusals that
// leave the programming as it was.
#include "cosem/special_days_table.hpp"

#include <gtest/gtest.h>

#include <cstdint>  // std::int64_t
#include <vector>   // std::vector

#include "cosem_test_support.hpp"
#include "support/measurements.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::ActionResult;
using dlms::Data;
using dlms::DataAccessResult;
using test::hex;
using test::wire;

// spec_day_entry { long-unsigned index, octet-string date, unsigned day_id }.
Data entry(std::uint16_t index, std::vector<std::uint8_t> date, std::uint8_t day_id) {
  return Data::structure({Data::unsigned16(index),
                          Data::octets(std::span<const std::uint8_t>(date.data(), date.size())),
                          Data::unsigned8(day_id)});
}

// The default calendar: day profile 1 "workday" (night/day/night), 2 "weekend" (tariff 3).
constexpr int workday = 1;
constexpr int weekend = 2;

class SpecialDaysTableTest : public ::testing::Test {
 protected:
  // Wednesday 2026-01-07 10:00 CET: a workday, the day tariff (1).
  SpecialDaysTableTest()
      : access_(Connection::single_phase_2w, gridmeter::test::utc(2026, 1, 7, 9, 0)),
        table_(access_) {}

  Meter& meter() { return access_.meter(); }
  const std::vector<SpecialDay>& entries() {
    return meter().config().calendar.special_days.entries;
  }
  ActionResult insert(const Data& value) { return table_.action(1, value).result; }

  test::TestAccess access_;
  SpecialDaysTableObject table_;
};

TEST_F(SpecialDaysTableTest, EmptyByDefault) {
  EXPECT_EQ(table_.class_id(), 11);
  EXPECT_EQ(wire(table_, 1), hex("09 06 00000B0000FF"));
  EXPECT_EQ(wire(table_, 2), hex("01 00"));
  EXPECT_EQ(table_.attribute_access(2), AttributeAccess::read_write);
}

TEST_F(SpecialDaysTableTest, InsertIsAppliedToTheMeter) {
  // Every 25 December, the weekend profile.
  EXPECT_EQ(insert(entry(1, {0xFF, 0xFF, 12, 25, 0xFF}, weekend)), ActionResult::success);
  EXPECT_EQ(entries(), (std::vector<SpecialDay>{
                           {1, CalendarDate{CalendarDate::year_not_specified, 12, 25}, weekend}}));
  EXPECT_EQ(wire(table_, 2), hex("01 01 02 03 12 0001 09 05 FFFF0C19FF 11 02"));
  EXPECT_EQ(test::standard_event_codes(meter()), (std::vector<std::int64_t>{47}));
  // Today (a one-off date, its weekday given: Wednesday) becomes a weekend day at once.
  ASSERT_EQ(meter().state().active_tariff, 1);
  EXPECT_EQ(insert(entry(2, {0x07, 0xEA, 1, 7, 3}, weekend)), ActionResult::success);
  EXPECT_EQ(meter().state().active_tariff, 3);
  EXPECT_EQ(
      wire(table_, 2),
      hex("01 02 02 03 12 0001 09 05 FFFF0C19FF 11 02  02 03 12 0002 09 05 07EA0107FF 11 02"));
}

TEST_F(SpecialDaysTableTest, InsertReplacesTheSameIndexOrTheSameDate) {
  ASSERT_EQ(insert(entry(1, {0xFF, 0xFF, 12, 25, 0xFF}, weekend)), ActionResult::success);
  ASSERT_EQ(insert(entry(2, {0x07, 0xEA, 5, 1, 0xFF}, weekend)), ActionResult::success);
  ASSERT_EQ(insert(entry(3, {0xFF, 0xFF, 1, 1, 0xFF}, weekend)), ActionResult::success);
  // Index 1 again: its entry is replaced in its place.
  EXPECT_EQ(insert(entry(1, {0xFF, 0xFF, 12, 26, 0xFF}, workday)), ActionResult::success);
  // 2026-05-01 again under index 7: it replaces index 2.
  EXPECT_EQ(insert(entry(7, {0x07, 0xEA, 5, 1, 0xFF}, workday)), ActionResult::success);
  const int every_year = CalendarDate::year_not_specified;
  EXPECT_EQ(entries(), (std::vector<SpecialDay>{{1, CalendarDate{every_year, 12, 26}, workday},
                                                {7, CalendarDate{2026, 5, 1}, workday},
                                                {3, CalendarDate{every_year, 1, 1}, weekend}}));
}

TEST_F(SpecialDaysTableTest, RefusedInsertsChangeNothing) {
  ASSERT_EQ(insert(entry(1, {0x07, 0xEA, 1, 1, 0xFF}, weekend)), ActionResult::success);
  const MeterConfig before = meter().config();
  const std::size_t events = meter().state().standard_events.size();
  // Other reasons: a day profile the calendar does not have; every 1 January next to the
  // one-off 2026-01-01 (the same day); dates the calendar cannot hold.
  EXPECT_EQ(insert(entry(2, {0xFF, 0xFF, 3, 1, 0xFF}, 9)), ActionResult::other_reason);
  EXPECT_EQ(insert(entry(2, {0xFF, 0xFF, 1, 1, 0xFF}, weekend)), ActionResult::other_reason);
  EXPECT_EQ(insert(entry(2, {0xFF, 0xFF, 0xFF, 1, 0xFF}, weekend)), ActionResult::other_reason);
  EXPECT_EQ(insert(entry(2, {0xFF, 0xFF, 2, 0xFE, 0xFF}, weekend)), ActionResult::other_reason);
  EXPECT_EQ(insert(entry(2, {0xFF, 0xFF, 2, 30, 0xFF}, weekend)), ActionResult::other_reason);
  EXPECT_EQ(insert(entry(2, {0xFF, 0xFF, 12, 24, 1}, weekend)), ActionResult::other_reason);
  EXPECT_EQ(insert(entry(2, {0x07, 0xEA, 12, 24, 1}, weekend)), ActionResult::other_reason);
  EXPECT_EQ(insert(entry(2, {0x07, 0xEA, 13, 24, 0xFF}, weekend)), ActionResult::other_reason);
  // Types: the date must be an octet-string of 5, the index long-unsigned, the day unsigned.
  EXPECT_EQ(insert(entry(2, {0xFF, 0xFF, 3, 1}, weekend)), ActionResult::type_unmatched);
  EXPECT_EQ(insert(Data::structure({Data::unsigned8(2), Data::octets({0xFF, 0xFF, 3, 1, 0xFF}),
                                    Data::unsigned8(weekend)})),
            ActionResult::type_unmatched);
  EXPECT_EQ(insert(Data::structure({Data::unsigned16(2), Data::octets({0xFF, 0xFF, 3, 1, 0xFF}),
                                    Data::unsigned16(weekend)})),
            ActionResult::type_unmatched);
  EXPECT_EQ(insert(Data::structure({Data::unsigned16(2), Data::octets({0xFF, 0xFF, 3, 1, 0xFF})})),
            ActionResult::type_unmatched);
  EXPECT_EQ(table_.action(1, std::nullopt).result, ActionResult::type_unmatched);
  EXPECT_EQ(meter().config(), before);
  EXPECT_EQ(meter().state().standard_events.size(), events);
}

TEST_F(SpecialDaysTableTest, Delete) {
  ASSERT_EQ(insert(entry(4, {0xFF, 0xFF, 12, 25, 0xFF}, weekend)), ActionResult::success);
  ASSERT_EQ(insert(entry(5, {0xFF, 0xFF, 12, 26, 0xFF}, weekend)), ActionResult::success);
  EXPECT_EQ(table_.action(2, Data::unsigned16(4)).result, ActionResult::success);
  ASSERT_EQ(entries().size(), 1U);
  EXPECT_EQ(entries()[0].index, 5);
  // Nothing to delete, or not a long-unsigned: refused, the table stays.
  EXPECT_EQ(table_.action(2, Data::unsigned16(4)).result, ActionResult::other_reason);
  EXPECT_EQ(table_.action(2, Data::unsigned8(5)).result, ActionResult::type_unmatched);
  EXPECT_EQ(entries().size(), 1U);
  EXPECT_EQ(table_.action(3, Data::unsigned16(5)).result, ActionResult::object_undefined);
}

TEST_F(SpecialDaysTableTest, WholeTableWrite) {
  const Data table = Data::array({entry(10, {0xFF, 0xFF, 12, 25, 0xFF}, weekend),
                                  entry(11, {0x07, 0xEB, 4, 5, 0xFF}, workday)});
  EXPECT_EQ(table_.set(2, table), DataAccessResult::success);
  EXPECT_EQ(test::value_of(table_, 2), table);
  const MeterConfig before = meter().config();
  // Two entries of index 10; an entry of the wrong shape; not an array.
  EXPECT_EQ(table_.set(2, Data::array({entry(10, {0xFF, 0xFF, 12, 25, 0xFF}, weekend),
                                       entry(10, {0xFF, 0xFF, 12, 26, 0xFF}, weekend)})),
            DataAccessResult::other_reason);
  EXPECT_EQ(table_.set(2, Data::array({Data::unsigned16(1)})), DataAccessResult::type_unmatched);
  EXPECT_EQ(table_.set(2, entry(10, {0xFF, 0xFF, 12, 25, 0xFF}, weekend)),
            DataAccessResult::type_unmatched);
  EXPECT_EQ(meter().config(), before);
  EXPECT_EQ(table_.set(2, Data::array({})), DataAccessResult::success);
  EXPECT_TRUE(entries().empty());
}

}  // namespace
}  // namespace gridmeter::cosem
