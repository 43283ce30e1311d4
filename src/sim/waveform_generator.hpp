// WaveformGenerator: synthetic sampled voltages and currents with analytically known content,
// for testing and benchmarking the metrology engine.
//
//   WaveformConfig config{.sample_rate_hz = 8000.0, .connection = Connection::three_phase_4w};
//   config.phases = balanced_phases(230.0, 5.0, -60.0);        // PF 0.5 inductive
//   config.phases[0].voltage_harmonics = {{.order = 5, .fraction = 0.10}};
//   config.events = {{.kind = WaveformEventKind::voltage_scale, .start_s = 1.0,
//                     .duration_s = 0.1, .voltage_fraction = 0.5}};       // a 50 % dip
//   auto generator = WaveformGenerator::create(config);
//   SampleBuffer buffer(4096);
//   while ((*generator)->read(buffer).value() > 0) engine.process(buffer, on_measurement);
//
// Signals, per phase p, with theta(t) = 2 pi ∫ f dt (phase integrated, so it stays continuous
// across frequency steps) and everything in double until the float samples are written:
//   u_p(t) = scale_p(t) · sqrt2 · U · [sin(x) + sum_h a_h · sin(h·x + b_h)] + U_dc,
//            x = theta + voltage angle
//   i_p(t) = on_p(t) · sqrt2 · I · [shape(y) + sum_h a_h · sin(h·y + b_h)] + I_dc,
//            y = theta + current angle
// shape(y) is sin(y) or, for the shaped currents, the same sine gated: half-wave rectified
// (positive half waves only), phase fired (each half wave from the firing angle on, like a
// triac dimmer) or burst fired (N whole cycles on, M off, cycles counted from y = 0). A real
// meter's anti-alias filter band-limits such edges before its ADC; the generator does the
// same by synthesising a shaped current from its exact Fourier series, cut at
// band_limit_rel · sample rate (0.45). That keeps the power and every harmonic below the cut
// exact: with a sinusoidal voltage, P depends only on the fundamental of the current.
// Noise: Gaussian, deterministic in (seed, channel, sample index), whatever the block sizes.
// Events switch at their exact times: voltage_scale (a dip or swell to voltage_fraction of
// the voltage), interruption (voltage and current 0), frequency_step (from start_s on).
// Connections: single phase fills u1, i1; three-phase 4-wire u1..u3, i1..i3; 3-wire writes the
// line voltages U12 = u1 - u2 into slot u1 and U32 = u3 - u2 into slot u3, the currents i1
// and i3, and leaves u2 and i2 zero; its load has no neutral, so phase 2 draws
// i2 = -(i1 + i3) whatever phases[1] says (current_at(1, t) returns that). The neutral
// channel, when enabled, carries i1 + i2 + i3.
#pragma once

#include <array>    // std::array
#include <complex>  // std::complex
#include <cstddef>  // std::size_t
#include <cstdint>  // std::int64_t, std::uint64_t
#include <memory>   // std::unique_ptr
#include <vector>   // std::vector

#include "core/result.hpp"
#include "core/time.hpp"
#include "meter/measurement.hpp"
#include "metrology/samples.hpp"

