#include "core/civil_time.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace gridmeter {
namespace {

TEST(CivilTime, DaysFromCivilKnownValues) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1970, 1, 2), 1);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2000, 1, 1), 10957);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(2024, 2, 29), 19782);
  EXPECT_EQ(days_from_civil(2024, 3, 1), 19783);
  EXPECT_EQ(days_from_civil(1, 1, 1), -719162);
  EXPECT_EQ(days_from_civil(9999, 12, 31), 2932896);
}

TEST(CivilTime, CivilFromDaysRoundTripsEveryDayOfYears1To9999) {
  std::int64_t expected = days_from_civil(1, 1, 1);
  for (int year = 1; year <= 9999; ++year) {
    for (int month = 1; month <= 12; ++month) {
      for (int day = 1; day <= days_in_month(year, month); ++day) {
        ASSERT_EQ(days_from_civil(year, month, day), expected) << year << "-" << month;
        const CivilTime civil = civil_from_days(expected);
        ASSERT_EQ(civil.year, year);
        ASSERT_EQ(civil.month, month);
        ASSERT_EQ(civil.day, day);
        ++expected;
      }
    }
  }
}

TEST(CivilTime, LeapYears) {
  EXPECT_TRUE(is_leap_year(2024));
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_TRUE(is_leap_year(1600));
  EXPECT_FALSE(is_leap_year(2023));
  EXPECT_FALSE(is_leap_year(1900));
  EXPECT_FALSE(is_leap_year(2100));
  EXPECT_TRUE(is_leap_year(0));
  EXPECT_TRUE(is_leap_year(-4));
}

TEST(CivilTime, DaysInMonth) {
  EXPECT_EQ(days_in_month(2024, 2), 29);
  EXPECT_EQ(days_in_month(2023, 2), 28);
  EXPECT_EQ(days_in_month(2026, 1), 31);
  EXPECT_EQ(days_in_month(2026, 4), 30);
  EXPECT_EQ(days_in_month(2026, 12), 31);
  EXPECT_EQ(days_in_month(2026, 0), 0);
  EXPECT_EQ(days_in_month(2026, 13), 0);
}

TEST(CivilTime, ValidDates) {
  EXPECT_TRUE(is_valid_date(2024, 2, 29));
  EXPECT_FALSE(is_valid_date(2023, 2, 29));
  EXPECT_FALSE(is_valid_date(2026, 4, 31));
  EXPECT_FALSE(is_valid_date(2026, 1, 0));
  EXPECT_FALSE(is_valid_date(2026, 13, 1));
}

TEST(CivilTime, WeekdaysUseCosemNumbering) {
  EXPECT_EQ(weekday_from_days(0), 4);                              // 1970-01-01 Thursday
  EXPECT_EQ(weekday_from_days(-1), 3);                             // 1969-12-31 Wednesday
  EXPECT_EQ(weekday_from_days(days_from_civil(2026, 11, 25)), 3);  // Wednesday
  EXPECT_EQ(weekday_from_days(days_from_civil(2026, 3, 29)), 7);   // Sunday
  EXPECT_EQ(weekday_from_days(days_from_civil(2026, 3, 30)), 1);   // Monday
  EXPECT_EQ(weekday_from_days(days_from_civil(2000, 1, 1)), 6);    // Saturday
  EXPECT_EQ(weekday_from_days(days_from_civil(1, 1, 1)), 1);       // Monday
}

TEST(CivilTime, CivilFromUtcPositive) {
  // 2026-07-01T12:34:56.789012Z
  const UtcMicros t = days_from_civil(2026, 7, 1) * micros_per_day + 12 * micros_per_hour +
                      34 * micros_per_minute + 56 * micros_per_second + 789'012;
  EXPECT_EQ(civil_from_utc(t), (CivilTime{2026, 7, 1, 12, 34, 56, 789'012}));
  EXPECT_EQ(utc_from_civil(CivilTime{2026, 7, 1, 12, 34, 56, 789'012}), t);
}

TEST(CivilTime, CivilFromUtcNegativeRoundsTowardThePast) {
  EXPECT_EQ(civil_from_utc(-1), (CivilTime{1969, 12, 31, 23, 59, 59, 999'999}));
  EXPECT_EQ(civil_from_utc(-micros_per_day), (CivilTime{1969, 12, 31, 0, 0, 0, 0}));
  EXPECT_EQ(civil_from_utc(-micros_per_day - 1), (CivilTime{1969, 12, 30, 23, 59, 59, 999'999}));
  EXPECT_EQ(utc_from_civil(CivilTime{1969, 12, 31, 23, 59, 59, 999'999}), -1);
}

TEST(CivilTime, CivilFromUtcHandlesInt64Limits) {
  const CivilTime low = civil_from_utc(std::numeric_limits<UtcMicros>::min());
  EXPECT_EQ(low.year, -290308);
  EXPECT_GE(low.microsecond, 0);
  const CivilTime high = civil_from_utc(std::numeric_limits<UtcMicros>::max());
  EXPECT_EQ(high.year, 294247);
}

TEST(CivilTime, UtcRoundTripAcrossCenturies) {
  for (UtcMicros t = -62'135'596'800'000'000; t < 253'402'300'800'000'000;
       t += 987'654'321'123'457) {
    ASSERT_EQ(utc_from_civil(civil_from_utc(t)), t);
  }
}

TEST(CivilTime, ValidateNamesTheBadField) {
  EXPECT_TRUE(validate_civil_time(CivilTime{2024, 2, 29, 23, 59, 59, 999'999}));
  const Status feb = validate_civil_time(CivilTime{2023, 2, 29, 0, 0, 0, 0});
  ASSERT_FALSE(feb);
  EXPECT_EQ(feb.error().message, "day 29 does not exist in 2023-02");
  const Status hour = validate_civil_time(CivilTime{2026, 1, 1, 24, 0, 0, 0});
  ASSERT_FALSE(hour);
  EXPECT_EQ(hour.error().message, "hour 24 is out of range 0..23");
  EXPECT_FALSE(validate_civil_time(CivilTime{2026, 13, 1, 0, 0, 0, 0}));
  EXPECT_FALSE(validate_civil_time(CivilTime{2026, 1, 1, 0, 60, 0, 0}));
  EXPECT_FALSE(validate_civil_time(CivilTime{2026, 1, 1, 0, 0, 60, 0}));
  EXPECT_FALSE(validate_civil_time(CivilTime{2026, 1, 1, 0, 0, 0, 1'000'000}));
  EXPECT_FALSE(validate_civil_time(CivilTime{2026, 1, 1, 0, 0, 0, -1}));
  EXPECT_FALSE(validate_civil_time(CivilTime{max_civil_year + 1, 1, 1, 0, 0, 0, 0}));
}

}  // namespace
}  // namespace gridmeter
