// Voltage quality from waveforms (IEC 61000-4-30 / EN 50160): scripted dips, swells,
// interruptions and steps through the metrology engine into the meter, with the outcomes the
// issue states (residual, duration, phases, ΔUss, flags), at 50 and 60 Hz and for 3-wire.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "meter/meter.hpp"
#include "metrology/metrology_test_support.hpp"
#include "support/measurements.hpp"

namespace gridmeter {
namespace {

using metrology::testing::engine_config_for;
using metrology::testing::make_engine;
using metrology::testing::make_generator;

constexpr double seconds(UtcMicros us) { return static_cast<double>(us) / 1e6; }

// What a test measured, for the log: "[ dip ] 161.02 V, 100.1 ms, start +0.2 ms".
void print_event(const char* what, const VqEvent& e, UtcMicros true_start_utc_us) {
  std::printf("[ %s ] %.2f V, %.3f ms, start %+.3f ms, dUss %.2f V\n", what, e.extreme_v,
              static_cast<double>(e.duration_us()) / 1e3,
              static_cast<double>(e.start_utc_us - true_start_utc_us) / 1e3, e.delta_ss_v);
}

struct WaveRun {
  std::unique_ptr<Meter> meter;
  std::vector<VqEvent> events;
  // Per measurement interval: its start, end and whether it was flagged.
  struct Flag {
    UtcMicros start;
    UtcMicros end;
    bool flagged;
  };
  std::vector<Flag> flags;
};

std::vector<VqEvent> logged_events(const Meter& meter) {
  std::vector<VqEvent> events;
  const Profile& log = meter.state().voltage_quality_log;
  for (std::size_t i = 0; i < log.size(); ++i) {
    auto event = vq_event_from_entry(log.entry(i));
    EXPECT_TRUE(event);
    if (event) events.push_back(*event);
  }
  return events;
}

WaveRun run_waveform(const sim::WaveformConfig& config) {
  WaveRun run;
  run.meter = std::make_unique<Meter>(config.connection, config.start_utc_us);
  auto generator = make_generator(config);
  metrology::MetrologyEngine engine = make_engine(engine_config_for(config));
  Meter& meter = *run.meter;
  auto advance = [&](const Measurement& m) {
    meter.advance(m);
    run.flags.push_back(
        {m.start_utc_us, m.end_utc_us(), meter.state().voltage_quality.last_interval_flagged});
  };
  metrology::testing::run(engine, *generator, 4096, advance);
  engine.flush(advance);
  run.events = logged_events(meter);
  return run;
}

sim::WaveformConfig three_phase(double frequency_hz, double duration_s) {
  sim::WaveformConfig config;
  config.sample_rate_hz = 6400.0;
  config.nominal_frequency_hz = frequency_hz;
  config.frequency_hz = frequency_hz;
  config.connection = Connection::three_phase_4w;
  config.phases = sim::balanced_phases(230.0, 5.0, -20.0);
  config.duration_s = duration_s;
  // A 10-s clock tick 8 s in: the first 10-s frequency value closes there.
  config.start_utc_us = test::utc(2026, 3, 2, 9, 59, 52);
  return config;
}

sim::WaveformEvent scale(double start_s, double duration_s, double fraction,
                         std::array<bool, 3> phases = {true, true, true}) {
  return sim::WaveformEvent{.kind = sim::WaveformEventKind::voltage_scale,
                            .start_s = start_s,
                            .duration_s = duration_s,
                            .voltage_fraction = fraction,
                            .phases = phases};
}

std::size_t count_of(const std::vector<VqEvent>& events, VqEventType type) {
  std::size_t n = 0;
  for (const VqEvent& e : events)
    n += e.type == type ? 1 : 0;
  return n;
}

const VqEvent* first_of(const std::vector<VqEvent>& events, VqEventType type) {
  for (const VqEvent& e : events) {
    if (e.type == type) return &e;
  }
  return nullptr;
}

TEST(VoltageQualityWaveform, DipOfL1To70PercentFor100Milliseconds) {
  sim::WaveformConfig config = three_phase(50.0, 8.5);
  config.events = {scale(1.0, 0.1, 0.7, {true, false, false})};
  const WaveRun run = run_waveform(config);
  ASSERT_EQ(run.events.size(), 1U);
  const VqEvent& dip = run.events[0];
  print_event("dip L1 70 % 100 ms", dip, config.start_utc_us + micros_per_second);
  EXPECT_EQ(dip.type, VqEventType::dip);
  EXPECT_EQ(dip.phases, 0b001);
  EXPECT_NEAR(dip.extreme_v, 161.0, 0.3);
  EXPECT_NEAR(seconds(dip.duration_us()), 0.100, 0.010);
  // Start and end within half a cycle of the true crossings.
  EXPECT_NEAR(seconds(dip.start_utc_us - config.start_utc_us), 1.0, 0.010);
  EXPECT_NEAR(seconds(dip.end_utc_us - config.start_utc_us), 1.1, 0.010);
  const VqCounters& counters = run.meter->state().voltage_quality.counters;
  EXPECT_EQ(counters.dips, (std::array<std::uint64_t, 3>{1, 0, 0}));
  EXPECT_EQ(counters.dips_total, 1U);
  EXPECT_NEAR(static_cast<double>(counters.dip_duration_ms[0]), 100.0, 10.0);
  EXPECT_EQ(counters.power_failures, 0U);

  // Flags (clause 4.7): the intervals around the dip and only they; the 10-s frequency value
  // and the 150-cycle value (THD, voltage) that contain it; the next 150-cycle value not.
  std::size_t flagged_count = 0;
  for (const WaveRun::Flag& interval : run.flags) {
    const double from = seconds(interval.start - config.start_utc_us);
    const double to = seconds(interval.end - config.start_utc_us);
    // The dip's values are those from its start to the first value back (a cycle after).
    if (from < 1.0 && to > 1.12) {
      EXPECT_TRUE(interval.flagged) << from;
    }
    if (to < 0.99 || from > 1.13) {
      EXPECT_FALSE(interval.flagged) << from;
    }
    flagged_count += interval.flagged ? 1 : 0;
  }
  EXPECT_GE(flagged_count, 1U);
  EXPECT_LE(flagged_count, 2U);
  const VqAggregation& aggregation = run.meter->state().voltage_quality.aggregation;
  ASSERT_TRUE(aggregation.last_frequency.valid);
  EXPECT_EQ(aggregation.last_frequency.end_utc_us, config.start_utc_us + 8 * micros_per_second);
  EXPECT_TRUE(aggregation.last_frequency.flagged);
  EXPECT_NEAR(aggregation.last_frequency.frequency_hz, 50.0, 0.001);
  ASSERT_TRUE(aggregation.last_cycles.valid);
  EXPECT_GT(aggregation.last_cycles.start_utc_us, config.start_utc_us + 1'200'000);
  EXPECT_FALSE(aggregation.last_cycles.flagged);
}

TEST(VoltageQualityWaveform, FlagsTheThdAndVoltageAggregateHoldingTheDip) {
  sim::WaveformConfig config = three_phase(50.0, 3.6);
  config.phases[0].voltage_harmonics = {{.order = 5, .fraction = 0.04}};
  config.events = {scale(1.0, 0.1, 0.7, {true, false, false})};
  const WaveRun run = run_waveform(config);
  const VqAggregate& cycles = run.meter->state().voltage_quality.aggregation.last_cycles;
  ASSERT_TRUE(cycles.valid);
  EXPECT_LT(cycles.start_utc_us, config.start_utc_us + 1'000'000);
  EXPECT_TRUE(cycles.flagged);
  EXPECT_NEAR(cycles.thd_percent[0], 4.0, 0.3);
}

TEST(VoltageQualityWaveform, ThreePhaseInterruptionOfTwoSeconds) {
  sim::WaveformConfig config = three_phase(50.0, 4.5);
  config.events = {sim::WaveformEvent{
      .kind = sim::WaveformEventKind::interruption, .start_s = 1.0, .duration_s = 2.0}};
  const WaveRun run = run_waveform(config);
  ASSERT_EQ(count_of(run.events, VqEventType::interruption), 1U);
  const VqEvent& interruption = *first_of(run.events, VqEventType::interruption);
  print_event("interruption 3 phases 2 s", interruption, config.start_utc_us + micros_per_second);
  EXPECT_EQ(interruption.level, 1);  // short
  EXPECT_EQ(interruption.phases, 0b111);
  EXPECT_NEAR(seconds(interruption.duration_us()), 2.00, 0.010);
  EXPECT_NEAR(seconds(interruption.start_utc_us - config.start_utc_us), 1.0, 0.010);
  // IEC 61000-4-30 evaluates dips on their own: the dip around the interruption is reported
  // too, residual about 0 V, starting and ending with it.
  ASSERT_EQ(count_of(run.events, VqEventType::dip), 1U);
  const VqEvent& dip = *first_of(run.events, VqEventType::dip);
  EXPECT_EQ(dip.phases, 0b111);
  EXPECT_LT(dip.extreme_v, 1.0);
  EXPECT_NEAR(seconds(dip.duration_us()), 2.00, 0.010);
  // Every phase dropped out, so no single phase failed: no phase_failure.
  EXPECT_EQ(count_of(run.events, VqEventType::phase_failure), 0U);
  EXPECT_EQ(run.events.size(), 2U);
  const VqCounters& counters = run.meter->state().voltage_quality.counters;
  EXPECT_EQ(counters.short_interruptions_total, 1U);
  EXPECT_EQ(counters.long_interruptions_total, 0U);
  EXPECT_EQ(counters.short_interruptions, (std::array<std::uint64_t, 3>{1, 1, 1}));
  EXPECT_EQ(counters.power_failures, 1U);
  EXPECT_EQ(counters.long_power_failures, 0U);
  EXPECT_NEAR(seconds(counters.last_failure_utc_us[1] - config.start_utc_us), 1.0, 0.010);
}

TEST(VoltageQualityWaveform, SinglePhaseDropoutIsAPhaseFailure) {
  sim::WaveformConfig config = three_phase(50.0, 3.0);
  config.events = {sim::WaveformEvent{.kind = sim::WaveformEventKind::interruption,
                                      .start_s = 1.0,
                                      .duration_s = 0.5,
                                      .phases = {false, true, false}}};
  const WaveRun run = run_waveform(config);
  ASSERT_EQ(count_of(run.events, VqEventType::phase_failure), 1U);
  const VqEvent& failure = *first_of(run.events, VqEventType::phase_failure);
  print_event("L2 dropout 0.5 s", failure, config.start_utc_us + micros_per_second);
  EXPECT_EQ(failure.phases, 0b010);
  EXPECT_NEAR(seconds(failure.duration_us()), 0.5, 0.010);
  EXPECT_EQ(count_of(run.events, VqEventType::interruption), 0U);
  EXPECT_EQ(count_of(run.events, VqEventType::dip), 1U);
  const VqCounters& counters = run.meter->state().voltage_quality.counters;
  EXPECT_EQ(counters.short_interruptions, (std::array<std::uint64_t, 3>{0, 1, 0}));
  EXPECT_EQ(counters.power_failures, 1U);
}

TEST(VoltageQualityWaveform, SwellTo115PercentForOneSecond) {
  sim::WaveformConfig config = three_phase(50.0, 3.0);
  config.events = {scale(1.0, 1.0, 1.15)};
  const WaveRun run = run_waveform(config);
  ASSERT_EQ(run.events.size(), 1U);
  const VqEvent& swell = run.events[0];
  print_event("swell 115 % 1 s", swell, config.start_utc_us + micros_per_second);
  EXPECT_EQ(swell.type, VqEventType::swell);
  EXPECT_EQ(swell.phases, 0b111);
  EXPECT_NEAR(swell.extreme_v, 264.5, 0.5);
  EXPECT_NEAR(seconds(swell.duration_us()), 1.0, 0.010);
  EXPECT_EQ(run.meter->state().voltage_quality.counters.swells,
            (std::array<std::uint64_t, 3>{1, 1, 1}));
}

TEST(VoltageQualityWaveform, FivePercentStepIsOneRvc) {
  sim::WaveformConfig config = three_phase(50.0, 4.0);
  config.events = {scale(2.0, 100.0, 1.05)};  // up 5 % for good
  const WaveRun run = run_waveform(config);
  ASSERT_EQ(run.events.size(), 1U);
  const VqEvent& rvc = run.events[0];
  print_event("RVC 5 % step", rvc, config.start_utc_us + 2 * micros_per_second);
  EXPECT_EQ(rvc.type, VqEventType::rvc);
  EXPECT_EQ(rvc.phases, 0b111);
  EXPECT_NEAR(rvc.delta_ss_v, 11.5, 0.2);
  EXPECT_NEAR(rvc.extreme_v, 11.5, 0.3);  // ΔUmax
  EXPECT_NEAR(seconds(rvc.start_utc_us - config.start_utc_us), 2.0, 0.010);
  EXPECT_EQ(run.meter->state().voltage_quality.counters.rvcs_total, 1U);
}

TEST(VoltageQualityWaveform, DipAt60Hz) {
  sim::WaveformConfig config = three_phase(60.0, 3.0);
  config.sample_rate_hz = 7680.0;
  config.events = {scale(1.0, 0.1, 0.7, {true, false, false})};
  const WaveRun run = run_waveform(config);
  ASSERT_EQ(run.events.size(), 1U);
  print_event("dip L1 70 % 100 ms at 60 Hz", run.events[0],
              config.start_utc_us + micros_per_second);
  EXPECT_EQ(run.events[0].type, VqEventType::dip);
  EXPECT_EQ(run.events[0].phases, 0b001);
  EXPECT_NEAR(run.events[0].extreme_v, 161.0, 0.3);
  EXPECT_NEAR(seconds(run.events[0].duration_us()), 0.100, 1.0 / 120.0);
}

TEST(VoltageQualityWaveform, ThreeWireSeesLineVoltages) {
  sim::WaveformConfig config = three_phase(50.0, 3.0);
  config.connection = Connection::three_phase_3w;
  config.events = {scale(1.0, 0.2, 0.7)};
  const WaveRun run = run_waveform(config);
  ASSERT_EQ(run.events.size(), 1U);
  const VqEvent& dip = run.events[0];
  print_event("3-wire dip 70 % 200 ms", dip, config.start_utc_us + micros_per_second);
  EXPECT_EQ(dip.type, VqEventType::dip);
  EXPECT_EQ(dip.phases, 0b101);  // U12 and U32
  EXPECT_NEAR(dip.extreme_v, 0.7 * 230.0 * std::sqrt(3.0), 0.5);
  EXPECT_NEAR(seconds(dip.duration_us()), 0.2, 0.010);
  EXPECT_EQ(vq_phase_name(Connection::three_phase_3w, 2), "L32");
}

// Synthetic intervals: every half-cycle value of every phase at `volts`.
Measurement flat(UtcMicros start, double volts,
                 Connection connection = Connection::single_phase_2w) {
  Measurement m = test::single_phase(start, 1000.0);
  m.connection = connection;
  m.half_cycle_count = 20;
  m.frequency_hz = 50.0;
  for (std::size_t p = 0; p < phase_count(connection); ++p) {
    m.phases[p].voltage_v = volts;
    for (std::size_t k = 0; k < 20; ++k)
      m.half_cycle_voltage_v[p][k] = static_cast<float>(volts);
  }
  return m;
}

TEST(VoltageQualityLog, RingWrapsAt400) {
  const UtcMicros start = test::utc(2026, 4, 1, 0, 0);
  Meter meter(Connection::single_phase_2w, start);
  UtcMicros t = start;
  for (int i = 0; i < 410; ++i) {
    meter.advance(flat(t, 230.0));
    t += test::interval_us;
    meter.advance(flat(t, 150.0 + 0.1 * i));  // a dip of one interval, residual marks it
    t += test::interval_us;
  }
  meter.advance(flat(t, 230.0));
  const Profile& log = meter.state().voltage_quality_log;
  EXPECT_EQ(log.capacity(), 400U);
  EXPECT_EQ(log.size(), 400U);
  EXPECT_EQ(log.pushed_total(), 410U);
  EXPECT_EQ(meter.state().voltage_quality.counters.dips_total, 410U);
  const std::vector<VqEvent> events = logged_events(meter);
  ASSERT_EQ(events.size(), 400U);
  EXPECT_NEAR(events.front().extreme_v, 151.0, 0.01);  // the 11th dip is the oldest kept
  EXPECT_NEAR(events.back().extreme_v, 150.0 + 40.9, 0.01);
  EXPECT_NEAR(seconds(events.back().duration_us()), 0.2, 0.011);
}

TEST(VoltageQualityLog, PowerOutageIsAnInterruptionOfAllPhases) {
  const UtcMicros start = test::utc(2026, 4, 1, 0, 0);
  Meter meter(Connection::three_phase_4w, start);
  meter.advance(flat(start, 230.0, Connection::three_phase_4w));
  const UtcMicros down = start + test::interval_us;
  meter.power_outage(down, down + 10 * micros_per_minute);
  const std::vector<VqEvent> events = logged_events(meter);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].type, VqEventType::interruption);
  EXPECT_EQ(events[0].level, 2);  // long: 10 minutes
  EXPECT_EQ(events[0].phases, 0b111);
  EXPECT_EQ(events[0].duration_us(), 10 * micros_per_minute);
  const VqCounters& counters = meter.state().voltage_quality.counters;
  EXPECT_EQ(counters.long_interruptions_total, 1U);
  EXPECT_EQ(counters.power_failures, 1U);
  EXPECT_EQ(counters.long_power_failures, 1U);
  EXPECT_EQ(counters.last_failure_utc_us[2], down);
}

