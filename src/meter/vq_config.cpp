#include "meter/vq_config.hpp"

#include <fmt/format.h>

#include <cmath>        // std::isfinite
#include <string_view>  // std::string_view

namespace gridmeter {
namespace {

Status check_percent(std::string_view key, double value, double low, double high) {
  if (std::isfinite(value) && value >= low && value <= high) return {};
  return make_error(
      fmt::format("voltage_quality.{}: {} % is outside {}..{} %", key, value, low, high));
}

Status check_order(std::string_view lower_key, double lower, std::string_view upper_key,
                   double upper) {
  if (lower < upper) return {};
  return make_error(fmt::format("voltage_quality.{}: {} % is not below {} ({} %)", lower_key, lower,
                                upper_key, upper));
}

}  // namespace

Status validate_voltage_quality(const VoltageQualityConfig& config) {
  const VoltageQualityConfig& c = config;
  if (!std::isfinite(c.declared_voltage_v) || c.declared_voltage_v < 50.0 ||
      c.declared_voltage_v > 1000.0) {
    return make_error(fmt::format("voltage_quality.declared_voltage: {} V is outside 50..1000 V",
                                  c.declared_voltage_v));
  }
  if (Status s = check_percent("interruption_threshold", c.interruption_threshold_percent, 1, 20);
      !s) {
    return s;
  }
  if (Status s = check_percent("dip_threshold", c.dip_threshold_percent, 50, 99); !s) return s;
  if (Status s = check_percent("swell_threshold", c.swell_threshold_percent, 101, 200); !s) {
    return s;
  }
  if (Status s = check_percent("hysteresis", c.hysteresis_percent, 0, 10); !s) return s;
  if (Status s = check_percent("rvc_threshold", c.rvc_threshold_percent, 0.5, 10); !s) return s;
  if (Status s = check_percent("rvc_hysteresis", c.rvc_hysteresis_percent, 0, 10); !s) return s;
  if (Status s = check_order("rvc_hysteresis", c.rvc_hysteresis_percent, "rvc_threshold",
                             c.rvc_threshold_percent);
      !s) {
    return s;
  }
  if (Status s = check_percent("overvoltage", c.overvoltage_percent, 101, 200); !s) return s;
  if (Status s = check_percent("overvoltage_2", c.overvoltage_2_percent, 101, 200); !s) return s;
  if (Status s = check_percent("undervoltage", c.undervoltage_percent, 50, 99); !s) return s;
  if (Status s = check_percent("undervoltage_2", c.undervoltage_2_percent, 50, 99); !s) return s;
  if (Status s = check_order("interruption_threshold", c.interruption_threshold_percent,
                             "dip_threshold", c.dip_threshold_percent);
      !s) {
    return s;
  }
  // The end levels (threshold ± hysteresis) must stay on their side of 100 %.
  if (c.dip_threshold_percent + c.hysteresis_percent >= 100.0 ||
      c.swell_threshold_percent - c.hysteresis_percent <= 100.0) {
    return make_error(
        fmt::format("voltage_quality.hysteresis: {} % moves the dip or swell end level past 100 %",
                    c.hysteresis_percent));
  }
  if (Status s = check_order("overvoltage", c.overvoltage_percent, "overvoltage_2",
                             c.overvoltage_2_percent);
      !s) {
    return s;
  }
  if (Status s = check_order("undervoltage_2", c.undervoltage_2_percent, "undervoltage",
                             c.undervoltage_percent);
      !s) {
    return s;
  }
  if (c.long_interruption_s < 1 || c.long_interruption_s > 86'400) {
    return make_error(fmt::format("voltage_quality.long_interruption: {} s is outside 1..86400 s",
                                  c.long_interruption_s));
  }
  return {};
}

}  // namespace gridmeter
