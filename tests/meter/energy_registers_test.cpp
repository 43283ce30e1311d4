#include "meter/energy_registers.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

namespace gridmeter {
namespace {

constexpr std::int64_t interval_us = 200'000;
constexpr int intervals_per_hour = 18'000;

PhaseMeasurement phase(double p_w, double q_var) {
  PhaseMeasurement m;
  m.voltage_v = 230.0;
  m.active_power_w = p_w;
  m.reactive_power_var = q_var;
  m.apparent_power_va = std::sqrt(p_w * p_w + q_var * q_var);
  m.current_a = m.apparent_power_va / m.voltage_v;
  m.power_factor = m.apparent_power_va > 0 ? p_w / m.apparent_power_va : 1.0;
  m.frequency_hz = 50.0;
  return m;
}

std::map<std::string, std::int64_t> readings_by_obis(const EnergyRegisters& registers,
                                                     Connection connection) {
  std::map<std::string, std::int64_t> values;
  for (const RegisterReading& r : read_energy_registers(registers, connection)) {
    values[to_string(r.obis)] = r.value;
  }
  return values;
}

TEST(Quadrant, AssignsAllFourQuadrantsAndTheAxes) {
  EXPECT_EQ(quadrant_of(1000.0, 300.0), Quadrant::q1);   // import, inductive
  EXPECT_EQ(quadrant_of(-1000.0, 300.0), Quadrant::q2);  // export, capacitive load seen
  EXPECT_EQ(quadrant_of(-1000.0, -300.0), Quadrant::q3);
  EXPECT_EQ(quadrant_of(1000.0, -300.0), Quadrant::q4);  // import, capacitive
  EXPECT_EQ(quadrant_of(0.0, 0.0), Quadrant::q1);
  EXPECT_EQ(quadrant_of(0.0, -1.0), Quadrant::q4);
  EXPECT_EQ(quadrant_of(-1.0, 0.0), Quadrant::q2);
}

TEST(EnergyRegisters, ConstantLoadForOneHourIsExactWattHours) {
  EnergyRegisters registers;
  Measurement m;
  m.connection = Connection::single_phase_2w;
  m.duration_us = interval_us;
  m.phases[0] = phase(1000.0, 0.0);
  for (int i = 0; i < intervals_per_hour; ++i) {
    m.start_utc_us = i * interval_us;
    registers.add(m);
  }
  auto values = readings_by_obis(registers, Connection::single_phase_2w);
  EXPECT_EQ(values["1-0:1.8.0.255"], 1000);
  EXPECT_EQ(values["1-0:21.8.0.255"], 1000);
  EXPECT_EQ(values["1-0:2.8.0.255"], 0);
  EXPECT_EQ(values["1-0:9.8.0.255"], 1000);
  EXPECT_EQ(values["1-0:16.8.0.255"], 1000);
  EXPECT_EQ(values.count("1-0:41.8.0.255"), 0U);  // single phase: no L2 registers
  // Exactly 3.6e18 pJ: nothing lost to rounding over 18,000 increments.
  EXPECT_EQ(registers.total[EnergyKind::active_import].watt_hours_exact(), 1000.0);
}

TEST(EnergyRegisters, EachPhaseInItsOwnQuadrantAndTotalsVectorSummed) {
  EnergyRegisters registers;
  Measurement m;
  m.connection = Connection::three_phase_4w;
  m.duration_us = interval_us;
  m.phases[0] = phase(1000.0, 500.0);   // QI
  m.phases[1] = phase(-800.0, 300.0);   // QII
  m.phases[2] = phase(-400.0, -200.0);  // QIII
  for (int i = 0; i < 2 * intervals_per_hour; ++i)
    registers.add(m);  // two hours
  auto v = readings_by_obis(registers, Connection::three_phase_4w);
  // L1: QI
  EXPECT_EQ(v["1-0:21.8.0.255"], 2000);
  EXPECT_EQ(v["1-0:22.8.0.255"], 0);
  EXPECT_EQ(v["1-0:23.8.0.255"], 1000);
  EXPECT_EQ(v["1-0:25.8.0.255"], 1000);
  EXPECT_EQ(v["1-0:29.8.0.255"],
            static_cast<std::int64_t>(2 * std::sqrt(1000.0 * 1000 + 500 * 500)));
  // L2: QII
  EXPECT_EQ(v["1-0:41.8.0.255"], 0);
  EXPECT_EQ(v["1-0:42.8.0.255"], 1600);
  EXPECT_EQ(v["1-0:43.8.0.255"], 600);
  EXPECT_EQ(v["1-0:46.8.0.255"], 600);
  EXPECT_EQ(v["1-0:45.8.0.255"], 0);
  EXPECT_EQ(v["1-0:50.8.0.255"], static_cast<std::int64_t>(2 * std::sqrt(800.0 * 800 + 300 * 300)));
  EXPECT_EQ(v["1-0:56.8.0.255"], -1600);
  // L3: QIII
  EXPECT_EQ(v["1-0:62.8.0.255"], 800);
  EXPECT_EQ(v["1-0:64.8.0.255"], 400);
  EXPECT_EQ(v["1-0:67.8.0.255"], 400);
  // Totals: P = -200 W, Q = +600 var → export in QII.
  EXPECT_EQ(v["1-0:1.8.0.255"], 0);
  EXPECT_EQ(v["1-0:2.8.0.255"], 400);
  EXPECT_EQ(v["1-0:3.8.0.255"], 1200);
  EXPECT_EQ(v["1-0:4.8.0.255"], 0);
  EXPECT_EQ(v["1-0:6.8.0.255"], 1200);
  EXPECT_EQ(v["1-0:5.8.0.255"] + v["1-0:7.8.0.255"] + v["1-0:8.8.0.255"], 0);
  EXPECT_EQ(v["1-0:16.8.0.255"], -400);
  EXPECT_EQ(v["1-0:15.8.0.255"], 400);
}

TEST(EnergyRegisters, QuadrantFourIsImportWithExportedReactive) {
  EnergySet set;
  for (int i = 0; i < intervals_per_hour; ++i)
    set.add(2000.0, -1000.0, 2236.0, interval_us);
  EXPECT_EQ(set[EnergyKind::active_import].watt_hours(), 2000U);
  EXPECT_EQ(set[EnergyKind::reactive_export].watt_hours(), 1000U);
  EXPECT_EQ(set[EnergyKind::reactive_q4].watt_hours(), 1000U);
  EXPECT_EQ(set[EnergyKind::reactive_q1].watt_hours(), 0U);
  EXPECT_EQ(set[EnergyKind::apparent_import].watt_hours(), 2236U);
}

TEST(EnergyRegisters, ThreeWireHasTotalsOnly) {
  EnergyRegisters registers;
  Measurement m;
  m.connection = Connection::three_phase_3w;
  m.duration_us = interval_us;
  m.phases[0] = phase(600.0, 0.0);
  m.phases[2] = phase(400.0, 0.0);
  for (int i = 0; i < intervals_per_hour; ++i)
    registers.add(m);
  auto v = readings_by_obis(registers, Connection::three_phase_3w);
  EXPECT_EQ(v["1-0:1.8.0.255"], 1000);
  EXPECT_EQ(v.count("1-0:21.8.0.255"), 0U);
  EXPECT_EQ(v.size(), 12U);
}

TEST(EnergyAccumulator, TruncatesToWholeWattHours) {
  EnergyAccumulator a;
  for (int i = 0; i < intervals_per_hour - 1; ++i)
    a.add(power_to_microwatts(1.0), interval_us);
  EXPECT_EQ(a.watt_hours(), 0U);
  a.add(power_to_microwatts(1.0), interval_us);
  EXPECT_EQ(a.watt_hours(), 1U);
}

TEST(EnergyAccumulator, SmallIncrementsCountOnAFullRegister) {
  // 50 GWh already registered (more than a house uses in a thousand lifetimes): a 5 W load
  // for one hour still adds exactly 5 Wh, and 1 mW for one hour exactly 1 mWh.
  const std::uint64_t base_wh = 50'000'000'000ULL;
  EnergyAccumulator a;
  // 3.6 MW for one second is 1000 Wh, the largest whole-Wh step whose product fits 64 bits.
  for (int i = 0; i < 50'000'000; ++i)
    a.add(power_to_microwatts(3'600'000.0), 1'000'000ULL);
  ASSERT_EQ(a.watt_hours(), base_wh);
  for (int i = 0; i < intervals_per_hour; ++i)
    a.add(power_to_microwatts(5.0), interval_us);
  EXPECT_EQ(a.watt_hours(), base_wh + 5);
  EnergyAccumulator tiny = a;
  for (int i = 0; i < intervals_per_hour * 1000; ++i) {
    tiny.add(power_to_microwatts(0.001), interval_us);
  }
  EXPECT_EQ(tiny.watt_hours(), base_wh + 6);
}

TEST(EnergyAccumulator, CarriesIntoTheHighWord) {
  EnergyAccumulator a = EnergyAccumulator::from_words(0, ~0ULL);
  a.add(1, 1);
  EXPECT_EQ(a.high_word(), 1U);
  EXPECT_EQ(a.low_word(), 0U);
  // 2^64 pJ = 5124.095576 Wh
  EXPECT_EQ(a.watt_hours(), 5124U);
}

TEST(EnergyAccumulator, NegativePowerCountsNothing) {
  EXPECT_EQ(power_to_microwatts(-5.0), 0U);
  EXPECT_EQ(power_to_microwatts(0.0000004), 0U);
  EXPECT_EQ(power_to_microwatts(0.0000005), 1U);
}

}  // namespace
}  // namespace gridmeter
