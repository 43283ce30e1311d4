// Register monitors: thresholds, crossings, and the scripts they run in the meter.
#include "meter/register_monitor.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "meter/meter.hpp"
#include "support/measurements.hpp"

namespace gridmeter {
namespace {

using test::single_phase;
using test::utc;

constexpr MonitorScript none = MonitorScript::none;
constexpr MonitorScript billing = MonitorScript::end_of_billing;

std::string refusal(std::vector<RegisterMonitorConfig> monitors) {
  const Status status = validate_register_monitors(monitors);
  return status ? std::string("accepted") : status.error().message;
}

TEST(RegisterMonitorConfig, RefusesWhatNoMonitorCanWatch) {
  EXPECT_EQ(refusal({{"p_total", {{5000.0, billing, none}}}}), "accepted");
  EXPECT_EQ(refusal({{"1-0:32.7.0.255", {{253.0, none, none}}}}), "accepted");
  EXPECT_EQ(refusal({{"u_l4", {{1.0, none, none}}}}),
            "register_monitor[0].value: unknown value \"u_l4\" (see docs/analysis-log.md)");
  EXPECT_EQ(refusal({{"u_l1", {{1.0, none, none}}}, {"u_l1_avg", {{1.0, none, none}}}}),
            "register_monitor[1].value: \"u_l1_avg\" is not an instantaneous value (a monitor "
            "watches the latest measurement: e.g. \"u_l1\", \"p_total\")");
  EXPECT_EQ(refusal({{"u_l1", {}}}), "register_monitor[0].thresholds: 0 thresholds, not 1..8");
  EXPECT_EQ(refusal({{"u_l1", std::vector<MonitorThreshold>(9)}}),
            "register_monitor[0].thresholds: 9 thresholds, not 1..8");
  EXPECT_EQ(refusal({{"u_l1", {{1.0, none, none}, {std::nan(""), none, none}}}}),
            "register_monitor[0].thresholds[1]: not a finite number");
  EXPECT_EQ(refusal(std::vector<RegisterMonitorConfig>(9, {"u_l1", {{1.0, none, none}}})),
            "register_monitor: 9 monitors, at most 8");
}

TEST(RegisterMonitorConfig, ScriptNamesReadBack) {
  for (const MonitorScript script :
       {none, billing, MonitorScript::disconnect, MonitorScript::reconnect})
    EXPECT_EQ(parse_monitor_script(to_string(script)), script);
  EXPECT_EQ(parse_monitor_script("open"), std::nullopt);
  EXPECT_EQ(parse_monitor_script(""), std::nullopt);
}

// The scripts `monitor` runs for active powers `powers_w`, one 200-ms measurement each.
std::vector<MonitorScript> run(RegisterMonitor& monitor, const std::vector<double>& powers_w) {
  std::vector<MonitorScript> ran;
  UtcMicros t = utc(2026, 1, 5, 12, 0);
  for (const double power : powers_w) {
    monitor.evaluate(single_phase(t, power), [&](MonitorScript script) { ran.push_back(script); });
    t += test::interval_us;
  }
  return ran;
}

TEST(RegisterMonitor, RunsActionUpOnRisingAboveAndActionDownOnFallingToOrBelow) {
  RegisterMonitor monitor({"p_total", {{1000.0, billing, none}}});
  // The first measurement only learns where the value is (above here): nothing runs.
  EXPECT_EQ(run(monitor, {1500.0}), std::vector<MonitorScript>{});
  EXPECT_EQ(monitor.above(), 1U);
  // Equal to the threshold is not above it: going down to it is a downward crossing (none).
  EXPECT_EQ(run(monitor, {1000.0, 1000.0, 1000.5, 2000.0, 900.0, 1000.25}),
            (std::vector<MonitorScript>{billing, billing}));
  EXPECT_EQ(monitor.above(), 1U);
}

TEST(RegisterMonitor, EachThresholdCrossesOnItsOwnAndJumpsCrossSeveral) {
  // Threshold 0 runs billing downwards, threshold 1 upwards: a jump over both runs both.
  RegisterMonitor monitor({"p_total", {{1000.0, none, billing}, {3000.0, billing, none}}});
  EXPECT_EQ(run(monitor, {500.0}), std::vector<MonitorScript>{});
  EXPECT_EQ(monitor.above(), 0U);
  EXPECT_EQ(run(monitor, {2000.0}), std::vector<MonitorScript>{});  // 0 up: none
  EXPECT_EQ(monitor.above(), 1U);
  EXPECT_EQ(run(monitor, {4000.0}), std::vector<MonitorScript>{billing});  // 1 up
  EXPECT_EQ(monitor.above(), 3U);
  EXPECT_EQ(run(monitor, {0.0}), std::vector<MonitorScript>{billing});  // 0 down; 1 down: none
  EXPECT_EQ(monitor.above(), 0U);
  EXPECT_EQ(run(monitor, {5000.0, -5000.0}), (std::vector<MonitorScript>{billing, billing}));
}

TEST(RegisterMonitor, WatchesTheQuantityItNames) {
  // Voltage L1 is 230 V in every test measurement, whatever the power.
  RegisterMonitor voltage({"u_l1", {{229.0, billing, billing}}});
  EXPECT_EQ(run(voltage, {0.0, 5000.0, -5000.0}), std::vector<MonitorScript>{});
  EXPECT_EQ(voltage.above(), 1U);
  // The signed active power by its OBIS code: export is below zero.
  RegisterMonitor power({"1-0:16.7.0.255", {{0.0, none, billing}}});
  EXPECT_EQ(run(power, {100.0, -100.0}), std::vector<MonitorScript>{billing});
}

MeterConfig billing_at_5_kw() {
  MeterConfig config;
  config.register_monitors = {{"p_total", {{5000.0, billing, none}}}};
  return config;
}

TEST(MeterRegisterMonitor, ACrossingRunsTheEndOfBillingAtTheEndOfThatMeasurement) {
  const UtcMicros start = utc(2026, 1, 5, 12, 0);
  Meter meter(Connection::single_phase_2w, start, billing_at_5_kw());
  const std::vector<double> powers{1000.0, 1000.0, 6000.0, 7000.0, 1000.0, 6000.0};
  std::vector<std::uint64_t> billing_counts;
  UtcMicros t = start;
  for (const double power : powers) {
    meter.advance(single_phase(t, power));
    t += test::interval_us;
    billing_counts.push_back(meter.state().billing_count);
  }
  EXPECT_EQ(billing_counts, (std::vector<std::uint64_t>{0, 0, 1, 1, 1, 2}));
  ASSERT_EQ(meter.state().billing_profile.size(), 2U);
  EXPECT_EQ(meter.state().last_billing_utc_us, start + 6 * test::interval_us);
  EXPECT_EQ(meter.state().standard_events.size(), 2U);  // billing period reset, twice
}

TEST(MeterRegisterMonitor, ARestartedMeterRelearnsTheValueBeforeActing) {
  const UtcMicros start = utc(2026, 1, 5, 12, 0);
  Meter before(Connection::single_phase_2w, start, billing_at_5_kw());
  before.advance(single_phase(start, 6000.0));
  EXPECT_EQ(before.state().billing_count, 0U);  // first measurement: learned, not crossed
  // Restored while the load is still above: no crossing the meter saw, nothing runs.
  Meter after(before.state());
  after.advance(single_phase(start + test::interval_us, 6000.0));
  after.advance(single_phase(start + 2 * test::interval_us, 1000.0));
  EXPECT_EQ(after.state().billing_count, 0U);
  after.advance(single_phase(start + 3 * test::interval_us, 6000.0));
  EXPECT_EQ(after.state().billing_count, 1U);
}

TEST(MeterRegisterMonitor, ReprogrammingAMonitorRelearnsAndOthersKeepWatching) {
  const UtcMicros start = utc(2026, 1, 5, 12, 0);
  MeterConfig config = billing_at_5_kw();
  Meter meter(Connection::single_phase_2w, start, config);
  meter.advance(single_phase(start, 1000.0));
  // Another setting changes: the monitor keeps its state, so the next rise is a crossing.
  config.billing.day = 2;
  meter.configure(config);
  meter.advance(single_phase(start + test::interval_us, 6000.0));
  EXPECT_EQ(meter.state().billing_count, 1U);
  // The monitor itself changes: it relearns (above 4 kW already), so nothing runs.
  config.register_monitors[0].thresholds[0].value = 4000.0;
  meter.configure(config);
  meter.advance(single_phase(start + 2 * test::interval_us, 6000.0));
  meter.advance(single_phase(start + 3 * test::interval_us, 4500.0));
  EXPECT_EQ(meter.state().billing_count, 1U);
  meter.advance(single_phase(start + 4 * test::interval_us, 3000.0));
  meter.advance(single_phase(start + 5 * test::interval_us, 4500.0));
  EXPECT_EQ(meter.state().billing_count, 2U);
}

TEST(MeterRegisterMonitor, ReprogrammingOneMonitorLeavesTheOthersState) {
  const UtcMicros start = utc(2026, 1, 5, 12, 0);
  MeterConfig config;
  config.register_monitors = {{"p_total", {{5000.0, billing, none}}},
                              {"p_total", {{9000.0, billing, none}}}};
  Meter meter(Connection::single_phase_2w, start, config);
  meter.advance(single_phase(start, 1000.0));  // both learn: below
  // Monitor 1 changes; monitor 0 still knows the value was below, so 6 kW is its crossing.
  config.register_monitors[1].thresholds[0].value = 8000.0;
  meter.configure(config);
  meter.advance(single_phase(start + test::interval_us, 6000.0));
  EXPECT_EQ(meter.state().billing_count, 1U);
  // Monitor 1 relearned at 6 kW (below 8 kW): 10 kW is its crossing, and nothing new for 0.
  meter.advance(single_phase(start + 2 * test::interval_us, 10000.0));
  EXPECT_EQ(meter.state().billing_count, 2U);
}

TEST(MeterRegisterMonitor, RunsTheDisconnectorScripts) {
  const UtcMicros start = utc(2026, 1, 5, 12, 0);
  MeterConfig config;
  config.disconnector.mode = 2;  // remote reconnection connects at once
  config.register_monitors = {
      {"p_total", {{7000.0, MonitorScript::disconnect, MonitorScript::reconnect}}}};
  Meter meter(Connection::single_phase_2w, start, config);
  meter.advance(single_phase(start, 5000.0));
  meter.advance(single_phase(start + test::interval_us, 8000.0));
  EXPECT_EQ(meter.state().supply.disconnector.control_state, ControlState::disconnected);
  // Behind the open breaker the load reads nothing: the value falls, the reconnect runs.
  meter.advance(single_phase(start + 2 * test::interval_us, 8000.0));
  EXPECT_EQ(meter.state().supply.disconnector.control_state, ControlState::connected);
  std::vector<std::int64_t> codes;
  const Profile& log = meter.state().disconnector_events;
  for (std::size_t i = 0; i < log.size(); ++i)
    codes.push_back(log.entry(i).values[0]);
  EXPECT_EQ(codes, (std::vector<std::int64_t>{62, 63}));
}

TEST(MeterRegisterMonitor, TheDefaultMonitorWatchesVoltageL1AndRunsNothing) {
  const MeterConfig config;
  ASSERT_EQ(config.register_monitors.size(), 1U);
  EXPECT_EQ(config.register_monitors[0].value, "u_l1");
  EXPECT_EQ(config.register_monitors[0].thresholds,
            (std::vector<MonitorThreshold>{{253.0, none, none}, {207.0, none, none}}));
  EXPECT_TRUE(config.validate());
}

}  // namespace
}  // namespace gridmeter
