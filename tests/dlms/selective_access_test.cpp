// Profile generic selective access: entry_descriptor and range_descriptor built into Data and
// parsed back, their A-XDR bytes, and every validation error.
#include "dlms/selective_access.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "dlms/apdu_test_support.hpp"
#include "dlms/axdr.hpp"

namespace gridmeter::dlms {
namespace {

using apdu_testing::hex;
using apdu_testing::Octets;

const Obis clock_name{0, 0, 1, 0, 0, 255};
const CaptureObjectDefinition clock_time{8, clock_name, 2, 0};
const CaptureObjectDefinition active_import{3, Obis{1, 0, 1, 8, 0, 255}, 2, 0};

std::string error_of(const Data& parameters, std::uint8_t selector) {
  auto parsed = parse_profile_selection(AccessSelection{selector, parameters});
  return parsed ? std::string("(parsed)") : parsed.error().message;
}

Data entry(Data from, Data to, Data from_column, Data to_column) {
  return Data::structure(
      {std::move(from), std::move(to), std::move(from_column), std::move(to_column)});
}

TEST(EntryDescriptor, BuildsBlueBookTypes) {
  const EntryDescriptor entries{
      .from_entry = 5, .to_entry = 0, .from_selected_value = 2, .to_selected_value = 3};
  EXPECT_EQ(encode(entries.to_data()),
            hex("02 04 06 00 00 00 05 06 00 00 00 00 12 00 02 12 00 03"));
  const AccessSelection access = to_access_selection(entries);
  EXPECT_EQ(access.selector, entry_descriptor_selector);
  auto parsed = parse_profile_selection(access);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(std::get<EntryDescriptor>(*parsed), entries);
}

TEST(EntryDescriptor, AcceptsOtherIntegerWidths) {
  // Some clients send long-unsigned entries and unsigned columns.
  auto parsed = EntryDescriptor::from_data(
      entry(Data::unsigned16(1), Data::unsigned16(96), Data::unsigned8(1), Data::integer8(0)));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, (EntryDescriptor{1, 96, 1, 0}));
}

TEST(EntryDescriptor, RefusesInvalidParameters) {
  const Data one = Data::unsigned32(1);
  const Data zero = Data::unsigned32(0);
  const Data column = Data::unsigned16(1);
  const Data last = Data::unsigned16(0);
  EXPECT_EQ(error_of(entry(zero, zero, column, last), 2),
            "entry_descriptor: from_entry is 0; the first is 1");
  EXPECT_EQ(error_of(entry(Data::unsigned32(5), Data::unsigned32(4), column, last), 2),
            "entry_descriptor: to_entry 4 is below from_entry 5");
  EXPECT_EQ(error_of(entry(one, zero, Data::unsigned16(0), last), 2),
            "entry_descriptor: from_selected_value is 0; the first is 1");
  EXPECT_EQ(error_of(entry(one, zero, Data::unsigned16(3), Data::unsigned16(2)), 2),
            "entry_descriptor: to_selected_value 2 is below from_selected_value 3");
  EXPECT_EQ(error_of(entry(one, zero, Data::unsigned32(70000), last), 2),
            "entry_descriptor: from_selected_value: 70000 is outside 0..65535");
  EXPECT_EQ(error_of(entry(Data::integer32(-1), zero, column, last), 2),
            "entry_descriptor: from_entry: -1 is outside 0..4294967295");
  EXPECT_EQ(error_of(entry(Data::enumeration(1), zero, column, last), 2),
            "entry_descriptor: from_entry: expected an integer, found enum");
  EXPECT_EQ(error_of(Data::array({one, zero, column, last}), 2),
            "entry_descriptor: expected a structure, found array");
  EXPECT_EQ(error_of(Data::structure({one, zero, column}), 2),
            "entry_descriptor: expected a structure of 4 elements, found 3");
  EXPECT_EQ(error_of(entry(one, zero, column, last), 3),
            "access selector 3 is neither range_descriptor (1) nor entry_descriptor (2)");
}

TEST(RangeDescriptor, BuildsBlueBookTypes) {
  RangeDescriptor range;
  range.restricting_object = clock_time;
  range.from_value = Data::octets(hex("07 EA 0B 19 03 00 00 00 00 FF C4 00"));
  range.to_value = Data::octets(hex("07 EA 0B 1A 04 00 00 00 00 FF C4 00"));
  range.selected_values = {clock_time, active_import};
  EXPECT_EQ(encode(range.to_data()),
            hex("02 04"
                "  02 04 12 00 08 09 06 00 00 01 00 00 FF 0F 02 12 00 00"
                "  09 0C 07 EA 0B 19 03 00 00 00 00 FF C4 00"
                "  09 0C 07 EA 0B 1A 04 00 00 00 00 FF C4 00"
                "  01 02"
                "    02 04 12 00 08 09 06 00 00 01 00 00 FF 0F 02 12 00 00"
                "    02 04 12 00 03 09 06 01 00 01 08 00 FF 0F 02 12 00 00"));
  const AccessSelection access = to_access_selection(range);
  EXPECT_EQ(access.selector, range_descriptor_selector);
  auto parsed = parse_profile_selection(access);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(std::get<RangeDescriptor>(*parsed), range);
}

TEST(RangeDescriptor, AcceptsDateTimeTypedBounds) {
  RangeDescriptor range;
  range.restricting_object = clock_time;
  CosemDateTime from;
  from.year = 2026;
  range.from_value = Data::date_time(from);
  range.to_value = Data::date_time(CosemDateTime{});
  auto parsed = RangeDescriptor::from_data(range.to_data());
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, range);
}

