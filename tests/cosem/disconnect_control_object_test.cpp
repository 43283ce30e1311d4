// Disconnect control (class 70) at 0-0:96.3.10.255 and the disconnector script table
// 0-0:10.0.106.255: attributes byte for byte, the methods driving the meter's breaker,
// control_mode writes, and refusals that change nothing.
#include "cosem/disconnect_control_object.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "cosem/object_list.hpp"
#include "cosem/script_table.hpp"
#include "cosem_test_support.hpp"
#include "support/measurements.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::ActionResult;
using dlms::Data;
using dlms::DataAccessResult;
using test::hex;
using test::wire;

class DisconnectControlObjectTest : public ::testing::Test {
 protected:
  DisconnectControlObjectTest()
      : access_(Connection::single_phase_2w, gridmeter::test::utc(2026, 1, 7, 9, 0)),
        breaker_(access_) {}

  Meter& meter() { return access_.meter(); }
  std::vector<std::int64_t> log() {
    std::vector<std::int64_t> codes;
    const Profile& events = meter().state().disconnector_events;
    for (std::size_t i = 0; i < events.size(); ++i)
      codes.push_back(events.entry(i).values[0]);
    return codes;
  }

  test::TestAccess access_;
  DisconnectControlObject breaker_;
};

TEST_F(DisconnectControlObjectTest, AttributesByteForByte) {
  EXPECT_EQ(breaker_.class_id(), 70);
  EXPECT_EQ(breaker_.version(), 0);
  EXPECT_EQ(wire(breaker_, 1), hex("09 06 000060030AFF"));
  EXPECT_EQ(wire(breaker_, 2), hex("03 01"));  // output_state: closed
  EXPECT_EQ(wire(breaker_, 3), hex("16 01"));  // control_state: connected
  EXPECT_EQ(wire(breaker_, 4), hex("16 01"));  // control_mode 1
  EXPECT_EQ(breaker_.attribute_access(4), AttributeAccess::read_write);
  EXPECT_EQ(breaker_.attribute_access(2), AttributeAccess::read);
  EXPECT_EQ(breaker_.method_count(), 2);
}

TEST_F(DisconnectControlObjectTest, MethodsDriveTheBreaker) {
  EXPECT_EQ(breaker_.action(1, Data::integer8(0)).result, ActionResult::success);
  EXPECT_EQ(wire(breaker_, 2), hex("03 00"));
  EXPECT_EQ(wire(breaker_, 3), hex("16 00"));
  // Again: already disconnected, nothing to do, success.
  EXPECT_EQ(breaker_.action(1, std::nullopt).result, ActionResult::success);
  // Mode 1: remote reconnection makes the supply ready for the customer (d).
  EXPECT_EQ(breaker_.action(2, Data::integer8(0)).result, ActionResult::success);
  EXPECT_EQ(wire(breaker_, 3), hex("16 02"));
  EXPECT_EQ(wire(breaker_, 2), hex("03 00"));
  EXPECT_EQ(log(), (std::vector<std::int64_t>{62, 59}));
  // The last disconnector event code object follows the log.
  ObjectList list = build_meter_objects(access_, DeviceIdentity{});
  EXPECT_EQ(wire(*list.find(1, Obis{0, 0, 96, 11, 2, 255}), 2), hex("12 003B"));
}

TEST_F(DisconnectControlObjectTest, RefusalsChangeNothing) {
  const MeterState before = meter().state();
  EXPECT_EQ(breaker_.action(1, Data::unsigned8(0)).result, ActionResult::type_unmatched);
  EXPECT_EQ(breaker_.action(1, Data::integer8(1)).result, ActionResult::other_reason);
  EXPECT_EQ(breaker_.action(3, Data::integer8(0)).result, ActionResult::object_undefined);
  EXPECT_EQ(breaker_.set(4, Data::enumeration(7)), DataAccessResult::other_reason);
  EXPECT_EQ(breaker_.set(4, Data::unsigned8(2)), DataAccessResult::type_unmatched);
  EXPECT_EQ(breaker_.set(2, Data::boolean(false)), DataAccessResult::read_write_denied);
  EXPECT_EQ(breaker_.set(3, Data::enumeration(0)), DataAccessResult::read_write_denied);
  EXPECT_EQ(meter().state(), before);
}

TEST_F(DisconnectControlObjectTest, ControlModeWritesReprogramTheMeter) {
  ASSERT_EQ(breaker_.set(4, Data::enumeration(2)), DataAccessResult::success);
  EXPECT_EQ(meter().config().disconnector.mode, 2);
  EXPECT_EQ(test::standard_event_codes(meter()), (std::vector<std::int64_t>{47}));
  // Mode 2 reconnects remotely at once (a).
  ASSERT_EQ(breaker_.action(1, Data::integer8(0)).result, ActionResult::success);
  ASSERT_EQ(breaker_.action(2, Data::integer8(0)).result, ActionResult::success);
  EXPECT_EQ(wire(breaker_, 3), hex("16 01"));
  // Mode 0: the methods are refused, the supply stays connected.
  ASSERT_EQ(breaker_.set(4, Data::enumeration(0)), DataAccessResult::success);
  EXPECT_EQ(breaker_.action(1, Data::integer8(0)).result, ActionResult::other_reason);
  EXPECT_EQ(wire(breaker_, 3), hex("16 01"));
  EXPECT_EQ(log(), (std::vector<std::int64_t>{62, 63}));
}

TEST_F(DisconnectControlObjectTest, TheDisconnectorScriptTableRunsTheMethods) {
  const auto scripts = disconnector_script_table(access_);
  EXPECT_EQ(wire(*scripts, 2),
            hex("01 02"
                "02 02 12 0001 01 01 02 05 16 02 12 0046 09 06 000060030AFF 0F 01 0F 00"
                "02 02 12 0002 01 01 02 05 16 02 12 0046 09 06 000060030AFF 0F 02 0F 00"));
  EXPECT_EQ(scripts->action(1, Data::unsigned16(1)).result, ActionResult::success);
  EXPECT_EQ(wire(breaker_, 3), hex("16 00"));
  EXPECT_EQ(scripts->action(1, Data::unsigned16(2)).result, ActionResult::success);
  EXPECT_EQ(wire(breaker_, 3), hex("16 02"));
  EXPECT_EQ(scripts->action(1, Data::unsigned16(3)).result, ActionResult::other_reason);
}

}  // namespace
}  // namespace gridmeter::cosem
