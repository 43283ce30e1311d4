// The logical device a DLMS server serves: which client sees which object, what its rights
// allow, and the current association object (Association LN) as each client reads it.
#include "cosem/logical_device.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "cosem_test_support.hpp"
#include "dlms/axdr.hpp"
#include "dlms/server_security.hpp"
#include "dlms/server_settings.hpp"
#include "support/measurements.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using dlms::DataAccessResult;

constexpr std::uint16_t public_sap = 0x10;
constexpr std::uint16_t reader_sap = 0x20;
constexpr std::uint16_t management_sap = 0x01;
constexpr std::uint16_t firmware_sap = 0x50;

dlms::AssociationContext associated(std::uint16_t client_sap) {
  dlms::AssociationContext context;
  context.client_sap = client_sap;
  context.server_sap = 1;
  context.associated = true;
  context.conformance = dlms::read_only_conformance;
  context.client_max_receive_pdu_size = 1200;
  context.server_max_receive_pdu_size = 2048;
  context.mechanism = client_sap == reader_sap ? dlms::Mechanism::low : dlms::Mechanism::lowest;
  return context;
}

ClientAssignment assignment(std::uint16_t sap, ClientRights rights, std::uint8_t instance,
                            dlms::Mechanism mechanism = dlms::Mechanism::lowest,
                            bool security_setup = false) {
  ClientAssignment client;
  client.client_sap = sap;
  client.rights = std::move(rights);
  client.instance = instance;
  client.mechanism = mechanism;
  client.application_context = security_setup ? dlms::ApplicationContext::ln_ciphering
                                              : dlms::ApplicationContext::ln_no_ciphering;
  client.security_setup = security_setup;
  return client;
}

std::vector<ClientAssignment> default_assignments() {
  return {assignment(public_sap, ClientRights(ClientRole::public_client), 1),
          assignment(reader_sap, ClientRights(ClientRole::reader), 2, dlms::Mechanism::low),
          assignment(management_sap, ClientRights(ClientRole::management), 3,
                     dlms::Mechanism::high_gmac, true),
          assignment(firmware_sap, ClientRights(ClientRole::firmware_update), 4,
                     dlms::Mechanism::high_gmac, true)};
}

dlms::SecurityState security_state() {
  dlms::SecurityState state;
  state.server_system_title = {0x47, 0x52, 0x44, 0, 0, 0, 0, 1};
  state.keys.unicast_encryption = dlms::AesKey{};
  state.keys.authentication = dlms::AesKey{};
  state.keys.master = dlms::AesKey{1};
  return state;
}

std::set<std::string> names_in(const Data& list) {
  std::set<std::string> names;
  for (const Data& element : list.elements())
    names.insert(to_string(*element.elements()[2].as_obis()));
  return names;
}

std::vector<std::uint8_t> encoded(const dlms::GetDataResult& result) {
  std::vector<std::uint8_t> out;
  const auto* value = std::get_if<Data>(&result);
  EXPECT_NE(value, nullptr) << "refused: "
                            << (value ? "" : to_string(std::get<DataAccessResult>(result)));
  if (value != nullptr) dlms::encode(*value, out);
  return out;
}

std::vector<std::uint8_t> hex(std::string_view text) {
  std::vector<std::uint8_t> out;
  int high = -1;
  for (const char c : text) {
    const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (digit < 0) continue;
    if (high < 0) {
      high = digit;
    } else {
      out.push_back(static_cast<std::uint8_t>(high * 16 + digit));
      high = -1;
    }
  }
  return out;
}

class LogicalDeviceTest : public ::testing::Test {
 protected:
  LogicalDeviceTest()
      : access_(Connection::single_phase_2w, gridmeter::test::utc(2026, 1, 7, 9, 0)),
        security_(security_state(), {}),
        device_(build_meter_objects(access_, DeviceIdentity{}), default_assignments(), &security_) {
  }

