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
  global_key_changed = 48,  // a key of a Security setup was transferred
  // Fraud detection log (0-0:99.98.1.255).
  terminal_cover_removed = 40,
  terminal_cover_closed = 41,
  strong_dc_field_detected = 42,
  no_strong_dc_field = 43,
  meter_cover_removed = 44,
  meter_cover_closed = 45,
  association_authentication_failure = 46,
  decryption_or_authentication_failure = 49,
  replay_attack = 50,
  load_profile_cleared = 254,
  log_cleared = 255,
  // Vendor range (>= 200).
  billing_period_reset = 200,  // end of billing period: scheduled or on command
  dst_begin = 201,             // the clock moved to daylight time (clock log only)
  dst_end = 202,               // the clock moved back to standard time (clock log only)
};

// The event log a code is recorded in (IDIS: each code belongs to one log).
enum class EventLog : std::uint8_t { standard, fraud };

constexpr EventLog event_log_of(EventCode code) {
  switch (code) {
    case EventCode::terminal_cover_removed:
    case EventCode::terminal_cover_closed:
    case EventCode::strong_dc_field_detected:
    case EventCode::no_strong_dc_field:
    case EventCode::meter_cover_removed:
    case EventCode::meter_cover_closed:
    case EventCode::association_authentication_failure:
    case EventCode::decryption_or_authentication_failure:
    case EventCode::replay_attack:
      return EventLog::fraud;
    default:
      return EventLog::standard;
  }
}

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
    case EventCode::global_key_changed:
      return "global key changed";
    case EventCode::terminal_cover_removed:
      return "terminal cover removed";
    case EventCode::terminal_cover_closed:
      return "terminal cover closed";
    case EventCode::strong_dc_field_detected:
      return "strong DC field detected";
    case EventCode::no_strong_dc_field:
      return "no strong DC field anymore";
    case EventCode::meter_cover_removed:
      return "meter cover removed";
    case EventCode::meter_cover_closed:
      return "meter cover closed";
    case EventCode::association_authentication_failure:
      return "association authentication failure";
    case EventCode::decryption_or_authentication_failure:
      return "decryption or authentication failure";
    case EventCode::replay_attack:
      return "replay attack";
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
