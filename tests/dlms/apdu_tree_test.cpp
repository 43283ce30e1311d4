// The APDU tree: the exact tree of the examples (as an outline, so that no renderer is
// involved), every APDU kind and Data type, the notes on octet-strings, ciphered APDUs shown
// undeciphered and the decipher hook, the errors, and seeded mutations that must either be
// refused or give a tree any renderer can pass through.
#include "dlms/apdu_tree.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "dlms/apdu_test_support.hpp"
#include "dlms/xdlms.hpp"

namespace gridmeter::dlms {
namespace {

using apdu_testing::hex;
using apdu_testing::Octets;

// One line a node: two spaces a level, the name, " = value", then " [key: text]" per note.
void append_outline(std::string& out, const TreeNode& node, std::size_t depth) {
  out.append(depth * 2, ' ');
  out += node.name;
  if (node.value) out += " = " + *node.value;
  for (const TreeNote& note : node.notes)
    out += " [" + note.key + ": " + note.text + "]";
  out += '\n';
  for (const TreeNode& child : node.children)
    append_outline(out, child, depth + 1);
}

std::string outline(const TreeNode& node) {
  std::string out;
  append_outline(out, node, 0);
  return out;
}

std::string outline_of(const Octets& apdu, const ApduTreeOptions& options = {}) {
  auto tree = apdu_tree(apdu, options);
  if (!tree) return "error: " + tree.error().message;
  return outline(*tree);
}

std::string error_of(const Octets& apdu) {
  auto tree = apdu_tree(apdu);
  return tree ? std::string("(decoded)") : tree.error().message;
}

// What every renderer relies on: XML-safe names, values and notes of valid UTF-8 without
// control characters.
bool is_name(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!letter && !(c >= '0' && c <= '9')) return false;
  }
  return name[0] >= 'A' && name[0] <= 'Z';
}

