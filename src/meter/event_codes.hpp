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
  // Disconnector control log (0-0:99.98.2.255): one code per transition of the Disconnect
  // control state machine (disconnect_control.hpp), and the limiter's.
  ready_for_manual_reconnection = 59,  // transition d: remote reconnect to state 2
  manual_disconnection = 60,           // f: the customer's button
  manual_connection = 61,              // e: the customer's button
  remote_disconnection = 62,           // b, c
  remote_connection = 63,              // a
  local_disconnection = 64,            // g: limiter, prepayment or tamper (logged before it)
  limiter_threshold_exceeded = 65,     // over threshold for the minimum duration
  limiter_threshold_ok = 66,           // under threshold for the minimum duration after a trip
  limiter_threshold_changed = 67,      // threshold_active changed (emergency profile, programming)
  disconnect_reconnect_failure = 68,   // current flows through an open breaker
  local_reconnection = 69,             // h: the meter reconnects itself (modes 5 and 6)
  load_profile_cleared = 254,
  log_cleared = 255,
  // Vendor range (>= 200).
  billing_period_reset = 200,  // end of billing period: scheduled or on command
  dst_begin = 201,             // the clock moved to daylight time (clock log only)
  dst_end = 202,               // the clock moved back to standard time (clock log only)
  // Prepayment and tamper causes of supply control (disconnector control log).
  credit_low = 210,              // credit fell to the low-credit threshold
  credit_exhausted = 211,        // credit reached zero (a local disconnection follows it)
  credit_topped_up = 212,        // a token's credit was added
  emergency_credit_taken = 213,  // the customer took the emergency credit
  tamper_disconnection = 214,    // a tamper event opens the breaker (programmed)
  // Fraud detection log: covers opened while the supply was off, seen at the next power-up,
  // and the signs the metrology shows (fraud_signs.hpp).
  terminal_cover_removed_while_off = 220,
  meter_cover_removed_while_off = 221,
  current_reversal = 230,  // export on one phase while another imports
  current_reversal_ended = 231,
  current_without_voltage = 232,  // a phase carries current with its voltage missing
  current_without_voltage_ended = 233,
  neutral_imbalance = 234,  // phase and neutral current differ (single phase)
  neutral_imbalance_ended = 235,
  // Voltage quality log (0-0:99.98.4.255, vq_event.hpp): one code per kind of event.
  voltage_dip = 240,
  voltage_swell = 241,
  short_interruption = 242,
  long_interruption = 243,
  rapid_voltage_change = 244,
  overvoltage = 245,
  overvoltage_level_2 = 246,
  undervoltage = 247,
  undervoltage_level_2 = 248,
  phase_failure = 249,  // a dropout of some but not all phases
};

// The event log a code is recorded in (IDIS: each code belongs to one log).
enum class EventLog : std::uint8_t { standard, fraud, disconnector };

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
    case EventCode::terminal_cover_removed_while_off:
    case EventCode::meter_cover_removed_while_off:
    case EventCode::current_reversal:
    case EventCode::current_reversal_ended:
    case EventCode::current_without_voltage:
    case EventCode::current_without_voltage_ended:
    case EventCode::neutral_imbalance:
    case EventCode::neutral_imbalance_ended:
      return EventLog::fraud;
    case EventCode::ready_for_manual_reconnection:
    case EventCode::manual_disconnection:
    case EventCode::manual_connection:
    case EventCode::remote_disconnection:
    case EventCode::remote_connection:
    case EventCode::local_disconnection:
    case EventCode::limiter_threshold_exceeded:
    case EventCode::limiter_threshold_ok:
    case EventCode::limiter_threshold_changed:
    case EventCode::disconnect_reconnect_failure:
    case EventCode::local_reconnection:
    case EventCode::credit_low:
    case EventCode::credit_exhausted:
    case EventCode::credit_topped_up:
    case EventCode::emergency_credit_taken:
    case EventCode::tamper_disconnection:
      return EventLog::disconnector;
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
    case EventCode::ready_for_manual_reconnection:
      return "ready for manual reconnection";
    case EventCode::manual_disconnection:
      return "manual disconnection";
    case EventCode::manual_connection:
      return "manual connection";
    case EventCode::remote_disconnection:
      return "remote disconnection";
    case EventCode::remote_connection:
      return "remote connection";
    case EventCode::local_disconnection:
      return "local disconnection";
    case EventCode::limiter_threshold_exceeded:
      return "limiter threshold exceeded";
    case EventCode::limiter_threshold_ok:
      return "limiter threshold ok";
    case EventCode::limiter_threshold_changed:
      return "limiter threshold changed";
    case EventCode::disconnect_reconnect_failure:
      return "disconnect/reconnect failure";
    case EventCode::local_reconnection:
      return "local reconnection";
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
    case EventCode::credit_low:
      return "credit low";
    case EventCode::credit_exhausted:
      return "credit exhausted";
    case EventCode::credit_topped_up:
      return "credit topped up";
    case EventCode::emergency_credit_taken:
      return "emergency credit taken";
    case EventCode::tamper_disconnection:
      return "tamper disconnection";
    case EventCode::terminal_cover_removed_while_off:
      return "terminal cover removed while the supply was off";
    case EventCode::meter_cover_removed_while_off:
      return "meter cover removed while the supply was off";
    case EventCode::current_reversal:
      return "current reversal";
    case EventCode::current_reversal_ended:
      return "current reversal ended";
    case EventCode::current_without_voltage:
      return "current without voltage";
    case EventCode::current_without_voltage_ended:
      return "current without voltage ended";
    case EventCode::neutral_imbalance:
      return "phase/neutral current imbalance";
    case EventCode::neutral_imbalance_ended:
      return "phase/neutral current imbalance ended";
    case EventCode::voltage_dip:
      return "voltage dip";
    case EventCode::voltage_swell:
      return "voltage swell";
    case EventCode::short_interruption:
      return "short interruption";
    case EventCode::long_interruption:
      return "long interruption";
    case EventCode::rapid_voltage_change:
      return "rapid voltage change";
    case EventCode::overvoltage:
      return "overvoltage";
    case EventCode::overvoltage_level_2:
      return "overvoltage (level 2)";
    case EventCode::undervoltage:
      return "undervoltage";
    case EventCode::undervoltage_level_2:
      return "undervoltage (level 2)";
    case EventCode::phase_failure:
      return "phase failure";
  }
  return "unknown event";
}

}  // namespace gridmeter
