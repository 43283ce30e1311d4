// AARQ, AARE, RLRQ and RLRE against the DLMS Green Book's example bytes, round trips both
// ways, and the malformed inputs a server must refuse with a message instead of crashing.
#include "dlms/acse.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dlms/initiate.hpp"

namespace gridmeter::dlms {
namespace {

using Octets = std::vector<std::uint8_t>;

// "60 1D A1 ..." -> octets; spaces are ignored.
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

Octets text_octets(std::string_view text) { return Octets(text.begin(), text.end()); }

Octets concat(std::initializer_list<Octets> parts) {
  Octets out;
  for (const Octets& part : parts)
    out.insert(out.end(), part.begin(), part.end());
  return out;
}

// Green Book: AARQ, LN referencing without ciphering, lowest level security.
const Octets aarq_lowest =
    hex("60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 7E 1F 04 "
        "B0");
// Green Book: the AARE accepting it.
const Octets aare_accepted =
    hex("61 29 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 00 A3 05 A1 03 02 01 00 BE 10 04 0E 08 "
        "00 06 5F 1F 04 00 00 50 1F 01 F4 00 07");
// AARQ with LLS, password "12345678".
const Octets aarq_lls =
    hex("60 36 A1 09 06 07 60 85 74 05 08 01 01 8A 02 07 80 8B 07 60 85 74 05 08 02 01 AC 0A 80 08 "
        "31 32 33 34 35 36 37 38 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 7E 1F 04 B0");
// AARE refusing an initiate: rejected-permanent, ConfirmedServiceError dlms-version-too-low.
const Octets aare_rejected =
    hex("61 1F A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 01 A3 05 A1 03 02 01 01 BE 06 04 04 0E "
        "01 06 01");
// HLS-GMAC, LN with ciphering: client system title 4D4D4D0000000001, CtoS "K56iVagY" (the
// shared test vectors' V6), an opaque stand-in for the glo-initiate-request.
const Octets aarq_hls =
    hex("60 36 A1 09 06 07 60 85 74 05 08 01 03 A6 0A 04 08 4D 4D 4D 00 00 00 00 01 8A 02 07 80 8B "
        "07 60 85 74 05 08 02 05 AC 0A 80 08 4B 35 36 69 56 61 67 59 BE 04 04 02 21 00");
// ...and its answer: server system title 4D4D4D0000BC614E, authentication-required (pass 2),
// StoC "P6wRJ21F" (V5).
const Octets aare_hls =
    hex("61 42 A1 09 06 07 60 85 74 05 08 01 03 A2 03 02 01 00 A3 05 A1 03 02 01 0E A4 0A 04 08 4D "
        "4D 4D 00 00 BC 61 4E 88 02 07 80 89 07 60 85 74 05 08 02 05 AA 0A 80 08 50 36 77 52 4A 32 "
        "31 46 BE 04 04 02 AB CD");
const Octets rlrq_empty = hex("62 00");
const Octets rlre_normal = hex("63 03 80 01 00");

const Octets initiate_request = hex("01 00 00 00 06 5F 1F 04 00 00 7E 1F 04 B0");

// ---- the Green Book examples ----

TEST(Aarq, DecodesLowestLevelExample) {
  auto aarq = Aarq::decode(aarq_lowest);
  ASSERT_TRUE(aarq) << aarq.error().message;
  EXPECT_EQ(aarq->protocol_version, ProtocolVersion::omitted);
  EXPECT_EQ(application_context_of(aarq->application_context_name),
            ApplicationContext::ln_no_ciphering);
  EXPECT_EQ(to_string(aarq->application_context_name), "2.16.756.5.8.1.1");
  EXPECT_EQ(aarq->called, ApplicationEntity{});
  EXPECT_EQ(aarq->calling, ApplicationEntity{});
  EXPECT_FALSE(aarq->authentication);
  EXPECT_FALSE(aarq->mechanism_name);
  EXPECT_FALSE(aarq->calling_authentication_value);
  ASSERT_TRUE(aarq->user_information);
  EXPECT_EQ(*aarq->user_information, initiate_request);

  auto initiate = InitiateRequest::decode(*aarq->user_information);
  ASSERT_TRUE(initiate) << initiate.error().message;
  EXPECT_EQ(initiate->proposed_conformance, Conformance::from_value(0x007E1F));
  EXPECT_EQ(initiate->client_max_receive_pdu_size, 0x04B0);
}

TEST(Aarq, BuildsLowestLevelExample) {
  Aarq aarq;  // defaults: LN referencing without ciphering, no authentication
  InitiateRequest initiate;
  initiate.proposed_conformance = Conformance::from_value(0x007E1F);
  initiate.client_max_receive_pdu_size = 0x04B0;
  aarq.user_information = *initiate.encode();
  auto wire = aarq.encode();
  ASSERT_TRUE(wire) << wire.error().message;
  EXPECT_EQ(*wire, aarq_lowest);
}

TEST(Aare, DecodesAcceptedExample) {
  auto aare = Aare::decode(aare_accepted);
  ASSERT_TRUE(aare) << aare.error().message;
  EXPECT_EQ(application_context_of(aare->application_context_name),
            ApplicationContext::ln_no_ciphering);
  EXPECT_EQ(aare->result, AssociationResult::accepted);
  EXPECT_EQ(aare->diagnostic, SourceDiagnostic{AcseServiceUser::null});
  EXPECT_EQ(aare->responding, ApplicationEntity{});
  EXPECT_FALSE(aare->authentication);
  ASSERT_TRUE(aare->user_information);

  auto answer = decode_initiate_answer(*aare->user_information);
  ASSERT_TRUE(answer) << answer.error().message;
  const auto* response = std::get_if<InitiateResponse>(&*answer);
  ASSERT_NE(response, nullptr);
  EXPECT_EQ(response->negotiated_dlms_version_number, 6);
  EXPECT_EQ(response->negotiated_conformance, Conformance::from_value(0x00501F));
  EXPECT_EQ(response->server_max_receive_pdu_size, 0x01F4);
  EXPECT_EQ(response->vaa_name, 0x0007);
}

TEST(Aare, BuildsAcceptedExample) {
  InitiateResponse response;
  response.negotiated_conformance = Conformance::from_value(0x00501F);
  response.server_max_receive_pdu_size = 0x01F4;
  Aare aare;
  aare.user_information = response.encode();
  auto wire = aare.encode();
  ASSERT_TRUE(wire) << wire.error().message;
  EXPECT_EQ(*wire, aare_accepted);
}

TEST(Aarq, BuildsAndParsesLowLevelSecurity) {
  Aarq aarq;
  aarq.authentication = true;
  aarq.mechanism_name = to_oid(Mechanism::low);
  aarq.calling_authentication_value = text_octets("12345678");
  aarq.user_information = initiate_request;
  auto wire = aarq.encode();
  ASSERT_TRUE(wire) << wire.error().message;
  EXPECT_EQ(*wire, aarq_lls);

  auto parsed = Aarq::decode(aarq_lls);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, aarq);
  EXPECT_TRUE(parsed->authentication);
  ASSERT_TRUE(parsed->mechanism_name);
  EXPECT_EQ(mechanism_of(*parsed->mechanism_name), Mechanism::low);
  EXPECT_EQ(to_string(*parsed->mechanism_name), "2.16.756.5.8.2.1");
  EXPECT_EQ(parsed->calling_authentication_value, text_octets("12345678"));
}

TEST(Aare, BuildsRejectionWithInitiateError) {
  Aare aare;
  aare.result = AssociationResult::rejected_permanent;
  aare.diagnostic = AcseServiceUser::no_reason_given;
  aare.user_information =
      ConfirmedServiceError::initiate(InitiateError::dlms_version_too_low).encode();
  auto wire = aare.encode();
  ASSERT_TRUE(wire) << wire.error().message;
  EXPECT_EQ(*wire, aare_rejected);

  auto parsed = Aare::decode(aare_rejected);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, aare);
  auto answer = decode_initiate_answer(*parsed->user_information);
  ASSERT_TRUE(answer) << answer.error().message;
  const auto* error = std::get_if<ConfirmedServiceError>(&*answer);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->kind, ServiceErrorKind::initiate);
  EXPECT_EQ(error->value, static_cast<std::uint8_t>(InitiateError::dlms_version_too_low));
}

