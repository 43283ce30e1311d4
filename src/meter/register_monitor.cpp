#include "meter/register_monitor.hpp"

#include <fmt/format.h>

#include <cassert>  // assert
#include <cmath>    // std::isfinite

#include "meter/analysis_log.hpp"

namespace gridmeter {

std::string_view to_string(MonitorScript script) {
  switch (script) {
    case MonitorScript::none:
      return "none";
    case MonitorScript::end_of_billing:
      return "end_of_billing";
    case MonitorScript::disconnect:
      return "disconnect";
    case MonitorScript::reconnect:
      return "reconnect";
  }
  return "none";
}

std::optional<MonitorScript> parse_monitor_script(std::string_view name) {
  for (const MonitorScript script : {MonitorScript::none, MonitorScript::end_of_billing,
                                     MonitorScript::disconnect, MonitorScript::reconnect}) {
    if (to_string(script) == name) return script;
  }
  return std::nullopt;
}

Status validate_register_monitors(std::span<const RegisterMonitorConfig> monitors) {
  if (monitors.size() > register_monitor_count_max) {
    return make_error(fmt::format("register_monitor: {} monitors, at most {}", monitors.size(),
                                  register_monitor_count_max));
  }
  for (std::size_t m = 0; m < monitors.size(); ++m) {
    const RegisterMonitorConfig& monitor = monitors[m];
    const std::optional<std::size_t> index = find_analysis_quantity(monitor.value);
    if (!index) {
      return make_error(
          fmt::format("register_monitor[{}].value: unknown value \"{}\" (see docs/analysis-log.md)",
                      m, monitor.value));
    }
    if (analysis_catalogue()[*index].kind != AnalysisKind::instantaneous) {
      return make_error(fmt::format(
          "register_monitor[{}].value: \"{}\" is not an instantaneous value (a monitor watches "
          "the latest measurement: e.g. \"u_l1\", \"p_total\")",
          m, monitor.value));
    }
    if (monitor.thresholds.empty() || monitor.thresholds.size() > monitor_threshold_count_max) {
      return make_error(fmt::format("register_monitor[{}].thresholds: {} thresholds, not 1..{}", m,
                                    monitor.thresholds.size(), monitor_threshold_count_max));
    }
    for (std::size_t t = 0; t < monitor.thresholds.size(); ++t) {
      if (!std::isfinite(monitor.thresholds[t].value)) {
        return make_error(
            fmt::format("register_monitor[{}].thresholds[{}]: not a finite number", m, t));
      }
    }
  }
  return {};
}

RegisterMonitor::RegisterMonitor(const RegisterMonitorConfig& config)
    : thresholds_(config.thresholds) {
  const std::optional<std::size_t> index = find_analysis_quantity(config.value);
  assert(index && thresholds_.size() <= monitor_threshold_count_max);
  quantity_ = index.value_or(0);
}

double RegisterMonitor::value_of(const Measurement& measurement) const {
  return instantaneous_value(quantity_, measurement);
}

}  // namespace gridmeter
