// The xDLMS front door: invoke-id-and-priority, Exception-Response, Data-Notification, short
// name requests, decode_xdlms_apdu over every APDU kind, apdu_name, and seeded mutations that
// must either be refused or round trip.
#include "dlms/xdlms.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "dlms/apdu_test_support.hpp"

namespace gridmeter::dlms {
namespace {

using apdu_testing::expect_exact;
using apdu_testing::expect_only_whole;
using apdu_testing::expect_only_whole_apdu;
using apdu_testing::hex;
using apdu_testing::Octets;

const Octets exception_example = hex("D8 01 02");
const Octets exception_counter = hex("D8 01 06 00 00 04 D2");
// Long invoke id 1, no date-time (00), body octet-string "ABC".
const Octets notification_example = hex("0F 00 00 00 01 00 09 03 41 42 43");
// Confirmed, invoke id 2, with the time, body structure { logical name, double-long-unsigned }.
const Octets notification_with_time =
    hex("0F 40 00 00 02  0C 07 EA 0B 19 03 0C 1E 00 00 FF C4 00"
        "  02 02 09 06 00 00 01 00 00 FF 06 00 00 30 39");
// readRequest of base name 0xFA00; writeRequest of 0xFA08 := long-unsigned 5.
const Octets read_request = hex("05 01 02 FA 00");
const Octets write_request = hex("06 01 02 FA 08 01 12 00 05");

// One example of every APDU kind decode_xdlms_apdu returns, with the alternative it must be.
struct Example {
  std::string_view name;
  Octets bytes;
};

std::vector<Example> every_kind() {
  return {
      {"Get-Request-Normal", hex("C0 01 C1 00 08 00 00 01 00 00 FF 02 00")},
      {"Get-Request-Next", hex("C0 02 C1 00 00 00 01")},
      {"Get-Request-With-List",
       hex("C0 03 C1 02 00 03 01 00 01 08 00 FF 02 00 00 07 01 00 63 01 00 FF 02 01 02 02 04 06 "
           "00 00 00 01 06 00 00 00 00 12 00 01 12 00 00")},
      {"Get-Response-Normal", hex("C4 01 C1 00 09 0C 07 EA 0B 19 03 0C 1E 00 00 FF C4 00")},
      {"Get-Response-With-Datablock", hex("C4 02 C1 00 00 00 00 01 00 03 01 02 06")},
      {"Get-Response-With-List", hex("C4 03 C1 02 00 11 07 01 04")},
      {"Set-Request-Normal", hex("C1 01 C1 00 03 01 00 01 08 00 FF 02 00 06 00 00 00 00")},
      {"Set-Request-With-First-Datablock",
       hex("C1 02 C1 00 03 01 00 01 08 00 FF 02 00 00 00 00 00 01 02 06 00")},
      {"Set-Request-With-Datablock", hex("C1 03 C1 01 00 00 00 02 03 00 00 00")},
      {"Set-Request-With-List", hex("C1 04 C1 01 00 03 01 00 01 08 00 FF 02 00 01 06 00 00 00 00")},
      {"Set-Request-With-List-And-First-Datablock",
       hex("C1 05 C1 01 00 03 01 00 01 08 00 FF 02 00 00 00 00 00 01 02 01 06")},
      {"Set-Response-Normal", hex("C5 01 C1 00")},
      {"Set-Response-Datablock", hex("C5 02 C1 00 00 00 01")},
      {"Set-Response-Last-Datablock", hex("C5 03 C1 00 00 00 00 02")},
      {"Set-Response-Last-Datablock-With-List", hex("C5 04 C1 02 00 03 00 00 00 02")},
      {"Set-Response-With-List", hex("C5 05 C1 02 00 0C")},
      {"Action-Request-Normal", hex("C3 01 C1 00 46 00 00 60 03 0A FF 01 01 0F 00")},
      {"Action-Request-Next-Pblock", hex("C3 02 C1 00 00 00 01")},
      {"Action-Request-With-List", hex("C3 03 C1 01 00 46 00 00 60 03 0A FF 02 01 0F 00")},
      {"Action-Request-With-First-Pblock",
       hex("C3 04 C1 00 46 00 00 60 03 0A FF 01 00 00 00 00 01 01 0F")},
      {"Action-Request-With-List-And-First-Pblock",
       hex("C3 05 C1 01 00 46 00 00 60 03 0A FF 01 00 00 00 00 01 02 01 0F")},
      {"Action-Request-With-Pblock", hex("C3 06 C1 01 00 00 00 02 01 00")},
      {"Action-Response-Normal", hex("C7 01 C1 00 00")},
      {"Action-Response-With-Pblock", hex("C7 02 C1 01 00 00 00 01 02 11 05")},
      {"Action-Response-With-List", hex("C7 03 C1 01 00 01 01 0E")},
      {"Action-Response-Next-Pblock", hex("C7 04 C1 00 00 00 01")},
      {"Exception-Response", hex("D8 01 02")},
      {"Data-Notification", hex("0F 00 00 00 01 00 09 03 41 42 43")},
      {"read-request", hex("05 01 02 FA 00")},
  };
}

TEST(InvokeIdAndPriority, PacksItsBits) {
  EXPECT_EQ(InvokeIdAndPriority{}.value, 0xC1);
  EXPECT_EQ(InvokeIdAndPriority::make(1, true, true).value, 0xC1);
  EXPECT_EQ(InvokeIdAndPriority::make(5).value, 0x45);
  EXPECT_EQ(InvokeIdAndPriority::make(15, false, false).value, 0x0F);
  EXPECT_EQ(InvokeIdAndPriority::make(0x1F).invoke_id(), 15);  // only four bits
  const InvokeIdAndPriority low{0x07};
  EXPECT_EQ(low.invoke_id(), 7);
  EXPECT_FALSE(low.confirmed());
  EXPECT_FALSE(low.high_priority());
  // Reserved bits 4 and 5 are kept as sent.
  EXPECT_EQ(expect_exact<GetRequestNext>(hex("C0 02 31 00 00 00 01")).invoke.value, 0x31);
}

TEST(LongInvokeIdAndPriority, PacksItsBits) {
  const LongInvokeIdAndPriority all{0xF0ABCDEF};
  EXPECT_EQ(all.invoke_id(), 0xABCDEFU);
  EXPECT_TRUE(all.self_descriptive());
  EXPECT_TRUE(all.break_on_error());
  EXPECT_TRUE(all.confirmed());
  EXPECT_TRUE(all.high_priority());
  const LongInvokeIdAndPriority one{1};
  EXPECT_EQ(one.invoke_id(), 1U);
  EXPECT_FALSE(one.self_descriptive() || one.break_on_error() || one.confirmed() ||
               one.high_priority());
}

TEST(ExceptionResponse, EncodesExamples) {
  ExceptionResponse built;  // service-not-allowed, service-not-supported
  EXPECT_EQ(built.encode(), exception_example);
  const auto decoded = expect_exact<ExceptionResponse>(exception_example);
  EXPECT_EQ(decoded.state_error, ExceptionStateError::service_not_allowed);
  EXPECT_EQ(decoded.service_error, ExceptionServiceError::service_not_supported);
  EXPECT_EQ(to_string(decoded.state_error), "service-not-allowed");
  EXPECT_EQ(to_string(decoded.service_error), "service-not-supported");

  const auto counter = expect_exact<ExceptionResponse>(exception_counter);
  EXPECT_EQ(counter.service_error, ExceptionServiceError::invocation_counter_error);
  EXPECT_EQ(counter.invocation_counter, 1234U);

  // The counter belongs to invocation-counter-error only.
  ExceptionResponse too_long{ExceptionStateError::service_unknown,
                             ExceptionServiceError::pdu_too_long, 99};
  EXPECT_EQ(too_long.encode(), hex("D8 02 04"));
}

TEST(ExceptionResponse, RefusesMalformed) {
  expect_only_whole<ExceptionResponse>(exception_example);
  expect_only_whole<ExceptionResponse>(exception_counter);
  for (const char* bad : {"D8 01 00", "D8 01 07", "D8 01 FF"}) {
    auto refused = ExceptionResponse::decode(hex(bad));
    EXPECT_FALSE(refused) << bad;
  }
  EXPECT_EQ(ExceptionResponse::decode(hex("D8 01 07")).error().message,
            "Exception-Response at offset 2: service-error choice 7 is not one of 1..6");
  EXPECT_EQ(ExceptionResponse::decode(hex("D8 01 06 00 00")).error().message,
            "Exception-Response at offset 3: invocation-counter-error needs 4 octets, 2 left");
  // An unnamed state-error is kept as sent.
  EXPECT_EQ(static_cast<int>(expect_exact<ExceptionResponse>(hex("D8 09 03")).state_error), 9);
}

TEST(DataNotification, EncodesExamples) {
  DataNotification built;
  built.invoke.value = 1;
  built.body = Data::octets({0x41, 0x42, 0x43});
  EXPECT_EQ(built.encode(), notification_example);
  EXPECT_EQ(expect_exact<DataNotification>(notification_example), built);

  const auto timed = expect_exact<DataNotification>(notification_with_time);
  EXPECT_EQ(timed.invoke.invoke_id(), 2U);
  EXPECT_TRUE(timed.invoke.confirmed());
  ASSERT_TRUE(timed.date_time);
  EXPECT_EQ(timed.date_time->year, 2026);
  EXPECT_EQ(timed.date_time->deviation, -60);
  EXPECT_EQ(timed.body, Data::structure({Data::octets(Obis{0, 0, 1, 0, 0, 255}.bytes()),
                                         Data::unsigned32(12345)}));
}

TEST(DataNotification, RefusesMalformed) {
  expect_only_whole<DataNotification>(notification_example);
  expect_only_whole<DataNotification>(notification_with_time);
  auto odd_length = DataNotification::decode(hex("0F 00 00 00 01 05 07 EA 0B 19 03 00"));
  ASSERT_FALSE(odd_length);
  EXPECT_EQ(odd_length.error().message,
            "Data-Notification at offset 5: date-time of 5 octets; expected 0 (absent) or 12");
  // Month 13.
  auto bad_month =
      DataNotification::decode(hex("0F 00 00 00 01 0C 07 EA 0D 19 03 0C 1E 00 00 FF C4 00 00"));
  ASSERT_FALSE(bad_month);
  EXPECT_EQ(bad_month.error().message.rfind("Data-Notification at offset 5: date-time: ", 0), 0U)
      << bad_month.error().message;
  // The body is one Data value: a missing one is an error, not an empty notification.
  EXPECT_FALSE(DataNotification::decode(hex("0F 00 00 00 01 00")));
}

TEST(ShortNameRequest, IsRecognisedToBeRefused) {
  const auto read = expect_exact<ShortNameRequest>(read_request);
  EXPECT_EQ(read.tag, ShortNameRequest::read_request_tag);
  ASSERT_TRUE(read.refusal());
  EXPECT_EQ(read.refusal()->encode(), hex("0E 05 03 02"));

  const auto write = expect_exact<ShortNameRequest>(write_request);
  ASSERT_TRUE(write.refusal());
  EXPECT_EQ(write.refusal()->encode(), hex("0E 06 03 02"));

  const auto unconfirmed = expect_exact<ShortNameRequest>(hex("16 01 02 FA 08 01 12 00 05"));
  EXPECT_FALSE(unconfirmed.refusal());

  EXPECT_FALSE(ShortNameRequest::decode(hex("C0 01")));
  EXPECT_FALSE(ShortNameRequest::decode(Octets{}));
}

TEST(XdlmsApdu, DecodesEveryKindByItsTag) {
  const auto examples = every_kind();
  EXPECT_EQ(examples.size(), std::variant_size_v<XdlmsApdu>);
  std::vector<bool> seen(std::variant_size_v<XdlmsApdu>, false);
  for (const Example& example : examples) {
    SCOPED_TRACE(std::string(example.name));
    auto apdu = decode_xdlms_apdu(example.bytes);
    ASSERT_TRUE(apdu) << apdu.error().message;
    EXPECT_EQ(apdu_name(*apdu), example.name);
    EXPECT_FALSE(seen[apdu->index()]) << "two examples of one kind";
    seen[apdu->index()] = true;
    // Both round trips.
    EXPECT_EQ(encode_xdlms_apdu(*apdu), example.bytes);
    auto again = decode_xdlms_apdu(encode_xdlms_apdu(*apdu));
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *apdu);
    // Every truncation and a trailing octet are refused (short name requests keep their body
    // unread, so only their empty prefix can fail).
    if (!std::holds_alternative<ShortNameRequest>(*apdu)) {
      expect_only_whole_apdu(example.bytes, [](std::span<const std::uint8_t> bytes) {
        return decode_xdlms_apdu(bytes);
      });
    }
  }
}

TEST(XdlmsApdu, ExplainsWhatItCannotDecode) {
  EXPECT_EQ(decode_xdlms_apdu(Octets{}).error().message, "xDLMS APDU is empty");
  EXPECT_EQ(decode_xdlms_apdu(hex("42 00")).error().message,
            "xDLMS APDU at offset 0: tag 0x42 is not a service APDU this decoder reads (unknown)");
  EXPECT_EQ(decode_xdlms_apdu(hex("C8 10 30 00 00 00 01")).error().message,
            "xDLMS APDU at offset 0: tag 0xC8 is not a service APDU this decoder reads "
            "(glo-get-request)");
  EXPECT_EQ(decode_xdlms_apdu(hex("60 00")).error().message,
            "xDLMS APDU at offset 0: tag 0x60 is not a service APDU this decoder reads (aarq)");
  EXPECT_EQ(decode_xdlms_apdu(hex("C0")).error().message,
            "get-request (0xC0) at offset 1: the CHOICE octet is missing");
  EXPECT_EQ(decode_xdlms_apdu(hex("C0 04 C1")).error().message,
            "get-request (0xC0) at offset 1: choice 4 is not one of 1..3");
  EXPECT_EQ(decode_xdlms_apdu(hex("C0 00 C1")).error().message,
            "get-request (0xC0) at offset 1: choice 0 is not one of 1..3");
  EXPECT_EQ(decode_xdlms_apdu(hex("C5 06 C1 00")).error().message,
            "set-response (0xC5) at offset 1: choice 6 is not one of 1..5");
  EXPECT_EQ(decode_xdlms_apdu(hex("C3 07 C1")).error().message,
            "action-request (0xC3) at offset 1: choice 7 is not one of 1..6");
  EXPECT_EQ(decode_xdlms_apdu(hex("C7 05 C1")).error().message,
            "action-response (0xC7) at offset 1: choice 5 is not one of 1..4");
  EXPECT_EQ(decode_xdlms_apdu(hex("C0 01 C1 00 08")).error().message,
            "Get-Request-Normal at offset 5: instance-id needs 6 octets, 0 left");
}

TEST(XdlmsApdu, ChoosesTheExceptionResponse) {
  const ExceptionResponse unknown{ExceptionStateError::service_unknown,
                                  ExceptionServiceError::service_not_supported};
  const ExceptionResponse malformed{ExceptionStateError::service_unknown,
                                    ExceptionServiceError::other_reason};
  EXPECT_EQ(exception_response_for(Octets{}), unknown);
  EXPECT_EQ(exception_response_for(hex("42 00")), unknown);
  EXPECT_EQ(exception_response_for(hex("C8 10 30 00 00 00 01")), unknown);
  EXPECT_EQ(exception_response_for(hex("C0")), unknown);
  EXPECT_EQ(exception_response_for(hex("C0 04 C1")), unknown);
  EXPECT_EQ(exception_response_for(hex("C0 01 C1 00 08")), malformed);
  EXPECT_EQ(exception_response_for(hex("C1 01 C1 00 03 01 00 01 08 00 FF 02 00 07")), malformed);
  EXPECT_EQ(exception_response_for(hex("42 00")).encode(), hex("D8 02 02"));
}

TEST(XdlmsApdu, NamesTags) {
  EXPECT_EQ(apdu_name(0xC0), "get-request");
  EXPECT_EQ(apdu_name(0xC4), "get-response");
  EXPECT_EQ(apdu_name(0xC1), "set-request");
  EXPECT_EQ(apdu_name(0xC7), "action-response");
  EXPECT_EQ(apdu_name(0xD8), "exception-response");
  EXPECT_EQ(apdu_name(0x0F), "data-notification");
  EXPECT_EQ(apdu_name(0x05), "read-request");
  EXPECT_EQ(apdu_name(0x06), "write-request");
  EXPECT_EQ(apdu_name(0xCB), "glo-action-request");
  EXPECT_EQ(apdu_name(0xD4), "ded-get-response");
  EXPECT_EQ(apdu_name(0xDB), "general-glo-ciphering");
  EXPECT_EQ(apdu_name(0xE0), "general-block-transfer");
  EXPECT_EQ(apdu_name(0x61), "aare");
  EXPECT_EQ(apdu_name(0x01), "initiate-request");
  EXPECT_EQ(apdu_name(0xC6), "unknown");
  EXPECT_EQ(apdu_name(0x00), "unknown");
  EXPECT_EQ(apdu_name(XdlmsApdu{ShortNameRequest{0x06, {}}}), "write-request");
}

TEST(XdlmsApdu, RendersResultNames) {
  EXPECT_EQ(to_string(DataAccessResult::success), "success");
  EXPECT_EQ(to_string(DataAccessResult::scope_of_access_violated), "scope-of-access-violated");
  EXPECT_EQ(to_string(DataAccessResult::data_block_number_invalid), "data-block-number-invalid");
  EXPECT_EQ(to_string(DataAccessResult::other_reason), "other-reason");
  EXPECT_EQ(to_string(static_cast<DataAccessResult>(5)), "unknown");
  EXPECT_EQ(to_string(ActionResult::long_action_aborted), "long-action-aborted");
  EXPECT_EQ(to_string(ExceptionServiceError::invocation_counter_error), "invocation-counter-error");
}

// The fuzz property, deterministic: seeded mutations of every example (octets changed,
// inserted, removed) are either refused with a message or decode to a model that re-encodes to
// octets decoding to the same model, which re-encode to themselves.
TEST(XdlmsApdu, MutationsAreRefusedOrRoundTrip) {
  std::mt19937 rng(20261125);
  const auto examples = every_kind();
  std::size_t decoded_count = 0;
  for (int round = 0; round < 20'000; ++round) {
    Octets bytes = examples[rng() % examples.size()].bytes;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int edit = 0; edit < edits; ++edit) {
      const std::size_t at = bytes.empty() ? 0 : rng() % bytes.size();
      switch (rng() % 4) {
        case 0:
        case 1:
          if (!bytes.empty()) bytes[at] = static_cast<std::uint8_t>(rng());
          break;
        case 2:
          bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                       static_cast<std::uint8_t>(rng()));
          break;
        default:
          if (!bytes.empty()) bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(at));
          break;
      }
    }
    auto apdu = decode_xdlms_apdu(bytes);
    if (!apdu) {
      ASSERT_FALSE(apdu.error().message.empty());
      continue;
    }
    ++decoded_count;
    const Octets wire = encode_xdlms_apdu(*apdu);
    auto again = decode_xdlms_apdu(wire);
    ASSERT_TRUE(again) << again.error().message;
    ASSERT_EQ(*again, *apdu);
    ASSERT_EQ(encode_xdlms_apdu(*again), wire);
  }
  // Enough of them decode for the property to mean something.
  EXPECT_GT(decoded_count, 2'000U);
}

}  // namespace
}  // namespace gridmeter::dlms
