// The household's wall clock: calendar arithmetic and Central European Time with EU summer time
// (UTC+1, UTC+2 from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC).
//
//   LocalOffset zone = central_european_offset(t);   // offset in force at t, and for how long
//   std::int64_t local_day = floor_div(t + zone.offset_us, micros_per_day);
//   CivilTime date = civil_from_days(local_day);     // {2025, 6, 21}, core/civil_time.hpp
//   bool weekend = weekday_from_days(local_day) >= 6; // COSEM numbering: 6 Saturday, 7 Sunday
//
// People live by the wall clock, so daily routines follow local time, including the DST shift;
// the sun follows UTC (see solar.hpp). The calendar and the EU rules are core's
// (core/civil_time.hpp, core/time_zone.hpp); this adds the span each offset holds for, so the
// scenario's caches know when to look again.
#pragma once

#include <cstdint>  // std::int64_t

#include "core/civil_time.hpp"
#include "core/time.hpp"

namespace gridmeter::sim {

// Division rounding toward minus infinity, for times before 1970 and negative offsets.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// 0 for 1 January .. 364 (365 in leap years).
int day_of_year(std::int64_t days);

struct LocalOffset {
  std::int64_t offset_us = 0;  // local time minus UTC
  UtcMicros begin_utc = 0;     // the offset holds for [begin_utc, end_utc)
  UtcMicros end_utc = 0;
};

// CET/CEST at `utc`, with the span until the neighbouring switches.
LocalOffset central_european_offset(UtcMicros utc);

}  // namespace gridmeter::sim
