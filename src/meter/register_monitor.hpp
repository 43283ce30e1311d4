// Register monitors: the meter watches an instantaneous value against thresholds and runs a
// script when the value crosses one (the behaviour behind COSEM's Register monitor, interface
// class 21, IEC 62056-6-2 clause 4.5.6; served at 0-0:16.1.e.255).
//
//   RegisterMonitorConfig monitor{"p_total", {{5000.0, MonitorScript::end_of_billing,
//                                              MonitorScript::none}}};
//   config.register_monitors.push_back(monitor);     // validated with the rest of MeterConfig
//   RegisterMonitor running(monitor);
//   running.evaluate(measurement, [&](MonitorScript script) { run(script); });
//
// A threshold is crossed upwards when the value goes from at most the threshold to above it
// (action_up runs), downwards when it goes from above to at most the threshold (action_down).
// One evaluation per measurement interval, on the interval's instantaneous value; when a value
// jumps over several thresholds, their scripts run in threshold order. The first evaluation
// after a start or a reprogramming only learns where the value is: the meter cannot know what
// the value did while it was off, so it runs no script for it (state derived, not persisted).
//
// The monitored values are the instantaneous quantities of the analysis log catalogue
// (analysis_log.hpp), by id or OBIS code: voltages, currents, powers, power factors,
// frequency, THD, unbalance. The scripts are the meter's own (COSEM script tables): a
// monitor can run the end of billing period, and the disconnector's disconnect and reconnect
// (scripts 1 and 2 of 0-0:10.0.106.255, the breaker's remote_disconnect and remote_reconnect).
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t, std::uint32_t
#include <optional>     // std::optional
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "core/result.hpp"
#include "meter/measurement.hpp"

namespace gridmeter {

// What a crossing runs. `none` is the null script (script 0 of any script table).
enum class MonitorScript : std::uint8_t { none, end_of_billing, disconnect, reconnect };

// "none", "end_of_billing", "disconnect", "reconnect": the names config files use.
std::string_view to_string(MonitorScript script);
std::optional<MonitorScript> parse_monitor_script(std::string_view name);

struct MonitorThreshold {
  double value = 0.0;  // in the monitored quantity's unit (V, A, W, ...), not scaled
  MonitorScript up = MonitorScript::none;
  MonitorScript down = MonitorScript::none;
  friend bool operator==(const MonitorThreshold&, const MonitorThreshold&) = default;
};

struct RegisterMonitorConfig {
  std::string value;  // an instantaneous quantity of the analysis catalogue: "u_l1", "1-0:32.7.0"
  std::vector<MonitorThreshold> thresholds;
  friend bool operator==(const RegisterMonitorConfig&, const RegisterMonitorConfig&) = default;
};

inline constexpr std::size_t register_monitor_count_max = 8;  // 0-0:16.1.0.255 .. 16.1.7.255
inline constexpr std::size_t monitor_threshold_count_max = 8;

// Each error names the setting as the config file spells it: "register_monitor[1].value:
// \"u_l1_avg\" is not an instantaneous value ...".
Status validate_register_monitors(std::span<const RegisterMonitorConfig> monitors);

class RegisterMonitor {
 public:
  // `config` must pass validate_register_monitors.
  explicit RegisterMonitor(const RegisterMonitorConfig& config);

  // Compares the measurement's value with each threshold and calls run(script) for each
  // crossing whose script is not `none`. No allocation.
  template <typename Run>
  void evaluate(const Measurement& measurement, Run&& run) {
    const double value = value_of(measurement);
    for (std::size_t i = 0; i < thresholds_.size(); ++i) {
      const std::uint32_t bit = 1U << i;
      const bool above = value > thresholds_[i].value;
      const bool was_above = (above_ & bit) != 0;
      if (above) {
        above_ |= bit;
      } else {
        above_ &= ~bit;
      }
      if (!primed_ || above == was_above) continue;
      const MonitorScript script = above ? thresholds_[i].up : thresholds_[i].down;
      if (script != MonitorScript::none) run(script);
    }
    primed_ = true;
  }

  // Bit i: the value was above threshold i at the last evaluation.
  [[nodiscard]] std::uint32_t above() const { return above_; }

 private:
  [[nodiscard]] double value_of(const Measurement& measurement) const;

  std::size_t quantity_ = 0;  // analysis catalogue index
  std::vector<MonitorThreshold> thresholds_;
  std::uint32_t above_ = 0;
  bool primed_ = false;
};

}  // namespace gridmeter
