// GET service APDUs: the clock example byte for byte, selective access, block transfer, lists,
// and malformed input.
#include "dlms/get.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <variant>
#include <vector>

#include "dlms/apdu_test_support.hpp"
#include "dlms/axdr.hpp"
#include "dlms/selective_access.hpp"

namespace gridmeter::dlms {
namespace {

using apdu_testing::expect_exact;
using apdu_testing::expect_only_whole;
using apdu_testing::hex;
using apdu_testing::Octets;

const Obis clock_name{0, 0, 1, 0, 0, 255};
const Obis load_profile{1, 0, 99, 1, 0, 255};

// GET of the clock's time (class 8, 0-0:1.0.0.255, attribute 2), no selective access.
const Octets clock_request = hex("C0 01 C1  00 08  00 00 01 00 00 FF  02  00");
// Its answer: data, an octet-string of 12: 2026-11-25 (Wednesday) 12:30:00.00, deviation -60.
const Octets clock_response = hex("C4 01 C1 00  09 0C 07 EA 0B 19 03 0C 1E 00 00 FF C4 00");
// Load profile entries 1..10, all columns (access selector 2, entry_descriptor).
const Octets entry_request =
    hex("C0 01 C1  00 07  01 00 63 01 00 FF  02  01 02"
        "  02 04  06 00 00 00 01  06 00 00 00 0A  12 00 01  12 00 00");
// Load profile from 2026-11-25 00:00 to 2026-11-26 00:00 by the clock, all columns (selector 1).
const Octets range_request =
    hex("C0 01 C1  00 07  01 00 63 01 00 FF  02  01 01"
        "  02 04"
        "    02 04  12 00 08  09 06 00 00 01 00 00 FF  0F 02  12 00 00"
        "    09 0C 07 EA 0B 19 03 00 00 00 00 FF C4 00"
        "    09 0C 07 EA 0B 1A 04 00 00 00 00 FF C4 00"
        "    01 00");
const Octets next_request = hex("C0 02 C1 00 00 00 01");
// A+ value and scaler_unit together.
const Octets list_request =
    hex("C0 03 C1 02  00 03 01 00 01 08 00 FF 02 00  00 03 01 00 01 08 00 FF 03 00");
const Octets object_undefined = hex("C4 01 C1 01 04");
// The first of two blocks of array { double-long-unsigned 1, double-long-unsigned 2 }.
const Octets first_block = hex("C4 02 C1 00 00 00 00 01 00 08 01 02 06 00 00 00 01 06");
const Octets last_block = hex("C4 02 C1 01 00 00 00 02 00 04 00 00 00 02");
const Octets block_refused = hex("C4 02 C1 01 00 00 00 02 01 13");
const Octets list_response = hex("C4 03 C1 03  00 06 00 00 30 39  00 02 02 0F 00 16 1E  01 04");

TEST(GetRequest, EncodesClockTimeExample) {
  GetRequestNormal request;
  request.attribute = {8, clock_name, 2};
  EXPECT_EQ(request.encode(), clock_request);

  const auto decoded = expect_exact<GetRequestNormal>(clock_request);
  EXPECT_EQ(decoded.invoke.invoke_id(), 1);
  EXPECT_TRUE(decoded.invoke.confirmed());
  EXPECT_TRUE(decoded.invoke.high_priority());
  EXPECT_EQ(decoded.attribute, (CosemAttributeDescriptor{8, clock_name, 2}));
  EXPECT_FALSE(decoded.access);
}

TEST(GetResponse, EncodesClockTimeExample) {
  CosemDateTime time;
  time.year = 2026;
  time.month = 11;
  time.day = 25;
  time.weekday = 3;
  time.hour = 12;
  time.minute = 30;
  time.second = 0;
  time.hundredths = 0;
  time.deviation = -60;
  time.clock_status = 0;
  GetResponseNormal response;
  response.result = Data::octets(time.encode());
  EXPECT_EQ(response.encode(), clock_response);

  const auto decoded = expect_exact<GetResponseNormal>(clock_response);
  const Data* value = std::get_if<Data>(&decoded.result);
  ASSERT_NE(value, nullptr);
  auto read = value->as_date_time();
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(*read, time);
}

TEST(GetResponse, CarriesDataAccessResult) {
  const auto decoded = expect_exact<GetResponseNormal>(object_undefined);
  ASSERT_TRUE(std::holds_alternative<DataAccessResult>(decoded.result));
  EXPECT_EQ(std::get<DataAccessResult>(decoded.result), DataAccessResult::object_undefined);
  EXPECT_EQ(to_string(std::get<DataAccessResult>(decoded.result)), "object-undefined");
  GetResponseNormal built{InvokeIdAndPriority{0xC1}, DataAccessResult::object_undefined};
  EXPECT_EQ(built.encode(), object_undefined);
}

TEST(GetRequest, CarriesEntryDescriptor) {
  GetRequestNormal request;
  request.attribute = {7, load_profile, 2};
  request.access = to_access_selection(EntryDescriptor{.from_entry = 1, .to_entry = 10});
  EXPECT_EQ(request.encode(), entry_request);

  const auto decoded = expect_exact<GetRequestNormal>(entry_request);
  ASSERT_TRUE(decoded.access);
  EXPECT_EQ(decoded.access->selector, entry_descriptor_selector);
  auto selection = parse_profile_selection(*decoded.access);
  ASSERT_TRUE(selection) << selection.error().message;
  const auto* entries = std::get_if<EntryDescriptor>(&*selection);
  ASSERT_NE(entries, nullptr);
  EXPECT_EQ(*entries, (EntryDescriptor{1, 10, 1, 0}));
}

TEST(GetRequest, CarriesRangeDescriptor) {
  CosemDateTime from;
  from.year = 2026;
  from.month = 11;
  from.day = 25;
  from.weekday = 3;
  from.hour = 0;
  from.minute = 0;
  from.second = 0;
  from.hundredths = 0;
  from.deviation = -60;
  from.clock_status = 0;
  CosemDateTime to = from;
  to.day = 26;
  to.weekday = 4;
  RangeDescriptor range;
  range.restricting_object = {8, clock_name, 2, 0};
  range.from_value = Data::octets(from.encode());
  range.to_value = Data::octets(to.encode());

  GetRequestNormal request;
  request.attribute = {7, load_profile, 2};
  request.access = to_access_selection(range);
  EXPECT_EQ(request.encode(), range_request);

  const auto decoded = expect_exact<GetRequestNormal>(range_request);
  ASSERT_TRUE(decoded.access);
  auto selection = parse_profile_selection(*decoded.access);
  ASSERT_TRUE(selection) << selection.error().message;
  ASSERT_TRUE(std::holds_alternative<RangeDescriptor>(*selection));
  EXPECT_EQ(std::get<RangeDescriptor>(*selection), range);
}

TEST(GetRequest, EncodesNextAndList) {
  EXPECT_EQ((GetRequestNext{InvokeIdAndPriority{0xC1}, 1}).encode(), next_request);
  EXPECT_EQ(expect_exact<GetRequestNext>(next_request).block_number, 1U);

  GetRequestWithList list;
  list.attributes.push_back({{3, Obis{1, 0, 1, 8, 0, 255}, 2}, std::nullopt});
  list.attributes.push_back({{3, Obis{1, 0, 1, 8, 0, 255}, 3}, std::nullopt});
  EXPECT_EQ(list.encode(), list_request);
  EXPECT_EQ(expect_exact<GetRequestWithList>(list_request), list);
}

TEST(GetResponse, EncodesList) {
  GetResponseWithList response;
  response.results = {Data::unsigned32(12345),
                      Data::structure({Data::integer8(0), Data::enumeration(30)}),
                      DataAccessResult::object_undefined};
  EXPECT_EQ(response.encode(), list_response);
  EXPECT_EQ(expect_exact<GetResponseWithList>(list_response), response);
}

TEST(GetResponse, EncodesDatablocks) {
  GetResponseWithDatablock first;
  first.block = {false, 1, hex("01 02 06 00 00 00 01 06")};
  EXPECT_EQ(first.encode(), first_block);
  EXPECT_EQ(expect_exact<GetResponseWithDatablock>(first_block), first);

  const auto last = expect_exact<GetResponseWithDatablock>(last_block);
  EXPECT_TRUE(last.block.last_block);
  EXPECT_EQ(last.block.block_number, 2U);

  const auto refused = expect_exact<GetResponseWithDatablock>(block_refused);
  ASSERT_TRUE(std::holds_alternative<DataAccessResult>(refused.block.result));
  EXPECT_EQ(std::get<DataAccessResult>(refused.block.result),
            DataAccessResult::data_block_number_invalid);
}

// The raw data of the blocks, joined, are the A-XDR encoding of the value.
TEST(GetResponse, BlocksReassembleIntoTheValue) {
  std::vector<Data> rows;
  for (std::uint32_t i = 0; i < 300; ++i)
    rows.push_back(Data::structure({Data::unsigned32(i), Data::unsigned16(7)}));
  const Data value = Data::array(std::move(rows));
  const Octets whole = encode(value);

  constexpr std::size_t block_size = 200;
  std::vector<Octets> wire;
  for (std::size_t at = 0, number = 1; at < whole.size(); at += block_size, ++number) {
    const std::size_t size = std::min(block_size, whole.size() - at);
    GetResponseWithDatablock block;
    block.block.last_block = at + size == whole.size();
    block.block.block_number = static_cast<std::uint32_t>(number);
    block.block.result = Octets(whole.begin() + static_cast<std::ptrdiff_t>(at),
                                whole.begin() + static_cast<std::ptrdiff_t>(at + size));
    wire.push_back(block.encode());
  }

  Octets joined;
  std::uint32_t expected_number = 1;
  bool finished = false;
  for (const Octets& apdu : wire) {
    auto block = GetResponseWithDatablock::decode(apdu);
    ASSERT_TRUE(block) << block.error().message;
    EXPECT_EQ(block->block.block_number, expected_number++);
    const auto& raw = std::get<std::vector<std::uint8_t>>(block->block.result);
    joined.insert(joined.end(), raw.begin(), raw.end());
    finished = block->block.last_block;
  }
  EXPECT_TRUE(finished);
  auto reassembled = decode_all(joined);
  ASSERT_TRUE(reassembled) << reassembled.error().message;
  EXPECT_EQ(*reassembled, value);
}

TEST(Get, EveryTruncationAndTrailingOctetIsRefused) {
  expect_only_whole<GetRequestNormal>(clock_request);
  expect_only_whole<GetRequestNormal>(entry_request);
  expect_only_whole<GetRequestNormal>(range_request);
  expect_only_whole<GetRequestNext>(next_request);
  expect_only_whole<GetRequestWithList>(list_request);
  expect_only_whole<GetResponseNormal>(clock_response);
  expect_only_whole<GetResponseNormal>(object_undefined);
  expect_only_whole<GetResponseWithDatablock>(first_block);
  expect_only_whole<GetResponseWithDatablock>(block_refused);
  expect_only_whole<GetResponseWithList>(list_response);
}

TEST(Get, ErrorsNameTheOffset) {
  auto cut = GetRequestNormal::decode(hex("C0 01 C1 00 08 00 00 01"));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().message,
            "Get-Request-Normal at offset 5: instance-id needs 6 octets, 3 left");

