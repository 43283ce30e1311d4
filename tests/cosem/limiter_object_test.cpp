// Limiter (class 71) at 0-0:17.0.0.255: every attribute byte for byte in the monitored
// register's type and scaler, writes that reprogram the meter's limiter, and refusals that leave
// it alone.
#include "cosem/limiter_object.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "cosem/object_list.hpp"
#include "cosem_test_support.hpp"
#include "support/measurements.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using dlms::DataAccessResult;
using test::bytes;
using test::hex;
using test::wire;

class LimiterObjectTest : public ::testing::Test {
 protected:
  LimiterObjectTest()
      : access_(Connection::single_phase_2w, gridmeter::test::utc(2026, 1, 7, 9, 0)),
        objects_(build_meter_objects(access_, DeviceIdentity{})),
        limiter_(*objects_.find(71, limiter_obis)) {
    MeterConfig config = meter().config();
    config.limiter.enabled = true;
    config.limiter.value = "i_l1";
    config.limiter.threshold_normal = 32.0;
    config.limiter.threshold_emergency = 16.5;
    config.limiter.min_over_s = 60;
    config.limiter.min_under_s = 30;
    config.limiter.emergency = {
        .id = 7, .activation = gridmeter::test::utc(2026, 1, 7, 16, 0), .duration_s = 7200};
    config.limiter.emergency_groups = {3, 7};
    meter().configure(config);
  }

  Meter& meter() { return access_.meter(); }

  test::TestAccess access_;
  ObjectList objects_;
  CosemObject& limiter_;
};

TEST_F(LimiterObjectTest, AttributesByteForByte) {
  EXPECT_EQ(limiter_.class_id(), 71);
  EXPECT_EQ(wire(limiter_, 1), hex("09 06 0000110000FF"));
  // Current L1 is served as long-unsigned in 0.01 A (1-0:31.7.0.255).
  EXPECT_EQ(wire(limiter_, 2), hex("02 03 12 0003 09 06 01001F0700FF 0F 02"));
  EXPECT_EQ(wire(limiter_, 3), hex("12 0C80"));  // 32.00 A, the normal threshold in force
  EXPECT_EQ(wire(limiter_, 4), hex("12 0C80"));
  EXPECT_EQ(wire(limiter_, 5), hex("12 0672"));  // 16.50 A
  EXPECT_EQ(wire(limiter_, 6), hex("06 0000003C"));
  EXPECT_EQ(wire(limiter_, 7), hex("06 0000001E"));
  // 2026-01-07 17:00 CET (Wednesday), deviation -60, for 7200 s.
  EXPECT_EQ(wire(limiter_, 8),
            hex("02 03 12 0007 09 0C 07EA 01 07 03 11 00 00 00 FFC4 00 06 00001C20"));
  EXPECT_EQ(wire(limiter_, 9), hex("01 02 12 0003 12 0007"));
  EXPECT_EQ(wire(limiter_, 10), hex("03 00"));
  EXPECT_EQ(wire(limiter_, 11), hex("02 02 02 02 09 06 00000A006AFF 12 0001"
                                    "02 02 09 06 00000A006AFF 12 0002"));
  for (int attribute : {2, 4, 5, 6, 7, 8, 9, 11})
    EXPECT_EQ(limiter_.attribute_access(attribute), AttributeAccess::read_write) << attribute;
  for (int attribute : {3, 10})
    EXPECT_EQ(limiter_.attribute_access(attribute), AttributeAccess::read) << attribute;
}

TEST_F(LimiterObjectTest, WritesReprogramTheLimiter) {
  ASSERT_EQ(limiter_.set(4, Data::unsigned16(2550)), DataAccessResult::success);
  EXPECT_EQ(meter().config().limiter.threshold_normal, 25.5);
  ASSERT_EQ(limiter_.set(6, Data::unsigned32(90)), DataAccessResult::success);
  EXPECT_EQ(meter().config().limiter.min_over_s, 90U);
  // The monitored value: total active power (1-0:16.7.0.255, not a register of the list:
  // double-long in the catalogue's scaler).
  ASSERT_EQ(limiter_.set(2, Data::structure({Data::unsigned16(3), bytes({1, 0, 16, 7, 0, 255}),
                                             Data::integer8(2)})),
            DataAccessResult::success);
  EXPECT_EQ(meter().config().limiter.value, "p_total");
  ASSERT_EQ(limiter_.set(9, Data::array({Data::unsigned16(9)})), DataAccessResult::success);
  EXPECT_EQ(meter().config().limiter.emergency_groups, (std::vector<std::uint16_t>{9}));
  // No emergency profile: every field of the activation not specified.
  ASSERT_EQ(limiter_.set(
                8, Data::structure({Data::unsigned16(9), date_time_octets(unspecified_date_time()),
                                    Data::unsigned32(0)})),
            DataAccessResult::success);
  EXPECT_EQ(meter().config().limiter.emergency.activation, std::nullopt);
  EXPECT_EQ(meter().config().limiter.emergency.id, 9);
  // No action under the threshold.
  ASSERT_EQ(limiter_.set(
                11, Data::structure(
                        {Data::structure({bytes({0, 0, 10, 0, 106, 255}), Data::unsigned16(1)}),
                         Data::structure({bytes({0, 0, 10, 0, 106, 255}), Data::unsigned16(0)})})),
            DataAccessResult::success);
  EXPECT_EQ(meter().config().limiter.under, LimiterAction::none);
  EXPECT_EQ(meter().config().limiter.over, LimiterAction::disconnect);
}

