#include "meter/activity_calendar.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "core/date_time.hpp"

namespace gridmeter {
namespace {

constexpr int year_any = CalendarDate::year_not_specified;
constexpr int hour_s = 3600;

CivilTime local_time(int year, int month, int day, int hour, int minute, int second = 0) {
  return CivilTime{year, month, day, hour, minute, second, 0};
}

int weekday_of(const CivilTime& t) {
  return weekday_from_days(days_from_civil(t.year, t.month, t.day));
}

int tariff(const ActivityCalendar& calendar, const CivilTime& t) {
  return calendar.tariff_at(t, weekday_of(t));
}

UtcMicros utc(int year, int month, int day, int hour, int minute, int second = 0) {
  return utc_from_civil(CivilTime{year, month, day, hour, minute, second, 0});
}

DayProfile day_profile(int id, std::string name, std::initializer_list<TariffSwitch> switches) {
  return DayProfile{id, std::move(name), switches};
}

WeekProfile same_every_day(std::string name, int day_id) {
  return WeekProfile{std::move(name), {day_id, day_id, day_id, day_id, day_id, day_id, day_id}};
}

// One day profile for every day of the year.
CalendarProfiles single_day_calendar(std::initializer_list<TariffSwitch> switches) {
  CalendarProfiles profiles;
  profiles.name = "single";
  profiles.days.push_back(day_profile(1, "every-day", switches));
  profiles.weeks.push_back(same_every_day("every-week", 1));
  profiles.seasons.push_back(SeasonProfile{"all-year", {year_any, 1, 1}, "every-week"});
  return profiles;
}

void expect_error(const Status& status, std::initializer_list<std::string_view> parts) {
  ASSERT_FALSE(status.ok()) << "expected an error containing " << *parts.begin();
  for (std::string_view part : parts) {
    EXPECT_NE(status.error().message.find(part), std::string::npos)
        << "\"" << status.error().message << "\" lacks \"" << part << "\"";
  }
}

TEST(ActivityCalendar, DefaultCalendarIsValidAndDocumented) {
  const ActivityCalendar calendar = ActivityCalendar::default_calendar();
  EXPECT_TRUE(calendar.validate().ok());
  EXPECT_EQ(calendar.active.name, "day-night-weekend");
  EXPECT_EQ(calendar.tariff_names[0], "day");
  EXPECT_EQ(calendar.tariff_names[1], "night");
  EXPECT_EQ(calendar.tariff_names[2], "weekend");
  EXPECT_TRUE(calendar.passive.empty());
  EXPECT_FALSE(calendar.activate_passive_utc_us.has_value());
  EXPECT_TRUE(calendar.special_days.entries.empty());
}

TEST(ActivityCalendar, DefaultCalendarTariffsAroundTheSwitches) {
  const ActivityCalendar calendar = ActivityCalendar::default_calendar();
  ASSERT_EQ(weekday_of(local_time(2026, 3, 25, 0, 0)), 3);  // Wednesday
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 25, 6, 59, 59)), 2);
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 25, 7, 0)), 1);
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 25, 21, 59)), 1);
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 25, 21, 59, 59)), 1);
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 25, 22, 0)), 2);
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 28, 12, 0)), 3);  // Saturday
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 28, 0, 0)), 3);
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 29, 23, 59, 59)), 3);  // Sunday
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 30, 0, 0)), 2);        // Monday night
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 27, 23, 30)), 2);      // Friday night
}

TEST(ActivityCalendar, TheWeekdayArgumentChoosesTheWeekProfileDay) {
  const ActivityCalendar calendar = ActivityCalendar::default_calendar();
  // The caller's weekday wins over the date's (it usually comes from the meter's clock).
  EXPECT_EQ(calendar.tariff_at(local_time(2026, 3, 25, 12, 0), 6), 3);
  EXPECT_EQ(calendar.tariff_at(local_time(2026, 3, 28, 12, 0), 1), 1);
  EXPECT_EQ(calendar.tariff_at(local_time(2026, 3, 28, 12, 0), 9), 0);  // no such weekday
}