  dlms::GetDataResult get(std::uint16_t client, std::uint16_t class_id, Obis obis,
                          std::int8_t attribute) {
    return device_.get(associated(client), {class_id, obis, attribute}, std::nullopt);
  }

  test::TestAccess access_;
  dlms::ServerSecurity security_;
  LogicalDevice device_;
};

TEST_F(LogicalDeviceTest, ThePublicClientSeesIdentificationClockAndItsAssociation) {
  EXPECT_EQ(names_in(device_.object_list_for(associated(public_sap))),
            (std::set<std::string>{"0-0:42.0.0.255", "0-0:96.1.0.255", "1-0:0.2.0.255",
                                   "0-0:1.0.0.255", "0-0:40.0.0.255", "0-0:41.0.0.255",
                                   "0-0:40.0.1.255", "0-0:43.1.0.255"}));
  // Everything else is, for this client, not there.
  EXPECT_EQ(test::error_of(get(public_sap, 3, Obis{1, 0, 1, 8, 0, 255}, 2)),
            DataAccessResult::object_undefined);
  EXPECT_EQ(encoded(get(public_sap, 1, Obis{0, 0, 42, 0, 0, 255}, 2)),
            hex("09 0B 47 52 44 30 30 30 30 30 30 30 31"));  // "GRD00000001"
}

TEST_F(LogicalDeviceTest, TheReaderSeesEveryObjectReadOnlyButOtherClientsSecurity) {
  const Data list = device_.object_list_for(associated(reader_sap));
  const std::set<std::string> names = names_in(list);
  // Not the other clients' associations, security setups and counters (3 public, 1 each of
  // those for management and firmware update... the public client has no security setup).
  EXPECT_EQ(list.elements().size(), device_.objects().size() - 7);
  EXPECT_EQ(names.count("0-0:40.0.2.255"), 1U);
  EXPECT_EQ(names.count("0-0:43.1.0.255"), 1U);
  for (const char* hidden : {"0-0:40.0.1.255", "0-0:40.0.3.255", "0-0:40.0.4.255", "0-0:43.0.3.255",
                             "0-0:43.0.4.255", "0-0:43.1.3.255", "0-0:43.1.4.255"}) {
    EXPECT_EQ(names.count(hidden), 0U) << hidden;
  }
  EXPECT_EQ(encoded(get(reader_sap, 3, Obis{1, 0, 1, 8, 0, 255}, 2)), hex("06 00 00 00 00"));
  // The clock's time is writable by its class, not by this client.
  EXPECT_EQ(device_.set(associated(reader_sap), {8, Obis{0, 0, 1, 0, 0, 255}, 2}, std::nullopt,
                        Data::octets(std::vector<std::uint8_t>(12, 0))),
            DataAccessResult::read_write_denied);
  const dlms::ActionOutcome shifted =
      device_.action(associated(reader_sap), {8, Obis{0, 0, 1, 0, 0, 255}, 6}, Data::integer16(10));
  EXPECT_EQ(shifted.result, dlms::ActionResult::read_write_denied);
  EXPECT_EQ(access_.meter().state().clock_offset_us, 0);
}

TEST_F(LogicalDeviceTest, WrongClassUnknownObjectUnknownClientAndMissingAttribute) {
  EXPECT_EQ(test::error_of(get(reader_sap, 1, Obis{1, 0, 1, 8, 0, 255}, 2)),
            DataAccessResult::object_class_inconsistent);
  EXPECT_EQ(test::error_of(get(reader_sap, 3, Obis{1, 0, 1, 8, 9, 255}, 2)),
            DataAccessResult::object_undefined);
  EXPECT_EQ(test::error_of(get(0x55, 8, Obis{0, 0, 1, 0, 0, 255}, 2)),
            DataAccessResult::object_undefined);
  EXPECT_EQ(test::error_of(get(reader_sap, 8, Obis{0, 0, 1, 0, 0, 255}, 10)),
            DataAccessResult::object_undefined);
  const dlms::ActionOutcome missing =
      device_.action(associated(reader_sap), {8, Obis{0, 0, 1, 0, 0, 255}, 7}, Data::integer8(0));
  EXPECT_EQ(missing.result, dlms::ActionResult::object_undefined);
  const dlms::ActionOutcome inconsistent =
      device_.action(associated(reader_sap), {3, Obis{0, 0, 1, 0, 0, 255}, 1}, Data::integer8(0));
  EXPECT_EQ(inconsistent.result, dlms::ActionResult::object_class_inconsistent);
}

