// Time-of-use tariffs: the DLMS Activity calendar (IEC 62056-6-2 clause 4.5.5, interface
// class 20) and Special days table (clause 4.5.4, class 11) as plain data, with the lookups
// the meter needs.
//
//   ActivityCalendar calendar = ActivityCalendar::default_calendar();  // day/night/weekend
//   if (Status ok = calendar.validate(); !ok) return ok.error();
//   const TimeZone zone = TimeZone::central_europe();
//   int tariff = calendar.tariff_at_utc(now, zone);                   // 1..8
//   UtcMicros change = calendar.next_switch_after(now, zone);          // split intervals here
//   calendar.on_time(now);            // the passive calendar becomes active at its time
//
// The model follows class 20: a calendar is a set of season profiles (from which date on a
// week profile applies), week profiles (a day profile for each day Monday..Sunday) and day
// profiles (from which local time of day on a tariff applies). The meter holds an active and a
// passive set; the passive one replaces the active one at activate_passive_utc_us. A day
// profile action in class 20 runs a script of the tariffication Script table (clause 4.5.3,
// class 9, 0-0:10.0.100.255); its script_selector is the tariff number 1..8 here, so a
// "switch" below is one day_profile_action.
//
// Special days (class 11) replace the week profile's day profile on given dates, with a
// recurring form (year not specified) for fixed holidays. The table is shared: it applies to
// whichever calendar is active, so its day ids must exist in both.
//
// Everything is local wall time of the meter's clock: a switch at 07:00 happens at 07:00 in
// winter and in summer (05:00 or 06:00 UTC in Central Europe). On the autumn night the
// wall clock passes 02:00..03:00 twice, and so does a switch inside that hour.
#pragma once

#include <array>        // std::array
#include <cstddef>      // std::size_t
#include <cstdint>      // std::int64_t
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "core/civil_time.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "core/time_zone.hpp"

namespace gridmeter {

// Tariffs are numbered 1..8 (the rates of IEC 62056-6-1 value group E: 1.8.1 .. 1.8.8).
inline constexpr int tariff_min = 1;
inline constexpr int tariff_max = 8;
inline constexpr std::size_t tariff_count = 8;

// Bounds that keep every lookup and every config small; generous for any real tariff.
inline constexpr std::size_t season_count_max = 32;
inline constexpr std::size_t week_profile_count_max = 32;
inline constexpr std::size_t day_profile_count_max = 32;
inline constexpr std::size_t switch_count_max = 32;  // per day profile
inline constexpr std::size_t special_day_count_max = 64;
inline constexpr std::size_t name_length_max = 32;   // bytes, for every name
inline constexpr int day_id_max = 255;               // day_id is an unsigned8 in class 20
inline constexpr int special_day_index_max = 65535;  // index is a long-unsigned in class 11
inline constexpr int seconds_per_day = 86'400;

// A date that may recur: with year_not_specified it names the same month and day every year
// (the COSEM date wildcard 0xFFFF of clause 4.1.6.1). A recurring 02-29 occurs in leap years
// only.
struct CalendarDate {
  static constexpr int year_not_specified = 0xFFFF;
  int year = year_not_specified;  // 1..9999, or year_not_specified
  int month = 1;                  // 1..12
  int day = 1;                    // 1..31, valid for the month

  [[nodiscard]] bool recurring() const { return year == year_not_specified; }
  friend constexpr bool operator==(const CalendarDate&, const CalendarDate&) = default;
};

// season_profile entry (class 20 attribute 3): from `start` (00:00 local) on, `week_name`
// applies. DLMS allows a time of day in season_start; the meter starts seasons at midnight.
struct SeasonProfile {
  std::string name;
  CalendarDate start;
  std::string week_name;
  friend bool operator==(const SeasonProfile&, const SeasonProfile&) = default;
};

// week_profile_table entry (class 20 attribute 4): day_id for Monday (index 0) .. Sunday.
struct WeekProfile {
  std::string name;
  std::array<int, 7> day_ids{};
  friend bool operator==(const WeekProfile&, const WeekProfile&) = default;
};

// day_profile_action (class 20 attribute 5): at `time_of_day_s` local, `tariff` takes over.
struct TariffSwitch {
  int time_of_day_s = 0;  // 0..86399
  int tariff = tariff_min;
  friend constexpr bool operator==(const TariffSwitch&, const TariffSwitch&) = default;
};

// day_profile_table entry: switches strictly ascending in time. A day whose first switch is
// after 00:00 keeps the tariff of the previous day's last switch until then.
struct DayProfile {
  int day_id = 0;    // 0..255
  std::string name;  // optional label (configs refer to days by name)
  std::vector<TariffSwitch> switches;
  friend bool operator==(const DayProfile&, const DayProfile&) = default;
};

// One calendar: class 20 attributes 2..5 (active) or 6..9 (passive).
struct CalendarProfiles {
  std::string name;  // calendar_name
  std::vector<SeasonProfile> seasons;
  std::vector<WeekProfile> weeks;
  std::vector<DayProfile> days;