TEST(ActivityCalendar, TariffAtUtcUsesLocalWallTime) {
  const ActivityCalendar calendar = ActivityCalendar::default_calendar();
  const TimeZone zone = TimeZone::central_europe();
  // Wednesday 2026-03-25 07:00 CET is 06:00 UTC; Wednesday 2026-04-01 07:00 CEST is 05:00 UTC.
  EXPECT_EQ(calendar.tariff_at_utc(utc(2026, 3, 25, 5, 59, 59), zone), 2);
  EXPECT_EQ(calendar.tariff_at_utc(utc(2026, 3, 25, 6, 0), zone), 1);
  EXPECT_EQ(calendar.tariff_at_utc(utc(2026, 4, 1, 4, 59, 59), zone), 2);
  EXPECT_EQ(calendar.tariff_at_utc(utc(2026, 4, 1, 5, 0), zone), 1);
}

// Winter (from 10-01): the default week. Summer (from 04-01): day tariff from 06:00 to 23:00
// on weekdays, tariff 4 at weekends.
ActivityCalendar two_season_calendar() {
  ActivityCalendar calendar = ActivityCalendar::default_calendar();
  CalendarProfiles& active = calendar.active;
  active.days.push_back(
      day_profile(3, "summer-workday", {{0, 2}, {6 * hour_s, 1}, {23 * hour_s, 2}}));
  active.days.push_back(day_profile(4, "summer-weekend", {{0, 4}}));
  active.weeks.push_back(WeekProfile{"summer", {3, 3, 3, 3, 3, 4, 4}});
  active.seasons.clear();
  active.seasons.push_back(SeasonProfile{"summer", {year_any, 4, 1}, "summer"});
  active.seasons.push_back(SeasonProfile{"winter", {year_any, 10, 1}, "standard"});
  return calendar;
}

TEST(ActivityCalendar, SeasonChangeOnAprilFirstSwitchesToTheSummerWeek) {
  const ActivityCalendar calendar = two_season_calendar();
  ASSERT_TRUE(calendar.validate().ok()) << calendar.validate().error().message;
  // Tuesday 03-31 is still winter: 06:30 is night. Wednesday 04-01 is summer: day from 06:00.
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 31, 6, 30)), 2);
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 31, 22, 30)), 2);
  EXPECT_EQ(tariff(calendar, local_time(2026, 4, 1, 6, 30)), 1);
  EXPECT_EQ(tariff(calendar, local_time(2026, 4, 1, 22, 30)), 1);
  EXPECT_EQ(tariff(calendar, local_time(2026, 4, 4, 12, 0)), 4);  // summer Saturday
  // Back to winter on 10-01 (Thursday), and winter wraps around New Year.
  EXPECT_EQ(tariff(calendar, local_time(2026, 9, 30, 22, 30)), 1);
  EXPECT_EQ(tariff(calendar, local_time(2026, 10, 1, 22, 30)), 2);
  EXPECT_EQ(tariff(calendar, local_time(2026, 1, 15, 6, 30)), 2);
  EXPECT_EQ(tariff(calendar, local_time(2027, 3, 31, 6, 30)), 2);
  EXPECT_EQ(tariff(calendar, local_time(2027, 4, 1, 6, 30)), 1);
  // The list order does not matter.
  ActivityCalendar reversed = calendar;
  std::swap(reversed.active.seasons[0], reversed.active.seasons[1]);
  EXPECT_EQ(tariff(reversed, local_time(2026, 4, 1, 6, 30)), 1);
  EXPECT_EQ(tariff(reversed, local_time(2026, 1, 15, 6, 30)), 2);
}

TEST(ActivityCalendar, OneOffSeasonStartsOnItsDateOnly) {
  ActivityCalendar calendar = two_season_calendar();
  // A one-off season from 2026-07-15 (Wednesday) replaces summer until winter starts again.
  calendar.active.seasons.push_back(SeasonProfile{"holiday-2026", {2026, 7, 15}, "standard"});
  ASSERT_TRUE(calendar.validate().ok()) << calendar.validate().error().message;
  EXPECT_EQ(tariff(calendar, local_time(2026, 7, 14, 6, 30)), 1);  // summer
  EXPECT_EQ(tariff(calendar, local_time(2026, 7, 15, 6, 30)), 2);  // holiday-2026
  EXPECT_EQ(tariff(calendar, local_time(2026, 9, 30, 6, 30)), 2);
  EXPECT_EQ(tariff(calendar, local_time(2027, 7, 15, 6, 30)), 1);  // summer again
}