TEST(Aarq, BuildsHighLevelGmacWithCiphering) {
  Aarq aarq;
  aarq.application_context_name = to_oid(ApplicationContext::ln_ciphering);
  aarq.calling.ap_title = hex("4D4D4D0000000001");
  aarq.authentication = true;
  aarq.mechanism_name = to_oid(Mechanism::high_gmac);
  aarq.calling_authentication_value = text_octets("K56iVagY");
  aarq.user_information = hex("21 00");
  auto wire = aarq.encode();
  ASSERT_TRUE(wire) << wire.error().message;
  EXPECT_EQ(*wire, aarq_hls);
  auto parsed = Aarq::decode(aarq_hls);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, aarq);
  EXPECT_TRUE(is_ciphered(*application_context_of(parsed->application_context_name)));
}

TEST(Aare, BuildsHighLevelGmacChallenge) {
  Aare aare;
  aare.application_context_name = to_oid(ApplicationContext::ln_ciphering);
  aare.diagnostic = AcseServiceUser::authentication_required;
  aare.responding.ap_title = hex("4D4D4D0000BC614E");
  aare.authentication = true;
  aare.mechanism_name = to_oid(Mechanism::high_gmac);
  aare.responding_authentication_value = text_octets("P6wRJ21F");
  aare.user_information = hex("AB CD");
  auto wire = aare.encode();
  ASSERT_TRUE(wire) << wire.error().message;
  EXPECT_EQ(*wire, aare_hls);
  auto parsed = Aare::decode(aare_hls);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, aare);
}

