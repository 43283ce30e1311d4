// Activity calendar (class 20) over the meter's calendar: the active set byte for byte, the
// passive set written attribute by attribute (held as a draft until whole), refusals that
// leave the programming alone, the activation time and activate_passive_calendar.
#include "cosem/activity_calendar_object.hpp"

#include <gtest/gtest.h>

#include <cstdint>      // std::uint8_t, std::uint16_t
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>      // std::pair
#include <vector>       // std::vector

#include "core/date_time.hpp"
#include "cosem/attribute_values.hpp"
#include "cosem_test_support.hpp"
#include "support/measurements.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::ActionResult;
using dlms::Data;
using dlms::DataAccessResult;
using gridmeter::test::utc;
using test::hex;
using test::wire;
using Bytes = std::vector<std::uint8_t>;

constexpr std::string_view script_hex = "09 06 00000A0064FF";  // 0-0:10.0.100.255

Data bytes(Bytes octets) {
  return Data::octets(std::span<const std::uint8_t>(octets.data(), octets.size()));
}
Data text(std::string_view name) {
  return Data::octets(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(name.data()), name.size()));
}
// "09 <length> <octets>" of a name.
std::string text_hex(std::string_view name) {
  std::string out = "09 ";
  constexpr std::string_view digits = "0123456789ABCDEF";
  const auto octet = [&](unsigned v) {
    out += digits[v >> 4U];
    out += digits[v & 15U];
  };
  octet(static_cast<unsigned>(name.size()));
  out += ' ';
  for (const char c : name)
    octet(static_cast<unsigned char>(c));
  return out + ' ';
}

// season { name, season_start (12), week_name }: local midnight of month-day, every year.
Data season(std::string_view name, std::uint8_t month, std::uint8_t day, std::string_view week) {
  return Data::structure({text(name),
                          bytes({0xFF, 0xFF, month, day, 0xFF, 0, 0, 0, 0, 0x80, 0x00, 0xFF}),
                          text(week)});
}
Data week(std::string_view name, std::uint8_t workdays, std::uint8_t weekend) {
  return Data::structure({text(name), Data::unsigned8(workdays), Data::unsigned8(workdays),
                          Data::unsigned8(workdays), Data::unsigned8(workdays),
                          Data::unsigned8(workdays), Data::unsigned8(weekend),
                          Data::unsigned8(weekend)});
}
// day_profile_action { start_time (4), 0-0:10.0.100.255, tariff }.
Data action(std::uint8_t hour, std::uint8_t minute, std::uint16_t tariff) {
  return Data::structure(
      {bytes({hour, minute, 0, 0}), bytes({0, 0, 10, 0, 100, 255}), Data::unsigned16(tariff)});
}
Data day(std::uint8_t day_id, std::vector<Data> actions) {
  return Data::structure({Data::unsigned8(day_id), Data::array(std::move(actions))});
}

// The "summer" calendar written below: workdays (day 3) tariff 4 at night, 5 from 06:00 to
// 21:00; weekends (day 4) tariff 3.
Data summer_seasons() { return Data::array({season("summer-season", 4, 1, "summer-week")}); }
Data summer_weeks() { return Data::array({week("summer-week", 3, 4)}); }
Data summer_days() {
  return Data::array(
      {day(3, {action(0, 0, 4), action(6, 0, 5), action(21, 0, 4)}), day(4, {action(0, 0, 3)})});
}
CalendarProfiles summer_profiles() {
  CalendarProfiles profiles;
  profiles.name = "summer";
  profiles.seasons = {
      SeasonProfile{"summer-season", {CalendarDate::year_not_specified, 4, 1}, "summer-week"}};
  profiles.weeks = {WeekProfile{"summer-week", {3, 3, 3, 3, 3, 4, 4}}};
  profiles.days = {DayProfile{3, "day-3", {{0, 4}, {6 * 3600, 5}, {21 * 3600, 4}}},
                   DayProfile{4, "day-4", {{0, 3}}}};
  return profiles;
}

