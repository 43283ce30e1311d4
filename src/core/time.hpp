// Time as the meter core sees it: microseconds since 1970-01-01T00:00:00 UTC, as a plain
// integer. Local time, time zones and the COSEM date-time form live in date_time.hpp.
#pragma once

#include <cstdint>  // std::int64_t
#include <limits>   // std::numeric_limits

namespace gridmeter {

using UtcMicros = std::int64_t;

inline constexpr std::int64_t micros_per_millisecond = 1'000;
inline constexpr std::int64_t micros_per_second = 1'000'000;
inline constexpr std::int64_t micros_per_minute = 60 * micros_per_second;
inline constexpr std::int64_t micros_per_hour = 60 * micros_per_minute;
inline constexpr std::int64_t micros_per_day = 24 * micros_per_hour;

// "No instant": a time that has not happened (a timer that is not running).
inline constexpr UtcMicros no_time = std::numeric_limits<std::int64_t>::min();

}  // namespace gridmeter