TEST(Release, DecodesAndEncodesShortestForms) {
  auto rlrq = Rlrq::decode(rlrq_empty);
  ASSERT_TRUE(rlrq) << rlrq.error().message;
  EXPECT_FALSE(rlrq->reason);
  EXPECT_FALSE(rlrq->user_information);
  EXPECT_EQ(*rlrq->encode(), rlrq_empty);

  auto rlre = Rlre::decode(rlre_normal);
  ASSERT_TRUE(rlre) << rlre.error().message;
  EXPECT_EQ(rlre->reason, ReleaseResponseReason::normal);
  EXPECT_FALSE(rlre->user_information);
  EXPECT_EQ(*rlre->encode(), rlre_normal);
}

TEST(Release, CarriesReasonAndUserInformation) {
  Rlrq rlrq;
  rlrq.reason = ReleaseRequestReason::normal;
  rlrq.user_information = initiate_request;
  auto wire = rlrq.encode();
  ASSERT_TRUE(wire) << wire.error().message;
  EXPECT_EQ(*wire, concat({hex("62 15 80 01 00 BE 10 04 0E"), initiate_request}));
  EXPECT_EQ(*Rlrq::decode(*wire), rlrq);

  Rlre rlre;
  rlre.reason = ReleaseResponseReason::user_defined;
  auto rlre_wire = rlre.encode();
  ASSERT_TRUE(rlre_wire) << rlre_wire.error().message;
  EXPECT_EQ(*rlre_wire, hex("63 03 80 01 1E"));
  EXPECT_EQ(*Rlre::decode(*rlre_wire), rlre);

  // Reasons outside the list are kept as sent.
  auto odd = Rlrq::decode(hex("62 03 80 01 05"));
  ASSERT_TRUE(odd) << odd.error().message;
  EXPECT_EQ(static_cast<int>(*odd->reason), 5);
  // 200 needs two INTEGER octets (00 C8) to stay positive.
  Rlre large;
  large.reason = static_cast<ReleaseResponseReason>(200);
  EXPECT_EQ(*large.encode(), hex("63 04 80 02 00 C8"));
  EXPECT_EQ(*Rlre::decode(*large.encode()), large);
}

