// The metrology engine's pieces: config checks, interval segmentation, timestamps, the
// half-cycle series, block-size independence, fall back without voltage, bad samples.
// Accuracy against analytic truth is in accuracy_test.cpp.
#include "metrology/metrology_engine.hpp"

#include <gtest/gtest.h>

#include <cmath>    // std::abs, std::isfinite, std::nan
#include <cstring>  // std::memcmp
#include <limits>   // std::numeric_limits
#include <vector>   // std::vector

#include "metrology/metrology_test_support.hpp"
#include "sim/waveform_generator.hpp"

namespace gridmeter::metrology {
namespace {

using sim::WaveformConfig;
using sim::WaveformEvent;
using sim::WaveformEventKind;
using testing::engine_config_for;
using testing::make_engine;
using testing::make_generator;
using testing::run;

constexpr UtcMicros t0_utc_us = 1'735'689'600LL * micros_per_second;  // 2025-01-01 UTC

WaveformConfig single_phase(double frequency_hz, double nominal_hz = 50.0, double rate_hz = 8000.0,
                            double seconds = 2.0) {
  WaveformConfig config;
  config.sample_rate_hz = rate_hz;
  config.nominal_frequency_hz = nominal_hz;
  config.frequency_hz = frequency_hz;
  config.connection = Connection::single_phase_2w;
  config.start_utc_us = t0_utc_us;
  config.phases[0].voltage_rms_v = 230.0;
  config.phases[0].current_rms_a = 5.0;
  config.phases[0].current_angle_deg = -30.0;
  config.duration_s = seconds;
  return config;
}

TEST(MetrologyConfig, RejectsWhatItCannotMeter) {
  const MetrologyConfig good{};
  EXPECT_TRUE(validate(good));
  const auto rejected = [](MetrologyConfig config) {
    const Status status = validate(config);
    EXPECT_FALSE(status);
    if (!status) {
      EXPECT_NE(status.error().message.find("metrology: "), std::string::npos);
    }
    return !status && !MetrologyEngine::create(config);
  };
  MetrologyConfig c = good;
  c.sample_rate_hz = 2000.0;
  EXPECT_TRUE(rejected(c));
  c.sample_rate_hz = 16001.0;
  EXPECT_TRUE(rejected(c));
  c.sample_rate_hz = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(rejected(c));
  c = good;
  c.nominal_frequency_hz = 55.0;
  EXPECT_TRUE(rejected(c));
  c = good;
  c.nominal_voltage_v = 0.0;
  EXPECT_TRUE(rejected(c));
  c = good;
  c.starting_current_a = 0.0;
  EXPECT_TRUE(rejected(c));
  c = good;
  c.connection = static_cast<Connection>(7);
  EXPECT_TRUE(rejected(c));
  c = good;
  c.connection = Connection::three_phase_3w;
  c.has_neutral_current = true;
  EXPECT_TRUE(rejected(c));
  c.has_neutral_current = false;
  EXPECT_TRUE(validate(c));
  c.sample_rate_hz = 7999.0;  // need not be a multiple of the line frequency
  EXPECT_TRUE(validate(c));
}

TEST(MetrologyEngine, IntervalsAreTenCyclesAt50Hz) {
  const std::vector<Measurement> out = run(single_phase(50.0));
  ASSERT_GE(out.size(), 8U);
  for (std::size_t k = 1; k < out.size(); ++k) {
    EXPECT_NEAR(static_cast<double>(out[k].duration_us), 200'000.0, 1.0);
    EXPECT_EQ(out[k].half_cycle_count, 20);
    EXPECT_NEAR(out[k].frequency_hz, 50.0, 1e-4);
  }
  // The first interval also holds the lead-in (filters settling, a first period): ~5 cycles.
  EXPECT_GE(out[0].duration_us, 200'000);
  EXPECT_LE(out[0].duration_us, 340'000);
  EXPECT_NEAR(out[0].phases[0].voltage_v, 230.0, 0.01);
}

TEST(MetrologyEngine, IntervalsAreTwelveCyclesAt60Hz) {
  const std::vector<Measurement> out = run(single_phase(60.0, 60.0));
  ASSERT_GE(out.size(), 8U);
  for (std::size_t k = 1; k < out.size(); ++k) {
    EXPECT_NEAR(static_cast<double>(out[k].duration_us), 200'000.0, 1.0);
    EXPECT_EQ(out[k].half_cycle_count, 24);
    EXPECT_NEAR(out[k].frequency_hz, 60.0, 1e-4);
  }
}

TEST(MetrologyEngine, IntervalLengthFollowsTheRealFrequency) {
  for (const double f : {42.5, 47.0, 52.5, 57.5}) {
    const std::vector<Measurement> out = run(single_phase(f, 50.0, 7999.0));
    ASSERT_GE(out.size(), 6U);
    for (std::size_t k = 1; k < out.size(); ++k) {
      EXPECT_NEAR(static_cast<double>(out[k].duration_us), 10.0 / f * 1e6, 1.5) << f;
      EXPECT_NEAR(out[k].frequency_hz, f, 1e-3) << f;
    }
  }
}

TEST(MetrologyEngine, TimestampsAreContiguousFromTheStart) {
  WaveformConfig config = single_phase(49.93, 50.0, 7999.0, 3.0);
  config.events = {
      {.kind = WaveformEventKind::frequency_step, .start_s = 1.3, .frequency_hz = 50.4}};
  const std::vector<Measurement> out = run(config, 1000);
  ASSERT_GE(out.size(), 10U);
  EXPECT_EQ(out[0].start_utc_us, t0_utc_us);
  for (std::size_t k = 1; k < out.size(); ++k) {
    EXPECT_EQ(out[k].start_utc_us, out[k - 1].end_utc_us());
    EXPECT_GT(out[k].duration_us, 0);
  }
  // Samples up to the end of the last interval are all accounted for.
  EXPECT_LE(out.back().end_utc_us(), t0_utc_us + 3'000'000);
  EXPECT_GE(out.back().end_utc_us(), t0_utc_us + 3'000'000 - 2 * 200'000);
}

TEST(MetrologyEngine, HalfCycleSeriesHasOneValuePerHalfCycle) {
  for (const double nominal : {50.0, 60.0}) {
    const std::vector<Measurement> out = run(single_phase(nominal, nominal));
    ASSERT_GE(out.size(), 4U);
    const std::size_t expected = nominal == 50.0 ? 20 : 24;
    for (std::size_t k = 1; k < out.size(); ++k) {
      ASSERT_EQ(out[k].half_cycle_count, expected);
      for (std::size_t j = 0; j < expected; ++j) {
        EXPECT_NEAR(out[k].half_cycle_voltage_v[0][j], 230.0, 0.05) << k << " " << j;
      }
      for (std::size_t j = expected; j < half_cycles_max; ++j) {
        EXPECT_EQ(out[k].half_cycle_voltage_v[0][j], 0.0F);
      }
    }
  }
}

TEST(MetrologyEngine, HalfCycleSeriesShowsADip) {
  // A dip to 50 % for 5 cycles (100 ms), starting on a zero crossing at 1.0 s.
  WaveformConfig config = single_phase(50.0);
  config.events = {{.kind = WaveformEventKind::voltage_scale,
                    .start_s = 1.0,
                    .duration_s = 0.1,
                    .voltage_fraction = 0.5}};
  const std::vector<Measurement> out = run(config);
  std::vector<float> series;
  for (std::size_t k = 1; k < out.size(); ++k) {
    for (std::size_t j = 0; j < out[k].half_cycle_count; ++j) {
      series.push_back(out[k].half_cycle_voltage_v[0][j]);
    }
  }
  std::size_t below_90_percent = 0;
  float lowest = 1e9F;
  for (const float v : series) {
    if (v < 0.9F * 230.0F) ++below_90_percent;
    lowest = std::min(lowest, v);
  }
  // 10 half cycles inside the dip, plus the one-cycle windows straddling its start (one value
  // at sqrt((230² + 115²) / 2) = 182 V); the window straddling its end is at 182 V too.
  EXPECT_GE(below_90_percent, 10U);
  EXPECT_LE(below_90_percent, 12U);
  EXPECT_NEAR(lowest, 115.0, 0.1);
  // The interval RMS sees the dip diluted over 10 cycles.
  double lowest_interval = 1e9;
  for (const Measurement& m : out)
    lowest_interval = std::min(lowest_interval, m.phases[0].voltage_v);
  EXPECT_LT(lowest_interval, 200.0);
}

TEST(MetrologyEngine, OddBlockSizesGiveTheSameBytes) {
  WaveformConfig config = single_phase(50.17, 50.0, 7999.0, 3.0);
  config.connection = Connection::three_phase_4w;
  config.phases = sim::balanced_phases(231.0, 7.0, -25.0);
  config.phases[1].current_harmonics = {{.order = 3, .fraction = 0.3}};
  config.voltage_noise_v = 0.2;
  config.current_noise_a = 0.01;
  config.events = {{.kind = WaveformEventKind::voltage_scale,
                    .start_s = 1.01,
                    .duration_s = 0.23,
                    .voltage_fraction = 0.3}};
  auto big_generator = make_generator(config);
  MetrologyEngine big_engine = make_engine(engine_config_for(config));
  const std::vector<Measurement> expected = run(big_engine, *big_generator, 1 << 16);

  auto generator = make_generator(config);
  MetrologyEngine engine = make_engine(engine_config_for(config));
  std::vector<Measurement> got;
  const std::size_t sizes[] = {1, 7, 333, 4095, 2, 1025, 17, 511, 513, 3};
  SampleBuffer buffer(4095);
  for (std::size_t k = 0;; ++k) {
    SampleBuffer small(sizes[k % std::size(sizes)]);
    auto read = generator->read(small);
    ASSERT_TRUE(read);
    if (*read == 0) break;
    engine.process(small, [&](const Measurement& m) { got.push_back(m); });
  }
  ASSERT_EQ(got.size(), expected.size());
  ASSERT_GE(got.size(), 10U);
  for (std::size_t k = 0; k < got.size(); ++k) {
    EXPECT_EQ(got[k].start_utc_us, expected[k].start_utc_us);
    EXPECT_EQ(got[k].duration_us, expected[k].duration_us);
    EXPECT_EQ(0,
              std::memcmp(got[k].phases.data(), expected[k].phases.data(), sizeof(got[k].phases)))
        << "interval " << k;
    EXPECT_EQ(
        0, std::memcmp(got[k].half_cycle_voltage_v.data(), expected[k].half_cycle_voltage_v.data(),
                       sizeof(got[k].half_cycle_voltage_v)));
    EXPECT_EQ(
        0, std::memcmp(&got[k].neutral_current_a, &expected[k].neutral_current_a, sizeof(double)));
  }
  EXPECT_EQ(engine.frequency_10s_hz(), big_engine.frequency_10s_hz());
  EXPECT_EQ(0, std::memcmp(&engine.harmonics(Channel::i2), &big_engine.harmonics(Channel::i2),
                           sizeof(HarmonicSpectrum)));
}

TEST(MetrologyEngine, WithoutVoltageIntervalsHaveNominalLength) {
  for (const double nominal : {50.0, 60.0}) {
    WaveformConfig config = single_phase(nominal, nominal, 8000.0, 3.0);
    config.phases[0].voltage_rms_v = 0.0;
    config.voltage_noise_v = 0.5;  // noise alone must not synchronise
    const std::vector<Measurement> out = run(config);
    ASSERT_GE(out.size(), 14U);
    for (const Measurement& m : out) {
      EXPECT_EQ(m.duration_us, 200'000);
      EXPECT_EQ(m.half_cycle_count, nominal == 50.0 ? 20 : 24);
      EXPECT_NEAR(m.frequency_hz, nominal, 1e-9);
      EXPECT_NEAR(m.phases[0].current_a, 5.0, 0.01);
      EXPECT_LT(m.phases[0].voltage_v, 0.6);
    }
  }
}

TEST(MetrologyEngine, ResynchronisesAfterAnInterruption) {
  WaveformConfig config = single_phase(50.0, 50.0, 8000.0, 4.0);
  config.events = {
      {.kind = WaveformEventKind::interruption, .start_s = 1.0, .duration_s = 0.7},
      {.kind = WaveformEventKind::frequency_step, .start_s = 1.2, .frequency_hz = 49.5}};
  const std::vector<Measurement> out = run(config);
  ASSERT_GE(out.size(), 15U);
  bool saw_zero = false;
  for (std::size_t k = 1; k < out.size(); ++k) {
    EXPECT_EQ(out[k].start_utc_us, out[k - 1].end_utc_us());
    if (out[k].phases[0].voltage_v < 1.0) saw_zero = true;
    EXPECT_LE(out[k].duration_us, 230'000);
    EXPECT_GE(out[k].duration_us, 180'000);
  }
  EXPECT_TRUE(saw_zero);
  // Back in step with the new frequency within an interval or two.
  for (std::size_t k = out.size() - 4; k < out.size(); ++k) {
    EXPECT_NEAR(out[k].frequency_hz, 49.5, 1e-3);
    EXPECT_NEAR(out[k].phases[0].voltage_v, 230.0, 0.05);
  }
}

TEST(MetrologyEngine, BadSamplesAreCountedAndForgotten) {
  WaveformConfig config = single_phase(50.0, 50.0, 8000.0, 3.0);
  auto generator = make_generator(config);
  MetrologyEngine engine = make_engine(engine_config_for(config));
  std::vector<Measurement> out;
  SampleBuffer buffer(800);
  std::int64_t block = 0;
  for (;; ++block) {
    auto read = generator->read(buffer);
    ASSERT_TRUE(read);
    if (*read == 0) break;
    if (block == 10) {
      float* u = buffer.channel(Channel::u1);
      float* i = buffer.channel(Channel::i1);
      u[5] = std::numeric_limits<float>::quiet_NaN();
      u[6] = std::numeric_limits<float>::infinity();
      i[7] = -std::numeric_limits<float>::infinity();
      i[8] = 3e38F;
      u[9] = -1e30F;
    }
    engine.process(buffer, [&](const Measurement& m) { out.push_back(m); });
  }
  EXPECT_EQ(engine.non_finite_sample_count(), 3U);
  EXPECT_EQ(engine.clamped_sample_count(), 2U);
  ASSERT_GE(out.size(), 12U);
  for (const Measurement& m : out) {
    EXPECT_TRUE(std::isfinite(m.phases[0].active_power_w));
    EXPECT_TRUE(std::isfinite(m.phases[0].voltage_v));
    EXPECT_TRUE(std::isfinite(m.phases[0].reactive_power_var));
  }
  // The intervals after the one with the bad samples are exact again.
  for (std::size_t k = out.size() - 5; k < out.size(); ++k) {
    EXPECT_NEAR(out[k].phases[0].voltage_v, 230.0, 0.02);
    EXPECT_NEAR(out[k].phases[0].active_power_w, 230.0 * 5.0 * std::cos(30.0 * M_PI / 180.0), 0.2);
  }
}

TEST(MetrologyEngine, RecoversFromABurstOfHugeSamples) {
  // 50 ms of ±1e6 (clamped) on every channel: the filters and the hysteresis must forget it.
  WaveformConfig config = single_phase(47.3, 50.0, 8000.0, 3.0);
  auto generator = make_generator(config);
  MetrologyEngine engine = make_engine(engine_config_for(config));
  std::vector<Measurement> out;
  SampleBuffer buffer(400);
  for (std::int64_t block = 0;; ++block) {
    auto read = generator->read(buffer);
    ASSERT_TRUE(read);
    if (*read == 0) break;
    if (block == 20) {
      for (std::size_t c = 0; c < channel_count; ++c) {
        for (std::size_t n = 0; n < 400; ++n) {
          buffer.channel(static_cast<Channel>(c))[n] = n % 2 == 0 ? 3e30F : -1e7F;
        }
      }
    }
    engine.process(buffer, [&](const Measurement& m) { out.push_back(m); });
  }
  EXPECT_EQ(engine.clamped_sample_count(), 400U * 2U);  // single phase reads u1 and i1 only
  ASSERT_GE(out.size(), 12U);
  for (std::size_t k = out.size() - 5; k < out.size(); ++k) {
    EXPECT_NEAR(out[k].frequency_hz, 47.3, 1e-3);
    EXPECT_NEAR(out[k].phases[0].voltage_v, 230.0, 0.02);
    EXPECT_NEAR(out[k].phases[0].current_a, 5.0, 0.001);
  }
}

TEST(MetrologyEngine, FlushEmitsTheIntervalInProgress) {
  WaveformConfig config = single_phase(50.0, 50.0, 8000.0, 1.05);
  auto generator = make_generator(config);
  MetrologyEngine engine = make_engine(engine_config_for(config));
  std::vector<Measurement> out = run(engine, *generator);
  ASSERT_FALSE(out.empty());
  const UtcMicros before = out.back().end_utc_us();
  engine.flush([&](const Measurement& m) { out.push_back(m); });
  ASSERT_GE(out.size(), 2U);
  EXPECT_EQ(out.back().start_utc_us, before);
  // Up to the end of the last sample's period: 1.05 s of samples, the last half period cut.
  EXPECT_NEAR(static_cast<double>(out.back().end_utc_us() - t0_utc_us), 1.05e6 - 62.5, 1.0);
  // Its sums cover the tail too; its DC offset, Q and frequency come from its whole cycles.
  const PhaseMeasurement& tail = out.back().phases[0];
  EXPECT_NEAR(tail.voltage_v, 230.0, 0.3);  // the tail is not whole half cycles
  EXPECT_NEAR(tail.active_power_w, 1150.0 * std::cos(30.0 * M_PI / 180.0), 0.5);
  EXPECT_NEAR(tail.reactive_power_var, 1150.0 * std::sin(30.0 * M_PI / 180.0), 0.01);
  EXPECT_NEAR(out.back().frequency_hz, 50.0, 1e-4);
  EXPECT_NEAR(tail.current_thd_percent, 0.0, 1e-2);
}

TEST(MetrologyEngine, HarmonicsAreReportedPerChannel) {
  WaveformConfig config = single_phase(50.0, 50.0, 6400.0);
  config.phases[0].voltage_harmonics = {{.order = 3, .fraction = 0.05},
                                        {.order = 7, .fraction = 0.02}};
  config.phases[0].current_harmonics = {{.order = 5, .fraction = 0.2}};
  auto generator = make_generator(config);
  MetrologyEngine engine = make_engine(engine_config_for(config));
  const std::vector<Measurement> out = run(engine, *generator);
  ASSERT_FALSE(out.empty());
  const HarmonicSpectrum& u = engine.harmonics(Channel::u1);
  const HarmonicSpectrum& i = engine.harmonics(Channel::i1);
  EXPECT_NEAR(u.subgroup_rms[1], 230.0, 0.05);
  EXPECT_NEAR(u.subgroup_rms[3], 11.5, 0.01);
  EXPECT_NEAR(u.subgroup_rms[7], 4.6, 0.01);
  EXPECT_NEAR(u.thd_percent, std::sqrt(0.05 * 0.05 + 0.02 * 0.02) * 100.0, 0.01);
  EXPECT_NEAR(i.subgroup_rms[5], 1.0, 0.001);
  EXPECT_NEAR(i.thd_percent, 20.0, 0.01);
  EXPECT_NEAR(out.back().phases[0].voltage_thd_percent, u.thd_percent, 1e-12);
  EXPECT_EQ(engine.harmonics(Channel::i_neutral).subgroup_rms[1], 0.0);
}

}  // namespace
}  // namespace gridmeter::metrology
