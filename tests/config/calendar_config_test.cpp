// The calendar sections ([tariffs], [calendar], [passive]) of the meter config file.
#include <gtest/gtest.h>

#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>

#include "config/calendar_config.hpp"
#include "config/meter_config_file.hpp"
#include "core/date_time.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter::config {
namespace {

// The default calendar (ActivityCalendar::default_calendar) spelled as a file.
constexpr std::string_view default_config = R"([tariffs]
1 = "day"
2 = "night"
3 = "weekend"

[calendar]
name = "day-night-weekend"

[[calendar.season]]
name = "all-year"
start = "01-01"   # MM-DD: every year
week = "standard"

[[calendar.week]]
name = "standard"
monday = "workday"
tuesday = "workday"
wednesday = "workday"
thursday = "workday"
friday = "workday"
saturday = "weekend"
sunday = "weekend"

[[calendar.day]]
name = "workday"
switches = [ { time = "00:00", tariff = 2 }, { time = "07:00", tariff = 1 }, { time = "22:00", tariff = 2 } ]

[[calendar.day]]
name = "weekend"
switches = [ { time = "00:00", tariff = 3 } ]
)";

Result<ActivityCalendar> parse_calendar(std::string_view text) {
  Result<MeterConfig> config = parse_meter_config(text, "cal.toml");
  if (!config) return config.error();
  return std::move(config->calendar);
}

// `text` with the first `from` replaced by `to` (the test fails if `from` is absent).
std::string replaced(std::string_view text, std::string_view from, std::string_view to) {
  std::string result(text);
  const std::size_t at = result.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) result.replace(at, from.size(), to);
  return result;
}

// 1-based line of the first `needle` in `text`.
int line_of(std::string_view text, std::string_view needle) {
  const std::size_t at = text.find(needle);
  EXPECT_NE(at, std::string_view::npos) << needle;
  int line = 1;
  for (std::size_t i = 0; i < at && i < text.size(); ++i)
    line += text[i] == '\n' ? 1 : 0;
  return line;
}

std::string location(int line) { return "cal.toml:" + std::to_string(line) + ":"; }

void expect_error(const std::string& text, std::initializer_list<std::string_view> parts) {
  const Result<ActivityCalendar> result = parse_calendar(text);
  ASSERT_FALSE(result.has_value()) << "accepted, expected " << *parts.begin();
  const std::string& message = result.error().message;
  EXPECT_EQ(message.rfind("cal.toml", 0), 0U) << message;
  for (std::string_view part : parts) {
    EXPECT_NE(message.find(part), std::string::npos)
        << "\"" << message << "\" lacks \"" << part << "\"";
  }
}

TEST(CalendarConfig, TheDefaultCalendarAsAFile) {
  const Result<ActivityCalendar> calendar = parse_calendar(default_config);
  ASSERT_TRUE(calendar.has_value()) << calendar.error().message;
  EXPECT_EQ(*calendar, ActivityCalendar::default_calendar());
}

constexpr std::string_view seasonal_config = R"(
[tariffs]
1 = "peak"
4 = "summer-weekend"

[calendar]
name = "seasonal"
[[calendar.season]]
name = "winter"
start = "10-01"
week = "winter"
[[calendar.season]]
name = "summer"
start = "04-01"
week = "summer"
[[calendar.season]]
name = "summer-2027-early"
start = 2027-03-15          # a TOML date: one-off
week = "summer"
[[calendar.week]]
name = "winter"
monday = "workday"
tuesday = "workday"
wednesday = "workday"
thursday = "workday"
friday = "workday"
saturday = "holiday"
sunday = "holiday"
[[calendar.week]]
name = "summer"
monday = "workday"
tuesday = "workday"
wednesday = "workday"
thursday = "workday"
friday = "workday"
saturday = "summer-weekend"
sunday = "summer-weekend"
[[calendar.day]]
name = "workday"
switches = [
  { time = 06:00:00, tariff = 1 },     # TOML local time
  { time = "21:30:15", tariff = 2 },
]
[[calendar.day]]
name = "holiday"
switches = [ { time = "00:00", tariff = 3 } ]
[[calendar.day]]
name = "summer-weekend"
switches = [ { time = "00:00", tariff = 4 } ]
[[calendar.special_day]]
date = "12-25"
day = "holiday"
[[calendar.special_day]]
date = 2026-04-06
day = "holiday"