TEST_F(LogicalDeviceTest, TheAssociationObjectDescribesTheCallersAssociation) {
  const Obis current{0, 0, 40, 0, 0, 255};
  // associated_partners_id {client_SAP integer 32, server_SAP long-unsigned 1}
  EXPECT_EQ(encoded(get(reader_sap, 15, current, 3)), hex("02 02 0F 20 12 00 01"));
  // application_context_name {2, 16, 756, 5, 8, 1, 1}
  EXPECT_EQ(encoded(get(reader_sap, 15, current, 4)),
            hex("02 07 11 02 11 10 12 02 F4 11 05 11 08 11 01 11 01"));
  // xDLMS_context_info {conformance, 2048, 1200, 6, 0, ""}
  EXPECT_EQ(encoded(get(reader_sap, 15, current, 5)),
            hex("02 06 04 18 00 12 14 12 08 00 12 04 B0 11 06 0F 00 09 00"));
  // authentication_mechanism_name {2, 16, 756, 5, 8, 2, 1}: LLS
  EXPECT_EQ(encoded(get(reader_sap, 15, current, 6)),
            hex("02 07 11 02 11 10 12 02 F4 11 05 11 08 11 02 11 01"));
  EXPECT_EQ(test::error_of(get(reader_sap, 15, current, 7)), DataAccessResult::read_write_denied);
  EXPECT_EQ(encoded(get(reader_sap, 15, current, 8)), hex("16 02"));  // associated
  // No Security setup for an LLS client.
  EXPECT_EQ(encoded(get(reader_sap, 15, current, 9)), hex("09 06 00 00 00 00 00 00"));
  // The public client reads its own partners and mechanism.
  EXPECT_EQ(encoded(get(public_sap, 15, current, 3)), hex("02 02 0F 10 12 00 01"));
  EXPECT_EQ(encoded(get(public_sap, 15, current, 6)),
            hex("02 07 11 02 11 10 12 02 F4 11 05 11 08 11 02 11 00"));
}

TEST_F(LogicalDeviceTest, ObjectListElementsCarryEachAttributesAccess) {
  const Data list = device_.object_list_for(associated(public_sap));
  const Data* clock = nullptr;
  const Data* association = nullptr;
  for (const Data& element : list.elements()) {
    if (element.elements()[2].as_obis() == Obis{0, 0, 1, 0, 0, 255}) clock = &element;
    if (element.elements()[2].as_obis() == Obis{0, 0, 40, 0, 0, 255}) association = &element;
  }
  ASSERT_NE(clock, nullptr);
  ASSERT_NE(association, nullptr);
  std::vector<std::uint8_t> out;
  dlms::encode(*clock, out);
  // {8, 0, 0-0:1.0.0.255, {[{1, read, null} .. {9, read, null}], [{1, no} .. {6, no}]}}
  std::string expected = "02 04 12 00 08 11 00 09 06 00 00 01 00 00 FF 02 02 01 09";
  ASSERT_NE(association, nullptr);
  for (int attribute = 1; attribute <= 9; ++attribute)
    expected += fmt::format(" 02 03 0F {:02X} 16 01 00", attribute);
  expected += " 01 06";
  for (int method = 1; method <= 6; ++method)
    expected += fmt::format(" 02 02 0F {:02X} 16 00", method);
  EXPECT_EQ(out, hex(expected));
  // The association's secret (attribute 7) shows no access.
  const Data& secret = association->elements()[3].elements()[0].elements()[6];
  EXPECT_EQ(secret.elements()[0], Data::integer8(7));
  EXPECT_EQ(secret.elements()[1], Data::enumeration(0));
}

