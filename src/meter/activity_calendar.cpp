#include "meter/activity_calendar.hpp"

#include <fmt/format.h>

#include <algorithm>  // std::sort, std::max, std::min
#include <cstdint>    // std::int64_t

#include "core/date_time.hpp"

namespace gridmeter {
namespace {

constexpr std::array<std::string_view, 7> weekday_names{
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

constexpr int seconds_per_hour = 3'600;
constexpr int seconds_per_minute = 60;

// Where next_switch_after looks for switches: the local day of the query, the day before (the
// autumn fall-back can carry the wall clock back across midnight) and the day after; with two
// wall-time mappings each and the six DST transitions of three years.
constexpr std::size_t candidate_days = 3;
constexpr std::size_t candidate_capacity = candidate_days * switch_count_max * 2 + 6;

std::string describe_day(const DayProfile& day) {
  if (day.name.empty()) return fmt::format("day profile {}", day.day_id);
  return fmt::format("day profile {} (\"{}\")", day.day_id, day.name);
}

std::string describe_special_day(const SpecialDay& entry) {
  return fmt::format("special day {} ({})", entry.index, format_calendar_date(entry.date));
}

Status check_name(std::string_view label, std::string_view what, std::string_view name) {
  if (name.size() > name_length_max) {
    return make_error(
        fmt::format("{}: {} \"{}\" is longer than {} bytes", label, what, name, name_length_max));
  }
  return {};
}

Status check_required_name(std::string_view label, std::string_view what, std::string_view name) {
  if (name.empty()) return make_error(fmt::format("{}: a {} has an empty name", label, what));
  return check_name(label, what, name);
}

Status check_count(std::string_view label, std::string_view what, std::size_t count,
                   std::size_t count_max) {
  if (count <= count_max) return {};
  return make_error(fmt::format("{}: {} {}, at most {}", label, count, what, count_max));
}

// Two dates that fall on the same day in some year: equal, or one recurring and the other
// with the same month and day.
bool same_day_some_year(const CalendarDate& a, const CalendarDate& b) {
  if (a.month != b.month || a.day != b.day) return false;
  return a.year == b.year || a.recurring() || b.recurring();
}

// Days since 1970-01-01 of the most recent occurrence of `start` at or before `date_days`
// (in `year`); false when a one-off start lies after the date.
bool latest_start_at_or_before(const CalendarDate& start, int year, std::int64_t date_days,
                               std::int64_t& start_days) {
  if (!start.recurring()) {
    start_days = days_from_civil(start.year, start.month, start.day);
    return start_days <= date_days;
  }
  start_days = days_from_civil(year, start.month, start.day);
  if (start_days > date_days) start_days = days_from_civil(year - 1, start.month, start.day);
  return true;
}

const DayProfile* day_profile_on(const ActivityCalendar& calendar, int year, int month, int day,
                                 int weekday) {
  // Special days take precedence over the week profile (IEC 62056-6-2 clause 4.5.4: the
  // special day's day_id replaces the one of the week_profile_table for that date).
  if (const SpecialDay* special = calendar.special_days.find(year, month, day)) {
    return calendar.active.find_day(special->day_id);
  }
  const SeasonProfile* season = calendar.active.season_on(year, month, day);
  if (season == nullptr) return nullptr;
  const WeekProfile* week = calendar.active.find_week(season->week_name);
  if (week == nullptr || weekday < 1 || weekday > 7) return nullptr;
  return calendar.active.find_day(week->day_ids[static_cast<std::size_t>(weekday - 1)]);
}

const DayProfile* day_profile_on_days(const ActivityCalendar& calendar, std::int64_t days) {
  const CivilTime date = civil_from_days(days);
  return day_profile_on(calendar, date.year, date.month, date.day, weekday_from_days(days));
}

Status validate_days(const CalendarProfiles& profiles, std::string_view label) {
  for (std::size_t i = 0; i < profiles.days.size(); ++i) {
    const DayProfile& day = profiles.days[i];
    if (Status s = validate_day_profile(day); !s) {
      return make_error(fmt::format("{}: {}", label, s.error().message));
    }
    for (std::size_t j = 0; j < i; ++j) {
      const DayProfile& other = profiles.days[j];
      if (other.day_id == day.day_id) {
        return make_error(fmt::format("{}: {} and {} have the same day id", label,
                                      describe_day(other), describe_day(day)));
      }
      if (!day.name.empty() && other.name == day.name) {
        return make_error(fmt::format("{}: day profiles {} and {} are both named \"{}\"", label,
                                      other.day_id, day.day_id, day.name));
      }
    }
  }
  return {};
}

Status validate_weeks(const CalendarProfiles& profiles, std::string_view label) {
  for (std::size_t i = 0; i < profiles.weeks.size(); ++i) {
    const WeekProfile& week = profiles.weeks[i];
    if (Status s = check_required_name(label, "week profile", week.name); !s) return s;
    for (std::size_t j = 0; j < i; ++j) {
      if (profiles.weeks[j].name == week.name) {
        return make_error(
            fmt::format("{}: week profile \"{}\" is defined twice", label, week.name));
      }
    }
    for (std::size_t d = 0; d < week.day_ids.size(); ++d) {
      if (profiles.find_day(week.day_ids[d]) == nullptr) {
        return make_error(
            fmt::format("{}: week profile \"{}\": {} refers to day profile {}, "
                        "which is not defined",
                        label, week.name, weekday_names[d], week.day_ids[d]));
      }
    }
  }
  return {};
}

Status validate_seasons(const CalendarProfiles& profiles, std::string_view label) {
  for (std::size_t i = 0; i < profiles.seasons.size(); ++i) {
    const SeasonProfile& season = profiles.seasons[i];
    if (Status s = check_required_name(label, "season", season.name); !s) return s;
    if (Status s = validate_calendar_date(season.start); !s) {
      return make_error(
          fmt::format("{}: season \"{}\": {}", label, season.name, s.error().message));
    }
    // A recurring 02-29 would start the season on 03-01 in three years out of four, where it
    // could collide with a season starting on 03-01: refuse the ambiguity.
    if (season.start.recurring() && season.start.month == 2 && season.start.day == 29) {
      return make_error(
          fmt::format("{}: season \"{}\": a recurring start on 02-29 does not occur every year",
                      label, season.name));
    }
    if (profiles.find_week(season.week_name) == nullptr) {
      return make_error(fmt::format("{}: season \"{}\": week profile \"{}\" is not defined", label,
                                    season.name, season.week_name));
    }
    for (std::size_t j = 0; j < i; ++j) {
      const SeasonProfile& other = profiles.seasons[j];
      if (other.name == season.name) {
        return make_error(fmt::format("{}: season \"{}\" is defined twice", label, season.name));
      }
      if (same_day_some_year(other.start, season.start)) {
        return make_error(
            fmt::format("{}: seasons \"{}\" ({}) and \"{}\" ({}) start on the "
                        "same day",
                        label, other.name, format_calendar_date(other.start), season.name,
                        format_calendar_date(season.start)));
      }
    }
  }
  return {};
}

Status validate_special_day_references(const SpecialDaysTable& table,
                                       const CalendarProfiles& profiles, std::string_view label) {
  for (const SpecialDay& entry : table.entries) {
    if (profiles.find_day(entry.day_id) == nullptr) {
      return make_error(fmt::format("{}: day profile {} is not defined in the {}",
                                    describe_special_day(entry), entry.day_id, label));
    }
  }
  return {};
}

int parse_digits(std::string_view text, std::size_t begin, std::size_t count) {
  int value = 0;
  for (std::size_t i = begin; i < begin + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

const WeekProfile* CalendarProfiles::find_week(std::string_view week_name) const {
  for (const WeekProfile& week : weeks) {
    if (week.name == week_name) return &week;
  }
  return nullptr;
}

const DayProfile* CalendarProfiles::find_day(int day_id) const {
  for (const DayProfile& day : days) {
    if (day.day_id == day_id) return &day;
  }
  return nullptr;
}

const SeasonProfile* CalendarProfiles::season_on(int year, int month, int day) const {
  // Class 20 orders season_profile by season_start and lets each season run until the next
  // one starts, wrapping around the year for recurring starts; taking the latest start at or
  // before the date gives that without needing the list sorted.
  const std::int64_t date_days = days_from_civil(year, month, day);
  const SeasonProfile* best = nullptr;
  std::int64_t best_days = 0;
  const SeasonProfile* earliest = nullptr;
  std::int64_t earliest_days = 0;
  for (const SeasonProfile& season : seasons) {
    std::int64_t start_days = 0;
    if (latest_start_at_or_before(season.start, year, date_days, start_days)) {
      if (best == nullptr || start_days > best_days) {
        best = &season;
        best_days = start_days;
      }
    } else if (earliest == nullptr || start_days < earliest_days) {
      earliest = &season;
      earliest_days = start_days;
    }
  }
  return best != nullptr ? best : earliest;
}

Status CalendarProfiles::validate(std::string_view label) const {
  if (empty()) {
    return make_error(fmt::format(
        "{} is empty: it needs at least one season, week profile and day profile", label));
  }
  if (seasons.empty()) return make_error(fmt::format("{} has no season profile", label));
  if (weeks.empty()) return make_error(fmt::format("{} has no week profile", label));
  if (days.empty()) return make_error(fmt::format("{} has no day profile", label));
  if (Status s = check_count(label, "season profiles", seasons.size(), season_count_max); !s) {
    return s;
  }
  if (Status s = check_count(label, "week profiles", weeks.size(), week_profile_count_max); !s) {
    return s;
  }
  if (Status s = check_count(label, "day profiles", days.size(), day_profile_count_max); !s) {
    return s;
  }
  if (Status s = check_name(label, "calendar name", name); !s) return s;
  if (Status s = validate_days(*this, label); !s) return s;
  if (Status s = validate_weeks(*this, label); !s) return s;
  return validate_seasons(*this, label);
}

const SpecialDay* SpecialDaysTable::find(int year, int month, int day) const {
  for (const SpecialDay& entry : entries) {
    if (entry.date.month == month && entry.date.day == day &&
        (entry.date.recurring() || entry.date.year == year)) {
      return &entry;
    }
  }
  return nullptr;
}

Status SpecialDaysTable::validate() const {
  if (Status s =
          check_count("special days table", "special days", entries.size(), special_day_count_max);
      !s) {
    return s;
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const SpecialDay& entry = entries[i];
    if (entry.index < 0 || entry.index > special_day_index_max) {
      return make_error(fmt::format("special day index {} is out of range 0..{}", entry.index,
                                    special_day_index_max));
    }
    if (Status s = validate_calendar_date(entry.date); !s) {
      return make_error(fmt::format("special day {}: {}", entry.index, s.error().message));
    }
    if (entry.day_id < 0 || entry.day_id > day_id_max) {
      return make_error(fmt::format("{}: day id {} is out of range 0..{}",
                                    describe_special_day(entry), entry.day_id, day_id_max));
    }
    for (std::size_t j = 0; j < i; ++j) {
      const SpecialDay& other = entries[j];
      if (other.index == entry.index) {
        return make_error(fmt::format("special day index {} is used twice", entry.index));
      }
      if (same_day_some_year(other.date, entry.date)) {
        return make_error(fmt::format("{} and {} fall on the same day", describe_special_day(other),
                                      describe_special_day(entry)));
      }
    }
  }
  return {};
}

ActivityCalendar ActivityCalendar::default_calendar() {
  constexpr int day_tariff = 1;
  constexpr int night_tariff = 2;
  constexpr int weekend_tariff = 3;
  constexpr int workday_id = 1;
  constexpr int weekend_id = 2;
  ActivityCalendar calendar;
  calendar.active.name = "day-night-weekend";
  calendar.active.seasons.push_back(
      SeasonProfile{"all-year", CalendarDate{CalendarDate::year_not_specified, 1, 1}, "standard"});
  calendar.active.weeks.push_back(WeekProfile{
      "standard",
      {workday_id, workday_id, workday_id, workday_id, workday_id, weekend_id, weekend_id}});
  calendar.active.days.push_back(DayProfile{workday_id,
                                            "workday",
                                            {{0, night_tariff},
                                             {7 * seconds_per_hour, day_tariff},
                                             {22 * seconds_per_hour, night_tariff}}});
  calendar.active.days.push_back(DayProfile{weekend_id, "weekend", {{0, weekend_tariff}}});
  calendar.tariff_names[day_tariff - 1] = "day";
  calendar.tariff_names[night_tariff - 1] = "night";
  calendar.tariff_names[weekend_tariff - 1] = "weekend";
  return calendar;
}

int ActivityCalendar::tariff_at(const CivilTime& local, int weekday) const {
  const DayProfile* today = day_profile_on(*this, local.year, local.month, local.day, weekday);
  if (today == nullptr) return 0;
  const int second =
      local.hour * seconds_per_hour + local.minute * seconds_per_minute + local.second;
  int tariff = 0;
  for (const TariffSwitch& action : today->switches) {
    if (action.time_of_day_s > second) break;
    tariff = action.tariff;
  }
  if (tariff != 0) return tariff;
  // Before the day's first switch the previous day's last action is still in force (class 20
  // runs actions at their start_time; nothing runs at midnight unless a day says so).
  const std::int64_t yesterday_days = days_from_civil(local.year, local.month, local.day) - 1;
  const CivilTime yesterday_date = civil_from_days(yesterday_days);
  const int yesterday_weekday = weekday == 1 ? 7 : weekday - 1;
  const DayProfile* yesterday = day_profile_on(*this, yesterday_date.year, yesterday_date.month,
                                               yesterday_date.day, yesterday_weekday);
  if (yesterday == nullptr || yesterday->switches.empty()) return 0;
  return yesterday->switches.back().tariff;
}

int ActivityCalendar::tariff_at_utc(UtcMicros time, const TimeZone& zone) const {
  const CivilTime local = zone.to_local(time);
  return tariff_at(local, weekday_from_days(days_from_civil(local.year, local.month, local.day)));
}

UtcMicros ActivityCalendar::next_switch_after(UtcMicros time, const TimeZone& zone) const {
  const CivilTime local = zone.to_local(time);
  const std::int64_t today = days_from_civil(local.year, local.month, local.day);
  // No instant before `horizon` shows a local date after tomorrow, whatever offset is in
  // force, so the switches of yesterday, today and tomorrow are all that can matter; and
  // horizon - time > 24 h - |DST saving| > 0.
  const int dst_total_min = zone.standard_offset_min + (zone.dst_enabled ? zone.dst_offset_min : 0);
  const int offset_max_min = std::max(zone.standard_offset_min, dst_total_min);
  UtcMicros limit = (today + 2) * micros_per_day - offset_max_min * micros_per_minute;
  if (activate_passive_utc_us && *activate_passive_utc_us > time) {
    limit = std::min(limit, *activate_passive_utc_us);
  }

  std::array<UtcMicros, candidate_capacity> candidates{};
  std::size_t count = 0;
  const auto push = [&](UtcMicros instant) {
    if (instant > time && instant < limit && count < candidates.size()) {
      candidates[count++] = instant;
    }
  };
  if (zone.dst_enabled) {
    for (int year = local.year - 1; year <= local.year + 1; ++year) {
      push(zone.dst_begin_utc(year));
      push(zone.dst_end_utc(year));
    }
  }
  for (std::int64_t days = today - 1; days <= today + 1; ++days) {
    const DayProfile* profile = day_profile_on_days(*this, days);
    if (profile == nullptr) continue;
    for (const TariffSwitch& action : profile->switches) {
      // A wall time maps to the instants whose local time it is: none in the spring gap (the
      // DST transition stands in), two in the autumn overlap (the switch happens twice).
      const UtcMicros wall_us = days * micros_per_day + action.time_of_day_s * micros_per_second;
      const UtcMicros as_standard = wall_us - zone.standard_offset_min * micros_per_minute;
      if (!zone.dst_enabled) {
        push(as_standard);
        continue;
      }
      if (!zone.dst_active(as_standard)) push(as_standard);
      const UtcMicros as_daylight = as_standard - zone.dst_offset_min * micros_per_minute;
      if (zone.dst_active(as_daylight)) push(as_daylight);
    }
  }
  std::sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(count));
  // Between two consecutive candidates the wall time crosses no switch, so the tariff only
  // needs checking at each candidate.
  const int tariff_now = tariff_at_utc(time, zone);
  for (std::size_t i = 0; i < count; ++i) {
    if (tariff_at_utc(candidates[i], zone) != tariff_now) return candidates[i];
  }
  return limit;
}

bool ActivityCalendar::on_time(UtcMicros now) {
  if (!activate_passive_utc_us || now < *activate_passive_utc_us) return false;
  activate_passive_utc_us.reset();
  return activate_passive_calendar();
}

bool ActivityCalendar::activate_passive_calendar() {
  // An empty passive calendar would leave the meter without tariffs; validate() refuses to
  // schedule one, and this guards calendars that skipped validation.
  if (passive.empty()) return false;
  active = passive;
  activate_passive_utc_us.reset();
  return true;
}

Status ActivityCalendar::validate() const {
  if (Status s = active.validate("active calendar"); !s) return s;
  if (activate_passive_utc_us && passive.empty()) {
    return make_error(fmt::format("passive calendar is empty but scheduled for activation at {}",
                                  format_iso8601_utc(*activate_passive_utc_us)));
  }
  if (!passive.empty()) {
    if (Status s = passive.validate("passive calendar"); !s) return s;
  }
  if (Status s = special_days.validate(); !s) return s;
  if (Status s = validate_special_day_references(special_days, active, "active calendar"); !s) {
    return s;
  }
  if (!passive.empty()) {
    if (Status s = validate_special_day_references(special_days, passive, "passive calendar"); !s) {
      return s;
    }
  }
  for (std::size_t t = 0; t < tariff_names.size(); ++t) {
    if (Status s = check_name(fmt::format("tariff {}", t + 1), "name", tariff_names[t]); !s) {
      return s;
    }
  }
  return {};
}

std::string format_calendar_date(const CalendarDate& date) {
  if (date.recurring()) return fmt::format("{:02}-{:02}", date.month, date.day);
  return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day);
}

std::string format_time_of_day(int time_of_day_s) {
  return fmt::format("{:02}:{:02}:{:02}", time_of_day_s / seconds_per_hour,
                     time_of_day_s / seconds_per_minute % 60, time_of_day_s % seconds_per_minute);
}

Status validate_calendar_date(const CalendarDate& date) {
  if (!date.recurring() && (date.year < 1 || date.year > 9999)) {
    return make_error(fmt::format("date year {} is out of range 1..9999", date.year));
  }
  if (date.month < 1 || date.month > 12) {
    return make_error(fmt::format("date month {} is out of range 1..12", date.month));
  }
  // A recurring date must exist in some year: check it against a leap year.
  const int year = date.recurring() ? 2000 : date.year;
  if (!is_valid_date(year, date.month, date.day)) {
    return make_error(fmt::format("date {}: month {:02} has no day {}", format_calendar_date(date),
                                  date.month, date.day));
  }
  return {};
}

Status validate_day_profile(const DayProfile& day) {
  if (day.day_id < 0 || day.day_id > day_id_max) {
    return make_error(
        fmt::format("{}: day id is out of range 0..{}", describe_day(day), day_id_max));
  }
  if (Status s = check_name(describe_day(day), "name", day.name); !s) return s;
  if (day.switches.empty()) return make_error(fmt::format("{} has no switches", describe_day(day)));
  if (day.switches.size() > switch_count_max) {
    return make_error(fmt::format("{} has {} switches, at most {}", describe_day(day),
                                  day.switches.size(), switch_count_max));
  }
  for (std::size_t i = 0; i < day.switches.size(); ++i) {
    const TariffSwitch& action = day.switches[i];
    if (action.time_of_day_s < 0 || action.time_of_day_s >= seconds_per_day) {
      return make_error(fmt::format("{}: switch {} time {} s is outside the day 0..{}",
                                    describe_day(day), i + 1, action.time_of_day_s,
                                    seconds_per_day - 1));
    }
    if (action.tariff < tariff_min || action.tariff > tariff_max) {
      return make_error(fmt::format("{}: switch at {}: tariff {} is outside {}..{}",
                                    describe_day(day), format_time_of_day(action.time_of_day_s),
                                    action.tariff, tariff_min, tariff_max));
    }
    if (i == 0) continue;
    const int previous_s = day.switches[i - 1].time_of_day_s;
    if (previous_s == action.time_of_day_s) {
      return make_error(fmt::format("{}: duplicate switch time {}", describe_day(day),
                                    format_time_of_day(action.time_of_day_s)));
    }
    if (previous_s > action.time_of_day_s) {
      return make_error(fmt::format("{}: switch times are not in ascending order ({} after {})",
                                    describe_day(day), format_time_of_day(action.time_of_day_s),
                                    format_time_of_day(previous_s)));
    }
  }
  return {};
}

Result<CalendarDate> parse_calendar_date(std::string_view text) {
  const auto shape_error = [&] {
    return make_error(
        fmt::format("date \"{}\" is not MM-DD (every year) or YYYY-MM-DD (one day)", text));
  };
  CalendarDate date;
  std::string_view month_day = text;
  if (text.size() == 10) {
    if (text[4] != '-') return shape_error();
    date.year = parse_digits(text, 0, 4);
    if (date.year < 0) return shape_error();
    month_day = text.substr(5);
  } else if (text.size() != 5) {
    return shape_error();
  }
  if (month_day[2] != '-') return shape_error();
  date.month = parse_digits(month_day, 0, 2);
  date.day = parse_digits(month_day, 3, 2);
  if (date.month < 0 || date.day < 0) return shape_error();
  if (Status s = validate_calendar_date(date); !s) {
    return make_error(fmt::format("date \"{}\" is not valid: {}", text, s.error().message));
  }
  return date;
}

Result<int> parse_time_of_day_s(std::string_view text) {
  const auto shape_error = [&] {
    return make_error(fmt::format("time \"{}\" is not hh:mm or hh:mm:ss", text));
  };
  if ((text.size() != 5 && text.size() != 8) || text[2] != ':') return shape_error();
  const int hour = parse_digits(text, 0, 2);
  const int minute = parse_digits(text, 3, 2);
  int second = 0;
  if (text.size() == 8) {
    if (text[5] != ':') return shape_error();
    second = parse_digits(text, 6, 2);
  }
  if (hour < 0 || minute < 0 || second < 0) return shape_error();
  if (hour > 23 || minute > 59 || second > 59) {
    return make_error(fmt::format("time \"{}\" is not a time of day (00:00:00 to 23:59:59)", text));
  }
  return hour * seconds_per_hour + minute * seconds_per_minute + second;
}

}  // namespace gridmeter
