// The server side of an association, APDU in, APDU out, with exact octets: opening (AARQ
// checks in order, each refusal with its diagnostic), the services within the negotiated
// conformance, block transfer both ways, release.
#include "dlms/association.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "apdu_test_support.hpp"
#include "dlms/axdr.hpp"
#include "dlms/server_connection.hpp"
#include "fake_object_server.hpp"

namespace gridmeter::dlms {
namespace {

using apdu_testing::hex;
using apdu_testing::Octets;
using testing_support::FakeObjects;

ServerSettings test_settings() {
  ServerSettings settings;
  settings.clients.push_back(ClientPolicy::public_client(read_only_conformance));
  settings.clients.push_back(
      ClientPolicy::low_level(0x20, {'s', 'e', 'c', 'r', 'e', 't', '1', '2'}, server_conformance));
  return settings;
}

// The Green Book's AARQ, lowest level security: conformance 00 7E 1F, client PDU `pdu`.
Octets public_aarq(std::string_view pdu = "04 B0") {
  return hex(
      "60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 7E "
      "1F " +
      std::string(pdu));
}

// An LLS AARQ with `password` and the full conformance the server implements.
Octets lls_aarq(std::string_view password, std::uint16_t pdu = 0xFFFF) {
  Aarq aarq;
  aarq.authentication = true;
  aarq.mechanism_name = to_oid(Mechanism::low);
  aarq.calling_authentication_value.emplace(password.begin(), password.end());
  InitiateRequest initiate;
  initiate.proposed_conformance = server_conformance;
  initiate.client_max_receive_pdu_size = pdu;
  aarq.user_information = *initiate.encode();
  return *aarq.encode();
}

class AssociationTest : public ::testing::Test {
 protected:
  Octets send(Association& association, const Octets& request) {
    Octets response;
    association.handle(request, response);
    return response;
  }
  Aare open(Association& association, const Octets& aarq) {
    const Octets answer = send(association, aarq);
    auto aare = Aare::decode(answer);
    EXPECT_TRUE(aare) << (aare ? "" : aare.error().message);
    return aare ? *aare : Aare{};
  }