class ActivityCalendarObjectTest : public ::testing::Test {
 protected:
  // Wednesday 2026-01-07 10:00 CET: the default calendar's day tariff (1).
  ActivityCalendarObjectTest()
      : access_(Connection::single_phase_2w, utc(2026, 1, 7, 9, 0)), calendar_(access_) {}

  Meter& meter() { return access_.meter(); }
  const ActivityCalendar& programmed() { return meter().config().calendar; }
  std::vector<std::int64_t> events() { return test::standard_event_codes(meter()); }

  // The summer calendar, attributes 6..9 in order.
  void write_summer() {
    ASSERT_EQ(calendar_.set(6, text("summer")), DataAccessResult::success);
    ASSERT_EQ(calendar_.set(7, summer_seasons()), DataAccessResult::success);
    ASSERT_EQ(calendar_.set(8, summer_weeks()), DataAccessResult::success);
    ASSERT_EQ(calendar_.set(9, summer_days()), DataAccessResult::success);
    ASSERT_FALSE(calendar_.has_draft());
    ASSERT_EQ(programmed().passive, summer_profiles());
  }

  test::TestAccess access_;
  ActivityCalendarObject calendar_;
};

TEST_F(ActivityCalendarObjectTest, ActiveCalendarByteForByte) {
  EXPECT_EQ(calendar_.class_id(), 20);
  EXPECT_EQ(calendar_.version(), 0);
  EXPECT_EQ(wire(calendar_, 1), hex("09 06 00000D0000FF"));
  EXPECT_EQ(wire(calendar_, 2), hex(text_hex("day-night-weekend")));
  // One season from 1 January every year (local midnight), week profile "standard".
  EXPECT_EQ(wire(calendar_, 3),
            hex("01 01 02 03 " + text_hex("all-year") + "09 0C FFFF 01 01 FF 00 00 00 00 8000 FF " +
                text_hex("standard")));
  EXPECT_EQ(wire(calendar_, 4), hex("01 01 02 08 " + text_hex("standard") +
                                    "11 01 11 01 11 01 11 01 11 01 11 02 11 02"));
  const std::string s(script_hex);
  EXPECT_EQ(wire(calendar_, 5), hex("01 02"
                                    " 02 02 11 01 01 03"
                                    "  02 03 09 04 00000000 " +
                                    s +
                                    " 12 0002"
                                    "  02 03 09 04 07000000 " +
                                    s +
                                    " 12 0001"
                                    "  02 03 09 04 16000000 " +
                                    s +
                                    " 12 0002"
                                    " 02 02 11 02 01 01"
                                    "  02 03 09 04 00000000 " +
                                    s + " 12 0003"));
  // No passive calendar, no activation scheduled.
  EXPECT_EQ(wire(calendar_, 6), hex("09 00"));
  EXPECT_EQ(wire(calendar_, 7), hex("01 00"));
  EXPECT_EQ(wire(calendar_, 8), hex("01 00"));
  EXPECT_EQ(wire(calendar_, 9), hex("01 00"));
  EXPECT_EQ(wire(calendar_, 10), hex("09 0C FFFF FF FF FF FF FF FF FF 8000 FF"));
  EXPECT_EQ(test::error_of(calendar_.get(11, std::nullopt)), DataAccessResult::object_undefined);
}

TEST_F(ActivityCalendarObjectTest, ActiveAttributesAreReadOnly) {
  const MeterConfig before = meter().config();
  for (int attribute = 2; attribute <= 5; ++attribute) {
    EXPECT_EQ(calendar_.attribute_access(attribute), AttributeAccess::read);
    EXPECT_EQ(calendar_.set(attribute, test::value_of(calendar_, attribute)),
              DataAccessResult::read_write_denied);
  }
  for (int attribute = 6; attribute <= 10; ++attribute)
    EXPECT_EQ(calendar_.attribute_access(attribute), AttributeAccess::read_write);
  EXPECT_EQ(meter().config(), before);
}