[passive]
name = "flat"
activate = "2026-07-01T00:00:00+02:00"
[[passive.day]]
name = "flat"
switches = [ { time = "00:00", tariff = 5 } ]
[[passive.day]]
name = "holiday"
switches = [ { time = "00:00", tariff = 6 } ]
[[passive.week]]
name = "flat"
monday = "flat"
tuesday = "flat"
wednesday = "flat"
thursday = "flat"
friday = "flat"
saturday = "flat"
sunday = "flat"
[[passive.season]]
name = "always"
start = "01-01"
week = "flat"
)";

TEST(CalendarConfig, SeasonsSpecialDaysAndAPassiveCalendar) {
  Result<ActivityCalendar> parsed = parse_calendar(seasonal_config);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  ActivityCalendar& calendar = *parsed;
  EXPECT_TRUE(calendar.validate().ok());
  EXPECT_EQ(calendar.tariff_names[0], "peak");
  EXPECT_EQ(calendar.tariff_names[1], "");
  EXPECT_EQ(calendar.tariff_names[3], "summer-weekend");
  ASSERT_EQ(calendar.active.seasons.size(), 3U);
  EXPECT_EQ(calendar.active.seasons[1].start,
            (CalendarDate{CalendarDate::year_not_specified, 4, 1}));
  EXPECT_EQ(calendar.active.seasons[2].start, (CalendarDate{2027, 3, 15}));
  const DayProfile* workday = calendar.active.find_day(1);
  ASSERT_NE(workday, nullptr);
  EXPECT_EQ(workday->switches,
            (std::vector<TariffSwitch>{{6 * 3600, 1}, {21 * 3600 + 30 * 60 + 15, 2}}));
  // Day ids are shared by name, so the special days mean "holiday" in both calendars.
  ASSERT_EQ(calendar.special_days.entries.size(), 2U);
  EXPECT_EQ(calendar.special_days.entries[0],
            (SpecialDay{1, {CalendarDate::year_not_specified, 12, 25}, 2}));
  EXPECT_EQ(calendar.special_days.entries[1], (SpecialDay{2, {2026, 4, 6}, 2}));
  EXPECT_EQ(calendar.passive.find_day(2)->name, "holiday");
  EXPECT_EQ(calendar.passive.find_day(4)->name, "flat");
  const UtcMicros activation = utc_from_civil(CivilTime{2026, 6, 30, 22, 0, 0, 0});
  EXPECT_EQ(calendar.activate_passive_utc_us, activation);

  const TimeZone zone = TimeZone::central_europe();
  const auto tariff_at = [&](int y, int mo, int d, int h, int mi) {
    const CivilTime t{y, mo, d, h, mi, 0, 0};
    return calendar.tariff_at(t, weekday_from_days(days_from_civil(y, mo, d)));
  };
  EXPECT_EQ(tariff_at(2026, 3, 31, 5, 59), 2);   // winter Tuesday before 06:00: Monday's last
  EXPECT_EQ(tariff_at(2026, 4, 4, 12, 0), 4);    // summer Saturday
  EXPECT_EQ(tariff_at(2026, 4, 6, 12, 0), 3);    // Easter Monday 2026
  EXPECT_EQ(tariff_at(2026, 12, 25, 12, 0), 3);  // Christmas
  EXPECT_EQ(tariff_at(2027, 3, 20, 12, 0), 4);   // the one-off early summer of 2027
  EXPECT_EQ(tariff_at(2026, 3, 21, 12, 0), 3);   // but not in 2026
  EXPECT_TRUE(calendar.on_time(activation));
  EXPECT_EQ(calendar.tariff_at_utc(activation, zone), 5);
  EXPECT_EQ(calendar.tariff_at_utc(utc_from_civil(CivilTime{2026, 12, 25, 11, 0, 0, 0}), zone), 6);
}

TEST(CalendarConfig, ActivationAsATomlOffsetDateTime) {
  const std::string text = replaced(seasonal_config, "activate = \"2026-07-01T00:00:00+02:00\"",
                                    "activate = 2026-07-01T00:00:00+02:00");
  const Result<ActivityCalendar> calendar = parse_calendar(text);
  ASSERT_TRUE(calendar.has_value()) << calendar.error().message;
  EXPECT_EQ(calendar->activate_passive_utc_us, utc_from_civil(CivilTime{2026, 6, 30, 22, 0, 0, 0}));
}

