#include "cosem/calendar_values.hpp"

#include <optional>  // std::optional

#include "core/civil_time.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using dlms::DataAccessResult;

constexpr std::uint8_t wildcard = CosemDateTime::not_specified;
constexpr int seconds_per_hour = 3'600;
constexpr int seconds_per_minute = 60;

// Well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF): what a TOML
// string may hold.
bool valid_utf8(std::span<const std::uint8_t> bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const std::uint8_t lead = bytes[i];
    std::size_t extra = 0;
    std::uint32_t code = 0;
    std::uint32_t lowest = 0;
    if (lead < 0x80U) {
      ++i;
      continue;
    }
    if ((lead & 0xE0U) == 0xC0U) {
      extra = 1;
      code = lead & 0x1FU;
      lowest = 0x80U;
    } else if ((lead & 0xF0U) == 0xE0U) {
      extra = 2;
      code = lead & 0x0FU;
      lowest = 0x800U;
    } else if ((lead & 0xF8U) == 0xF0U) {
      extra = 3;
      code = lead & 0x07U;
      lowest = 0x10000U;
    } else {
      return false;
    }
    if (i + extra >= bytes.size()) return false;  // cut short
    for (std::size_t k = 1; k <= extra; ++k) {
      const std::uint8_t next = bytes[i + k];
      if ((next & 0xC0U) != 0x80U) return false;
      code = code << 6U | (next & 0x3FU);
    }
    if (code < lowest || code > 0x10FFFFU || (code >= 0xD800U && code <= 0xDFFFU)) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace

Data text_octets(std::string_view text) {
  return Data::octets(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

DataAccessResult read_name(const Data& value, std::string& out) {
  const auto octets = value.as_octets();
  if (!octets) return DataAccessResult::type_unmatched;
  if (octets->size() > name_length_max || !valid_utf8(*octets)) {
    return DataAccessResult::other_reason;
  }
  out.assign(reinterpret_cast<const char*>(octets->data()), octets->size());
  return DataAccessResult::success;
}

dlms::CosemDate cosem_date(const CalendarDate& date) {
  dlms::CosemDate value;
  value.year =
      date.recurring() ? CosemDateTime::year_not_specified : static_cast<std::uint16_t>(date.year);
  value.month = static_cast<std::uint8_t>(date.month);
  value.day = static_cast<std::uint8_t>(date.day);
  return value;  // weekday not specified
}

DataAccessResult read_calendar_date(const dlms::CosemDate& date, CalendarDate& out) {
  // The calendar's dates are one day of the year, every year or once: the month and the day
  // must be given (no "every month", no DST months, no "last day of the month").
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > 31) {
    return DataAccessResult::other_reason;
  }
  CalendarDate parsed{date.year == CosemDateTime::year_not_specified
                          ? CalendarDate::year_not_specified
                          : int{date.year},
                      date.month, date.day};
  if (!validate_calendar_date(parsed)) return DataAccessResult::other_reason;
  if (date.weekday != wildcard) {
    // "Every 25 December that is a Monday" is not a day the calendar can hold; a weekday on a
    // one-off date is only a check that client and meter agree on it.
    if (parsed.recurring()) return DataAccessResult::other_reason;
    if (weekday_from_days(days_from_civil(parsed.year, parsed.month, parsed.day)) != date.weekday) {
      return DataAccessResult::other_reason;
    }
  }
  out = parsed;
  return DataAccessResult::success;
}

DataAccessResult read_calendar_date(const Data& value, CalendarDate& out) {
  const auto octets = value.as_octets();
  if (!octets || octets->size() != dlms::CosemDate::encoded_size) {
    return DataAccessResult::type_unmatched;
  }
  const Result<dlms::CosemDate> date = dlms::CosemDate::decode(*octets);
  if (!date) return DataAccessResult::other_reason;
  return read_calendar_date(*date, out);
}

dlms::CosemTime cosem_time(int time_of_day_s) {
  return dlms::CosemTime{static_cast<std::uint8_t>(time_of_day_s / seconds_per_hour),
                         static_cast<std::uint8_t>(time_of_day_s / seconds_per_minute % 60),
                         static_cast<std::uint8_t>(time_of_day_s % seconds_per_minute), 0};
}

DataAccessResult read_time_of_day(const Data& value, int& out_s) {
  const auto octets = value.as_octets();
  if (!octets || octets->size() != dlms::CosemTime::encoded_size) {
    return DataAccessResult::type_unmatched;
  }
  const Result<dlms::CosemTime> time = dlms::CosemTime::decode(*octets);
  if (!time) return DataAccessResult::other_reason;
  // The meter switches on whole seconds; a wildcard names no single time of the day.
  if (time->hour == wildcard || time->minute == wildcard || time->second == wildcard ||
      (time->hundredths != 0 && time->hundredths != wildcard)) {
    return DataAccessResult::other_reason;
  }
  out_s = time->hour * seconds_per_hour + time->minute * seconds_per_minute + time->second;
  return DataAccessResult::success;
}

const Data* structure_fields(const Data& value, std::size_t count) {
  if (value.type() != dlms::DataType::structure || value.elements().size() != count) {
    return nullptr;
  }
  return value.elements().data();
}

bool read_integer(const Data& value, dlms::DataType type, std::int64_t& out) {
  if (value.type() != type) return false;
  const auto integer = type == dlms::DataType::enumeration
                           ? std::optional<std::int64_t>(value.as_enum())
                           : value.as_int64();
  if (!integer) return false;
  out = *integer;
  return true;
}

DataAccessResult reprogram(Meter& meter, const MeterConfig& config) {
  if (!config.validate()) return DataAccessResult::other_reason;
  meter.configure(config);
  return DataAccessResult::success;
}

}  // namespace gridmeter::cosem
