// Values as `gridmeter read` prints them and reads them back from its command line.
#include "app/value_text.hpp"

#include <gtest/gtest.h>

#include "app/cosem_reference.hpp"
#include "app/read_profile.hpp"

namespace gridmeter::app {
namespace {

using dlms::Data;

Data clock_value(std::int16_t deviation, std::uint8_t status) {
  CosemDateTime t;
  t.year = 2026;
  t.month = 1;
  t.day = 7;
  t.weekday = 3;
  t.hour = 10;
  t.minute = 15;
  t.second = 0;
  t.hundredths = 0;
  t.deviation = deviation;
  t.clock_status = status;
  const auto octets = t.encode();
  return Data::octets(std::span<const std::uint8_t>(octets.data(), octets.size()));
}

TEST(ValueText, NumbersTakeTheirScaler) {
  EXPECT_EQ(display_value(Data::unsigned32(23512), -2), "235.12");
  EXPECT_EQ(display_value(Data::integer16(-5), -3), "-0.005");
  EXPECT_EQ(display_value(Data::unsigned16(5), 3), "5000");
  EXPECT_EQ(display_value(Data::unsigned64(18'446'744'073'709'551'615U), 0),
            "18446744073709551615");
  EXPECT_EQ(json_value(Data::unsigned32(23512), -2).dump(), "235.12");
  EXPECT_EQ(json_value(Data::unsigned32(23512), 0).dump(), "23512");
}

TEST(ValueText, DateTimesTextAndHex) {
  EXPECT_EQ(display_value(clock_value(-60, 0), 0), "2026-01-07T10:15:00+01:00");
  EXPECT_EQ(display_value(clock_value(-120, 0x80), 0), "2026-01-07T10:15:00+02:00");
  EXPECT_EQ(display_value(clock_value(0, 0), 0), "2026-01-07T10:15:00Z");
  EXPECT_EQ(display_value(clock_value(CosemDateTime::deviation_not_specified, 0), 0),
            "2026-01-07T10:15:00");
  EXPECT_EQ(display_value(Data::octets({'G', 'R', 'D'}), 0), "GRD");
  EXPECT_EQ(display_value(Data::octets({0, 0, 1, 0, 0, 0xFF}), 0), "0000010000FF");
  EXPECT_EQ(display_value(Data::structure({Data::integer8(-2), Data::enumeration(30)}), 0),
            "{ -2, 30 }");
  EXPECT_EQ(display_value(Data::array({}), 0), "[]");
  EXPECT_EQ(json_value(Data::structure({Data::integer8(-2), Data::null()}), 0).dump(), "[-2,null]");
}

TEST(ValueText, ANewValueIsReadAsTheCurrentOnesType) {
  EXPECT_EQ(*parse_value_like("300", Data::unsigned16(0)), Data::unsigned16(300));
  EXPECT_EQ(parse_value_like("70000", Data::unsigned16(0)).error().message,
            "70000 is outside long-unsigned (0..65535)");
  EXPECT_EQ(parse_value_like("x", Data::integer8(0)).error().message, "\"x\" is not an integer");
  EXPECT_EQ(*parse_value_like("false", Data::boolean(true)), Data::boolean(false));
  EXPECT_EQ(*parse_value_like("7", Data::enumeration(1)), Data::enumeration(7));
  // A clock value: ISO 8601 at the meter's own deviation, with or without an offset.
  EXPECT_EQ(*parse_value_like("2026-01-07T10:15:00", clock_value(-60, 0)), clock_value(-60, 0));
  EXPECT_EQ(*parse_value_like("2026-01-07T09:15:00Z", clock_value(-60, 0)), clock_value(-60, 0));
  EXPECT_EQ(*parse_value_like("0x0A0B", Data::octets({1})), Data::octets({0x0A, 0x0B}));
  EXPECT_EQ(*parse_value_like("abc", Data::octets({1})), Data::octets({'a', 'b', 'c'}));
  EXPECT_EQ(parse_value_like("1", Data::structure({})).error().message,
            "the attribute holds a structure: give the new value as axdr:HEX (its A-XDR "
            "encoding) or TYPE:VALUE");
}

TEST(ValueText, TypedLiterals) {
  EXPECT_EQ(*parse_typed_value("long:-30"), Data::integer16(-30));
  EXPECT_EQ(*parse_typed_value("double-long-unsigned:4294967295"), Data::unsigned32(4294967295U));
  EXPECT_EQ(*parse_typed_value("octets:0A 0B"), Data::octets({0x0A, 0x0B}));
  EXPECT_EQ(*parse_typed_value("axdr:0202 1101 120002"),
            Data::structure({Data::unsigned8(1), Data::unsigned16(2)}));
  EXPECT_EQ(*parse_typed_value("null"), Data::null());
  EXPECT_EQ(*parse_value_like("long:5", Data::unsigned8(0)), Data::integer16(5));
  EXPECT_EQ(parse_typed_value("octets:ABC").error().message, "hex: an odd number of digits");
  EXPECT_EQ(parse_typed_value("axdr:07").error().message, "A-XDR at offset 0: unknown tag 0x07");
  EXPECT_EQ(parse_typed_value("word:1").error().message.substr(0, 40),
            "\"word:1\": a value is TYPE:VALUE with TYP");
}

TEST(CosemReference, AttributesSetsAndActions) {
  EXPECT_EQ(*parse_attribute_reference("1-0:1.8.0.255"),
            (AttributeReference{Obis{1, 0, 1, 8, 0, 255}, 2}));
  EXPECT_EQ(*parse_attribute_reference("1-0:1.8.0"),
            (AttributeReference{Obis{1, 0, 1, 8, 0, 255}, 2}));
  EXPECT_EQ(*parse_attribute_reference("0-0:1.0.0.255:3"),
            (AttributeReference{Obis{0, 0, 1, 0, 0, 255}, 3}));
  EXPECT_EQ(*parse_attribute_reference("1.8.0:3"),
            (AttributeReference{Obis{1, 0, 1, 8, 0, 255}, 3}));
  EXPECT_EQ(parse_attribute_reference("0-0:1.0.0.255:0").error().message,
            "attribute \"0-0:1.0.0.255:0\": index 0 is not 1..127");
  EXPECT_FALSE(parse_attribute_reference(""));
  EXPECT_FALSE(parse_attribute_reference("banana"));
  auto set = parse_set_request("0-0:1.0.0.255:2=2026-03-10T12:00:00+01:00");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->attribute, (AttributeReference{Obis{0, 0, 1, 0, 0, 255}, 2}));
  EXPECT_EQ(set->value, "2026-03-10T12:00:00+01:00");
  EXPECT_EQ(parse_set_request("0-0:1.0.0.255=1").error().message,
            "--set \"0-0:1.0.0.255\": give the index after the OBIS code (OBIS:N)");
  EXPECT_EQ(parse_set_request("0-0:1.0.0.255:2").error().message,
            "--set \"0-0:1.0.0.255:2\": expected OBIS:ATTR=VALUE");
  auto action = parse_action_request("0-0:1.0.0.255:6=long:-30");
  ASSERT_TRUE(action);
  EXPECT_EQ(action->method.index, 6);
  EXPECT_EQ(action->argument, "long:-30");
  EXPECT_FALSE(parse_action_request("0-0:1.0.0.255:6")->argument);
  EXPECT_EQ(guess_class_id(Obis{1, 0, 1, 8, 0, 255}), 3);
  EXPECT_EQ(guess_class_id(Obis{1, 0, 1, 6, 0, 255}), 4);
  EXPECT_EQ(guess_class_id(Obis{1, 0, 1, 4, 0, 255}), 5);
  EXPECT_EQ(guess_class_id(Obis{1, 0, 99, 1, 0, 255}), 7);
  EXPECT_EQ(guess_class_id(Obis{0, 0, 1, 0, 0, 255}), 8);
  EXPECT_EQ(guess_class_id(Obis{0, 0, 96, 1, 0, 255}), 1);
}

TEST(ReadProfile, EntryRanges) {
  EXPECT_EQ(*parse_entry_range("1:96"), (std::pair<std::uint32_t, std::uint32_t>{1, 96}));
  EXPECT_EQ(*parse_entry_range("5:0"), (std::pair<std::uint32_t, std::uint32_t>{5, 0}));
  EXPECT_EQ(*parse_entry_range("7"), (std::pair<std::uint32_t, std::uint32_t>{7, 7}));
  for (const char* bad : {"0:5", "5:3", "a:b", ":", "1:", "-1:2"}) {
    EXPECT_FALSE(parse_entry_range(bad)) << bad;
  }
}

}  // namespace
}  // namespace gridmeter::app
