// InitiateRequest, InitiateResponse, ConfirmedServiceError and the conformance block against
// the DLMS Green Book's example bytes, round trips, and malformed input.
#include "dlms/initiate.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gridmeter::dlms {
namespace {

using Octets = std::vector<std::uint8_t>;

// "01 00 ..." -> octets; spaces are ignored.
Octets hex(std::string_view text) {
  Octets out;
  int high = -1;
  for (char c : text) {
    int nibble = -1;
    if (c >= '0' && c <= '9') nibble = c - '0';
    if (c >= 'A' && c <= 'F') nibble = c - 'A' + 10;
    if (c >= 'a' && c <= 'f') nibble = c - 'a' + 10;
    if (nibble < 0) continue;
    if (high < 0) {
      high = nibble;
    } else {
      out.push_back(static_cast<std::uint8_t>(high * 16 + nibble));
      high = -1;
    }
  }
  EXPECT_EQ(high, -1) << "odd number of hex digits in " << text;
  return out;
}

// Green Book: the InitiateRequest of the lowest-level AARQ, conformance 00 7E 1F, max PDU 1200.
const Octets request_example = hex("01 00 00 00 06 5F 1F 04 00 00 7E 1F 04 B0");
// The shared reference's plaintext glo-initiate-request content: with a dedicated key.
const Octets request_with_key =
    hex("01 01 10 00112233445566778899AABBCCDDEEFF 00 00 06 5F 1F 04 00 00 7E 1F 04 B0");
// Green Book: the InitiateResponse of the accepting AARE.
const Octets response_example = hex("08 00 06 5F 1F 04 00 00 50 1F 01 F4 00 07");
// initiateError, initiate, dlms-version-too-low.
const Octets service_error_example = hex("0E 01 06 01");

TEST(InitiateRequest, DecodesGreenBookExample) {
  auto request = InitiateRequest::decode(request_example);
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_FALSE(request->dedicated_key);
  EXPECT_TRUE(request->response_allowed);
  EXPECT_FALSE(request->proposed_quality_of_service);
  EXPECT_EQ(request->proposed_dlms_version_number, 6);
  EXPECT_EQ(request->proposed_conformance.value(), 0x007E1FU);
  EXPECT_EQ(request->client_max_receive_pdu_size, 0x04B0);
  auto wire = request->encode();
  ASSERT_TRUE(wire) << wire.error().message;
  EXPECT_EQ(*wire, request_example);
}

TEST(InitiateRequest, DecodesDedicatedKey) {
  auto request = InitiateRequest::decode(request_with_key);
  ASSERT_TRUE(request) << request.error().message;
  ASSERT_TRUE(request->dedicated_key);
  EXPECT_EQ(*request->dedicated_key, hex("00112233445566778899AABBCCDDEEFF"));
  EXPECT_TRUE(request->response_allowed);
  EXPECT_EQ(request->proposed_conformance.value(), 0x007E1FU);
  EXPECT_EQ(request->client_max_receive_pdu_size, 0x04B0);
  EXPECT_EQ(*request->encode(), request_with_key);
}

TEST(InitiateRequest, BuildsHeaderExample) {
  InitiateRequest request;
  request.proposed_conformance = Conformance{ConformanceBit::get, ConformanceBit::set,
                                             ConformanceBit::block_transfer_with_get_or_read};
  request.client_max_receive_pdu_size = 0x04B0;
  EXPECT_EQ(*request.encode(), hex("01 00 00 00 06 5F 1F 04 00 00 10 18 04 B0"));
}

TEST(InitiateRequest, RoundTripsOptionalFields) {
  InitiateRequest request;
  request.response_allowed = false;
  request.proposed_quality_of_service = 5;
  request.proposed_conformance = Conformance{ConformanceBit::get};
  request.client_max_receive_pdu_size = 0x0080;
  auto wire = request.encode();
  ASSERT_TRUE(wire) << wire.error().message;
  // FALSE is not the default, so it is written: 01 00; the QoS: 01 05.
  EXPECT_EQ(*wire, hex("01 00 01 00 01 05 06 5F 1F 04 00 00 00 10 00 80"));
  EXPECT_EQ(*InitiateRequest::decode(*wire), request);

  request.proposed_quality_of_service = -1;
  EXPECT_EQ(*InitiateRequest::decode(*request.encode()), request);
}

TEST(InitiateRequest, ExplicitTrueEqualsTheDefault) {
  auto request = InitiateRequest::decode(hex("01 00 01 FF 00 06 5F 1F 04 00 00 7E 1F 04 B0"));
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_TRUE(request->response_allowed);
  EXPECT_EQ(*request->encode(), request_example);
}

TEST(InitiateRequest, LongKeysTakeLongFormLengths) {
  for (std::size_t size : {std::size_t{127}, std::size_t{128}, std::size_t{255}, std::size_t{256},
                           std::size_t{1000}}) {
    InitiateRequest request;
    request.dedicated_key = Octets(size, 0xA5);
    auto wire = request.encode();
    ASSERT_TRUE(wire) << wire.error().message;
    const std::uint8_t expected_form =
        size < 0x80 ? static_cast<std::uint8_t>(size) : (size < 0x100 ? 0x81 : 0x82);
    EXPECT_EQ((*wire)[2], expected_form) << size;
    auto back = InitiateRequest::decode(*wire);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, request);
  }
  InitiateRequest too_long;
  too_long.dedicated_key = Octets(0x10000, 0);
  EXPECT_FALSE(too_long.encode());
}

