// The logical device a DLMS server serves: which client sees which object, what its rights
// allow, and the current association object (Association LN) as each client reads it.
#include "cosem/logical_device.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "cosem_test_support.hpp"
#include "dlms/axdr.hpp"
#include "dlms/server_settings.hpp"
#include "support/measurements.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using dlms::DataAccessResult;

constexpr std::uint16_t public_sap = 0x10;
constexpr std::uint16_t reader_sap = 0x20;

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
        device_(build_meter_objects(access_, DeviceIdentity{}),
                {{public_sap, ClientRole::public_client}, {reader_sap, ClientRole::reader}}) {}

  dlms::GetDataResult get(std::uint16_t client, std::uint16_t class_id, Obis obis,
                          std::int8_t attribute) {
    return device_.get(associated(client), {class_id, obis, attribute}, std::nullopt);
  }

  test::TestAccess access_;
  LogicalDevice device_;
};

TEST_F(LogicalDeviceTest, ThePublicClientSeesIdentificationClockAndItsAssociation) {
  const Data list = device_.object_list_for(associated(public_sap));
  std::set<std::string> names;
  for (const Data& element : list.elements())
    names.insert(to_string(*element.elements()[2].as_obis()));
  EXPECT_EQ(names, (std::set<std::string>{"0-0:42.0.0.255", "0-0:96.1.0.255", "1-0:0.2.0.255",
                                          "0-0:1.0.0.255", "0-0:40.0.0.255", "0-0:41.0.0.255"}));
  // Everything else is, for this client, not there.
  EXPECT_EQ(test::error_of(get(public_sap, 3, Obis{1, 0, 1, 8, 0, 255}, 2)),
            DataAccessResult::object_undefined);
  EXPECT_EQ(encoded(get(public_sap, 1, Obis{0, 0, 42, 0, 0, 255}, 2)),
            hex("09 0B 47 52 44 30 30 30 30 30 30 30 31"));  // "GRD00000001"
}

TEST_F(LogicalDeviceTest, TheReaderSeesEveryObjectReadOnly) {
  const Data list = device_.object_list_for(associated(reader_sap));
  EXPECT_EQ(list.elements().size(), device_.objects().size());
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

}  // namespace
}  // namespace gridmeter::cosem
