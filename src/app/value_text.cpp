#include "app/value_text.hpp"

#include <fmt/format.h>

#include <charconv>  // std::from_chars
#include <cmath>     // std::pow
#include <cstdlib>   // std::strtod
#include <limits>    // std::numeric_limits

#include "app/profile_export.hpp"  // format_scaled
#include "core/date_time.hpp"
#include "core/time_zone.hpp"
#include "dlms/axdr.hpp"

namespace gridmeter::app {
namespace {

using dlms::Data;
using dlms::DataType;

bool printable(std::span<const std::uint8_t> octets) {
  if (octets.empty()) return false;
  for (const std::uint8_t octet : octets) {
    if (octet < 0x20 || octet > 0x7E) return false;
  }
  return true;
}

std::string hex(std::span<const std::uint8_t> octets) {
  std::string text;
  text.reserve(octets.size() * 2);
  for (const std::uint8_t octet : octets)
    text += fmt::format("{:02X}", octet);
  return text;
}

std::string scaled_float(double value, int scaler) {
  return fmt::format("{}", value * std::pow(10.0, scaler));
}

Result<std::int64_t> parse_integer_text(std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const char* begin = text.data();
  if (begin != end && *begin == '+') ++begin;
  const auto [stop, error] = std::from_chars(begin, end, value);
  if (error != std::errc{} || stop != end || begin == end) {
    return make_error(fmt::format("\"{}\" is not an integer", text));
  }
  return value;
}

// An integer of `type` from text, checked against the type's range.
Result<Data> integer_of_type(std::string_view text, DataType type) {
  if (type == DataType::unsigned64) {
    std::uint64_t value = 0;
    const auto [stop, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || stop != text.data() + text.size() || text.empty()) {
      return make_error(fmt::format("\"{}\" is not an unsigned integer", text));
    }
    return Data::unsigned64(value);
  }
  auto value = parse_integer_text(text);
  if (!value) return value.error();
  auto in = [&](std::int64_t low, std::int64_t high) { return *value >= low && *value <= high; };
  auto out_of_range = [&](std::string_view name, std::int64_t low, std::int64_t high) {
    return make_error(fmt::format("{} is outside {} ({}..{})", *value, name, low, high));
  };
  switch (type) {
    case DataType::integer8:
      if (!in(-128, 127)) return out_of_range("integer", -128, 127);
      return Data::integer8(static_cast<std::int8_t>(*value));
    case DataType::integer16:
      if (!in(-32768, 32767)) return out_of_range("long", -32768, 32767);
      return Data::integer16(static_cast<std::int16_t>(*value));
    case DataType::integer32:
      if (!in(std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max())) {
        return out_of_range("double-long", std::numeric_limits<std::int32_t>::min(),
                            std::numeric_limits<std::int32_t>::max());
      }
      return Data::integer32(static_cast<std::int32_t>(*value));
    case DataType::integer64:
      return Data::integer64(*value);
    case DataType::unsigned8:
      if (!in(0, 255)) return out_of_range("unsigned", 0, 255);
      return Data::unsigned8(static_cast<std::uint8_t>(*value));
    case DataType::unsigned16:
      if (!in(0, 65535)) return out_of_range("long-unsigned", 0, 65535);
      return Data::unsigned16(static_cast<std::uint16_t>(*value));
    case DataType::unsigned32:
      if (!in(0, 4'294'967'295)) return out_of_range("double-long-unsigned", 0, 4'294'967'295);
      return Data::unsigned32(static_cast<std::uint32_t>(*value));
    case DataType::enumeration:
      if (!in(0, 255)) return out_of_range("enum", 0, 255);
      return Data::enumeration(static_cast<std::uint8_t>(*value));
    default:
      return make_error("not an integer type");
  }
}

Result<Data> boolean_of(std::string_view text) {
  if (text == "true" || text == "1" || text == "on") return Data::boolean(true);
  if (text == "false" || text == "0" || text == "off") return Data::boolean(false);
  return make_error(fmt::format("\"{}\" is not a boolean (true or false)", text));
}

Result<Data> float_of(std::string_view text, bool single) {
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size()) {
    return make_error(fmt::format("\"{}\" is not a number", text));
  }
  return single ? Data::float32(static_cast<float>(value)) : Data::float64(value);
}

// A date-time as the 12 octets of a COSEM clock value, at `deviation` (UTC − local, minutes;
// not specified: UTC). Text without an offset is local time at that deviation.
Result<Data> date_time_octets(std::string_view text, std::int16_t deviation,
                              std::uint8_t clock_status_like) {
  TimeZone zone = TimeZone::utc();
  if (deviation != CosemDateTime::deviation_not_specified) zone.standard_offset_min = -deviation;
  auto instant = parse_iso8601(text, zone);
  if (!instant) return instant.error();
  CosemDateTime fields = to_cosem(*instant, zone);
  // Keep the daylight-saving bit the meter's own value carried at this deviation.
  fields.clock_status = static_cast<std::uint8_t>(
      clock_status_like == CosemDateTime::not_specified
          ? 0
          : clock_status_like & CosemDateTime::status_daylight_saving_active);
  const auto octets = fields.encode();
  return Data::octets(std::span<const std::uint8_t>(octets.data(), octets.size()));
}

std::string structure_text(const Data& value, std::string_view open, std::string_view close) {
  std::string text(open);
  bool first = true;
  for (const Data& element : value.elements()) {
    text += first ? " " : ", ";
    first = false;
    text += display_value(element, 0);
  }
  text += first ? "" : " ";
  text += close;
  return text;
}

}  // namespace

std::optional<std::string> date_time_text(const Data& value) {
  if (value.type() != DataType::date_time &&
      !(value.type() == DataType::octet_string && value.as_octets()->size() == 12)) {
    return std::nullopt;
  }
  auto fields = value.as_date_time();
  if (!fields) return std::nullopt;
  const CosemDateTime& t = *fields;
  if (t.year == CosemDateTime::year_not_specified || t.month < 1 || t.month > 12 || t.day < 1 ||
      t.day > 31 || t.hour > 23 || t.minute > 59 || t.second > 59) {
    return std::nullopt;
  }
  std::string text = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", t.year, t.month, t.day,
                                 t.hour, t.minute, t.second);
  if (t.hundredths != CosemDateTime::not_specified && t.hundredths != 0) {
    text += fmt::format(".{:02}", t.hundredths);
  }
  if (t.deviation != CosemDateTime::deviation_not_specified) {
    const int offset = -t.deviation;  // the deviation is UTC minus local time
    const int magnitude = offset < 0 ? -offset : offset;
    text += offset == 0 ? std::string("Z")
                        : fmt::format("{}{:02}:{:02}", offset < 0 ? '-' : '+', magnitude / 60,
                                      magnitude % 60);
  }
  return text;
}

