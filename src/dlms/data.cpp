#include "dlms/data.hpp"

#include <fmt/format.h>

#include <bit>      // std::bit_cast
#include <cassert>  // assert
#include <limits>   // std::numeric_limits
#include <utility>  // std::move

namespace gridmeter::dlms {
namespace {

using Cdt = CosemDateTime;

constexpr std::uint8_t wildcard = Cdt::not_specified;

// ---- Field checks shared by date and time (the ranges of IEC 62056-6-2 clause 4.1.6.1) ----

Status check_field(std::string_view what, std::string_view field, std::uint8_t value, unsigned low,
                   unsigned high, std::initializer_list<unsigned> specials) {
  if (value >= low && value <= high) return {};
  for (unsigned special : specials) {
    if (value == special) return {};
  }
  return make_error(fmt::format("COSEM {}: {} 0x{:02X} ({}) is out of range {}..{}", what, field,
                                value, value, low, high));
}

[[maybe_unused]] bool is_simple(DataType type) {  // for asserts
  return type != DataType::array && type != DataType::structure && type != DataType::compact_array;
}

// Whether a description's values always encode to zero octets (null-data, dont-care, and
// arrays and structures made only of those): a compact-array of them has no countable contents.
bool encodes_to_nothing(const TypeDescription& description) {
  switch (description.type) {
    case DataType::null_data:
    case DataType::dont_care:
      return true;
    case DataType::array:
      return description.element_count == 0 || encodes_to_nothing(description.members[0]);
    case DataType::structure:
      for (const TypeDescription& member : description.members) {
        if (!encodes_to_nothing(member)) return false;
      }
      return true;
    default:
      return false;
  }
}

Status check_description(const TypeDescription& description) {
  switch (description.type) {
    case DataType::compact_array:
      return make_error("compact-array: a type description cannot be compact-array");
    case DataType::array:
      if (description.members.size() != 1) {
        return make_error(fmt::format(
            "compact-array: an array description needs exactly one element type, has {}",
            description.members.size()));
      }
      if (Status s = check_description(description.members[0]); !s) return s;
      // Elements of no octets would let a few octets of description expand into thousands
      // of values; nothing is lost by refusing them, they carry no information.
      if (description.element_count > 0 && encodes_to_nothing(description.members[0])) {
        return make_error(fmt::format("compact-array: {} repeats elements that encode to no octets",
                                      to_text(description)));
      }
      return {};
    case DataType::structure:
      if (description.element_count != 0) {
        return make_error("compact-array: a structure description has no element count");
      }
      for (const TypeDescription& member : description.members) {
        if (Status s = check_description(member); !s) return s;
      }
      return {};
    default:
      if (!description.members.empty() || description.element_count != 0) {
        return make_error(fmt::format("compact-array: the simple type {} has no members",
                                      type_name(description.type)));
      }
      return {};
  }
}

// ---- Text ----

void append_hex(std::string& out, std::span<const std::uint8_t> bytes) {
  static constexpr char digits[] = "0123456789ABCDEF";
  for (std::uint8_t byte : bytes) {
    out.push_back(digits[byte >> 4]);
    out.push_back(digits[byte & 0x0F]);
  }
}

// Quoted, with ", \ and control characters escaped, so the one-line form stays one line.
void append_quoted(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    const auto byte = static_cast<std::uint8_t>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20 || byte == 0x7F) {
      out += fmt::format("\\x{:02X}", byte);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

// A field that may be a wildcard: "*" when not specified, else the number (zero-padded).
std::string field_text(unsigned value, unsigned not_specified, int width) {
  if (value == not_specified) return "*";
  return fmt::format("{:0{}}", value, width);
}

std::string month_text(std::uint8_t month) {
  if (month == Cdt::month_dst_end) return "dst-end";
  if (month == Cdt::month_dst_begin) return "dst-begin";
  return field_text(month, wildcard, 2);
}

std::string day_text(std::uint8_t day) {
  if (day == Cdt::day_second_last) return "second-last";
  if (day == Cdt::day_last) return "last";
  return field_text(day, wildcard, 2);
}

std::string calendar_date_text(std::uint16_t year, std::uint8_t month, std::uint8_t day) {
  return fmt::format("{}-{}-{}", field_text(year, Cdt::year_not_specified, 4), month_text(month),
                     day_text(day));
}

std::string time_text(std::uint8_t hour, std::uint8_t minute, std::uint8_t second,
                      std::uint8_t hundredths) {
  return fmt::format("{}:{}:{}.{}", field_text(hour, wildcard, 2), field_text(minute, wildcard, 2),
                     field_text(second, wildcard, 2), field_text(hundredths, wildcard, 2));
}

std::string date_time_text(const CosemDateTime& v) {
  return fmt::format(
      "{} {} weekday {} deviation {} status {}", calendar_date_text(v.year, v.month, v.day),
      time_text(v.hour, v.minute, v.second, v.hundredths), field_text(v.weekday, wildcard, 1),
      v.deviation == Cdt::deviation_not_specified ? std::string("*")
                                                  : fmt::format("{}", v.deviation),
      v.clock_status == wildcard ? std::string("*") : fmt::format("0x{:02X}", v.clock_status));
}

void append_text(std::string& out, const Data& value, TextLayout layout, int depth);

void append_elements(std::string& out, std::span<const Data> elements, TextLayout layout,
                     int depth) {
  if (elements.empty()) {
    out += "{}";
    return;
  }
  if (layout == TextLayout::one_line) {
    out += "{ ";
    for (std::size_t i = 0; i < elements.size(); ++i) {
      if (i > 0) out += ", ";
      append_text(out, elements[i], layout, depth + 1);
    }
    out += " }";
    return;
  }
  out += "{\n";
  const std::string inner(static_cast<std::size_t>(depth + 1) * 2, ' ');
  for (std::size_t i = 0; i < elements.size(); ++i) {
    out += inner;
    append_text(out, elements[i], layout, depth + 1);
    out += i + 1 < elements.size() ? ",\n" : "\n";
  }
  out += std::string(static_cast<std::size_t>(depth) * 2, ' ');
  out += "}";
}

void append_text(std::string& out, const Data& value, TextLayout layout, int depth) {
  out += type_name(value.type());
  const DataType type = value.type();
  switch (type) {
    case DataType::null_data:
    case DataType::dont_care:
      return;
    case DataType::array:
    case DataType::structure:
      out += ' ';
      append_elements(out, value.elements(), layout, depth);
      return;
    case DataType::compact_array:
      out += ' ';
      out += to_text(value.as_compact_array()->description);
      out += ' ';
      append_elements(out, value.elements(), layout, depth);
      return;
    case DataType::boolean:
      out += *value.as_bool() ? " true" : " false";
      return;
    case DataType::integer8:
    case DataType::integer16:
    case DataType::integer32:
    case DataType::integer64:
      out += fmt::format(" {}", *value.as_int64());
      return;
    case DataType::unsigned8:
    case DataType::unsigned16:
    case DataType::unsigned32:
    case DataType::unsigned64:
      out += fmt::format(" {}", *value.as_uint64());
      return;
    case DataType::enumeration:
      out += fmt::format(" {}", *value.as_enum());
      return;
    case DataType::bcd:
      out += fmt::format(" {:02X}", *value.as_bcd());  // the two digits as they read
      return;
    case DataType::float32:
      out += fmt::format(" {}", static_cast<float>(*value.as_double()));
      return;
    case DataType::float64:
      out += fmt::format(" {}", *value.as_double());
      return;
    case DataType::octet_string: {
      const auto bytes = *value.as_octets();
      if (bytes.empty()) {
        out += " (empty)";
        return;
      }
      out += ' ';
      append_hex(out, bytes);
      return;
    }
    case DataType::visible_string:
    case DataType::utf8_string:
      out += ' ';
      append_quoted(out, *value.as_string());
      return;
    case DataType::bit_string: {
      const BitStringView bits = *value.as_bit_string();
      if (bits.bit_count == 0) {
        out += " (empty)";
        return;
      }
      out += ' ';
      for (std::size_t i = 0; i < bits.bit_count; ++i)
        out.push_back(bits.bit(i) ? '1' : '0');
      return;
    }
    case DataType::date_time:
      out += ' ';
      out += date_time_text(*value.as_date_time());
      return;
    case DataType::date: {
      const CosemDate d = *value.as_date();
      out += ' ';
      out += fmt::format("{} weekday {}", calendar_date_text(d.year, d.month, d.day),
                         field_text(d.weekday, wildcard, 1));
      return;
    }
    case DataType::time: {
      const CosemTime t = *value.as_time();
      out += ' ';
      out += time_text(t.hour, t.minute, t.second, t.hundredths);
      return;
    }
  }
}

}  // namespace

// ---- Types ----

std::optional<DataType> data_type_from_tag(std::uint8_t tag) {
  switch (tag) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 9:
    case 10:
    case 12:
    case 13:
    case 15:
    case 16:
    case 17:
    case 18:
    case 19:
    case 20:
    case 21:
    case 22:
    case 23:
    case 24:
    case 25:
    case 26:
    case 27:
    case 255:
      return static_cast<DataType>(tag);
    default:
      return std::nullopt;
  }
}

std::string_view type_name(DataType type) {
  switch (type) {
    case DataType::null_data:
      return "null-data";
    case DataType::array:
      return "array";
    case DataType::structure:
      return "structure";
    case DataType::boolean:
      return "boolean";
    case DataType::bit_string:
      return "bit-string";
    case DataType::integer32:
      return "double-long";
    case DataType::unsigned32:
      return "double-long-unsigned";
    case DataType::octet_string:
      return "octet-string";
    case DataType::visible_string:
      return "visible-string";
    case DataType::utf8_string:
      return "utf8-string";
    case DataType::bcd:
      return "bcd";
    case DataType::integer8:
      return "integer";
    case DataType::integer16:
      return "long";
    case DataType::unsigned8:
      return "unsigned";
    case DataType::unsigned16:
      return "long-unsigned";
    case DataType::compact_array:
      return "compact-array";
    case DataType::integer64:
      return "long64";
    case DataType::unsigned64:
      return "long64-unsigned";
    case DataType::enumeration:
      return "enum";
    case DataType::float32:
      return "float32";
    case DataType::float64:
      return "float64";
    case DataType::date_time:
      return "date-time";
    case DataType::date:
      return "date";
    case DataType::time:
      return "time";
    case DataType::dont_care:
      return "dont-care";
  }
  return "unknown";
}

// ---- Date and time ----

std::array<std::uint8_t, CosemDate::encoded_size> CosemDate::encode() const {
  return {static_cast<std::uint8_t>(year >> 8), static_cast<std::uint8_t>(year & 0xFF), month, day,
          weekday};
}

Result<CosemDate> CosemDate::decode(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != encoded_size) {
    return make_error(
        fmt::format("COSEM date: expected {} octets, got {}", encoded_size, bytes.size()));
  }
  CosemDate v;
  v.year = static_cast<std::uint16_t>(bytes[0] << 8 | bytes[1]);
  v.month = bytes[2];
  v.day = bytes[3];
  v.weekday = bytes[4];
  const std::initializer_list<Status> checks = {
      check_field("date", "month", v.month, 1, 12,
                  {Cdt::month_dst_end, Cdt::month_dst_begin, wildcard}),
      check_field("date", "day", v.day, 1, 31, {Cdt::day_second_last, Cdt::day_last, wildcard}),
      check_field("date", "weekday", v.weekday, 1, 7, {wildcard}),
  };
  for (const Status& check : checks) {
    if (!check) return check.error();
  }
  return v;
}

