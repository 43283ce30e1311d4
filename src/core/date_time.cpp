#include "core/date_time.hpp"

#include <fmt/format.h>

#include <cstdlib>  // std::abs
#include <initializer_list>
#include <optional>  // std::optional

#include "core/civil_time.hpp"

namespace gridmeter {
namespace {

using Cdt = CosemDateTime;

// ---- COSEM field checks (IEC 62056-6-2 clause 4.1.6.1, table "Date and time formats") ----

std::string describe_specials(std::initializer_list<unsigned> specials) {
  std::string text;
  for (unsigned special : specials)
    text += fmt::format(", 0x{:02X}", special);
  return text;
}

Status check_octet(const char* field, unsigned value, unsigned low, unsigned high,
                   std::initializer_list<unsigned> specials) {
  if (value >= low && value <= high) return {};
  for (unsigned special : specials) {
    if (value == special) return {};
  }
  return make_error(fmt::format("COSEM date-time: {} 0x{:02X} ({}) is out of range ({}..{}{})",
                                field, value, value, low, high, describe_specials(specials)));
}

Status check_deviation(std::int16_t deviation) {
  if (deviation == Cdt::deviation_not_specified) return {};
  if (deviation >= -Cdt::max_deviation_min && deviation <= Cdt::max_deviation_min) return {};
  return make_error(fmt::format(
      "COSEM date-time: deviation {} is out of range (-720..720, or 0x8000 = not specified)",
      deviation));
}

Status check_clock_status(std::uint8_t status) {
  constexpr unsigned reserved_bits = 0x70;
  if (status == Cdt::not_specified || (status & reserved_bits) == 0) return {};
  return make_error(
      fmt::format("COSEM date-time: clock_status 0x{:02X} has reserved bits 4..6 set", status));
}

Status check_cosem_fields(const CosemDateTime& v) {
  constexpr unsigned ns = Cdt::not_specified;
  const std::initializer_list<Status> checks = {
      check_octet("month", v.month, 1, 12, {Cdt::month_dst_end, Cdt::month_dst_begin, ns}),
      check_octet("day", v.day, 1, 31, {Cdt::day_second_last, Cdt::day_last, ns}),
      check_octet("weekday", v.weekday, 1, 7, {ns}),
      check_octet("hour", v.hour, 0, 23, {ns}),
      check_octet("minute", v.minute, 0, 59, {ns}),
      check_octet("second", v.second, 0, 59, {ns}),
      check_octet("hundredths", v.hundredths, 0, 99, {ns}),
      check_deviation(v.deviation),
      check_clock_status(v.clock_status),
  };
  for (const Status& check : checks) {
    if (!check) return check;
  }
  return {};
}

// A field that must hold a concrete value to name an instant.
Status require_concrete(const char* field, unsigned value, unsigned low, unsigned high) {
  if (value >= low && value <= high) return {};
  return make_error(fmt::format(
      "COSEM date-time: {} 0x{:02X} is not a concrete value {}..{} (wildcards and special "
      "values do not name an instant)",
      field, value, low, high));
}

Result<CivilTime> concrete_civil(const CosemDateTime& v) {
  const std::initializer_list<Status> checks = {
      require_concrete("year", v.year, 0, 0xFFFE), require_concrete("month", v.month, 1, 12),
      require_concrete("day", v.day, 1, 31),       require_concrete("hour", v.hour, 0, 23),
      require_concrete("minute", v.minute, 0, 59), require_concrete("second", v.second, 0, 59),
  };
  for (const Status& check : checks) {
    if (!check) return check.error();
  }
  if (v.hundredths != Cdt::not_specified && v.hundredths > 99) {
    return make_error(
        fmt::format("COSEM date-time: hundredths {} is out of range 0..99", v.hundredths));
  }
  const int hundredths = v.hundredths == Cdt::not_specified ? 0 : v.hundredths;
  CivilTime local{v.year, v.month, v.day, v.hour, v.minute, v.second, hundredths * 10'000};
  if (Status s = validate_civil_time(local); !s) {
    return make_error("COSEM date-time: " + s.error().message);
  }
  return local;
}

Status check_weekday_matches(const CosemDateTime& v, const CivilTime& local) {
  if (v.weekday == Cdt::not_specified) return {};
  const int expected = weekday_from_days(days_from_civil(local.year, local.month, local.day));
  if (v.weekday == expected) return {};
  return make_error(fmt::format("COSEM date-time: weekday {} does not match {:04}-{:02}-{:02} ({})",
                                v.weekday, local.year, local.month, local.day, expected));
}

std::uint8_t u8(int value) { return static_cast<std::uint8_t>(value); }

// ---- ISO 8601 text ----

std::string format_year(int year) {
  if (year >= 0 && year <= 9999) return fmt::format("{:04}", year);
  // ISO 8601-1:2019 clause 4.3.4 (expanded representations): a sign, then the year.
  return fmt::format("{}{:04}", year < 0 ? '-' : '+', std::abs(static_cast<long long>(year)));
}

std::string format_civil(const CivilTime& c) {
  std::string text = fmt::format("{}-{:02}-{:02}T{:02}:{:02}:{:02}", format_year(c.year), c.month,
                                 c.day, c.hour, c.minute, c.second);
  const int millis = c.microsecond / 1000;
  if (millis != 0) text += fmt::format(".{:03}", millis);
  return text;
}

std::string format_offset(int offset_min) {
  const int magnitude = std::abs(offset_min);
  return fmt::format("{}{:02}:{:02}", offset_min < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads the ISO 8601-1:2019 extended format (clauses 5.2.2 date, 5.3.1 time of day, 5.3.3
// time shift, 5.4.2 combined date and time); the 'T'/space choice follows RFC 3339 5.6.
class Iso8601Parser {
 public:
  explicit Iso8601Parser(std::string_view text) : text_(text) {}

  Result<UtcMicros> parse(const TimeZone& zone) {
    CivilTime civil;
    if (Status s = parse_date(civil); !s) return s.error();
    if (!at_end()) {
      if (!consume('T') && !consume(' ')) return error("expected 'T' or ' ' after the date");
      if (Status s = parse_time(civil); !s) return s.error();
    }
    if (Status s = validate_civil_time(civil); !s) return error(s.error().message);
    if (at_end()) {
      auto local = zone.from_local(civil);
      if (!local) return error(local.error().message);
      return local;
    }
    auto offset = parse_suffix();
    if (!offset) return offset.error();
    return utc_from_civil(civil) - *offset * micros_per_minute;
  }

 private:
  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  bool consume(char c) {
    if (at_end() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  [[nodiscard]] Error error(std::string_view what) const {
    const std::string_view shown = text_.substr(0, 64);
    return make_error(
        fmt::format("ISO 8601 '{}{}': {}", shown, shown.size() < text_.size() ? "..." : "", what));
  }

  // Exactly `count` decimal digits.
  Result<int> digits(std::size_t count, const char* what) {
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (at_end() || !is_digit(text_[pos_])) {
        return error(fmt::format("expected {} digits for the {}", count, what));
      }
      value = value * 10 + (text_[pos_] - '0');
      ++pos_;
    }
    return value;
  }

  Status expect(char c, const char* where) {
    if (consume(c)) return {};
    return error(fmt::format("expected '{}' {}", c, where));
  }

  Status parse_date(CivilTime& civil) {
    auto year = digits(4, "year");
    if (!year) return year.error();
    if (Status s = expect('-', "after the year"); !s) return s;
    auto month = digits(2, "month");
    if (!month) return month.error();
    if (Status s = expect('-', "after the month"); !s) return s;
    auto day = digits(2, "day");
    if (!day) return day.error();
    civil = CivilTime{*year, *month, *day, 0, 0, 0, 0};
    return {};
  }

  Status parse_time(CivilTime& civil) {
    auto hour = digits(2, "hour");
    if (!hour) return hour.error();
    if (Status s = expect(':', "after the hour"); !s) return s;
    auto minute = digits(2, "minute");
    if (!minute) return minute.error();
    civil.hour = *hour;
    civil.minute = *minute;
    if (!consume(':')) return {};
    auto second = digits(2, "second");
    if (!second) return second.error();
    civil.second = *second;
    if (!consume('.')) return {};
    auto micros = parse_fraction();
    if (!micros) return micros.error();
    civil.microsecond = *micros;
    return {};
  }

  // 1..6 digits after the decimal sign, as microseconds.
  Result<int> parse_fraction() {
    int value = 0;
    std::size_t count = 0;
    while (!at_end() && is_digit(text_[pos_])) {
      if (++count > 6) return error("the fraction has more than 6 digits");
      value = value * 10 + (text_[pos_] - '0');
      ++pos_;
    }
    if (count == 0) return error("expected digits after '.'");
    for (; count < 6; ++count) {
      value *= 10;
    }
    return value;
  }

  // "Z", "+hh:mm", "+hhmm" (or '-') then the end of the text: the offset in minutes.
  Result<int> parse_suffix() {
    int offset_min = 0;
    if (!consume('Z')) {
      int sign = 1;
      if (consume('-')) {
        sign = -1;
      } else if (!consume('+')) {
        return error("unexpected text after the time (expected 'Z', '+hh:mm' or '-hh:mm')");
      }
      auto hours = digits(2, "offset hours");
      if (!hours) return hours.error();
      consume(':');  // optional: "+hh:mm" or "+hhmm"
      auto minutes = digits(2, "offset minutes");
      if (!minutes) return minutes.error();
      if (*hours > 23 || *minutes > 59) return error("the offset is out of range (00:00..23:59)");
      offset_min = sign * (*hours * 60 + *minutes);
    }
    if (!at_end()) return error("unexpected text after the time zone designator");
    return offset_min;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::array<std::uint8_t, CosemDateTime::encoded_size> CosemDateTime::encode() const {
  const auto deviation_bits = static_cast<std::uint16_t>(deviation);
  return {u8(year >> 8),
          u8(year & 0xFF),
          month,
          day,
          weekday,
          hour,
          minute,
          second,
          hundredths,
          u8(deviation_bits >> 8),
          u8(deviation_bits & 0xFF),
          clock_status};
}

Result<CosemDateTime> CosemDateTime::decode(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != encoded_size) {
    return make_error(
        fmt::format("COSEM date-time: expected {} octets, got {}", encoded_size, bytes.size()));
  }
  CosemDateTime v;
  v.year = static_cast<std::uint16_t>(bytes[0] << 8 | bytes[1]);
  v.month = bytes[2];
  v.day = bytes[3];
  v.weekday = bytes[4];
  v.hour = bytes[5];
  v.minute = bytes[6];
  v.second = bytes[7];
  v.hundredths = bytes[8];
  v.deviation = static_cast<std::int16_t>(static_cast<std::uint16_t>(bytes[9] << 8 | bytes[10]));
  v.clock_status = bytes[11];
  if (Status s = check_cosem_fields(v); !s) return s.error();
  return v;
}

CosemDateTime to_cosem(UtcMicros time, const TimeZone& zone, DeviationSign sign) {
  const bool dst = zone.dst_active(time);
  const int offset_min = zone.standard_offset_min + (dst ? zone.dst_offset_min : 0);
  const CivilTime local = civil_from_utc(time + offset_min * micros_per_minute);
  CosemDateTime v;
  v.clock_status = dst ? Cdt::status_daylight_saving_active : std::uint8_t{0};
  if (local.year >= 0 && local.year < Cdt::year_not_specified) {
    v.year = static_cast<std::uint16_t>(local.year);
  } else {
    v.clock_status = static_cast<std::uint8_t>(v.clock_status | Cdt::status_invalid);
  }
  v.month = u8(local.month);
  v.day = u8(local.day);
  v.weekday = u8(weekday_from_days(days_from_civil(local.year, local.month, local.day)));
  v.hour = u8(local.hour);
  v.minute = u8(local.minute);
  v.second = u8(local.second);
  v.hundredths = u8(local.microsecond / 10'000);
  if (std::abs(offset_min) <= Cdt::max_deviation_min) {
    const int deviation = sign == DeviationSign::utc_minus_local ? -offset_min : offset_min;
    v.deviation = static_cast<std::int16_t>(deviation);
  }
  return v;
}

Result<UtcMicros> from_cosem(const CosemDateTime& value, const TimeZone& zone, DeviationSign sign) {
  auto local = concrete_civil(value);
  if (!local) return local.error();
  if (Status s = check_weekday_matches(value, *local); !s) return s.error();
  if (value.deviation != Cdt::deviation_not_specified) {
    if (Status s = check_deviation(value.deviation); !s) return s.error();
    // Blue Book convention: deviation = UTC - local, so UTC = local + deviation.
    const int utc_minus_local =
        sign == DeviationSign::utc_minus_local ? value.deviation : -value.deviation;
    return utc_from_civil(*local) + utc_minus_local * micros_per_minute;
  }
  std::optional<bool> dst_hint;
  if (value.clock_status != Cdt::not_specified) {
    dst_hint = (value.clock_status & Cdt::status_daylight_saving_active) != 0;
  }
  auto instant = zone.from_local(*local, dst_hint);
  if (!instant) return make_error("COSEM date-time: " + instant.error().message);
  return instant;
}

std::string format_iso8601(UtcMicros time, const TimeZone& zone) {
  const int offset_min = zone.offset_min(time);
  return format_civil(civil_from_utc(time + offset_min * micros_per_minute)) +
         format_offset(offset_min);
}

std::string format_iso8601_utc(UtcMicros time) { return format_civil(civil_from_utc(time)) + "Z"; }

Result<UtcMicros> parse_iso8601(std::string_view text, const TimeZone& zone_for_local) {
  return Iso8601Parser(text).parse(zone_for_local);
}

}  // namespace gridmeter