TEST(VoltageQualityAggregation, OvervoltageOfTenMinuteValuesWithEnterAndLeave) {
  const UtcMicros start = test::utc(2026, 4, 1, 0, 0);
  MeterConfig config;
  config.voltage_quality.overvoltage_percent = 107.0;  // 246.1 V
  config.voltage_quality.overvoltage_2_percent = 112.0;
  Meter meter(Connection::single_phase_2w, start, config);
  UtcMicros t = start;
  auto run_for = [&](int minutes, double volts) {
    for (int i = 0; i < minutes * 300; ++i) {
      meter.advance(flat(t, volts));
      t += test::interval_us;
    }
  };
  run_for(10, 230.0);
  run_for(20, 250.0);  // 108.7 %: over the first level, no swell
  run_for(10, 230.0);
  run_for(1, 230.0);
  const std::vector<VqEvent> events = logged_events(meter);
  ASSERT_EQ(count_of(events, VqEventType::overvoltage), 1U);
  const VqEvent& over = *first_of(events, VqEventType::overvoltage);
  EXPECT_EQ(over.start_utc_us, start + 10 * micros_per_minute);
  EXPECT_EQ(over.end_utc_us, start + 30 * micros_per_minute);
  EXPECT_EQ(over.level, 1);
  EXPECT_NEAR(over.extreme_v, 250.0, 0.01);
  // The steps up and back (20 V, inside the dip and swell thresholds) are RVCs.
  EXPECT_EQ(count_of(events, VqEventType::rvc), 2U);
  EXPECT_EQ(count_of(events, VqEventType::swell), 0U);
  const VqAggregation& aggregation = meter.state().voltage_quality.aggregation;
  EXPECT_NEAR(aggregation.last_minutes.voltage_v[0], 230.0, 1e-6);
  EXPECT_EQ(aggregation.last_hours.valid, false);
}

}  // namespace
}  // namespace gridmeter
