#include "sim/local_time.hpp"

#include "core/time_zone.hpp"

namespace gridmeter::sim {

int day_of_year(std::int64_t days) {
  return static_cast<int>(days - days_from_civil(civil_from_days(days).year, 1, 1));
}

LocalOffset central_european_offset(UtcMicros utc) {
  static const TimeZone zone = TimeZone::central_europe();
  const int year = civil_from_days(floor_div(utc, micros_per_day)).year;
  const UtcMicros summer_begin = zone.dst_begin_utc(year);
  const UtcMicros summer_end = zone.dst_end_utc(year);
  const std::int64_t standard_us = zone.standard_offset_min * micros_per_minute;
  const std::int64_t summer_us = standard_us + zone.dst_offset_min * micros_per_minute;
  if (utc < summer_begin) return {standard_us, zone.dst_end_utc(year - 1), summer_begin};
  if (utc < summer_end) return {summer_us, summer_begin, summer_end};
  return {standard_us, summer_end, zone.dst_begin_utc(year + 1)};
}

}  // namespace gridmeter::sim
