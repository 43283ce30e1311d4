// Load limitation: the behaviour of COSEM's Limiter (interface class 71, IEC 62056-6-2 clause
// 4.5.9), served at 0-0:17.0.0.255. The meter watches one instantaneous value against the
// active threshold; when the value has stayed over it for min_over_threshold_duration the
// over-threshold action runs (disconnect), and once it has stayed at or under it for
// min_under_threshold_duration after that the under-threshold action runs (reconnection
// permitted).
//
//   LimiterConfig limiter;
//   limiter.enabled = true;
//   limiter.value = "p_total";          // W, an instantaneous value of the analysis catalogue
//   limiter.threshold_normal = 5000.0;
//   limiter.min_over_s = 60;            // 60 s over 5 kW: disconnect
//   limiter.min_under_s = 30;           // then 30 s at or under: reconnection permitted
//   LimiterState state;
//   LimiterEvent e = evaluate_limiter(limiter, state, value, start, end, 5000.0);
//
// Timing is exact on the measurement intervals: a run over the threshold begins at the start
// of the first interval whose value is over it, and the limiter trips at the end of the first
// interval that ends at least min_over_s after that start, never earlier (likewise under).
// A value exactly at the threshold counts as under (as the register monitors compare). When the
// active threshold changes (emergency profile, programming), the runs start again at that
// instant.
//
// Emergency profile (attributes 8..10): while emergency_activation_time <= now <
// activation + duration and the profile's id is in emergency_profile_group_id_list, the active
// threshold is threshold_emergency instead of threshold_normal.
#pragma once

#include <cstdint>   // std::uint16_t, std::uint32_t
#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>    // std::vector

#include "core/result.hpp"
#include "core/time.hpp"

namespace gridmeter {

// What a limiter's action runs: the scripts of the disconnector script table
// (0-0:10.0.106.255): 1 disconnect, 2 reconnect. The limiter's disconnect is a local
// disconnection (transition g), its reconnect lifts the limiter's hold on reconnection.
enum class LimiterAction : std::uint8_t { none, disconnect, reconnect };

struct EmergencyProfile {
  std::uint16_t id = 0;                 // emergency_profile_id
  std::optional<UtcMicros> activation;  // emergency_activation_time (meter clock); none: never
  std::uint32_t duration_s = 0;         // emergency_duration
  friend bool operator==(const EmergencyProfile&, const EmergencyProfile&) = default;
};

inline constexpr std::size_t emergency_group_count_max = 16;
inline constexpr std::uint32_t limiter_duration_max_s = 86'400;

struct LimiterConfig {
  bool enabled = false;
  std::string value = "p_total";  // an instantaneous quantity of the analysis catalogue
  double threshold_normal = 0.0;  // in the value's unit
  double threshold_emergency = 0.0;
  std::uint32_t min_over_s = 0;
  std::uint32_t min_under_s = 0;
  EmergencyProfile emergency;
  std::vector<std::uint16_t> emergency_groups;  // emergency_profile_group_id_list
  LimiterAction over = LimiterAction::disconnect;
  LimiterAction under = LimiterAction::reconnect;
  friend bool operator==(const LimiterConfig&, const LimiterConfig&) = default;
};

// Errors name the setting as the config file spells it ("limiter.value: ...").
Status validate_limiter(const LimiterConfig& config);

// Where the limiter stands (persisted, so a restart neither forgets a trip nor starts a
// duration again).
struct LimiterState {
  UtcMicros over_since_us = no_time;   // time base: start of the current run over the threshold
  UtcMicros under_since_us = no_time;  // ... of the current run at or under it, after a trip
  // When the active threshold last changed (time base): a run against it begins no earlier.
  UtcMicros threshold_since_us = no_time;
  bool tripped = false;           // the over action ran; the under action has not yet
  bool emergency_active = false;  // the emergency threshold is the active one
  friend bool operator==(const LimiterState&, const LimiterState&) = default;
};

// Whether the emergency profile is in force at `meter_time`.
bool emergency_in_force(const LimiterConfig& config, UtcMicros meter_time);
// threshold_active.
double active_threshold(const LimiterConfig& config, bool emergency_active);
// The next instant after `meter_time` at which the emergency profile starts or ends, or
// no_time when it never does again.
UtcMicros next_emergency_change(const LimiterConfig& config, UtcMicros meter_time);

enum class LimiterEvent : std::uint8_t { none, tripped, released };

// One measurement interval [start, end) (time base) whose monitored value is `value`, against
// `threshold`. Returns tripped when the value has been over for min_over_s, released when,
// after a trip, it has been at or under for min_under_s. A run begins no earlier than
// state.threshold_since_us: a threshold that changes inside an interval counts from then.
LimiterEvent evaluate_limiter(const LimiterConfig& config, LimiterState& state, double value,
                              UtcMicros start, UtcMicros end, double threshold);

std::string_view to_string(LimiterAction action);
std::optional<LimiterAction> parse_limiter_action(std::string_view name);

}  // namespace gridmeter