TEST(InitiateResponse, DecodesAndBuildsGreenBookExample) {
  auto response = InitiateResponse::decode(response_example);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_FALSE(response->negotiated_quality_of_service);
  EXPECT_EQ(response->negotiated_dlms_version_number, 6);
  EXPECT_EQ(response->negotiated_conformance.value(), 0x00501FU);
  EXPECT_EQ(response->server_max_receive_pdu_size, 0x01F4);
  EXPECT_EQ(response->vaa_name, vaa_name_logical_name);
  EXPECT_EQ(response->encode(), response_example);

  InitiateResponse built;
  built.negotiated_conformance = Conformance::from_value(0x00501F);
  built.server_max_receive_pdu_size = 500;
  EXPECT_EQ(built.encode(), response_example);
  built.negotiated_quality_of_service = 3;
  EXPECT_EQ(*InitiateResponse::decode(built.encode()), built);
}

TEST(ConfirmedServiceError, DecodesAndBuildsInitiateErrors) {
  auto error = ConfirmedServiceError::decode(service_error_example);
  ASSERT_TRUE(error) << error.error().message;
  EXPECT_EQ(error->service, ConfirmedService::initiate_error);
  EXPECT_EQ(error->kind, ServiceErrorKind::initiate);
  EXPECT_EQ(error->value, static_cast<std::uint8_t>(InitiateError::dlms_version_too_low));
  EXPECT_EQ(error->encode(), service_error_example);
  EXPECT_EQ(ConfirmedServiceError::initiate(InitiateError::incompatible_conformance).encode(),
            hex("0E 01 06 02"));
  EXPECT_EQ(ConfirmedServiceError::initiate(InitiateError::pdu_size_too_short).encode(),
            hex("0E 01 06 03"));
  EXPECT_EQ(ConfirmedServiceError::initiate(InitiateError::refused_by_the_vde_handler).encode(),
            hex("0E 01 06 04"));
  // Deciphering a glo-initiate-request failed: application-reference [0], deciphering-error 6.
  const ConfirmedServiceError deciphering{ConfirmedService::initiate_error,
                                          ServiceErrorKind::application_reference, 6};
  EXPECT_EQ(*ConfirmedServiceError::decode(deciphering.encode()), deciphering);
}

TEST(InitiateAnswer, DispatchesOnTheTag) {
  auto response = decode_initiate_answer(response_example);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_TRUE(std::holds_alternative<InitiateResponse>(*response));
  auto error = decode_initiate_answer(service_error_example);
  ASSERT_TRUE(error) << error.error().message;
  EXPECT_TRUE(std::holds_alternative<ConfirmedServiceError>(*error));
  auto other = decode_initiate_answer(request_example);
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find("tag 0x01"), std::string::npos) << other.error().message;
  EXPECT_FALSE(decode_initiate_answer({}));
  EXPECT_FALSE(decode_initiate_answer(hex("08 00 06")));  // the chosen decoder's error
}

// ---- the conformance block ----

TEST(Conformance, BitZeroIsTheMostSignificantBit) {
  EXPECT_EQ(Conformance{ConformanceBit::reserved_zero}.value(), 0x800000U);
  EXPECT_EQ(Conformance{ConformanceBit::action}.value(), 0x000001U);
  EXPECT_EQ(Conformance{ConformanceBit::general_protection}.value(), 0x400000U);
  EXPECT_EQ(Conformance{ConformanceBit::attribute0_supported_with_set}.value(), 0x008000U);
  EXPECT_EQ(Conformance{ConformanceBit::data_notification}.value(), 0x000080U);
  const auto octets = Conformance::from_value(0x007E1F).octets();
  EXPECT_EQ(octets[0], 0x00);
  EXPECT_EQ(octets[1], 0x7E);
  EXPECT_EQ(octets[2], 0x1F);
  EXPECT_EQ(Conformance::from_value(0xFF123456).value(), 0x123456U);  // only 24 bits
}

