#include "meter/meter_clock.hpp"

#include <algorithm>  // std::min

#include "core/civil_time.hpp"

namespace gridmeter {
namespace {

// Floor division for negative times too.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// The billing instant of one month; a skipped local hour resolves to the jump.
UtcMicros billing_instant(int year, int month, int day, int hour, const TimeZone& zone) {
  auto at = zone.from_local(CivilTime{year, month, day, hour, 0, 0, 0});
  if (at) return *at;
  // Inside the spring-forward gap: the first instant after it is the switch itself.
  return zone.dst_begin_utc(year);
}

}  // namespace

EntryStamp stamp_at(UtcMicros time, const TimeZone& zone) {
  const bool dst = zone.dst_active(time);
  return EntryStamp{.time_utc_us = time,
                    .utc_offset_min = static_cast<std::int16_t>(zone.offset_min(time)),
                    .clock_status = dst ? clock_status::daylight_saving_active : std::uint8_t{0}};
}

UtcMicros next_period_boundary(UtcMicros time, std::int64_t period_us, const TimeZone& zone) {
  const std::int64_t shift = std::int64_t{zone.standard_offset_min} * micros_per_minute;
  const std::int64_t local = time + shift;
  return (floor_div(local, period_us) + 1) * period_us - shift;
}

UtcMicros next_billing_time(UtcMicros time, int day, int hour, const TimeZone& zone) {
  const CivilTime local = zone.to_local(time);
  int year = local.year;
  int month = local.month;
  // This month's instant, else the next month's (two tries cover a DST-shifted candidate).
  for (int attempt = 0; attempt < 3; ++attempt) {
    const UtcMicros candidate = billing_instant(year, month, day, hour, zone);
    if (candidate > time) return candidate;
    if (++month > 12) {
      month = 1;
      ++year;
    }
  }
  return far_future_utc_us;
}

UtcMicros next_dst_switch(UtcMicros time, const TimeZone& zone) {
  if (!zone.dst_enabled) return far_future_utc_us;
  const int year = civil_from_utc(time).year;
  UtcMicros best = far_future_utc_us;
  for (int y = year; y <= year + 1; ++y) {
    for (UtcMicros at : {zone.dst_begin_utc(y), zone.dst_end_utc(y)}) {
      if (at > time) best = std::min(best, at);
    }
  }
  return best;
}

}  // namespace gridmeter
