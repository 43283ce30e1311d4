// The meter's registers through their COSEM objects (Data, Register, Extended register, Demand
// register) for a single-phase meter fed a known load:
//   06:30-07:00 CET (night, tariff 2) 1000 W, 07:00-07:30 (day, tariff 1) 2000 W,
//   07:30-07:31 1000 W.
#include <gtest/gtest.h>

#include <cstdint>  // std::uint8_t
#include <vector>   // std::vector

#include "cosem/object_list.hpp"
#include "cosem_test_support.hpp"
#include "meter/energy_registers.hpp"
#include "support/measurements.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using dlms::DataAccessResult;
using test::octets_of;
using test::value_of;
using Bytes = std::vector<std::uint8_t>;

constexpr std::int64_t minute_us = 60 * micros_per_second;

class MeterObjectsTest : public ::testing::Test {
 protected:
  MeterObjectsTest()
      : access_(Connection::single_phase_2w, gridmeter::test::utc(2026, 1, 7, 5, 30)) {
    UtcMicros t = gridmeter::test::utc(2026, 1, 7, 5, 30);
    auto run = [&](int minutes, double watts) {
      for (int i = 0; i < minutes; ++i, t += minute_us) {
        access_.advance(gridmeter::test::single_phase(t, watts, 0.0, minute_us));
      }
    };
    run(30, 1000.0);
    run(30, 2000.0);
    run(1, 1000.0);
    objects_ = build_meter_objects(access_, DeviceIdentity{});
  }

  CosemObject& object(std::uint16_t class_id, Obis obis) {
    CosemObject* found = objects_.find(class_id, obis);
    EXPECT_NE(found, nullptr) << to_string(obis);
    return found != nullptr ? *found : *objects_.begin()->get();
  }

  test::TestAccess access_;
  ObjectList objects_;
};

TEST_F(MeterObjectsTest, ActiveImportIsTheRegisterInWattHours) {
  const CosemObject& a_plus = object(3, Obis{1, 0, 1, 8, 0, 255});
  // 500 Wh + 1000 Wh + 16.67 Wh, truncated to whole Wh as the register reads.
  EXPECT_EQ(value_of(a_plus, 2), Data::unsigned32(1516));
  EXPECT_EQ(value_of(a_plus, 3), Data::structure({Data::integer8(0), Data::enumeration(30)}));
  EXPECT_EQ(value_of(a_plus, 1), Data::octets({1, 0, 1, 8, 0, 255}));
}

TEST_F(MeterObjectsTest, EveryEnergyRegisterEqualsTheMeterReading) {
  const MeterState& state = access_.meter().state();
  for (const RegisterReading& reading : read_energy_registers(state.energy, state.connection)) {
    const CosemObject& reg = object(3, reading.obis);
    EXPECT_EQ(value_of(reg, 2).as_int64(), reading.value) << to_string(reading.obis);
    EXPECT_EQ(value_of(reg, 3),
              Data::structure({Data::integer8(reading.scaler),
                               Data::enumeration(static_cast<std::uint8_t>(reading.unit))}));
  }
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 16, 8, 0, 255}), 2), Data::integer32(1516));
}

TEST_F(MeterObjectsTest, TariffRegisters) {
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 1, 8, 1, 255}), 2), Data::unsigned32(1016));
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 1, 8, 2, 255}), 2), Data::unsigned32(500));
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 1, 8, 3, 255}), 2), Data::unsigned32(0));
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 3, 8, 1, 255}), 3),
            Data::structure({Data::integer8(0), Data::enumeration(32)}));  // varh
  // 07:31 CET on a Wednesday: the day tariff.
  EXPECT_EQ(value_of(object(1, Obis{0, 0, 96, 14, 0, 255}), 2), Data::unsigned8(1));
}

