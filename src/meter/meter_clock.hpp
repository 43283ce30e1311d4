// The meter clock (Clock, IEC 62056-6-2 clause 4.5.1, class 8) and the instants the meter core
// schedules on it: capture period boundaries, the billing date, daylight-saving switches.
//
// The meter clock is the time base (the time the measurements carry: the simulation's time,
// or the host's) plus an offset that clock adjustments change, exactly as a real meter's RTC
// drifts from true time and is set by a head-end. Registers integrate on the time base;
// everything stamped (profiles, logs, tariffs, billing) uses the meter clock.
#pragma once

#include <cstdint>  // std::uint8_t

#include "core/time.hpp"
#include "core/time_zone.hpp"
#include "meter/profile.hpp"

namespace gridmeter {

// clock_status bits of a COSEM date-time (IEC 62056-6-2 clause 4.1.6.1).
namespace clock_status {
inline constexpr std::uint8_t invalid_value = 0x01;
inline constexpr std::uint8_t doubtful_value = 0x02;
inline constexpr std::uint8_t different_clock_base = 0x04;
inline constexpr std::uint8_t invalid_clock_status = 0x08;
inline constexpr std::uint8_t daylight_saving_active = 0x80;
}  // namespace clock_status

// The stamp of an entry made at meter time `time` in `zone`.
EntryStamp stamp_at(UtcMicros time, const TimeZone& zone);

// The first boundary strictly after `time` of a grid of `period_us` aligned to local standard
// time (UTC + zone.standard_offset_min, ignoring DST): for periods that divide an hour and
// whole-hour offsets these are the local quarter hours on every day, DST days included (a
// spring-forward day has 92 quarter hours, a fall-back day 100).
UtcMicros next_period_boundary(UtcMicros time, std::int64_t period_us, const TimeZone& zone);

// The first end of billing period strictly after `time`: day `day` (1..28) of a month at
// `hour`:00 local wall time (when that hour is skipped by a spring-forward switch, the instant
// the clock jumps).
UtcMicros next_billing_time(UtcMicros time, int day, int hour, const TimeZone& zone);

// The first daylight-saving switch strictly after `time`; a far-future instant when the zone
// has DST disabled.
UtcMicros next_dst_switch(UtcMicros time, const TimeZone& zone);

inline constexpr UtcMicros far_future_utc_us = INT64_MAX / 4;

}  // namespace gridmeter