TEST_F(LogicalDeviceTest, AProfileBufferListsItsAccessSelectors) {
  const Data list = device_.object_list_for(associated(reader_sap));
  for (const Data& element : list.elements()) {
    if (element.elements()[2].as_obis() != Obis{1, 0, 99, 1, 0, 255}) continue;
    const Data& buffer = element.elements()[3].elements()[0].elements()[1];
    EXPECT_EQ(buffer.elements()[2], Data::array({Data::integer8(1), Data::integer8(2)}));
    return;
  }
  FAIL() << "no load profile in the list";
}

dlms::AssociationContext management() {
  dlms::AssociationContext context = associated(management_sap);
  context.mechanism = dlms::Mechanism::high_gmac;
  context.application_context = dlms::ApplicationContext::ln_ciphering;
  context.conformance = dlms::full_conformance;
  context.client_system_title = dlms::SystemTitle{0x4D, 0x4D, 0x4D, 0, 0, 0, 0, 1};
  return context;
}

TEST_F(LogicalDeviceTest, TheManagementClientWritesInvokesAndSeesEveryAssociation) {
  const Data list = device_.object_list_for(management());
  EXPECT_EQ(list.elements().size(), device_.objects().size());
  // The clock's time, written and shifted through its class's own checks.
  EXPECT_EQ(device_.set(management(), {8, Obis{0, 0, 1, 0, 0, 255}, 3}, std::nullopt,
                        Data::integer16(-60)),
            DataAccessResult::success);
  const dlms::ActionOutcome shifted =
      device_.action(management(), {8, Obis{0, 0, 1, 0, 0, 255}, 6}, Data::integer16(10));
  EXPECT_EQ(shifted.result, dlms::ActionResult::success);
  EXPECT_EQ(access_.meter().state().clock_offset_us, 10 * micros_per_second);
  // A read-only value stays read-only for it too.
  EXPECT_EQ(device_.set(management(), {3, Obis{1, 0, 1, 8, 0, 255}, 2}, std::nullopt,
                        Data::unsigned32(5)),
            DataAccessResult::read_write_denied);
  // Another client's association, as configured: the reader's, LLS, not associated.
  EXPECT_EQ(encoded(device_.get(management(), {15, Obis{0, 0, 40, 0, 2, 255}, 3}, std::nullopt)),
            hex("02 02 0F 20 12 00 01"));
  EXPECT_EQ(encoded(device_.get(management(), {15, Obis{0, 0, 40, 0, 2, 255}, 8}, std::nullopt)),
            hex("16 00"));
  // Its own, through the current association: ciphered, HLS-GMAC, its Security setup.
  EXPECT_EQ(encoded(device_.get(management(), {15, Obis{0, 0, 40, 0, 0, 255}, 4}, std::nullopt)),
            hex("02 07 11 02 11 10 12 02 F4 11 05 11 08 11 01 11 03"));
  EXPECT_EQ(encoded(device_.get(management(), {15, Obis{0, 0, 40, 0, 0, 255}, 9}, std::nullopt)),
            hex("09 06 00 00 2B 00 03 FF"));
}

