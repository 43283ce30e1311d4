#include "meter/limiter.hpp"

#include <fmt/format.h>

#include <algorithm>  // std::find, std::max
#include <cmath>      // std::isfinite

#include "core/civil_time.hpp"
#include "meter/analysis_log.hpp"

namespace gridmeter {

Status validate_limiter(const LimiterConfig& config) {
  const std::optional<std::size_t> index = find_analysis_quantity(config.value);
  if (!index) {
    return make_error(fmt::format("limiter.value: unknown value \"{}\" (see docs/analysis-log.md)",
                                  config.value));
  }
  if (analysis_catalogue()[*index].kind != AnalysisKind::instantaneous) {
    return make_error(fmt::format(
        "limiter.value: \"{}\" is not an instantaneous value (the limiter watches the latest "
        "measurement: e.g. \"p_total\", \"i_l1\")",
        config.value));
  }
  if (!std::isfinite(config.threshold_normal)) {
    return make_error("limiter.normal: not a finite number");
  }
  if (!std::isfinite(config.threshold_emergency)) {
    return make_error("limiter.emergency: not a finite number");
  }
  if (config.min_over_s > limiter_duration_max_s) {
    return make_error(fmt::format("limiter.min_over: {} s is outside 0..{}", config.min_over_s,
                                  limiter_duration_max_s));
  }
  if (config.min_under_s > limiter_duration_max_s) {
    return make_error(fmt::format("limiter.min_under: {} s is outside 0..{}", config.min_under_s,
                                  limiter_duration_max_s));
  }
  if (config.emergency_groups.size() > emergency_group_count_max) {
    return make_error(fmt::format("limiter.emergency_groups: {} groups, at most {}",
                                  config.emergency_groups.size(), emergency_group_count_max));
  }
  if (config.emergency.activation) {
    // The programming file writes it as four-digit UTC years, as ISO 8601 reads them.
    const int year = civil_from_utc(*config.emergency.activation).year;
    if (year < 0 || year > 9999) {
      return make_error(fmt::format(
          "limiter.emergency_profile.start: falls in the year {} UTC, outside 0000..9999", year));
    }
  }
  if (config.over == LimiterAction::reconnect) {
    return make_error("limiter.over: the over-threshold action is \"disconnect\" or \"none\"");
  }
  if (config.under == LimiterAction::disconnect) {
    return make_error("limiter.under: the under-threshold action is \"reconnect\" or \"none\"");
  }
  return {};
}

bool emergency_in_force(const LimiterConfig& config, UtcMicros meter_time) {
  const EmergencyProfile& profile = config.emergency;
  if (!profile.activation) return false;
  // The profile applies only to the groups the meter belongs to (attribute 9).
  if (std::find(config.emergency_groups.begin(), config.emergency_groups.end(), profile.id) ==
      config.emergency_groups.end()) {
    return false;
  }
  const UtcMicros begin = *profile.activation;
  const UtcMicros end = begin + std::int64_t{profile.duration_s} * micros_per_second;
  return meter_time >= begin && meter_time < end;
}

double active_threshold(const LimiterConfig& config, bool emergency_active) {
  return emergency_active ? config.threshold_emergency : config.threshold_normal;
}

UtcMicros next_emergency_change(const LimiterConfig& config, UtcMicros meter_time) {
  const EmergencyProfile& profile = config.emergency;
  if (!config.enabled || !profile.activation || profile.duration_s == 0) return no_time;
  const UtcMicros begin = *profile.activation;
  const UtcMicros end = begin + std::int64_t{profile.duration_s} * micros_per_second;
  if (meter_time < begin) return begin;
  if (meter_time < end) return end;
  return no_time;
}

LimiterEvent evaluate_limiter(const LimiterConfig& config, LimiterState& state, double value,
                              UtcMicros start, UtcMicros end, double threshold) {
  const std::int64_t min_over_us = std::int64_t{config.min_over_s} * micros_per_second;
  const std::int64_t min_under_us = std::int64_t{config.min_under_s} * micros_per_second;
  start = std::max(start, state.threshold_since_us);
  if (value > threshold) {
    state.under_since_us = no_time;
    if (state.tripped) return LimiterEvent::none;
    if (state.over_since_us == no_time) state.over_since_us = start;
    if (end - state.over_since_us < min_over_us) return LimiterEvent::none;
    state.tripped = true;
    state.over_since_us = no_time;
    return LimiterEvent::tripped;
  }
  state.over_since_us = no_time;
  if (!state.tripped) return LimiterEvent::none;
  if (state.under_since_us == no_time) state.under_since_us = start;
  if (end - state.under_since_us < min_under_us) return LimiterEvent::none;
  state.tripped = false;
  state.under_since_us = no_time;
  return LimiterEvent::released;
}

std::string_view to_string(LimiterAction action) {
  switch (action) {
    case LimiterAction::none:
      return "none";
    case LimiterAction::disconnect:
      return "disconnect";
    case LimiterAction::reconnect:
      return "reconnect";
  }
  return "none";
}

std::optional<LimiterAction> parse_limiter_action(std::string_view name) {
  for (const LimiterAction action :
       {LimiterAction::none, LimiterAction::disconnect, LimiterAction::reconnect}) {
    if (to_string(action) == name) return action;
  }
  return std::nullopt;
}

}  // namespace gridmeter
