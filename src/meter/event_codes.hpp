// Event codes of the meter's event logs, in the IDIS numbering (IDIS package 2 event codes,
// as listed in shared/reference/obis.md). Codes from 200 up are gridmeter's own (the range
// IDIS leaves to vendors).
#pragma once

#include <cstdint>      // std::uint16_t
#include <string_view>  // std::string_view

namespace gridmeter {

enum class EventCode : std::uint16_t {
  power_down = 1,
  power_up = 2,
  dst_enabled_or_disabled = 3,
  clock_adjusted_old_time = 4,
  clock_adjusted_new_time = 5,
  clock_invalid = 6,
  tou_activated = 9,  // the passive calendar became active
  error_register_cleared = 10,
  alarm_register_cleared = 11,
  passive_tou_programmed = 19,
  parameters_changed = 47,
  load_profile_cleared = 254,
  log_cleared = 255,
  // Vendor range (>= 200).
  billing_period_reset = 200,  // end of billing period: scheduled or on command
  dst_begin = 201,             // the clock moved to daylight time (clock log only)
  dst_end = 202,               // the clock moved back to standard time (clock log only)
};

// Human-readable name, e.g. "power down"; "unknown event" for codes not listed above.
constexpr std::string_view event_name(std::uint16_t code) {
  switch (static_cast<EventCode>(code)) {
    case EventCode::power_down:
      return "power down";
    case EventCode::power_up:
      return "power up";
    case EventCode::dst_enabled_or_disabled:
      return "daylight saving enabled or disabled";
    case EventCode::clock_adjusted_old_time:
      return "clock adjusted (old time)";
    case EventCode::clock_adjusted_new_time:
      return "clock adjusted (new time)";
    case EventCode::clock_invalid:
      return "clock invalid";
    case EventCode::tou_activated:
      return "time-of-use calendar activated";
    case EventCode::error_register_cleared:
      return "error register cleared";
    case EventCode::alarm_register_cleared:
      return "alarm register cleared";
    case EventCode::passive_tou_programmed:
      return "passive time-of-use calendar programmed";
    case EventCode::parameters_changed:
      return "parameters changed";
    case EventCode::load_profile_cleared:
      return "load profile cleared";
    case EventCode::log_cleared:
      return "log cleared";
    case EventCode::billing_period_reset:
      return "billing period reset";
    case EventCode::dst_begin:
      return "daylight saving time began";
    case EventCode::dst_end:
      return "daylight saving time ended";
  }
  return "unknown event";
}

}  // namespace gridmeter