  ServerSettings settings_ = test_settings();
  FakeObjects objects_;
  Association public_{settings_, objects_, 0x10, 1};
  Association reader_{settings_, objects_, 0x20, 1};
};

TEST_F(AssociationTest, AcceptsThePublicClientWithTheIntersectionOfTheConformance) {
  // Proposed 00 7E 1F, offered 00 12 14 (reading): negotiated 00 12 14, server PDU 2048.
  EXPECT_EQ(send(public_, public_aarq()),
            hex("61 29 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 00 A3 05 A1 03 02 01 00 "
                "BE 10 04 0E 08 00 06 5F 1F 04 00 00 12 14 08 00 00 07"));
  ASSERT_TRUE(public_.associated());
  EXPECT_EQ(public_.context().conformance.value(), 0x001214U);
  EXPECT_EQ(public_.context().client_max_receive_pdu_size, 1200);
  EXPECT_EQ(public_.context().server_max_receive_pdu_size, 2048);
  EXPECT_EQ(public_.context().mechanism, Mechanism::lowest);
}

TEST_F(AssociationTest, ServicesBeforeAnAssociationGetAnExceptionResponse) {
  EXPECT_EQ(send(public_, hex("C0 01 C1 00 03 01 00 01 08 00 FF 02 00")), hex("D8 01 01"));
  EXPECT_EQ(objects_.last_context.client_sap, 0);  // the objects were never asked
}

TEST_F(AssociationTest, GetReadsTheObjectServerWithTheAssociationsContext) {
  open(public_, public_aarq());
  EXPECT_EQ(send(public_, hex("C0 01 C1 00 03 01 00 01 08 00 FF 02 00")),
            hex("C4 01 C1 00 06 00 00 04 D2"));
  EXPECT_EQ(objects_.last_context.client_sap, 0x10);
  EXPECT_TRUE(objects_.last_context.associated);
  // A Data-Access-Result travels as the second choice.
  EXPECT_EQ(send(public_, hex("C0 01 C2 00 03 01 00 02 08 00 FF 02 00")), hex("C4 01 C2 01 04"));
}

TEST_F(AssociationTest, ServicesOutsideTheNegotiatedConformanceAreRefused) {
  open(public_, public_aarq());
  // SET and ACTION were not granted to the reading-only policy.
  EXPECT_EQ(send(public_, hex("C1 01 C1 00 03 01 00 01 08 00 FF 02 00 06 00 00 00 00")),
            hex("D8 01 02"));
  EXPECT_EQ(send(public_, hex("C3 01 C1 00 08 00 00 01 00 00 FF 06 00")), hex("D8 01 02"));
  EXPECT_EQ(objects_.sets, 0);
  EXPECT_EQ(objects_.actions, 0);
}

TEST_F(AssociationTest, ARequestLongerThanTheServersPduIsRefused) {
  open(public_, public_aarq());
  Octets request = hex("C0 01 C1 00 03 01 00 01 08 00 FF 02 00");
  request.resize(settings_.max_receive_pdu_size + 1, 0);
  EXPECT_EQ(send(public_, request), hex("D8 01 04"));
}

TEST_F(AssociationTest, MalformedAndUnknownApdusGetTheirExceptionResponses) {
  open(public_, public_aarq());
  EXPECT_EQ(send(public_, hex("C0 01 C1 00 03 01")), hex("D8 02 03"));  // cut short
  EXPECT_EQ(send(public_, hex("42 00")), hex("D8 02 02"));              // unknown tag
  EXPECT_EQ(send(public_, hex("C0 07 C1")), hex("D8 02 02"));           // unknown choice
  EXPECT_EQ(send(public_, hex("")), hex("D8 02 02"));                   // empty
  EXPECT_EQ(send(public_, hex("C4 01 C1 00 0F 01")), hex("D8 01 02"));  // a response
  // Short name services are refused with ConfirmedServiceError read, service-unsupported.
  EXPECT_EQ(send(public_, hex("05 01 02 FA 00")), hex("0E 05 03 02"));
  EXPECT_TRUE(public_.associated());  // none of this ends the association
}

TEST_F(AssociationTest, LowLevelSecurityWithTheRightPassword) {
  const Aare aare = open(reader_, lls_aarq("secret12"));
  EXPECT_EQ(aare.result, AssociationResult::accepted);
  EXPECT_TRUE(aare.authentication);
  ASSERT_TRUE(aare.mechanism_name);
  EXPECT_EQ(mechanism_of(*aare.mechanism_name), Mechanism::low);
  EXPECT_TRUE(reader_.associated());
  EXPECT_EQ(reader_.context().mechanism, Mechanism::low);
  EXPECT_EQ(reader_.context().conformance, server_conformance);
}

TEST_F(AssociationTest, EachAuthenticationFaultHasItsDiagnostic) {
  auto diagnostic_of = [&](const Octets& aarq) {
    const Aare aare = open(reader_, aarq);
    EXPECT_EQ(aare.result, AssociationResult::rejected_permanent);
    EXPECT_FALSE(reader_.associated());
    return aare.diagnostic;
  };
  EXPECT_EQ(diagnostic_of(lls_aarq("secret13")),
            SourceDiagnostic{AcseServiceUser::authentication_failure});
  EXPECT_EQ(diagnostic_of(lls_aarq("secret1")),
            SourceDiagnostic{AcseServiceUser::authentication_failure});
  EXPECT_EQ(diagnostic_of(lls_aarq("secret123")),
            SourceDiagnostic{AcseServiceUser::authentication_failure});
  EXPECT_EQ(reader_.failed_authentications(), 3U);
  // No mechanism named at all, to a client that needs one.
  EXPECT_EQ(diagnostic_of(public_aarq()),
            SourceDiagnostic{AcseServiceUser::authentication_mechanism_name_required});
  // The mechanism, but no password.
  Aarq no_password = *Aarq::decode(lls_aarq("x"));
  no_password.calling_authentication_value.reset();
  EXPECT_EQ(diagnostic_of(*no_password.encode()),
            SourceDiagnostic{AcseServiceUser::authentication_required});
  // HLS-GMAC is not this client's mechanism.
  Aarq gmac = *Aarq::decode(lls_aarq("x"));
  gmac.mechanism_name = to_oid(Mechanism::high_gmac);
  EXPECT_EQ(diagnostic_of(*gmac.encode()),
            SourceDiagnostic{AcseServiceUser::authentication_mechanism_name_not_recognised});
  // And the public client takes no password.
  const Aare refused = open(public_, lls_aarq("secret12"));
  EXPECT_EQ(refused.diagnostic,
            SourceDiagnostic{AcseServiceUser::authentication_mechanism_name_not_recognised});
  // The wire form of an authentication failure: A2 result 1, A3 acse-service-user 13.
  const Octets answer = send(reader_, lls_aarq("wrong!!!"));
  EXPECT_EQ(Octets(answer.begin(), answer.begin() + 25),
            hex("61 17 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 01 A3 05 A1 03 02 01 0D"));
}

TEST_F(AssociationTest, AnUnknownClientOrContextIsRefused) {
  Association stranger(settings_, objects_, 0x55, 1);
  EXPECT_EQ(open(stranger, public_aarq()).diagnostic,
            SourceDiagnostic{AcseServiceUser::no_reason_given});
  Aarq ciphered = *Aarq::decode(public_aarq());
  ciphered.application_context_name = to_oid(ApplicationContext::ln_ciphering);
  const Aare aare = open(public_, *ciphered.encode());
  EXPECT_EQ(aare.diagnostic,
            SourceDiagnostic{AcseServiceUser::application_context_name_not_supported});
  EXPECT_EQ(application_context_of(aare.application_context_name),
            ApplicationContext::ln_no_ciphering);
  Aarq versioned = *Aarq::decode(public_aarq());
  versioned.protocol_version = ProtocolVersion::without_version1;
  EXPECT_EQ(open(public_, *versioned.encode()).diagnostic,
            SourceDiagnostic{AcseServiceProvider::no_common_acse_version});
  EXPECT_EQ(open(public_, hex("60 03 A1 01 06")).diagnostic,
            SourceDiagnostic{AcseServiceProvider::no_reason_given});
}

TEST_F(AssociationTest, InitiateErrorsTravelInTheUserInformation) {
  auto initiate_error_of = [&](const InitiateRequest& initiate) {
    Aarq aarq = *Aarq::decode(public_aarq());
    aarq.user_information = *initiate.encode();
    const Aare aare = open(public_, *aarq.encode());
    EXPECT_EQ(aare.result, AssociationResult::rejected_permanent);
    EXPECT_TRUE(aare.user_information);
    return aare.user_information.value_or(Octets{});
  };
  InitiateRequest initiate;
  initiate.proposed_conformance = read_only_conformance;
  initiate.proposed_dlms_version_number = 5;
  EXPECT_EQ(initiate_error_of(initiate), hex("0E 01 06 01"));
  initiate.proposed_dlms_version_number = 6;
  initiate.client_max_receive_pdu_size = 63;
  EXPECT_EQ(initiate_error_of(initiate), hex("0E 01 06 03"));
  initiate.client_max_receive_pdu_size = 64;
  initiate.proposed_conformance = Conformance{ConformanceBit::set, ConformanceBit::action};
  EXPECT_EQ(initiate_error_of(initiate), hex("0E 01 06 02"));
  initiate.proposed_conformance = read_only_conformance;
  initiate.dedicated_key = Octets(16, 0x11);  // only in a ciphered context
  EXPECT_EQ(initiate_error_of(initiate), hex("0E 01 06 00"));
  EXPECT_FALSE(public_.associated());
}

TEST_F(AssociationTest, ALongAnswerTravelsInBlocksOfTheClientsPdu) {
  open(public_, public_aarq("00 40"));  // client PDU 64: 52 octets of raw data a block
  Octets encoded;
  encode(objects_.long_value, encoded);  // 82 01 2C then 300 octets: 304 in all
  Octets raw;
  Octets answer = send(public_, hex("C0 01 C1 00 07 00 00 63 62 00 FF 02 00"));
  for (std::uint32_t block = 1;; ++block) {
    ASSERT_LE(answer.size(), 64U);
    auto decoded = GetResponseWithDatablock::decode(answer);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded->block.block_number, block);
    const auto& data = std::get<Octets>(decoded->block.result);
    raw.insert(raw.end(), data.begin(), data.end());
    if (decoded->block.last_block) {
      EXPECT_EQ(block, 6U);  // ceil(304 / 52)
      break;
    }
    answer = send(public_, GetRequestNext{InvokeIdAndPriority{0xC1}, block}.encode());
  }
  EXPECT_EQ(raw, encoded);
  // The transfer is over: another Get-Request-Next has nothing to continue.
  EXPECT_EQ(send(public_, GetRequestNext{InvokeIdAndPriority{0xC1}, 6}.encode()),
            hex("C4 02 C1 01 00 00 00 06 01 10"));
}

TEST_F(AssociationTest, ABlockOutOfStepEndsTheTransfer) {
  open(public_, public_aarq("00 40"));
  send(public_, hex("C0 01 C1 00 07 00 00 63 62 00 FF 02 00"));
  EXPECT_EQ(send(public_, GetRequestNext{InvokeIdAndPriority{0xC1}, 3}.encode()),
            hex("C4 02 C1 01 00 00 00 03 01 13"));  // data-block-number-invalid
  EXPECT_EQ(send(public_, GetRequestNext{InvokeIdAndPriority{0xC1}, 1}.encode()),
            hex("C4 02 C1 01 00 00 00 01 01 10"));  // no-long-get-in-progress
}

TEST_F(AssociationTest, WithoutBlockTransferATooLongAnswerIsOtherReason) {
  InitiateRequest initiate;
  initiate.proposed_conformance = Conformance{ConformanceBit::get};
  initiate.client_max_receive_pdu_size = 64;
  Aarq aarq = *Aarq::decode(public_aarq());
  aarq.user_information = *initiate.encode();
  open(public_, *aarq.encode());
  EXPECT_EQ(send(public_, hex("C0 01 C1 00 07 00 00 63 62 00 FF 02 00")), hex("C4 01 C1 01 FA"));
  // And Get-Request-Next itself was never granted.
  EXPECT_EQ(send(public_, GetRequestNext{InvokeIdAndPriority{0xC1}, 1}.encode()), hex("D8 01 02"));
}

TEST_F(AssociationTest, GetWithListAnswersEachInOrder) {
  open(public_, public_aarq());
  GetRequestWithList request;
  request.attributes = {{{3, Obis{1, 0, 1, 8, 0, 255}, 2}, std::nullopt},
                        {{3, Obis{1, 0, 9, 9, 0, 255}, 2}, std::nullopt}};
  EXPECT_EQ(send(public_, request.encode()), hex("C4 03 C1 02 00 06 00 00 04 D2 01 04"));
}

TEST_F(AssociationTest, SetNormalListAndUnconfirmed) {
  open(reader_, lls_aarq("secret12"));
  EXPECT_EQ(send(reader_, hex("C1 01 C1 00 03 01 00 01 08 00 FF 02 00 06 00 00 00 07")),
            hex("C5 01 C1 00"));
  EXPECT_EQ(objects_.written, Data::unsigned32(7));
  // Unconfirmed (service class bit clear): applied, not answered.
  EXPECT_EQ(send(reader_, hex("C1 01 81 00 03 01 00 01 08 00 FF 02 00 06 00 00 00 08")), Octets{});
  EXPECT_EQ(objects_.written, Data::unsigned32(8));
  SetRequestWithList list;
  list.items = {{{3, Obis{1, 0, 1, 8, 0, 255}, 2}, std::nullopt, Data::unsigned32(9)},
                {{1, Obis{0, 0, 96, 1, 0, 255}, 2}, std::nullopt, Data::unsigned8(1)}};
  EXPECT_EQ(send(reader_, list.encode()), hex("C5 05 C1 02 00 04"));
  EXPECT_EQ(objects_.sets, 3);
}

TEST_F(AssociationTest, SetInDatablocksIsReassembledAndApplied) {
  open(reader_, lls_aarq("secret12"));
  const Data value = Data::octets(Octets(100, 0x5A));
  Octets raw;
  encode(value, raw);  // 09 64 and 100 octets
  const CosemAttributeDescriptor target{3, Obis{1, 0, 1, 8, 0, 255}, 2};
  SetRequestWithFirstDatablock first;
  first.attribute = target;
  first.block = {false, 1, Octets(raw.begin(), raw.begin() + 40)};
  EXPECT_EQ(send(reader_, first.encode()), hex("C5 02 C1 00 00 00 01"));
  SetRequestWithDatablock second;
  second.block = {false, 2, Octets(raw.begin() + 40, raw.begin() + 80)};
  EXPECT_EQ(send(reader_, second.encode()), hex("C5 02 C1 00 00 00 02"));
  SetRequestWithDatablock last;
  last.block = {true, 3, Octets(raw.begin() + 80, raw.end())};
  EXPECT_EQ(send(reader_, last.encode()), hex("C5 03 C1 00 00 00 00 03"));
  EXPECT_EQ(objects_.written, value);
  EXPECT_EQ(objects_.sets, 1);
  // A block out of step aborts (and nothing is written).
  send(reader_, first.encode());
  SetRequestWithDatablock skipped;
  skipped.block = {true, 3, Octets(raw.begin() + 40, raw.end())};
  EXPECT_EQ(send(reader_, skipped.encode()), hex("C5 03 C1 13 00 00 00 03"));
  EXPECT_EQ(send(reader_, last.encode()), hex("C5 03 C1 12 00 00 00 03"));  // none in progress
  EXPECT_EQ(objects_.sets, 1);
  // Octets that are no Data value are type-unmatched.
  SetRequestWithFirstDatablock garbage;
  garbage.attribute = target;
  garbage.block = {true, 1, hex("07 00")};
  EXPECT_EQ(send(reader_, garbage.encode()), hex("C5 03 C1 0C 00 00 00 01"));
}

TEST_F(AssociationTest, ActionNormalPblocksAndALongReturn) {
  open(reader_, lls_aarq("secret12", 64));
  // Normal: the fake returns its parameter.
  EXPECT_EQ(send(reader_, hex("C3 01 C1 00 08 00 00 01 00 00 FF 06 01 10 FF E2")),
            hex("C7 01 C1 00 01 00 10 FF E2"));
  // Parameters in two blocks.
  const Data parameters = Data::octets(Octets(30, 0x33));
  Octets raw;
  encode(parameters, raw);
  ActionRequestWithFirstPblock first;
  first.method = {8, Obis{0, 0, 1, 0, 0, 255}, 6};
  first.block = {false, 1, Octets(raw.begin(), raw.begin() + 10)};
  EXPECT_EQ(send(reader_, first.encode()), hex("C7 04 C1 00 00 00 01"));
  ActionRequestWithPblock rest;
  rest.block = {true, 2, Octets(raw.begin() + 10, raw.end())};
  const Octets answer = send(reader_, rest.encode());
  EXPECT_EQ(objects_.last_parameters, parameters);
  // 32 octets of return value fit a 64-octet PDU: a normal answer.
  EXPECT_EQ(answer.size(), 6U + raw.size());
  // A return value longer than the client's PDU comes back in pblocks.
  const Data big = Data::octets(Octets(100, 0x44));
  Octets big_raw;
  encode(big, big_raw);
  ActionRequestNormal call;
  call.method = {8, Obis{0, 0, 1, 0, 0, 255}, 6};
  call.parameters = big;
  // The request itself is 115 octets: within the server's 2048.
  Octets collected;
  Octets reply = send(reader_, call.encode());
  for (std::uint32_t block = 1;; ++block) {
    auto decoded = ActionResponseWithPblock::decode(reply);
    ASSERT_TRUE(decoded) << decoded.error().message;
    ASSERT_LE(reply.size(), 64U);
    EXPECT_EQ(decoded->block.block_number, block);
    collected.insert(collected.end(), decoded->block.raw_data.begin(),
                     decoded->block.raw_data.end());
    if (decoded->block.last_block) break;
    reply = send(reader_, ActionRequestNextPblock{InvokeIdAndPriority{0xC1}, block}.encode());
  }
  EXPECT_EQ(collected, big_raw);
}

TEST_F(AssociationTest, ReleaseEndsTheAssociationAndAnAarqStartsANewOne) {
  open(public_, public_aarq());
  EXPECT_EQ(send(public_, hex("62 03 80 01 00")), hex("63 03 80 01 00"));
  EXPECT_FALSE(public_.associated());
  EXPECT_EQ(send(public_, hex("C0 01 C1 00 03 01 00 01 08 00 FF 02 00")), hex("D8 01 01"));
  open(public_, public_aarq());
  EXPECT_TRUE(public_.associated());
  // A second AARQ replaces the association (a client that lost track starts over).
  open(public_, public_aarq("00 40"));
  EXPECT_EQ(public_.context().client_max_receive_pdu_size, 64);
}

TEST(ServerConnection, OneAssociationPerClientAndWrongServerSapsClose) {
  ServerSettings settings = test_settings();
  settings.associations_per_connection_max = 2;
  FakeObjects objects;
  ServerConnection connection(settings, objects);
  Octets answer;
  EXPECT_EQ(connection.handle(0x10, 1, public_aarq(), answer), ServerConnection::Verdict::answer);
  ASSERT_NE(connection.association(0x10), nullptr);
  EXPECT_TRUE(connection.association(0x10)->associated());
  // The reading client on the same connection has its own (not yet opened) association.
  EXPECT_EQ(connection.handle(0x20, 1, hex("C0 01 C1 00 03 01 00 01 08 00 FF 02 00"), answer),
            ServerConnection::Verdict::answer);
  EXPECT_EQ(answer, hex("D8 01 01"));
  EXPECT_EQ(connection.handle(0x30, 1, public_aarq(), answer), ServerConnection::Verdict::close);
  EXPECT_EQ(connection.handle(0x10, 2, public_aarq(), answer), ServerConnection::Verdict::close);
  EXPECT_EQ(connection.handle(0x00, 1, public_aarq(), answer), ServerConnection::Verdict::close);
  EXPECT_EQ(connection.association_count(), 2U);
}

}  // namespace
}  // namespace gridmeter::dlms
