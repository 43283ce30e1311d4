#include "dlms/axdr.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace gridmeter::dlms {
namespace {

using Bytes = std::vector<std::uint8_t>;
using TD = TypeDescription;

// The value must decode from exactly `bytes` and encode back to them.
void expect_wire(const Data& value, const Bytes& bytes) {
  EXPECT_EQ(encode(value), bytes) << to_text(value);
  auto decoded = decode_all(bytes);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, value) << to_text(*decoded) << " vs " << to_text(value);
}

std::string error_of(const Bytes& bytes, const DecodeLimits& limits = {}) {
  auto decoded = decode(bytes, limits);
  if (decoded) return "decoded: " + to_text(decoded->value);
  return decoded.error().message;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- Public examples ----

TEST(Axdr, LongUnsigned) { expect_wire(Data::unsigned16(5), {0x12, 0x00, 0x05}); }

TEST(Axdr, DoubleLongUnsigned) {
  expect_wire(Data::unsigned32(12345), {0x06, 0x00, 0x00, 0x30, 0x39});
}

TEST(Axdr, OctetStringOfALogicalName) {
  // 1-0:1.8.0.255, active energy import.
  expect_wire(Data::octets(Obis{1, 0, 1, 8, 0, 255}.bytes()),
              {0x09, 0x06, 0x01, 0x00, 0x01, 0x08, 0x00, 0xFF});
}

TEST(Axdr, RegisterScalerUnit) {
  // scaler -2, unit 30 (Wh): the register counts in hundredths of a Wh.
  expect_wire(Data::structure({Data::integer8(-2), Data::enumeration(30)}),
              {0x02, 0x02, 0x0F, 0xFE, 0x16, 0x1E});
}

TEST(Axdr, BooleanAndVisibleString) {
  expect_wire(Data::boolean(true), {0x03, 0x01});
  expect_wire(Data::boolean(false), {0x03, 0x00});
  expect_wire(Data::visible_string("ABC"), {0x0A, 0x03, 0x41, 0x42, 0x43});
}

TEST(Axdr, BooleanAcceptsAnyNonZeroOctetAsTrue) {
  auto decoded = decode_all(Bytes{0x03, 0xFF});
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, Data::boolean(true));
  EXPECT_EQ(encode(*decoded), (Bytes{0x03, 0x01}));
}

TEST(Axdr, BitStringCountsBits) {
  const std::array<std::uint8_t, 2> octets{0x80, 0x40};
  expect_wire(Data::bit_string(octets, 10), {0x04, 0x0A, 0x80, 0x40});
  expect_wire(Data::bit_string({}, 0), {0x04, 0x00});
  EXPECT_EQ(to_text(*decode_all(Bytes{0x04, 0x0A, 0x80, 0x40})), "bit-string 1000000001");
}