bool is_clean_text(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<std::uint8_t>(text[i]);
    if (byte < 0x20 || byte == 0x7F) return false;
    if (byte < 0x80) {
      ++i;
      continue;
    }
    std::size_t size = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC2 ? 2 : 0;
    if (size == 0 || i + size > text.size()) return false;
    for (std::size_t k = 1; k < size; ++k) {
      if ((static_cast<std::uint8_t>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += size;
  }
  return true;
}

void expect_renderable(const TreeNode& node) {
  EXPECT_TRUE(is_name(node.name)) << node.name;
  if (node.value) {
    EXPECT_TRUE(is_clean_text(*node.value)) << node.name << " " << *node.value;
  }
  for (const TreeNote& note : node.notes) {
    EXPECT_TRUE(note.key != "name" && note.key != "value" && note.key != "children");
    EXPECT_TRUE(is_clean_text(note.text)) << note.key << " " << note.text;
  }
  for (const TreeNode& child : node.children)
    expect_renderable(child);
}

const Octets get_clock = hex("C0 01 C1 00 08 00 00 01 00 00 FF 02 00");
const Octets get_clock_answer = hex("C4 01 C1 00 09 0C 07 EA 0B 19 03 0C 1E 00 00 FF C4 00");
// AARQ with LLS, password "12345678"; the AARE of the Green Book that accepts a request.
const Octets aarq_lls =
    hex("60 36 A1 09 06 07 60 85 74 05 08 01 01 8A 02 07 80 8B 07 60 85 74 05 08 02 01 AC 0A 80 08 "
        "31 32 33 34 35 36 37 38 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 7E 1F 04 B0");
const Octets aare_accepted =
    hex("61 29 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 00 A3 05 A1 03 02 01 00 BE 10 04 0E 08 "
        "00 06 5F 1F 04 00 00 50 1F 01 F4 00 07");
const Octets aare_rejected =
    hex("61 1F A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 01 A3 05 A1 03 02 01 01 BE 06 04 04 0E "
        "01 06 01");
// The shared test vectors V1 (SC 30), V2 (SC 10) and V3 (SC 20): glo-get-request of the clock's
// time, server system title 4D4D4D0000BC614E, invocation counter 01234567.
const Octets glo_get_v1 =
    hex("C8 1E 30 01234567 411312FF935A47566827C467BC 7D825C3BE4A77C3FCC056B6B");
const Octets glo_get_v2 =
    hex("C8 1E 10 01234567 C0010000080000010000FF0200 06725D910F9221D263877516");
const Octets glo_get_v3 = hex("C8 12 20 01234567 411312FF935A47566827C467BC");
const Octets notification =
    hex("0F 00 00 00 01 0C 07 EA 0B 19 03 0C 1E 00 00 FF C4 00 "
        "02 02 09 06 01 00 01 08 00 FF 06 00 00 30 39");

TEST(ApduTree, GetRequestOfTheClock) {
  EXPECT_EQ(outline_of(get_clock),
            "GetRequestNormal\n"
            "  InvokeIdAndPriority = C1 [invoke_id: 1] [service_class: confirmed] "
            "[priority: high]\n"
            "  AttributeDescriptor\n"
            "    ClassId = 0008\n"
            "    InstanceId = 0000010000FF [obis: 0-0:1.0.0.255]\n"
            "    AttributeId = 02\n");
}

TEST(ApduTree, GetResponseWithADateTime) {
  EXPECT_EQ(outline_of(get_clock_answer),
            "GetResponseNormal\n"
            "  InvokeIdAndPriority = C1 [invoke_id: 1] [service_class: confirmed] "
            "[priority: high]\n"
            "  Result\n"
            "    Data\n"
            "      OctetString = 07EA0B19030C1E0000FFC400 [date_time: 2026-11-25 12:30:00.00 "
            "weekday 3 deviation -60 status 0x00]\n");
  EXPECT_EQ(outline_of(hex("C4 01 41 01 04")),
            "GetResponseNormal\n"
            "  InvokeIdAndPriority = 41 [invoke_id: 1] [service_class: confirmed] "
            "[priority: normal]\n"
            "  Result\n"
            "    DataAccessResult = 04 [meaning: object-undefined]\n");
}

TEST(ApduTree, ListsSelectiveAccessAndBlocks) {
  // Two attributes, the second with entry_descriptor {1, 0, 1, 0}.
  EXPECT_EQ(outline_of(hex("C0 03 C1 02 00 03 01 00 01 08 00 FF 02 00 00 07 01 00 63 01 00 FF 02 "
                           "01 02 02 04 06 00 00 00 01 06 00 00 00 00 12 00 01 12 00 00")),
            "GetRequestWithList\n"
            "  InvokeIdAndPriority = C1 [invoke_id: 1] [service_class: confirmed] "
            "[priority: high]\n"
            "  AttributeDescriptorList [count: 2]\n"
            "    AttributeDescriptorWithSelection\n"
            "      AttributeDescriptor\n"
            "        ClassId = 0003\n"
            "        InstanceId = 0100010800FF [obis: 1-0:1.8.0.255]\n"
            "        AttributeId = 02\n"
            "    AttributeDescriptorWithSelection\n"
            "      AttributeDescriptor\n"
            "        ClassId = 0007\n"
            "        InstanceId = 0100630100FF [obis: 1-0:99.1.0.255]\n"
            "        AttributeId = 02\n"
            "      AccessSelection\n"
            "        AccessSelector = 02\n"
            "        AccessParameters\n"
            "          Structure [count: 4]\n"
            "            DoubleLongUnsigned = 1\n"
            "            DoubleLongUnsigned = 0\n"
            "            LongUnsigned = 1\n"
            "            LongUnsigned = 0\n");
  EXPECT_EQ(outline_of(hex("C1 04 C1 01 00 03 01 00 01 08 00 FF 02 00 01 06 00 00 00 00")),
            "SetRequestWithList\n"
            "  InvokeIdAndPriority = C1 [invoke_id: 1] [service_class: confirmed] "
            "[priority: high]\n"
            "  AttributeDescriptorList [count: 1]\n"
            "    AttributeDescriptorWithSelection\n"
            "      AttributeDescriptor\n"
            "        ClassId = 0003\n"
            "        InstanceId = 0100010800FF [obis: 1-0:1.8.0.255]\n"
            "        AttributeId = 02\n"
            "  ValueList [count: 1]\n"
            "    Value\n"
            "      DoubleLongUnsigned = 0\n");
  EXPECT_EQ(outline_of(hex("C1 02 C1 00 03 01 00 01 08 00 FF 02 00 00 00 00 00 01 02 06 00")),
            "SetRequestWithFirstDatablock\n"
            "  InvokeIdAndPriority = C1 [invoke_id: 1] [service_class: confirmed] "
            "[priority: high]\n"
            "  AttributeDescriptor\n"
            "    ClassId = 0003\n"
            "    InstanceId = 0100010800FF [obis: 1-0:1.8.0.255]\n"
            "    AttributeId = 02\n"
            "  Datablock\n"
            "    LastBlock = false\n"
            "    BlockNumber = 00000001\n"
            "    RawData = 0600\n");
  EXPECT_EQ(outline_of(hex("C4 02 C1 01 00 00 00 02 01 0F")),
            "GetResponseWithDatablock\n"
            "  InvokeIdAndPriority = C1 [invoke_id: 1] [service_class: confirmed] "
            "[priority: high]\n"
            "  Result\n"
            "    LastBlock = true\n"
            "    BlockNumber = 00000002\n"
            "    DataAccessResult = 0F [meaning: long-get-aborted]\n");
}

TEST(ApduTree, ActionsWithParametersAndResults) {
  EXPECT_EQ(outline_of(hex("C3 01 C1 00 46 00 00 60 03 0A FF 01 01 0F 00")),
            "ActionRequestNormal\n"
            "  InvokeIdAndPriority = C1 [invoke_id: 1] [service_class: confirmed] "
            "[priority: high]\n"
            "  MethodDescriptor\n"
            "    ClassId = 0046\n"
            "    InstanceId = 000060030AFF [obis: 0-0:96.3.10.255]\n"
            "    MethodId = 01\n"
            "  MethodInvocationParameters\n"
            "    Integer = 0\n");
  EXPECT_EQ(outline_of(hex("C7 03 C1 02 00 01 00 11 05 0B 00")),
            "ActionResponseWithList\n"
            "  InvokeIdAndPriority = C1 [invoke_id: 1] [service_class: confirmed] "
            "[priority: high]\n"
            "  ListOfResponses [count: 2]\n"
            "    Response\n"
            "      Result = 00 [meaning: success]\n"
            "      ReturnParameters\n"
            "        Data\n"
            "          Unsigned = 5\n"
            "    Response\n"
            "      Result = 0B [meaning: object-unavailable]\n");
}

TEST(ApduTree, ExceptionResponseAndDataNotification) {
  EXPECT_EQ(outline_of(hex("D8 01 06 00 00 04 D2")),
            "ExceptionResponse\n"
            "  StateError = 01 [meaning: service-not-allowed]\n"
            "  ServiceError = 06 [meaning: invocation-counter-error]\n"
            "  InvocationCounter = 000004D2\n");
  EXPECT_EQ(outline_of(notification),
            "DataNotification\n"
            "  LongInvokeIdAndPriority = 00000001 [invoke_id: 1] [self_descriptive: false] "
            "[processing_option: continue-on-error] [service_class: unconfirmed] "
            "[priority: normal]\n"
            "  DateTime = 07EA0B19030C1E0000FFC400 [date_time: 2026-11-25 12:30:00.00 weekday 3 "
            "deviation -60 status 0x00]\n"
            "  NotificationBody\n"
            "    Structure [count: 2]\n"
            "      OctetString = 0100010800FF [obis: 1-0:1.8.0.255]\n"
            "      DoubleLongUnsigned = 12345\n");
  EXPECT_EQ(outline_of(hex("05 01 02 FA 00")), "ReadRequest\n  Body = 0102FA00\n");
}

TEST(ApduTree, EveryXdlmsKindBuildsATreeNamedForIt) {
  // A default model of each alternative of XdlmsApdu, through its wire form.
  const auto check = [](const XdlmsApdu& model) {
    const Octets wire = encode_xdlms_apdu(model);
    auto tree = apdu_tree(wire);
    ASSERT_TRUE(tree) << tree.error().message;
    EXPECT_EQ(tree->name, pascal_case(apdu_name(model)));
    expect_renderable(*tree);
  };
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (check(XdlmsApdu{std::in_place_index<I>}), ...);
  }
  (std::make_index_sequence<std::variant_size_v<XdlmsApdu>>{});
}

TEST(ApduTree, AarqWithLowLevelSecurity) {
  EXPECT_EQ(outline_of(aarq_lls),
            "Aarq\n"
            "  ApplicationContextName = 2.16.756.5.8.1.1 [meaning: logical-name-no-ciphering]\n"
            "  SenderAcseRequirements = authentication\n"
            "  MechanismName = 2.16.756.5.8.2.1 [meaning: low-level-security]\n"
            "  CallingAuthenticationValue = 3132333435363738 [text: 12345678]\n"
            "  UserInformation = 01000000065F1F0400007E1F04B0\n"
            "    InitiateRequest\n"
            "      ResponseAllowed = true\n"
            "      ProposedDlmsVersionNumber = 06\n"
            "      ProposedConformance = 007E1F\n"
            "        Bit = 9 [meaning: priority-mgmt-supported]\n"
            "        Bit = 10 [meaning: attribute0-supported-with-get]\n"
            "        Bit = 11 [meaning: block-transfer-with-get-or-read]\n"
            "        Bit = 12 [meaning: block-transfer-with-set-or-write]\n"
            "        Bit = 13 [meaning: block-transfer-with-action]\n"
            "        Bit = 14 [meaning: multiple-references]\n"
            "        Bit = 19 [meaning: get]\n"
            "        Bit = 20 [meaning: set]\n"
            "        Bit = 21 [meaning: selective-access]\n"
            "        Bit = 22 [meaning: event-notification]\n"
            "        Bit = 23 [meaning: action]\n"
            "      ClientMaxReceivePduSize = 04B0\n");
}

TEST(ApduTree, AareAcceptedAndRejected) {
  EXPECT_EQ(outline_of(aare_rejected),
            "Aare\n"
            "  ApplicationContextName = 2.16.756.5.8.1.1 [meaning: logical-name-no-ciphering]\n"
            "  Result = 1 [meaning: rejected-permanent]\n"
            "  ResultSourceDiagnostic\n"
            "    AcseServiceUser = 1 [meaning: no-reason-given]\n"
            "  UserInformation = 0E010601\n"
            "    ConfirmedServiceError\n"
            "      ConfirmedService = 01 [meaning: initiate-error]\n"
            "      ServiceError = 06 [meaning: initiate]\n"
            "      ServiceErrorValue = 01 [meaning: dlms-version-too-low]\n");
  const std::string accepted = outline_of(aare_accepted);
  EXPECT_NE(accepted.find("  Result = 0 [meaning: accepted]\n"), std::string::npos) << accepted;
  EXPECT_NE(accepted.find("      ServerMaxReceivePduSize = 01F4\n"
                          "      VaaName = 0007\n"),
            std::string::npos)
      << accepted;
  // HLS-GMAC: the server's system title, its challenge, and the mechanism.
  const std::string hls = outline_of(
      hex("61 4C A1 09 06 07 60 85 74 05 08 01 03 A2 03 02 01 00 A3 05 A1 03 02 01 0E A4 0A 04 08 "
          "4D 4D 4D 00 00 BC 61 4E 88 02 07 80 89 07 60 85 74 05 08 02 05 AA 0A 80 08 50 36 77 52 "
          "4A 32 31 46 BE 0E 04 0C 28 0A 20 00 00 00 01 11 22 33 44 55"));
  EXPECT_NE(hls.find("  ApplicationContextName = 2.16.756.5.8.1.3 [meaning: "
                     "logical-name-with-ciphering]\n"
                     "  Result = 0 [meaning: accepted]\n"
                     "  ResultSourceDiagnostic\n"
                     "    AcseServiceUser = 14 [meaning: authentication-required]\n"
                     "  RespondingApTitle = 4D4D4D0000BC614E [manufacturer: MMM]\n"
                     "  ResponderAcseRequirements = authentication\n"
                     "  MechanismName = 2.16.756.5.8.2.5 [meaning: high-level-security-gmac]\n"
                     "  RespondingAuthenticationValue = 503677524A323146 [text: P6wRJ21F]\n"
                     "  UserInformation = 280A20000000011122334455\n"
                     "    GloInitiateResponse\n"),
            std::string::npos)
      << hls;
}

TEST(ApduTree, ReleaseRequestAndResponse) {
  EXPECT_EQ(outline_of(hex("62 00")), "Rlrq\n");
  EXPECT_EQ(outline_of(hex("62 03 80 01 01")), "Rlrq\n  Reason = 1 [meaning: urgent]\n");
  EXPECT_EQ(outline_of(hex("63 03 80 01 01")), "Rlre\n  Reason = 1 [meaning: not-finished]\n");
  EXPECT_EQ(outline_of(hex("62 15 80 01 00 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 10 18 04 "
                           "B0")),
            "Rlrq\n"
            "  Reason = 0 [meaning: normal]\n"
            "  UserInformation = 01000000065F1F040000101804B0\n"
            "    InitiateRequest\n"
            "      ResponseAllowed = true\n"
            "      ProposedDlmsVersionNumber = 06\n"
            "      ProposedConformance = 001018\n"
            "        Bit = 11 [meaning: block-transfer-with-get-or-read]\n"
            "        Bit = 19 [meaning: get]\n"
            "        Bit = 20 [meaning: set]\n"
            "      ClientMaxReceivePduSize = 04B0\n");
}

TEST(ApduTree, CipheredApdusShowTheirVisibleFields) {
  EXPECT_EQ(outline_of(glo_get_v1),
            "GloGetRequest\n"
            "  SecurityControl = 30\n"
            "    SecuritySuite = 0 [meaning: AES-GCM-128]\n"
            "    Authentication = true\n"
            "    Encryption = true\n"
            "    KeySet = unicast\n"
            "    Compression = false\n"
            "  InvocationCounter = 01234567\n"
            "  CipheredText = 411312FF935A47566827C467BC\n"
            "  AuthenticationTag = 7D825C3BE4A77C3FCC056B6B\n");
  // Authenticated only: the text is the plain APDU, decoded below it.
  EXPECT_EQ(outline_of(glo_get_v2),
            "GloGetRequest\n"
            "  SecurityControl = 10\n"
            "    SecuritySuite = 0 [meaning: AES-GCM-128]\n"
            "    Authentication = true\n"
            "    Encryption = false\n"
            "    KeySet = unicast\n"
            "    Compression = false\n"
            "  InvocationCounter = 01234567\n"
            "  PlainApdu = C0010000080000010000FF0200\n"
            "    GetRequestNormal\n"
            "      InvokeIdAndPriority = 00 [invoke_id: 0] [service_class: unconfirmed] "
            "[priority: normal]\n"
            "      AttributeDescriptor\n"
            "        ClassId = 0008\n"
            "        InstanceId = 0000010000FF [obis: 0-0:1.0.0.255]\n"
            "        AttributeId = 02\n"
            "  AuthenticationTag = 06725D910F9221D263877516\n");
  // Encrypted only: no tag.
  EXPECT_EQ(outline_of(glo_get_v3),
            "GloGetRequest\n"
            "  SecurityControl = 20\n"
            "    SecuritySuite = 0 [meaning: AES-GCM-128]\n"
            "    Authentication = false\n"
            "    Encryption = true\n"
            "    KeySet = unicast\n"
            "    Compression = false\n"
            "  InvocationCounter = 01234567\n"
            "  CipheredText = 411312FF935A47566827C467BC\n");
  // general-glo-ciphering: the system title first; a broadcast key of suite 1.
  EXPECT_EQ(outline_of(hex("DB 08 4D4D4D0000BC614E 08 61 00000002 AABBCC")),
            "GeneralGloCiphering\n"
            "  SystemTitle = 4D4D4D0000BC614E [manufacturer: MMM]\n"
            "  SecurityControl = 61\n"
            "    SecuritySuite = 1 [meaning: ECDH-ECDSA-AES-GCM-128-SHA-256]\n"
            "    Authentication = false\n"
            "    Encryption = true\n"
            "    KeySet = broadcast\n"
            "    Compression = false\n"
            "  InvocationCounter = 00000002\n"
            "  CipheredText = AABBCC\n");
}

TEST(ApduTree, CipheredApduDecodesItsFields) {
  auto v1 = CipheredApdu::decode(glo_get_v1);
  ASSERT_TRUE(v1) << v1.error().message;
  EXPECT_EQ(v1->tag, 0xC8);
  EXPECT_FALSE(v1->system_title);
  EXPECT_EQ(v1->security_control.value, 0x30);
  EXPECT_EQ(v1->security_control.suite(), 0);
  EXPECT_TRUE(v1->security_control.authenticated());
  EXPECT_TRUE(v1->security_control.encrypted());
  EXPECT_FALSE(v1->security_control.broadcast_key());
  EXPECT_FALSE(v1->security_control.compressed());
  EXPECT_EQ(v1->invocation_counter, 0x01234567U);
  EXPECT_EQ(v1->text, hex("411312FF935A47566827C467BC"));
  EXPECT_EQ(v1->authentication_tag, hex("7D825C3BE4A77C3FCC056B6B"));

  auto general = CipheredApdu::decode(hex("DC 08 4D4D4D0000000001 06 20 00000009 EE"));
  ASSERT_TRUE(general) << general.error().message;
  EXPECT_EQ(general->system_title, hex("4D4D4D0000000001"));
  EXPECT_EQ(general->text, hex("EE"));
  EXPECT_TRUE(general->authentication_tag.empty());

  EXPECT_TRUE(is_ciphered_tag(0x21));  // glo-initiate-request
  EXPECT_TRUE(is_ciphered_tag(0xD7));  // ded-action-response
  EXPECT_TRUE(is_ciphered_tag(0xDB));
  EXPECT_FALSE(is_ciphered_tag(0xC0));
  EXPECT_FALSE(is_ciphered_tag(0xD8));  // exception-response
  EXPECT_FALSE(is_ciphered_tag(0xDD));  // general-ciphering: not read yet
}

TEST(ApduTree, DecipherHookDecodesThePlainApdu) {
  ApduTreeOptions options;
  CipheredApdu seen;
  options.decipher = [&](const CipheredApdu& apdu) -> Result<std::vector<std::uint8_t>> {
    seen = apdu;
    return hex("C0 01 00 00 08 00 00 01 00 00 FF 02 00");
  };
  const std::string tree = outline_of(glo_get_v1, options);
  EXPECT_EQ(seen.invocation_counter, 0x01234567U);
  EXPECT_NE(tree.find("  CipheredText = 411312FF935A47566827C467BC\n"
                      "  AuthenticationTag = 7D825C3BE4A77C3FCC056B6B\n"
                      "  PlainApdu = C0010000080000010000FF0200\n"
                      "    GetRequestNormal\n"),
            std::string::npos)
      << tree;

  options.decipher = [](const CipheredApdu&) -> Result<std::vector<std::uint8_t>> {
    return make_error("authentication tag does not verify");
  };
  EXPECT_EQ(outline_of(glo_get_v1, options),
            "error: glo-get-request: deciphering: authentication tag does not verify");
  // A plain APDU may not be ciphered again: nesting stays bounded.
  options.decipher = [](const CipheredApdu&) -> Result<std::vector<std::uint8_t>> {
    return glo_get_v1;
  };
  EXPECT_EQ(outline_of(glo_get_v1, options),
            "error: glo-get-request: deciphered APDU: tag 0xC8 (glo-get-request) cannot be "
            "inside a ciphered APDU");
}

TEST(ApduTree, DataTypes) {
  const Data value = Data::structure({
      Data::null(),
      Data::array({Data::boolean(true), Data::boolean(false)}),
      Data::integer8(-2),
      Data::integer16(-300),
      Data::integer32(-70000),
      Data::integer64(-5'000'000'000),
      Data::unsigned8(200),
      Data::unsigned16(60000),
      Data::unsigned32(4'000'000'000U),
      Data::unsigned64(18'000'000'000'000'000'000U),
      Data::enumeration(30),
      Data::bcd(0x42),
      Data::float32(1.5F),
      Data::float64(-0.25),
      Data::bit_string(std::vector<std::uint8_t>{0x80, 0x40}, 10),
      Data::visible_string("A<\"&\\\x01"),
      Data::utf8_string("\xC3\xA9t\xC3\xA9 \xFF"),
      Data::date_time(CosemDateTime{2026, 1, 7, 3, 10, 0, 0, 0, -60, 0}),
      Data::date(CosemDate{2026, 1, 7, 3}),
      Data::time(CosemTime{10, 15, 0, 0xFF}),
      Data::dont_care(),
      Data::octets({}),
  });
  EXPECT_EQ(outline(data_tree(value)),
            "Structure [count: 22]\n"
            "  NullData\n"
            "  Array [count: 2]\n"
            "    Boolean = true\n"
            "    Boolean = false\n"
            "  Integer = -2\n"
            "  Long = -300\n"
            "  DoubleLong = -70000\n"
            "  Long64 = -5000000000\n"
            "  Unsigned = 200\n"
            "  LongUnsigned = 60000\n"
            "  DoubleLongUnsigned = 4000000000\n"
            "  Long64Unsigned = 18000000000000000000\n"
            "  Enum = 30\n"
            "  Bcd = 42\n"
            "  Float32 = 1.5\n"
            "  Float64 = -0.25\n"
            "  BitString = 1000000001\n"
            "  VisibleString = A<\"&\\\\\\x01\n"
            "  Utf8String = \xC3\xA9t\xC3\xA9 \\xFF\n"
            "  DateTime = 2026-01-07 10:00:00.00 weekday 3 deviation -60 status 0x00\n"
            "  Date = 2026-01-07 weekday 3\n"
            "  Time = 10:15:00.*\n"
            "  DontCare\n"
            "  OctetString = \n");
  expect_renderable(data_tree(value));

  auto compact = Data::compact_array(TypeDescription::simple(DataType::unsigned8),
                                     {Data::unsigned8(1), Data::unsigned8(2)});
  ASSERT_TRUE(compact);
  EXPECT_EQ(outline(data_tree(*compact)),
            "CompactArray [count: 2]\n"
            "  TypeDescription = unsigned\n"
            "  Unsigned = 1\n"
            "  Unsigned = 2\n");
}

TEST(ApduTree, OctetStringsAreAlsoReadAsWhatTheyHold) {
  EXPECT_EQ(outline(data_tree(Data::octets({0, 0, 1, 0, 0, 0xFF}))),
            "OctetString = 0000010000FF [obis: 0-0:1.0.0.255]\n");
  // Printable: also as text; six printable octets are an OBIS code too.
  EXPECT_EQ(outline(data_tree(Data::octets({'G', 'R', 'D', '0', '0', '1'}))),
            "OctetString = 475244303031 [obis: 71-82:68.48.48.49] [text: GRD001]\n");
  // Twelve octets that are not a valid date-time (month 13) stay hex.
  EXPECT_EQ(outline(data_tree(Data::octets(hex("07 EA 0D 19 03 0C 1E 00 00 FF C4 00")))),
            "OctetString = 07EA0D19030C1E0000FFC400\n");
  // A date-time with every field unspecified, as a capture time that has not happened.
  EXPECT_EQ(outline(data_tree(Data::octets(hex("FF FF FF FF FF FF FF FF FF 80 00 FF")))),
            "OctetString = FFFFFFFFFFFFFFFFFF8000FF [date_time: *-*-* *:*:*.* weekday * "
            "deviation * status *]\n");
}

TEST(ApduTree, ErrorsAreTheCodecsOwn) {
  EXPECT_EQ(error_of({}), "the APDU is empty");
  EXPECT_EQ(error_of(hex("C0 01 C1 00 08 00 00 01")),
            "Get-Request-Normal at offset 5: instance-id needs 6 octets, 3 left");
  EXPECT_EQ(error_of(hex("C0 01 C1 00 08 00 00 01 00 00 FF 02 00 00")),
            "Get-Request-Normal at offset 13: 1 octet after the end of the APDU");
  EXPECT_EQ(error_of(hex("C0 07")), "get-request (0xC0) at offset 1: choice 7 is not one of 1..3");
  EXPECT_EQ(error_of(hex("C1 01 C1 00 03 01 00 01 08 00 FF 02 00 07")),
            "Set-Request-Normal at offset 13: value: A-XDR at offset 0: unknown tag 0x07");
  EXPECT_EQ(error_of(hex("42")),
            "xDLMS APDU at offset 0: tag 0x42 is not a service APDU this decoder reads (unknown)");
  EXPECT_EQ(error_of(hex("DD 00")),
            "xDLMS APDU at offset 0: tag 0xDD is not a service APDU this decoder reads "
            "(general-ciphering)");
  EXPECT_EQ(error_of(hex("60 1D A1 09")).substr(0, 6), "AARQ: ");
}

TEST(ApduTree, CipheredErrorsNameTheOffset) {
  EXPECT_EQ(error_of(hex("C8")),
            "glo-get-request at offset 1: ciphered-content: A-XDR at offset 0: the input ends "
            "where a length was expected");
  EXPECT_EQ(error_of(hex("C8 80")),
            "glo-get-request at offset 1: ciphered-content: A-XDR at offset 0: length form 0x80; "
            "A-XDR allows 0x00..0x7F and 0x81..0x84");
  EXPECT_EQ(error_of(hex("C8 1F 30 01234567 411312FF935A47566827C467BC 7D825C3BE4A77C3FCC056B6B")),
            "glo-get-request at offset 1: ciphered-content: length 31 runs past the end (30 "
            "octets left)");
  EXPECT_EQ(error_of(hex("C8 1D 30 01234567 411312FF935A47566827C467BC 7D825C3BE4A77C3FCC056B6B")),
            "glo-get-request at offset 31: 1 octet after the end of the APDU");
  EXPECT_EQ(error_of(hex("C8 04 30 012345")),
            "glo-get-request at offset 2: security header needs 5 octets (security control, "
            "invocation counter), 4 left");
  EXPECT_EQ(error_of(hex("C8 0C 30 01234567 7D825C3BE4A77C")),
            "glo-get-request at offset 7: authentication tag needs 12 octets, 7 left");
  EXPECT_EQ(error_of(hex("DB 09 4D4D4D0000BC614E")),
            "general-glo-ciphering at offset 1: system-title: length 9 runs past the end (8 "
            "octets left)");
  // Authenticated only, but the plain text is no whole APDU.
  EXPECT_EQ(error_of(hex("C8 12 10 01234567 C0 06725D910F9221D263877516")),
            "glo-get-request at offset 7: plain APDU: get-request (0xC0) at offset 1: the CHOICE "
            "octet is missing");
  EXPECT_EQ(error_of(hex("C8 12 10 01234567 60 06725D910F9221D263877516")),
            "glo-get-request at offset 7: plain APDU: tag 0x60 (aarq) cannot be inside a ciphered "
            "APDU");
}

TEST(ApduTree, UserInformationErrorsNameWhereItStarts) {
  // The HLS AARQ of the ACSE tests carries an opaque 21 00: a glo-initiate-request without
  // its security header. The user-information octets start at offset 54.
  const Octets aarq_hls =
      hex("60 36 A1 09 06 07 60 85 74 05 08 01 03 A6 0A 04 08 4D 4D 4D 00 00 00 00 01 8A 02 07 80 "
          "8B 07 60 85 74 05 08 02 05 AC 0A 80 08 4B 35 36 69 56 61 67 59 BE 04 04 02 21 00");
  EXPECT_EQ(error_of(aarq_hls),
            "AARQ at offset 54: user-information: glo-initiate-request at offset 2: security "
            "header needs 5 octets (security control, invocation counter), 0 left");
  // A GET is no initiate APDU.
  EXPECT_EQ(error_of(hex("60 1B A1 09 06 07 60 85 74 05 08 01 01 BE 0E 04 0C C0 02 C1 00 00 00 "
                         "01 00 00 00 00 00")),
            "AARQ at offset 17: user-information: tag 0xC0 (get-request) is not an initiate APDU "
            "(InitiateRequest 0x01, InitiateResponse 0x08, ConfirmedServiceError 0x0E) or a "
            "ciphered one");
  EXPECT_EQ(error_of(hex("63 08 BE 06 04 04 08 00 06 5F")),
            "RLRE at offset 6: user-information: InitiateResponse: cut short in "
            "negotiated-conformance at offset 3");
}

TEST(ApduTree, MutationsAreRefusedOrRenderable) {
  const std::vector<Octets> seeds = {get_clock,
                                     get_clock_answer,
                                     aarq_lls,
                                     aare_accepted,
                                     aare_rejected,
                                     glo_get_v1,
                                     glo_get_v2,
                                     notification,
                                     hex("C0 03 C1 02 00 03 01 00 01 08 00 FF 02 00 00 07 01 00 "
                                         "63 01 00 FF 02 01 02 02 04 06 00 00 00 01 06 00 00 00 "
                                         "00 12 00 01 12 00 00"),
                                     hex("0F 00 00 00 01 00 0A 05 41 42 43 44 45")};
  std::mt19937 random(20260107);
  std::size_t decoded = 0;
  for (int round = 0; round < 20'000; ++round) {
    Octets bytes = seeds[random() % seeds.size()];
    const int edits = 1 + static_cast<int>(random() % 3);
    for (int e = 0; e < edits && !bytes.empty(); ++e) {
      const std::size_t at = random() % bytes.size();
      switch (random() % 3) {
        case 0:
          bytes[at] = static_cast<std::uint8_t>(random());
          break;
        case 1:
          bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(at));
          break;
        default:
          bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                       static_cast<std::uint8_t>(random()));
      }
    }
    auto tree = apdu_tree(bytes);
    if (!tree) {
      EXPECT_FALSE(tree.error().message.empty());
      continue;
    }
    ++decoded;
    expect_renderable(*tree);
  }
  EXPECT_GT(decoded, 1000U);
}

}  // namespace
}  // namespace gridmeter::dlms
