// DLMS `Data` (IEC 62056-6-2 clause 4.1.5 "Common data types"; the Data CHOICE of the Green
// Book): the value every COSEM attribute, method parameter and profile entry travels as.
//
//   Data scaler_unit = Data::structure({Data::integer8(-2), Data::enumeration(30)});
//   scaler_unit.type() == DataType::structure;
//   scaler_unit.elements()[0].as_int64() == -2;          // std::optional<std::int64_t>
//   Data::unsigned32(12345).as_uint64() == 12345U;
//   Data name = Data::octets(Obis{1, 0, 1, 8, 0, 255}.bytes());
//   name.as_obis() == Obis{1, 0, 1, 8, 0, 255};
//   to_text(scaler_unit) == "structure { integer -2, enum 30 }";
//
// A Data is a value: copies are deep, == compares type and contents. Scalars, dates, times and
// strings of up to 15 octets are held inline and never allocate; longer strings and the
// elements of arrays and structures live on the heap. The A-XDR wire form is in dlms/axdr.hpp.
#pragma once

#include <array>             // std::array
#include <cstddef>           // std::size_t
#include <cstdint>           // std::uint8_t, std::int64_t, std::uint64_t, ...
#include <initializer_list>  // std::initializer_list
#include <memory>            // std::unique_ptr
#include <optional>          // std::optional
#include <span>              // std::span
#include <string>            // std::string
#include <string_view>       // std::string_view
#include <utility>           // std::move
#include <variant>           // std::variant
#include <vector>            // std::vector

#include "core/date_time.hpp"
#include "core/obis.hpp"
#include "core/result.hpp"

namespace gridmeter::dlms {

// The CHOICE tags of Data; the enumerator value is the tag on the wire. Names follow the C++
// value they hold where the Green Book's name is a C++ keyword or ambiguous ("long", "unsigned",
// "enum"); type_name() gives the Green Book spelling.
enum class DataType : std::uint8_t {
  null_data = 0,
  array = 1,
  structure = 2,
  boolean = 3,
  bit_string = 4,
  integer32 = 5,   // double-long
  unsigned32 = 6,  // double-long-unsigned
  octet_string = 9,
  visible_string = 10,
  utf8_string = 12,
  bcd = 13,
  integer8 = 15,    // integer
  integer16 = 16,   // long
  unsigned8 = 17,   // unsigned
  unsigned16 = 18,  // long-unsigned
  compact_array = 19,
  integer64 = 20,    // long64
  unsigned64 = 21,   // long64-unsigned
  enumeration = 22,  // enum
  float32 = 23,
  float64 = 24,
  date_time = 25,
  date = 26,
  time = 27,
  dont_care = 255,
};

// The DataType a wire tag names, or nothing for tags DLMS does not define (7, 8, 11, 14,
// 28..254: reserved, or the delta types of newer editions, which this codec does not support).
std::optional<DataType> data_type_from_tag(std::uint8_t tag);

// "long-unsigned", "double-long", "enum", ...: the Green Book's names.
std::string_view type_name(DataType type);

// The 5-octet COSEM date (IEC 62056-6-2 clause 4.1.6.1): the date half of CosemDateTime, with
// the same wildcards and special values.
struct CosemDate {
  static constexpr std::size_t encoded_size = 5;

  std::uint16_t year = CosemDateTime::year_not_specified;
  std::uint8_t month = CosemDateTime::not_specified;    // 1..12, month_dst_end/begin
  std::uint8_t day = CosemDateTime::not_specified;      // 1..31, day_second_last, day_last
  std::uint8_t weekday = CosemDateTime::not_specified;  // 1 = Monday .. 7 = Sunday

  [[nodiscard]] std::array<std::uint8_t, encoded_size> encode() const;
  // Exactly 5 octets, every field in range or its wildcard (the error names the field).
  static Result<CosemDate> decode(std::span<const std::uint8_t> bytes);

  friend constexpr bool operator==(const CosemDate&, const CosemDate&) = default;
};

// The 4-octet COSEM time (IEC 62056-6-2 clause 4.1.6.1): the time-of-day half of CosemDateTime.
struct CosemTime {
  static constexpr std::size_t encoded_size = 4;

  std::uint8_t hour = CosemDateTime::not_specified;  // 0..23
  std::uint8_t minute = CosemDateTime::not_specified;
  std::uint8_t second = CosemDateTime::not_specified;
  std::uint8_t hundredths = CosemDateTime::not_specified;

  [[nodiscard]] std::array<std::uint8_t, encoded_size> encode() const;
  // Exactly 4 octets, every field in range or 0xFF (the error names the field).
  static Result<CosemTime> decode(std::span<const std::uint8_t> bytes);