TEST(CalendarConfig, SyntaxErrorNamesTheLine) {
  const std::string text = replaced(default_config, "name = \"all-year\"", "name = \"all-year");
  expect_error(text, {location(line_of(text, "name = \"all-year")), "TOML syntax error"});
}

TEST(CalendarConfig, UnknownKeys) {
  std::string text = replaced(default_config, "start = \"01-01\"", "strat = \"01-01\"");
  expect_error(text, {location(line_of(text, "strat")), "calendar.season[0].strat: unknown key",
                      "name, start, week"});
  text = replaced(default_config, "{ time = \"07:00\", tariff = 1 }",
                  "{ time = \"07:00\", tariff = 1, rate = 4 }");
  expect_error(
      text, {location(line_of(text, "rate = 4")), "calendar.day[0].switches[1].rate: unknown key"});
  expect_error(std::string(default_config) + "[meter]\nid = 1\n",
               {"meter: unknown key (expected one of: clock, demand, billing, load_profile, "
                "analysis_log, tariffs, calendar, passive, register_monitor, disconnector, "
                "limiter, prepayment, tamper, fraud, pulse_output, voltage_quality)"});
  text = replaced(default_config, "2 = \"night\"", "9 = \"night\"");
  expect_error(text, {location(3), "tariffs.9: unknown key (expected a tariff number 1..8)"});
}

TEST(CalendarConfig, WrongTypes) {
  std::string text = replaced(default_config, "tariff = 1 }", "tariff = \"1\" }");
  expect_error(text, {location(line_of(text, "tariff = \"1\"")),
                      "calendar.day[0].switches[1].tariff: expected an integer tariff 1..8, "
                      "found a string"});
  text = replaced(default_config, "name = \"day-night-weekend\"", "name = 5");
  expect_error(text, {location(7), "calendar.name: expected a string, found an integer"});
  text = replaced(default_config, "start = \"01-01\"", "start = 1.5");
  expect_error(text,
               {"calendar.season[0].start: expected a date string", "found a floating-point"});
  text = replaced(default_config, "switches = [ { time = \"00:00\", tariff = 3 } ]",
                  "switches = { time = \"00:00\", tariff = 3 }");
  expect_error(text, {"calendar.day[1].switches: expected an array, found a table"});
  expect_error("calendar = 3\n", {"cal.toml:1:12: calendar: expected a table, found an integer"});
  text = replaced(default_config, "3 = \"weekend\"", "3 = true");
  expect_error(text, {location(4), "tariffs.3: expected a string, found a boolean"});
}

TEST(CalendarConfig, UnknownProfiles) {
  std::string text = replaced(default_config, "monday = \"workday\"", "monday = \"wrkday\"");
  expect_error(text, {location(line_of(text, "wrkday")),
                      "calendar.week[0].monday: day profile \"wrkday\" is not defined (day "
                      "profiles: workday, weekend)"});
  text = replaced(default_config, "week = \"standard\"", "week = \"summer\"");
  expect_error(text, {location(line_of(text, "\"summer\"")),
                      "calendar.season[0].week: week profile \"summer\" is not defined"});
  text =
      std::string(default_config) + "[[calendar.special_day]]\ndate = \"12-25\"\nday = \"xmas\"\n";
  expect_error(text, {location(line_of(text, "\"xmas\"")),
                      "calendar.special_day[0].day: day profile \"xmas\" is not defined"});
}

TEST(CalendarConfig, TariffOutsideOneToEight) {
  const std::string text = replaced(default_config, "tariff = 1 }", "tariff = 9 }");
  expect_error(text, {location(line_of(text, "tariff = 9")),
                      "calendar.day[0].switches[1].tariff: tariff 9 is outside 1..8"});
  expect_error(replaced(default_config, "tariff = 1 }", "tariff = 0 }"), {"tariff 0 is outside"});
}

TEST(CalendarConfig, BadTimeAndBadDate) {
  std::string text = replaced(default_config, "\"07:00\"", "\"25:00\"");
  expect_error(text, {location(line_of(text, "25:00")),
                      "calendar.day[0].switches[1].time: time \"25:00\" is not a time of day"});
  text = replaced(default_config, "\"07:00\"", "\"7am\"");
  expect_error(text, {"calendar.day[0].switches[1].time: time \"7am\" is not hh:mm or hh:mm:ss"});
  text = replaced(default_config, "\"01-01\"", "\"02-30\"");
  expect_error(text, {location(line_of(text, "02-30")),
                      "calendar.season[0].start: date \"02-30\" is not valid", "no day 30"});
  text = replaced(default_config, "\"01-01\"", "\"2026-13-01\"");
  expect_error(text, {"calendar.season[0].start: date \"2026-13-01\" is not valid"});
  text =
      replaced(default_config, "tariff = 1 }", "tariff = 1 }, { time = 07:30:00.5, tariff = 1 }");
  expect_error(text, {"calendar.day[0].switches[2].time: switch times have whole seconds"});
}

