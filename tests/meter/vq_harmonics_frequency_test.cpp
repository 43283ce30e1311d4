// The voltage-quality registration's single harmonics (EN 50160 clause 4.2.6, table 1), its
// 10-s frequency from whole cycles (IEC 61000-4-30 clause 5.1.2) and the RVC hysteresis
// (clause 5.11): from Measurements with known content and from waveforms.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>

#include "meter/meter.hpp"
#include "metrology/metrology_test_support.hpp"
#include "support/measurements.hpp"

namespace gridmeter {
namespace {

TEST(En50160HarmonicLimits, AreTable1) {
  // EN 50160 table 1, orders 2..25, percent of the fundamental.
  const std::map<std::size_t, double> table{
      {2, 2.0},  {3, 5.0},  {4, 1.0},  {5, 6.0},  {6, 0.5},  {7, 5.0},  {8, 0.5},  {9, 1.5},
      {10, 0.5}, {11, 3.5}, {12, 0.5}, {13, 3.0}, {14, 0.5}, {15, 0.5}, {16, 0.5}, {17, 2.0},
      {18, 0.5}, {19, 1.5}, {20, 0.5}, {21, 0.5}, {22, 0.5}, {23, 1.5}, {24, 0.5}, {25, 1.5}};
  for (const auto& [order, limit] : table)
    EXPECT_EQ(en50160_harmonic_limit_percent(order), limit) << "order " << order;
}

// One single-phase interval at 230 V whose half cycles are `half_cycle(k)` (230 V by default).
Measurement interval(UtcMicros start, const std::function<void(Measurement&)>& shape = {}) {
  Measurement m = test::single_phase(start, 1000.0);
  m.frequency_hz = 50.0;
  m.half_cycle_count = 20;
  for (std::size_t k = 0; k < 20; ++k)
    m.half_cycle_voltage_v[0][k] = 230.0F;
  m.voltage_harmonics = true;
  if (shape) shape(m);
  return m;
}

TEST(VoltageQualityHarmonics, TenMinuteAndTwoHourValuesAgainstTable1) {
  const UtcMicros start = test::utc(2026, 3, 2, 12, 0);  // a Monday, on the 2-hour tick
  Meter meter(Connection::single_phase_2w, start);
  // First 10 minutes: the 5th at 7 % (over its 6 % limit), the 3rd alternating 3 and 4 %.
  for (int i = 0; i < 3000; ++i) {
    meter.advance(interval(meter.state().time_utc_us, [i](Measurement& m) {
      m.voltage_harmonic_percent[0][5] = 7.0F;
      m.voltage_harmonic_percent[0][3] = i % 2 == 0 ? 3.0F : 4.0F;
    }));
  }
  const VqAggregation& a = meter.state().voltage_quality.aggregation;
  ASSERT_TRUE(a.last_minutes.valid);
  ASSERT_TRUE(a.last_minutes.harmonics);
  EXPECT_EQ(a.last_minutes.start_utc_us, start);
  EXPECT_NEAR(a.last_minutes.harmonic_percent[0][5], 7.0, 1e-9);
  EXPECT_NEAR(a.last_minutes.harmonic_percent[0][3], std::sqrt(12.5), 1e-9);  // RMS of 3 and 4
  EXPECT_EQ(a.last_minutes.harmonic_percent[0][2], 0.0);
  // Then 1 h 50 min with the 5th at 4 %.
  for (int i = 0; i < 11 * 3000; ++i) {
    meter.advance(interval(meter.state().time_utc_us,
                           [](Measurement& m) { m.voltage_harmonic_percent[0][5] = 4.0F; }));
  }
  EXPECT_NEAR(a.last_minutes.harmonic_percent[0][5], 4.0, 1e-9);
  ASSERT_TRUE(a.last_hours.harmonics);
  EXPECT_NEAR(a.last_hours.harmonic_percent[0][5], std::sqrt((49.0 + 11.0 * 16.0) / 12.0), 1e-9);
  const VqWeek& week = meter.state().voltage_quality.running_week;
  EXPECT_EQ(week.harmonic_values[0], 12U);
  EXPECT_EQ(week.harmonic_within[0][5], 11U);  // the first value broke the limit
  EXPECT_EQ(week.harmonic_within[0][3], 12U);  // 3.54 % <= 5 %
  EXPECT_EQ(week.harmonic_within[0][2], 12U);
  EXPECT_EQ(week.harmonic_values[1], 0U);  // no L2 on a single-phase meter
}

TEST(VoltageQualityHarmonics, FlaggedAndUnmeasuredValuesAreNotJudged) {
  const UtcMicros start = test::utc(2026, 3, 2, 12, 0);
  Meter meter(Connection::single_phase_2w, start);
  // A dip of two half cycles in the first 10 minutes flags that value.
  for (int i = 0; i < 3000; ++i) {
    meter.advance(interval(meter.state().time_utc_us, [i](Measurement& m) {
      if (i == 1000) m.half_cycle_voltage_v[0][5] = m.half_cycle_voltage_v[0][6] = 150.0F;
    }));
  }
  // The next 10 minutes come from a source without a spectrum.
  for (int i = 0; i < 3000; ++i) {
    meter.advance(
        interval(meter.state().time_utc_us, [](Measurement& m) { m.voltage_harmonics = false; }));
  }
  const VqWeek& week = meter.state().voltage_quality.running_week;
  EXPECT_EQ(week.voltage_flagged, 1U);
  EXPECT_EQ(week.thd_values[0], 1U);
  EXPECT_EQ(week.harmonic_values[0], 0U);
  EXPECT_FALSE(meter.state().voltage_quality.aggregation.last_minutes.harmonics);
}

TEST(VoltageQualityHarmonics, WaveformHarmonicsReachTheMeasurement) {
  sim::WaveformConfig config;
  config.sample_rate_hz = 6400.0;
  config.phases[0].current_rms_a = 5.0;
  config.phases[0].voltage_harmonics = {{.order = 5, .fraction = 0.07, .phase_deg = 30.0},
                                        {.order = 3, .fraction = 0.02, .phase_deg = 0.0}};
  config.duration_s = 2.0;
  config.start_utc_us = test::utc(2026, 3, 2, 12, 0);
  const std::vector<Measurement> out = metrology::testing::run(config);
  ASSERT_GE(out.size(), 8U);
  for (std::size_t i = 1; i + 1 < out.size(); ++i) {
    const Measurement& m = out[i];
    ASSERT_TRUE(m.voltage_harmonics);
    EXPECT_NEAR(m.voltage_harmonic_percent[0][5], 7.0, 0.01) << i;
    EXPECT_NEAR(m.voltage_harmonic_percent[0][3], 2.0, 0.01) << i;
    EXPECT_LT(m.voltage_harmonic_percent[0][2], 0.01) << i;
    EXPECT_LT(m.voltage_harmonic_percent[0][7], 0.01) << i;
    // Ten whole cycles between measured crossings, spanning the interval.
    EXPECT_EQ(m.cycle_count, 10) << i;
    EXPECT_EQ(m.cycles_offset_us, 0) << i;
    EXPECT_EQ(m.cycles_duration_us, m.duration_us) << i;
  }
}

TEST(VoltageQualityFrequency, TenSecondValuesCountWholeCycles) {
  // 49.9 Hz, then 50.4 Hz from 11 s on; the 10-s ticks fall 7.9, 17.9 and 27.9 s in, inside
  // measurement intervals.
  sim::WaveformConfig config;
  config.sample_rate_hz = 6400.0;
  config.frequency_hz = 49.9;
  config.phases[0].current_rms_a = 5.0;
  config.duration_s = 39.0;
  config.start_utc_us = test::utc(2026, 3, 2, 9, 59, 52) + 100'000;
  config.events = {
      {.kind = sim::WaveformEventKind::frequency_step, .start_s = 11.0, .frequency_hz = 50.4}};
  auto generator = metrology::testing::make_generator(config);
  metrology::MetrologyEngine engine =
      metrology::testing::make_engine(metrology::testing::engine_config_for(config));
  Meter meter(Connection::single_phase_2w, config.start_utc_us);
  std::map<UtcMicros, double> tracker;  // the engine's own 10-s values, by start
  std::map<UtcMicros, double> meter_values;
  auto advance = [&](const Measurement& m) {
    meter.advance(m);
    const VqFrequencyValue& f = meter.state().voltage_quality.aggregation.last_frequency;
    if (f.valid) meter_values[f.start_utc_us] = f.frequency_hz;
    if (engine.frequency_10s_hz() > 0.0) {
      tracker[engine.frequency_10s_start_utc_us()] = engine.frequency_10s_hz();
    }
  };
  metrology::testing::run(engine, *generator, 4096, advance);
  const UtcMicros step_window = test::utc(2026, 3, 2, 10, 0, 0);
  const UtcMicros steady_window = test::utc(2026, 3, 2, 10, 0, 10);
  ASSERT_TRUE(meter_values.contains(step_window));
  ASSERT_TRUE(meter_values.contains(steady_window));
  ASSERT_TRUE(tracker.contains(step_window));
  ASSERT_TRUE(tracker.contains(steady_window));
  std::printf("[ 10-s ] step window %.5f Hz (tracker %.5f), steady %.5f Hz (tracker %.5f)\n",
              meter_values[step_window], tracker[step_window], meter_values[steady_window],
              tracker[steady_window]);
  // The steady window holds 50.4 Hz only.
  EXPECT_NEAR(meter_values[steady_window], 50.4, 1e-4);
  // The step window: 3.1 s at 49.9 Hz and 6.9 s at 50.4 Hz. Which cycle straddles each tick
  // (and is dropped) depends on where the counting starts; one cycle more or less of either
  // frequency out of about 500 moves the value by up to (50.4 - 49.9) / 500 = 1 mHz. The
  // engine's own 10-s count starts its cycles at other crossings, so it may differ that much.
  const double cycles = 3.1 * 49.9 + 6.9 * 50.4;
  EXPECT_NEAR(meter_values[step_window], cycles / 10.0, 1e-3);
  EXPECT_NEAR(meter_values[step_window], tracker[step_window], 1e-3);
}

// Half cycles of one interval from `value(k)`, k counting every half cycle fed so far.
void feed_half_cycles(Meter& meter, int intervals, int& k, const std::function<float(int)>& value) {
  for (int i = 0; i < intervals; ++i) {
    meter.advance(interval(meter.state().time_utc_us, [&](Measurement& m) {
      for (std::size_t h = 0; h < 20; ++h)
        m.half_cycle_voltage_v[0][h] = value(k++);
      m.phases[0].voltage_v = m.half_cycle_voltage_v[0][0];
    }));
  }
}

std::uint64_t rvcs_after_wobble(double hysteresis_percent, std::uint64_t* after_settling) {
  MeterConfig config;
  config.voltage_quality.rvc_hysteresis_percent = hysteresis_percent;
  Meter meter(Connection::single_phase_2w, test::utc(2026, 3, 2, 12, 0), config);
  int k = 0;
  feed_half_cycles(meter, 10, k, [](int) { return 230.0F; });
  // A step to 240 V (beyond the 6.9 V threshold) that then wobbles ±4.5 V: inside the threshold
  // of its mean, outside threshold less a 1.5 % (3.45 V) hysteresis.
  feed_half_cycles(meter, 20, k, [](int n) { return n % 2 == 0 ? 244.5F : 235.5F; });
  const std::uint64_t during = meter.state().voltage_quality.counters.rvcs_total;
  feed_half_cycles(meter, 10, k, [](int) { return 240.0F; });
  *after_settling = meter.state().voltage_quality.counters.rvcs_total;
  EXPECT_EQ(meter.state().voltage_quality.counters.dips_total, 0U);
  return during;
}

TEST(VoltageQualityRvc, EndsOnlyInsideTheThresholdLessItsHysteresis) {
  std::uint64_t settled = 0;
  // Default hysteresis (1.5 %): the wobble is no new steady state; the flat 240 V is.
  EXPECT_EQ(rvcs_after_wobble(1.5, &settled), 0U);
  EXPECT_EQ(settled, 1U);
  // Without hysteresis the wobble already ends the RVC, and nothing more happens after.
  EXPECT_EQ(rvcs_after_wobble(0.0, &settled), 1U);
  EXPECT_EQ(settled, 1U);
}

TEST(VoltageQualityRvc, HysteresisMustStayBelowTheThreshold) {
  VoltageQualityConfig config;
  config.rvc_hysteresis_percent = 3.0;
  const Status status = validate_voltage_quality(config);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            "voltage_quality.rvc_hysteresis: 3 % is not below rvc_threshold (3 %)");
  config.rvc_hysteresis_percent = -0.5;
  EXPECT_FALSE(validate_voltage_quality(config));
  config.rvc_hysteresis_percent = 2.5;
  EXPECT_TRUE(validate_voltage_quality(config));
}

}  // namespace
}  // namespace gridmeter