TEST(ActivityCalendar, OnlyOneOffSeasonsBeforeTheFirstStartUseTheEarliest) {
  ActivityCalendar calendar;
  calendar.active = single_day_calendar({{0, 1}});
  calendar.active.days.push_back(day_profile(2, "other", {{0, 2}}));
  calendar.active.weeks.push_back(same_every_day("other-week", 2));
  calendar.active.seasons = {SeasonProfile{"from-2027", {2027, 1, 1}, "other-week"},
                             SeasonProfile{"from-2026", {2026, 1, 1}, "every-week"}};
  ASSERT_TRUE(calendar.validate().ok()) << calendar.validate().error().message;
  EXPECT_EQ(tariff(calendar, local_time(2025, 6, 1, 12, 0)), 1);
  EXPECT_EQ(tariff(calendar, local_time(2026, 6, 1, 12, 0)), 1);
  EXPECT_EQ(tariff(calendar, local_time(2027, 6, 1, 12, 0)), 2);
}

TEST(SpecialDaysTable, RecurringAndOneOffDaysOverrideTheWeekProfile) {
  ActivityCalendar calendar = ActivityCalendar::default_calendar();
  calendar.special_days.entries = {SpecialDay{1, {year_any, 12, 25}, 2},
                                   SpecialDay{2, {2026, 4, 6}, 2}};
  ASSERT_TRUE(calendar.validate().ok()) << calendar.validate().error().message;
  // Friday 2026-12-25 and every 12-25: weekend all day.
  EXPECT_EQ(tariff(calendar, local_time(2026, 12, 25, 12, 0)), 3);
  EXPECT_EQ(tariff(calendar, local_time(2030, 12, 25, 12, 0)), 3);
  EXPECT_EQ(tariff(calendar, local_time(2026, 12, 24, 12, 0)), 1);
  EXPECT_EQ(tariff(calendar, local_time(2026, 12, 28, 12, 0)), 1);
  // Easter Monday 2026-04-06 only; 2027-04-06 is an ordinary Tuesday.
  EXPECT_EQ(tariff(calendar, local_time(2026, 4, 6, 12, 0)), 3);
  EXPECT_EQ(tariff(calendar, local_time(2027, 4, 6, 12, 0)), 1);
  EXPECT_NE(calendar.special_days.find(2026, 4, 6), nullptr);
  EXPECT_EQ(calendar.special_days.find(2027, 4, 6), nullptr);
  EXPECT_EQ(calendar.special_days.find(1999, 12, 25)->index, 1);
}

TEST(SpecialDaysTable, AProfileStartingAtSixTakesThePreviousDaysLastTariff) {
  ActivityCalendar calendar;
  calendar.active = single_day_calendar({{6 * hour_s, 1}, {20 * hour_s, 4}});
  calendar.active.days.push_back(day_profile(2, "holiday", {{0, 3}}));
  ASSERT_TRUE(calendar.validate().ok()) << calendar.validate().error().message;
  // Before 06:00 the previous day's 20:00 action (tariff 4) is still in force.
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 25, 5, 59, 59)), 4);
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 25, 0, 0)), 4);
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 25, 6, 0)), 1);
  EXPECT_EQ(tariff(calendar, local_time(2026, 1, 1, 3, 0)), 4);  // across New Year
  // A special previous day hands over its own last tariff.
  calendar.special_days.entries = {SpecialDay{7, {2026, 3, 24}, 2}};
  ASSERT_TRUE(calendar.validate().ok());
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 24, 12, 0)), 3);
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 25, 5, 59, 59)), 3);
  EXPECT_EQ(tariff(calendar, local_time(2026, 3, 26, 5, 59, 59)), 4);
}