std::array<std::uint8_t, CosemTime::encoded_size> CosemTime::encode() const {
  return {hour, minute, second, hundredths};
}

Result<CosemTime> CosemTime::decode(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != encoded_size) {
    return make_error(
        fmt::format("COSEM time: expected {} octets, got {}", encoded_size, bytes.size()));
  }
  const CosemTime v{bytes[0], bytes[1], bytes[2], bytes[3]};
  const std::initializer_list<Status> checks = {
      check_field("time", "hour", v.hour, 0, 23, {wildcard}),
      check_field("time", "minute", v.minute, 0, 59, {wildcard}),
      check_field("time", "second", v.second, 0, 59, {wildcard}),
      check_field("time", "hundredths", v.hundredths, 0, 99, {wildcard}),
  };
  for (const Status& check : checks) {
    if (!check) return check.error();
  }
  return v;
}

bool BitStringView::bit(std::size_t index) const {
  assert(index < bit_count);
  return ((static_cast<unsigned>(octets[index / 8]) >> (7U - index % 8U)) & 1U) != 0;
}

// ---- Type descriptions ----

TypeDescription TypeDescription::simple(DataType type) {
  assert(is_simple(type));
  return TypeDescription{type, 0, {}};
}

TypeDescription TypeDescription::array(std::uint16_t element_count, TypeDescription element) {
  TypeDescription description{DataType::array, element_count, {}};
  description.members.push_back(std::move(element));
  return description;
}

