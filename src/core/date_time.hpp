// COSEM date-time (IEC 62056-6-2 clause 4.1.6.1: the 12-octet date-time) and ISO 8601 text.
//
//   TimeZone zone = TimeZone::central_europe();
//   CosemDateTime dt = to_cosem(t, zone);                  // local fields, deviation -120 in CEST
//   std::array<std::uint8_t, 12> wire = dt.encode();
//   Result<CosemDateTime> back = CosemDateTime::decode(wire);
//   Result<UtcMicros> instant = from_cosem(*back, zone);
//
//   format_iso8601(t, zone) == "2026-03-29T03:00:00+02:00";
//   Result<UtcMicros> parsed = parse_iso8601("2026-03-29 03:00", zone);   // local time
#pragma once

#include <array>        // std::array
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t, std::uint16_t, std::int16_t
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "core/result.hpp"
#include "core/time.hpp"
#include "core/time_zone.hpp"

namespace gridmeter {

// Which way the deviation field counts. The Blue Book (clause 4.1.6.1) and IDIS use UTC minus
// local time (CET = -60); some national companion specifications use local minus UTC (+60).
enum class DeviationSign { utc_minus_local, local_minus_utc };

// One COSEM date-time; every field may hold its "not specified" wildcard. Fields default to
// "not specified".
struct CosemDateTime {
  static constexpr std::size_t encoded_size = 12;

  static constexpr std::uint16_t year_not_specified = 0xFFFF;
  static constexpr std::uint8_t not_specified = 0xFF;    // month .. hundredths, clock_status
  static constexpr std::uint8_t month_dst_end = 0xFD;    // daylight_savings_end
  static constexpr std::uint8_t month_dst_begin = 0xFE;  // daylight_savings_begin
  static constexpr std::uint8_t day_second_last = 0xFD;  // second last day of the month
  static constexpr std::uint8_t day_last = 0xFE;         // last day of the month
  static constexpr std::int16_t deviation_not_specified = -32768;  // 0x8000
  static constexpr std::int16_t max_deviation_min = 720;

  // clock_status bits (clause 4.1.6.1, table "Clock status"); bits 4..6 are reserved.
  static constexpr std::uint8_t status_invalid = 0x01;
  static constexpr std::uint8_t status_doubtful = 0x02;
  static constexpr std::uint8_t status_different_clock_base = 0x04;
  static constexpr std::uint8_t status_invalid_clock_status = 0x08;
  static constexpr std::uint8_t status_daylight_saving_active = 0x80;

  std::uint16_t year = year_not_specified;
  std::uint8_t month = not_specified;    // 1..12, month_dst_end, month_dst_begin
  std::uint8_t day = not_specified;      // 1..31, day_second_last, day_last
  std::uint8_t weekday = not_specified;  // 1 = Monday .. 7 = Sunday
  std::uint8_t hour = not_specified;
  std::uint8_t minute = not_specified;
  std::uint8_t second = not_specified;
  std::uint8_t hundredths = not_specified;
  std::int16_t deviation = deviation_not_specified;  // minutes, -720..720
  std::uint8_t clock_status = not_specified;

  // Year and deviation big-endian, deviation as two's complement.
  [[nodiscard]] std::array<std::uint8_t, encoded_size> encode() const;
  // Exactly 12 octets; every field must be in range or its wildcard (the error names the
  // field and value). Reserved clock_status bits must be zero unless the octet is 0xFF.
  static Result<CosemDateTime> decode(std::span<const std::uint8_t> bytes);

  friend constexpr bool operator==(const CosemDateTime&, const CosemDateTime&) = default;
};

// Local fields of `time` in `zone`, with weekday, hundredths (truncated), deviation and
// clock_status (daylight_saving_active while DST is in force, otherwise 0). An offset beyond
// +-720 min leaves deviation unspecified; a local year outside 0..65534 leaves the year
// unspecified and sets status_invalid.
CosemDateTime to_cosem(UtcMicros time, const TimeZone& zone,
                       DeviationSign sign = DeviationSign::utc_minus_local);

// The instant a fully specified date-time names. With a deviation, the fields are local time
// at that deviation; without one, local time in `zone` (the daylight_saving_active bit picks
// the occurrence in the autumn overlap when clock_status is specified). Wildcards in year,
// month, day, hour, minute or second are errors; hundredths 0xFF counts as 0; a specified
// weekday must match the date.
Result<UtcMicros> from_cosem(const CosemDateTime& value, const TimeZone& zone,
                             DeviationSign sign = DeviationSign::utc_minus_local);

// "2026-03-29T03:00:00+02:00": local time in `zone` with its offset; ".mmm" only when the
// milliseconds are not zero (finer digits are truncated). Years outside 0..9999 print as
// ISO 8601 expanded years ("+10000", "-0001"), which parse_iso8601 does not read.
std::string format_iso8601(UtcMicros time, const TimeZone& zone);
// "2026-03-29T01:00:00Z", same rules.
std::string format_iso8601_utc(UtcMicros time);

// ISO 8601-1:2019 extended format: "YYYY-MM-DD", or the date, 'T' or ' ', then "hh:mm" or
// "hh:mm:ss" with an optional fraction ".f" (1..6 digits) after the seconds, then an optional
// "Z", "+hh:mm" or "+hhmm" ('-' too). Without that suffix the time is local in
// `zone_for_local` (the daylight occurrence in the autumn overlap; an error in the spring gap).
// Hour 24 and second 60 are rejected.
Result<UtcMicros> parse_iso8601(std::string_view text, const TimeZone& zone_for_local);

}  // namespace gridmeter