  auto trailing = GetRequestNormal::decode(hex("C0 01 C1 00 08 00 00 01 00 00 FF 02 00 00"));
  ASSERT_FALSE(trailing);
  EXPECT_EQ(trailing.error().message,
            "Get-Request-Normal at offset 13: 1 octet after the end of the APDU");

  auto bad_flag = GetRequestNormal::decode(hex("C0 01 C1 00 08 00 00 01 00 00 FF 02 02"));
  ASSERT_FALSE(bad_flag);
  EXPECT_EQ(bad_flag.error().message,
            "Get-Request-Normal at offset 12: access-selection: presence flag 0x02 is neither 00 "
            "nor 01");

  // The inner A-XDR offset counts from the start of the value, at offset 4.
  auto bad_value = GetResponseNormal::decode(hex("C4 01 C1 00 12 00"));
  ASSERT_FALSE(bad_value);
  EXPECT_EQ(bad_value.error().message,
            "Get-Response-Normal at offset 4: data: A-XDR at offset 0: long-unsigned (tag 0x12) "
            "needs 2 octets, 1 left");
}

TEST(Get, RefusesWrongTagsAndChoices) {
  auto wrong_tag = GetRequestNormal::decode(clock_response);
  ASSERT_FALSE(wrong_tag);
  EXPECT_EQ(wrong_tag.error().message, "Get-Request-Normal at offset 0: tag 0xC4, expected 0xC0");
  auto wrong_choice = GetRequestNext::decode(clock_request);
  ASSERT_FALSE(wrong_choice);
  EXPECT_EQ(wrong_choice.error().message, "Get-Request-Next at offset 1: choice 1, expected 2");

  auto result_choice = GetResponseNormal::decode(hex("C4 01 C1 02 04"));
  ASSERT_FALSE(result_choice);
  EXPECT_EQ(result_choice.error().message,
            "Get-Response-Normal at offset 3: Get-Data-Result choice 2 is neither data (0) nor "
            "data-access-result (1)");
  auto block_choice = GetResponseWithDatablock::decode(hex("C4 02 C1 01 00 00 00 02 02 13"));
  ASSERT_FALSE(block_choice);
  EXPECT_EQ(block_choice.error().message,
            "Get-Response-With-Datablock at offset 8: DataBlock-G result choice 2 is neither "
            "raw-data (0) nor data-access-result (1)");
}

TEST(Get, BoundsListsBeforeReserving) {
  // 2^32 - 1 descriptors claimed, 10 octets behind the count.
  auto huge =
      GetRequestWithList::decode(hex("C0 03 C1 84 FF FF FF FF 00 03 01 00 01 08 00 FF 02 00"));
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().message,
            "Get-Request-With-List at offset 3: attribute-descriptor-list claims 4294967295 "
            "elements, beyond the limit of 100000");
  // Two claimed, room for one.
  auto two = GetRequestWithList::decode(hex("C0 03 C1 02 00 03 01 00 01 08 00 FF 02 00 00 00"));
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().message,
            "Get-Request-With-List at offset 3: attribute-descriptor-list claims 2 elements of "
            "at least 10 octets, 12 octets left");

  DecodeLimits tight;
  tight.container_elements_max = 2;
  auto three = GetResponseWithList::decode(hex("C4 03 C1 03 01 00 01 00 01 00"), tight);
  ASSERT_FALSE(three);
  EXPECT_EQ(three.error().message,
            "Get-Response-With-List at offset 3: result list claims 3 elements, beyond the limit "
            "of 2");
}