std::string display_value(const Data& value, int scaler) {
  const DataType type = value.type();
  if (value.is_integer()) {
    if (auto number = value.as_int64()) return format_scaled(*number, scaler);
    return std::to_string(*value.as_uint64());
  }
  switch (type) {
    case DataType::null_data:
      return "null";
    case DataType::boolean:
      return *value.as_bool() ? "true" : "false";
    case DataType::enumeration:
      return std::to_string(*value.as_enum());
    case DataType::float32:
    case DataType::float64:
      return scaled_float(*value.as_double(), scaler);
    case DataType::octet_string: {
      if (auto time = date_time_text(value)) return *time;
      const auto octets = *value.as_octets();
      return printable(octets) ? std::string(octets.begin(), octets.end()) : hex(octets);
    }
    case DataType::visible_string:
    case DataType::utf8_string:
      return std::string(*value.as_string());
    case DataType::date_time:
      if (auto time = date_time_text(value)) return *time;
      return dlms::to_text(value);
    case DataType::structure:
      return structure_text(value, "{", "}");
    case DataType::array:
      return structure_text(value, "[", "]");
    default:
      return dlms::to_text(value);
  }
}

nlohmann::ordered_json json_value(const Data& value, int scaler) {
  const DataType type = value.type();
  if (value.is_integer()) {
    if (auto number = value.as_int64()) {
      if (scaler == 0) return *number;
      // The exact decimal text read back as a double: 235.12, not 235.11999999.
      return std::strtod(format_scaled(*number, scaler).c_str(), nullptr);
    }
    return *value.as_uint64();
  }
  switch (type) {
    case DataType::null_data:
      return nullptr;
    case DataType::boolean:
      return *value.as_bool();
    case DataType::enumeration:
      return *value.as_enum();
    case DataType::float32:
    case DataType::float64:
      return *value.as_double() * std::pow(10.0, scaler);
    case DataType::structure:
    case DataType::array: {
      nlohmann::ordered_json elements = nlohmann::ordered_json::array();
      for (const Data& element : value.elements())
        elements.push_back(json_value(element, 0));
      return elements;
    }
    default:
      return display_value(value, scaler);
  }
}