// ---- round trips ----

TEST(Acse, EveryExampleReencodesToItsOwnBytes) {
  for (const Octets& bytes : {aarq_lowest, aarq_lls, aarq_hls}) {
    auto decoded = Aarq::decode(bytes);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded->encode(), bytes);
  }
  for (const Octets& bytes : {aare_accepted, aare_rejected, aare_hls}) {
    auto decoded = Aare::decode(bytes);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded->encode(), bytes);
  }
  EXPECT_EQ(*Rlrq::decode(rlrq_empty)->encode(), rlrq_empty);
  EXPECT_EQ(*Rlre::decode(rlre_normal)->encode(), rlre_normal);
}

TEST(Aarq, EveryFieldRoundTrips) {
  Aarq aarq;
  aarq.protocol_version = ProtocolVersion::version1;
  aarq.application_context_name = to_oid(ApplicationContext::ln_ciphering);
  aarq.called = {hex("4D4D4D0000BC614E"), hex("0102"), 7, -1};
  aarq.calling = {hex("4D4D4D0000000001"), Octets(300, 0x5A), 0x12345678, -129};
  aarq.authentication = true;
  aarq.mechanism_name = to_oid(Mechanism::high_ecdsa);
  aarq.calling_authentication_value = Octets(64, 0xC3);
  aarq.user_information = Octets(1000, 0x11);
  auto wire = aarq.encode();
  ASSERT_TRUE(wire) << wire.error().message;
  // The 300-octet AE qualifier and the 1000-octet user-information take 0x82 lengths.
  EXPECT_EQ((*wire)[0], 0x60);
  EXPECT_EQ((*wire)[1], 0x82);
  auto parsed = Aarq::decode(*wire);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, aarq);
  EXPECT_EQ(*parsed->encode(), *wire);
}

TEST(Aarq, InvocationIdentifiersAreMinimalIntegers) {
  Aarq aarq;
  aarq.calling.ap_invocation_id = 128;   // 02 02 00 80: needs the leading zero
  aarq.calling.ae_invocation_id = -128;  // 02 01 80
  auto wire = aarq.encode();
  ASSERT_TRUE(wire) << wire.error().message;
  EXPECT_EQ(*wire, hex("60 16 A1 09 06 07 60 85 74 05 08 01 01 A8 04 02 02 00 80 A9 03 02 01 80"));
  EXPECT_EQ(*Aarq::decode(*wire), aarq);
}

TEST(Aare, EveryFieldRoundTrips) {
  Aare aare;
  aare.protocol_version = ProtocolVersion::without_version1;
  aare.result = AssociationResult::rejected_permanent;
  aare.diagnostic = AcseServiceProvider::no_common_acse_version;
  aare.responding = {hex("4D4D4D0000BC614E"), hex("AA"), 1, 2};
  aare.authentication = true;
  aare.mechanism_name = to_oid(Mechanism::high_sha256);
  aare.responding_authentication_value = Octets(32, 0x01);
  aare.user_information = hex("0E 01 06 02");
  auto wire = aare.encode();
  ASSERT_TRUE(wire) << wire.error().message;
  const Octets provider_diagnostic = hex("A3 05 A2 03 02 01 02");
  EXPECT_NE(std::search(wire->begin(), wire->end(), provider_diagnostic.begin(),
                        provider_diagnostic.end()),
            wire->end());
  auto parsed = Aare::decode(*wire);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, aare);
}