  friend constexpr bool operator==(const CosemTime&, const CosemTime&) = default;
};

// A bit-string as stored: `bit_count` bits, first bit in the most significant bit of octets[0].
// Padding bits of the last octet are kept as they arrived (they take part in ==).
struct BitStringView {
  std::span<const std::uint8_t> octets;  // (bit_count + 7) / 8 octets
  std::size_t bit_count = 0;

  [[nodiscard]] bool bit(std::size_t index) const;  // index < bit_count
};

// The type of one compact-array element (the Green Book's TypeDescription): a simple type, an
// array of `element_count` elements of `members[0]`, or a structure of `members`. A compact
// array cannot describe another compact array.
//
//   using TD = TypeDescription;
//   TD row = TD::structure({TD::simple(DataType::octet_string),     // capture time
//                           TD::simple(DataType::unsigned32)});     // energy
struct TypeDescription {
  DataType type = DataType::null_data;
  std::uint16_t element_count = 0;       // array only; on the wire as long-unsigned
  std::vector<TypeDescription> members;  // array: the one element type; structure: in order

  static TypeDescription simple(DataType type);  // not array, structure or compact-array
  static TypeDescription array(std::uint16_t element_count, TypeDescription element);
  static TypeDescription structure(std::vector<TypeDescription> members);

  friend bool operator==(const TypeDescription&, const TypeDescription&) = default;
};

class Data;

// The contents of a compact-array: consecutive values of `description`, untagged on the wire.
// The Green Book examples describe a whole array ("array of 5 long-unsigned"), which makes one
// element that is that array; a description of a structure gives one element per row.
struct CompactArray {
  TypeDescription description;
  std::vector<Data> elements;  // each conforms to `description`

  friend bool operator==(const CompactArray& a, const CompactArray& b);
};

class Data {
 public:
  Data() = default;  // null-data

  // ---- Building. Every factory is cheap: scalars are stored inline. ----
  static Data null() { return {}; }
  static Data dont_care();
  static Data boolean(bool value);
  static Data integer8(std::int8_t value);      // integer
  static Data integer16(std::int16_t value);    // long
  static Data integer32(std::int32_t value);    // double-long
  static Data integer64(std::int64_t value);    // long64
  static Data unsigned8(std::uint8_t value);    // unsigned
  static Data unsigned16(std::uint16_t value);  // long-unsigned
  static Data unsigned32(std::uint32_t value);  // double-long-unsigned
  static Data unsigned64(std::uint64_t value);  // long64-unsigned
  static Data enumeration(std::uint8_t value);  // enum
  static Data bcd(std::uint8_t octet);          // one octet of two BCD digits
  static Data float32(float value);
  static Data float64(double value);
  // From the IEEE 754 bits as they travel, so that every NaN payload survives unchanged.
  static Data float32_bits(std::uint32_t bits);
  static Data float64_bits(std::uint64_t bits);
  static Data octets(std::span<const std::uint8_t> bytes);  // octet-string
  static Data octets(std::initializer_list<std::uint8_t> bytes);
  static Data visible_string(std::string_view text);  // ISO 646 characters, not checked
  static Data utf8_string(std::string_view text);     // UTF-8, not checked
  // `octets` must hold exactly (bit_count + 7) / 8 octets (asserted).
  static Data bit_string(std::span<const std::uint8_t> octets, std::size_t bit_count);
  static Data date_time(const CosemDateTime& value);
  static Data date(const CosemDate& value);
  static Data time(const CosemTime& value);
  static Data array(std::vector<Data> elements);  // elements are not checked to share a type
  static Data structure(std::vector<Data> elements);
  // Refused: a description that is compact-array or malformed (an array without exactly one
  // member type, members on a simple type), an element that does not conform, or elements of a
  // description that encodes to no octets at all (null-data, dont-care, empty structures: their
  // count could not be recovered from the contents length).
  static Result<Data> compact_array(TypeDescription description, std::vector<Data> elements);