TEST_F(MeterObjectsTest, MaximumDemandWithItsCaptureTime) {
  // 2000 W first reached by the quarter 07:00-07:15 CET; later equal quarters do not replace it.
  const CosemObject& total = object(4, Obis{1, 0, 1, 6, 0, 255});
  EXPECT_EQ(value_of(total, 2), Data::integer32(2000));
  EXPECT_EQ(value_of(total, 3), Data::structure({Data::integer8(0), Data::enumeration(27)}));
  EXPECT_EQ(value_of(total, 4), Data::unsigned8(0));
  EXPECT_EQ(octets_of(total, 5),
            (Bytes{0x07, 0xEA, 0x01, 0x07, 0x03, 0x07, 0x0F, 0x00, 0x00, 0xFF, 0xC4, 0x00}));
  // Night tariff: 1000 W, the quarter ending 06:45 CET.
  const CosemObject& night = object(4, Obis{1, 0, 1, 6, 2, 255});
  EXPECT_EQ(value_of(night, 2), Data::integer32(1000));
  EXPECT_EQ(octets_of(night, 5),
            (Bytes{0x07, 0xEA, 0x01, 0x07, 0x03, 0x06, 0x2D, 0x00, 0x00, 0xFF, 0xC4, 0x00}));
  // Weekend tariff: no maximum yet, so no capture time.
  const CosemObject& weekend = object(4, Obis{1, 0, 1, 6, 3, 255});
  EXPECT_EQ(value_of(weekend, 2), Data::integer32(0));
  EXPECT_EQ(octets_of(weekend, 5),
            (Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0xFF}));
  EXPECT_EQ(value_of(object(4, Obis{1, 0, 2, 6, 0, 255}), 2), Data::integer32(0));
}

TEST_F(MeterObjectsTest, CumulativeMaximumAfterABillingReset) {
  const CosemObject& cumulative = object(3, Obis{1, 0, 1, 2, 0, 255});
  EXPECT_EQ(value_of(cumulative, 2), Data::integer32(0));
  access_.meter().billing_reset();
  EXPECT_EQ(value_of(cumulative, 2), Data::integer32(2000));
  EXPECT_EQ(value_of(object(4, Obis{1, 0, 1, 6, 0, 255}), 2), Data::integer32(0));
  EXPECT_EQ(value_of(object(1, Obis{0, 0, 0, 1, 0, 255}), 2), Data::unsigned32(1));
}

TEST_F(MeterObjectsTest, DemandRegister) {
  CosemObject& demand = object(5, Obis{1, 0, 1, 4, 0, 255});
  // One minute at 1000 W into the quarter that began 07:30: 16.67 Wh over 0.25 h.
  EXPECT_EQ(value_of(demand, 2), Data::integer32(67));
  EXPECT_EQ(value_of(demand, 3), Data::integer32(2000));
  EXPECT_EQ(value_of(demand, 4), Data::structure({Data::integer8(0), Data::enumeration(27)}));
  EXPECT_EQ(value_of(demand, 5), Data::unsigned8(0));
  const Bytes half_past_seven{0x07, 0xEA, 0x01, 0x07, 0x03, 0x07,
                              0x1E, 0x00, 0x00, 0xFF, 0xC4, 0x00};
  EXPECT_EQ(octets_of(demand, 6), half_past_seven);  // capture of the last average
  EXPECT_EQ(octets_of(demand, 7), half_past_seven);  // start of the running window
  EXPECT_EQ(value_of(demand, 8), Data::unsigned32(900));
  EXPECT_EQ(value_of(demand, 9), Data::unsigned16(1));
  EXPECT_EQ(value_of(object(5, Obis{1, 0, 3, 4, 0, 255}), 4),
            Data::structure({Data::integer8(0), Data::enumeration(29)}));  // var
  EXPECT_EQ(demand.action(1, Data::integer8(0)).result, dlms::ActionResult::read_write_denied);
  EXPECT_EQ(demand.action(2, Data::integer8(0)).result, dlms::ActionResult::read_write_denied);
  EXPECT_EQ(demand.action(3, Data::integer8(0)).result, dlms::ActionResult::object_undefined);
}

TEST_F(MeterObjectsTest, InstantaneousValuesWithTheirScalers) {
  // The latest interval: 230.0 V, 1000 W, PF 1, 50 Hz, so 4.3478 A.
  const CosemObject& voltage = object(3, Obis{1, 0, 32, 7, 0, 255});
  EXPECT_EQ(value_of(voltage, 2), Data::unsigned16(2300));
  EXPECT_EQ(value_of(voltage, 3), Data::structure({Data::integer8(-1), Data::enumeration(35)}));
  const CosemObject& current = object(3, Obis{1, 0, 31, 7, 0, 255});
  EXPECT_EQ(value_of(current, 2), Data::unsigned16(435));
  EXPECT_EQ(value_of(current, 3), Data::structure({Data::integer8(-2), Data::enumeration(33)}));
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 1, 7, 0, 255}), 2), Data::unsigned32(1000));
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 2, 7, 0, 255}), 2), Data::unsigned32(0));
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 21, 7, 0, 255}), 2), Data::unsigned32(1000));
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 9, 7, 0, 255}), 2), Data::unsigned32(1000));
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 13, 7, 0, 255}), 2), Data::integer16(1000));
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 13, 7, 0, 255}), 3),
            Data::structure({Data::integer8(-3), Data::enumeration(255)}));
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 14, 7, 0, 255}), 2), Data::unsigned16(5000));
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 32, 7, 124, 255}), 2), Data::unsigned16(0));
  // Single phase: no L2, L3.
  EXPECT_EQ(objects_.find(Obis{1, 0, 52, 7, 0, 255}), nullptr);
  EXPECT_EQ(objects_.find(Obis{1, 0, 41, 8, 0, 255}), nullptr);
}

