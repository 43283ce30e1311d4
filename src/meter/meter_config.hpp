// MeterConfig: every setting of the meter core that a utility programs (over DLMS later, from
// a TOML file now: docs/config.md). Persisted with the meter's state, so a meter keeps its
// programming across restarts.
//
//   MeterConfig config;                          // defaults: CET/CEST, day/night/weekend,
//   config.load_profile.period_min = 30;         // 15-min profile, 15-min block demand, ...
//   if (Status ok = config.validate(); !ok) fail(ok.error().message);
#pragma once

#include <cstddef>  // std::size_t
#include <string>   // std::string
#include <vector>   // std::vector

#include "core/result.hpp"
#include "core/time_zone.hpp"
#include "meter/activity_calendar.hpp"
#include "meter/disconnect_control.hpp"
#include "meter/fraud_signs.hpp"
#include "meter/limiter.hpp"
#include "meter/prepayment.hpp"
#include "meter/pulse_output.hpp"
#include "meter/register_monitor.hpp"
#include "meter/tamper.hpp"
#include "meter/vq_config.hpp"

namespace gridmeter {

// Load profile 1 (1-0:99.1.0.255): clock, status word, A+, A-, R+, R- (cumulative), and with
// per_phase A+ and A- of each phase (21/22.8.0, 41/42.8.0, 61/62.8.0).
struct LoadProfileConfig {
  int period_min = 15;                       // 15, 30 or 60
  std::size_t depth = std::size_t{96} * 92;  // entries: 92 days at 15 min
  bool per_phase = false;
  friend bool operator==(const LoadProfileConfig&, const LoadProfileConfig&) = default;
};

// Analysis log (1-0:99.1.1.255): up to 24 values of the catalogue (analysis_log.hpp), by id.
// No values: the log is off.
inline constexpr std::size_t analysis_value_count_max = 24;
struct AnalysisLogConfig {
  int period_min = 15;                       // 5, 10, 15, 30 or 60
  std::size_t depth = std::size_t{96} * 31;  // entries
  std::vector<std::string> values;
  friend bool operator==(const AnalysisLogConfig&, const AnalysisLogConfig&) = default;
};

// Demand registers (class 5): the average over `period_min` (the integration period), as a
// block (sub_periods = 1) or sliding over sub_periods steps of period_min / sub_periods.
struct DemandConfig {
  int period_min = 15;  // 5..60, a divisor of 60
  int sub_periods = 1;  // 1..15, a divisor of period_min
  friend bool operator==(const DemandConfig&, const DemandConfig&) = default;
};

// End of billing period (single action schedule 0-0:15.0.0.255): monthly on `day` at `hour`
// local time; the billing profile (0-0:98.1.0.255) keeps `depth` periods.
struct BillingConfig {
  int day = 1;   // 1..28
  int hour = 0;  // 0..23
  std::size_t depth = 12;
  friend bool operator==(const BillingConfig&, const BillingConfig&) = default;
};

struct MeterConfig {
  // Time zone and daylight-saving rule of the meter clock; dst_enabled switches DST.
  TimeZone zone = TimeZone::central_europe();
  ActivityCalendar calendar = ActivityCalendar::default_calendar();
  DemandConfig demand;
  BillingConfig billing;
  LoadProfileConfig load_profile;
  AnalysisLogConfig analysis_log;
  // Register monitors 0-0:16.1.0.255, 16.1.1.255, ... in this order. By default one: voltage
  // L1 against EN 50160's ±10 % of 230 V (253 V, 207 V), running no script.
  std::vector<RegisterMonitorConfig> register_monitors{
      {"u_l1",
       {{253.0, MonitorScript::none, MonitorScript::none},
        {207.0, MonitorScript::none, MonitorScript::none}}}};
  // Supply control: the breaker (Disconnect control 0-0:96.3.10.255), load limitation
  // (Limiter 0-0:17.0.0.255), prepayment, tamper inputs, fraud signs, the S0 pulse output.
  DisconnectorConfig disconnector;
  LimiterConfig limiter;
  PrepaymentConfig prepayment;
  TamperConfig tamper;
  FraudConfig fraud;
  PulseOutputConfig pulse_output;
  // Voltage quality: thresholds of dips, swells, interruptions, RVCs, over- and undervoltage.
  VoltageQualityConfig voltage_quality;

  // Ranges and the calendar; each error names the setting.
  [[nodiscard]] Status validate() const;
  // The supply-control part of validate().
  [[nodiscard]] Status validate_supply_control() const;

  friend bool operator==(const MeterConfig&, const MeterConfig&) = default;
};

// Bounds on depths: enough for years of 15-minute data, small enough for memory.
inline constexpr std::size_t profile_depth_max = 400'000;
inline constexpr std::size_t billing_depth_max = 120;

}  // namespace gridmeter