ActivityCalendar with_passive_flat_tariff(UtcMicros activation) {
  ActivityCalendar calendar = ActivityCalendar::default_calendar();
  calendar.passive = single_day_calendar({{0, 5}});
  calendar.passive.name = "flat";
  calendar.activate_passive_utc_us = activation;
  return calendar;
}

TEST(ActivityCalendar, PassiveCalendarBecomesActiveAtItsInstant) {
  // 2026-07-01T00:00:00+02:00.
  const UtcMicros activation = utc(2026, 6, 30, 22, 0);
  ActivityCalendar calendar = with_passive_flat_tariff(activation);
  ASSERT_TRUE(calendar.validate().ok()) << calendar.validate().error().message;
  const TimeZone zone = TimeZone::central_europe();
  EXPECT_FALSE(calendar.on_time(activation - 1));
  EXPECT_EQ(calendar.active.name, "day-night-weekend");
  EXPECT_EQ(calendar.tariff_at_utc(activation - 1, zone), 2);
  EXPECT_TRUE(calendar.on_time(activation));
  EXPECT_EQ(calendar.active.name, "flat");
  EXPECT_EQ(calendar.active, calendar.passive);  // class 20: the passive set is copied
  EXPECT_FALSE(calendar.activate_passive_utc_us.has_value());
  EXPECT_EQ(calendar.tariff_at_utc(activation, zone), 5);
  EXPECT_FALSE(calendar.on_time(activation + micros_per_day));
  EXPECT_TRUE(calendar.validate().ok());
}

TEST(ActivityCalendar, LateOnTimeStillActivatesAndEmptyPassiveNeverDoes) {
  const UtcMicros activation = utc(2026, 6, 30, 22, 0);
  ActivityCalendar late = with_passive_flat_tariff(activation);
  EXPECT_TRUE(late.on_time(activation + micros_per_hour));  // meter was off at the instant
  EXPECT_EQ(late.active.name, "flat");

  ActivityCalendar empty = ActivityCalendar::default_calendar();
  empty.activate_passive_utc_us = activation;
  EXPECT_FALSE(empty.on_time(activation));
  EXPECT_EQ(empty.active, ActivityCalendar::default_calendar().active);
  EXPECT_FALSE(empty.activate_passive_utc_us.has_value());
  EXPECT_FALSE(empty.activate_passive_calendar());
}

TEST(ActivityCalendar, NextSwitchReportsThePassiveActivation) {
  const UtcMicros activation = utc(2026, 6, 30, 22, 0) + 123;
  const ActivityCalendar calendar = with_passive_flat_tariff(activation);
  const TimeZone zone = TimeZone::central_europe();
  // Tuesday 2026-06-30 22:00 CEST (20:00 UTC) is the last switch before the activation.
  EXPECT_EQ(calendar.next_switch_after(utc(2026, 6, 30, 12, 0), zone), utc(2026, 6, 30, 20, 0));
  EXPECT_EQ(calendar.next_switch_after(utc(2026, 6, 30, 20, 0), zone), activation);
}

TEST(ActivityCalendar, NextSwitchAcrossTheSpringDstChange) {
  const ActivityCalendar calendar = ActivityCalendar::default_calendar();
  const TimeZone zone = TimeZone::central_europe();
  // Friday 2026-03-27 (CET): 07:00 local is 06:00 UTC.
  EXPECT_EQ(calendar.next_switch_after(utc(2026, 3, 26, 23, 0), zone), utc(2026, 3, 27, 6, 0));
  // Sunday 2026-03-29 00:00 CET: the 01:00 UTC DST change keeps tariff 3, so the next change
  // is Monday 00:00 CEST = Sunday 22:00 UTC.
  EXPECT_EQ(calendar.next_switch_after(utc(2026, 3, 28, 23, 0), zone), utc(2026, 3, 29, 22, 0));
  // Monday 2026-03-30 (CEST): 07:00 local is 05:00 UTC.
  EXPECT_EQ(calendar.next_switch_after(utc(2026, 3, 29, 22, 0), zone), utc(2026, 3, 30, 5, 0));
  EXPECT_EQ(calendar.next_switch_after(utc(2026, 3, 30, 5, 0), zone), utc(2026, 3, 30, 20, 0));
  // Friday 22:00 night → Saturday 00:00 weekend.
  EXPECT_EQ(calendar.next_switch_after(utc(2026, 3, 27, 21, 0), zone), utc(2026, 3, 27, 23, 0));
}