TEST_F(ActivityCalendarObjectTest, PassiveWrittenInAttributeOrderIsHeldUntilWhole) {
  // Name, then seasons naming a week profile not written yet: a draft, read back as written.
  EXPECT_EQ(calendar_.set(6, text("summer")), DataAccessResult::success);
  EXPECT_EQ(calendar_.set(7, summer_seasons()), DataAccessResult::success);
  EXPECT_TRUE(calendar_.has_draft());
  EXPECT_TRUE(programmed().passive.empty());
  EXPECT_EQ(wire(calendar_, 6), hex(text_hex("summer")));
  EXPECT_EQ(wire(calendar_, 7),
            hex("01 01 02 03 " + text_hex("summer-season") +
                "09 0C FFFF 04 01 FF 00 00 00 00 8000 FF " + text_hex("summer-week")));
  EXPECT_EQ(calendar_.set(8, summer_weeks()), DataAccessResult::success);
  EXPECT_TRUE(calendar_.has_draft());
  EXPECT_TRUE(events().empty());
  // The day profiles make it whole: programmed at once, the draft gone.
  EXPECT_EQ(calendar_.set(9, summer_days()), DataAccessResult::success);
  EXPECT_FALSE(calendar_.has_draft());
  EXPECT_EQ(programmed().passive, summer_profiles());
  EXPECT_EQ(programmed().active, ActivityCalendar::default_calendar().active);
  EXPECT_EQ(events(), (std::vector<std::int64_t>{47, 19}));
  const std::string s(script_hex);
  EXPECT_EQ(wire(calendar_, 8), hex("01 01 02 08 " + text_hex("summer-week") +
                                    "11 03 11 03 11 03 11 03 11 03 11 04 11 04"));
  EXPECT_EQ(wire(calendar_, 9), hex("01 02"
                                    " 02 02 11 03 01 03"
                                    "  02 03 09 04 00000000 " +
                                    s +
                                    " 12 0004"
                                    "  02 03 09 04 06000000 " +
                                    s +
                                    " 12 0005"
                                    "  02 03 09 04 15000000 " +
                                    s +
                                    " 12 0004"
                                    " 02 02 11 04 01 01"
                                    "  02 03 09 04 00000000 " +
                                    s + " 12 0003"));
}

TEST_F(ActivityCalendarObjectTest, AWholePassiveCalendarChangesAtOnce) {
  write_summer();
  // Day 3 now switches to tariff 5 at 07:30: programmed with the write.
  const Data days = Data::array(
      {day(3, {action(0, 0, 4), action(7, 30, 5), action(21, 0, 4)}), day(4, {action(0, 0, 3)})});
  EXPECT_EQ(calendar_.set(9, days), DataAccessResult::success);
  EXPECT_FALSE(calendar_.has_draft());
  EXPECT_EQ(programmed().passive.days[0].switches[1], (TariffSwitch{7 * 3600 + 30 * 60, 5}));
  EXPECT_EQ(programmed().passive.days[0].name, "day-3");
  EXPECT_EQ(test::value_of(calendar_, 9), days);
  // A day id the active calendar has takes the active calendar's name for it.
  EXPECT_EQ(calendar_.set(9, Data::array({day(3, {action(0, 0, 4)}), day(4, {action(0, 0, 3)}),
                                          day(1, {action(0, 0, 1)})})),
            DataAccessResult::success);
  EXPECT_EQ(programmed().passive.days[2].name, "workday");
  EXPECT_EQ(calendar_.set(6, text("summer 2")), DataAccessResult::success);
  EXPECT_EQ(programmed().passive.name, "summer 2");
}

