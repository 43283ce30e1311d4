#include "meter/vq_event.hpp"

#include <cassert>  // assert
#include <cmath>    // std::llround

namespace gridmeter {

EventCode vq_event_code(const VqEvent& event) {
  switch (event.type) {
    case VqEventType::dip:
      return EventCode::voltage_dip;
    case VqEventType::swell:
      return EventCode::voltage_swell;
    case VqEventType::interruption:
      return event.level >= 2 ? EventCode::long_interruption : EventCode::short_interruption;
    case VqEventType::rvc:
      return EventCode::rapid_voltage_change;
    case VqEventType::overvoltage:
      return event.level >= 2 ? EventCode::overvoltage_level_2 : EventCode::overvoltage;
    case VqEventType::undervoltage:
      return event.level >= 2 ? EventCode::undervoltage_level_2 : EventCode::undervoltage;
    case VqEventType::phase_failure:
      return EventCode::phase_failure;
  }
  return EventCode::voltage_dip;
}

std::vector<CaptureColumn> vq_log_columns() {
  auto column = [](Obis obis, std::uint16_t class_id, std::int8_t scaler, Unit unit,
                   ColumnKind kind, const char* name) {
    return CaptureColumn{.obis = obis,
                         .class_id = class_id,
                         .attribute = 2,
                         .scaler = scaler,
                         .unit = unit,
                         .kind = kind,
                         .name = name};
  };
  return {
      column(power_quality_event_code_obis, 1, 0, Unit::count, ColumnKind::integer, "event"),
      column(vq_last_phases_obis, 1, 0, Unit::count, ColumnKind::integer, "phases"),
      column(vq_last_end_obis, 1, 0, Unit::count, ColumnKind::date_time, "end"),
      column(vq_last_duration_obis, 3, -3, Unit::second, ColumnKind::integer, "duration"),
      column(vq_last_extreme_obis, 3, -2, Unit::volt, ColumnKind::integer, "extreme"),
      column(vq_last_delta_ss_obis, 3, -2, Unit::volt, ColumnKind::integer, "dUss"),
  };
}

void vq_log_row(const VqEvent& event, std::span<std::int64_t> out) {
  assert(out.size() == vq_log_width);
  out[0] = static_cast<std::int64_t>(vq_event_code(event));
  out[1] = event.phases;
  out[2] = event.end_utc_us;
  out[3] = (event.duration_us() + 500) / 1000;
  out[4] = std::llround(event.extreme_v * 100.0);
  out[5] = std::llround(event.delta_ss_v * 100.0);
}

std::optional<VqEvent> vq_event_from_entry(const ProfileEntry& entry) {
  if (entry.values.size() != vq_log_width) return std::nullopt;
  VqEvent event;
  switch (static_cast<EventCode>(entry.values[0])) {
    case EventCode::voltage_dip:
      event.type = VqEventType::dip;
      break;
    case EventCode::voltage_swell:
      event.type = VqEventType::swell;
      break;
    case EventCode::short_interruption:
      event.type = VqEventType::interruption;
      break;
    case EventCode::long_interruption:
      event.type = VqEventType::interruption;
      event.level = 2;
      break;
    case EventCode::rapid_voltage_change:
      event.type = VqEventType::rvc;
      break;
    case EventCode::overvoltage:
      event.type = VqEventType::overvoltage;
      break;
    case EventCode::overvoltage_level_2:
      event.type = VqEventType::overvoltage;
      event.level = 2;
      break;
    case EventCode::undervoltage:
      event.type = VqEventType::undervoltage;
      break;
    case EventCode::undervoltage_level_2:
      event.type = VqEventType::undervoltage;
      event.level = 2;
      break;
    case EventCode::phase_failure:
      event.type = VqEventType::phase_failure;
      break;
    default:
      return std::nullopt;
  }
  event.phases = static_cast<std::uint8_t>(entry.values[1] & 0x7);
  event.start_utc_us = entry.stamp.time_utc_us;
  event.end_utc_us = entry.values[2];
  event.extreme_v = static_cast<double>(entry.values[4]) / 100.0;
  event.delta_ss_v = static_cast<double>(entry.values[5]) / 100.0;
  return event;
}

}  // namespace gridmeter
