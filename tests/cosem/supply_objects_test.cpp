// The supply control's Data and Register objects (credit, tamper, fraud signs, S0 output) and
// the Profile generic objects of the disconnector control log and the token log.
#include <gtest/gtest.h>

#include <vector>

#include "cosem/object_list.hpp"
#include "cosem/profile_generic.hpp"
#include "cosem_test_support.hpp"
#include "dlms/selective_access.hpp"
#include "support/measurements.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using test::hex;
using test::wire;

class SupplyObjectsTest : public ::testing::Test {
 protected:
  SupplyObjectsTest()
      : access_(Connection::single_phase_2w, gridmeter::test::utc(2026, 1, 7, 9, 0)) {
    MeterConfig config = meter().config();
    config.prepayment.enabled = true;
    config.prepayment.low_credit_wh = 2'000;
    config.prepayment.emergency_credit_wh = 500;
    meter().configure(config);
    objects_ = build_meter_objects(access_, DeviceIdentity{});
  }
  Meter& meter() { return access_.meter(); }
  const CosemObject& object(std::uint16_t class_id, Obis obis) {
    const CosemObject* found = objects_.find(class_id, obis);
    EXPECT_NE(found, nullptr) << to_string(obis);
    return *found;
  }

  test::TestAccess access_;
  ObjectList objects_;
};

TEST_F(SupplyObjectsTest, TheCreditObjectsReadTheMeter) {
  ASSERT_TRUE(meter().top_up(123'456'789'012'345'678ULL, 1'500));
  ASSERT_EQ(meter().press_button(), DisconnectResult::done);
  UtcMicros t = meter().state().time_utc_us;
  // 2 kW for an hour: 500 Wh owed... no: the credit runs out at 1.5 kWh and the supply opens.
  for (int i = 0; i < 60; ++i, t += 60'000'000)
    access_.advance(gridmeter::test::single_phase(t, 2000.0, 0.0, 60'000'000));
  ASSERT_TRUE(meter().take_emergency_credit());
  EXPECT_EQ(wire(object(3, Obis{0, 0, 128, 0, 0, 255}), 2), hex("05 000001F4"));  // 500 Wh
  EXPECT_EQ(wire(object(3, Obis{0, 0, 128, 0, 0, 255}), 3), hex("02 02 0F 00 16 1E"));
  EXPECT_EQ(wire(object(3, Obis{0, 0, 128, 0, 1, 255}), 2), hex("06 000007D0"));
  EXPECT_EQ(wire(object(3, Obis{0, 0, 128, 0, 2, 255}), 2), hex("06 000001F4"));
  EXPECT_EQ(wire(object(1, Obis{0, 0, 128, 0, 3, 255}), 2), hex("03 01"));
  EXPECT_EQ(wire(object(1, Obis{0, 0, 128, 0, 4, 255}), 2), hex("15 01B69B4BA630F34E"));
  EXPECT_EQ(wire(object(1, Obis{0, 0, 128, 0, 5, 255}), 2), hex("06 00000001"));
  EXPECT_EQ(wire(object(3, Obis{0, 0, 128, 0, 6, 255}), 2), hex("06 000005DC"));

  // The token log as a Profile generic: token, amount, credit after, in their objects' types.
  const CosemObject& tokens = object(7, Obis{0, 0, 99, 98, 128, 255});
  EXPECT_EQ(wire(tokens, 3), hex("01 04"
                                 "02 04 12 0008 09 06 0000010000FF 0F 02 12 0000"
                                 "02 04 12 0001 09 06 0000800004FF 0F 02 12 0000"
                                 "02 04 12 0003 09 06 0000800006FF 0F 02 12 0000"
                                 "02 04 12 0003 09 06 0000800000FF 0F 02 12 0000"));
  const std::vector<std::uint8_t> buffer = wire(tokens, 2);
  // One entry: clock (octet-string 12), long64-unsigned token, double-long-unsigned 1500 Wh,
  // double-long 1500 Wh.
  const std::vector<std::uint8_t> tail = hex("15 01B69B4BA630F34E 06 000005DC 05 000005DC");
  ASSERT_GE(buffer.size(), tail.size());
  EXPECT_EQ(std::vector<std::uint8_t>(buffer.end() - static_cast<std::ptrdiff_t>(tail.size()),
                                      buffer.end()),
            tail);
}

TEST_F(SupplyObjectsTest, TamperFraudAndPulseObjectsAndTheDisconnectorLog) {
  ASSERT_TRUE(meter().tamper_input(TamperInput::meter_cover, true));
  ASSERT_TRUE(meter().tamper_input(TamperInput::meter_cover, false));
  ASSERT_TRUE(meter().tamper_input(TamperInput::magnetic_field, true));
  EXPECT_EQ(wire(object(1, Obis{0, 0, 128, 1, 0, 255}), 2), hex("06 00000000"));
  EXPECT_EQ(wire(object(1, Obis{0, 0, 128, 1, 1, 255}), 2), hex("06 00000001"));
  EXPECT_EQ(wire(object(1, Obis{0, 0, 128, 1, 2, 255}), 2), hex("06 00000001"));
  EXPECT_EQ(wire(object(1, Obis{0, 0, 128, 2, 1, 255}), 2), hex("03 00"));
  EXPECT_EQ(wire(object(1, Obis{0, 0, 128, 2, 2, 255}), 2), hex("03 01"));
  EXPECT_EQ(wire(object(1, Obis{0, 0, 128, 3, 0, 255}), 2), hex("06 00000000"));
  EXPECT_EQ(wire(object(1, Obis{0, 0, 128, 4, 1, 255}), 2), hex("06 000003E8"));
  EXPECT_EQ(wire(object(1, Obis{0, 0, 128, 4, 0, 255}), 2), hex("15 0000000000000000"));
  // Last fraud event code: 42, strong DC field.
  EXPECT_EQ(wire(object(1, Obis{0, 0, 96, 11, 1, 255}), 2), hex("12 002A"));

  // The disconnector control log: clock and code (0-0:96.11.2.255); a prepaid meter without
  // credit logged credit low (210), credit exhausted (211) and the local disconnection (64).
  const CosemObject& log = object(7, Obis{0, 0, 99, 98, 2, 255});
  EXPECT_EQ(wire(log, 3), hex("01 02"
                              "02 04 12 0008 09 06 0000010000FF 0F 02 12 0000"
                              "02 04 12 0001 09 06 0000600B02FF 0F 02 12 0000"));
  EXPECT_EQ(wire(log, 7), hex("06 00000003"));
  EXPECT_EQ(wire(log, 8), hex("06 000000C8"));
  const dlms::EntryDescriptor last{.from_entry = 3, .to_entry = 3};
  const dlms::GetDataResult newest = log.get(2, dlms::to_access_selection(last));
  ASSERT_TRUE(std::holds_alternative<Data>(newest));
  const std::vector<std::uint8_t> encoded = dlms::encode(std::get<Data>(newest));
  EXPECT_EQ(std::vector<std::uint8_t>(encoded.end() - 3, encoded.end()), hex("12 0040"));
}

}  // namespace
}  // namespace gridmeter::cosem
