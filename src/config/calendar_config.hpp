// The calendar sections of the meter config file, [tariffs], [calendar] and [passive]
// (docs/config.md): read from a parsed TOML document and written back as TOML text, plus the
// TOML reading helpers the whole file shares. Internal to the config file reader
// (meter_config_file.cpp); everything else uses meter_config_file.hpp.
//
//   Result<toml::table> root = parse_toml(text, "meter.toml");
//   Result<ActivityCalendar> calendar = read_calendar_config(*root, "meter.toml");
//   // meter.toml:14:12: calendar.day[0].switches[1].tariff: tariff 9 is outside 1..8
//   std::string tables = format_calendar_config(*calendar);   // reads back equal
//
// toml++ is built with exceptions in Debian's shared library (TOML_EXCEPTIONS = 1);
// toml::parse_error is caught inside parse_toml, so no exception leaves these functions.
#pragma once

#include <toml++/toml.h>

#include <cstdint>           // std::int64_t
#include <initializer_list>  // std::initializer_list
#include <string>            // std::string
#include <string_view>       // std::string_view

#include "core/result.hpp"
#include "core/time.hpp"
#include "meter/activity_calendar.hpp"

namespace gridmeter::config {

// Reads values out of a TOML document with errors that name the file, the line and column
// where toml++ knows them, and the key path:
//   meter.toml:4:41: calendar.day[0].switches[0].tariff: expected an integer, found a string
class TomlReader {
 public:
  // `source_name` (usually the path) must outlive the reader.
  explicit TomlReader(std::string_view source_name) : source_name_(source_name) {}

  [[nodiscard]] std::string_view source_name() const { return source_name_; }

  // "file:line:col: path: message", or "file: path: message" when toml++ has no position.
  [[nodiscard]] Error error_at(const toml::node& node, std::string_view path,
                               std::string_view message) const;
  // "expected <expected>, found a string".
  [[nodiscard]] Error wrong_type(const toml::node& node, std::string_view path,
                                 std::string_view expected) const;
  // The first key of `table` not in `allowed` is an error naming it and listing `allowed`.
  Status check_keys(const toml::table& table, std::string_view path,
                    std::initializer_list<std::string_view> allowed) const;
  Status expect_table(const toml::node& node, std::string_view path,
                      const toml::table*& table) const;
  Status read_string(const toml::node& node, std::string_view path, std::string& out) const;
  Status read_bool(const toml::node& node, std::string_view path, bool& out) const;
  Status read_integer(const toml::node& node, std::string_view path, std::int64_t& out) const;
  // An ISO 8601 date-time with a UTC offset, as text or a TOML offset date-time: an offset is
  // required, so that the instant does not depend on the meter's zone.
  Status read_instant(const toml::node& node, std::string_view path, UtcMicros& out) const;

 private:
  std::string_view source_name_;
};

// "path.key", or "key" for the empty (root) path.
std::string member_path(std::string_view path, std::string_view key);

// TOML 1.0 text to a document; a syntax error names file:line:col.
Result<toml::table> parse_toml(std::string_view toml_text, std::string_view source_name);

// The calendar of [tariffs], [calendar] and [passive] in `root` (other keys are the caller's
// to check). Without [calendar] the default calendar (ActivityCalendar::default_calendar());
// [tariffs] or [passive] without [calendar] is an error, as the default applies whole. Errors
// cover unknown keys, wrong value types, bad dates and times, references to undefined
// profiles, tariffs outside 1..8, and everything ActivityCalendar::validate() refuses: an
// accepted calendar always passes validate().
Result<ActivityCalendar> read_calendar_config(const toml::table& root,
                                              std::string_view source_name);

// The calendar as [tariffs] (named tariffs only), [calendar] and [passive] (when not empty)
// tables, with the activation as "…Z" UTC text. read_calendar_config reads it back equal for
// every calendar it returns (and the default): a calendar that passes validate(), with named
// profiles and day ids numbered by first appearance of their names (the active calendar's
// days first), and special days indexed 1, 2, … in order. Other calendars come back with
// their day ids and special-day indexes renumbered (and unnamed profiles are refused).
std::string format_calendar_config(const ActivityCalendar& calendar);

// "2026-06-30T22:00:00Z", with a fraction (trailing zeros dropped) for sub-second instants:
// the text read_instant reads back.
std::string format_utc_instant(UtcMicros time);

// A TOML basic string: quoted, with '"', '\\' and control characters escaped.
std::string toml_string(std::string_view text);

}  // namespace gridmeter::config