// Walks next_switch_after through a period and checks it against tariff_at_utc sampled every
// minute: the tariff changes exactly at each reported instant and nowhere in between.
void check_switch_walk(const ActivityCalendar& calendar, const TimeZone& zone, UtcMicros start,
                       UtcMicros end, int expected_changes) {
  int changes = 0;
  UtcMicros t = start;
  while (t < end) {
    const UtcMicros next = calendar.next_switch_after(t, zone);
    ASSERT_GT(next, t);
    const int tariff_here = calendar.tariff_at_utc(t, zone);
    for (UtcMicros probe = t; probe < next && probe < end; probe += micros_per_minute) {
      ASSERT_EQ(calendar.tariff_at_utc(probe, zone), tariff_here)
          << format_iso8601(probe, zone) << " inside [" << format_iso8601(t, zone) << ", "
          << format_iso8601(next, zone) << ")";
    }
    ASSERT_EQ(calendar.tariff_at_utc(next - 1, zone), tariff_here);
    if (next < end) {
      if (calendar.tariff_at_utc(next, zone) != tariff_here) ++changes;
    }
    t = next;
  }
  EXPECT_EQ(changes, expected_changes);
}

TEST(ActivityCalendar, NextSwitchWalkAgreesWithTariffAtAcrossBothDstChanges) {
  const ActivityCalendar calendar = two_season_calendar();
  const TimeZone zone = TimeZone::central_europe();
  // Monday 2026-03-23 .. Monday 2026-04-06 local: 5 weekdays × 2 + 2 weekend edges in each
  // of the two weeks, spring DST change on 03-29 and the season change on 04-01 included.
  check_switch_walk(calendar, zone, utc(2026, 3, 22, 23, 0), utc(2026, 4, 5, 22, 0), 23);
  // Monday 2026-10-19 .. Monday 2026-10-26 (autumn change on 10-25): winter all week.
  check_switch_walk(calendar, zone, utc(2026, 10, 18, 22, 0), utc(2026, 10, 25, 23, 0), 11);
}

TEST(ActivityCalendar, SwitchInsideTheSpringGapHappensAtTheDstChange) {
  ActivityCalendar calendar;
  calendar.active = single_day_calendar({{0, 1}, {2 * hour_s + 30 * 60, 2}});
  const TimeZone zone = TimeZone::central_europe();
  // 2026-03-29: 02:30 local does not exist; the wall clock jumps from 02:00 to 03:00 at
  // 01:00 UTC, past the switch.
  EXPECT_EQ(calendar.next_switch_after(utc(2026, 3, 28, 23, 0), zone), utc(2026, 3, 29, 1, 0));
  EXPECT_EQ(calendar.tariff_at_utc(utc(2026, 3, 29, 1, 0) - 1, zone), 1);
  EXPECT_EQ(calendar.tariff_at_utc(utc(2026, 3, 29, 1, 0), zone), 2);
}

TEST(ActivityCalendar, SwitchInsideTheAutumnOverlapHappensTwice) {
  ActivityCalendar calendar;
  calendar.active = single_day_calendar({{0, 1}, {2 * hour_s + 30 * 60, 2}});
  const TimeZone zone = TimeZone::central_europe();
  // 2026-10-25: 02:30 CEST (00:30 UTC), back to 02:00 CET at 01:00 UTC, 02:30 CET (01:30 UTC).
  const UtcMicros midnight = utc(2026, 10, 24, 22, 0);
  const UtcMicros first = calendar.next_switch_after(midnight, zone);
  EXPECT_EQ(first, utc(2026, 10, 25, 0, 30));
  const UtcMicros back = calendar.next_switch_after(first, zone);
  EXPECT_EQ(back, utc(2026, 10, 25, 1, 0));
  EXPECT_EQ(calendar.tariff_at_utc(back, zone), 1);
  EXPECT_EQ(calendar.next_switch_after(back, zone), utc(2026, 10, 25, 1, 30));
}