Result<std::vector<std::uint8_t>> parse_hex(std::string_view text) {
  std::vector<std::uint8_t> octets;
  int high = -1;
  for (const char c : text) {
    if (c == ' ') {
      if (high >= 0) return make_error("hex: a space inside an octet");
      continue;
    }
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0) return make_error(fmt::format("hex: '{}' is not a hex digit", c));
    if (high < 0) {
      high = digit;
    } else {
      octets.push_back(static_cast<std::uint8_t>(high * 16 + digit));
      high = -1;
    }
  }
  if (high >= 0) return make_error("hex: an odd number of digits");
  return octets;
}

Result<Data> parse_typed_value(std::string_view text) {
  const std::size_t colon = text.find(':');
  const std::string_view type = colon == std::string_view::npos ? text : text.substr(0, colon);
  const std::string_view body = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  struct Named {
    std::string_view name;
    DataType type;
  };
  static constexpr std::array<Named, 9> integers{{
      {"integer", DataType::integer8},
      {"long", DataType::integer16},
      {"double-long", DataType::integer32},
      {"long64", DataType::integer64},
      {"unsigned", DataType::unsigned8},
      {"long-unsigned", DataType::unsigned16},
      {"double-long-unsigned", DataType::unsigned32},
      {"long64-unsigned", DataType::unsigned64},
      {"enum", DataType::enumeration},
  }};
  for (const Named& named : integers) {
    if (type == named.name) return integer_of_type(body, named.type);
  }
  if (type == "null") return Data::null();
  if (type == "boolean") return boolean_of(body);
  if (type == "float32") return float_of(body, true);
  if (type == "float64") return float_of(body, false);
  if (type == "string") return Data::visible_string(body);
  if (type == "utf8") return Data::utf8_string(body);
  if (type == "date-time") return date_time_octets(body, 0, 0);
  if (type == "octets") {
    auto octets = parse_hex(body);
    if (!octets) return octets.error();
    return Data::octets(*octets);
  }
  if (type == "axdr") {
    auto octets = parse_hex(body);
    if (!octets) return octets.error();
    auto decoded = dlms::decode_all(*octets);
    if (!decoded) return decoded.error();
    return std::move(*decoded);
  }
  return make_error(fmt::format(
      "\"{}\": a value is TYPE:VALUE with TYPE null, boolean, integer, long, double-long, "
      "long64, unsigned, long-unsigned, double-long-unsigned, long64-unsigned, enum, float32, "
      "float64, octets, string, utf8, date-time or axdr",
      text));
}

Result<Data> parse_value_like(std::string_view text, const Data& like) {
  // An explicit type wins: "long:-30", "axdr:0202...". A date-time's own colons come after a
  // date, never right after a type name.
  const std::size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    const std::string_view prefix = text.substr(0, colon);
    if (prefix.find_first_of("0123456789") == std::string_view::npos) {
      return parse_typed_value(text);
    }
  }
  const DataType type = like.type();
  if (like.is_integer() || type == DataType::enumeration) return integer_of_type(text, type);
  switch (type) {
    case DataType::boolean:
      return boolean_of(text);
    case DataType::float32:
      return float_of(text, true);
    case DataType::float64:
      return float_of(text, false);
    case DataType::visible_string:
      return Data::visible_string(text);
    case DataType::utf8_string:
      return Data::utf8_string(text);
    case DataType::octet_string: {
      if (auto current = like.as_date_time(); current && like.as_octets()->size() == 12) {
        return date_time_octets(text, current->deviation, current->clock_status);
      }
      if (text.starts_with("0x")) {
        auto octets = parse_hex(text.substr(2));
        if (!octets) return octets.error();
        return Data::octets(*octets);
      }
      return Data::octets(std::span<const std::uint8_t>(
          reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    }
    default:
      return make_error(fmt::format(
          "the attribute holds a {}: give the new value as axdr:HEX (its A-XDR encoding) or "
          "TYPE:VALUE",
          dlms::type_name(type)));
  }
}

}  // namespace gridmeter::app
