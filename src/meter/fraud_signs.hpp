// Fraud signs the metrology shows: patterns in the measurements that a bypassed or rewired
// installation leaves, logged in the fraud detection log when they last.
//
//   FraudConfig fraud;                       // 60 s to settle; current reversal off
//   fraud.enabled[index_of(FraudSign::current_reversal)] = true;   // a consumer-only site
//   FraudSignState state;
//   evaluate_fraud_signs(fraud, state, measurement,
//                        [&](FraudSign sign, bool present) { log(sign_event(sign, present)); });
//
// - current_reversal (three-phase 4-wire): one phase exports more than 25 W while another
//   imports more than 25 W: the classic sign of a current transformer or phase wired backwards.
//   A site whose generation feeds one phase shows it too, so it is off unless programmed.
// - current_without_voltage (any connection): a phase carries more than 0.1 A while its voltage
//   is below 115 V (half of 230 V): a missing neutral or a voltage link removed, so that the
//   meter sees current it cannot turn into energy.
// - neutral_imbalance (single phase): phase and neutral current differ by more than 0.25 A and
//   12.5 % of the larger: part of the current returns outside the meter (a load wired to earth
//   or to another phase's neutral).
// A sign is logged when its condition has held for min_duration_s without a break, and logged
// as ended when it has been absent as long: a single noisy interval neither raises nor clears
// one. Each raised sign is counted.
#pragma once

#include <array>    // std::array
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint32_t

#include "core/time.hpp"
#include "meter/event_codes.hpp"
#include "meter/measurement.hpp"

namespace gridmeter {

enum class FraudSign : std::uint8_t {
  current_reversal = 0,
  current_without_voltage = 1,
  neutral_imbalance = 2,
};
inline constexpr std::size_t fraud_sign_count = 3;

constexpr std::size_t index_of(FraudSign sign) { return static_cast<std::size_t>(sign); }

inline constexpr double reversal_power_min_w = 25.0;
inline constexpr double current_present_min_a = 0.1;
inline constexpr double voltage_missing_below_v = 115.0;
inline constexpr double imbalance_min_a = 0.25;
inline constexpr double imbalance_min_fraction = 0.125;
inline constexpr std::uint32_t fraud_duration_max_s = 86'400;

struct FraudConfig {
  // Current reversal is off by default: a site that generates (rooftop PV, unbalanced over the
  // phases) shows the very pattern every sunny day (the household-pv scenario: about ten
  // times a day). A utility switches it on for consumer-only installations.
  std::array<bool, fraud_sign_count> enabled{false, true, true};
  std::uint32_t min_duration_s = 60;
  friend bool operator==(const FraudConfig&, const FraudConfig&) = default;
};

struct FraudSignState {
  std::array<bool, fraud_sign_count> active{};
  // Start (time base) of the run of intervals whose condition differs from `active`.
  std::array<UtcMicros, fraud_sign_count> changing_since_us{no_time, no_time, no_time};
  std::array<std::uint32_t, fraud_sign_count> counts{};
  friend bool operator==(const FraudSignState&, const FraudSignState&) = default;
};

// Whether the measurement shows the sign (before any settling time).
bool sign_present(FraudSign sign, const Measurement& measurement);

// The fraud log's code for a sign raised (true) or ended.
EventCode sign_event(FraudSign sign, bool present);

// "current_reversal", "current_without_voltage", "neutral_imbalance": the config keys.
std::string_view to_string(FraudSign sign);

// Checks one measurement interval; calls changed(sign, present) for each sign that is raised
// or ends at the end of this interval. No allocation.
template <typename Changed>
void evaluate_fraud_signs(const FraudConfig& config, FraudSignState& state,
                          const Measurement& measurement, Changed&& changed) {
  const std::int64_t settle_us = std::int64_t{config.min_duration_s} * micros_per_second;
  for (std::size_t i = 0; i < fraud_sign_count; ++i) {
    const auto sign = static_cast<FraudSign>(i);
    const bool present = config.enabled[i] && sign_present(sign, measurement);
    if (present == state.active[i]) {
      state.changing_since_us[i] = no_time;
      continue;
    }
    if (state.changing_since_us[i] == no_time)
      state.changing_since_us[i] = measurement.start_utc_us;
    if (measurement.end_utc_us() - state.changing_since_us[i] < settle_us) continue;
    state.active[i] = present;
    state.changing_since_us[i] = no_time;
    if (present) ++state.counts[i];
    changed(sign, present);
  }
}

}  // namespace gridmeter
