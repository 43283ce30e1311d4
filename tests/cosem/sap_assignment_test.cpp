// SAP assignment (class 17): the meter's one logical device at SAP 1.
#include "cosem/sap_assignment.hpp"

#include <gtest/gtest.h>

#include "cosem/object_list.hpp"
#include "cosem_test_support.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::ActionResult;
using dlms::Data;
using dlms::DataAccessResult;
using test::hex;
using test::wire;

TEST(SapAssignment, OneLogicalDeviceAtSapOne) {
  const SapAssignment sap(logical_device_name(DeviceIdentity{}));
  EXPECT_EQ(sap.class_id(), 17);
  EXPECT_EQ(sap.version(), 0);
  EXPECT_EQ(wire(sap, 1), hex("09 06 0000290000FF"));
  // { long-unsigned 1, octet-string "GRD00000001" }.
  EXPECT_EQ(wire(sap, 2), hex("01 01 02 02 12 0001 09 0B 475244 3030303030303031"));
}

TEST(SapAssignment, NamesTheLogicalDeviceAs42_0_0) {
  DeviceIdentity identity;
  identity.serial_number = "12345678901234567890";
  const SapAssignment sap(logical_device_name(identity));
  // The flag and the serial cut to 16 octets, as 0-0:42.0.0.255 has it.
  EXPECT_EQ(wire(sap, 2), hex("01 01 02 02 12 0001 09 10 475244 31323334353637383930313233"));
}

TEST(SapAssignment, ConnectingAnotherDeviceIsRefused) {
  SapAssignment sap(logical_device_name(DeviceIdentity{}));
  const Data device = Data::structure({Data::unsigned16(2), Data::octets({'X', 'Y', 'Z'})});
  EXPECT_EQ(sap.action(1, device).result, ActionResult::other_reason);
  // Even the device itself: there is nothing to connect, it stays where it is.
  EXPECT_EQ(sap.action(1, test::value_of(sap, 2).elements()[0]).result, ActionResult::other_reason);
  EXPECT_EQ(sap.action(1, Data::unsigned16(2)).result, ActionResult::type_unmatched);
  EXPECT_EQ(sap.action(1, Data::structure({Data::unsigned8(2), Data::octets({'X'})})).result,
            ActionResult::type_unmatched);
  EXPECT_EQ(sap.action(1, std::nullopt).result, ActionResult::type_unmatched);
  EXPECT_EQ(sap.action(2, device).result, ActionResult::object_undefined);
  EXPECT_EQ(sap.set(2, Data::array({device})), DataAccessResult::read_write_denied);
  EXPECT_EQ(wire(sap, 2), hex("01 01 02 02 12 0001 09 0B 475244 3030303030303031"));
}

}  // namespace
}  // namespace gridmeter::cosem
