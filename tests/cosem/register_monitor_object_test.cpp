// Register monitor (class 21): the meter's monitors as thresholds in the monitored register's
// type and scaler, the monitored value, the actions as script references, and writes that
// reprogram the meter or change nothing.
#include "cosem/register_monitor_object.hpp"

#include <gtest/gtest.h>

#include <cstdint>  // std::uint8_t
#include <vector>   // std::vector

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

// action_item { script_logical_name, script_selector }.
Data item(std::vector<std::uint8_t> table, std::uint16_t selector) {
  return Data::structure({bytes(std::move(table)), Data::unsigned16(selector)});
}
const std::vector<std::uint8_t> billing_table{0, 0, 10, 0, 1, 255};

class RegisterMonitorObjectTest : public ::testing::Test {
 protected:
  RegisterMonitorObjectTest()
      : access_(Connection::single_phase_2w, gridmeter::test::utc(2026, 1, 7, 9, 0)),
        list_(build_meter_objects(access_, DeviceIdentity{})) {}

  Meter& meter() { return access_.meter(); }
  CosemObject& monitor() {
    CosemObject* found = list_.find(21, Obis{0, 0, 16, 1, 0, 255});
    EXPECT_NE(found, nullptr);
    return *found;
  }

  test::TestAccess access_;
  ObjectList list_;
};

TEST_F(RegisterMonitorObjectTest, TheDefaultMonitorInTheVoltageRegistersTypeAndScaler) {
  EXPECT_EQ(monitor().class_id(), 21);
  EXPECT_EQ(monitor().version(), 0);
  EXPECT_EQ(wire(monitor(), 1), hex("09 06 0000100100FF"));
  // 1-0:32.7.0.255 is long-unsigned in 0.1 V: 253.0 V and 207.0 V.
  EXPECT_EQ(wire(monitor(), 2), hex("01 02 12 09E2 12 0816"));
  EXPECT_EQ(wire(monitor(), 3), hex("02 03 12 0003 09 06 0100200700FF 0F 02"));
  const std::string null_script = "02 02 09 06 00000A0001FF 12 0000";
  EXPECT_EQ(wire(monitor(), 4),
            hex("01 02 02 02" + null_script + null_script + "02 02" + null_script + null_script));
  for (int attribute = 2; attribute <= 4; ++attribute)
    EXPECT_EQ(monitor().attribute_access(attribute), AttributeAccess::read_write);
  EXPECT_EQ(monitor().method_count(), 0);
  // One monitor configured, one object.
  EXPECT_EQ(list_.find(21, Obis{0, 0, 16, 1, 1, 255}), nullptr);
}

TEST_F(RegisterMonitorObjectTest, WritingThresholdsReprogramsTheMeterInPhysicalUnits) {
  EXPECT_EQ(monitor().set(2, Data::array({Data::unsigned16(2555), Data::unsigned16(1955),
                                          Data::unsigned16(2600)})),
            DataAccessResult::success);
  const RegisterMonitorConfig& config = meter().config().register_monitors[0];
  ASSERT_EQ(config.thresholds.size(), 3U);
  EXPECT_EQ(config.thresholds[0].value, 255.5);
  EXPECT_EQ(config.thresholds[1].value, 195.5);
  EXPECT_EQ(config.thresholds[2].value, 260.0);
  EXPECT_EQ(wire(monitor(), 2), hex("01 03 12 09FB 12 07A3 12 0A28"));
  EXPECT_EQ(test::standard_event_codes(meter()), (std::vector<std::int64_t>{47}));
}

TEST_F(RegisterMonitorObjectTest, WritingActionsAndTheMonitoredValue) {
  // Threshold 0 upwards: end of billing; the rest the null script (selector 0, any table).
  const Data actions =
      Data::array({Data::structure({item(billing_table, 1), item({0, 0, 0, 0, 0, 0}, 0)}),
                   Data::structure({item(billing_table, 0), item(billing_table, 0)})});
  EXPECT_EQ(monitor().set(4, actions), DataAccessResult::success);
  EXPECT_EQ(meter().config().register_monitors[0].thresholds[0].up, MonitorScript::end_of_billing);
  EXPECT_EQ(meter().config().register_monitors[0].thresholds[0].down, MonitorScript::none);
  EXPECT_EQ(wire(monitor(), 4).size(), 2U + 2 * (2 + 2 * 13));

  // Now watch the total power factor (long, in 0.001): the thresholds keep their physical
  // values and read in the new register's scaler.
  const Data power_factor =
      Data::structure({Data::unsigned16(3), bytes({1, 0, 13, 7, 0, 255}), Data::integer8(2)});
  EXPECT_EQ(monitor().set(3, power_factor), DataAccessResult::success);
  EXPECT_EQ(meter().config().register_monitors[0].value, "pf_total");
  EXPECT_EQ(wire(monitor(), 3), hex("02 03 12 0003 09 06 01000D0700FF 0F 02"));
  EXPECT_EQ(wire(monitor(), 2), hex("01 02 10 7FFF 10 7FFF"));  // 253 and 207 saturate a long
}