TEST_F(LogicalDeviceTest, SecuritySetupShowsPolicyAndTitlesButNeverKeys) {
  security_.set_initial_policy(management_sap, dlms::SecurityPolicy::authenticated_encrypted());
  security_.note_client_title(management_sap, {0x4D, 0x4D, 0x4D, 0, 0, 0, 0, 1});
  const Obis setup{0, 0, 43, 0, 3, 255};
  EXPECT_EQ(encoded(device_.get(management(), {64, setup, 2}, std::nullopt)), hex("16 6C"));
  EXPECT_EQ(encoded(device_.get(management(), {64, setup, 3}, std::nullopt)), hex("16 00"));
  EXPECT_EQ(encoded(device_.get(management(), {64, setup, 4}, std::nullopt)),
            hex("09 08 4D 4D 4D 00 00 00 00 01"));
  EXPECT_EQ(encoded(device_.get(management(), {64, setup, 5}, std::nullopt)),
            hex("09 08 47 52 44 00 00 00 00 01"));
  EXPECT_EQ(encoded(device_.get(management(), {64, setup, 6}, std::nullopt)), hex("01 00"));
  EXPECT_EQ(test::error_of(device_.get(management(), {64, setup, 7}, std::nullopt)),
            DataAccessResult::object_undefined);
  // security_activate: stronger only.
  EXPECT_EQ(device_.action(management(), {64, setup, 1}, Data::enumeration(0x04)).result,
            dlms::ActionResult::other_reason);
  EXPECT_EQ(device_.action(management(), {64, setup, 1}, Data::integer8(0x6C)).result,
            dlms::ActionResult::type_unmatched);
  // key_transfer: a key wrapped under the master key is staged; a damaged one changes nothing.
  dlms::AesKey new_key{};
  new_key.fill(0x77);
  auto wrapped = dlms::aes_key_wrap(*security_.state().keys.master, new_key);
  ASSERT_TRUE(wrapped);
  std::vector<std::uint8_t> damaged(wrapped->begin(), wrapped->end());
  damaged[5] ^= 0x01;
  EXPECT_EQ(
      device_
          .action(management(), {64, setup, 2},
                  Data::array({Data::structure({Data::enumeration(0), Data::octets(damaged)})}))
          .result,
      dlms::ActionResult::other_reason);
  EXPECT_FALSE(security_.keys_staged());
  EXPECT_EQ(
      device_
          .action(management(), {64, setup, 2},
                  Data::array({Data::structure({Data::enumeration(2), Data::octets(*wrapped)})}))
          .result,
      dlms::ActionResult::success);
  EXPECT_TRUE(security_.keys_staged());
  EXPECT_EQ(device_.action(management(), {64, setup, 2}, Data::octets(*wrapped)).result,
            dlms::ActionResult::type_unmatched);
  // Suite 1 and 2 methods are listed but refused.
  EXPECT_EQ(device_.action(management(), {64, setup, 4}, Data::enumeration(0)).result,
            dlms::ActionResult::read_write_denied);
}

TEST_F(LogicalDeviceTest, TheInvocationCounterIsTheManagementClientsForEveryoneToRead) {
  ASSERT_TRUE(security_.accept_client_counter(management_sap, 41));
  EXPECT_EQ(encoded(get(public_sap, 1, Obis{0, 0, 43, 1, 0, 255}, 2)), hex("06 00 00 00 29"));
  EXPECT_EQ(encoded(device_.get(management(), {1, Obis{0, 0, 43, 1, 3, 255}, 2}, std::nullopt)),
            hex("06 00 00 00 29"));
  EXPECT_EQ(test::error_of(get(public_sap, 1, Obis{0, 0, 43, 1, 3, 255}, 2)),
            DataAccessResult::object_undefined);
}

TEST_F(LogicalDeviceTest, TheFirmwareClientSeesIdentificationAndItsOwnObjectsOnly) {
  dlms::AssociationContext firmware = associated(firmware_sap);
  firmware.mechanism = dlms::Mechanism::high_gmac;
  EXPECT_EQ(names_in(device_.object_list_for(firmware)),
            (std::set<std::string>{"0-0:42.0.0.255", "0-0:96.1.0.255", "1-0:0.2.0.255",
                                   "0-0:1.0.0.255", "0-0:40.0.0.255", "0-0:43.1.0.255",
                                   "0-0:40.0.4.255", "0-0:43.0.4.255", "0-0:43.1.4.255"}));
  // Its own Security setup, read-only: key_transfer is the management client's.
  EXPECT_EQ(device_.action(firmware, {64, Obis{0, 0, 43, 0, 4, 255}, 2}, Data::array({})).result,
            dlms::ActionResult::read_write_denied);
}