TEST(ActivityCalendar, NextSwitchOfAConstantTariffIsAConservativeBound) {
  ActivityCalendar calendar;
  calendar.active = single_day_calendar({{0, 4}});
  for (const TimeZone& zone : {TimeZone::central_europe(), TimeZone::utc()}) {
    const UtcMicros t = utc(2026, 5, 5, 13, 17);
    const UtcMicros next = calendar.next_switch_after(t, zone);
    EXPECT_GT(next, t);
    EXPECT_GT(next, t + micros_per_day - 2 * micros_per_hour);
    EXPECT_LE(next, t + 2 * micros_per_day);
  }
  // In UTC the bound is the second midnight after the query.
  EXPECT_EQ(calendar.next_switch_after(utc(2026, 5, 5, 13, 17), TimeZone::utc()),
            utc(2026, 5, 7, 0, 0));
}

TEST(ActivityCalendar, FormatsAndParsesDatesAndTimes) {
  EXPECT_EQ(format_calendar_date({year_any, 4, 1}), "04-01");
  EXPECT_EQ(format_calendar_date({2026, 4, 6}), "2026-04-06");
  EXPECT_EQ(format_time_of_day(22 * hour_s + 5 * 60 + 9), "22:05:09");
  EXPECT_EQ(*parse_calendar_date("12-25"), (CalendarDate{year_any, 12, 25}));
  EXPECT_EQ(*parse_calendar_date("2026-04-06"), (CalendarDate{2026, 4, 6}));
  EXPECT_EQ(*parse_calendar_date("02-29"), (CalendarDate{year_any, 2, 29}));
  EXPECT_EQ(*parse_time_of_day_s("07:00"), 7 * hour_s);
  EXPECT_EQ(*parse_time_of_day_s("23:59:59"), seconds_per_day - 1);
  for (std::string_view bad :
       {"02-30", "2026-02-29", "13-01", "1-1", "2026/04/06", "0000-01-01", "", "12-2x"}) {
    EXPECT_FALSE(parse_calendar_date(bad).has_value()) << bad;
  }
  for (std::string_view bad :
       {"25:00", "24:00", "07:60", "07:00:60", "7:00", "07-00", "", "ab:cd"}) {
    EXPECT_FALSE(parse_time_of_day_s(bad).has_value()) << bad;
  }
  expect_error(Status(parse_calendar_date("02-30").error()), {"02-30", "no day 30"});
  expect_error(Status(parse_time_of_day_s("25:00").error()), {"25:00", "not a time of day"});
}

// --- validate(): one test per rule, each error naming the item at fault ---

TEST(ActivityCalendarValidate, EmptyCalendarsAndMissingParts) {
  ActivityCalendar calendar;
  expect_error(calendar.validate(), {"active calendar is empty"});
  calendar = ActivityCalendar::default_calendar();
  calendar.active.seasons.clear();
  expect_error(calendar.validate(), {"active calendar has no season profile"});
  calendar = ActivityCalendar::default_calendar();
  calendar.active.weeks.clear();
  expect_error(calendar.validate(), {"active calendar has no week profile"});
  calendar = ActivityCalendar::default_calendar();
  calendar.active.days.clear();
  expect_error(calendar.validate(), {"active calendar has no day profile"});
}

TEST(ActivityCalendarValidate, UnknownWeekAndDayProfileReferences) {
  ActivityCalendar calendar = ActivityCalendar::default_calendar();
  calendar.active.seasons[0].week_name = "summer";
  expect_error(calendar.validate(),
               {"season \"all-year\"", "week profile \"summer\"", "not defined"});
  calendar = ActivityCalendar::default_calendar();
  calendar.active.weeks[0].day_ids[3] = 7;
  expect_error(calendar.validate(),
               {"week profile \"standard\"", "thursday", "day profile 7", "not defined"});
}

TEST(ActivityCalendarValidate, TariffsOutsideOneToEight) {
  ActivityCalendar calendar = ActivityCalendar::default_calendar();
  calendar.active.days[0].switches[1].tariff = 9;
  expect_error(calendar.validate(),
               {"day profile 1 (\"workday\")", "07:00:00", "tariff 9", "1..8"});
  calendar.active.days[0].switches[1].tariff = 0;
  expect_error(calendar.validate(), {"tariff 0"});
}