  [[nodiscard]] bool empty() const { return seasons.empty() && weeks.empty() && days.empty(); }
  [[nodiscard]] const WeekProfile* find_week(std::string_view week_name) const;
  [[nodiscard]] const DayProfile* find_day(int day_id) const;
  // The season in force on a date: the one whose most recent start (this year's or last
  // year's for a recurring start) is the latest at or before the date. Before every one-off
  // start (and with no recurring one) the earliest season applies. nullptr without seasons.
  [[nodiscard]] const SeasonProfile* season_on(int year, int month, int day) const;
  // Cross references, bounds and order; `label` ("active calendar") prefixes every error.
  [[nodiscard]] Status validate(std::string_view label) const;

  friend bool operator==(const CalendarProfiles&, const CalendarProfiles&) = default;
};

// spec_day_entry of the Special days table (class 11 attribute 2).
struct SpecialDay {
  int index = 0;  // 0..65535, unique
  CalendarDate date;
  int day_id = 0;
  friend bool operator==(const SpecialDay&, const SpecialDay&) = default;
};

struct SpecialDaysTable {
  std::vector<SpecialDay> entries;

  // The entry for a date: a one-off entry for that very date, or a recurring one for its
  // month and day (validate() ensures at most one of them exists).
  [[nodiscard]] const SpecialDay* find(int year, int month, int day) const;
  // Bounds, unique indexes, valid and non-overlapping dates. Day ids are checked against the
  // calendars by ActivityCalendar::validate.
  [[nodiscard]] Status validate() const;

  friend bool operator==(const SpecialDaysTable&, const SpecialDaysTable&) = default;
};

struct ActivityCalendar {
  CalendarProfiles active;
  CalendarProfiles passive;
  // activate_passive_calendar_time (class 20 attribute 10) as an instant; nullopt is the
  // all-wildcard date-time ("not scheduled").
  std::optional<UtcMicros> activate_passive_utc_us;
  SpecialDaysTable special_days;
  // Display names of tariffs 1..8 ("day", "night"); empty when unnamed. Not part of class 20:
  // a display and report aid.
  std::array<std::string, tariff_count> tariff_names{};

  // Tariff 1 "day": Monday..Friday 07:00..22:00. Tariff 2 "night": Monday..Friday 00:00..07:00
  // and 22:00..24:00 (so Friday night is night until Saturday 00:00). Tariff 3 "weekend":
  // Saturday and Sunday all day. One recurring season from 01-01, no special days, no passive
  // calendar. All local time.
  static ActivityCalendar default_calendar();

  // The tariff at a local wall time on a day whose COSEM weekday (1 = Monday .. 7 = Sunday)
  // is `weekday`; the caller supplies it because it usually has it (weekday_from_days).
  // Day profile: the special day for the date, else the week profile of the date's season.
  // Tariff: the profile's last switch at or before the time of day, else (the day's first
  // switch is later) the last switch of the previous day's profile. 0 only for a calendar
  // that fails validate().
  [[nodiscard]] int tariff_at(const CivilTime& local, int weekday) const;
  [[nodiscard]] int tariff_at_utc(UtcMicros time, const TimeZone& zone) const;

  // The first instant after `time` at which the tariff changes: a switch time in local wall
  // time (twice on the autumn night for a switch inside the repeated hour), a daylight-saving
  // transition that moves the wall clock across a switch, or activate_passive_utc_us (always
  // reported: the calendar itself changes there). Switches that keep the tariff (22:00 night
  // then 00:00 night) are skipped. When nothing changes within about two days it returns a
  // conservative bound near the second local midnight after `time`; the tariff is constant
  // from `time` up to (excluding) the result either way. Always > `time`; `zone` must pass
  // TimeZone::validate(). Allocation-free, for the meter's hot path.
  [[nodiscard]] UtcMicros next_switch_after(UtcMicros time, const TimeZone& zone) const;

  // Activates the passive calendar when `now` has reached activate_passive_utc_us: the active
  // calendar becomes a copy of the passive one (class 20 method 1, activate_passive_calendar)
  // and the activation time is cleared. Returns whether that happened. An empty passive
  // calendar is never activated (the schedule is dropped).
  bool on_time(UtcMicros now);
  // Class 20 method 1 right now (no-op returning false for an empty passive calendar).
  bool activate_passive_calendar();

  // Every rule above: each error names the calendar and the item (season, week profile, day
  // profile, switch, special day) at fault. The active calendar must not be empty; the passive
  // one is checked when not empty and must not be empty while an activation is scheduled;
  // special-day day ids must exist in the active (and a non-empty passive) calendar.
  [[nodiscard]] Status validate() const;

  friend bool operator==(const ActivityCalendar&, const ActivityCalendar&) = default;
};

// "MM-DD" (recurring) or "YYYY-MM-DD" (one-off).
std::string format_calendar_date(const CalendarDate& date);
// "hh:mm:ss".
std::string format_time_of_day(int time_of_day_s);
// Range check of a date (a recurring one must exist in a leap year); the error names it.
Status validate_calendar_date(const CalendarDate& date);
// One day profile on its own: id range, 1..32 switches, times in the day and strictly
// ascending (no duplicates), tariffs 1..8.
Status validate_day_profile(const DayProfile& day);
// The inverses of the formatters: "MM-DD" or "YYYY-MM-DD"; "hh:mm" or "hh:mm:ss" (00:00 to
// 23:59:59, two digits each).
Result<CalendarDate> parse_calendar_date(std::string_view text);
Result<int> parse_time_of_day_s(std::string_view text);

}  // namespace gridmeter