TypeDescription TypeDescription::structure(std::vector<TypeDescription> members) {
  return TypeDescription{DataType::structure, 0, std::move(members)};
}

bool operator==(const CompactArray& a, const CompactArray& b) {
  return a.description == b.description && a.elements == b.elements;
}

bool conforms(const Data& value, const TypeDescription& description) {
  if (value.type() != description.type) return false;
  const std::span<const Data> elements = value.elements();
  switch (description.type) {
    case DataType::array:
      if (description.members.size() != 1 || elements.size() != description.element_count) {
        return false;
      }
      for (const Data& element : elements) {
        if (!conforms(element, description.members[0])) return false;
      }
      return true;
    case DataType::structure:
      if (elements.size() != description.members.size()) return false;
      for (std::size_t i = 0; i < elements.size(); ++i) {
        if (!conforms(elements[i], description.members[i])) return false;
      }
      return true;
    case DataType::compact_array:
      return false;  // never inside a description
    default:
      return true;
  }
}

// ---- Data: building ----

Data::CompactArrayBox::CompactArrayBox(CompactArray value)
    : value_(std::make_unique<CompactArray>(std::move(value))) {}
Data::CompactArrayBox::CompactArrayBox(const CompactArrayBox& other)
    : value_(std::make_unique<CompactArray>(*other.value_)) {}