TEST(RangeDescriptor, RefusesInvalidParameters) {
  const Data bound = Data::octets(hex("07 EA 0B 19 03 00 00 00 00 FF C4 00"));
  const Data none = Data::array({});
  EXPECT_EQ(error_of(Data::structure({clock_time.to_data(), bound, bound}), 1),
            "range_descriptor: expected a structure of 4 elements, found 3");
  const Data short_name = Data::structure(
      {Data::unsigned16(8), Data::octets({0, 0, 1, 0, 0}), Data::integer8(2), Data::unsigned16(0)});
  EXPECT_EQ(
      error_of(Data::structure({short_name, bound, bound, none}), 1),
      "range_descriptor: restricting_object: capture_object_definition: logical_name: expected "
      "an octet-string of 6 octets, found octet-string 0000010000");
  const Data big_attribute = Data::structure({Data::unsigned16(8), Data::octets(clock_name.bytes()),
                                              Data::unsigned8(200), Data::unsigned16(0)});
  EXPECT_EQ(
      error_of(Data::structure({big_attribute, bound, bound, none}), 1),
      "range_descriptor: restricting_object: capture_object_definition: attribute_index: 200 is "
      "outside -128..127");
  EXPECT_EQ(error_of(Data::structure({clock_time.to_data(), Data::structure({}), bound, none}), 1),
            "range_descriptor: from_value and to_value must be simple values, found structure "
            "and octet-string");
  EXPECT_EQ(error_of(Data::structure({clock_time.to_data(), bound, bound, Data::null()}), 1),
            "range_descriptor: selected_values: expected an array, found null-data");
  EXPECT_EQ(error_of(Data::structure({clock_time.to_data(), bound, bound,
                                      Data::array({clock_time.to_data(), Data::unsigned8(1)})}),
                     1),
            "range_descriptor: selected_values element 1: capture_object_definition: expected a "
            "structure, found unsigned");
  EXPECT_EQ(error_of(Data::unsigned8(1), 1),
            "range_descriptor: expected a structure, found unsigned");
}

TEST(CaptureObjectDefinition, RoundTrips) {
  const CaptureObjectDefinition column{4, Obis{1, 0, 1, 6, 0, 255}, 5, 1};
  EXPECT_EQ(encode(column.to_data()), hex("02 04 12 00 04 09 06 01 00 01 06 00 FF 0F 05 12 00 01"));
  auto parsed = CaptureObjectDefinition::from_data(column.to_data());
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, column);
  const CaptureObjectDefinition negative{1, Obis{0, 0, 96, 1, 0, 255}, -1, 0};
  EXPECT_EQ(CaptureObjectDefinition::from_data(negative.to_data()).value(), negative);
}

}  // namespace
}  // namespace gridmeter::dlms
