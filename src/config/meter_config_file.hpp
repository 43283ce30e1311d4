// The meter configuration (MeterConfig) as a TOML file, and back (format: docs/config.md).
//
//   Result<MeterConfig> config = load_meter_config("meter.toml");
//   if (!config) { fmt::print(stderr, "{}\n", config.error().message); return 2; }
//   // meter.toml:14:12: calendar.day[0].switches[1].tariff: tariff 9 is outside 1..8
//   // meter.toml:9:10: load_profile.period: 20 minutes is not one of 15, 30, 60
//   std::string text = format_meter_config(*config);   // parse_meter_config reads it back equal
//
// Sections [clock], [demand], [billing], [load_profile], [analysis_log], and the calendar's
// [tariffs], [calendar] and [passive]; each is optional, and what a file leaves out keeps the
// default of MeterConfig (the default calendar when [calendar] is absent). Errors name the
// file, the key path and, where toml++ knows it, line and column: TOML syntax, unknown keys
// and sections, wrong value types, and everything MeterConfig::validate() refuses. An
// accepted config always passes validate().
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view

#include "core/result.hpp"
#include "meter/meter_config.hpp"

namespace gridmeter::config {

// `source_name` (usually the path) prefixes every error message.
Result<MeterConfig> parse_meter_config(std::string_view toml_text, std::string_view source_name);

// Reads and parses a file (at most 1 MiB); a file that cannot be read is an error naming it.
Result<MeterConfig> load_meter_config(const std::string& path);

// The whole configuration as TOML text, every section written out (the calendar in full,
// the time zone as format_time_zone text with `dst` beside it). For every config that
// parse_meter_config returns, and for the defaults, parse_meter_config reads the text back
// equal; `config` must pass validate(). A calendar made otherwise (not by the file) comes back
// with day ids and special-day indexes renumbered: see format_calendar_config.
std::string format_meter_config(const MeterConfig& config);

}  // namespace gridmeter::config