namespace gridmeter::sim {

struct HarmonicComponent {
  int order = 3;
  double fraction = 0.0;   // amplitude relative to the fundamental
  double phase_deg = 0.0;  // added to order × the fundamental's angle
};

enum class CurrentShape : std::uint8_t {
  sine,
  half_wave_rectified,
  phase_fired,
  burst_fired,
};

struct PhaseWaveform {
  double voltage_rms_v = 230.0;    // of the fundamental
  double voltage_angle_deg = 0.0;  // L1 0, L2 -120, L3 +120 for the positive sequence
  double current_rms_a = 0.0;      // of the fundamental sine before any shaping
  double current_angle_deg = 0.0;  // absolute: voltage angle - 60 is PF 0.5 inductive
  std::vector<HarmonicComponent> voltage_harmonics;
  std::vector<HarmonicComponent> current_harmonics;
  double voltage_dc_v = 0.0;
  double current_dc_a = 0.0;
  CurrentShape current_shape = CurrentShape::sine;
  double firing_angle_deg = 90.0;  // phase_fired: 0 conducts the whole half wave
  int burst_on_cycles = 1;
  int burst_off_cycles = 1;
};

enum class WaveformEventKind : std::uint8_t { voltage_scale, interruption, frequency_step };

struct WaveformEvent {
  WaveformEventKind kind = WaveformEventKind::voltage_scale;
  double start_s = 0.0;           // since the first sample
  double duration_s = 0.0;        // voltage_scale and interruption
  double voltage_fraction = 1.0;  // voltage_scale
  double frequency_hz = 50.0;     // frequency_step: the new frequency from start_s on
  std::array<bool, 3> phases{true, true, true};
};

struct WaveformConfig {
  double sample_rate_hz = 8000.0;
  double nominal_frequency_hz = 50.0;
  double frequency_hz = 50.0;  // at the start
  Connection connection = Connection::single_phase_2w;
  bool has_neutral_current = false;
  UtcMicros start_utc_us = 0;
  std::array<PhaseWaveform, 3> phases{};
  double voltage_noise_v = 0.0;  // RMS, on every voltage channel written
  double current_noise_a = 0.0;  // RMS, on every current channel written
  std::uint64_t seed = 1;
  std::vector<WaveformEvent> events;
  double duration_s = 0.0;  // 0: endless
  double band_limit_rel = 0.45;
};

// Three phases of the positive sequence (or the negative with `reversed`), each with the same
// RMS values, the current `current_angle_deg` from its voltage.
std::array<PhaseWaveform, 3> balanced_phases(double voltage_rms_v, double current_rms_a,
                                             double current_angle_deg, bool reversed = false);

class WaveformGenerator final : public metrology::SampleSource {
 public:
  // Fails on a non-positive rate or frequency, a harmonic order outside 1..200, a firing angle
  // outside 0..180°, a burst without on cycles, or an event with a negative time.
  static Result<std::unique_ptr<WaveformGenerator>> create(const WaveformConfig& config);

  [[nodiscard]] const metrology::StreamInfo& info() const override { return info_; }
  Result<std::size_t> read(metrology::SampleBuffer& buffer) override;

  // Noise-free values at t seconds after the first sample: phase-to-neutral voltage and line
  // current of phase 0..2, the truth the tests integrate.
  [[nodiscard]] double voltage_at(std::size_t phase, double t) const;
  [[nodiscard]] double current_at(std::size_t phase, double t) const;
  // theta(t) in radians and the frequency in force at t.
  [[nodiscard]] double angle_at(double t) const;
  [[nodiscard]] double frequency_at(double t) const;

  [[nodiscard]] std::int64_t position() const { return position_; }
  [[nodiscard]] const WaveformConfig& config() const { return config_; }

  // The shaped current of a phase as a Fourier series in y / period_cycles: the complex
  // coefficients c_k for k >= 0 (shape(y) = c_0 + 2 Re sum c_k e^{j k y / P}), for tests.
  [[nodiscard]] const std::vector<std::complex<double>>& shape_coefficients(
      std::size_t phase) const {
    return shapes_[phase].coefficients;
  }

 private:
  struct FrequencySegment {
    double start_s;
    double angle_rad;  // theta at start_s
    double frequency_hz;
  };
  struct Shape {
    double period_cycles = 1.0;
    std::vector<std::complex<double>> coefficients;
  };

  explicit WaveformGenerator(const WaveformConfig& config);
  [[nodiscard]] double voltage_scale(std::size_t phase, double t) const;
  [[nodiscard]] bool current_on(std::size_t phase, double t) const;
  [[nodiscard]] double phase_voltage(std::size_t phase, double t, double theta) const;
  [[nodiscard]] double phase_current(std::size_t phase, double t, double theta) const;
  [[nodiscard]] double noise(std::size_t channel, std::int64_t index) const;

  WaveformConfig config_;
  metrology::StreamInfo info_;
  std::vector<FrequencySegment> segments_;
  std::array<Shape, 3> shapes_{};
  std::int64_t position_ = 0;
  std::int64_t total_samples_ = 0;  // 0: endless
};

}  // namespace gridmeter::sim
