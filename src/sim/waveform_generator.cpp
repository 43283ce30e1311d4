#include "sim/waveform_generator.hpp"

#include <algorithm>  // std::sort, std::upper_bound, std::max
#include <cmath>      // std::sin, std::cos, std::sqrt, std::log, std::llround, std::floor
#include <numbers>    // std::numbers::pi, std::numbers::sqrt2
#include <string>     // std::string, std::to_string

#include "sim/hash_noise.hpp"

namespace gridmeter::sim {
namespace {

constexpr double two_pi = 2.0 * std::numbers::pi;
constexpr double radians_per_degree = std::numbers::pi / 180.0;
constexpr std::uint64_t stream_waveform_noise = 0x3a7e0001;

// ∫_a^b e^{j m y} dy.
std::complex<double> integral_of_exponential(double m, double a, double b) {
  if (m == 0.0) return {b - a, 0.0};
  const std::complex<double> j(0.0, 1.0);
  return (std::exp(j * (m * b)) - std::exp(j * (m * a))) / (j * m);
}

// Fourier coefficients of sin(y) gated on the given intervals of one period of `period`
// cycles: c_k = 1 / (2 pi P) ∫ sin(y) e^{-j k y / P} dy over the intervals.
std::vector<std::complex<double>> gated_sine_series(
    double period, const std::vector<std::array<double, 2>>& intervals, std::size_t terms) {
  std::vector<std::complex<double>> c(terms + 1);
  const std::complex<double> j(0.0, 1.0);
  for (std::size_t k = 0; k <= terms; ++k) {
    const double m = static_cast<double>(k) / period;
    std::complex<double> sum;
    for (const auto& [a, b] : intervals) {
      // sin y = (e^{jy} - e^{-jy}) / 2j
      sum += (integral_of_exponential(1.0 - m, a, b) - integral_of_exponential(-1.0 - m, a, b)) /
             (2.0 * j);
    }
    c[k] = sum / (two_pi * period);
  }
  return c;
}

double harmonic_sum(const std::vector<HarmonicComponent>& harmonics, double x) {
  double sum = 0.0;
  for (const HarmonicComponent& h : harmonics) {
    sum +=
        h.fraction * std::sin(static_cast<double>(h.order) * x + h.phase_deg * radians_per_degree);
  }
  return sum;
}

}  // namespace

std::array<PhaseWaveform, 3> balanced_phases(double voltage_rms_v, double current_rms_a,
                                             double current_angle_deg, bool reversed) {
  std::array<PhaseWaveform, 3> phases{};
  const double step = reversed ? 120.0 : -120.0;
  for (std::size_t p = 0; p < 3; ++p) {
    phases[p].voltage_rms_v = voltage_rms_v;
    phases[p].voltage_angle_deg = step * static_cast<double>(p);
    phases[p].current_rms_a = current_rms_a;
    phases[p].current_angle_deg = phases[p].voltage_angle_deg + current_angle_deg;
  }
  return phases;
}

Result<std::unique_ptr<WaveformGenerator>> WaveformGenerator::create(const WaveformConfig& config) {
  const auto fail = [](const std::string& what) {
    return make_error("waveform generator: " + what);
  };
  if (!(config.sample_rate_hz > 0.0)) return fail("sample rate must be positive");
  if (!(config.frequency_hz > 0.0 && config.nominal_frequency_hz > 0.0)) {
    return fail("frequency must be positive");
  }
  if (!(config.band_limit_rel > 0.0 && config.band_limit_rel <= 0.5)) {
    return fail("band limit must be within 0..0.5 of the sample rate");
  }
  for (const PhaseWaveform& phase : config.phases) {
    for (const auto* list : {&phase.voltage_harmonics, &phase.current_harmonics}) {
      for (const HarmonicComponent& h : *list) {
        if (h.order < 1 || h.order > 200) {
          return fail("harmonic order " + std::to_string(h.order) + " outside 1..200");
        }
      }
    }
    if (!(phase.firing_angle_deg >= 0.0 && phase.firing_angle_deg < 180.0)) {
      return fail("firing angle must be within 0..180 degrees");
    }
    if (phase.burst_on_cycles < 1 || phase.burst_off_cycles < 0) {
      return fail("a burst needs at least one cycle on");
    }
  }
  for (const WaveformEvent& event : config.events) {
    if (!(event.start_s >= 0.0 && event.duration_s >= 0.0)) return fail("event times must be >= 0");
    if (event.kind == WaveformEventKind::frequency_step && !(event.frequency_hz > 0.0)) {
      return fail("a frequency step needs a positive frequency");
    }
  }
  return std::unique_ptr<WaveformGenerator>(new WaveformGenerator(config));
}

WaveformGenerator::WaveformGenerator(const WaveformConfig& config) : config_(config) {
  info_.sample_rate_hz = config_.sample_rate_hz;
  info_.nominal_frequency_hz = config_.nominal_frequency_hz;
  info_.connection = config_.connection;
  info_.has_neutral_current = config_.has_neutral_current;
  info_.start_utc_us = config_.start_utc_us;
  info_.description = "synthetic waveform";
  total_samples_ =
      config_.duration_s > 0.0 ? std::llround(config_.duration_s * config_.sample_rate_hz) : 0;

  // Frequency segments, in time order; theta is integrated across them.
  std::vector<WaveformEvent> steps;
  for (const WaveformEvent& event : config_.events) {
    if (event.kind == WaveformEventKind::frequency_step) steps.push_back(event);
  }
  std::sort(steps.begin(), steps.end(),
            [](const WaveformEvent& a, const WaveformEvent& b) { return a.start_s < b.start_s; });
  segments_.push_back({0.0, 0.0, config_.frequency_hz});
  double frequency_max = config_.frequency_hz;
  for (const WaveformEvent& step : steps) {
    const FrequencySegment& last = segments_.back();
    const double angle =
        last.angle_rad + two_pi * last.frequency_hz * (step.start_s - last.start_s);
    segments_.push_back({step.start_s, angle, step.frequency_hz});
    frequency_max = std::max(frequency_max, step.frequency_hz);
  }

  const double band_limit_hz = config_.band_limit_rel * config_.sample_rate_hz;
  for (std::size_t p = 0; p < 3; ++p) {
    const PhaseWaveform& phase = config_.phases[p];
    Shape& shape = shapes_[p];
    std::vector<std::array<double, 2>> intervals;
    switch (phase.current_shape) {
      case CurrentShape::sine:
        continue;
      case CurrentShape::half_wave_rectified:
        intervals = {{0.0, std::numbers::pi}};
        break;
      case CurrentShape::phase_fired: {
        const double firing = phase.firing_angle_deg * radians_per_degree;
        intervals = {{firing, std::numbers::pi}, {std::numbers::pi + firing, two_pi}};
        break;
      }
      case CurrentShape::burst_fired:
        shape.period_cycles = static_cast<double>(phase.burst_on_cycles + phase.burst_off_cycles);
        intervals = {{0.0, two_pi * static_cast<double>(phase.burst_on_cycles)}};
        break;
    }
    // Components k / P of the fundamental, up to the band limit at the highest frequency.
    const auto terms =
        static_cast<std::size_t>(std::floor(band_limit_hz * shape.period_cycles / frequency_max));
    shape.coefficients = gated_sine_series(shape.period_cycles, intervals, terms);
  }
}

double WaveformGenerator::angle_at(double t) const {
  const auto after = std::upper_bound(
      segments_.begin(), segments_.end(), t,
      [](double time, const FrequencySegment& segment) { return time < segment.start_s; });
  const FrequencySegment& segment = *(after - 1);
  return segment.angle_rad + two_pi * segment.frequency_hz * (t - segment.start_s);
}

double WaveformGenerator::frequency_at(double t) const {
  const auto after = std::upper_bound(
      segments_.begin(), segments_.end(), t,
      [](double time, const FrequencySegment& segment) { return time < segment.start_s; });
  return (after - 1)->frequency_hz;
}

double WaveformGenerator::voltage_scale(std::size_t phase, double t) const {
  double scale = 1.0;
  for (const WaveformEvent& event : config_.events) {
    if (!event.phases[phase] || t < event.start_s || t >= event.start_s + event.duration_s)
      continue;
    if (event.kind == WaveformEventKind::voltage_scale) scale *= event.voltage_fraction;
    if (event.kind == WaveformEventKind::interruption) scale = 0.0;
  }
  return scale;
}

bool WaveformGenerator::current_on(std::size_t phase, double t) const {
  for (const WaveformEvent& event : config_.events) {
    if (event.kind == WaveformEventKind::interruption && event.phases[phase] &&
        t >= event.start_s && t < event.start_s + event.duration_s) {
      return false;
    }
  }
  return true;
}

double WaveformGenerator::phase_voltage(std::size_t phase, double t, double theta) const {
  const PhaseWaveform& w = config_.phases[phase];
  const double x = theta + w.voltage_angle_deg * radians_per_degree;
  return voltage_scale(phase, t) * std::numbers::sqrt2 * w.voltage_rms_v *
             (std::sin(x) + harmonic_sum(w.voltage_harmonics, x)) +
         w.voltage_dc_v;
}

double WaveformGenerator::phase_current(std::size_t phase, double t, double theta) const {
  if (config_.connection == Connection::three_phase_3w && phase == 1) {
    return -(phase_current(0, t, theta) + phase_current(2, t, theta));
  }
  if (!current_on(phase, t)) return 0.0;
  const PhaseWaveform& w = config_.phases[phase];
  const double y = theta + w.current_angle_deg * radians_per_degree;
  double shape = 0.0;
  if (w.current_shape == CurrentShape::sine) {
    shape = std::sin(y);
  } else {
    // c_0 + 2 Re sum c_k z^k, z = e^{j y / P}, by Horner.
    const Shape& s = shapes_[phase];
    const std::complex<double> z = std::polar(1.0, y / s.period_cycles);
    std::complex<double> sum;
    for (std::size_t k = s.coefficients.size() - 1; k >= 1; --k)
      sum = (sum + s.coefficients[k]) * z;
    shape = s.coefficients[0].real() + 2.0 * sum.real();
  }
  return std::numbers::sqrt2 * w.current_rms_a * (shape + harmonic_sum(w.current_harmonics, y)) +
         w.current_dc_a;
}

double WaveformGenerator::voltage_at(std::size_t phase, double t) const {
  return phase_voltage(phase, t, angle_at(t));
}

double WaveformGenerator::current_at(std::size_t phase, double t) const {
  return phase_current(phase, t, angle_at(t));
}

double WaveformGenerator::noise(std::size_t channel, std::int64_t index) const {
  // Box-Muller on two hashed uniforms: a standard normal value.
  const std::uint64_t bits = hash_key(config_.seed, stream_waveform_noise + channel, index);
  const double u1 = 1.0 - unit_from_bits(bits);  // (0, 1]
  const double u2 = unit_from_bits(mix64(bits));
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2);
}

