// Voltage-quality events and the voltage quality log (0-0:99.98.4.255, IDIS "power quality
// log"): what the detectors of voltage_quality.hpp report, one log entry per event.
//
//   VqEvent e{.type = VqEventType::dip, .phases = 0b001, .start_utc_us = t0,
//             .end_utc_us = t0 + 100'000, .extreme_v = 161.0};
//   std::array<std::int64_t, vq_log_width> row;
//   vq_log_row(e, row);                         // the log's columns
//   VqEvent back = vq_event_from_row(stamp, row);
//
// The entry's clock stamp is the event's start (meter clock); the columns hold the event code,
// the phases (bit 0 L1 or U12, bit 1 L2, bit 2 L3 or U32), the end time, the duration in ms,
// the extreme voltage (residual of a dip or interruption, peak of a swell, ΔUmax of an RVC, the
// extreme 10-minute value of an over- or undervoltage) in 10 mV and, for an RVC, ΔUss.
#pragma once

#include <array>        // std::array
#include <cstddef>      // std::size_t
#include <cstdint>      // std::int64_t, std::uint8_t
#include <optional>     // std::optional
#include <span>         // std::span
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "core/obis.hpp"
#include "core/time.hpp"
#include "meter/event_codes.hpp"
#include "meter/profile.hpp"

namespace gridmeter {

enum class VqEventType : std::uint8_t {
  dip,
  swell,
  interruption,
  rvc,
  overvoltage,
  undervoltage,
  phase_failure,
};

// "dip", "swell", "interruption", "rvc", "overvoltage", "undervoltage", "phase_failure": the
// names of the JSON `events` list (docs/cli.md).
constexpr std::string_view vq_event_type_name(VqEventType type) {
  switch (type) {
    case VqEventType::dip:
      return "dip";
    case VqEventType::swell:
      return "swell";
    case VqEventType::interruption:
      return "interruption";
    case VqEventType::rvc:
      return "rvc";
    case VqEventType::overvoltage:
      return "overvoltage";
    case VqEventType::undervoltage:
      return "undervoltage";
    case VqEventType::phase_failure:
      return "phase_failure";
  }
  return "?";
}

struct VqEvent {
  VqEventType type = VqEventType::dip;
  std::uint8_t phases = 0;  // bit p: phase slot p took part
  // Over- and undervoltage: the highest level reached (1 or 2); interruption: 1 short, 2 long.
  std::uint8_t level = 1;
  UtcMicros start_utc_us = 0;  // meter clock
  UtcMicros end_utc_us = 0;
  double extreme_v = 0.0;
  double delta_ss_v = 0.0;  // RVC only: ΔUss

  [[nodiscard]] std::int64_t duration_us() const { return end_utc_us - start_utc_us; }
  friend bool operator==(const VqEvent&, const VqEvent&) = default;
};

// The log's event code of an event (vendor codes 240..249, event_codes.hpp).
EventCode vq_event_code(const VqEvent& event);

inline constexpr Obis voltage_quality_log_obis{0, 0, 99, 98, 4, 255};
inline constexpr Obis power_quality_event_code_obis{0, 0, 96, 11, 4, 255};
// The last event's other columns (vendor objects, manufacturer-specific group C = 128).
inline constexpr Obis vq_last_phases_obis{0, 0, 128, 5, 0, 255};
inline constexpr Obis vq_last_end_obis{0, 0, 128, 5, 1, 255};
inline constexpr Obis vq_last_duration_obis{0, 0, 128, 5, 2, 255};
inline constexpr Obis vq_last_extreme_obis{0, 0, 128, 5, 3, 255};
inline constexpr Obis vq_last_delta_ss_obis{0, 0, 128, 5, 4, 255};
inline constexpr std::size_t voltage_quality_log_depth = 400;  // datasheet: up to 400 loggings
inline constexpr std::size_t vq_log_width = 6;

std::vector<CaptureColumn> vq_log_columns();
void vq_log_row(const VqEvent& event, std::span<std::int64_t> out);
// The event an entry holds; nullopt when its code is not a voltage-quality event code.
std::optional<VqEvent> vq_event_from_entry(const ProfileEntry& entry);

}  // namespace gridmeter
