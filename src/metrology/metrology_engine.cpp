#include "metrology/metrology_engine.hpp"

#include <algorithm>  // std::min, std::max, std::clamp
#include <cassert>    // assert
#include <cmath>      // std::floor, std::ceil, std::sqrt, std::llround, std::isfinite
#include <complex>    // std::complex, std::abs, std::conj
#include <cstring>    // std::memcpy, std::memmove
#include <numbers>    // std::numbers::pi, std::numbers::sqrt2
#include <span>       // std::span
#include <string>     // std::string, std::to_string

namespace gridmeter::metrology {
namespace {

typedef float Lanes4 __attribute__((vector_size(16)));

Lanes4 load4(const float* p) {
  Lanes4 v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// Samples kept before the oldest needed one, and readable past the newest, for the
// resampler's taps and the 4-wide loads.
constexpr std::int64_t margin_samples = 32;
constexpr std::size_t slack_samples = 64;
// Sums are kept in float for this many samples, then added into double.
constexpr std::int64_t float_block_samples = 512;

// One measuring element: the phase slot it fills and the channels it reads.
struct Element {
  std::size_t phase;
  Channel voltage;
  Channel current;
};
constexpr std::array<Element, 3> elements_4w{
    {{0, Channel::u1, Channel::i1}, {1, Channel::u2, Channel::i2}, {2, Channel::u3, Channel::i3}}};
constexpr std::array<Element, 2> elements_3w{
    {{0, Channel::u1, Channel::i1}, {2, Channel::u3, Channel::i3}}};

std::span<const Element> elements_of(Connection connection) {
  switch (connection) {
    case Connection::single_phase_2w:
      return std::span<const Element>(elements_4w.data(), 1);
    case Connection::three_phase_4w:
      return elements_4w;
    case Connection::three_phase_3w:
      return elements_3w;
  }
  return {};
}

// Weighted sums over the window [a, b] (positions in storage) of M terms of each sample, every
// sample weighted by the part of its period [n - 1/2, n + 1/2) inside the window.
// terms(n) returns the M terms of storage samples n .. n + 3 as 4-lane vectors.
template <std::size_t M, typename Terms>
std::array<double, M> window_sums(double a, double b, Terms terms) {
  std::array<double, M> sums{};
  const auto first = static_cast<std::int64_t>(std::floor(a + 0.5));
  const auto last = static_cast<std::int64_t>(std::floor(b + 0.5));
  std::int64_t n = first;
  while (n < last) {
    const std::int64_t block_end = std::min(last, n + float_block_samples);
    std::array<Lanes4, M> lanes{};
    for (; n + 4 <= block_end; n += 4) {
      const std::array<Lanes4, M> t = terms(n);
      for (std::size_t k = 0; k < M; ++k)
        lanes[k] += t[k];
    }
    if (n < block_end) {
      float keep[4] = {};
      for (std::int64_t k = 0; k < block_end - n; ++k)
        keep[k] = 1.0F;
      const Lanes4 mask = load4(keep);
      const std::array<Lanes4, M> t = terms(n);
      for (std::size_t k = 0; k < M; ++k)
        lanes[k] += t[k] * mask;
      n = block_end;
    }
    for (std::size_t k = 0; k < M; ++k) {
      sums[k] += static_cast<double>((lanes[k][0] + lanes[k][2]) + (lanes[k][1] + lanes[k][3]));
    }
  }
  // The loop took samples first .. last - 1 whole; trim the part of `first` before a and add
  // the part of `last` before b.
  const double trim_first = a - (static_cast<double>(first) - 0.5);
  const double keep_last = b - (static_cast<double>(last) - 0.5);
  const std::array<Lanes4, M> t_first = terms(first);
  const std::array<Lanes4, M> t_last = terms(last);
  for (std::size_t k = 0; k < M; ++k) {
    sums[k] += keep_last * static_cast<double>(t_last[k][0]) -
               trim_first * static_cast<double>(t_first[k][0]);
  }
  return sums;
}

double root_mean_square(double sum_squares, double length) {
  return length > 0.0 ? std::sqrt(std::max(0.0, sum_squares / length)) : 0.0;
}

bool is_connection(Connection connection) {
  return connection == Connection::single_phase_2w || connection == Connection::three_phase_4w ||
         connection == Connection::three_phase_3w;
}

}  // namespace

Status validate(const MetrologyConfig& config) {
  const auto fail = [](const std::string& what) { return make_error("metrology: " + what); };
  if (!is_connection(config.connection)) return fail("unknown connection");
  if (config.nominal_frequency_hz != 50.0 && config.nominal_frequency_hz != 60.0) {
    return fail("nominal frequency must be 50 or 60 Hz");
  }
  if (!(config.sample_rate_hz >= sample_rate_min_hz &&
        config.sample_rate_hz <= sample_rate_max_hz)) {
    return fail("sample rate must be within 2400..16000 Hz, not " +
                std::to_string(config.sample_rate_hz));
  }
  if (!(config.nominal_voltage_v >= 50.0 && config.nominal_voltage_v <= 1000.0)) {
    return fail("nominal voltage must be within 50..1000 V, not " +
                std::to_string(config.nominal_voltage_v));
  }
  if (!(config.starting_current_a > 0.0 && config.starting_current_a <= 10.0)) {
    return fail("starting current must be within 0..10 A, not " +
                std::to_string(config.starting_current_a));
  }
  if (config.has_neutral_current && config.connection == Connection::three_phase_3w) {
    return fail("a 3-wire connection has no neutral current");
  }
  return {};
}

MetrologyConfig config_from_stream(const StreamInfo& info) {
  return MetrologyConfig{.connection = info.connection,
                         .nominal_frequency_hz = info.nominal_frequency_hz,
                         .sample_rate_hz = info.sample_rate_hz,
                         .has_neutral_current = info.has_neutral_current,
                         .start_utc_us = info.start_utc_us};
}

Result<MetrologyEngine> MetrologyEngine::create(const MetrologyConfig& config) {
  if (Status status = validate(config); !status) return status.error();
  return MetrologyEngine(config);
}

MetrologyEngine::MetrologyEngine(const MetrologyConfig& config)
    : config_(config),
      half_cycles_(config.nominal_frequency_hz > 55.0 ? 24 : 20),
      tracker_(ReferenceTracker::Setup{
          .sample_rate_hz = config.sample_rate_hz,
          .nominal_frequency_hz = config.nominal_frequency_hz,
          .nominal_peak = config.nominal_voltage_v * std::numbers::sqrt2 *
                          (config.connection == Connection::three_phase_3w ? std::sqrt(3.0) : 1.0),
          .start_utc_us = config.start_utc_us}),
      resampled_(2 * fft_size * 3) {
  analyzers_.reserve(3);
  for (int pair = 0; pair < 3; ++pair) {
    analyzers_.emplace_back();
  }
  // The longest interval: a lead-in (settling, then at most the tracker's give-up time, about
  // 20 half periods) plus 24 half cycles, each at most 1.5 of the longest tracked half period
  // (ReferenceTracker fills any longer gap with flywheel boundaries); plus detection lags.
  const double half_period_max = config.sample_rate_hz / (2.0 * config.nominal_frequency_hz *
                                                          ReferenceTracker::frequency_min_rel);
  const double interval_max =
      (24.0 + 1.5 * static_cast<double>(half_cycles_max)) * half_period_max + 2048.0;
  const auto needed = static_cast<std::size_t>(interval_max) + ReferenceTracker::feed_samples_max +
                      4 * margin_samples;
  capacity_ = 4096;
  while (capacity_ < 2 * needed)
    capacity_ *= 2;
  stride_ = capacity_ + slack_samples;
  storage_.assign(stride_ * channel_count, 0.0F);
  origin_ = -margin_samples;
  written_ = 0;
  boundaries_[0] = Boundary{.position = 0.0, .measured = false, .rising = false};
  boundary_count_ = 1;
}

const HarmonicSpectrum& MetrologyEngine::harmonics(Channel channel) const {
  return ready_[delivered_].spectra[static_cast<std::size_t>(channel)];
}

UtcMicros MetrologyEngine::utc_us_at(double position) const {
  return config_.start_utc_us +
         static_cast<UtcMicros>(std::llround(position * static_cast<double>(micros_per_second) /
                                             config_.sample_rate_hz));
}

std::size_t MetrologyEngine::consume(const SampleBuffer& buffer, std::size_t offset) {
  const std::size_t count = std::min(ReferenceTracker::feed_samples_max, buffer.count() - offset);
  make_room(count);
  copy_in(buffer, offset, count);
  tracker_.feed(channel_at(Channel::u1, written_), count);
  written_ += static_cast<std::int64_t>(count);
  assemble();
  return count;
}

void MetrologyEngine::make_room(std::size_t count) {
  const auto needed = written_ + static_cast<std::int64_t>(count);
  if (needed <= origin_ + static_cast<std::int64_t>(capacity_)) return;
  std::int64_t keep_from =
      static_cast<std::int64_t>(std::floor(boundaries_[0].position)) - margin_samples;
  keep_from = std::clamp(keep_from, origin_, written_);
  const auto shift = static_cast<std::size_t>(keep_from - origin_);
  const auto kept = static_cast<std::size_t>(written_ - keep_from);
  for (std::size_t c = 0; c < channel_count; ++c) {
    float* data = storage_.data() + c * stride_;
    std::memmove(data, data + shift, kept * sizeof(float));
  }
  origin_ = keep_from;
  // Holds by the choice of capacity_: an interval never spans more than half of it.
  assert(needed <= origin_ + static_cast<std::int64_t>(capacity_));
}

void MetrologyEngine::copy_in(const SampleBuffer& buffer, std::size_t offset, std::size_t count) {
  const bool three_wire = config_.connection == Connection::three_phase_3w;
  const bool single = config_.connection == Connection::single_phase_2w;
  for (std::size_t c = 0; c < channel_count; ++c) {
    const auto channel = static_cast<Channel>(c);
    const bool used = channel == Channel::i_neutral ? config_.has_neutral_current
                      : single     ? (channel == Channel::u1 || channel == Channel::i1)
                      : three_wire ? (channel != Channel::u2 && channel != Channel::i2)
                                   : true;
    if (!used) continue;
    const float* source = buffer.channel(channel) + offset;
    float* target = channel_at(channel, written_);
    // Copy and check in one pass; a comparison with NaN is false, so NaN fails like an
    // infinity or a huge value, and the block is then copied again sample by sample.
    typedef int Ints4 __attribute__((vector_size(16)));
    Ints4 in_range = {-1, -1, -1, -1};
    std::size_t n = 0;
    for (; n + 4 <= count; n += 4) {
      const Lanes4 v = load4(source + n);
      std::memcpy(target + n, &v, sizeof(v));
      in_range &= (v <= sample_magnitude_max) & (v >= -sample_magnitude_max);
    }
    bool all_good = (in_range[0] & in_range[1] & in_range[2] & in_range[3]) != 0;
    for (; n < count; ++n) {
      target[n] = source[n];
      all_good &= std::abs(source[n]) <= sample_magnitude_max;
    }
    if (all_good) continue;
    for (std::size_t k = 0; k < count; ++k) {
      const float value = source[k];
      if (!std::isfinite(value)) {
        target[k] = 0.0F;
        ++non_finite_count_;
      } else if (std::abs(value) > sample_magnitude_max) {
        target[k] = value > 0.0F ? sample_magnitude_max : -sample_magnitude_max;
        ++clamped_count_;
      } else {
        target[k] = value;
      }
    }
  }
}

void MetrologyEngine::assemble() {
  for (;;) {
    if (ready_count_ == ready_capacity) return;  // process() drains, then calls again
    const std::size_t needed = 1 + (lead_in_ ? 1 : 0) + half_cycles_;
    while (boundary_count_ < needed) {
      const std::optional<Boundary> boundary = tracker_.pop();
      if (!boundary) return;
      if (first_interval_ && boundary_count_ == 1 && boundary->measured) {
        lead_in_ = true;  // the first crossing ends the lead-in; 20 (24) half cycles follow
        boundaries_[boundary_count_++] = *boundary;
        break;
      }
      boundaries_[boundary_count_++] = *boundary;
    }
    if (boundary_count_ < 1 + (lead_in_ ? 1 : 0) + half_cycles_) continue;
    const double end = boundaries_[boundary_count_ - 1].position;
    const auto last_tap = static_cast<std::int64_t>(std::ceil(end)) +
                          static_cast<std::int64_t>(Resampler::taps_after) + 4;
    if (written_ <= last_tap) return;
    compute_interval(lead_in_ ? 1 : 0, boundary_count_ - 1, boundary_count_ - 1);
    boundaries_[0] = boundaries_[boundary_count_ - 1];
    boundary_count_ = 1;
    first_interval_ = false;
    lead_in_ = false;
  }
}

void MetrologyEngine::flush_partial() {
  const double end = static_cast<double>(written_) - 0.5;
  if (ready_count_ == ready_capacity) return;
  if (boundary_count_ >= boundaries_max || end - boundaries_[boundary_count_ - 1].position < 1.0) {
    return;
  }
  // The taps past the last sample read zeros.
  for (std::size_t c = 0; c < channel_count; ++c) {
    float* tail = channel_at(static_cast<Channel>(c), written_);
    std::fill(tail, tail + Resampler::taps_after + 8, 0.0F);
  }
  boundaries_[boundary_count_++] = Boundary{.position = end, .measured = false, .rising = false};
  // The half cycles completed so far, and of them the whole cycles for the spectra; the tail
  // after the last boundary counts for the sums only.
  const std::size_t half_cycle_last = boundary_count_ - 2;
  const std::size_t window_first = lead_in_ && half_cycle_last >= 1 ? 1 : 0;
  const std::size_t whole_half_cycles =
      half_cycle_last >= window_first ? 2 * ((half_cycle_last - window_first) / 2) : 0;
  compute_interval(window_first, window_first + whole_half_cycles,
                   std::max(half_cycle_last, window_first));
  boundaries_[0] = boundaries_[boundary_count_ - 1];
  boundary_count_ = 1;
  first_interval_ = false;
  lead_in_ = false;
}

const Measurement& MetrologyEngine::pop_ready() {
  assert(ready_count_ > 0);
  delivered_ = ready_head_;
  const Measurement& m = ready_[ready_head_].measurement;
  ready_head_ = (ready_head_ + 1) % ready_capacity;
  --ready_count_;
  return m;
}

void MetrologyEngine::compute_interval(std::size_t window_first, std::size_t window_last,
                                       std::size_t half_cycle_last) {
  assert(ready_count_ < ready_capacity);
  assert(window_first <= window_last && window_last < boundary_count_);
  assert(window_first <= half_cycle_last && half_cycle_last < boundary_count_);
  Completed& slot = ready_[(ready_head_ + ready_count_) % ready_capacity];
  ++ready_count_;
  ++interval_count_;
  Measurement& m = slot.measurement;
  m = Measurement{};
  std::array<HarmonicSpectrum, channel_count>& spectra = slot.spectra;
  const double start = boundaries_[0].position;
  const double end = boundaries_[boundary_count_ - 1].position;
  const double length = end - start;
  // Sums run over storage positions: the window moved by origin_ (an integer).
  const auto base = static_cast<double>(origin_);
  const double window_start = boundaries_[window_first].position;
  const double window_length = boundaries_[window_last].position - window_start;
  const std::size_t cycles = (window_last - window_first) / 2;
  const bool whole_cycles = cycles > 0;
  const std::size_t segments = boundary_count_ - 1;
  const std::size_t half_cycles = half_cycle_last - window_first;
  const double rate = config_.sample_rate_hz;
  m.start_utc_us = utc_us_at(start);
  m.duration_us = utc_us_at(end) - m.start_utc_us;
  m.connection = config_.connection;
  m.half_cycle_count = static_cast<std::uint8_t>(half_cycles);
  const double frequency =
      whole_cycles ? static_cast<double>(cycles) * rate / window_length : tracker_.frequency_hz();
  m.frequency_hz = frequency;
  // The whole cycles between measured crossings, for the 10-s frequency (clause 5.1.2); none
  // when a flywheel boundary stands among them.
  bool crossings_measured = whole_cycles;
  for (std::size_t j = window_first; j <= window_last && crossings_measured; ++j)
    crossings_measured = boundaries_[j].measured;
  if (crossings_measured) {
    const UtcMicros cycles_start = utc_us_at(window_start);
    m.cycle_count = static_cast<std::uint8_t>(cycles);
    m.cycles_offset_us = cycles_start - m.start_utc_us;
    m.cycles_duration_us = utc_us_at(boundaries_[window_last].position) - cycles_start;
  }

  const std::span<const Element> elements = elements_of(config_.connection);
  std::array<double, phase_count_max> current_rms{};
  for (const Element& e : elements) {
    const float* u = channel_at(e.voltage, origin_);
    const float* i = channel_at(e.current, origin_);
    // Voltage per half cycle (for Urms(1/2)), adding up to the interval.
    std::array<HalfCycleSums, boundaries_max> halves{};
    double sum_u = 0.0;
    double sum_uu = 0.0;
    for (std::size_t j = 0; j < segments; ++j) {
      const double a = boundaries_[j].position;
      const double b = boundaries_[j + 1].position;
      const std::array<double, 2> s = window_sums<2>(a - base, b - base, [u](std::int64_t n) {
        const Lanes4 x = load4(u + n);
        return std::array<Lanes4, 2>{x, x * x};
      });
      halves[j] = {s[0], s[1], b - a};
      sum_u += s[0];
      sum_uu += s[1];
    }
    const std::array<double, 3> s =
        window_sums<3>(start - base, end - base, [u, i](std::int64_t n) {
          const Lanes4 x = load4(u + n);
          const Lanes4 y = load4(i + n);
          return std::array<Lanes4, 3>{y, y * y, x * y};
        });
    // The DC offset from whole cycles only (not the lead-in of the first interval, nor the
    // tail of a flushed one); without a whole cycle, the last interval's.
    double window_sum_u = 0.0;
    for (std::size_t j = window_first; j < window_last; ++j)
      window_sum_u += halves[j].sum;
    const double mean_u = whole_cycles ? window_sum_u / window_length : voltage_mean_[e.phase];
    voltage_mean_[e.phase] = mean_u;
    const double mean_i = s[0] / length;
    PhaseMeasurement& phase = m.phases[e.phase];
    phase.voltage_v =
        root_mean_square(sum_uu - 2.0 * mean_u * sum_u + mean_u * mean_u * length, length);
    phase.current_a = root_mean_square(s[1], length);
    phase.active_power_w = s[2] / length - mean_u * mean_i;
    phase.apparent_power_va = phase.voltage_v * phase.current_a;
    phase.frequency_hz = frequency;
    current_rms[e.phase] = phase.current_a;

    // Urms(1/2): one cycle (this half and the one before), refreshed every half cycle.
    HalfCycleSums& previous = previous_half_[e.phase];
    for (std::size_t k = 0; k < half_cycles; ++k) {
      const std::size_t j = window_first + k;
      const HalfCycleSums& before = j > 0 ? halves[j - 1] : previous;
      const double sum = halves[j].sum + before.sum;
      const double squares = halves[j].sum_squares + before.sum_squares;
      const double span = halves[j].length + before.length;
      m.half_cycle_voltage_v[e.phase][k] = static_cast<float>(
          root_mean_square(squares - 2.0 * mean_u * sum + mean_u * mean_u * span, span));
    }
    if (half_cycle_last > 0) previous = halves[half_cycle_last - 1];
  }

  // Spectra: each voltage with its current in one FFT, resampled to fft_size points over
  // exactly `cycles` cycles, both scaled to about unit RMS first (see harmonic_analyzer.hpp).
  std::array<const float*, 6> inputs{};
  std::array<float, 6> gains{};
  std::array<float*, 3> outputs{};
  std::array<std::array<double, 2>, 3> scales{};
  const double voltage_floor = 1e-3 * config_.nominal_voltage_v;
  constexpr double current_floor = 1e-6;
  for (std::size_t k = 0; k < elements.size(); ++k) {
    const Element& e = elements[k];
    scales[k] = {std::max(m.phases[e.phase].voltage_v, voltage_floor),
                 std::max(m.phases[e.phase].current_a, current_floor)};
    inputs[2 * k] = channel_at(e.voltage, origin_);
    inputs[2 * k + 1] = channel_at(e.current, origin_);
    gains[2 * k] = static_cast<float>(1.0 / scales[k][0]);
    gains[2 * k + 1] = static_cast<float>(1.0 / scales[k][1]);
    outputs[k] = resampled_.data() + k * 2 * fft_size;
  }
  if (whole_cycles) {
    resampler_.resample_pairs(std::span(inputs.data(), 2 * elements.size()),
                              std::span(gains.data(), 2 * elements.size()), window_start - base,
                              window_length / static_cast<double>(fft_size), fft_size,
                              std::span(outputs.data(), elements.size()));
  }
  spectra = {};
  for (std::size_t k = 0; k < elements.size(); ++k) {
    const Element& e = elements[k];
    HarmonicSpectrum& u = spectra[static_cast<std::size_t>(e.voltage)];
    HarmonicSpectrum& i = spectra[static_cast<std::size_t>(e.current)];
    if (whole_cycles) {
      analyzers_[k].analyze_pair(outputs[k], cycles, scales[k],
                                 {0.01 * config_.nominal_voltage_v, no_load_current_a()}, u, i);
      last_spectra_[static_cast<std::size_t>(e.voltage)] = u;
      last_spectra_[static_cast<std::size_t>(e.current)] = i;
    } else {
      // A flushed tail shorter than a cycle: the last interval's spectra stand for it.
      u = last_spectra_[static_cast<std::size_t>(e.voltage)];
      i = last_spectra_[static_cast<std::size_t>(e.current)];
    }
    PhaseMeasurement& phase = m.phases[e.phase];
    phase.reactive_power_var = (u.fundamental * std::conj(i.fundamental)).imag();
    phase.voltage_thd_percent = u.thd_percent;
    phase.current_thd_percent = i.thd_percent;
    // Single harmonics relative to the fundamental, like THD (0 below the same floor).
    const double fundamental = u.subgroup_rms[1];
    const bool above_floor = fundamental > 0.01 * config_.nominal_voltage_v;
    for (std::size_t h = 2; h <= voltage_harmonic_order_max; ++h) {
      m.voltage_harmonic_percent[e.phase][h] =
          above_floor ? static_cast<float>(100.0 * u.subgroup_rms[h] / fundamental) : 0.0F;
    }
  }
  m.voltage_harmonics = true;

  // No-load: no P, Q or S below 80 % of the starting current (IEC 62053-21 8.3.2, 8.3.3).
  for (const Element& e : elements) {
    PhaseMeasurement& phase = m.phases[e.phase];
    if (current_rms[e.phase] < no_load_current_a()) {
      phase.active_power_w = 0.0;
      phase.reactive_power_var = 0.0;
      phase.apparent_power_va = 0.0;
    }
  }

  const std::complex<double> a_op = std::polar(1.0, 2.0 * std::numbers::pi / 3.0);
  std::complex<double> positive;
  std::complex<double> negative;
  switch (config_.connection) {
    case Connection::single_phase_2w: {
      m.neutral_current_a = m.phases[0].current_a;
      break;
    }
    case Connection::three_phase_4w: {
      const std::complex<double> v1 = spectra[0].fundamental;
      const std::complex<double> v2 = spectra[1].fundamental;
      const std::complex<double> v3 = spectra[2].fundamental;
      positive = (v1 + a_op * v2 + a_op * a_op * v3) / 3.0;
      negative = (v1 + a_op * a_op * v2 + a_op * v3) / 3.0;
      if (!config_.has_neutral_current) {
        const float* x = channel_at(Channel::i1, origin_);
        const float* y = channel_at(Channel::i2, origin_);
        const float* z = channel_at(Channel::i3, origin_);
        const std::array<double, 1> s =
            window_sums<1>(start - base, end - base, [x, y, z](std::int64_t n) {
              const Lanes4 sum = load4(x + n) + load4(y + n) + load4(z + n);
              return std::array<Lanes4, 1>{sum * sum};
            });
        m.neutral_current_a = root_mean_square(s[0], length);
      }
      break;
    }
    case Connection::three_phase_3w: {
      // Line voltages U12, U23 = -U32, U31 = U32 - U12; I2 = -(I1 + I3).
      const std::complex<double> v12 = spectra[0].fundamental;
      const std::complex<double> v23 = -spectra[2].fundamental;
      const std::complex<double> v31 = spectra[2].fundamental - spectra[0].fundamental;
      positive = (v12 + a_op * v23 + a_op * a_op * v31) / 3.0;
      negative = (v12 + a_op * a_op * v23 + a_op * v31) / 3.0;
      const float* u12 = channel_at(Channel::u1, origin_);
      const float* u32 = channel_at(Channel::u3, origin_);
      const float* i1 = channel_at(Channel::i1, origin_);
      const float* i3 = channel_at(Channel::i3, origin_);
      const std::array<double, 3> s =
          window_sums<3>(start - base, end - base, [u12, u32, i1, i3](std::int64_t n) {
            const Lanes4 u31 = load4(u32 + n) - load4(u12 + n);
            const Lanes4 i2 = load4(i1 + n) + load4(i3 + n);
            return std::array<Lanes4, 3>{u31, u31 * u31, i2 * i2};
          });
      const double mean_u31 = s[0] / length;
      const double u31_rms = root_mean_square(s[1] - mean_u31 * s[0], length);
      const double i2_rms = root_mean_square(s[2], length);
      const PhaseMeasurement& e1 = m.phases[0];
      const PhaseMeasurement& e3 = m.phases[2];
      const double voltage_e = std::sqrt(
          (e1.voltage_v * e1.voltage_v + e3.voltage_v * e3.voltage_v + u31_rms * u31_rms) / 9.0);
      const double current_e = std::sqrt(
          (e1.current_a * e1.current_a + i2_rms * i2_rms + e3.current_a * e3.current_a) / 3.0);
      const bool loaded =
          current_rms[0] >= no_load_current_a() || current_rms[2] >= no_load_current_a();
      const double apparent = loaded ? 3.0 * voltage_e * current_e : 0.0;
      const double active = e1.active_power_w + e3.active_power_w;
      const double power_factor = apparent > 0.0 ? std::clamp(active / apparent, -1.0, 1.0) : 1.0;
      for (const std::size_t p : {std::size_t{0}, std::size_t{2}}) {
        m.phases[p].apparent_power_va = apparent / 2.0;
        m.phases[p].power_factor = power_factor;
      }
      m.neutral_current_a = 0.0;
      break;
    }
  }
  if (config_.has_neutral_current) {
    const float* x = channel_at(Channel::i_neutral, origin_);
    const std::array<double, 1> s = window_sums<1>(start - base, end - base, [x](std::int64_t n) {
      const Lanes4 y = load4(x + n);
      return std::array<Lanes4, 1>{y * y};
    });
    m.neutral_current_a = root_mean_square(s[0], length);
  }
  if (config_.connection != Connection::three_phase_3w) {
    for (const Element& e : elements) {
      PhaseMeasurement& phase = m.phases[e.phase];
      phase.power_factor =
          phase.apparent_power_va > 0.0
              ? std::clamp(phase.active_power_w / phase.apparent_power_va, -1.0, 1.0)
              : 1.0;
    }
  }
  slot.unbalance_percent = std::abs(positive) > 1e-9 * config_.nominal_voltage_v
                               ? 100.0 * std::abs(negative) / std::abs(positive)
                               : 0.0;
  m.voltage_unbalance_percent = slot.unbalance_percent;
}

}  // namespace gridmeter::metrology
