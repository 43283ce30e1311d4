// A simulated week with the grid model's injected voltage events (dips, swells, interruptions
// of one phase and of all, RVC steps): the meter's counters, its voltage quality log and the
// weekly EN 50160 statistics match the injected truth exactly.
#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "meter/meter.hpp"
#include "sim/grid_events.hpp"
#include "sim/household_scenario.hpp"
#include "support/measurements.hpp"

namespace gridmeter {
namespace {

constexpr std::int64_t ms_us = 1000;

TEST(GridEvents, AreAPureFunctionOfSeedAndDayAndKeepApart) {
  const std::vector<sim::GridEvent> day = sim::grid_events_for_day(5, 20'500, 3, 50.0);
  EXPECT_EQ(day, sim::grid_events_for_day(5, 20'500, 3, 50.0));
  EXPECT_NE(day, sim::grid_events_for_day(6, 20'500, 3, 50.0));
  ASSERT_FALSE(day.empty());
  for (std::size_t i = 0; i < day.size(); ++i) {
    EXPECT_GE(day[i].start_utc, 20'500 * micros_per_day + 2 * micros_per_minute);
    EXPECT_LE(day[i].end_utc, 20'501 * micros_per_day - 2 * micros_per_minute);
    if (i > 0) {
      EXPECT_GE(day[i].start_utc, day[i - 1].end_utc + 2 * micros_per_minute);
    }
  }
  EXPECT_TRUE(sim::grid_events_for_day(5, 20'500, 3, 0.0).empty());
  for (const sim::GridEvent& event : sim::grid_events_for_day(5, 20'500, 1, 50.0))
    EXPECT_EQ(event.phases, 1);
}

struct Expected {
  std::uint64_t dips = 0;
  std::uint64_t swells = 0;
  std::uint64_t short_interruptions = 0;
  std::uint64_t long_interruptions = 0;
  std::uint64_t phase_failures = 0;
  std::uint64_t rvcs = 0;
  std::uint64_t power_failures = 0;
};

const VqEvent* find_event(const std::vector<VqEvent>& events, VqEventType type, UtcMicros start) {
  for (const VqEvent& e : events) {
    if (e.type == type && std::llabs(e.start_utc_us - start) <= 10 * ms_us) return &e;
  }
  return nullptr;
}

TEST(VoltageQualityWeek, CountersLogAndReportMatchTheInjectedEvents) {
  sim::HouseholdScenarioOptions options;
  options.household = {.three_phase = true, .heat_pump = true, .ev = true};
  options.grid_event_rate = 25.0;  // a year's events in about two weeks
  sim::HouseholdScenario scenario({.name = "household-3ph", .seed = 11}, options);
  // Monday 2026-01-05 00:00 CET: the meter's week.
  const UtcMicros start = test::utc(2026, 1, 4, 23, 0);
  const UtcMicros end = start + 7 * micros_per_day;
  Meter meter(Connection::three_phase_4w, start);
  Measurement m;
  for (UtcMicros t = start; t < end; t += sim::Scenario::measurement_interval_us) {
    scenario.measure(t, m);
    meter.advance(m);
  }
  const std::vector<sim::GridEvent> injected = scenario.grid_events(start, end);
  ASSERT_GE(injected.size(), 10U);

  std::vector<VqEvent> logged;
  const Profile& log = meter.state().voltage_quality_log;
  for (std::size_t i = 0; i < log.size(); ++i)
    logged.push_back(*vq_event_from_entry(log.entry(i)));

  Expected expected;
  for (const sim::GridEvent& e : injected) {
    const std::int64_t duration = e.end_utc - e.start_utc;
    SCOPED_TRACE(::testing::Message()
                 << "injected kind " << static_cast<int>(e.kind) << " at "
                 << (e.start_utc - start) / ms_us << " ms, phases " << static_cast<int>(e.phases)
                 << ", " << duration / ms_us << " ms, fraction " << e.voltage_fraction);
    switch (e.kind) {
      case sim::GridEventKind::dip:
      case sim::GridEventKind::swell: {
        const bool dip = e.kind == sim::GridEventKind::dip;
        ++(dip ? expected.dips : expected.swells);
        const VqEvent* found =
            find_event(logged, dip ? VqEventType::dip : VqEventType::swell, e.start_utc);
        ASSERT_NE(found, nullptr);
        EXPECT_EQ(found->phases, e.phases);
        EXPECT_NEAR(static_cast<double>(found->duration_us()), static_cast<double>(duration),
                    10.0 * ms_us);
        // The supply is 225..240 V before the event.
        EXPECT_GT(found->extreme_v, e.voltage_fraction * 220.0);
        EXPECT_LT(found->extreme_v, e.voltage_fraction * 242.0);
        break;
      }
      case sim::GridEventKind::interruption: {
        ++expected.dips;  // the dip around it (IEC 61000-4-30 evaluates dips on their own)
        ++expected.power_failures;
        const VqEvent* dip = find_event(logged, VqEventType::dip, e.start_utc);
        ASSERT_NE(dip, nullptr);
        EXPECT_EQ(dip->phases, e.phases);
        const bool all = e.phases == 0b111;
        const VqEvent* found = find_event(
            logged, all ? VqEventType::interruption : VqEventType::phase_failure, e.start_utc);
        ASSERT_NE(found, nullptr);
        EXPECT_EQ(found->phases, e.phases);
        EXPECT_NEAR(static_cast<double>(found->duration_us()), static_cast<double>(duration),
                    10.0 * ms_us);
        if (!all) {
          ++expected.phase_failures;
        } else if (duration >= 180 * micros_per_second) {
          ++expected.long_interruptions;
          EXPECT_EQ(found->level, 2);
        } else {
          ++expected.short_interruptions;
          EXPECT_EQ(found->level, 1);
        }
        break;
      }
      case sim::GridEventKind::rvc: {
        // The step and the step back.
        expected.rvcs += 2;
        const VqEvent* up = find_event(logged, VqEventType::rvc, e.start_utc);
        ASSERT_NE(up, nullptr);
        EXPECT_EQ(up->phases, 0b111);
        EXPECT_NEAR(up->delta_ss_v, std::abs(e.voltage_fraction - 1.0) * 230.0, 1.5);
        EXPECT_NE(find_event(logged, VqEventType::rvc, e.end_utc), nullptr);
        break;
      }
    }
  }
  const VqCounters& c = meter.state().voltage_quality.counters;
  EXPECT_EQ(c.dips_total, expected.dips);
  EXPECT_EQ(c.swells_total, expected.swells);
  EXPECT_EQ(c.short_interruptions_total, expected.short_interruptions);
  EXPECT_EQ(c.long_interruptions_total, expected.long_interruptions);
  EXPECT_EQ(c.phase_failures, expected.phase_failures);
  EXPECT_EQ(c.rvcs_total, expected.rvcs);
  EXPECT_EQ(c.power_failures, expected.power_failures);
  EXPECT_EQ(c.overvoltages + c.undervoltages, 0U);
  EXPECT_EQ(logged.size(), expected.dips + expected.swells + expected.short_interruptions +
                               expected.long_interruptions + expected.phase_failures +
                               expected.rvcs);

  // The week's statistics: every 10-minute value counted (flagged ones apart), every event.
  const VqWeek& week = meter.state().voltage_quality.running_week;
  EXPECT_EQ(week.start_utc_us, start);
  EXPECT_EQ(week.voltage_values[0] + week.voltage_flagged, 7U * 144U);
  EXPECT_EQ(week.frequency_values + week.frequency_flagged, 7U * 8640U);
  for (std::size_t p = 0; p < 3; ++p) {
    EXPECT_EQ(week.voltage_within_10[p], week.voltage_values[p]);
    EXPECT_EQ(week.thd_within[p], week.thd_values[p]);
  }
  EXPECT_EQ(week.frequency_within_1, week.frequency_values);
  EXPECT_EQ(week.events[static_cast<std::size_t>(VqEventType::dip)], expected.dips);
  EXPECT_EQ(week.events[static_cast<std::size_t>(VqEventType::swell)], expected.swells);
  EXPECT_EQ(week.events[static_cast<std::size_t>(VqEventType::interruption)],
            expected.short_interruptions + expected.long_interruptions);
  EXPECT_EQ(week.long_interruptions, expected.long_interruptions);
  EXPECT_EQ(week.events[static_cast<std::size_t>(VqEventType::rvc)], expected.rvcs);
  EXPECT_EQ(week.events[static_cast<std::size_t>(VqEventType::phase_failure)],
            expected.phase_failures);
}

}  // namespace
}  // namespace gridmeter