Data::CompactArrayBox& Data::CompactArrayBox::operator=(const CompactArrayBox& other) {
  if (this != &other) value_ = std::make_unique<CompactArray>(*other.value_);
  return *this;
}
Data::CompactArrayBox::~CompactArrayBox() = default;
const CompactArray& Data::CompactArrayBox::get() const {
  static const CompactArray empty;
  return value_ ? *value_ : empty;
}

Data Data::dont_care() { return {DataType::dont_care, std::uint64_t{0}}; }
Data Data::boolean(bool value) { return {DataType::boolean, std::uint64_t{value ? 1U : 0U}}; }
// Signed values are stored sign-extended, so as_int64 reads them back with one cast.
Data Data::integer8(std::int8_t value) {
  return {DataType::integer8, static_cast<std::uint64_t>(std::int64_t{value})};
}
Data Data::integer16(std::int16_t value) {
  return {DataType::integer16, static_cast<std::uint64_t>(std::int64_t{value})};
}
Data Data::integer32(std::int32_t value) {
  return {DataType::integer32, static_cast<std::uint64_t>(std::int64_t{value})};
}
Data Data::integer64(std::int64_t value) {
  return {DataType::integer64, static_cast<std::uint64_t>(value)};
}
Data Data::unsigned8(std::uint8_t value) { return {DataType::unsigned8, std::uint64_t{value}}; }
Data Data::unsigned16(std::uint16_t value) { return {DataType::unsigned16, std::uint64_t{value}}; }
Data Data::unsigned32(std::uint32_t value) { return {DataType::unsigned32, std::uint64_t{value}}; }
Data Data::unsigned64(std::uint64_t value) { return {DataType::unsigned64, value}; }
Data Data::enumeration(std::uint8_t value) { return {DataType::enumeration, std::uint64_t{value}}; }
Data Data::bcd(std::uint8_t octet) { return {DataType::bcd, std::uint64_t{octet}}; }
Data Data::float32(float value) {
  return {DataType::float32, std::uint64_t{std::bit_cast<std::uint32_t>(value)}};
}
Data Data::float64(double value) {
  return {DataType::float64, std::bit_cast<std::uint64_t>(value)};
}

