// ACTION service APDUs: a disconnect byte for byte, return parameters, pblocks, lists, and
// malformed input.
#include "dlms/action.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <variant>
#include <vector>

#include "dlms/apdu_test_support.hpp"

namespace gridmeter::dlms {
namespace {

using apdu_testing::expect_exact;
using apdu_testing::expect_only_whole;
using apdu_testing::hex;
using apdu_testing::Octets;

const Obis disconnector{0, 0, 96, 3, 10, 255};
const Obis association{0, 0, 40, 0, 0, 255};

// Disconnect control (70) method 1, remote_disconnect, parameter integer 0.
const Octets disconnect = hex("C3 01 C1  00 46  00 00 60 03 0A FF  01  01 0F 00");
const Octets disconnect_done = hex("C7 01 C1 00 00");
// Without parameters.
const Octets no_parameters = hex("C3 01 C1 00 46 00 00 60 03 0A FF 02 00");
// Association LN (15) method 1, reply_to_HLS_authentication, returning the server's answer.
const Octets hls_reply = hex("C3 01 C1 00 0F 00 00 28 00 00 FF 01 01 09 04 01 02 03 04");
const Octets hls_answer = hex("C7 01 C1 00 01 00 09 04 0A 0B 0C 0D");
// A method that failed with its return value refused as well.
const Octets refused_return = hex("C7 01 C1 03 01 01 03");
const Octets next_pblock_request = hex("C3 02 C1 00 00 00 01");
const Octets list_request =
    hex("C3 03 C1  02  00 46 00 00 60 03 0A FF 01  00 46 00 00 60 03 0A FF 02  02 0F 00 0F 00");
const Octets first_pblock = hex("C3 04 C1  00 46 00 00 60 03 0A FF 01  00 00 00 00 01  01 0F");
const Octets list_first_pblock =
    hex("C3 05 C1  02  00 46 00 00 60 03 0A FF 01  00 46 00 00 60 03 0A FF 02"
        "  00 00 00 00 01  03 02 0F 00");
const Octets later_pblock = hex("C3 06 C1  01 00 00 00 02  01 00");
const Octets response_pblock = hex("C7 02 C1  00 00 00 00 01  02 09 0C");
const Octets list_response = hex("C7 03 C1  02  00 00  00 01 00 11 05");
const Octets next_pblock_response = hex("C7 04 C1 00 00 00 01");

TEST(ActionRequest, EncodesDisconnectWithParameters) {
  ActionRequestNormal request;
  request.method = {70, disconnector, 1};
  request.parameters = Data::integer8(0);
  EXPECT_EQ(request.encode(), disconnect);
  EXPECT_EQ(expect_exact<ActionRequestNormal>(disconnect), request);

  ActionResponseNormal response;
  response.invoke = request.invoke;
  EXPECT_EQ(response.encode(), disconnect_done);
  const auto done = expect_exact<ActionResponseNormal>(disconnect_done);
  EXPECT_EQ(done.response.result, ActionResult::success);
  EXPECT_FALSE(done.response.return_parameters);
}

TEST(ActionRequest, ParametersAreOptional) {
  ActionRequestNormal request;
  request.method = {70, disconnector, 2};
  EXPECT_EQ(request.encode(), no_parameters);
  EXPECT_FALSE(expect_exact<ActionRequestNormal>(no_parameters).parameters);
  // null-data as a parameter is not the same as no parameter.
  request.parameters = Data::null();
  EXPECT_EQ(request.encode(), hex("C3 01 C1 00 46 00 00 60 03 0A FF 02 01 00"));
}

TEST(ActionResponse, CarriesReturnParameters) {
  ActionRequestNormal request;
  request.method = {15, association, 1};
  request.parameters = Data::octets({1, 2, 3, 4});
  EXPECT_EQ(request.encode(), hls_reply);

  ActionResponseNormal response;
  response.response.return_parameters = Data::octets({0x0A, 0x0B, 0x0C, 0x0D});
  EXPECT_EQ(response.encode(), hls_answer);
  EXPECT_EQ(expect_exact<ActionResponseNormal>(hls_answer), response);

  const auto refused = expect_exact<ActionResponseNormal>(refused_return);
  EXPECT_EQ(refused.response.result, ActionResult::read_write_denied);
  ASSERT_TRUE(refused.response.return_parameters);
  EXPECT_EQ(std::get<DataAccessResult>(*refused.response.return_parameters),
            DataAccessResult::read_write_denied);
  EXPECT_EQ(to_string(refused.response.result), "read-write-denied");
}

TEST(ActionRequest, EncodesListsAndPblocks) {
  EXPECT_EQ(expect_exact<ActionRequestNextPblock>(next_pblock_request).block_number, 1U);

  ActionRequestWithList list;
  list.items = {{{70, disconnector, 1}, Data::integer8(0)},
                {{70, disconnector, 2}, Data::integer8(0)}};
  EXPECT_EQ(list.encode(), list_request);
  EXPECT_EQ(expect_exact<ActionRequestWithList>(list_request), list);

  ActionRequestWithFirstPblock first;
  first.method = {70, disconnector, 1};
  first.block = {false, 1, hex("0F")};
  EXPECT_EQ(first.encode(), first_pblock);
  EXPECT_EQ(expect_exact<ActionRequestWithFirstPblock>(first_pblock), first);

  ActionRequestWithListAndFirstPblock list_first;
  list_first.methods = {{70, disconnector, 1}, {70, disconnector, 2}};
  list_first.block = {false, 1, hex("02 0F 00")};
  EXPECT_EQ(list_first.encode(), list_first_pblock);
  EXPECT_EQ(expect_exact<ActionRequestWithListAndFirstPblock>(list_first_pblock), list_first);

  ActionRequestWithPblock later;
  later.block = {true, 2, hex("00")};
  EXPECT_EQ(later.encode(), later_pblock);
  EXPECT_EQ(expect_exact<ActionRequestWithPblock>(later_pblock), later);
}

TEST(ActionResponse, EncodesListsAndPblocks) {
  ActionResponseWithPblock block;
  block.block = {false, 1, hex("09 0C")};
  EXPECT_EQ(block.encode(), response_pblock);
  EXPECT_EQ(expect_exact<ActionResponseWithPblock>(response_pblock), block);

  ActionResponseWithList list;
  list.responses = {ActionOutcome{}, ActionOutcome{ActionResult::success, Data::unsigned8(5)}};
  EXPECT_EQ(list.encode(), list_response);
  EXPECT_EQ(expect_exact<ActionResponseWithList>(list_response), list);

  EXPECT_EQ((ActionResponseNextPblock{InvokeIdAndPriority{}, 1}).encode(), next_pblock_response);
  EXPECT_EQ(expect_exact<ActionResponseNextPblock>(next_pblock_response).block_number, 1U);
}

TEST(Action, EveryTruncationAndTrailingOctetIsRefused) {
  expect_only_whole<ActionRequestNormal>(disconnect);
  expect_only_whole<ActionRequestNormal>(no_parameters);
  expect_only_whole<ActionRequestNormal>(hls_reply);
  expect_only_whole<ActionRequestNextPblock>(next_pblock_request);
  expect_only_whole<ActionRequestWithList>(list_request);
  expect_only_whole<ActionRequestWithFirstPblock>(first_pblock);
  expect_only_whole<ActionRequestWithListAndFirstPblock>(list_first_pblock);
  expect_only_whole<ActionRequestWithPblock>(later_pblock);
  expect_only_whole<ActionResponseNormal>(disconnect_done);
  expect_only_whole<ActionResponseNormal>(hls_answer);
  expect_only_whole<ActionResponseNormal>(refused_return);
  expect_only_whole<ActionResponseWithPblock>(response_pblock);
  expect_only_whole<ActionResponseWithList>(list_response);
  expect_only_whole<ActionResponseNextPblock>(next_pblock_response);
}

TEST(Action, RefusesMalformedFields) {
  auto flag = ActionRequestNormal::decode(hex("C3 01 C1 00 46 00 00 60 03 0A FF 01 05 0F 00"));
  ASSERT_FALSE(flag);
  EXPECT_EQ(flag.error().message,
            "Action-Request-Normal at offset 12: method-invocation-parameters: presence flag "
            "0x05 is neither 00 nor 01");

  auto return_choice = ActionResponseNormal::decode(hex("C7 01 C1 00 01 07 00"));
  ASSERT_FALSE(return_choice);
  EXPECT_EQ(return_choice.error().message,
            "Action-Response-Normal at offset 5: Get-Data-Result choice 7 is neither data (0) "
            "nor data-access-result (1)");

  auto mismatch =
      ActionRequestWithList::decode(hex("C3 03 C1 01 00 46 00 00 60 03 0A FF 01 02 0F 00 0F 00"));
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().message,
            "Action-Request-With-List at offset 13: method-invocation-parameters has 2 values "
            "for 1 methods");

  auto wrong_choice = ActionResponseNormal::decode(next_pblock_response);
  ASSERT_FALSE(wrong_choice);
  EXPECT_EQ(wrong_choice.error().message,
            "Action-Response-Normal at offset 1: choice 4, expected 1");
}

TEST(Action, KeepsResultCodesOutsideTheList) {
  // 17 is not an Action-Result the Green Book names; a newer meter may still send it.
  const auto odd = expect_exact<ActionResponseNormal>(hex("C7 01 C1 11 00"));
  EXPECT_EQ(static_cast<int>(odd.response.result), 17);
  EXPECT_EQ(to_string(odd.response.result), "unknown");
}

}  // namespace
}  // namespace gridmeter::dlms
