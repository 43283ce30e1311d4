#include "meter/meter.hpp"

#include <gtest/gtest.h>

namespace gridmeter {
namespace {

Measurement constant_load(UtcMicros start, double power_w) {
  Measurement m;
  m.start_utc_us = start;
  m.duration_us = 200'000;
  m.connection = Connection::single_phase_2w;
  m.phases[0].voltage_v = 230.0;
  m.phases[0].active_power_w = power_w;
  m.phases[0].apparent_power_va = std::abs(power_w);
  m.phases[0].current_a = std::abs(power_w) / 230.0;
  m.frequency_hz = 50.0;
  return m;
}

TEST(Meter, AdvancesTimeAndCountsIntervals) {
  Meter meter(Connection::single_phase_2w, 1'000'000);
  meter.advance(constant_load(1'000'000, 500.0));
  meter.advance(constant_load(1'200'000, 500.0));
  EXPECT_EQ(meter.state().time_utc_us, 1'400'000);
  EXPECT_EQ(meter.state().measurement_count, 2U);
  EXPECT_EQ(meter.state().energy.total[EnergyKind::active_import].watt_hours_exact(),
            500.0 * 0.4 / 3600.0);
}

TEST(Meter, SameInputGivesTheSameStateBitForBit) {
  Meter a(Connection::single_phase_2w, 0);
  Meter b(Connection::single_phase_2w, 0);
  for (int i = 0; i < 10'000; ++i) {
    const double power = 100.0 + 37.3 * (i % 17) - 400.0 * (i % 5 == 0 ? 1 : 0);
    a.advance(constant_load(i * 200'000LL, power));
    b.advance(constant_load(i * 200'000LL, power));
  }
  EXPECT_EQ(a.state(), b.state());
}

TEST(Meter, RestoredMeterContinuesExactly) {
  Meter whole(Connection::single_phase_2w, 0);
  Meter first(Connection::single_phase_2w, 0);
  for (int i = 0; i < 5000; ++i) {
    whole.advance(constant_load(i * 200'000LL, 123.456 + i));
    first.advance(constant_load(i * 200'000LL, 123.456 + i));
  }
  Meter second(first.state());
  for (int i = 5000; i < 9000; ++i) {
    whole.advance(constant_load(i * 200'000LL, 123.456 + i));
    second.advance(constant_load(i * 200'000LL, 123.456 + i));
  }
  EXPECT_EQ(whole.state(), second.state());
}

TEST(Meter, PowerOutageKeepsRegistersAndMovesTime) {
  Meter meter(Connection::single_phase_2w, 0);
  meter.advance(constant_load(0, 3600.0));
  const MeterState before = meter.state();
  meter.power_outage(200'000, 3'600'000'000LL);
  EXPECT_EQ(meter.state().energy, before.energy);
  EXPECT_EQ(meter.state().power_failure_count, 1U);
  EXPECT_EQ(meter.state().last_power_down_utc_us, 200'000);
  EXPECT_EQ(meter.state().time_utc_us, 3'600'000'000LL);
}

TEST(MeterDeathTest, OverlappingIntervalsAreACallerBug) {
  Meter meter(Connection::single_phase_2w, 0);
  meter.advance(constant_load(0, 100.0));
  EXPECT_DEATH(meter.advance(constant_load(100'000, 100.0)), "overlap");
}

}  // namespace
}  // namespace gridmeter
