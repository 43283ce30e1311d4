#include "dlms/data.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

// glibc's mallinfo2 tells the heap bytes in use, which shows whether building a value allocated.
// AddressSanitizer replaces the allocator, so the count is only taken without it.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GRIDMETER_UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define GRIDMETER_UNDER_ASAN 1
#endif
#if defined(__GLIBC__) && !defined(GRIDMETER_UNDER_ASAN)
#include <malloc.h>  // mallinfo2
#define GRIDMETER_COUNT_HEAP 1
#endif

namespace gridmeter::dlms {
namespace {

using TD = TypeDescription;

CosemDateTime example_date_time() {
  // 2026-11-25 (Wednesday) 12:30:00.00, deviation -60, status 0.
  auto value = CosemDateTime::decode(std::array<std::uint8_t, 12>{
      0x07, 0xEA, 0x0B, 0x19, 0x03, 0x0C, 0x1E, 0x00, 0x00, 0xFF, 0xC4, 0x00});
  EXPECT_TRUE(value);
  return *value;
}

// ---- Building and inspecting ----

TEST(DlmsData, DefaultIsNullData) {
  const Data value;
  EXPECT_EQ(value.type(), DataType::null_data);
  EXPECT_TRUE(value.is_null());
  EXPECT_EQ(value, Data::null());
  EXPECT_NE(value, Data::dont_care());
  EXPECT_TRUE(value.elements().empty());
}

TEST(DlmsData, IntegersReadBackThroughTheWideAccessors) {
  EXPECT_EQ(Data::integer8(-2).as_int64(), -2);
  EXPECT_EQ(Data::integer16(-32768).as_int64(), -32768);
  EXPECT_EQ(Data::integer32(-5).as_int64(), -5);
  EXPECT_EQ(Data::integer64(std::numeric_limits<std::int64_t>::min()).as_int64(),
            std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(Data::unsigned8(255).as_uint64(), 255U);
  EXPECT_EQ(Data::unsigned16(5).as_uint64(), 5U);
  EXPECT_EQ(Data::unsigned32(12345).as_int64(), 12345);
  EXPECT_EQ(Data::unsigned64(UINT64_MAX).as_uint64(), UINT64_MAX);

  // Values that do not fit the accessor answer nothing rather than wrap.
  EXPECT_EQ(Data::unsigned64(UINT64_MAX).as_int64(), std::nullopt);
  EXPECT_EQ(Data::integer8(-1).as_uint64(), std::nullopt);
  EXPECT_EQ(Data::integer32(7).as_uint64(), 7U);
}

TEST(DlmsData, AccessorsAnswerNothingForOtherTypes) {
  const Data enumeration = Data::enumeration(30);
  EXPECT_EQ(enumeration.as_enum(), 30);
  EXPECT_EQ(enumeration.as_int64(), std::nullopt);  // an enum is not a number
  EXPECT_EQ(enumeration.as_bool(), std::nullopt);
  EXPECT_EQ(enumeration.as_octets(), std::nullopt);
  EXPECT_EQ(enumeration.as_string(), std::nullopt);
  EXPECT_EQ(enumeration.as_bit_string(), std::nullopt);
  EXPECT_EQ(enumeration.as_compact_array(), nullptr);
  EXPECT_FALSE(enumeration.as_date_time());
  EXPECT_EQ(Data::boolean(true).as_bool(), true);
  EXPECT_EQ(Data::bcd(0x42).as_bcd(), 0x42);
  EXPECT_EQ(Data::bcd(0x42).as_int64(), std::nullopt);
  EXPECT_EQ(Data::visible_string("ABC").as_octets(), std::nullopt);
}

TEST(DlmsData, DoublesFromFloatsAndIntegers) {
  EXPECT_EQ(Data::float32(3.5F).as_double(), 3.5);
  EXPECT_EQ(Data::float64(-0.25).as_double(), -0.25);
  EXPECT_EQ(Data::integer16(-300).as_double(), -300.0);
  EXPECT_EQ(Data::unsigned64(1ULL << 60).as_double(), std::ldexp(1.0, 60));
  EXPECT_EQ(Data::enumeration(1).as_double(), std::nullopt);
}

TEST(DlmsData, OctetsStringsAndObis) {
  const Data name = Data::octets(Obis{1, 0, 1, 8, 0, 255}.bytes());
  ASSERT_TRUE(name.as_octets());
  EXPECT_EQ(std::vector<std::uint8_t>(name.as_octets()->begin(), name.as_octets()->end()),
            (std::vector<std::uint8_t>{1, 0, 1, 8, 0, 255}));
  EXPECT_EQ(name.as_obis(), (Obis{1, 0, 1, 8, 0, 255}));
  EXPECT_EQ(Data::octets({1, 2, 3}).as_obis(), std::nullopt);  // not 6 octets
  EXPECT_EQ(Data::visible_string("ABC").as_string(), "ABC");
  EXPECT_EQ(Data::utf8_string("\xC3\xA9").as_string(), "\xC3\xA9");
  EXPECT_NE(Data::visible_string("A"), Data::utf8_string("A"));
  EXPECT_NE(Data::visible_string("A"), Data::octets({0x41}));
}

TEST(DlmsData, BitStringsKeepTheirBitCount) {
  const std::array<std::uint8_t, 2> octets{0x80, 0x40};
  const Data bits = Data::bit_string(octets, 10);
  const auto view = bits.as_bit_string();
  ASSERT_TRUE(view);
  EXPECT_EQ(view->bit_count, 10U);
  EXPECT_TRUE(view->bit(0));
  EXPECT_FALSE(view->bit(1));
  EXPECT_TRUE(view->bit(9));
  // Same octets, another length: another value.
  EXPECT_NE(bits, Data::bit_string(octets, 11));
  EXPECT_EQ(Data::bit_string({}, 0).as_bit_string()->bit_count, 0U);
}

TEST(DlmsData, DateTimesFromTheirTypeOrFromOctetStrings) {
  const CosemDateTime when = example_date_time();
  auto direct = Data::date_time(when).as_date_time();
  ASSERT_TRUE(direct);
  EXPECT_EQ(*direct, when);
  // Clock.time and profile capture times travel as octet-string(12).
  auto from_octets = Data::octets(when.encode()).as_date_time();
  ASSERT_TRUE(from_octets);
  EXPECT_EQ(*from_octets, when);

  auto short_octets = Data::octets({0x07, 0xEA}).as_date_time();
  ASSERT_FALSE(short_octets);
  EXPECT_NE(short_octets.error().message.find("expected 12 octets, got 2"), std::string::npos);
  auto wrong_type = Data::unsigned8(1).as_date_time();
  ASSERT_FALSE(wrong_type);
  EXPECT_EQ(wrong_type.error().message, "expected a date-time, got unsigned");

  const CosemDate date{2026, 11, 25, 3};
  EXPECT_EQ(*Data::date(date).as_date(), date);
  EXPECT_EQ(*Data::octets(date.encode()).as_date(), date);
  const CosemTime time{12, 30, 0, 0};
  EXPECT_EQ(*Data::time(time).as_time(), time);
  EXPECT_EQ(*Data::octets(time.encode()).as_time(), time);
  EXPECT_FALSE(Data::date(date).as_time());
}

TEST(DlmsData, DateAndTimeDecodeCheckTheirFields) {
  EXPECT_TRUE(CosemDate::decode(std::array<std::uint8_t, 5>{0xFF, 0xFF, 0xFE, 0xFD, 0xFF}));
  EXPECT_TRUE(CosemTime::decode(std::array<std::uint8_t, 4>{0xFF, 0xFF, 0xFF, 0xFF}));
  auto month = CosemDate::decode(std::array<std::uint8_t, 5>{0x07, 0xEA, 13, 1, 1});
  ASSERT_FALSE(month);
  EXPECT_EQ(month.error().message, "COSEM date: month 0x0D (13) is out of range 1..12");
  auto weekday = CosemDate::decode(std::array<std::uint8_t, 5>{0x07, 0xEA, 1, 1, 0});
  ASSERT_FALSE(weekday);
  EXPECT_EQ(weekday.error().message, "COSEM date: weekday 0x00 (0) is out of range 1..7");
  auto hour = CosemTime::decode(std::array<std::uint8_t, 4>{24, 0, 0, 0});
  ASSERT_FALSE(hour);
  EXPECT_EQ(hour.error().message, "COSEM time: hour 0x18 (24) is out of range 0..23");
  EXPECT_FALSE(CosemTime::decode(std::array<std::uint8_t, 4>{0, 0, 0, 100}));
  EXPECT_FALSE(CosemTime::decode(std::array<std::uint8_t, 3>{0, 0, 0}));
  EXPECT_EQ((CosemDate{2026, 11, 25, 3}.encode()),
            (std::array<std::uint8_t, 5>{0x07, 0xEA, 0x0B, 0x19, 0x03}));
}

TEST(DlmsData, ContainersHoldTheirElements) {
  const Data scaler_unit = Data::structure({Data::integer8(-2), Data::enumeration(30)});
  EXPECT_EQ(scaler_unit.type(), DataType::structure);
  ASSERT_EQ(scaler_unit.elements().size(), 2U);
  EXPECT_EQ(scaler_unit.elements()[0].as_int64(), -2);
  EXPECT_EQ(scaler_unit.elements()[1].as_enum(), 30);
  // array and structure with the same elements are different values.
  EXPECT_NE(scaler_unit, Data::array({Data::integer8(-2), Data::enumeration(30)}));
  const Data copy = scaler_unit;  // deep copy
  EXPECT_EQ(copy, scaler_unit);
  EXPECT_NE(copy, Data::structure({Data::integer8(-2), Data::enumeration(27)}));
}

TEST(DlmsData, EqualityIsByTypeAndBits) {
  EXPECT_NE(Data::unsigned8(1), Data::enumeration(1));
  EXPECT_NE(Data::unsigned8(1), Data::unsigned16(1));
  EXPECT_NE(Data::integer8(-1), Data::integer16(-1));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(Data::float64(nan), Data::float64(nan));  // a decoded NaN equals its re-decode
  EXPECT_NE(Data::float64(0.0), Data::float64(-0.0));
  EXPECT_NE(Data::float32(1.0F), Data::float64(1.0));
  EXPECT_NE(Data::bit_string(std::array<std::uint8_t, 1>{0x80}, 1),
            Data::bit_string(std::array<std::uint8_t, 1>{0x81}, 1));  // padding counts
}

// ---- Compact arrays ----

TEST(DlmsData, CompactArrayOfRows) {
  const TD row =
      TD::structure({TD::simple(DataType::unsigned32), TD::simple(DataType::unsigned16)});
  auto compact =
      Data::compact_array(row, {Data::structure({Data::unsigned32(1), Data::unsigned16(2)}),
                                Data::structure({Data::unsigned32(3), Data::unsigned16(4)})});
  ASSERT_TRUE(compact) << compact.error().message;
  EXPECT_EQ(compact->type(), DataType::compact_array);
  ASSERT_NE(compact->as_compact_array(), nullptr);
  EXPECT_EQ(compact->as_compact_array()->description, row);
  EXPECT_EQ(compact->elements().size(), 2U);
  EXPECT_EQ(compact->elements()[1].elements()[0].as_uint64(), 3U);
  const Data copy = *compact;
  EXPECT_EQ(copy, *compact);
}

TEST(DlmsData, CompactArrayRefusesMalformedDescriptionsAndElements) {
  auto nested = Data::compact_array(TD{DataType::compact_array, 0, {}}, {});
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().message, "compact-array: a type description cannot be compact-array");

  EXPECT_FALSE(Data::compact_array(TD{DataType::array, 3, {}}, {}));  // no element type
  EXPECT_FALSE(Data::compact_array(TD{DataType::unsigned8, 2, {}}, {}));

  auto mismatch =
      Data::compact_array(TD::simple(DataType::unsigned8), {Data::unsigned8(1), Data::integer8(2)});
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().message,
            "compact-array: element 1 (integer) does not conform to unsigned");

