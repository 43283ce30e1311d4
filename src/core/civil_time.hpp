// Proleptic Gregorian calendar arithmetic (ISO 8601-1:2019 clause 4.2.1 extends the Gregorian
// calendar backwards without gaps) between UtcMicros and broken-down calendar fields.
//
//   std::int64_t days = days_from_civil(2000, 3, 1);          // 11017
//   int weekday = weekday_from_days(days);                    // 3 (Wednesday; 1 = Monday)
//   CivilTime t = civil_from_utc(utc_from_civil({2026, 11, 25, 13, 30, 0, 0}));
//   Status ok = validate_civil_time(CivilTime{2023, 2, 29, 0, 0, 0, 0});  // error: no Feb 29
//
// These functions know nothing about time zones: a CivilTime is "UTC" or "local" only by the
// caller's agreement (see time_zone.hpp for local time).
#pragma once

#include <compare>  // operator<=>
#include <cstdint>  // std::int64_t

#include "core/result.hpp"
#include "core/time.hpp"

namespace gridmeter {

// Years accepted by validate_civil_time: wide enough for any meter, small enough that every
// conversion below stays inside int64 microseconds.
inline constexpr int max_civil_year = 200'000;

struct CivilTime {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..days_in_month(year, month)
  int hour = 0;   // 0..23
  int minute = 0;
  int second = 0;       // 0..59 (UtcMicros has no leap seconds)
  int microsecond = 0;  // 0..999999
  friend constexpr auto operator<=>(const CivilTime&, const CivilTime&) = default;
};

// Leap years of the Gregorian calendar: divisible by 4, except centuries not divisible by 400.
bool is_leap_year(int year);

// 28..31 for month 1..12; 0 for a month outside 1..12.
int days_in_month(int year, int month);

// True when month is 1..12 and day is 1..days_in_month(year, month).
bool is_valid_date(int year, int month, int day);

// Checks every field of `time` against its range (date included, |year| <= max_civil_year);
// the error names the first bad field.
Status validate_civil_time(const CivilTime& time);

// Days since 1970-01-01 (negative before). Exact for any year whose day count fits the
// result; month must be 1..12, a day outside the month counts on into the next/previous one.
std::int64_t days_from_civil(int year, int month, int day);

// The inverse: the calendar date `days` after 1970-01-01 (time fields zero).
CivilTime civil_from_days(std::int64_t days);

// COSEM day-of-week numbering (IEC 62056-6-2 clause 4.1.6.1): 1 = Monday .. 7 = Sunday.
int weekday_from_days(std::int64_t days);

// Breaks an instant into calendar fields; rounds toward the past for negative times, so
// microsecond is always 0..999999. Valid for every UtcMicros value.
CivilTime civil_from_utc(UtcMicros time);

// The inverse of civil_from_utc. Fields are not range-checked (call validate_civil_time first
// for outside input); the year must stay within about +-290000 so the result fits in int64.
UtcMicros utc_from_civil(const CivilTime& time);

}  // namespace gridmeter
