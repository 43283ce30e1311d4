// The activity calendar from a TOML file (format: docs/config.md).
//
//   Result<ActivityCalendar> calendar = load_calendar_config("tariffs.toml");
//   if (!calendar) { fmt::print(stderr, "{}\n", calendar.error().message); return 2; }
//   // tariffs.toml:14:12: calendar.day[0].switches[1].tariff: tariff 9 is outside 1..8
//
// Errors name the file, the key path and, where toml++ knows it, line and column: TOML syntax,
// unknown keys, wrong value types, bad dates and times, references to undefined profiles,
// tariffs outside 1..8, and everything ActivityCalendar::validate() refuses. An accepted
// calendar always passes validate().
//
// toml++ is built with exceptions in Debian's shared library (TOML_EXCEPTIONS = 1);
// toml::parse_error is caught inside parse_calendar_config, so no exception leaves it.
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view

#include "core/result.hpp"
#include "meter/activity_calendar.hpp"

namespace gridmeter::app {

// `source_name` (usually the path) prefixes every error message.
Result<ActivityCalendar> parse_calendar_config(std::string_view toml_text,
                                               std::string_view source_name);

// Reads and parses a file (at most 1 MiB); a file that cannot be read is an error naming it.
Result<ActivityCalendar> load_calendar_config(const std::string& path);

}  // namespace gridmeter::app