TEST_F(ActivityCalendarObjectTest, RefusedPassiveWritesChangeNothing) {
  write_summer();
  const MeterConfig before = meter().config();
  const std::size_t event_count = meter().state().standard_events.size();
  const auto refused = [&](int attribute, const Data& value, DataAccessResult expected) {
    EXPECT_EQ(calendar_.set(attribute, value), expected) << attribute << ": " << to_text(value);
  };
  constexpr DataAccessResult other = DataAccessResult::other_reason;
  constexpr DataAccessResult type = DataAccessResult::type_unmatched;
  // Day profiles: a tariff outside 1..8, switch times out of order or twice, a day id twice,
  // no switch, a script other than the tariffication table, a time not whole or not given.
  refused(9, Data::array({day(3, {action(0, 0, 9)})}), other);
  refused(9, Data::array({day(3, {action(0, 0, 0)})}), other);
  refused(9, Data::array({day(3, {action(6, 0, 1), action(5, 0, 2)})}), other);
  refused(9, Data::array({day(3, {action(6, 0, 1), action(6, 0, 2)})}), other);
  refused(9, Data::array({day(3, {action(0, 0, 1)}), day(3, {action(0, 0, 2)})}), other);
  refused(9, Data::array({day(3, {})}), other);
  refused(9,
          Data::array({day(3, {Data::structure({bytes({0, 0, 0, 0}), bytes({0, 0, 10, 0, 1, 255}),
                                                Data::unsigned16(1)})})}),
          other);
  refused(
      9,
      Data::array({day(3, {Data::structure({bytes({0, 0, 0, 50}), bytes({0, 0, 10, 0, 100, 255}),
                                            Data::unsigned16(1)})})}),
      other);
  refused(
      9,
      Data::array({day(3, {Data::structure({bytes({6, 0xFF, 0, 0}), bytes({0, 0, 10, 0, 100, 255}),
                                            Data::unsigned16(1)})})}),
      other);
  // Types: day_id long-unsigned, a tariff unsigned, a time of 3 octets, no array.
  refused(9, Data::array({Data::structure({Data::unsigned16(3), Data::array({action(0, 0, 1)})})}),
          type);
  refused(9,
          Data::array({day(3, {Data::structure({bytes({0, 0, 0, 0}), bytes({0, 0, 10, 0, 100, 255}),
                                                Data::unsigned8(1)})})}),
          type);
  refused(9,
          Data::array({day(3, {Data::structure({bytes({0, 0, 0}), bytes({0, 0, 10, 0, 100, 255}),
                                                Data::unsigned16(1)})})}),
          type);
  refused(9, day(3, {action(0, 0, 1)}), type);
  // Seasons: two on the same day, a name twice, a start that is not midnight or not a day of
  // the year, a recurring 29 February, a name over 32 octets or not UTF-8.
  refused(7, Data::array({season("a", 4, 1, "summer-week"), season("b", 4, 1, "summer-week")}),
          other);
  refused(7, Data::array({season("a", 4, 1, "summer-week"), season("a", 5, 1, "summer-week")}),
          other);
  refused(7, Data::array({season("a", 2, 29, "summer-week")}), other);
  refused(7, Data::array({season("a", 2, 30, "summer-week")}), other);
  refused(7,
          Data::array({Data::structure({text("a"),
                                        bytes({0xFF, 0xFF, 4, 1, 0xFF, 6, 0, 0, 0, 0x80, 0, 0xFF}),
                                        text("summer-week")})}),
          other);
  refused(7,
          Data::array({Data::structure(
              {text("a"), bytes({0xFF, 0xFF, 0xFF, 1, 0xFF, 0, 0, 0, 0, 0x80, 0, 0xFF}),
               text("summer-week")})}),
          other);
  refused(7, Data::array({season(std::string(33, 'x'), 4, 1, "summer-week")}), other);
  refused(7, Data::array({season("\xC3\x28", 4, 1, "summer-week")}), other);
  refused(7, Data::array({season("", 4, 1, "summer-week")}), other);
  refused(7,
          Data::array({Data::structure({Data::visible_string("a"),
                                        bytes({0xFF, 0xFF, 4, 1, 0xFF, 0, 0, 0, 0, 0x80, 0, 0xFF}),
                                        text("summer-week")})}),
          type);
  refused(7,
          Data::array(
              {Data::structure({text("a"), bytes({0xFF, 0xFF, 4, 1, 0xFF}), text("summer-week")})}),
          type);
  // Week profiles: a name twice, an empty name, the wrong shape or types.
  refused(8, Data::array({week("w", 3, 4), week("w", 3, 4)}), other);
  refused(8, Data::array({week("", 3, 4)}), other);
  refused(8, Data::array({Data::structure({text("w"), Data::unsigned8(3)})}), type);
  refused(8,
          Data::array({Data::structure({text("w"), Data::unsigned16(3), Data::unsigned8(3),
                                        Data::unsigned8(3), Data::unsigned8(3), Data::unsigned8(3),
                                        Data::unsigned8(3), Data::unsigned8(3)})}),
          type);
  // The name.
  refused(6, text(std::string(33, 'n')), other);
  refused(6, Data::visible_string("summer"), type);
  EXPECT_FALSE(calendar_.has_draft());
  EXPECT_EQ(meter().config(), before);
  EXPECT_EQ(meter().state().standard_events.size(), event_count);
  EXPECT_EQ(test::value_of(calendar_, 9), summer_days());
}