Data Data::float32_bits(std::uint32_t bits) { return {DataType::float32, std::uint64_t{bits}}; }
Data Data::float64_bits(std::uint64_t bits) { return {DataType::float64, bits}; }

Data Data::octets(std::span<const std::uint8_t> bytes) {
  return {DataType::octet_string, std::string(bytes.begin(), bytes.end())};
}
Data Data::octets(std::initializer_list<std::uint8_t> bytes) {
  return {DataType::octet_string, std::string(bytes.begin(), bytes.end())};
}
Data Data::visible_string(std::string_view text) {
  return {DataType::visible_string, std::string(text)};
}
Data Data::utf8_string(std::string_view text) { return {DataType::utf8_string, std::string(text)}; }
Data Data::bit_string(std::span<const std::uint8_t> octets, std::size_t bit_count) {
  assert(octets.size() == (bit_count + 7) / 8);
  assert(bit_count <= std::numeric_limits<std::uint32_t>::max());
  return {DataType::bit_string, std::string(octets.begin(), octets.end()),
          static_cast<std::uint32_t>(bit_count)};
}
Data Data::date_time(const CosemDateTime& value) { return {DataType::date_time, value}; }
Data Data::date(const CosemDate& value) { return {DataType::date, value}; }
Data Data::time(const CosemTime& value) { return {DataType::time, value}; }
Data Data::array(std::vector<Data> elements) { return {DataType::array, std::move(elements)}; }
Data Data::structure(std::vector<Data> elements) {
  return {DataType::structure, std::move(elements)};
}

Result<Data> Data::compact_array(TypeDescription description, std::vector<Data> elements) {
  if (Status s = check_description(description); !s) return s.error();
  if (!elements.empty() && encodes_to_nothing(description)) {
    return make_error(fmt::format(
        "compact-array: elements of {} encode to no octets, so their count cannot be carried",
        to_text(description)));
  }
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (!conforms(elements[i], description)) {
      return make_error(fmt::format("compact-array: element {} ({}) does not conform to {}", i,
                                    type_name(elements[i].type()), to_text(description)));
    }
  }
  return Data(DataType::compact_array,
              CompactArrayBox(CompactArray{std::move(description), std::move(elements)}));
}

// ---- Data: inspecting ----

bool Data::is_integer() const {
  switch (type_) {
    case DataType::integer8:
    case DataType::integer16:
    case DataType::integer32:
    case DataType::integer64:
    case DataType::unsigned8:
    case DataType::unsigned16:
    case DataType::unsigned32:
    case DataType::unsigned64:
      return true;
    default:
      return false;
  }
}

std::uint64_t Data::raw() const { return std::get<std::uint64_t>(value_); }

std::optional<bool> Data::as_bool() const {
  if (type_ != DataType::boolean) return std::nullopt;
  return raw() != 0;
}

std::optional<std::int64_t> Data::as_int64() const {
  if (!is_integer()) return std::nullopt;
  if (type_ == DataType::unsigned64 && raw() > std::uint64_t{INT64_MAX}) return std::nullopt;
  return static_cast<std::int64_t>(raw());
}

std::optional<std::uint64_t> Data::as_uint64() const {
  if (!is_integer()) return std::nullopt;
  if (type_ == DataType::unsigned64) return raw();
  const auto value = static_cast<std::int64_t>(raw());
  if (value < 0) return std::nullopt;
  return static_cast<std::uint64_t>(value);
}

std::optional<double> Data::as_double() const {
  if (type_ == DataType::float32) {
    return double{std::bit_cast<float>(static_cast<std::uint32_t>(raw()))};
  }
  if (type_ == DataType::float64) return std::bit_cast<double>(raw());
  if (type_ == DataType::unsigned64) return static_cast<double>(raw());
  if (is_integer()) return static_cast<double>(static_cast<std::int64_t>(raw()));
  return std::nullopt;
}