TEST(ActivityCalendarValidate, DuplicateUnsortedAndOutOfDaySwitchTimes) {
  ActivityCalendar calendar = ActivityCalendar::default_calendar();
  calendar.active.days[0].switches[2].time_of_day_s = 7 * hour_s;
  expect_error(calendar.validate(), {"\"workday\"", "duplicate switch time 07:00:00"});
  calendar.active.days[0].switches[2].time_of_day_s = 6 * hour_s;
  expect_error(calendar.validate(), {"\"workday\"", "not in ascending order", "06:00:00"});
  calendar.active.days[0].switches[2].time_of_day_s = seconds_per_day;
  expect_error(calendar.validate(), {"\"workday\"", "switch 3", "outside the day"});
  calendar.active.days[0].switches[0].time_of_day_s = -1;
  expect_error(calendar.validate(), {"switch 1", "outside the day"});
  calendar = ActivityCalendar::default_calendar();
  calendar.active.days[1].switches.clear();
  expect_error(calendar.validate(), {"day profile 2 (\"weekend\") has no switches"});
}

TEST(ActivityCalendarValidate, DuplicateAndOverlappingSeasonStarts) {
  ActivityCalendar calendar = two_season_calendar();
  calendar.active.seasons[1].start = {year_any, 4, 1};
  expect_error(calendar.validate(), {"seasons \"summer\" (04-01) and \"winter\" (04-01)"});
  calendar.active.seasons[1].start = {2026, 4, 1};
  expect_error(calendar.validate(), {"\"summer\" (04-01)", "\"winter\" (2026-04-01)", "same day"});
  calendar.active.seasons[1].start = {2026, 4, 2};
  EXPECT_TRUE(calendar.validate().ok());
  calendar.active.seasons[1].start = {year_any, 2, 30};
  expect_error(calendar.validate(), {"season \"winter\"", "02-30"});
  calendar.active.seasons[1].start = {year_any, 2, 29};
  expect_error(calendar.validate(), {"season \"winter\"", "02-29", "every year"});
  calendar.active.seasons[1].start = {2026, 13, 1};
  expect_error(calendar.validate(), {"season \"winter\"", "month 13"});
}

TEST(ActivityCalendarValidate, DuplicateNamesAndIds) {
  ActivityCalendar calendar = two_season_calendar();
  calendar.active.seasons[1].name = "summer";
  expect_error(calendar.validate(), {"season \"summer\" is defined twice"});
  calendar = two_season_calendar();
  calendar.active.weeks[1].name = "standard";
  expect_error(calendar.validate(), {"week profile \"standard\" is defined twice"});
  calendar = two_season_calendar();
  calendar.active.days[3].day_id = 1;
  expect_error(calendar.validate(),
               {"day profile 1 (\"workday\")", "\"summer-weekend\"", "same day id"});
  calendar = two_season_calendar();
  calendar.active.days[3].name = "workday";
  expect_error(calendar.validate(), {"day profiles 1 and 4 are both named \"workday\""});
  calendar = two_season_calendar();
  calendar.active.seasons[0].name.clear();
  expect_error(calendar.validate(), {"season has an empty name"});
  calendar = two_season_calendar();
  calendar.active.days[0].day_id = 256;
  expect_error(calendar.validate(), {"day profile 256", "out of range 0..255"});
  calendar = two_season_calendar();
  calendar.active.weeks[0].name = std::string(33, 'w');
  expect_error(calendar.validate(), {"longer than 32 bytes"});
  calendar = two_season_calendar();
  calendar.tariff_names[7] = std::string(40, 'n');
  expect_error(calendar.validate(), {"tariff 8", "longer than 32 bytes"});
}

