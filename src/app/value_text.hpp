// DLMS values as a person reads and writes them on the command line (`gridmeter read`):
// numbers with their register's scaler applied, date-times in ISO 8601 with their offset,
// octet-strings as text when they are printable and as hex otherwise.
//
//   display_value(Data::unsigned32(23512), -2)          == "235.12"
//   display_value(Data::octets(clock_octets), 0)        == "2026-01-07T10:15:00+01:00"
//   display_value(Data::octets({'G','R','D'}), 0)        == "GRD"
//   parse_value_like("2026-03-10T12:00:00+01:00", current)   // an octet-string(12) date-time
//   parse_typed_value("long:-30")                        == Data::integer16(-30)
#pragma once

#include <nlohmann/json.hpp>

#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "core/result.hpp"
#include "dlms/data.hpp"

namespace gridmeter::app {

// A date-time in ISO 8601 when `value` is one (a date-time, or an octet-string of 12 octets
// that decodes as one, with every field specified); the offset is the deviation's, absent when
// the deviation is not specified.
std::optional<std::string> date_time_text(const dlms::Data& value);

// One line for a table. Integers take `scaler`; structures and arrays are shown in the
// Green Book's words (dlms::to_text) with their octet-strings decoded as above.
std::string display_value(const dlms::Data& value, int scaler);
// The same for JSON: numbers as numbers (scaled), strings as strings, structures and arrays as
// arrays, null-data as null.
nlohmann::ordered_json json_value(const dlms::Data& value, int scaler);

// A new value for an attribute whose current value is `like`: the text is read as that type
// (an integer in range, true/false, an ISO 8601 date-time for a 12-octet clock value, hex or
// text for other octet-strings, ...). A TYPE:VALUE literal (parse_typed_value) overrides.
Result<dlms::Data> parse_value_like(std::string_view text, const dlms::Data& like);

// TYPE:VALUE with TYPE one of: null, boolean, integer, long, double-long, long64, unsigned,
// long-unsigned, double-long-unsigned, long64-unsigned, enum, float32, float64, octets (hex),
// string (visible-string), utf8, date-time (ISO 8601, as an octet-string of 12), axdr (the
// whole value as A-XDR hex, for structures and arrays).
Result<dlms::Data> parse_typed_value(std::string_view text);

// Hex digits, spaces allowed between octets ("0A 0B", "0a0b"); an odd count or other
// characters are an error.
Result<std::vector<std::uint8_t>> parse_hex(std::string_view text);

}  // namespace gridmeter::app