TEST(Acse, ProtocolVersionIsKept) {
  // 80 02 07 80: version1 stated explicitly.
  auto with = Aarq::decode(hex("60 0F 80 02 07 80 A1 09 06 07 60 85 74 05 08 01 01"));
  ASSERT_TRUE(with) << with.error().message;
  EXPECT_EQ(with->protocol_version, ProtocolVersion::version1);
  // A BIT STRING without bit 0: the server must answer no-common-acse-version.
  auto without = Aarq::decode(hex("60 0F 80 02 07 00 A1 09 06 07 60 85 74 05 08 01 01"));
  ASSERT_TRUE(without) << without.error().message;
  EXPECT_EQ(without->protocol_version, ProtocolVersion::without_version1);
  auto reencoded = without->encode();
  ASSERT_TRUE(reencoded);
  EXPECT_EQ(*Aarq::decode(*reencoded), *without);
}

// ---- names and identifiers ----

TEST(Acse, NamesContextsAndMechanisms) {
  EXPECT_EQ(to_string(to_oid(ApplicationContext::ln_ciphering)), "2.16.756.5.8.1.3");
  EXPECT_EQ(to_string(to_oid(ApplicationContext::sn_no_ciphering)), "2.16.756.5.8.1.2");
  for (int id = 0; id <= 7; ++id) {
    const auto mechanism = static_cast<Mechanism>(id);
    EXPECT_EQ(mechanism_of(to_oid(mechanism)), mechanism);
    EXPECT_EQ(to_string(to_oid(mechanism)), "2.16.756.5.8.2." + std::to_string(id));
  }
  EXPECT_TRUE(is_logical_name(ApplicationContext::ln_ciphering));
  EXPECT_FALSE(is_logical_name(ApplicationContext::sn_ciphering));
  EXPECT_FALSE(is_ciphered(ApplicationContext::ln_no_ciphering));
  // A mechanism OID is not a context and vice versa.
  EXPECT_FALSE(application_context_of(to_oid(Mechanism::low)));
  EXPECT_FALSE(mechanism_of(to_oid(ApplicationContext::ln_no_ciphering)));
  EXPECT_EQ(to_string(AssociationResult::rejected_transient), "rejected-transient");
  EXPECT_EQ(to_string(SourceDiagnostic{AcseServiceUser::authentication_failure}),
            "acse-service-user authentication-failure");
  EXPECT_EQ(to_string(SourceDiagnostic{AcseServiceProvider::no_common_acse_version}),
            "acse-service-provider no-common-acse-version");
  EXPECT_EQ(to_string(SourceDiagnostic{static_cast<AcseServiceUser>(99)}),
            "acse-service-user unknown (99)");
}

TEST(Acse, KeepsUnknownContextForTheAssociationToRefuse) {
  // 2.16.756.5.8.1.9 does not exist; the server must still see it to answer
  // application-context-name-not-supported.
  auto aarq = Aarq::decode(hex("60 0B A1 09 06 07 60 85 74 05 08 01 09"));
  ASSERT_TRUE(aarq) << aarq.error().message;
  EXPECT_FALSE(application_context_of(aarq->application_context_name));
  EXPECT_EQ(to_string(aarq->application_context_name), "2.16.756.5.8.1.9");
  // A foreign one: 1.2.840.113549 (RSA).
  auto foreign = Aarq::decode(hex("60 0A A1 08 06 06 2A 86 48 86 F7 0D"));
  ASSERT_TRUE(foreign) << foreign.error().message;
  EXPECT_EQ(to_string(foreign->application_context_name), "1.2.840.113549");
  EXPECT_EQ(*foreign->encode(), hex("60 0A A1 08 06 06 2A 86 48 86 F7 0D"));
}

// ---- BER forms ----

TEST(Acse, AcceptsLongFormLengths) {
  // The lowest-level AARQ with 0x81 lengths on the APDU and on user-information.
  const Octets long81 = hex(
      "60 81 1E A1 09 06 07 60 85 74 05 08 01 01 BE 81 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 7E "
      "1F 04 B0");
  const Octets long82 = hex(
      "60 82 00 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 7E "
      "1F 04 B0");
  for (const Octets& bytes : {long81, long82}) {
    auto aarq = Aarq::decode(bytes);
    ASSERT_TRUE(aarq) << aarq.error().message;
    EXPECT_EQ(*aarq, *Aarq::decode(aarq_lowest));
    // Re-encoding uses the shortest form.
    EXPECT_EQ(*aarq->encode(), aarq_lowest);
  }
}