TEST(Axdr, DateTimeDateAndTime) {
  const Bytes wire{0x19, 0x07, 0xEA, 0x0B, 0x19, 0x03, 0x0C, 0x1E, 0x00, 0x00, 0xFF, 0xC4, 0x00};
  auto decoded = decode_all(wire);
  ASSERT_TRUE(decoded) << decoded.error().message;
  const CosemDateTime value = *decoded->as_date_time();
  EXPECT_EQ(value.year, 2026);
  EXPECT_EQ(value.month, 11);
  EXPECT_EQ(value.day, 25);
  EXPECT_EQ(value.weekday, 3);
  EXPECT_EQ(value.hour, 12);
  EXPECT_EQ(value.minute, 30);
  EXPECT_EQ(value.deviation, -60);
  EXPECT_EQ(value.clock_status, 0);
  expect_wire(Data::date_time(value), wire);
  expect_wire(Data::date(CosemDate{2026, 11, 25, 3}), {0x1A, 0x07, 0xEA, 0x0B, 0x19, 0x03});
  expect_wire(Data::time(CosemTime{12, 30, 0, 0}), {0x1B, 0x0C, 0x1E, 0x00, 0x00});
  expect_wire(Data::date(CosemDate{}), {0x1A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
}

TEST(Axdr, FloatsAreBigEndianIeee754) {
  const Bytes pi32{0x17, 0x40, 0x49, 0x0F, 0xDB};
  auto decoded = decode_all(pi32);
  ASSERT_TRUE(decoded);
  EXPECT_NEAR(*decoded->as_double(), 3.14159, 1e-5);
  expect_wire(Data::float32(3.14159274F), pi32);
  expect_wire(Data::float64(3.141592653589793),
              {0x18, 0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18});
  // NaN payloads survive: the value is kept as its bits.
  expect_wire(Data::float32(std::bit_cast<float>(0x7FC00001U)), {0x17, 0x7F, 0xC0, 0x00, 0x01});
  // Signalling NaNs too (found by fuzz/axdr: widening to double had quietened them).
  const Bytes signalling32{0x17, 0xFF, 0xA4, 0xA4, 0x5E};
  auto decoded32 = decode_all(signalling32);
  ASSERT_TRUE(decoded32);
  EXPECT_EQ(decoded32->float_bits(), 0xFFA4A45EU);
  EXPECT_EQ(encode(*decoded32), signalling32);
  const Bytes signalling64{0x18, 0x7F, 0xF0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01};
  auto decoded64 = decode_all(signalling64);
  ASSERT_TRUE(decoded64);
  EXPECT_EQ(encode(*decoded64), signalling64);
}

TEST(Axdr, IntegersOfEveryWidth) {
  expect_wire(Data::integer8(-128), {0x0F, 0x80});
  expect_wire(Data::integer16(-123), {0x10, 0xFF, 0x85});
  expect_wire(Data::integer32(-2), {0x05, 0xFF, 0xFF, 0xFF, 0xFE});
  expect_wire(Data::integer64(-2), {0x14, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE});
  expect_wire(Data::integer64(std::numeric_limits<std::int64_t>::min()),
              {0x14, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
  expect_wire(Data::unsigned8(255), {0x11, 0xFF});
  expect_wire(Data::unsigned64(0x0102030405060708ULL),
              {0x15, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08});
  expect_wire(Data::enumeration(30), {0x16, 0x1E});
  expect_wire(Data::bcd(0x42), {0x0D, 0x42});
}

TEST(Axdr, NullDontCareAndUtf8) {
  expect_wire(Data::null(), {0x00});
  expect_wire(Data::dont_care(), {0xFF});
  expect_wire(Data::utf8_string("\xC3\xA9"), {0x0C, 0x02, 0xC3, 0xA9});
  expect_wire(Data::octets({}), {0x09, 0x00});
  expect_wire(Data::array({}), {0x01, 0x00});
}

// ---- Lengths ----

TEST(AxdrLength, EncodesTheShortestForm) {
  const auto length_of = [](std::size_t value) {
    Bytes out;
    encode_length(value, out);
    return out;
  };
  EXPECT_EQ(length_of(0), (Bytes{0x00}));
  EXPECT_EQ(length_of(0x7F), (Bytes{0x7F}));
  EXPECT_EQ(length_of(0x80), (Bytes{0x81, 0x80}));
  EXPECT_EQ(length_of(0xFF), (Bytes{0x81, 0xFF}));
  EXPECT_EQ(length_of(0x100), (Bytes{0x82, 0x01, 0x00}));
  EXPECT_EQ(length_of(300), (Bytes{0x82, 0x01, 0x2C}));
  EXPECT_EQ(length_of(0xFFFF), (Bytes{0x82, 0xFF, 0xFF}));
  EXPECT_EQ(length_of(0x10000), (Bytes{0x83, 0x01, 0x00, 0x00}));
  EXPECT_EQ(length_of(0x1000000), (Bytes{0x84, 0x01, 0x00, 0x00, 0x00}));
  EXPECT_EQ(length_of(0xFFFFFFFF), (Bytes{0x84, 0xFF, 0xFF, 0xFF, 0xFF}));
}

TEST(AxdrLength, DecodesLongerFormsAndRefusesOthers) {
  const auto decoded = [](const Bytes& bytes) { return decode_length(bytes); };
  EXPECT_EQ(decoded({0x05})->value, 5U);
  EXPECT_EQ(decoded({0x81, 0x10})->value, 16U);  // not minimal, but meters send it
  EXPECT_EQ(decoded({0x81, 0x10})->used, 2U);
  EXPECT_EQ(decoded({0x82, 0x00, 0x05})->value, 5U);
  EXPECT_EQ(decoded({0x84, 0x00, 0x00, 0x01, 0x00})->value, 256U);
  EXPECT_EQ(decoded({0x84, 0x00, 0x00, 0x01, 0x00})->used, 5U);
  EXPECT_EQ(decoded({0x80}).error().message,
            "A-XDR at offset 0: length form 0x80; A-XDR allows 0x00..0x7F and 0x81..0x84");
  EXPECT_FALSE(decoded({0x85, 0, 0, 0, 0, 1}));
  EXPECT_EQ(decoded({0x82, 0x01}).error().message,
            "A-XDR at offset 0: length 0x82 needs 2 more octets, 1 left");
  EXPECT_FALSE(decoded({}));
}

TEST(AxdrLength, ArrayOf200UsesTheOneOctetLongForm) {
  std::vector<Data> elements;
  Bytes wire{0x01, 0x81, 0xC8};
  for (int i = 0; i < 200; ++i) {
    elements.push_back(Data::unsigned8(static_cast<std::uint8_t>(i)));
    wire.push_back(0x11);
    wire.push_back(static_cast<std::uint8_t>(i));
  }
  expect_wire(Data::array(std::move(elements)), wire);
}

TEST(AxdrLength, OctetStringOf300UsesTheTwoOctetLongForm) {
  Bytes contents(300);
  for (std::size_t i = 0; i < contents.size(); ++i)
    contents[i] = static_cast<std::uint8_t>(i * 7);
  Bytes wire{0x09, 0x82, 0x01, 0x2C};
  wire.insert(wire.end(), contents.begin(), contents.end());
  expect_wire(Data::octets(contents), wire);
}

TEST(AxdrLength, NonMinimalLengthsDecodeAndReencodeMinimal) {
  auto decoded = decode_all(Bytes{0x09, 0x81, 0x03, 0x41, 0x42, 0x43});
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, Data::octets({0x41, 0x42, 0x43}));
  EXPECT_EQ(encode(*decoded), (Bytes{0x09, 0x03, 0x41, 0x42, 0x43}));
  auto structure = decode_all(Bytes{0x02, 0x82, 0x00, 0x01, 0x11, 0x07});
  ASSERT_TRUE(structure);
  EXPECT_EQ(*structure, Data::structure({Data::unsigned8(7)}));
}

// ---- Compact arrays ----

TEST(AxdrCompactArray, ArrayOfThreeUnsigned) {
  // Description array[3] of unsigned (01 0003 11), 3 octets of contents, one element that is
  // the whole array.
  auto value = Data::compact_array(
      TD::array(3, TD::simple(DataType::unsigned8)),
      {Data::array({Data::unsigned8(1), Data::unsigned8(2), Data::unsigned8(3)})});
  ASSERT_TRUE(value);
  expect_wire(*value, {0x13, 0x01, 0x00, 0x03, 0x11, 0x03, 0x01, 0x02, 0x03});
}

TEST(AxdrCompactArray, SimpleDescriptionRepeatsUntilTheContentsEnd) {
  auto value = Data::compact_array(TD::simple(DataType::unsigned16),
                                   {Data::unsigned16(1), Data::unsigned16(2), Data::unsigned16(3)});
  ASSERT_TRUE(value);
  expect_wire(*value, {0x13, 0x12, 0x06, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03});
  auto empty = Data::compact_array(TD::simple(DataType::unsigned16), {});
  ASSERT_TRUE(empty);
  expect_wire(*empty, {0x13, 0x12, 0x00});
}

TEST(AxdrCompactArray, StructureRowsOfAProfile) {
  // Rows of {double-long-unsigned, long-unsigned}: 6 octets each, no tags, no counts.
  const TD row =
      TD::structure({TD::simple(DataType::unsigned32), TD::simple(DataType::unsigned16)});
  auto value =
      Data::compact_array(row, {Data::structure({Data::unsigned32(1), Data::unsigned16(2)}),
                                Data::structure({Data::unsigned32(3), Data::unsigned16(4)})});
  ASSERT_TRUE(value);
  expect_wire(*value, {0x13, 0x02, 0x02, 0x06, 0x12, 0x0C, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00,
                       0x00, 0x00, 0x03, 0x00, 0x04});
}

TEST(AxdrCompactArray, VariableLengthMembersKeepTheirLengths) {
  // {octet-string, unsigned} and {array[2] of long-unsigned, date}
  const TD row =
      TD::structure({TD::simple(DataType::octet_string), TD::simple(DataType::unsigned8)});
  auto value =
      Data::compact_array(row, {Data::structure({Data::octets({0xAB, 0xCD}), Data::unsigned8(5)}),
                                Data::structure({Data::octets({}), Data::unsigned8(6)})});
  ASSERT_TRUE(value);
  expect_wire(*value, {0x13, 0x02, 0x02, 0x09, 0x11, 0x06, 0x02, 0xAB, 0xCD, 0x05, 0x00, 0x06});

  const TD nested =
      TD::structure({TD::array(2, TD::simple(DataType::unsigned16)), TD::simple(DataType::date)});
  auto with_array = Data::compact_array(
      nested, {Data::structure({Data::array({Data::unsigned16(1), Data::unsigned16(2)}),
                                Data::date(CosemDate{2026, 1, 1, 4})})});
  ASSERT_TRUE(with_array);
  expect_wire(*with_array, {0x13, 0x02, 0x02, 0x01, 0x00, 0x02, 0x12, 0x1A, 0x09, 0x00, 0x01, 0x00,
                            0x02, 0x07, 0xEA, 0x01, 0x01, 0x04});
}

TEST(AxdrCompactArray, MalformedContentsAreRefused) {
  // A long-unsigned element running past the 3 octets of contents.
  EXPECT_EQ(error_of({0x13, 0x12, 0x03, 0x00, 0x01, 0x00, 0x05}),
            "A-XDR at offset 5: long-unsigned (tag 0x12) needs 2 octets, 1 left in the "
            "compact-array contents");
  // Contents longer than the input.
  EXPECT_EQ(error_of({0x13, 0x11, 0x05, 0x01}),
            "A-XDR at offset 0: compact-array (tag 0x13) contents of 5 octets, 1 left");
  // null-data elements take no octets: 1 octet of contents cannot be split into them.
  EXPECT_TRUE(contains(error_of({0x13, 0x00, 0x01, 0x00}), "encode to no octets"));
  // Descriptions cannot nest compact-arrays or use unknown tags.
  EXPECT_EQ(error_of({0x13, 0x13, 0x11, 0x00}),
            "A-XDR at offset 1: a compact-array type description cannot hold a compact-array");
  EXPECT_EQ(error_of({0x13, 0x02, 0x01, 0x07, 0x00}),
            "A-XDR at offset 3: unknown tag 0x07 in a type description");
  // A structure description claiming more members than octets left.
  EXPECT_TRUE(contains(error_of({0x13, 0x02, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x11}),
                       "claims 4294967295 members"));
}

// ---- Malformed input ----

TEST(AxdrMalformed, UnknownTagsNameTheirOffset) {
  for (const std::uint8_t tag :
       std::initializer_list<std::uint8_t>{0x07, 0x08, 0x0B, 0x0E, 0x1C, 0x21, 0x80, 0xFE}) {
    EXPECT_EQ(error_of({tag}), fmt::format("A-XDR at offset 0: unknown tag 0x{:02X}", tag));
  }
  EXPECT_EQ(error_of({0x02, 0x02, 0x11, 0x01, 0x07}), "A-XDR at offset 4: unknown tag 0x07");
  EXPECT_EQ(error_of({}), "A-XDR at offset 0: the input ends where a tag was expected");
}

TEST(AxdrMalformed, TruncatedScalarsAndStrings) {
  EXPECT_EQ(error_of({0x12, 0x00}),
            "A-XDR at offset 0: long-unsigned (tag 0x12) needs 2 octets, 1 left");
  EXPECT_EQ(error_of({0x09, 0x06, 0x01, 0x00}),
            "A-XDR at offset 0: octet-string (tag 0x09) needs 6 octets, 2 left");
  EXPECT_EQ(error_of({0x0A}), "A-XDR at offset 1: visible-string (tag 0x0A) has no length, 0 left");
  EXPECT_EQ(error_of({0x19, 0x07, 0xEA, 0x0B, 0x19, 0x03, 0x0C, 0x1E, 0x00, 0x00, 0xFF, 0xC4}),
            "A-XDR at offset 0: date-time (tag 0x19) needs 12 octets, 11 left");
  EXPECT_EQ(error_of({0x01, 0x03, 0x11, 0x01}),
            "A-XDR at offset 0: array (tag 0x01) claims 3 elements, 2 left");
  EXPECT_EQ(error_of({0x01, 0x02, 0x11, 0x01}),
            "A-XDR at offset 4: the input ends where a tag was expected");
}

TEST(AxdrMalformed, DateTimeFieldsAreChecked) {
  const std::string error =
      error_of({0x19, 0x07, 0xEA, 0x0D, 0x19, 0x03, 0x0C, 0x1E, 0x00, 0x00, 0xFF, 0xC4, 0x00});
  EXPECT_TRUE(contains(error, "A-XDR at offset 0: date-time (tag 0x19): COSEM date-time: month"))
      << error;
  EXPECT_TRUE(contains(error_of({0x02, 0x01, 0x1B, 0x18, 0x00, 0x00, 0x00}),
                       "A-XDR at offset 2: time (tag 0x1B): COSEM time: hour"));
}

TEST(AxdrMalformed, OverLongAndIndefiniteLengths) {
  EXPECT_EQ(error_of({0x09, 0x80}),
            "A-XDR at offset 1: octet-string (tag 0x09) has length form 0x80; A-XDR allows "
            "0x00..0x7F and 0x81..0x84");
  EXPECT_TRUE(contains(error_of({0x09, 0x85, 0, 0, 0, 0, 1, 0x41}), "length form 0x85"));
  EXPECT_EQ(error_of({0x09, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x41}),
            "A-XDR at offset 0: octet-string (tag 0x09) of 4294967295 octets is beyond the limit "
            "of 65535");
  EXPECT_EQ(error_of({0x09, 0x82, 0x01}),
            "A-XDR at offset 1: octet-string (tag 0x09) length 0x82 needs 2 more octets, 1 left");
  // A bit-string's length counts bits: 2^32-1 bits is half a gigabyte of octets.
  EXPECT_TRUE(contains(error_of({0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}), "beyond the limit"));
}

TEST(AxdrMalformed, TrailingOctetsOnlyForDecodeAll) {
  const Bytes wire{0x11, 0x01, 0x00};
  auto one = decode(wire);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->used, 2U);
  auto all = decode_all(wire);
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().message, "A-XDR at offset 2: 1 octets follow the value");
}

TEST(AxdrMalformed, NestingBombStopsAtTheDepthLimit) {
  Bytes bomb;
  for (int i = 0; i < 1000; ++i) {
    bomb.push_back(0x01);
    bomb.push_back(0x01);
  }
  bomb.push_back(0x00);
  EXPECT_EQ(error_of(bomb),
            "A-XDR at offset 32: array (tag 0x01) nests deeper than the limit of 16 levels");
  // A caller cannot raise the limit past the ceiling that keeps the stack bounded.
  DecodeLimits deep;
  deep.nesting_depth_max = 100'000;
  EXPECT_EQ(error_of(bomb, deep),
            "A-XDR at offset 128: array (tag 0x01) nests deeper than the limit of 64 levels");
  // Sixteen levels are fine.
  Bytes sixteen;
  for (int i = 0; i < 15; ++i) {
    sixteen.push_back(0x02);
    sixteen.push_back(0x01);
  }
  sixteen.push_back(0x11);
  sixteen.push_back(0x2A);
  EXPECT_TRUE(decode_all(sixteen));
  // Type descriptions nest by the same rule.
  Bytes described{0x13};
  for (int i = 0; i < 20; ++i) {
    described.push_back(0x02);
    described.push_back(0x01);
  }
  described.push_back(0x11);
  described.push_back(0x00);
  EXPECT_TRUE(contains(error_of(described), "nests deeper than the limit of 16 levels"));
}

TEST(AxdrMalformed, HugeCountsWithLittleDataAllocateNothing) {
  // 4 billion elements claimed with one octet behind them: refused before reserving.
  EXPECT_EQ(error_of({0x01, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}),
            "A-XDR at offset 0: array (tag 0x01) claims 4294967295 elements, beyond the limit of "
            "100000");
  EXPECT_EQ(error_of({0x02, 0x83, 0x01, 0x00, 0x00, 0x00}),
            "A-XDR at offset 0: structure (tag 0x02) claims 65536 elements, 1 left");
  // A compact-array description that would expand without octets: 65535 x 65535 null-data
  // in each row, from a 13-octet input. Refused as soon as the description is read.
  EXPECT_EQ(
      error_of({0x13, 0x02, 0x02, 0x01, 0xFF, 0xFF, 0x01, 0xFF, 0xFF, 0x00, 0x11, 0x01, 0x05}),
      "A-XDR at offset 6: type description array[65535] of null-data repeats elements that "
      "encode to no octets");
  // Rows of 65535 x {unsigned, 20 x null-data}: 1.4 million values per row, refused before
  // the first is built.
  Bytes wide{0x13, 0x01, 0xFF, 0xFF, 0x02, 0x15, 0x11};
  wide.insert(wide.end(), 20, 0x00);
  wide.insert(wide.end(), {0x82, 0xFF, 0xFF});
  wide.insert(wide.end(), 0xFFFF, 0x07);
  EXPECT_EQ(error_of(wide),
            "A-XDR at offset 0: compact-array (tag 0x13): one element of array[65535] of "
            "structure { unsigned, null-data, null-data, null-data, null-data, null-data, "
            "null-data, null-data, null-data, null-data, null-data, null-data, null-data, "
            "null-data, null-data, null-data, null-data, null-data, null-data, null-data, "
            "null-data } is 1441771 values, beyond the limit of 1000000 values in one decode");
  // One element wider than all the contents.
  EXPECT_EQ(error_of({0x13, 0x01, 0x00, 0x05, 0x12, 0x03, 0x00, 0x01, 0x00}),
            "A-XDR at offset 0: compact-array (tag 0x13) of array[5] of long-unsigned: one "
            "element takes at least 10 octets, the contents hold 3");
}

TEST(AxdrMalformed, CallerLimitsApply) {
  DecodeLimits small;
  small.total_values_max = 3;
  EXPECT_TRUE(decode(Bytes{0x02, 0x02, 0x11, 0x01, 0x11, 0x02}, small));  // 3 values
  EXPECT_TRUE(contains(error_of({0x02, 0x03, 0x11, 0x01, 0x11, 0x02, 0x11, 0x03}, small),
                       "claims 3 elements, beyond the limit of 3 values"));

  small = DecodeLimits{};
  small.container_elements_max = 2;
  EXPECT_TRUE(contains(error_of({0x01, 0x03, 0x11, 0x01, 0x11, 0x02, 0x11, 0x03}, small),
                       "claims 3 elements, beyond the limit of 2"));
  EXPECT_TRUE(contains(error_of({0x13, 0x11, 0x03, 0x01, 0x02, 0x03}, small),
                       "holds more than the limit of 2 elements"));

  small = DecodeLimits{};
  small.total_values_max = 100;
  Bytes two_hundred{0x13, 0x01, 0x00, 0xC8, 0x11, 0x81, 0xC8};
  two_hundred.insert(two_hundred.end(), 200, 0x01);
  EXPECT_TRUE(decode_all(two_hundred));
  EXPECT_TRUE(contains(error_of(two_hundred, small),
                       "one element of array[200] of unsigned is 201 values, beyond the limit of "
                       "100 values"));

  small = DecodeLimits{};
  small.string_octets_max = 2;
  EXPECT_EQ(error_of({0x0A, 0x03, 0x41, 0x42, 0x43}, small),
            "A-XDR at offset 0: visible-string (tag 0x0A) of 3 octets is beyond the limit of 2");

  small = DecodeLimits{};
  small.nesting_depth_max = 1;
  EXPECT_TRUE(decode(Bytes{0x11, 0x01}, small));
  EXPECT_TRUE(decode(Bytes{0x01, 0x00}, small));  // an empty array nests nothing
  EXPECT_EQ(error_of({0x01, 0x01, 0x11, 0x01}, small),
            "A-XDR at offset 2: unsigned (tag 0x11) nests deeper than the limit of 1 levels");
}

// ---- Random trees: round trip and every truncation ----

class RandomData {
 public:
  explicit RandomData(std::uint32_t seed) : rng_(seed) {}

  Data value(int depth) {
    static constexpr std::array<DataType, 25> types{
        DataType::null_data,     DataType::array,        DataType::structure,
        DataType::boolean,       DataType::bit_string,   DataType::integer32,
        DataType::unsigned32,    DataType::octet_string, DataType::visible_string,
        DataType::utf8_string,   DataType::bcd,          DataType::integer8,
        DataType::integer16,     DataType::unsigned8,    DataType::unsigned16,
        DataType::compact_array, DataType::integer64,    DataType::unsigned64,
        DataType::enumeration,   DataType::float32,      DataType::float64,
        DataType::date_time,     DataType::date,         DataType::time,
        DataType::dont_care};
    DataType type = types[below(types.size())];
    const bool container =
        type == DataType::array || type == DataType::structure || type == DataType::compact_array;
    if (container && depth >= 4) type = DataType::unsigned16;
    switch (type) {
      case DataType::array:
      case DataType::structure: {
        std::vector<Data> elements(count(depth));
        for (Data& element : elements)
          element = value(depth + 1);
        return type == DataType::array ? Data::array(std::move(elements))
                                       : Data::structure(std::move(elements));
      }
      case DataType::compact_array: {
        TD description = described(0);
        std::vector<Data> elements(below(5));
        for (Data& element : elements)
          element = conforming(description);
        auto compact = Data::compact_array(std::move(description), std::move(elements));
        if (!compact) return Data::null();  // a description of nothing but nulls
        return std::move(*compact);
      }
      default:
        return simple(type);
    }
  }

 private:
  std::size_t below(std::size_t bound) {
    return std::uniform_int_distribution<std::size_t>(0, bound - 1)(rng_);
  }
  std::uint64_t bits() { return rng_(); }

  // Mostly short, sometimes past 127 so that long length forms appear (only at the top of a
  // tree, which keeps the trees small).
  std::size_t count(int depth = 0) {
    return depth == 0 && below(10) == 0 ? 128 + below(200) : below(6);
  }

  std::uint8_t field(unsigned low, unsigned high, std::initializer_list<std::uint8_t> specials) {
    if (below(4) == 0) return std::data(specials)[below(specials.size())];
    return static_cast<std::uint8_t>(low + below(high - low + 1));
  }

  std::string octets(std::size_t size) {
    std::string text(size, '\0');
    for (char& c : text)
      c = static_cast<char>(below(256));
    return text;
  }

  Data simple(DataType type) {
    switch (type) {
      case DataType::null_data:
        return Data::null();
      case DataType::dont_care:
        return Data::dont_care();
      case DataType::boolean:
        return Data::boolean(below(2) == 1);
      case DataType::integer8:
        return Data::integer8(static_cast<std::int8_t>(bits()));
      case DataType::integer16:
        return Data::integer16(static_cast<std::int16_t>(bits()));
      case DataType::integer32:
        return Data::integer32(static_cast<std::int32_t>(bits()));
      case DataType::integer64:
        return Data::integer64(static_cast<std::int64_t>(bits() << 32 | bits()));
      case DataType::unsigned8:
        return Data::unsigned8(static_cast<std::uint8_t>(bits()));
      case DataType::unsigned16:
        return Data::unsigned16(static_cast<std::uint16_t>(bits()));
      case DataType::unsigned32:
        return Data::unsigned32(static_cast<std::uint32_t>(bits()));
      case DataType::unsigned64:
        return Data::unsigned64(bits() << 32 | bits());
      case DataType::enumeration:
        return Data::enumeration(static_cast<std::uint8_t>(bits()));
      case DataType::bcd:
        return Data::bcd(static_cast<std::uint8_t>(bits()));
      // Any bit pattern, NaNs included: values compare by their bits.
      case DataType::float32:
        if (below(8) == 0) {  // a signalling NaN, which a trip through double would quieten
          return Data::float32_bits(0xFF800000U | static_cast<std::uint32_t>(1 + below(0x3FFFFF)));
        }
        return Data::float32_bits(static_cast<std::uint32_t>(bits()));
      case DataType::float64:
        return Data::float64_bits(bits() << 32 | bits());
      case DataType::octet_string: {
        const std::string text = octets(count() + (below(20) == 0 ? 200 : 0));
        return Data::octets(
            std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
      }
      case DataType::visible_string:
        return Data::visible_string(octets(count()));
      case DataType::utf8_string:
        return Data::utf8_string(octets(count()));
      case DataType::bit_string: {
        const std::size_t bit_count = below(40);
        const std::string padded = octets((bit_count + 7) / 8);  // padding bits random too
        return Data::bit_string(
            std::span(reinterpret_cast<const std::uint8_t*>(padded.data()), padded.size()),
            bit_count);
      }
      case DataType::date_time: {
        CosemDateTime v;
        v.year = static_cast<std::uint16_t>(below(4) == 0 ? 0xFFFF : below(0xFFFF));
        v.month = field(1, 12, {0xFD, 0xFE, 0xFF});
        v.day = field(1, 31, {0xFD, 0xFE, 0xFF});
        v.weekday = field(1, 7, {0xFF});
        v.hour = field(0, 23, {0xFF});
        v.minute = field(0, 59, {0xFF});
        v.second = field(0, 59, {0xFF});
        v.hundredths = field(0, 99, {0xFF});
        v.deviation = below(4) == 0
                          ? CosemDateTime::deviation_not_specified
                          : static_cast<std::int16_t>(static_cast<int>(below(1441)) - 720);
        v.clock_status =
            below(4) == 0 ? std::uint8_t{0xFF} : static_cast<std::uint8_t>(bits() & 0x8F);
        return Data::date_time(v);
      }
      case DataType::date:
        return Data::date(CosemDate{static_cast<std::uint16_t>(bits()),
                                    field(1, 12, {0xFD, 0xFE, 0xFF}),
                                    field(1, 31, {0xFD, 0xFE, 0xFF}), field(1, 7, {0xFF})});
      case DataType::time:
        return Data::time(CosemTime{field(0, 23, {0xFF}), field(0, 59, {0xFF}),
                                    field(0, 59, {0xFF}), field(0, 99, {0xFF})});
      default:
        return Data::null();
    }
  }

  TD described(int depth) {
    const std::size_t pick = below(depth < 2 ? 8 : 6);
    if (pick == 6) {
      return TD::array(static_cast<std::uint16_t>(below(4)), described(depth + 1));
    }
    if (pick == 7) {
      std::vector<TD> members(below(4));
      for (TD& member : members)
        member = described(depth + 1);
      return TD::structure(std::move(members));
    }
    static constexpr std::array<DataType, 6> simple_types{
        DataType::unsigned32, DataType::octet_string, DataType::date_time,
        DataType::float64,    DataType::bit_string,   DataType::null_data};
    return TD::simple(simple_types[pick]);
  }

  Data conforming(const TD& description) {
    if (description.type == DataType::array || description.type == DataType::structure) {
      const bool is_array = description.type == DataType::array;
      std::vector<Data> elements(is_array ? description.element_count : description.members.size());
      for (std::size_t i = 0; i < elements.size(); ++i)
        elements[i] = conforming(is_array ? description.members[0] : description.members[i]);
      return is_array ? Data::array(std::move(elements)) : Data::structure(std::move(elements));
    }
    return simple(description.type);
  }

  std::mt19937 rng_;
};

TEST(AxdrRandom, EveryTypeRoundTripsByteForByte) {
  std::size_t octets_total = 0;
  for (std::uint32_t seed = 1; seed <= 2000; ++seed) {
    RandomData random(seed);
    const Data value = random.value(0);
    const Bytes wire = encode(value);
    octets_total += wire.size();
    auto decoded = decode_all(wire);
    ASSERT_TRUE(decoded) << "seed " << seed << ": " << decoded.error().message << "\n"
                         << to_text(value, TextLayout::indented);
    ASSERT_EQ(*decoded, value) << "seed " << seed;
    ASSERT_EQ(encode(*decoded), wire) << "seed " << seed;
    const std::string line = to_text(*decoded);
    ASSERT_EQ(line.find('\n'), std::string::npos) << "seed " << seed;
    ASSERT_FALSE(to_text(*decoded, TextLayout::indented).empty());
  }
  EXPECT_GT(octets_total, 50'000U);  // the trees are not trivially small
}

TEST(AxdrRandom, EveryTruncationIsAnError) {
  std::size_t checked = 0;
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    RandomData random(seed);
    const Bytes wire = encode(random.value(0));
    if (wire.size() > 2048) continue;  // each prefix is a decode: keep the quadratic cost small
    ++checked;
    for (std::size_t size = 0; size < wire.size(); ++size) {
      auto decoded = decode(std::span(wire.data(), size));
      ASSERT_FALSE(decoded) << "seed " << seed << ", " << size << " of " << wire.size()
                            << " octets decoded as " << to_text(decoded->value);
      ASSERT_TRUE(contains(decoded.error().message, "A-XDR at offset ")) << decoded.error().message;
    }
  }
  EXPECT_GT(checked, 200U);
}

TEST(AxdrRandom, EveryTruncationOfTheExamplesIsAnError) {
  const std::vector<Bytes> examples{
      {0x02, 0x02, 0x0F, 0xFE, 0x16, 0x1E},
      {0x09, 0x06, 0x01, 0x00, 0x01, 0x08, 0x00, 0xFF},
      {0x04, 0x0A, 0x80, 0x40},
      {0x19, 0x07, 0xEA, 0x0B, 0x19, 0x03, 0x0C, 0x1E, 0x00, 0x00, 0xFF, 0xC4, 0x00},
      {0x13, 0x01, 0x00, 0x03, 0x11, 0x03, 0x01, 0x02, 0x03},
      {0x13, 0x02, 0x02, 0x09, 0x11, 0x06, 0x02, 0xAB, 0xCD, 0x05, 0x00, 0x06},
      {0x09, 0x81, 0x03, 0x41, 0x42, 0x43},
  };
  for (const Bytes& wire : examples) {
    ASSERT_TRUE(decode_all(wire));
    for (std::size_t size = 0; size < wire.size(); ++size)
      EXPECT_FALSE(decode(std::span(wire.data(), size))) << size << " of " << wire.size();
  }
}

}  // namespace
}  // namespace gridmeter::dlms