TEST_F(RegisterMonitorObjectTest, TheDisconnectorScriptsAsActions) {
  const std::vector<std::uint8_t> disconnector{0, 0, 10, 0, 106, 255};
  const Data actions =
      Data::array({Data::structure({item(disconnector, 1), item(disconnector, 2)}),
                   Data::structure({item(billing_table, 0), item(billing_table, 0)})});
  EXPECT_EQ(monitor().set(4, actions), DataAccessResult::success);
  EXPECT_EQ(meter().config().register_monitors[0].thresholds[0].up, MonitorScript::disconnect);
  EXPECT_EQ(meter().config().register_monitors[0].thresholds[0].down, MonitorScript::reconnect);
  const std::string null_script = "02 02 09 06 00000A0001FF 12 0000";
  EXPECT_EQ(wire(monitor(), 4), hex("01 02 02 02 02 02 09 06 00000A006AFF 12 0001"
                                    "02 02 09 06 00000A006AFF 12 0002 02 02" +
                                    null_script + null_script));
  // Script 3 of the disconnector table does not exist.
  EXPECT_EQ(
      monitor().set(
          4, Data::array({Data::structure({item(disconnector, 3), item(billing_table, 0)}),
                          Data::structure({item(billing_table, 0), item(billing_table, 0)})})),
      DataAccessResult::other_reason);
}

TEST_F(RegisterMonitorObjectTest, RefusedWritesChangeNothing) {
  const MeterConfig before = meter().config();
  // Wrong shapes: type_unmatched.
  EXPECT_EQ(monitor().set(2, Data::unsigned16(2530)), DataAccessResult::type_unmatched);
  EXPECT_EQ(monitor().set(2, Data::array({bytes({1})})), DataAccessResult::type_unmatched);
  EXPECT_EQ(monitor().set(3, Data::structure({Data::unsigned16(3), bytes({1, 0, 32, 7, 0, 255})})),
            DataAccessResult::type_unmatched);
  EXPECT_EQ(monitor().set(3, Data::structure({Data::unsigned8(3), bytes({1, 0, 32, 7, 0, 255}),
                                              Data::integer8(2)})),
            DataAccessResult::type_unmatched);
  EXPECT_EQ(monitor().set(4, Data::array({Data::structure({item(billing_table, 1)}),
                                          Data::structure({item(billing_table, 1)})})),
            DataAccessResult::type_unmatched);
  EXPECT_EQ(
      monitor().set(
          4, Data::array({Data::structure({item({0, 0, 10}, 1), item(billing_table, 0)}),
                          Data::structure({item(billing_table, 0), item(billing_table, 0)})})),
      DataAccessResult::type_unmatched);
  // Meaningful shapes the meter cannot do: other_reason.
  EXPECT_EQ(monitor().set(2, Data::array({})), DataAccessResult::other_reason);  // no threshold
  EXPECT_EQ(monitor().set(2, Data::array(std::vector<Data>(9, Data::unsigned16(1)))),
            DataAccessResult::other_reason);
  // An energy register, an average, another attribute, another class: nothing to watch.
  for (const Data& watched :
       {Data::structure({Data::unsigned16(3), bytes({1, 0, 1, 8, 0, 255}), Data::integer8(2)}),
        Data::structure({Data::unsigned16(3), bytes({1, 0, 32, 25, 0, 255}), Data::integer8(2)}),
        Data::structure({Data::unsigned16(3), bytes({1, 0, 32, 7, 0, 255}), Data::integer8(3)}),
        Data::structure({Data::unsigned16(1), bytes({1, 0, 32, 7, 0, 255}), Data::integer8(2)})}) {
    EXPECT_EQ(monitor().set(3, watched), DataAccessResult::other_reason);
  }
  // One action set for two thresholds; a script the meter does not have (tariff 1).
  EXPECT_EQ(
      monitor().set(
          4, Data::array({Data::structure({item(billing_table, 0), item(billing_table, 0)})})),
      DataAccessResult::other_reason);
  EXPECT_EQ(monitor().set(
                4, Data::array(
                       {Data::structure({item({0, 0, 10, 0, 100, 255}, 1), item(billing_table, 0)}),
                        Data::structure({item(billing_table, 0), item(billing_table, 0)})})),
            DataAccessResult::other_reason);
  EXPECT_EQ(meter().config(), before);
  EXPECT_TRUE(test::standard_event_codes(meter()).empty());
}

TEST_F(RegisterMonitorObjectTest, AValueTheListDoesNotServeReadsInTheCataloguesScaler) {
  // Voltage L2 of a single-phase meter has no register: double-long in 0.01 V.
  MeterConfig config = meter().config();
  config.register_monitors = {{"u_l2", {{253.0, MonitorScript::none, MonitorScript::none}}}};
  meter().configure(config);
  EXPECT_EQ(wire(monitor(), 2), hex("01 01 05 000062D4"));
  EXPECT_EQ(wire(monitor(), 3), hex("02 03 12 0003 09 06 0100340700FF 0F 02"));
  // Without monitors, the object built for one answers object_unavailable.
  config.register_monitors.clear();
  meter().configure(config);
  const dlms::GetDataResult gone = monitor().get(2, std::nullopt);
  ASSERT_TRUE(std::holds_alternative<DataAccessResult>(gone));
  EXPECT_EQ(std::get<DataAccessResult>(gone), DataAccessResult::object_unavailable);
  EXPECT_EQ(monitor().set(2, Data::array({Data::unsigned16(1)})),
            DataAccessResult::object_unavailable);
}

}  // namespace
}  // namespace gridmeter::cosem