TEST_F(MeterObjectsTest, ValuesAreReadLiveNotCopied) {
  const CosemObject& a_plus = object(3, Obis{1, 0, 1, 8, 0, 255});
  access_.advance(gridmeter::test::single_phase(gridmeter::test::utc(2026, 1, 7, 6, 31), 3600.0,
                                                0.0, minute_us));
  EXPECT_EQ(value_of(a_plus, 2), Data::unsigned32(1576));
  EXPECT_EQ(value_of(object(3, Obis{1, 0, 1, 7, 0, 255}), 2), Data::unsigned32(3600));
}

TEST_F(MeterObjectsTest, RegistersRefuseWritesAndResets) {
  CosemObject& a_plus = *objects_.find(3, Obis{1, 0, 1, 8, 0, 255});
  EXPECT_EQ(a_plus.set(2, Data::unsigned32(0)), DataAccessResult::read_write_denied);
  EXPECT_EQ(a_plus.set(3, Data::structure({Data::integer8(0), Data::enumeration(30)})),
            DataAccessResult::read_write_denied);
  EXPECT_EQ(a_plus.action(1, Data::integer8(0)).result, dlms::ActionResult::read_write_denied);
  EXPECT_EQ(value_of(a_plus, 2), Data::unsigned32(1516));
  EXPECT_EQ(test::error_of(a_plus.get(4, std::nullopt)), DataAccessResult::object_undefined);
  EXPECT_EQ(test::error_of(a_plus.get(0, std::nullopt)), DataAccessResult::object_undefined);
  EXPECT_EQ(a_plus.set(4, Data::unsigned32(0)), DataAccessResult::object_undefined);
}

TEST_F(MeterObjectsTest, ManagementObjects) {
  const Bytes name{'G', 'R', 'D', '0', '0', '0', '0', '0', '0', '0', '1'};
  EXPECT_EQ(octets_of(object(1, Obis{0, 0, 42, 0, 0, 255}), 2), name);
  EXPECT_EQ(octets_of(object(1, Obis{0, 0, 96, 1, 0, 255}), 2),
            (Bytes{'0', '0', '0', '0', '0', '0', '0', '1'}));
  const std::string firmware = "gridmeter 0.1.0";
  EXPECT_EQ(octets_of(object(1, Obis{1, 0, 0, 2, 0, 255}), 2),
            Bytes(firmware.begin(), firmware.end()));
  EXPECT_EQ(value_of(object(1, Obis{0, 0, 0, 1, 0, 255}), 2), Data::unsigned32(0));
  EXPECT_EQ(value_of(object(1, Obis{0, 0, 96, 7, 21, 255}), 2), Data::unsigned16(0));
  EXPECT_EQ(value_of(object(1, Obis{0, 0, 96, 10, 1, 255}), 2), Data::unsigned8(0));
  EXPECT_EQ(value_of(object(1, Obis{0, 0, 96, 11, 0, 255}), 2), Data::unsigned16(0));
  access_.meter().shift_clock(30 * micros_per_second);  // logs events 4 and 5
  EXPECT_EQ(value_of(object(1, Obis{0, 0, 96, 11, 0, 255}), 2), Data::unsigned16(5));
  EXPECT_EQ(value_of(object(1, Obis{0, 0, 96, 10, 1, 255}), 2), Data::unsigned8(0x24));  // CAD|DNV
  EXPECT_EQ(object(1, Obis{0, 0, 42, 0, 0, 255}).set(2, Data::octets({1})),
            DataAccessResult::read_write_denied);
}

TEST(LogicalDeviceName, IsCutToSixteenOctets) {
  DeviceIdentity identity;
  identity.serial_number = "12345678901234567890";
  EXPECT_EQ(logical_device_name(identity), "GRD1234567890123");
}

}  // namespace
}  // namespace gridmeter::cosem