  auto short_array = Data::compact_array(TD::array(3, TD::simple(DataType::unsigned8)),
                                         {Data::array({Data::unsigned8(1)})});
  EXPECT_FALSE(short_array);

  // Elements that encode to nothing cannot be counted back from the contents length.
  auto nothing = Data::compact_array(TD::simple(DataType::null_data), {Data::null()});
  ASSERT_FALSE(nothing);
  EXPECT_NE(nothing.error().message.find("encode to no octets"), std::string::npos);
  EXPECT_TRUE(Data::compact_array(TD::simple(DataType::null_data), {}));
  // Nor may an array inside the description repeat such elements.
  auto repeated = Data::compact_array(TD::structure({TD::array(2, TD::simple(DataType::null_data)),
                                                     TD::simple(DataType::unsigned8)}),
                                      {});
  ASSERT_FALSE(repeated);
  EXPECT_EQ(repeated.error().message,
            "compact-array: array[2] of null-data repeats elements that encode to no octets");
  EXPECT_TRUE(Data::compact_array(TD::structure({TD::array(0, TD::simple(DataType::null_data)),
                                                 TD::simple(DataType::unsigned8)}),
                                  {Data::structure({Data::array({}), Data::unsigned8(1)})}));
}

TEST(DlmsData, ConformsFollowsTheDescription) {
  const TD description = TD::structure(
      {TD::simple(DataType::octet_string), TD::array(2, TD::simple(DataType::unsigned16))});
  EXPECT_TRUE(conforms(
      Data::structure({Data::octets({1}), Data::array({Data::unsigned16(1), Data::unsigned16(2)})}),
      description));
  EXPECT_FALSE(conforms(Data::structure({Data::octets({1}), Data::array({Data::unsigned16(1)})}),
                        description));
  EXPECT_FALSE(conforms(Data::structure({Data::octets({1})}), description));
  EXPECT_FALSE(conforms(Data::unsigned16(1), description));
}

// ---- Text ----

TEST(DlmsDataText, OneLineUsesGreenBookNames) {
  EXPECT_EQ(to_text(Data::structure({Data::octets({0, 0, 1, 0, 0, 255}), Data::unsigned8(2)})),
            "structure { octet-string 0000010000FF, unsigned 2 }");
  EXPECT_EQ(to_text(Data::structure({Data::integer8(-2), Data::enumeration(30)})),
            "structure { integer -2, enum 30 }");
  EXPECT_EQ(to_text(Data::null()), "null-data");
  EXPECT_EQ(to_text(Data::dont_care()), "dont-care");
  EXPECT_EQ(to_text(Data::boolean(false)), "boolean false");
  EXPECT_EQ(to_text(Data::integer16(-300)), "long -300");
  EXPECT_EQ(to_text(Data::integer32(-5)), "double-long -5");
  EXPECT_EQ(to_text(Data::integer64(-7)), "long64 -7");
  EXPECT_EQ(to_text(Data::unsigned16(5)), "long-unsigned 5");
  EXPECT_EQ(to_text(Data::unsigned32(12345)), "double-long-unsigned 12345");
  EXPECT_EQ(to_text(Data::unsigned64(UINT64_MAX)), "long64-unsigned 18446744073709551615");
  EXPECT_EQ(to_text(Data::bcd(0x42)), "bcd 42");
  EXPECT_EQ(to_text(Data::float32(0.1F)), "float32 0.1");
  EXPECT_EQ(to_text(Data::float64(2.5)), "float64 2.5");
  EXPECT_EQ(to_text(Data::octets({})), "octet-string (empty)");
  EXPECT_EQ(to_text(Data::visible_string("A\"B\\\n")), "visible-string \"A\\\"B\\\\\\x0A\"");
  EXPECT_EQ(to_text(Data::utf8_string("\xC3\xA9")), "utf8-string \"\xC3\xA9\"");
  EXPECT_EQ(to_text(Data::bit_string(std::array<std::uint8_t, 2>{0x80, 0x40}, 10)),
            "bit-string 1000000001");
  EXPECT_EQ(to_text(Data::array({})), "array {}");
}

TEST(DlmsDataText, DatesTimesAndWildcards) {
  EXPECT_EQ(to_text(Data::date_time(example_date_time())),
            "date-time 2026-11-25 12:30:00.00 weekday 3 deviation -60 status 0x00");
  EXPECT_EQ(to_text(Data::date_time(CosemDateTime{})),
            "date-time *-*-* *:*:*.* weekday * deviation * status *");
  EXPECT_EQ(to_text(Data::date(CosemDate{0xFFFF, 0xFE, 0xFE, 7})),
            "date *-dst-begin-last weekday 7");
  EXPECT_EQ(to_text(Data::time(CosemTime{6, 0, 0xFF, 0xFF})), "time 06:00:*.*");
}

TEST(DlmsDataText, CompactArraysShowTheirDescription) {
  auto compact = Data::compact_array(
      TD::array(3, TD::simple(DataType::unsigned8)),
      {Data::array({Data::unsigned8(1), Data::unsigned8(2), Data::unsigned8(3)})});
  ASSERT_TRUE(compact);
  EXPECT_EQ(to_text(*compact),
            "compact-array array[3] of unsigned { array { unsigned 1, unsigned 2, unsigned 3 } }");
  EXPECT_EQ(to_text(TD::structure({TD::simple(DataType::octet_string),
                                   TD::array(2, TD::simple(DataType::unsigned16))})),
            "structure { octet-string, array[2] of long-unsigned }");
  EXPECT_EQ(to_text(TD::structure({})), "structure {}");
}

TEST(DlmsDataText, IndentedPutsOneElementALine) {
  const Data entry =
      Data::array({Data::structure({Data::unsigned16(1), Data::array({})}), Data::boolean(true)});
  EXPECT_EQ(to_text(entry, TextLayout::indented),
            "array {\n"
            "  structure {\n"
            "    long-unsigned 1,\n"
            "    array {}\n"
            "  },\n"
            "  boolean true\n"
            "}");
}

// ---- Cost ----

TEST(DlmsData, StaysSmall) {
  // Every array element is one Data: keep it at six words (libstdc++, 64-bit).
  EXPECT_LE(sizeof(Data), 48U);
}

TEST(DlmsData, ScalarsAndShortStringsDoNotAllocate) {
#if defined(GRIDMETER_COUNT_HEAP)
  const std::array<std::uint8_t, 6> logical_name{1, 0, 1, 8, 0, 255};
  const std::size_t in_use_before = mallinfo2().uordblks;
  const std::array<Data, 12> values{Data::unsigned16(5),
                                    Data::integer64(-1),
                                    Data::float64(1.5),
                                    Data::boolean(true),
                                    Data::enumeration(30),
                                    Data::date_time(example_date_time()),
                                    Data::date(CosemDate{}),
                                    Data::time(CosemTime{}),
                                    Data::octets(logical_name),
                                    Data::visible_string("meter-0042"),
                                    Data::bit_string(logical_name, 48),
                                    Data::dont_care()};
  const std::size_t in_use_after = mallinfo2().uordblks;
  EXPECT_EQ(in_use_after, in_use_before);
  EXPECT_EQ(values[8].as_obis(), Obis::from_bytes(logical_name));
#else
  GTEST_SKIP() << "needs glibc's allocator (not under a sanitizer)";
#endif
}

}  // namespace
}  // namespace gridmeter::dlms
