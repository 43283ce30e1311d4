// The meter's time-of-use, demand and billing registers, driven through Meter::advance.
#include <gtest/gtest.h>

#include <cmath>

#include "meter/load_profile.hpp"
#include "meter/meter.hpp"
#include "support/measurements.hpp"

namespace gridmeter {
namespace {

using test::single_phase;
using test::utc;

constexpr std::uint64_t one_kilowatt_uw = 1'000'000'000;

// Exactly `hours` of 1 kW.
EnergyAccumulator kilowatt_hours(int hours) {
  EnergyAccumulator energy;
  for (int h = 0; h < hours; ++h)
    energy.add(one_kilowatt_uw, micros_per_hour);
  return energy;
}

void expect_tariffs_sum_to_total(const MeterState& state) {
  for (EnergyKind kind : {EnergyKind::active_import, EnergyKind::active_export,
                          EnergyKind::reactive_import, EnergyKind::reactive_export}) {
    EXPECT_EQ(state.tariffs.sum(kind), state.energy.total[kind]) << static_cast<int>(kind);
  }
}

// Feeds `power_w` from `from` to `to` in steps of `step_us` (the last one cut at `to`).
void feed(Meter& meter, UtcMicros from, UtcMicros to, double power_w,
          std::int64_t step_us = test::interval_us) {
  for (UtcMicros t = from; t < to; t += step_us)
    meter.advance(single_phase(t, power_w, 0.0, std::min(step_us, to - t)));
}

TEST(MeterTimeOfUse, AWeekOfConstantLoadSplitsAtTheExactSwitchTimes) {
  // Monday 2026-03-23 00:00:00.1 CET to Monday 2026-03-30 00:00:00.1 CEST at 1 kW: 200 ms
  // intervals offset by 100 ms, so every whole-second switch falls inside an interval. The
  // week holds the spring DST change, so Sunday is 23 h long.
  const UtcMicros start = utc(2026, 3, 22, 23, 0) + 100'000;
  const UtcMicros end = utc(2026, 3, 29, 22, 0) + 100'000;
  Meter meter(Connection::single_phase_2w, start);
  feed(meter, start, end, 1000.0);
  const MeterState& state = meter.state();
  // Day: 5 × 15 h. Night: 5 × 9 h. Weekend: 24 h + 23 h.
  EXPECT_EQ(state.tariffs.at(1, EnergyKind::active_import), kilowatt_hours(75));
  EXPECT_EQ(state.tariffs.at(2, EnergyKind::active_import), kilowatt_hours(45));
  EXPECT_EQ(state.tariffs.at(3, EnergyKind::active_import), kilowatt_hours(47));
  EXPECT_EQ(state.energy.total[EnergyKind::active_import].watt_hours(), 167'000U);
  expect_tariffs_sum_to_total(state);
  EXPECT_EQ(state.active_tariff, 2);
}

TEST(MeterTimeOfUse, ASwitchInsideAnIntervalSplitsItToTheMicrosecond) {
  // Wednesday 2026-03-25, 06:59:59.9 local (CET): an interval of 200 ms across 07:00.
  const UtcMicros start = utc(2026, 3, 25, 5, 59, 59) + 900'000;
  Meter meter(Connection::single_phase_2w, start);
  meter.advance(single_phase(start, 3600.0, -1800.0));
  const MeterState& state = meter.state();
  // 100 ms of 3.6 kW = 360 J = 3.6e14 pJ each side; R- likewise with 1.8 kvar.
  EXPECT_EQ(state.tariffs.at(2, EnergyKind::active_import).low_word(), 360'000'000'000'000ULL);
  EXPECT_EQ(state.tariffs.at(1, EnergyKind::active_import).low_word(), 360'000'000'000'000ULL);
  EXPECT_EQ(state.tariffs.at(2, EnergyKind::reactive_export).low_word(), 180'000'000'000'000ULL);
  EXPECT_EQ(state.tariffs.at(1, EnergyKind::reactive_export).low_word(), 180'000'000'000'000ULL);
  expect_tariffs_sum_to_total(state);
  EXPECT_EQ(state.active_tariff, 1);
}

TEST(MeterTimeOfUse, PassiveCalendarActivatesMidIntervalAndIsLogged) {
  MeterConfig config;
  ActivityCalendar& calendar = config.calendar;
  calendar.passive.name = "flat";
  calendar.passive.days.push_back(DayProfile{1, "flat", {{0, 5}}});
  calendar.passive.weeks.push_back(WeekProfile{"flat", {1, 1, 1, 1, 1, 1, 1}});
  calendar.passive.seasons.push_back(
      SeasonProfile{"all-year", {CalendarDate::year_not_specified, 1, 1}, "flat"});
  // 2026-07-01T00:00:00.05+02:00, 50 ms into an interval.
  const UtcMicros activation = utc(2026, 6, 30, 22, 0) + 50'000;
  calendar.activate_passive_utc_us = activation;
  ASSERT_TRUE(config.validate()) << config.validate().error().message;
  const UtcMicros start = utc(2026, 6, 30, 21, 0);  // Tuesday 23:00 local, night
  Meter meter(Connection::single_phase_2w, start, config);
  feed(meter, start, start + 2 * micros_per_hour, 1000.0);
  const MeterState& state = meter.state();
  EXPECT_EQ(state.tariffs.at(2, EnergyKind::active_import).low_word(),
            3'600'050'000'000'000'000ULL);
  EXPECT_EQ(state.tariffs.at(5, EnergyKind::active_import).low_word(),
            3'599'950'000'000'000'000ULL);
  expect_tariffs_sum_to_total(state);
  EXPECT_EQ(state.config.calendar.active.name, "flat");
  EXPECT_FALSE(state.config.calendar.activate_passive_utc_us.has_value());
  EXPECT_EQ(state.active_tariff, 5);
  // 1 July 00:00 is also the default billing date: its reset comes first.
  ASSERT_EQ(state.standard_events.size(), 2U);
  EXPECT_EQ(state.standard_events.entry(0).values[0],
            static_cast<std::int64_t>(EventCode::billing_period_reset));
  EXPECT_EQ(state.standard_events.entry(1).stamp.time_utc_us, activation);
  EXPECT_EQ(state.standard_events.entry(1).values[0],
            static_cast<std::int64_t>(EventCode::tou_activated));
}

TEST(MeterDemand, BlockMaximumOfAStepLoadAndItsTime) {
  // Wednesday 2026-03-25 10:00 CET: 1 kW, 5 kW from 10:05 to 10:20, then 1 kW until 11:00.
  const UtcMicros t10 = utc(2026, 3, 25, 9, 0);
  Meter meter(Connection::single_phase_2w, t10);
  feed(meter, t10, t10 + 5 * micros_per_minute, 1000.0);
  feed(meter, t10 + 5 * micros_per_minute, t10 + 20 * micros_per_minute, 5000.0);
  feed(meter, t10 + 20 * micros_per_minute, t10 + 60 * micros_per_minute, 1000.0);
  const DemandState& demand = meter.state().demand;
  // 10:00-10:15: (5 min × 1 kW + 10 min × 5 kW) / 15 min = 3666.67 W.
  const MaximumDemand& maximum = demand.maximum[0][0];
  EXPECT_NEAR(maximum.value_w, 55'000.0 / 15.0, 1e-6);
  EXPECT_EQ(maximum.time_utc_us, t10 + 15 * micros_per_minute);
  EXPECT_EQ(demand.maximum[0][1], maximum);  // day tariff
  EXPECT_EQ(demand.maximum[0][2].time_utc_us, 0);
  EXPECT_NEAR(demand.last_average_w[0], 1000.0, 1e-6);  // 10:45-11:00
  EXPECT_EQ(demand.last_average_utc_us, t10 + micros_per_hour);
  EXPECT_EQ(demand.maximum[1][0].value_w, 0.0);  // nothing exported
}

TEST(MeterDemand, SlidingWindowFindsTheFullStep) {
  MeterConfig config;
  config.demand = DemandConfig{.period_min = 15, .sub_periods = 3};
  const UtcMicros t10 = utc(2026, 3, 25, 9, 0);
  Meter meter(Connection::single_phase_2w, t10, config);
  feed(meter, t10, t10 + 5 * micros_per_minute, 1000.0);
  feed(meter, t10 + 5 * micros_per_minute, t10 + 20 * micros_per_minute, 5000.0);
  feed(meter, t10 + 20 * micros_per_minute, t10 + 22 * micros_per_minute, 1000.0);
  const DemandState& demand = meter.state().demand;
  // The window 10:05-10:20 holds only the step.
  EXPECT_NEAR(demand.maximum[0][0].value_w, 5000.0, 1e-6);
  EXPECT_EQ(demand.maximum[0][0].time_utc_us, t10 + 20 * micros_per_minute);
  // Current average at 10:22: 10:10-10:20 at 5 kW plus 2 min at 1 kW, over 15 min.
  EXPECT_NEAR(
      demand.current_average_w(config.demand, meter.state().energy, EnergyKind::active_import),
      (10 * 5000.0 + 2 * 1000.0) / 15.0, 1e-6);
}

TEST(MeterBilling, MonthlyResetOnTheConfiguredDayCapturesTheRegisters) {
  MeterConfig config;
  config.billing = BillingConfig{.day = 15, .hour = 6, .depth = 12};
  const UtcMicros start = utc(2026, 1, 9, 23, 0);  // 2026-01-10 00:00 local
  Meter meter(Connection::single_phase_2w, start, config);
  feed(meter, start, utc(2026, 2, 20, 0, 0), 1000.0, micros_per_minute);
  const MeterState& state = meter.state();
  ASSERT_EQ(state.billing_count, 2U);
  ASSERT_EQ(state.billing_profile.size(), 2U);
  const ProfileEntry january = state.billing_profile.entry(0);
  const ProfileEntry february = state.billing_profile.entry(1);
  EXPECT_EQ(january.stamp.time_utc_us, utc(2026, 1, 15, 5, 0));  // 06:00 CET
  EXPECT_EQ(february.stamp.time_utc_us, utc(2026, 2, 15, 5, 0));
  EXPECT_EQ(january.values[0], 1);
  EXPECT_EQ(february.values[0], 2);
  // A+ total: 5 days 6 hours of 1 kW = 126 kWh; A+ T1..T8 follow (column 2..9).
  EXPECT_EQ(january.values[1], 126'000);
  std::int64_t tariff_sum = 0;
  for (std::size_t t = 2; t <= 9; ++t)
    tariff_sum += january.values[t];
  EXPECT_EQ(tariff_sum, 126'000);
  // Maximum demand A+ (column 37) of 1 kW with its time (column 38), then reset.
  const std::vector<CaptureColumn> columns = billing_profile_columns();
  ASSERT_EQ(to_string(columns[37].obis), "1-0:1.6.0.255");
  EXPECT_EQ(january.values[37], 1000);
  EXPECT_GT(january.values[38], start);
  EXPECT_LE(january.values[38], utc(2026, 1, 15, 5, 0));
  EXPECT_NEAR(state.demand.cumulative_maximum_w[0], 2000.0, 1e-6);
  EXPECT_GT(state.demand.maximum[0][0].time_utc_us, utc(2026, 2, 15, 5, 0));
  // Each reset is an event.
  std::size_t resets = 0;
  for (std::size_t i = 0; i < state.standard_events.size(); ++i) {
    if (state.standard_events.entry(i).values[0] ==
        static_cast<std::int64_t>(EventCode::billing_period_reset)) {
      ++resets;
    }
  }
  EXPECT_EQ(resets, 2U);
}

TEST(MeterBilling, ResetOnCommandAndRingOfTwelve) {
  MeterConfig config;
  config.billing.depth = 12;
  const UtcMicros start = utc(2026, 1, 1, 0, 0);
  Meter meter(Connection::single_phase_2w, start, config);
  for (int i = 0; i < 15; ++i) {
    feed(meter, start + i * micros_per_hour, start + (i + 1) * micros_per_hour, 500.0,
         micros_per_minute);
    meter.billing_reset();
  }
  const Profile& billing = meter.state().billing_profile;
  EXPECT_EQ(billing.size(), 12U);
  EXPECT_EQ(billing.pushed_total(), 15U);
  EXPECT_EQ(billing.entry(0).values[0], 4);  // the oldest kept is the 4th period
  EXPECT_EQ(billing.newest().values[0], 15);
  EXPECT_EQ(billing.newest().values[1], 7'500);  // 15 h of 500 W
}

}  // namespace
}  // namespace gridmeter