Result<std::size_t> WaveformGenerator::read(metrology::SampleBuffer& buffer) {
  using metrology::Channel;
  std::size_t count = buffer.capacity();
  if (total_samples_ > 0) {
    count = static_cast<std::size_t>(
        std::min<std::int64_t>(static_cast<std::int64_t>(count), total_samples_ - position_));
  }
  std::array<float*, metrology::channel_count> out{};
  for (std::size_t c = 0; c < metrology::channel_count; ++c) {
    out[c] = buffer.channel(static_cast<Channel>(c));
  }
  const bool three_wire = config_.connection == Connection::three_phase_3w;
  const std::size_t phases = phase_count(config_.connection);
  for (std::size_t n = 0; n < count; ++n) {
    const std::int64_t index = position_ + static_cast<std::int64_t>(n);
    const double t = static_cast<double>(index) / config_.sample_rate_hz;
    const double theta = angle_at(t);
    std::array<double, 3> u{};
    std::array<double, 3> i{};
    for (std::size_t p = 0; p < phases; ++p) {
      u[p] = phase_voltage(p, t, theta);
      i[p] = phase_current(p, t, theta);
    }
    std::array<double, metrology::channel_count> value{};
    bool written[metrology::channel_count] = {};
    if (three_wire) {
      value[0] = u[0] - u[1];
      value[2] = u[2] - u[1];
      value[3] = i[0];
      value[5] = i[2];
      written[0] = written[2] = written[3] = written[5] = true;
    } else {
      for (std::size_t p = 0; p < phases; ++p) {
        value[p] = u[p];
        value[3 + p] = i[p];
        written[p] = written[3 + p] = true;
      }
      if (config_.has_neutral_current) {
        value[6] = i[0] + i[1] + i[2];
        written[6] = true;
      }
    }
    for (std::size_t c = 0; c < metrology::channel_count; ++c) {
      double v = value[c];
      if (written[c]) {
        const double sigma = c < 3 ? config_.voltage_noise_v : config_.current_noise_a;
        if (sigma > 0.0) v += sigma * noise(c, index);
      }
      out[c][n] = static_cast<float>(v);
    }
  }
  position_ += static_cast<std::int64_t>(count);
  buffer.set_count(count);
  return count;
}

}  // namespace gridmeter::sim