  // ---- Inspecting. The as_ accessors answer nothing when the type does not fit. ----
  [[nodiscard]] DataType type() const { return type_; }
  [[nodiscard]] bool is_null() const { return type_ == DataType::null_data; }
  [[nodiscard]] std::optional<bool> as_bool() const;
  // integer8..integer64 and unsigned8..unsigned64 whose value fits; not enum, bcd or floats.
  [[nodiscard]] std::optional<std::int64_t> as_int64() const;
  // The same integer types, when the value is not negative.
  [[nodiscard]] std::optional<std::uint64_t> as_uint64() const;
  // float32, float64 and the integer types (integers beyond 2^53 lose precision).
  [[nodiscard]] std::optional<double> as_double() const;
  // The IEEE 754 bits of a float32 (in the low 32 bits) or float64, exactly as they travel:
  // converting a signalling NaN to double would quieten it.
  [[nodiscard]] std::optional<std::uint64_t> float_bits() const;
  [[nodiscard]] std::optional<std::uint8_t> as_enum() const;
  [[nodiscard]] std::optional<std::uint8_t> as_bcd() const;
  // octet-string only.
  [[nodiscard]] std::optional<std::span<const std::uint8_t>> as_octets() const;
  // visible-string and utf8-string.
  [[nodiscard]] std::optional<std::string_view> as_string() const;
  [[nodiscard]] std::optional<BitStringView> as_bit_string() const;
  // An octet-string of exactly 6 octets, as COSEM carries logical names.
  [[nodiscard]] std::optional<Obis> as_obis() const;
  // date-time, or an octet-string of 12 octets: most COSEM attributes (Clock time, profile
  // capture times) carry date-times as octet-strings. The error says why not.
  [[nodiscard]] Result<CosemDateTime> as_date_time() const;
  // date, or an octet-string of 5 octets.
  [[nodiscard]] Result<CosemDate> as_date() const;
  // time, or an octet-string of 4 octets.
  [[nodiscard]] Result<CosemTime> as_time() const;
  // One of the eight integer types (integer .. long64-unsigned; not enum).
  [[nodiscard]] bool is_integer() const;
  // The elements of an array, structure or compact-array; empty for every other type.
  [[nodiscard]] std::span<const Data> elements() const;
  // The compact-array, or nullptr for every other type.
  [[nodiscard]] const CompactArray* as_compact_array() const;

  // Same type and same contents; floats compare by their bits (NaN equals the same NaN, and
  // 0.0 differs from -0.0), so a decoded value always equals its re-decoded encoding.
  friend bool operator==(const Data& a, const Data& b);

 private:
  // A compact-array is rare and large: keeping it behind a pointer keeps every Data small.
  class CompactArrayBox {
   public:
    explicit CompactArrayBox(CompactArray value);
    CompactArrayBox(const CompactArrayBox& other);
    CompactArrayBox(CompactArrayBox&&) noexcept = default;
    CompactArrayBox& operator=(const CompactArrayBox& other);
    CompactArrayBox& operator=(CompactArrayBox&&) noexcept = default;
    ~CompactArrayBox();
    // A moved-from box reads as an empty compact-array rather than crashing.
    [[nodiscard]] const CompactArray& get() const;
    friend bool operator==(const CompactArrayBox& a, const CompactArrayBox& b) {
      return a.get() == b.get();
    }

   private:
    std::unique_ptr<CompactArray> value_;
  };

  // Integers are kept as 64 bits (signed ones sign-extended), floats as their IEEE 754 bits,
  // booleans, enums and BCD as 0..255; the octets of octet-, visible-, utf8- and bit-strings
  // as a std::string, whose small-string buffer keeps OBIS codes and short names inline.
  using Storage = std::variant<std::uint64_t, CosemDateTime, CosemDate, CosemTime, std::string,
                               std::vector<Data>, CompactArrayBox>;

  Data(DataType type, Storage value, std::uint32_t bit_count = 0)
      : type_(type), bit_count_(bit_count), value_(std::move(value)) {}
  [[nodiscard]] std::uint64_t raw() const;

  DataType type_ = DataType::null_data;
  std::uint32_t bit_count_ = 0;  // bit-string only
  Storage value_ = std::uint64_t{0};
};

// Whether `value` has the shape `description` gives (types, array lengths, structure members).
bool conforms(const Data& value, const TypeDescription& description);

enum class TextLayout {
  one_line,  // structure { octet-string 0100010800FF, unsigned 2 }
  indented,  // one element a line, two spaces per level
};

// A readable rendering with the Green Book's type names: `long-unsigned 5`,
// `octet-string 0100010800FF`, `visible-string "ABC"`, `bit-string 1000000001`,
// `date-time 2026-11-25 12:30:00.00 weekday 3 deviation -60 status 0x00` (`*` for a field not
// specified), `compact-array array[3] of unsigned { array { unsigned 1, ... } }`.
std::string to_text(const Data& value, TextLayout layout = TextLayout::one_line);
// `structure { octet-string, array[3] of unsigned }`.
std::string to_text(const TypeDescription& description);

}  // namespace gridmeter::dlms