TEST_F(LimiterObjectTest, RefusedWritesChangeNothing) {
  const MeterConfig before = meter().config();
  const std::size_t events = meter().state().standard_events.size();
  auto action = [](std::uint16_t selector) {
    return Data::structure({bytes({0, 0, 10, 0, 106, 255}), Data::unsigned16(selector)});
  };
  // A reconnect over the threshold, a disconnect under it, an unknown script.
  EXPECT_EQ(limiter_.set(11, Data::structure({action(2), action(2)})),
            DataAccessResult::other_reason);
  EXPECT_EQ(limiter_.set(11, Data::structure({action(1), action(1)})),
            DataAccessResult::other_reason);
  EXPECT_EQ(limiter_.set(11, Data::structure({action(3), action(2)})),
            DataAccessResult::other_reason);
  EXPECT_EQ(
      limiter_.set(
          11, Data::structure({Data::structure({bytes({0, 0, 10, 0, 1, 255}), Data::unsigned16(1)}),
                               action(2)})),
      DataAccessResult::other_reason);
  EXPECT_EQ(limiter_.set(11, action(1)), DataAccessResult::type_unmatched);
  // A duration past a day; a value that is not instantaneous; a wrong shape.
  EXPECT_EQ(limiter_.set(6, Data::unsigned32(86'401)), DataAccessResult::other_reason);
  EXPECT_EQ(limiter_.set(6, Data::unsigned16(60)), DataAccessResult::type_unmatched);
  EXPECT_EQ(limiter_.set(2, Data::structure({Data::unsigned16(3), bytes({1, 0, 1, 8, 0, 255}),
                                             Data::integer8(2)})),
            DataAccessResult::other_reason);
  EXPECT_EQ(limiter_.set(2, Data::unsigned16(3)), DataAccessResult::type_unmatched);
  EXPECT_EQ(limiter_.set(4, Data::octets(std::vector<std::uint8_t>{1})),
            DataAccessResult::type_unmatched);
  EXPECT_EQ(limiter_.set(9, Data::array(std::vector<Data>(17, Data::unsigned16(1)))),
            DataAccessResult::other_reason);
  EXPECT_EQ(limiter_.set(9, Data::array({Data::integer8(1)})), DataAccessResult::type_unmatched);
  // An activation time with a wildcard in it names no instant.
  CosemDateTime partial = to_cosem(gridmeter::test::utc(2026, 1, 7, 16, 0), meter().config().zone);
  partial.hour = CosemDateTime::not_specified;
  EXPECT_EQ(limiter_.set(8, Data::structure({Data::unsigned16(7), date_time_octets(partial),
                                             Data::unsigned32(60)})),
            DataAccessResult::other_reason);
  EXPECT_EQ(limiter_.set(3, Data::unsigned16(1)), DataAccessResult::read_write_denied);
  EXPECT_EQ(limiter_.set(10, Data::boolean(true)), DataAccessResult::read_write_denied);
  EXPECT_EQ(meter().config(), before);
  EXPECT_EQ(meter().state().standard_events.size(), events);
}

TEST_F(LimiterObjectTest, TheActiveThresholdFollowsTheEmergencyProfile) {
  // Feed the meter up to the activation: threshold_active becomes the emergency one.
  UtcMicros t = meter().state().time_utc_us;
  const UtcMicros activation = gridmeter::test::utc(2026, 1, 7, 16, 0);
  for (; t < activation; t += 60'000'000)
    access_.advance(gridmeter::test::single_phase(t, 1000.0, 0.0, 60'000'000));
  EXPECT_EQ(wire(limiter_, 10), hex("03 01"));
  EXPECT_EQ(wire(limiter_, 3), hex("12 0672"));
}

}  // namespace
}  // namespace gridmeter::cosem
