// Attribute values the time-bound classes share (Script table, Special days table, Activity
// calendar, Single action schedule; IEC 62056-6-2 clause 4.5): COSEM dates and times carried as
// octet-strings (clause 4.1.6.1), names, and the one way a COSEM write reprograms the meter.
//
//   date_octets(cosem_date(CalendarDate{2026, 12, 25}));   // octet-string 07EA0C19FF
//   CalendarDate date;
//   read_calendar_date(value, date);                        // success, type_unmatched or
//                                                           // other_reason
//   MeterConfig config = meter.config();
//   config.billing.day = 5;
//   reprogram(meter, config);                               // validate(), then configure()
//
// Reading a value checks its Blue Book type exactly (type_unmatched otherwise, as the Clock
// does) and then whether the meter can hold it (other_reason otherwise).
#pragma once

#include <array>        // std::array
#include <cstddef>      // std::size_t
#include <cstdint>      // std::int64_t, std::uint8_t
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "dlms/data.hpp"
#include "dlms/xdlms_common.hpp"
#include "meter/activity_calendar.hpp"
#include "meter/meter.hpp"

namespace gridmeter::cosem {

// Octets as an octet-string (an encoded date, time or date-time).
template <std::size_t N>
dlms::Data octet_string(const std::array<std::uint8_t, N>& bytes) {
  return dlms::Data::octets(std::span<const std::uint8_t>(bytes.data(), bytes.size()));
}
dlms::Data text_octets(std::string_view text);

// Calendar, season and week profile names travel as octet-strings. The meter keeps a name of
// at most name_length_max octets of UTF-8: its programming is stored as TOML text, which holds
// nothing else. type_unmatched for another type, other_reason for a name it cannot keep.
dlms::DataAccessResult read_name(const dlms::Data& value, std::string& out);

// A calendar date as a COSEM date: the year or 0xFFFF (every year), month, day, weekday not
// specified.
dlms::CosemDate cosem_date(const CalendarDate& date);
// A COSEM date the calendar can hold: month 1..12 and day 1..31 of a real date, the year
// 1..9999 or 0xFFFF (every year), the weekday not specified or (for a one-off date) that
// date's weekday. Other wildcards and the DST and last-day values name no single day of the
// year: other_reason.
dlms::DataAccessResult read_calendar_date(const dlms::CosemDate& date, CalendarDate& out);
// The same from an octet-string of 5 (type_unmatched for anything else).
dlms::DataAccessResult read_calendar_date(const dlms::Data& value, CalendarDate& out);

// A time of day in whole seconds as a COSEM time (hundredths 0).
dlms::CosemTime cosem_time(int time_of_day_s);
// An octet-string of 4 (type_unmatched otherwise) naming a time of day in whole seconds:
// hour, minute and second specified, hundredths 0 or not specified (other_reason otherwise).
dlms::DataAccessResult read_time_of_day(const dlms::Data& value, int& out_s);

// The elements of a structure of exactly `count` elements, or nullptr (type_unmatched).
const dlms::Data* structure_fields(const dlms::Data& value, std::size_t count);
// The value of an integer of exactly `type`, or false.
bool read_integer(const dlms::Data& value, dlms::DataType type, std::int64_t& out);

// Programs `config` into the meter when it passes MeterConfig::validate() (Meter::configure:
// "parameters changed" and the other events it logs), else changes nothing: other_reason.
dlms::DataAccessResult reprogram(Meter& meter, const MeterConfig& config);

}  // namespace gridmeter::cosem