std::optional<std::uint64_t> Data::float_bits() const {
  if (type_ != DataType::float32 && type_ != DataType::float64) return std::nullopt;
  return raw();
}

std::optional<std::uint8_t> Data::as_enum() const {
  if (type_ != DataType::enumeration) return std::nullopt;
  return static_cast<std::uint8_t>(raw());
}

std::optional<std::uint8_t> Data::as_bcd() const {
  if (type_ != DataType::bcd) return std::nullopt;
  return static_cast<std::uint8_t>(raw());
}

std::optional<std::span<const std::uint8_t>> Data::as_octets() const {
  if (type_ != DataType::octet_string) return std::nullopt;
  const std::string& bytes = std::get<std::string>(value_);
  // The string is only a container of octets; unsigned char may alias any object.
  return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                       bytes.size());
}

std::optional<std::string_view> Data::as_string() const {
  if (type_ != DataType::visible_string && type_ != DataType::utf8_string) return std::nullopt;
  return std::string_view(std::get<std::string>(value_));
}

std::optional<BitStringView> Data::as_bit_string() const {
  if (type_ != DataType::bit_string) return std::nullopt;
  const std::string& bytes = std::get<std::string>(value_);
  return BitStringView{std::span<const std::uint8_t>(
                           reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
                       bit_count_};
}

std::optional<Obis> Data::as_obis() const {
  const auto bytes = as_octets();
  if (!bytes || bytes->size() != 6) return std::nullopt;
  return Obis{(*bytes)[0], (*bytes)[1], (*bytes)[2], (*bytes)[3], (*bytes)[4], (*bytes)[5]};
}

Result<CosemDateTime> Data::as_date_time() const {
  if (type_ == DataType::date_time) return std::get<CosemDateTime>(value_);
  if (const auto bytes = as_octets()) return CosemDateTime::decode(*bytes);
  return make_error(fmt::format("expected a date-time, got {}", type_name(type_)));
}

Result<CosemDate> Data::as_date() const {
  if (type_ == DataType::date) return std::get<CosemDate>(value_);
  if (const auto bytes = as_octets()) return CosemDate::decode(*bytes);
  return make_error(fmt::format("expected a date, got {}", type_name(type_)));
}

Result<CosemTime> Data::as_time() const {
  if (type_ == DataType::time) return std::get<CosemTime>(value_);
  if (const auto bytes = as_octets()) return CosemTime::decode(*bytes);
  return make_error(fmt::format("expected a time, got {}", type_name(type_)));
}

std::span<const Data> Data::elements() const {
  if (const auto* elements = std::get_if<std::vector<Data>>(&value_)) return *elements;
  if (const auto* box = std::get_if<CompactArrayBox>(&value_)) return box->get().elements;
  return {};
}

const CompactArray* Data::as_compact_array() const {
  if (const auto* box = std::get_if<CompactArrayBox>(&value_)) return &box->get();
  return nullptr;
}

bool operator==(const Data& a, const Data& b) {
  // Floats are held as their bits, so this compares them bit for bit.
  return a.type_ == b.type_ && a.bit_count_ == b.bit_count_ && a.value_ == b.value_;
}

// ---- Text ----

std::string to_text(const Data& value, TextLayout layout) {
  std::string out;
  append_text(out, value, layout, 0);
  return out;
}

std::string to_text(const TypeDescription& description) {
  switch (description.type) {
    case DataType::array:
      if (description.members.size() != 1) return "array[?]";
      return fmt::format("array[{}] of {}", description.element_count,
                         to_text(description.members[0]));
    case DataType::structure: {
      if (description.members.empty()) return "structure {}";
      std::string out = "structure { ";
      for (std::size_t i = 0; i < description.members.size(); ++i) {
        if (i > 0) out += ", ";
        out += to_text(description.members[i]);
      }
      return out + " }";
    }
    default:
      return std::string(type_name(description.type));
  }
}

}  // namespace gridmeter::dlms
