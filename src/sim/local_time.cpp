#include "sim/local_time.hpp"

namespace gridmeter::sim {

std::int64_t days_from_civil(int year, int month, int day) {
  // Shift the year to start in March so the leap day is the last day of the shifted year.
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t year_of_era = y - era * 400;
  const std::int64_t shifted_month = month > 2 ? month - 3 : month + 9;
  const std::int64_t day_of_shifted_year = (153 * shifted_month + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_shifted_year;
  return era * 146097 + day_of_era - 719468;
}

CivilDate civil_from_days(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t day_of_era = z - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_shifted_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_shifted_year + 2) / 153;
  const std::int64_t day = day_of_shifted_year - (153 * shifted_month + 2) / 5 + 1;
  const std::int64_t month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return CivilDate{static_cast<int>(year), static_cast<int>(month), static_cast<int>(day)};
}

int weekday_from_days(std::int64_t days) {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  return static_cast<int>(days + 3 - floor_div(days + 3, 7) * 7);
}

int day_of_year(std::int64_t days) {
  return static_cast<int>(days - days_from_civil(civil_from_days(days).year, 1, 1));
}

namespace {

constexpr std::int64_t standard_offset_us = micros_per_hour;
constexpr std::int64_t summer_offset_us = 2 * micros_per_hour;

// 01:00 UTC on the last Sunday of `month` (March or October: both have 31 days).
UtcMicros last_sunday_switch_utc(int year, int month) {
  const std::int64_t last_day = days_from_civil(year, month, 31);
  const std::int64_t sunday = last_day - (weekday_from_days(last_day) + 1) % 7;
  return sunday * micros_per_day + micros_per_hour;
}

}  // namespace

LocalOffset central_european_offset(UtcMicros utc) {
  const int year = civil_from_days(floor_div(utc, micros_per_day)).year;
  const UtcMicros summer_begin = last_sunday_switch_utc(year, 3);
  const UtcMicros summer_end = last_sunday_switch_utc(year, 10);
  if (utc < summer_begin) {
    return {standard_offset_us, last_sunday_switch_utc(year - 1, 10), summer_begin};
  }
  if (utc < summer_end) return {summer_offset_us, summer_begin, summer_end};
  return {standard_offset_us, summer_end, last_sunday_switch_utc(year + 1, 3)};
}

}  // namespace gridmeter::sim