TEST_F(ActivityCalendarObjectTest, ACalendarWithUnknownProfilesIsNeverProgrammed) {
  write_summer();
  const MeterConfig before = meter().config();
  // Weekends on day profile 9, which does not exist: held, not programmed.
  EXPECT_EQ(calendar_.set(8, Data::array({week("summer-week", 3, 9)})), DataAccessResult::success);
  EXPECT_TRUE(calendar_.has_draft());
  EXPECT_EQ(meter().config(), before);
  // Neither scheduled nor activated while the passive calendar written is not whole.
  const Data soon = date_time_octets(to_cosem(utc(2026, 1, 7, 9, 15), meter().config().zone));
  EXPECT_EQ(calendar_.set(10, soon), DataAccessResult::other_reason);
  EXPECT_EQ(calendar_.action(1, Data::integer8(0)).result, ActionResult::other_reason);
  EXPECT_EQ(meter().config(), before);
  // Day profile 9 written: whole again, programmed.
  const Data days = Data::array(
      {day(3, {action(0, 0, 4)}), day(4, {action(0, 0, 3)}), day(9, {action(0, 0, 8)})});
  EXPECT_EQ(calendar_.set(9, days), DataAccessResult::success);
  EXPECT_FALSE(calendar_.has_draft());
  EXPECT_EQ(programmed().passive.weeks[0].day_ids[6], 9);
  EXPECT_EQ(programmed().passive.days[2].name, "day-9");
}

TEST_F(ActivityCalendarObjectTest, ADraftGoesWhenTheMeterIsReprogrammed) {
  ASSERT_EQ(calendar_.set(7, summer_seasons()), DataAccessResult::success);
  ASSERT_TRUE(calendar_.has_draft());
  MeterConfig config = meter().config();
  config.calendar.passive = summer_profiles();
  meter().configure(config);
  EXPECT_FALSE(calendar_.has_draft());
  EXPECT_EQ(wire(calendar_, 6), hex(text_hex("summer")));
}

TEST_F(ActivityCalendarObjectTest, ActivationTimeSwitchesTheCalendar) {
  write_summer();
  const TimeZone& zone = meter().config().zone;
  // 10:15 CET today.
  ASSERT_EQ(calendar_.set(10, date_time_octets(to_cosem(utc(2026, 1, 7, 9, 15), zone))),
            DataAccessResult::success);
  EXPECT_EQ(programmed().activate_passive_utc_us, utc(2026, 1, 7, 9, 15));
  EXPECT_EQ(wire(calendar_, 10), hex("09 0C 07EA 01 07 03 0A 0F 00 00 FF C4 00"));
  UtcMicros t = utc(2026, 1, 7, 9, 0);
  for (int minute = 0; minute < 20; ++minute, t += micros_per_minute)
    access_.advance(gridmeter::test::single_phase(t, 1000.0, 0.0, micros_per_minute));
  EXPECT_EQ(programmed().active, summer_profiles());
  EXPECT_FALSE(programmed().activate_passive_utc_us.has_value());
  EXPECT_EQ(meter().state().active_tariff, 5);
  EXPECT_EQ(events().back(), 9);
  EXPECT_EQ(wire(calendar_, 2), hex(text_hex("summer")));
  EXPECT_EQ(wire(calendar_, 10), hex("09 0C FFFF FF FF FF FF FF FF FF 8000 FF"));
}