TEST(Acse, RefusesIndefiniteAndOverlongLengths) {
  const Octets indefinite =
      concat({hex("60 80"), Octets(aarq_lowest.begin() + 2, aarq_lowest.end()), hex("00 00")});
  auto result = Aarq::decode(indefinite);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("indefinite"), std::string::npos) << result.error().message;

  auto three = Aarq::decode(
      concat({hex("60 83 00 00 1D"), Octets(aarq_lowest.begin() + 2, aarq_lowest.end())}));
  ASSERT_FALSE(three);
  EXPECT_NE(three.error().message.find("65535"), std::string::npos) << three.error().message;
}

TEST(Acse, SkipsUnknownContextFields) {
  // implementation-information [29] ("ABC"), an undefined [13], and a [31] in the
  // high-tag-number form after user-information: all ignored.
  const Octets extended = hex(
      "60 44 A1 09 06 07 60 85 74 05 08 01 01 8A 02 07 80 8B 07 60 85 74 05 08 02 01 AC 0A 80 08 "
      "31 32 33 34 35 36 37 38 AD 03 04 01 00 9D 03 41 42 43 BE 10 04 0E 01 00 00 00 06 5F 1F 04 "
      "00 00 7E 1F 04 B0 9F 1F 01 00");
  auto aarq = Aarq::decode(extended);
  ASSERT_TRUE(aarq) << aarq.error().message;
  EXPECT_EQ(*aarq, *Aarq::decode(aarq_lls));

  auto aare =
      Aare::decode(concat({hex("61 2F"), Octets(aare_accepted.begin() + 2, aare_accepted.end()),
                           hex("BF 20 03 02 01 00")}));
  ASSERT_TRUE(aare) << aare.error().message;
  EXPECT_EQ(*aare, *Aare::decode(aare_accepted));

  auto rlrq = Rlrq::decode(hex("62 05 80 01 00 85 00"));
  ASSERT_TRUE(rlrq) << rlrq.error().message;
  EXPECT_EQ(rlrq->reason, ReleaseRequestReason::normal);
}

TEST(Acse, SkipsDeeplyNestedUnknownFieldWithoutDescending) {
  // A [13] holding 1000 nested constructed elements: skipped as one TLV, never walked.
  Octets nested;
  for (int i = 0; i < 1000; ++i) {
    Octets outer;
    ASSERT_TRUE(ber::append(outer, 0xA0, nested));
    nested = std::move(outer);
  }
  Aarq aarq;
  Octets body = hex("A1 09 06 07 60 85 74 05 08 01 01");
  ASSERT_TRUE(ber::append(body, 0xAD, nested));
  Octets wire;
  ASSERT_TRUE(ber::append(wire, 0x60, body));
  auto decoded = Aarq::decode(wire);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(*decoded, aarq);
  // The same nesting where a value is expected is refused at the first level.
  Octets bad_value = hex("A1 09 06 07 60 85 74 05 08 01 01");
  ASSERT_TRUE(ber::append(bad_value, 0xAC, nested));
  Octets bad;
  ASSERT_TRUE(ber::append(bad, 0x60, bad_value));
  EXPECT_FALSE(Aarq::decode(bad));
}

TEST(Acse, BoundsLengths) {
  // The largest user-information that still fits an APDU of 65535 content octets...
  Aarq aarq;
  aarq.user_information = Octets(65535 - 11 - 4 - 4, 0x42);
  auto wire = aarq.encode();
  ASSERT_TRUE(wire) << wire.error().message;
  EXPECT_EQ(wire->size(), 65535U + 4);
  auto back = Aarq::decode(*wire);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, aarq);
  // ...and one octet more does not encode.
  aarq.user_information->push_back(0x42);
  auto too_long = aarq.encode();
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.error().message.find("65535"), std::string::npos);
  // A large input is refused by its length field, not read through.
  Octets huge(70000, 0x00);
  huge[0] = 0x60;
  huge[1] = 0x83;
  EXPECT_FALSE(Aarq::decode(huge));
}