TEST(ActivityCalendarValidate, BoundsOnEveryTable) {
  ActivityCalendar calendar = ActivityCalendar::default_calendar();
  for (int i = 1; i <= 32; ++i) {
    calendar.active.seasons.push_back(
        SeasonProfile{"s" + std::to_string(i), {2000 + i, 1, 1}, "standard"});
  }
  expect_error(calendar.validate(), {"33 season profiles, at most 32"});
  calendar = ActivityCalendar::default_calendar();
  for (int i = 1; i <= 32; ++i)
    calendar.active.weeks.push_back(same_every_day("w" + std::to_string(i), 1));
  expect_error(calendar.validate(), {"33 week profiles, at most 32"});
  calendar = ActivityCalendar::default_calendar();
  for (int i = 3; i <= 33; ++i)
    calendar.active.days.push_back(day_profile(i, "", {{0, 1}}));
  expect_error(calendar.validate(), {"33 day profiles, at most 32"});
  calendar = ActivityCalendar::default_calendar();
  calendar.active.days[1].switches.clear();
  for (int i = 0; i < 33; ++i)
    calendar.active.days[1].switches.push_back({i * 60, 3});
  expect_error(calendar.validate(), {"\"weekend\") has 33 switches, at most 32"});
  calendar = ActivityCalendar::default_calendar();
  for (int i = 0; i < 65; ++i) {
    calendar.special_days.entries.push_back(SpecialDay{i, {2026 + i, 1, 1}, 2});
  }
  expect_error(calendar.validate(), {"65 special days, at most 64"});
  calendar.special_days.entries.pop_back();
  EXPECT_TRUE(calendar.validate().ok()) << calendar.validate().error().message;
}

TEST(ActivityCalendarValidate, SpecialDayErrors) {
  ActivityCalendar calendar = ActivityCalendar::default_calendar();
  calendar.special_days.entries = {SpecialDay{1, {year_any, 12, 25}, 9}};
  expect_error(calendar.validate(),
               {"special day 1 (12-25)", "day profile 9", "not defined in the active calendar"});
  calendar.special_days.entries = {SpecialDay{1, {year_any, 12, 25}, 2},
                                   SpecialDay{1, {year_any, 12, 26}, 2}};
  expect_error(calendar.validate(), {"special day index 1 is used twice"});
  calendar.special_days.entries = {SpecialDay{1, {year_any, 12, 25}, 2},
                                   SpecialDay{2, {2026, 12, 25}, 2}};
  expect_error(calendar.validate(),
               {"special day 1 (12-25) and special day 2 (2026-12-25) fall on the same day"});
  calendar.special_days.entries = {SpecialDay{1, {2026, 12, 25}, 2},
                                   SpecialDay{2, {2027, 12, 25}, 2}};
  EXPECT_TRUE(calendar.validate().ok());
  calendar.special_days.entries = {SpecialDay{3, {year_any, 4, 31}, 2}};
  expect_error(calendar.validate(), {"special day 3", "04-31", "no day 31"});
  calendar.special_days.entries = {SpecialDay{70000, {year_any, 4, 1}, 2}};
  expect_error(calendar.validate(), {"special day index 70000 is out of range"});
  calendar.special_days.entries = {SpecialDay{1, {year_any, 2, 29}, 2}};
  EXPECT_TRUE(calendar.validate().ok());  // a leap-day holiday recurs in leap years
}

TEST(ActivityCalendarValidate, PassiveCalendarErrors) {
  ActivityCalendar calendar = ActivityCalendar::default_calendar();
  calendar.activate_passive_utc_us = utc(2026, 6, 30, 22, 0);
  expect_error(calendar.validate(),
               {"passive calendar is empty but scheduled for activation at 2026-06-30T22:00:00Z"});
  calendar.passive = single_day_calendar({{0, 5}});
  EXPECT_TRUE(calendar.validate().ok());
  calendar.passive.days[0].switches[0].tariff = 12;
  expect_error(calendar.validate(), {"passive calendar", "\"every-day\"", "tariff 12"});
  // The special days serve both calendars: their day ids must exist in the passive one too.
  calendar.passive = single_day_calendar({{0, 5}});
  calendar.special_days.entries = {SpecialDay{1, {year_any, 12, 25}, 2}};
  expect_error(calendar.validate(),
               {"special day 1 (12-25)", "day profile 2", "not defined in the passive calendar"});
}

}  // namespace
}  // namespace gridmeter