TEST_F(ActivityCalendarObjectTest, ActivationTimeWrites) {
  const TimeZone& zone = meter().config().zone;
  const Data july = date_time_octets(to_cosem(utc(2026, 6, 30, 22, 0), zone));
  // Nothing to activate yet.
  EXPECT_EQ(calendar_.set(10, july), DataAccessResult::other_reason);
  write_summer();
  EXPECT_EQ(calendar_.set(10, july), DataAccessResult::success);
  EXPECT_EQ(programmed().activate_passive_utc_us, utc(2026, 6, 30, 22, 0));
  // 1 July 00:00 CEST: deviation -120, daylight saving active.
  EXPECT_EQ(wire(calendar_, 10), hex("09 0C 07EA 07 01 03 00 00 00 00 FF88 80"));
  const MeterConfig scheduled = meter().config();
  // Partial wildcards, a bad field, beyond year 9999, wrong types: refused.
  EXPECT_EQ(calendar_.set(10, bytes({0x07, 0xEA, 7, 1, 0xFF, 0xFF, 0, 0, 0, 0x80, 0, 0xFF})),
            DataAccessResult::other_reason);
  EXPECT_EQ(calendar_.set(10, bytes({0x07, 0xEA, 13, 1, 0xFF, 0, 0, 0, 0, 0x80, 0, 0xFF})),
            DataAccessResult::other_reason);
  EXPECT_EQ(calendar_.set(10, bytes({0x27, 0x10, 7, 1, 0xFF, 0, 0, 0, 0, 0xFF, 0x88, 0xFF})),
            DataAccessResult::other_reason);
  EXPECT_EQ(calendar_.set(10, bytes({0x07, 0xEA, 7, 1, 0xFF, 0, 0, 0, 0, 0xFF, 0x88})),
            DataAccessResult::type_unmatched);
  EXPECT_EQ(calendar_.set(10, Data::date_time(to_cosem(utc(2026, 6, 30, 22, 0), zone))),
            DataAccessResult::type_unmatched);
  EXPECT_EQ(meter().config(), scheduled);
  // Every field not specified cancels it.
  EXPECT_EQ(calendar_.set(10, date_time_octets(unspecified_date_time())),
            DataAccessResult::success);
  EXPECT_FALSE(programmed().activate_passive_utc_us.has_value());
  EXPECT_EQ(programmed().passive, summer_profiles());
}

TEST_F(ActivityCalendarObjectTest, ActivatePassiveCalendarNow) {
  // Without a passive calendar there is nothing to activate.
  EXPECT_EQ(calendar_.action(1, Data::integer8(0)).result, ActionResult::other_reason);
  EXPECT_EQ(programmed().active, ActivityCalendar::default_calendar().active);
  write_summer();
  ASSERT_EQ(meter().state().active_tariff, 1);
  EXPECT_EQ(calendar_.action(1, Data::integer8(0)).result, ActionResult::success);
  EXPECT_EQ(programmed().active, summer_profiles());
  EXPECT_EQ(programmed().passive, summer_profiles());
  EXPECT_EQ(meter().state().active_tariff, 5);
  EXPECT_EQ(events(), (std::vector<std::int64_t>{47, 19, 9}));
  EXPECT_EQ(test::value_of(calendar_, 5), summer_days());
  EXPECT_EQ(calendar_.action(2, std::nullopt).result, ActionResult::object_undefined);
}

}  // namespace
}  // namespace gridmeter::cosem
