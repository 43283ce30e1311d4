// Writing a profile or log to a file: `gridmeter sim … --export OBIS=FILE`.
//
//   Status ok = export_profile(meter.state().load_profile, "lp.csv", zone);
//
// The format follows the file's extension (docs/cli.md):
//   .csv   a header row naming each column "OBIS:attribute [unit]" (the clock column is
//          "0-0:1.0.0.255:2"), then one row per entry, oldest first; values are decimal with
//          the column's scaler applied ("235.12"), date-times ISO 8601 with their UTC offset,
//          a value not available is an empty field.
//   .json  {"obis", "capture_period_s", "entries_in_use", "profile_entries", "columns": [{"obis",
//          "attribute", "class_id", "name", "unit", "scaler"} or {…, "type": "date-time"}, …],
//          "entries": [[…], …]}, values as numbers (scaler applied) or null, date-times as
//          ISO 8601 strings; one entry a line.
// The clock of each entry is printed with the offset the meter had when it captured it.
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view

#include "core/result.hpp"
#include "core/time_zone.hpp"
#include "meter/profile.hpp"

namespace gridmeter::app {

enum class ExportFormat { csv, json };

// From the extension of `path` (case-insensitive); an error for any other extension.
Result<ExportFormat> export_format_for(std::string_view path);

// The whole file as text. `zone` formats date-time values (maximum demand capture times).
std::string format_profile_csv(const Profile& profile, const TimeZone& zone);
std::string format_profile_json(const Profile& profile, const TimeZone& zone);

// Writes the file (replacing it); errors name the file.
Status export_profile(const Profile& profile, const std::string& path, const TimeZone& zone);

// "OBIS=FILE" of the command line: the profile's OBIS code and the path. The OBIS code must be
// in full or short form, FILE non-empty with a .csv or .json extension.
struct ExportRequest {
  Obis obis;
  std::string path;
};
Result<ExportRequest> parse_export_request(std::string_view text);

// A number with `scaler` applied, exactly: 23512 with scaler -2 is "235.12", 5 with 3 "5000".
std::string format_scaled(std::int64_t value, int scaler);

}  // namespace gridmeter::app