// ---- malformed input ----

TEST(Acse, EveryTruncationIsAClearError) {
  const auto check = [](const Octets& bytes, auto decode) {
    for (std::size_t size = 0; size < bytes.size(); ++size) {
      const std::span<const std::uint8_t> prefix(bytes.data(), size);
      auto result = decode(prefix);
      ASSERT_FALSE(result) << "prefix of " << size << " octets decoded";
      EXPECT_FALSE(result.error().message.empty());
    }
  };
  for (const Octets& bytes : {aarq_lowest, aarq_lls, aarq_hls})
    check(bytes, Aarq::decode);
  for (const Octets& bytes : {aare_accepted, aare_rejected, aare_hls})
    check(bytes, Aare::decode);
  check(rlrq_empty, Rlrq::decode);
  check(rlre_normal, Rlre::decode);
}

TEST(Acse, RefusesWrongApduTags) {
  auto aarq = Aarq::decode(aare_accepted);
  ASSERT_FALSE(aarq);
  EXPECT_EQ(aarq.error().message, "AARQ: tag 0x61, expected 0x60");
  EXPECT_FALSE(Aare::decode(aarq_lowest));
  EXPECT_FALSE(Rlrq::decode(rlre_normal));
  EXPECT_FALSE(Rlre::decode(rlrq_empty));
  // [APPLICATION 0] but primitive.
  EXPECT_FALSE(Aarq::decode(hex("40 00")));
}

TEST(Acse, RefusesLengthsBeyondTheEnd) {
  Octets outer = aarq_lowest;
  outer[1] = 0x1E;
  auto result = Aarq::decode(outer);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("runs past the end"), std::string::npos)
      << result.error().message;
  Octets inner = aarq_lowest;
  inner[3] = 0x0A;  // A1 claims one octet more than it has before BE
  EXPECT_FALSE(Aarq::decode(inner));
  Octets user = aarq_lowest;
  user[16] = 0x0F;  // the OCTET STRING inside BE claims one more than BE holds
  EXPECT_FALSE(Aarq::decode(user));
}

TEST(Acse, RefusesStructuralErrors) {
  struct Case {
    const char* what;
    Octets bytes;
    const char* message_part;
  };
  const std::vector<Case> cases = {
      {"trailing octet", concat({aarq_lowest, hex("00")}), "after the APDU"},
      {"missing context name", hex("60 00"), "missing"},
      {"repeated field",
       hex("60 16 A1 09 06 07 60 85 74 05 08 01 01 A1 09 06 07 60 85 74 05 08 01 01"),
       "repeats or is out of order"},
      {"out of order", hex("60 0F 8A 02 07 80 A1 09 06 07 60 85 74 05 08 01 01"),
       "repeats or is out of order"},
      {"universal element", hex("60 0D A1 09 06 07 60 85 74 05 08 01 01 04 00"),
       "not context-specific"},
      {"primitive context name", hex("60 0B 81 09 06 07 60 85 74 05 08 01 01"),
       "must be constructed"},
      {"octet string as context name", hex("60 0B A1 09 04 07 60 85 74 05 08 01 01"),
       "OBJECT IDENTIFIER"},
      {"octets after the OID", hex("60 0C A1 0A 06 07 60 85 74 05 08 01 01 00"),
       "after its one element"},
      {"empty OID", hex("60 04 A1 02 06 00"), "empty"},
      {"OID cut short", hex("60 05 A1 03 06 01 85"), "cut short"},
      {"OID not minimal", hex("60 06 A1 04 06 02 80 01"), "not minimal"},
      {"constructed sender-acse-requirements",
       hex("60 0F A1 09 06 07 60 85 74 05 08 01 01 AA 02 07 80"), "must be primitive"},
      {"bit string with 8 unused bits", hex("60 0F A1 09 06 07 60 85 74 05 08 01 01 8A 02 08 80"),
       "unused bits"},
      {"bitstring authentication value",
       hex("60 10 A1 09 06 07 60 85 74 05 08 01 01 AC 03 81 01 00"), "charstring"},
      {"non-minimal invocation id", hex("60 11 A1 09 06 07 60 85 74 05 08 01 01 A8 04 02 02 00 05"),
       "minimal"},
      {"empty integer", hex("60 0F A1 09 06 07 60 85 74 05 08 01 01 A8 02 02 00"), "no content"},
      {"AP title as integer", hex("60 10 A1 09 06 07 60 85 74 05 08 01 01 A6 03 02 01 05"),
       "OCTET STRING"},
      {"user-information not an octet string",
       hex("60 10 A1 09 06 07 60 85 74 05 08 01 01 BE 03 02 01 00"), "OCTET STRING"},
  };
  for (const Case& c : cases) {
    auto result = Aarq::decode(c.bytes);
    ASSERT_FALSE(result) << c.what;
    EXPECT_NE(result.error().message.find(c.message_part), std::string::npos)
        << c.what << ": " << result.error().message;
  }
}

