#include "core/civil_time.hpp"

#include <fmt/format.h>

namespace gridmeter {
namespace {

// The calendar repeats every 400 years (146097 days, a whole number of weeks). Counting
// years from March 1 puts the leap day at the end of the counted year, so a day's position
// in its year does not depend on whether the year is a leap year.
constexpr std::int64_t days_per_400_years = 146097;
// Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar.
constexpr std::int64_t epoch_shift_days = 719468;

// Rounds toward negative infinity (C++ '/' truncates toward zero).
constexpr std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  const std::int64_t quotient = value / divisor;
  return (value % divisor < 0) ? quotient - 1 : quotient;
}

// Day of the March-based year (0 = March 1) on which March-based month 0..11 begins. Month
// lengths from March run 31,30,31,30,31 twice then 31,28/29: the line (153 * m + 2) / 5 steps
// through exactly those lengths.
constexpr std::int64_t first_day_of_march_month(std::int64_t march_month) {
  return (153 * march_month + 2) / 5;
}

// Days before March-based year `year_of_era` (0..399) within its 400-year era.
constexpr std::int64_t days_before_year_of_era(std::int64_t year_of_era) {
  return year_of_era * 365 + year_of_era / 4 - year_of_era / 100;
}

Status range_error(const char* field, int value, int low, int high) {
  return make_error(fmt::format("{} {} is out of range {}..{}", field, value, low, high));
}

}  // namespace

bool is_leap_year(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int days_in_month(int year, int month) {
  constexpr int lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && is_leap_year(year)) return 29;
  return lengths[month - 1];
}

bool is_valid_date(int year, int month, int day) {
  return day >= 1 && day <= days_in_month(year, month);
}

Status validate_civil_time(const CivilTime& time) {
  if (time.year < -max_civil_year || time.year > max_civil_year) {
    return range_error("year", time.year, -max_civil_year, max_civil_year);
  }
  if (time.month < 1 || time.month > 12) return range_error("month", time.month, 1, 12);
  if (!is_valid_date(time.year, time.month, time.day)) {
    return make_error(
        fmt::format("day {} does not exist in {:04}-{:02}", time.day, time.year, time.month));
  }
  if (time.hour < 0 || time.hour > 23) return range_error("hour", time.hour, 0, 23);
  if (time.minute < 0 || time.minute > 59) return range_error("minute", time.minute, 0, 59);
  if (time.second < 0 || time.second > 59) return range_error("second", time.second, 0, 59);
  if (time.microsecond < 0 || time.microsecond > 999'999) {
    return range_error("microsecond", time.microsecond, 0, 999'999);
  }
  return {};
}

std::int64_t days_from_civil(int year, int month, int day) {
  // January and February belong to the March-based year that began in the previous year.
  const std::int64_t march_year = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t march_month = (month + 9) % 12;  // March = 0 .. February = 11
  const std::int64_t era = floor_div(march_year, 400);
  const std::int64_t year_of_era = march_year - era * 400;
  const std::int64_t day_of_year = first_day_of_march_month(march_month) + day - 1;
  const std::int64_t day_of_era = days_before_year_of_era(year_of_era) + day_of_year;
  return era * days_per_400_years + day_of_era - epoch_shift_days;
}

CivilTime civil_from_days(std::int64_t days) {
  const std::int64_t shifted = days + epoch_shift_days;
  const std::int64_t era = floor_div(shifted, days_per_400_years);
  const std::int64_t day_of_era = shifted - era * days_per_400_years;  // 0..146096
  // Remove the leap days before `day_of_era` (one per 4 years, none per 100, one per 400;
  // the era's last day is the extra 400-year leap day) to get a 365-day-per-year count.
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - days_before_year_of_era(year_of_era);
  const std::int64_t march_month = (5 * day_of_year + 2) / 153;  // inverse of the 153/5 line
  const std::int64_t month = march_month < 10 ? march_month + 3 : march_month - 9;
  const std::int64_t year = era * 400 + year_of_era + (month <= 2 ? 1 : 0);
  CivilTime civil;
  civil.year = static_cast<int>(year);
  civil.month = static_cast<int>(month);
  civil.day = static_cast<int>(day_of_year - first_day_of_march_month(march_month) + 1);
  return civil;
}

int weekday_from_days(std::int64_t days) {
  // 1970-01-01 was a Thursday (4).
  const std::int64_t since_monday = (days % 7 + 7 + 3) % 7;
  return static_cast<int>(since_monday) + 1;
}

CivilTime civil_from_utc(UtcMicros time) {
  // Split without forming days * micros_per_day, which overflows near INT64_MIN.
  std::int64_t micros_of_day = time % micros_per_day;
  std::int64_t days = time / micros_per_day;
  if (micros_of_day < 0) {
    micros_of_day += micros_per_day;
    --days;
  }
  CivilTime civil = civil_from_days(days);
  civil.hour = static_cast<int>(micros_of_day / micros_per_hour);
  civil.minute = static_cast<int>(micros_of_day % micros_per_hour / micros_per_minute);
  civil.second = static_cast<int>(micros_of_day % micros_per_minute / micros_per_second);
  civil.microsecond = static_cast<int>(micros_of_day % micros_per_second);
  return civil;
}

UtcMicros utc_from_civil(const CivilTime& time) {
  return days_from_civil(time.year, time.month, time.day) * micros_per_day +
         time.hour * micros_per_hour + time.minute * micros_per_minute +
         time.second * micros_per_second + time.microsecond;
}

}  // namespace gridmeter