TEST_F(LogicalDeviceTest, ObjectListShowsHlsReplyAndKeyMethodsOnlyWhereAllowed) {
  auto methods_of = [&](const dlms::AssociationContext& context, const Obis& name) {
    std::vector<std::uint8_t> allowed;
    const Data list = device_.object_list_for(context);
    for (const Data& element : list.elements()) {
      if (element.elements()[2].as_obis() != name) continue;
      for (const Data& method : element.elements()[3].elements()[1].elements())
        allowed.push_back(*method.elements()[1].as_enum());
    }
    return allowed;
  };
  // reply_to_HLS_authentication for HLS clients only.
  EXPECT_EQ(methods_of(management(), Obis{0, 0, 40, 0, 0, 255}),
            (std::vector<std::uint8_t>{1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(methods_of(associated(reader_sap), Obis{0, 0, 40, 0, 0, 255}),
            (std::vector<std::uint8_t>{0, 0, 0, 0, 0, 0}));
  // security_activate and key_transfer for the management client.
  EXPECT_EQ(methods_of(management(), Obis{0, 0, 43, 0, 3, 255}),
            (std::vector<std::uint8_t>{1, 1, 0, 0, 0, 0, 0, 0}));
}

TEST(LogicalDeviceRules, ConfiguredRulesHideShowAndChangeRights) {
  test::TestAccess access(Connection::single_phase_2w, gridmeter::test::utc(2026, 1, 7, 9, 0));
  const Obis clock{0, 0, 1, 0, 0, 255};
  const Obis load_profile{1, 0, 99, 1, 0, 255};
  std::vector<AccessRule> reader_rules{
      {.object = load_profile, .kind = AccessRule::Kind::hide},
      {.object = clock,
       .kind = AccessRule::Kind::attribute,
       .index = 2,
       .attribute_access = AttributeAccess::read_write},
      {.object = clock, .kind = AccessRule::Kind::method, .index = 6, .method_allowed = true},
  };
  std::vector<AccessRule> public_rules{
      {.object = Obis{1, 0, 1, 8, 0, 255}, .kind = AccessRule::Kind::show},
      // More than the class allows is narrowed to what it allows: the logical name stays
      // read-only.
      {.object = Obis{1, 0, 1, 8, 0, 255},
       .kind = AccessRule::Kind::attribute,
       .attribute_access = AttributeAccess::read_write},
  };
  LogicalDevice device(
      build_meter_objects(access, DeviceIdentity{}),
      {assignment(public_sap, ClientRights(ClientRole::public_client, public_rules), 1),
       assignment(reader_sap, ClientRights(ClientRole::reader, reader_rules), 2)});
  EXPECT_EQ(test::error_of(device.get(associated(reader_sap), {7, load_profile, 2}, std::nullopt)),
            DataAccessResult::object_undefined);
  EXPECT_EQ(device.action(associated(reader_sap), {8, clock, 6}, Data::integer16(5)).result,
            dlms::ActionResult::success);
  EXPECT_EQ(device.action(associated(reader_sap), {8, clock, 5}, Data::integer16(5)).result,
            dlms::ActionResult::read_write_denied);
  // Attribute 3 (time zone) keeps the role's read-only right.
  EXPECT_EQ(device.set(associated(reader_sap), {8, clock, 3}, std::nullopt, Data::integer16(-60)),
            DataAccessResult::read_write_denied);
  EXPECT_EQ(
      encoded(device.get(associated(public_sap), {3, Obis{1, 0, 1, 8, 0, 255}, 2}, std::nullopt)),
      hex("06 00 00 00 00"));
  EXPECT_EQ(device.set(associated(public_sap), {3, Obis{1, 0, 1, 8, 0, 255}, 1}, std::nullopt,
                       Data::octets({1, 0, 1, 8, 0, 255})),
            DataAccessResult::read_write_denied);
  // Without a ServerSecurity there are no security objects.
  EXPECT_EQ(device.objects().find(Obis{0, 0, 43, 1, 0, 255}), nullptr);
}

}  // namespace
}  // namespace gridmeter::cosem