TEST(CalendarConfig, DuplicateSwitchTimeNamesTheDay) {
  const std::string text = replaced(default_config, "\"22:00\"", "\"07:00\"");
  expect_error(text, {location(line_of(text, "[[calendar.day]]")),
                      "calendar.day[0]: day profile 1 (\"workday\"): duplicate switch time "
                      "07:00:00"});
  expect_error(replaced(default_config, "\"22:00\"", "\"06:00\""),
               {"calendar.day[0]: ", "not in ascending order (06:00:00 after 07:00:00)"});
  expect_error(
      replaced(default_config, "switches = [ { time = \"00:00\", tariff = 3 } ]", "switches = []"),
      {"calendar.day[1]: day profile 2 (\"weekend\") has no switches"});
}

TEST(CalendarConfig, WithoutCalendarTheDefaultApplies) {
  const Result<ActivityCalendar> calendar = parse_calendar("[billing]\nday = 5\n");
  ASSERT_TRUE(calendar.has_value()) << calendar.error().message;
  EXPECT_EQ(*calendar, ActivityCalendar::default_calendar());
  // [tariffs] and [passive] belong to a [calendar]: the default applies whole or not at all.
  expect_error("[tariffs]\n1 = \"peak\"\n",
               {"cal.toml:1:1: tariffs: belongs to a [calendar] table"});
  const std::string passive_only(seasonal_config.substr(seasonal_config.find("[passive]")));
  expect_error(passive_only, {"cal.toml:1:1: passive: belongs to a [calendar] table"});
}