TEST(Get, DataInsideHonoursTheLimits) {
  DecodeLimits shallow;
  shallow.nesting_depth_max = 2;
  // data: array { array { array { } } } nests three deep.
  auto deep = GetResponseNormal::decode(hex("C4 01 C1 00 01 01 01 01 01 00"), shallow);
  ASSERT_FALSE(deep);
  EXPECT_NE(deep.error().message.find("nests deeper than the limit of 2"), std::string::npos);
  EXPECT_TRUE(GetResponseNormal::decode(hex("C4 01 C1 00 01 01 01 01 01 00")));
}

TEST(Get, AcceptsLongFormsAndReencodesShortest) {
  // A count of 1 as 81 01 and a raw-data length of 2 as 82 00 02.
  auto list = GetResponseWithList::decode(hex("C4 03 C1 81 01 01 04"));
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(list->encode(), hex("C4 03 C1 01 01 04"));
  auto block = GetResponseWithDatablock::decode(hex("C4 02 C1 05 00 00 00 01 00 82 00 02 AA BB"));
  ASSERT_TRUE(block) << block.error().message;
  EXPECT_TRUE(block->block.last_block);  // any non-zero octet is TRUE
  EXPECT_EQ(block->encode(), hex("C4 02 C1 01 00 00 00 01 00 02 AA BB"));
}

TEST(Get, RawDataLengthBeyondTheEndIsRefused) {
  auto block = GetResponseWithDatablock::decode(hex("C4 02 C1 01 00 00 00 01 00 05 AA BB"));
  ASSERT_FALSE(block);
  EXPECT_EQ(block.error().message,
            "Get-Response-With-Datablock at offset 9: raw-data: length 5 runs past the end (2 "
            "octets left)");
}

}  // namespace
}  // namespace gridmeter::dlms