TEST(Aare, RefusesMissingOrUnknownResult) {
  const Octets context = hex("A1 09 06 07 60 85 74 05 08 01 01");
  const auto aare = [&](std::string_view rest) {
    Octets body = concat({context, hex(rest)});
    Octets out;
    EXPECT_TRUE(ber::append(out, 0x61, body));
    return Aare::decode(out);
  };
  EXPECT_TRUE(aare("A2 03 02 01 00 A3 05 A1 03 02 01 00"));
  EXPECT_FALSE(aare("A3 05 A1 03 02 01 00"));  // no result
  EXPECT_FALSE(aare("A2 03 02 01 00"));        // no diagnostic
  auto unknown = aare("A2 03 02 01 03 A3 05 A1 03 02 01 00");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("result [2]"), std::string::npos)
      << unknown.error().message;
  EXPECT_FALSE(aare("A2 03 02 01 00 A3 05 A3 03 02 01 00"));        // diagnostic choice [3]
  EXPECT_FALSE(aare("A2 03 02 01 00 A3 05 A1 03 02 01 FF"));        // diagnostic -1
  EXPECT_FALSE(aare("A2 03 02 01 00 A3 07 A1 03 02 01 00 00 00"));  // two elements
  // A diagnostic value outside the list is kept.
  auto odd = aare("A2 03 02 01 01 A3 05 A2 03 02 01 07");
  ASSERT_TRUE(odd) << odd.error().message;
  EXPECT_EQ(odd->diagnostic, SourceDiagnostic{static_cast<AcseServiceProvider>(7)});
}

TEST(Release, RefusesMalformedReasons) {
  EXPECT_FALSE(Rlrq::decode(hex("62 03 80 01 FF")));           // -1
  EXPECT_FALSE(Rlrq::decode(hex("62 04 80 02 01 00")));        // 256
  EXPECT_FALSE(Rlrq::decode(hex("62 02 80 00")));              // empty INTEGER
  EXPECT_FALSE(Rlrq::decode(hex("62 03 A0 01 00")));           // constructed
  EXPECT_FALSE(Rlre::decode(hex("63 06 80 01 00 80 01 00")));  // repeated
  EXPECT_FALSE(Rlre::decode(hex("63 02 04 00")));              // universal element
}

TEST(Acse, EncodeRefusesEmptyIdentifiers) {
  Aarq aarq;
  aarq.application_context_name = ObjectIdentifier{};
  EXPECT_FALSE(aarq.encode());
  Aare aare;
  aare.mechanism_name = ObjectIdentifier{};
  EXPECT_FALSE(aare.encode());
}

}  // namespace
}  // namespace gridmeter::dlms
