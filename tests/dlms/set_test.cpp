// SET service APDUs: a register write byte for byte, block transfer, lists, and malformed input.
#include "dlms/set.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "dlms/apdu_test_support.hpp"
#include "dlms/axdr.hpp"

namespace gridmeter::dlms {
namespace {

using apdu_testing::expect_exact;
using apdu_testing::expect_only_whole;
using apdu_testing::hex;
using apdu_testing::Octets;

const Obis active_import{1, 0, 1, 8, 0, 255};
const Obis active_export{1, 0, 2, 8, 0, 255};

// Register 1-0:1.8.0.255 attribute 2 (value) := double-long-unsigned 0.
const Octets register_write = hex("C1 01 C1  00 03  01 00 01 08 00 FF  02  00  06 00 00 00 00");
const Octets write_done = hex("C5 01 C1 00");
const Octets write_denied = hex("C5 01 C1 03");
// The same value in two blocks: 06 00 | 00 00 00.
const Octets first_block = hex("C1 02 C1  00 03 01 00 01 08 00 FF 02 00  00 00 00 00 01  02 06 00");
const Octets later_block = hex("C1 03 C1  01 00 00 00 02  03 00 00 00");
const Octets block_acknowledged = hex("C5 02 C1 00 00 00 01");
const Octets last_block_done = hex("C5 03 C1 00 00 00 00 02");
// Both energy registers := 0.
const Octets list_write =
    hex("C1 04 C1  02  00 03 01 00 01 08 00 FF 02 00  00 03 01 00 02 08 00 FF 02 00"
        "  02  06 00 00 00 00  06 00 00 00 00");
const Octets list_done = hex("C5 05 C1 02 00 03");
// Both again, the value-list (02 06 00 00 00 00 06 00 00 00 00) cut after 4 octets.
const Octets list_first_block =
    hex("C1 05 C1  02  00 03 01 00 01 08 00 FF 02 00  00 03 01 00 02 08 00 FF 02 00"
        "  00 00 00 00 01  04 02 06 00 00");
const Octets list_last_block_done = hex("C5 04 C1 02 00 00 00 00 00 02");

TEST(SetRequest, EncodesRegisterWrite) {
  SetRequestNormal request;
  request.attribute = {3, active_import, 2};
  request.value = Data::unsigned32(0);
  EXPECT_EQ(request.encode(), register_write);
  EXPECT_EQ(expect_exact<SetRequestNormal>(register_write), request);

  EXPECT_EQ((SetResponseNormal{request.invoke, DataAccessResult::success}).encode(), write_done);
  EXPECT_EQ(expect_exact<SetResponseNormal>(write_denied).result,
            DataAccessResult::read_write_denied);
}

TEST(SetRequest, EncodesBlocks) {
  SetRequestWithFirstDatablock first;
  first.attribute = {3, active_import, 2};
  first.block = {false, 1, hex("06 00")};
  EXPECT_EQ(first.encode(), first_block);
  EXPECT_EQ(expect_exact<SetRequestWithFirstDatablock>(first_block), first);

  SetRequestWithDatablock later;
  later.block = {true, 2, hex("00 00 00")};
  EXPECT_EQ(later.encode(), later_block);
  EXPECT_EQ(expect_exact<SetRequestWithDatablock>(later_block), later);

  // Joined, the raw data are the value.
  Octets joined = first.block.raw_data;
  joined.insert(joined.end(), later.block.raw_data.begin(), later.block.raw_data.end());
  EXPECT_EQ(decode_all(joined).value(), Data::unsigned32(0));

  EXPECT_EQ((SetResponseDatablock{InvokeIdAndPriority{}, 1}).encode(), block_acknowledged);
  EXPECT_EQ(expect_exact<SetResponseDatablock>(block_acknowledged).block_number, 1U);
  const auto done = expect_exact<SetResponseLastDatablock>(last_block_done);
  EXPECT_EQ(done.result, DataAccessResult::success);
  EXPECT_EQ(done.block_number, 2U);
}

TEST(SetRequest, EncodesLists) {
  SetRequestWithList list;
  list.items.push_back({{3, active_import, 2}, std::nullopt, Data::unsigned32(0)});
  list.items.push_back({{3, active_export, 2}, std::nullopt, Data::unsigned32(0)});
  EXPECT_EQ(list.encode(), list_write);
  EXPECT_EQ(expect_exact<SetRequestWithList>(list_write), list);

  SetResponseWithList done;
  done.results = {DataAccessResult::success, DataAccessResult::read_write_denied};
  EXPECT_EQ(done.encode(), list_done);
  EXPECT_EQ(expect_exact<SetResponseWithList>(list_done), done);

  SetRequestWithListAndFirstDatablock first;
  first.attributes = {{{3, active_import, 2}, std::nullopt}, {{3, active_export, 2}, std::nullopt}};
  first.block = {false, 1, hex("02 06 00 00")};
  EXPECT_EQ(first.encode(), list_first_block);
  EXPECT_EQ(expect_exact<SetRequestWithListAndFirstDatablock>(list_first_block), first);

  SetResponseLastDatablockWithList last;
  last.results = {DataAccessResult::success, DataAccessResult::success};
  last.block_number = 2;
  EXPECT_EQ(last.encode(), list_last_block_done);
  EXPECT_EQ(expect_exact<SetResponseLastDatablockWithList>(list_last_block_done), last);
}

TEST(SetRequest, KeepsSelectiveAccess) {
  SetRequestNormal request;
  request.attribute = {7, Obis{1, 0, 99, 1, 0, 255}, 2};
  request.access = AccessSelection{2, Data::structure({Data::unsigned32(1), Data::unsigned32(1),
                                                       Data::unsigned16(1), Data::unsigned16(0)})};
  request.value = Data::array({});
  const Octets wire = request.encode();
  EXPECT_EQ(wire, hex("C1 01 C1 00 07 01 00 63 01 00 FF 02 01 02"
                      "  02 04 06 00 00 00 01 06 00 00 00 01 12 00 01 12 00 00  01 00"));
  EXPECT_EQ(expect_exact<SetRequestNormal>(wire), request);
}

TEST(Set, EveryTruncationAndTrailingOctetIsRefused) {
  expect_only_whole<SetRequestNormal>(register_write);
  expect_only_whole<SetRequestWithFirstDatablock>(first_block);
  expect_only_whole<SetRequestWithDatablock>(later_block);
  expect_only_whole<SetRequestWithList>(list_write);
  expect_only_whole<SetRequestWithListAndFirstDatablock>(list_first_block);
  expect_only_whole<SetResponseNormal>(write_done);
  expect_only_whole<SetResponseDatablock>(block_acknowledged);
  expect_only_whole<SetResponseLastDatablock>(last_block_done);
  expect_only_whole<SetResponseLastDatablockWithList>(list_last_block_done);
  expect_only_whole<SetResponseWithList>(list_done);
}

TEST(Set, RefusesValueCountMismatch) {
  // Two descriptors, one value.
  auto short_list = SetRequestWithList::decode(hex(
      "C1 04 C1 02 00 03 01 00 01 08 00 FF 02 00 00 03 01 00 02 08 00 FF 02 00 01 06 00 00 00 00"));
  ASSERT_FALSE(short_list);
  EXPECT_EQ(short_list.error().message,
            "Set-Request-With-List at offset 24: value-list has 1 values for 2 attributes");
}

TEST(Set, RefusesWrongChoices) {
  auto wrong = SetRequestNormal::decode(first_block);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().message, "Set-Request-Normal at offset 1: choice 2, expected 1");
  EXPECT_FALSE(SetResponseNormal::decode(hex("C4 01 C1 00")));
  EXPECT_FALSE(SetResponseWithList::decode(write_done));
}

TEST(Set, ValueErrorsNameWhereTheValueStarts) {
  auto bad = SetRequestNormal::decode(hex("C1 01 C1 00 03 01 00 01 08 00 FF 02 00 07 00"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            "Set-Request-Normal at offset 13: value: A-XDR at offset 0: unknown tag 0x07");
}

}  // namespace
}  // namespace gridmeter::dlms
