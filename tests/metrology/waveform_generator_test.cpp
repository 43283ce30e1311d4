// The synthetic waveform generator: its signals are the truth of the accuracy suite, so they
// are checked here against closed forms by independent numerical integration.
#include "sim/waveform_generator.hpp"

#include <gtest/gtest.h>

#include <cmath>    // std::abs, std::sqrt, std::sin
#include <cstring>  // std::memcmp
#include <numbers>  // std::numbers::pi
#include <vector>   // std::vector

#include "metrology/samples.hpp"

namespace gridmeter::sim {
namespace {

using metrology::Channel;
using metrology::SampleBuffer;

constexpr double pi = std::numbers::pi;

std::unique_ptr<WaveformGenerator> make(const WaveformConfig& config) {
  auto generator = WaveformGenerator::create(config);
  EXPECT_TRUE(generator) << (generator ? "" : generator.error().message);
  return generator ? std::move(*generator) : nullptr;
}

PhaseWaveform phase(double voltage_rms_v, double current_rms_a = 0.0) {
  PhaseWaveform w;
  w.voltage_rms_v = voltage_rms_v;
  w.current_rms_a = current_rms_a;
  return w;
}

// Mean of f over [a, b] by the composite Simpson rule with n (even) panels.
template <typename F>
double mean_over(F f, double a, double b, int n = 20000) {
  const double h = (b - a) / n;
  double sum = f(a) + f(b);
  for (int k = 1; k < n; ++k)
    sum += (k % 2 == 1 ? 4.0 : 2.0) * f(a + k * h);
  return sum * h / 3.0 / (b - a);
}

TEST(WaveformGenerator, RejectsBadConfigs) {
  WaveformConfig good;
  EXPECT_TRUE(WaveformGenerator::create(good));
  WaveformConfig c = good;
  c.sample_rate_hz = 0.0;
  EXPECT_FALSE(WaveformGenerator::create(c));
  c = good;
  c.frequency_hz = -50.0;
  EXPECT_FALSE(WaveformGenerator::create(c));
  c = good;
  c.phases[0].voltage_harmonics = {{.order = 0, .fraction = 0.1}};
  EXPECT_FALSE(WaveformGenerator::create(c));
  c = good;
  c.phases[1].firing_angle_deg = 180.0;
  EXPECT_FALSE(WaveformGenerator::create(c));
  c = good;
  c.phases[2].burst_on_cycles = 0;
  EXPECT_FALSE(WaveformGenerator::create(c));
  c = good;
  c.events = {{.kind = WaveformEventKind::frequency_step, .start_s = 1.0, .frequency_hz = 0.0}};
  EXPECT_FALSE(WaveformGenerator::create(c));
}

TEST(WaveformGenerator, SineAndHarmonicsHaveTheirRmsAndPower) {
  WaveformConfig config;
  config.frequency_hz = 50.0;
  config.phases[0] = {.voltage_rms_v = 230.0,
                      .current_rms_a = 10.0,
                      .current_angle_deg = -60.0,
                      .voltage_harmonics = {{.order = 5, .fraction = 0.1}},
                      .current_harmonics = {{.order = 5, .fraction = 0.4}}};
  auto g = make(config);
  const double period = 1.0 / 50.0;
  const double u_rms =
      std::sqrt(mean_over([&](double t) { return std::pow(g->voltage_at(0, t), 2); }, 0.0, period));
  const double i_rms =
      std::sqrt(mean_over([&](double t) { return std::pow(g->current_at(0, t), 2); }, 0.0, period));
  const double power =
      mean_over([&](double t) { return g->voltage_at(0, t) * g->current_at(0, t); }, 0.0, period);
  EXPECT_NEAR(u_rms, 230.0 * std::sqrt(1.01), 1e-9);
  EXPECT_NEAR(i_rms, 10.0 * std::sqrt(1.16), 1e-9);
  // Fundamental at 60°, 5th at 300°: U I (cos 60° + 0.04 cos 300°).
  EXPECT_NEAR(power, 2300.0 * (0.5 + 0.04 * 0.5), 1e-8);
}

TEST(WaveformGenerator, ShapedCurrentsMatchTheirClosedForms) {
  struct Case {
    CurrentShape shape;
    double firing_deg;
    int on;
    int off;
    double power_per_ui;  // P / (U I), U I from the fundamental sine's RMS values
  };
  const double alpha = pi / 2.0;
  const Case cases[] = {
      {CurrentShape::half_wave_rectified, 0.0, 1, 1, 0.5},
      {CurrentShape::phase_fired, 90.0, 1, 1,
       2.0 / pi * ((pi - alpha) / 2.0 + std::sin(2.0 * alpha) / 4.0)},
      {CurrentShape::phase_fired, 0.0, 1, 1, 1.0},
      {CurrentShape::burst_fired, 0.0, 3, 2, 0.6},
  };
  for (const Case& c : cases) {
    WaveformConfig config;
    config.sample_rate_hz = 8000.0;
    config.phases[0] = phase(230.0, 10.0);
    config.phases[0].current_shape = c.shape;
    config.phases[0].firing_angle_deg = c.firing_deg;
    config.phases[0].burst_on_cycles = c.on;
    config.phases[0].burst_off_cycles = c.off;
    auto g = make(config);
    const double span = (c.on + c.off) / 50.0;
    const double power = mean_over(
        [&](double t) { return g->voltage_at(0, t) * g->current_at(0, t); }, 0.0, span, 200000);
    EXPECT_NEAR(power / 2300.0, c.power_per_ui, 1e-7) << static_cast<int>(c.shape);
  }
  // The band-limited half-wave is the half-wave: DC Ipk/π, close to the ideal away from the
  // kinks, zero in the negative half.
  WaveformConfig config;
  config.sample_rate_hz = 16000.0;
  config.phases[0] = phase(230.0, 10.0);
  config.phases[0].current_shape = CurrentShape::half_wave_rectified;
  auto g = make(config);
  const double peak = 10.0 * std::sqrt(2.0);
  EXPECT_NEAR(g->shape_coefficients(0)[0].real() * peak, peak / pi, 1e-12);
  EXPECT_NEAR(g->current_at(0, 0.005), peak, 2e-3 * peak);
  EXPECT_NEAR(g->current_at(0, 0.015), 0.0, 2e-3 * peak);
}

TEST(WaveformGenerator, PhaseStaysContinuousAcrossFrequencySteps) {
  WaveformConfig config;
  config.sample_rate_hz = 8000.0;
  config.frequency_hz = 50.0;
  config.phases[0] = phase(230.0);
  config.events = {
      {.kind = WaveformEventKind::frequency_step, .start_s = 0.1234, .frequency_hz = 47.0},
      {.kind = WaveformEventKind::frequency_step, .start_s = 0.31, .frequency_hz = 53.5}};
  config.duration_s = 0.5;
  auto g = make(config);
  for (const double t : {0.1234, 0.31}) {
    EXPECT_NEAR(g->angle_at(t - 1e-9), g->angle_at(t), 1e-6);
  }
  EXPECT_NEAR(g->angle_at(0.2) - g->angle_at(0.1234), 2.0 * pi * 47.0 * (0.2 - 0.1234), 1e-9);
  EXPECT_EQ(g->frequency_at(0.4), 53.5);
  SampleBuffer buffer(4000);
  ASSERT_EQ(g->read(buffer).value(), 4000U);
  const float* u = buffer.channel(Channel::u1);
  const double slope_max = 230.0 * std::sqrt(2.0) * 2.0 * pi * 53.5 / 8000.0;
  for (std::size_t n = 1; n < 4000; ++n) {
    EXPECT_LE(std::abs(u[n] - u[n - 1]), slope_max * 1.001) << n;
  }
  EXPECT_EQ(g->read(buffer).value(), 0U);  // 0.5 s = 4000 samples, then the end
}

TEST(WaveformGenerator, ThreeWireWritesLineVoltagesAndTwoCurrents) {
  WaveformConfig config;
  config.connection = Connection::three_phase_3w;
  config.phases = balanced_phases(230.0, 5.0, 0.0);
  auto g = make(config);
  SampleBuffer buffer(160);  // one cycle
  ASSERT_EQ(g->read(buffer).value(), 160U);
  double u12 = 0.0;
  double u32 = 0.0;
  for (std::size_t n = 0; n < 160; ++n) {
    u12 += std::pow(buffer.channel(Channel::u1)[n], 2);
    u32 += std::pow(buffer.channel(Channel::u3)[n], 2);
    EXPECT_EQ(buffer.channel(Channel::u2)[n], 0.0F);
    EXPECT_EQ(buffer.channel(Channel::i2)[n], 0.0F);
    const double t = static_cast<double>(n) / 8000.0;
    EXPECT_NEAR(g->current_at(1, t), -(g->current_at(0, t) + g->current_at(2, t)), 1e-9);
  }
  EXPECT_NEAR(std::sqrt(u12 / 160.0), 230.0 * std::sqrt(3.0), 1e-3);
  EXPECT_NEAR(std::sqrt(u32 / 160.0), 230.0 * std::sqrt(3.0), 1e-3);
}

TEST(WaveformGenerator, NoiseIsSeededAndIndependentOfBlockSize) {
  WaveformConfig config;
  config.connection = Connection::three_phase_4w;
  config.has_neutral_current = true;
  config.phases = balanced_phases(230.0, 5.0, -20.0);
  config.voltage_noise_v = 1.0;
  config.current_noise_a = 0.01;
  config.seed = 99;
  auto a = make(config);
  auto b = make(config);
  SampleBuffer big(3000);
  ASSERT_EQ(a->read(big).value(), 3000U);
  std::vector<float> pieces;
  for (const std::size_t size : {1U, 999U, 1000U, 1000U}) {
    SampleBuffer small(size);
    ASSERT_EQ(b->read(small).value(), size);
    for (std::size_t n = 0; n < size; ++n)
      pieces.push_back(small.channel(Channel::u2)[n]);
  }
  ASSERT_EQ(pieces.size(), 3000U);
  EXPECT_EQ(0, std::memcmp(pieces.data(), big.channel(Channel::u2), 3000 * sizeof(float)));
  // The noise has the asked RMS, and the neutral carries i1 + i2 + i3.
  double noise = 0.0;
  for (std::size_t n = 0; n < 3000; ++n) {
    const double t = static_cast<double>(n) / 8000.0;
    noise += std::pow(big.channel(Channel::u2)[n] - a->voltage_at(1, t), 2);
    const double sum = a->current_at(0, t) + a->current_at(1, t) + a->current_at(2, t);
    EXPECT_NEAR(big.channel(Channel::i_neutral)[n], sum, 0.06);  // 6 sigma of its own noise
  }
  EXPECT_NEAR(std::sqrt(noise / 3000.0), 1.0, 0.05);
  config.seed = 100;
  auto c = make(config);
  SampleBuffer other(3000);
  ASSERT_EQ(c->read(other).value(), 3000U);
  EXPECT_NE(
      0, std::memcmp(other.channel(Channel::u2), big.channel(Channel::u2), 3000 * sizeof(float)));
}

TEST(WaveformGenerator, EventsSwitchAtTheirTimes) {
  WaveformConfig config;
  config.phases[0] = phase(230.0, 5.0);
  config.events = {{.kind = WaveformEventKind::voltage_scale,
                    .start_s = 0.1,
                    .duration_s = 0.05,
                    .voltage_fraction = 0.5},
                   {.kind = WaveformEventKind::interruption, .start_s = 0.3, .duration_s = 0.02}};
  auto g = make(config);
  const double peak = 230.0 * std::sqrt(2.0);
  EXPECT_NEAR(g->voltage_at(0, 0.105), 0.5 * peak, 1e-9);  // a crest inside the dip
  EXPECT_NEAR(g->voltage_at(0, 0.165), peak, 1e-9);        // after it
  EXPECT_EQ(g->voltage_at(0, 0.305), 0.0);
  EXPECT_EQ(g->current_at(0, 0.305), 0.0);
  EXPECT_NEAR(g->current_at(0, 0.325), 5.0 * std::sqrt(2.0), 1e-9);
}

}  // namespace
}  // namespace gridmeter::sim