TEST(CalendarConfig, FormatReadsBackEqual) {
  for (const std::string_view text : {default_config, seasonal_config}) {
    const Result<MeterConfig> config = parse_meter_config(text, "cal.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message;
    const std::string tables = format_calendar_config(config->calendar);
    const Result<ActivityCalendar> back = parse_calendar(tables);
    ASSERT_TRUE(back.has_value()) << back.error().message << "\n" << tables;
    EXPECT_EQ(*back, config->calendar) << tables;
  }
  // The default calendar is written as docs/config.md shows it.
  const std::string tables = format_calendar_config(ActivityCalendar::default_calendar());
  EXPECT_NE(tables.find("[[calendar.day]]\nname = \"workday\"\nswitches = [ { time = \"00:00\", "
                        "tariff = 2 }, { time = \"07:00\", tariff = 1 }, { time = \"22:00\", "
                        "tariff = 2 } ]\n"),
            std::string::npos)
      << tables;
}

TEST(CalendarConfig, FormatEscapesNamesAndKeepsSeconds) {
  ActivityCalendar calendar = ActivityCalendar::default_calendar();
  calendar.tariff_names[7] = "quote \" back\\ tab\t nl\n del\x7f";
  calendar.active.name = "é\x01";
  calendar.active.days[0].switches[1].time_of_day_s = 7 * 3600 + 59;
  calendar.activate_passive_utc_us = utc_from_civil(CivilTime{2026, 6, 30, 22, 0, 0, 120});
  calendar.passive = calendar.active;
  ASSERT_TRUE(calendar.validate()) << calendar.validate().error().message;
  const std::string tables = format_calendar_config(calendar);
  EXPECT_NE(tables.find("activate = \"2026-06-30T22:00:00.00012Z\""), std::string::npos) << tables;
  EXPECT_NE(tables.find("time = \"07:00:59\""), std::string::npos) << tables;
  const Result<ActivityCalendar> back = parse_calendar(tables);
  ASSERT_TRUE(back.has_value()) << back.error().message << "\n" << tables;
  EXPECT_EQ(*back, calendar) << tables;
}

TEST(CalendarConfig, MissingPartsAndDuplicates) {
  expect_error("[calendar]\nname = \"x\"\n", {"cal.toml:1:1: calendar: ", "the calendar is empty"});
  expect_error(
      replaced(default_config, "sunday = \"weekend\"", ""),
      {location(line_of(default_config, "[[calendar.week]]")), "calendar.week[0].sunday: missing"});
  expect_error(replaced(default_config, "name = \"weekend\"", "name = \"workday\""),
               {"calendar.day[1].name: day profile \"workday\" is defined twice"});
  expect_error(replaced(default_config, "name = \"all-year\"", "name = \"\""),
               {"calendar.season[0].name: must not be empty"});
  // Rules only the whole calendar can check come from ActivityCalendar::validate().
  const std::string two_seasons = std::string(default_config) +
                                  "[[calendar.season]]\nname = \"again\"\nstart = \"01-01\"\n"
                                  "week = \"standard\"\n";
  expect_error(two_seasons,
               {"cal.toml: active calendar: seasons \"all-year\" (01-01) and \"again\" (01-01) "
                "start on the same day"});
  const std::string two_holidays =
      std::string(default_config) +
      "[[calendar.special_day]]\ndate = \"12-25\"\nday = \"weekend\"\n"
      "[[calendar.special_day]]\ndate = \"2026-12-25\"\nday = \"weekend\"\n";
  expect_error(two_holidays, {location(line_of(two_holidays, "\"2026-12-25\"")),
                              "calendar.special_day[1].date: 2026-12-25 falls on the same day as "
                              "special day 1 (12-25)"});
}

TEST(CalendarConfig, TooManyEntries) {
  std::string text(default_config);
  for (int i = 0; i < 31; ++i) {
    text += "[[calendar.day]]\nname = \"d" + std::to_string(i) +
            "\"\nswitches = [ { time = \"00:00\", tariff = 1 } ]\n";
  }
  expect_error(text, {"calendar.day: 33 entries, at most 32"});
  std::string switches;
  for (int i = 0; i < 33; ++i) {
    switches += (i == 0 ? "" : ", ") + std::string("{ time = \"00:") + (i < 10 ? "0" : "") +
                std::to_string(i) + "\", tariff = 3 }";
  }
  text = replaced(default_config, "{ time = \"00:00\", tariff = 3 }", switches);
  expect_error(text, {"calendar.day[1].switches: 33 switches, at most 32"});
}

TEST(CalendarConfig, PassiveCalendarErrors) {
  std::string text =
      replaced(seasonal_config, "\"2026-07-01T00:00:00+02:00\"", "\"2026-07-01T00:00:00\"");
  expect_error(text, {location(line_of(text, "activate")), "passive.activate: needs a UTC offset"});
  text = replaced(seasonal_config, "activate = \"2026-07-01T00:00:00+02:00\"",
                  "activate = 2026-07-01T00:00:00");
  expect_error(text, {"passive.activate: needs a UTC offset"});
  text = replaced(seasonal_config, "\"2026-07-01T00:00:00+02:00\"", "\"next July\"");
  expect_error(text, {"passive.activate: "});
  text = replaced(seasonal_config,
                  "name = \"holiday\"\nswitches = [ { time = \"00:00\", tariff = 6 } ]",
                  "name = \"rest\"\nswitches = [ { time = \"00:00\", tariff = 6 } ]");
  expect_error(text, {"calendar.special_day[0].day: day profile \"holiday\" is not defined in "
                      "[passive]"});
  text = replaced(seasonal_config, "[passive]\nname = \"flat\"",
                  "[passive]\nname = \"flat\"\nspecial_day = []");
  expect_error(text, {"passive.special_day: unknown key"});
}

TEST(CalendarConfig, LoadsFromAFile) {
  gridmeter::testing::TempDir dir;
  const std::string path = dir.file("tariffs.toml");
  {
    std::ofstream file(path, std::ios::binary);
    file << default_config;
  }
  const Result<MeterConfig> config = load_meter_config(path);
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->calendar, ActivityCalendar::default_calendar());

  {
    std::ofstream file(path, std::ios::binary);
    file << replaced(default_config, "tariff = 1 }", "tariff = 9 }");
  }
  const Result<MeterConfig> bad = load_meter_config(path);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message.rfind(path + ":", 0), 0U) << bad.error().message;

  const Result<MeterConfig> missing = load_meter_config(dir.file("absent.toml"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("cannot open meter config"), std::string::npos);
  EXPECT_NE(missing.error().message.find("absent.toml"), std::string::npos);
}

}  // namespace
}  // namespace gridmeter::config
