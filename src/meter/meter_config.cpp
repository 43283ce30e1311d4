#include "meter/meter_config.hpp"

#include <fmt/format.h>

#include <array>        // std::array
#include <cstddef>      // std::size_t
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "meter/analysis_log.hpp"
#include "meter/demand.hpp"

namespace gridmeter {
namespace {

// Setting names are the keys of the config file (docs/config.md), so an error from a file
// points at what to edit.
constexpr std::array<int, 3> load_profile_periods_min{15, 30, 60};
constexpr std::array<int, 5> analysis_log_periods_min{5, 10, 15, 30, 60};
constexpr int demand_period_min_min = 5;
constexpr int demand_period_max_min = 60;
constexpr int sub_periods_max = static_cast<int>(demand_sub_periods_max);
constexpr int billing_day_max = 28;  // a day every month has
constexpr int billing_hour_max = 23;

std::string joined(std::span<const int> values) {
  std::string text;
  for (const int value : values) {
    if (!text.empty()) text += ", ";
    text += std::to_string(value);
  }
  return text;
}

Status check_period(std::string_view setting, int period_min, std::span<const int> allowed) {
  for (const int value : allowed) {
    if (value == period_min) return {};
  }
  return make_error(
      fmt::format("{}: {} minutes is not one of {}", setting, period_min, joined(allowed)));
}

Status check_depth(std::string_view setting, std::size_t depth, std::size_t depth_max) {
  if (depth >= 1 && depth <= depth_max) return {};
  return make_error(fmt::format("{}: {} entries is outside 1..{}", setting, depth, depth_max));
}

Status check_range(std::string_view setting, int value, int low, int high) {
  if (value >= low && value <= high) return {};
  return make_error(fmt::format("{}: {} is outside {}..{}", setting, value, low, high));
}

Status validate_demand(const DemandConfig& demand) {
  if (demand.period_min < demand_period_min_min || demand.period_min > demand_period_max_min) {
    return make_error(fmt::format("demand.period: {} minutes is outside {}..{}", demand.period_min,
                                  demand_period_min_min, demand_period_max_min));
  }
  if (60 % demand.period_min != 0) {
    return make_error(fmt::format(
        "demand.period: {} minutes does not divide the hour (5, 6, 10, 12, 15, 20, 30 or 60)",
        demand.period_min));
  }
  if (Status s = check_range("demand.sub_periods", demand.sub_periods, 1, sub_periods_max); !s) {
    return s;
  }
  if (demand.period_min % demand.sub_periods != 0) {
    return make_error(fmt::format("demand.sub_periods: {} does not divide the period of {} minutes",
                                  demand.sub_periods, demand.period_min));
  }
  return {};
}

Status validate_billing(const BillingConfig& billing) {
  if (Status s = check_range("billing.day", billing.day, 1, billing_day_max); !s) return s;
  if (Status s = check_range("billing.hour", billing.hour, 0, billing_hour_max); !s) return s;
  if (billing.depth >= 1 && billing.depth <= billing_depth_max) return {};
  return make_error(
      fmt::format("billing.depth: {} periods is outside 1..{}", billing.depth, billing_depth_max));
}

Status validate_analysis_log(const AnalysisLogConfig& log) {
  if (Status s = check_period("analysis_log.period", log.period_min, analysis_log_periods_min);
      !s) {
    return s;
  }
  if (Status s = check_depth("analysis_log.depth", log.depth, profile_depth_max); !s) return s;
  if (log.values.empty()) return {};  // the log is off
  if (auto selection = resolve_analysis_values(log.values); !selection) {
    // "analysis log: unknown value ..." names the log already; name the setting instead.
    std::string_view message = selection.error().message;
    constexpr std::string_view log_prefix = "analysis log: ";
    if (message.starts_with(log_prefix)) message.remove_prefix(log_prefix.size());
    return make_error(fmt::format("analysis_log.values: {}", message));
  }
  return {};
}

}  // namespace

Status MeterConfig::validate() const {
  if (Status s = zone.validate(); !s) {
    // "time zone: dst_begin month 13 ..." names the zone already; name the setting instead.
    std::string_view message = s.error().message;
    constexpr std::string_view zone_prefix = "time zone: ";
    if (message.starts_with(zone_prefix)) message.remove_prefix(zone_prefix.size());
    return make_error(fmt::format("clock.time_zone: {}", message));
  }
  // Calendar errors name the calendar and the item ("active calendar: season ...").
  if (Status s = calendar.validate(); !s) return s;
  if (Status s = validate_demand(demand); !s) return s;
  if (Status s = validate_billing(billing); !s) return s;
  if (Status s =
          check_period("load_profile.period", load_profile.period_min, load_profile_periods_min);
      !s) {
    return s;
  }
  if (Status s = check_depth("load_profile.depth", load_profile.depth, profile_depth_max); !s) {
    return s;
  }
  if (Status s = validate_analysis_log(analysis_log); !s) return s;
  if (Status s = validate_register_monitors(register_monitors); !s) return s;
  if (Status s = validate_voltage_quality(voltage_quality); !s) return s;
  return validate_supply_control();
}

Status MeterConfig::validate_supply_control() const {
  if (Status s = check_range("disconnector.mode", disconnector.mode, 0, control_mode_max); !s) {
    return s;
  }
  if (Status s = validate_limiter(limiter); !s) return s;
  if (Status s = validate_prepayment(prepayment); !s) return s;
  if (fraud.min_duration_s > fraud_duration_max_s) {
    return make_error(fmt::format("fraud.min_duration: {} s is outside 0..{}", fraud.min_duration_s,
                                  fraud_duration_max_s));
  }
  return validate_pulse_output(pulse_output);
}

}  // namespace gridmeter