TEST(Conformance, NamesTheGreenBookExample) {
  // 00 7E 1F: what the classic client proposes.
  const Conformance proposed = Conformance::from_value(0x007E1F);
  EXPECT_EQ(proposed, (Conformance{ConformanceBit::priority_mgmt_supported,
                                   ConformanceBit::attribute0_supported_with_get,
                                   ConformanceBit::block_transfer_with_get_or_read,
                                   ConformanceBit::block_transfer_with_set_or_write,
                                   ConformanceBit::block_transfer_with_action,
                                   ConformanceBit::multiple_references, ConformanceBit::get,
                                   ConformanceBit::set, ConformanceBit::selective_access,
                                   ConformanceBit::event_notification, ConformanceBit::action}));
  EXPECT_EQ(Conformance::from_value(0x00501F).to_string(),
            "priority-mgmt-supported, block-transfer-with-get-or-read, get, set, "
            "selective-access, event-notification, action");
  EXPECT_EQ(Conformance{}.to_string(), "");
  EXPECT_EQ(to_string(ConformanceBit::general_block_transfer), "general-block-transfer");
  EXPECT_EQ(to_string(ConformanceBit::delta_value_encoding), "delta-value-encoding");
  EXPECT_EQ(to_string(ConformanceBit::parameterized_access), "parameterized-access");
}

TEST(Conformance, NegotiationIsTheIntersection) {
  const Conformance proposed = Conformance::from_value(0x007E1F);
  const Conformance server = Conformance::from_value(0x00501F);
  EXPECT_EQ(negotiate(proposed, server), server);
  const Conformance writer{ConformanceBit::write, ConformanceBit::get};
  EXPECT_EQ(negotiate(writer, server), Conformance{ConformanceBit::get});
  EXPECT_EQ(negotiate(Conformance{ConformanceBit::read}, server), Conformance{});
  Conformance changed = server;
  changed.set(ConformanceBit::get, false);
  EXPECT_FALSE(changed.has(ConformanceBit::get));
  changed.set(ConformanceBit::access);
  EXPECT_TRUE(changed.has(ConformanceBit::access));
  EXPECT_EQ((changed | Conformance{ConformanceBit::get}) & server, server);
}

// ---- malformed input ----

TEST(Initiate, EveryTruncationIsAClearError) {
  const auto check = [](const Octets& bytes, auto decode) {
    for (std::size_t size = 0; size < bytes.size(); ++size) {
      auto result = decode(std::span<const std::uint8_t>(bytes.data(), size));
      ASSERT_FALSE(result) << "prefix of " << size << " octets decoded";
      EXPECT_FALSE(result.error().message.empty());
    }
  };
  check(request_example, InitiateRequest::decode);
  check(request_with_key, InitiateRequest::decode);
  check(response_example, InitiateResponse::decode);
  check(service_error_example, ConfirmedServiceError::decode);
  check(response_example, decode_initiate_answer);
}

TEST(Initiate, RefusesMalformedFields) {
  struct Case {
    const char* what;
    Octets bytes;
    const char* message_part;
  };
  const std::vector<Case> cases = {
      {"wrong tag", hex("02 00 00 00 06 5F 1F 04 00 00 7E 1F 04 B0"), "tag 0x02"},
      {"trailing octet", hex("01 00 00 00 06 5F 1F 04 00 00 7E 1F 04 B0 00"), "after the end"},
      {"presence flag 02", hex("01 02 00 00 06 5F 1F 04 00 00 7E 1F 04 B0"), "presence flag"},
      {"conformance tag", hex("01 00 00 00 06 5F 1E 04 00 00 7E 1F 04 B0"), "5F 1F 04 00"},
      {"conformance length", hex("01 00 00 00 06 5F 1F 03 00 00 7E 1F 04 B0"), "5F 1F 04 00"},
      {"conformance unused bits", hex("01 00 00 00 06 5F 1F 04 01 00 7E 1F 04 B0"), "5F 1F 04 00"},
      {"key beyond the end", hex("01 01 10 00 11 22"), "runs past the end"},
      {"indefinite key length", hex("01 01 80 00 00 06 5F 1F 04 00 00 7E 1F 04 B0"), "indefinite"},
      {"three-octet key length", hex("01 01 83 00 00 01 AA 00 00 06 5F 1F 04 00 00 7E 1F 04 B0"),
       "65535"},
  };
  for (const Case& c : cases) {
    auto result = InitiateRequest::decode(c.bytes);
    ASSERT_FALSE(result) << c.what;
    EXPECT_NE(result.error().message.find(c.message_part), std::string::npos)
        << c.what << ": " << result.error().message;
  }
  EXPECT_FALSE(InitiateResponse::decode(hex("08 02 06 5F 1F 04 00 00 50 1F 01 F4 00 07")));
  EXPECT_FALSE(InitiateResponse::decode(hex("08 00 06 5F 1F 04 00 00 50 1F 01 F4 00 07 00")));
  EXPECT_FALSE(InitiateResponse::decode(request_example));
  EXPECT_FALSE(ConfirmedServiceError::decode(hex("0E 00 06 01")));  // service 0 is reserved
  EXPECT_FALSE(ConfirmedServiceError::decode(hex("0E 14 06 01")));  // service 20
  EXPECT_FALSE(ConfirmedServiceError::decode(hex("0E 01 0B 01")));  // kind 11
  EXPECT_FALSE(ConfirmedServiceError::decode(hex("0E 01 06 01 00")));
}

}  // namespace
}  // namespace gridmeter::dlms
