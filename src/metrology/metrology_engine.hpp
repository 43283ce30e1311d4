// MetrologyEngine: sampled voltages and currents in, one Measurement per IEC 61000-4-30
// measurement interval out (10 cycles at 50 Hz, 12 at 60 Hz, about 200 ms).
//
//   auto engine = MetrologyEngine::create({.connection = Connection::three_phase_4w,
//                                          .nominal_frequency_hz = 50.0,
//                                          .sample_rate_hz = 8000.0});
//   if (!engine) { fmt::print(stderr, "{}\n", engine.error().message); return 1; }
//   while (source.read(buffer).value() > 0)
//     engine->process(buffer, [&](const Measurement& m) { meter.advance(m); });
//   engine->flush([&](const Measurement& m) { meter.advance(m); });   // the last partial one
//   engine->harmonics(Channel::i1).subgroup_rms[3];                   // 3rd harmonic of I1
//
// Blocks may have any size: the engine keeps its own copy of the recent samples, and its output
// does not depend on how the stream was cut (tested bit for bit). process() does not allocate.
//
// Intervals (IEC 61000-4-30 clause 4.4). Boundaries are zero crossings of the fundamental of
// the reference channel u1 (U12 for the 3-wire connection), found by ReferenceTracker, so an
// interval is exactly 10 (12) cycles of the real frequency and its duration follows it. Every
// quantity is computed over exactly that window: a sample straddling a boundary is split
// between the two intervals by the fraction of its period on each side (sample n stands for
// [n - 1/2, n + 1/2)). Without voltage the flywheel gives nominal-length intervals.
// Timestamps are the stream's start time + (fractional) sample position / sample rate,
// rounded to the µs; each interval starts exactly where the previous ended. The first interval
// starts at the first sample and also holds the lead-in before the first accepted crossing
// (the filters settle and a first period is measured: about 5 cycles), so it is about 15
// cycles long; its DC offset and spectrum come from its last 10 (12) whole cycles.
//
// Per phase, over the interval window of length T:
//   DC: the mean of each voltage is removed (a DC voltage at the meter is an offset of its
//     front end, not energy). Currents keep theirs: a half-wave rectifier really draws DC, and
//     its true RMS includes it. Active power is therefore the true mean of u_ac·i, computed as
//     mean(u·i) - mean(u)·mean(i): exact for any current, and blind to voltage offsets.
//   U, I = RMS over T; S = U·I; PF = P / S, signed like P (1 when S is 0).
//   P = mean(u_ac · i) (all harmonics).
//   Q = Im(U1 · conj(I1)) of the fundamental phasors (IEC 62053-24 fundamental reactive
//     power, positive for an inductive import), from the FFT of the synchronised window: right
//     at any frequency in the tracked range and blind to harmonics.
//   THD, subgroups: HarmonicAnalyzer on the window resampled to 1024 points (see
//     resampler.hpp, harmonic_analyzer.hpp).
//   Urms(1/2) (clause 5.4.2): RMS over one cycle, refreshed every half cycle, per voltage; the
//     value at half cycle k covers half cycles k - 1 and k (the first of an interval reaches
//     into the previous interval). All voltages use the reference channel's crossings.
// Totals: the meter adds the phases' P and Q (vector sum) and their S (arithmetic sum).
// 3-wire (Aron): phases[0] holds element U12/I1 and phases[2] element U32/I3; P and Q per
//   element add up to the true totals of a 3-wire system. S per element is half the effective
//   apparent power of IEEE 1459 (S_e = 3·U_e·I_e, U_e² = (U12² + U23² + U31²) / 9,
//   I_e² = (I1² + I2² + I3²) / 3, I2 = -(I1 + I3)), so the arithmetic sum is S_e, and both
//   elements carry the system power factor P / S_e: a single element's P / S means nothing.
// Neutral current: the measured channel if there is one, else the RMS of i1 + i2 + i3 sample by
//   sample (every harmonic, not only the fundamental phasors); I1 for single phase; 0 for 3-wire.
// Unbalance u2 (clause 5.7.1): |negative| / |positive| sequence of the fundamental voltage
//   phasors (line voltages for 3-wire), in percent, in Measurement::voltage_unbalance_percent
//   (0 for single phase). A reversed phase sequence makes the positive sequence the small one:
//   u2 is then large (thousands of percent), which is what it is.
// No-load (IEC 62053-21 clause 8.3.2) and starting (8.3.3): a phase whose current RMS is below
//   80 % of the starting current registers no P, Q and S in that interval. The 20 % margin lets
//   a load of exactly the starting current register despite the meter's own tolerance.
// Frequency: per interval, cycles / window duration (on the flywheel: its frequency, the last
//   measured one, nominal after a whole interval); the 10-s value of clause 5.1 from
//   frequency_10s_hz().
//
// Bad samples: a non-finite sample is replaced by 0 and a finite one beyond ±1e6 (V or A, far
// outside any meter input) is clamped to it, each counted. The reference filters forget such a
// burst within about 0.1 s and the crossing hysteresis within two half periods; nothing else
// outlives the interval a bad sample falls in (tested, and fuzzed).
//
// Results are the same bits on every x86-64 CPU, with or without AVX2 (resampler.hpp).
#pragma once

#include <algorithm>  // std::min
#include <array>      // std::array
#include <cstddef>    // std::size_t
#include <cstdint>    // std::int64_t, std::uint64_t
#include <vector>     // std::vector

#include "core/result.hpp"
#include "core/time.hpp"
#include "meter/measurement.hpp"
#include "metrology/harmonic_analyzer.hpp"
#include "metrology/reference_tracker.hpp"
#include "metrology/resampler.hpp"
#include "metrology/samples.hpp"

namespace gridmeter::metrology {

struct MetrologyConfig {
  Connection connection = Connection::single_phase_2w;
  double nominal_frequency_hz = 50.0;  // 50 or 60
  double sample_rate_hz = 8000.0;      // 2400..16000, any value (need not be a multiple of f)
  double nominal_voltage_v = 230.0;    // phase to neutral
  double starting_current_a = 0.020;   // Ist of IEC 62053-21
  bool has_neutral_current = false;    // i_neutral carries a measured neutral current
  UtcMicros start_utc_us = 0;          // time of the first sample
};

inline constexpr double sample_rate_min_hz = 2400.0;
inline constexpr double sample_rate_max_hz = 16000.0;
// Bad samples are clamped to this magnitude (V or A).
inline constexpr float sample_magnitude_max = 1.0e6F;

// OK, or an error naming the first invalid field.
[[nodiscard]] Status validate(const MetrologyConfig& config);

// The config a waveform source describes (nominal voltage and starting current at defaults).
MetrologyConfig config_from_stream(const StreamInfo& info);

class MetrologyEngine {
 public:
  static Result<MetrologyEngine> create(const MetrologyConfig& config);

  MetrologyEngine(const MetrologyEngine&) = delete;
  MetrologyEngine& operator=(const MetrologyEngine&) = delete;
  MetrologyEngine(MetrologyEngine&&) = default;
  MetrologyEngine& operator=(MetrologyEngine&&) = default;
  ~MetrologyEngine() = default;

  // Consumes buffer.count() sample instants; calls on_measurement(const Measurement&) for
  // every interval completed by them, in time order.
  template <typename OnMeasurement>
  void process(const SampleBuffer& buffer, OnMeasurement&& on_measurement) {
    std::size_t offset = 0;
    while (offset < buffer.count()) {
      offset += consume(buffer, offset);
      while (ready_count_ > 0)
        on_measurement(pop_ready());
    }
  }

  // At the end of a stream: emits the interval in progress, cut at the end of the last
  // sample's period, so that no energy is lost. Its spectra, Q, THD, DC offset and frequency
  // come from the whole cycles it holds (from the last interval if it holds none). The next
  // interval starts there.
  template <typename OnMeasurement>
  void flush(OnMeasurement&& on_measurement) {
    flush_partial();
    while (ready_count_ > 0)
      on_measurement(pop_ready());
  }

  [[nodiscard]] const MetrologyConfig& config() const { return config_; }

  // Spectrum of channel u1..i3 over the interval last delivered to the callback (also while
  // the callback runs); i_neutral has none (all zero).
  [[nodiscard]] const HarmonicSpectrum& harmonics(Channel channel) const;
  // u2 of the interval last delivered, percent (IEC 61000-4-30 clause 5.7.1).
  [[nodiscard]] double voltage_unbalance_percent() const {
    return ready_[delivered_].unbalance_percent;
  }
  // The last completed 10-s frequency (clause 5.1); 0 until one is complete.
  [[nodiscard]] double frequency_10s_hz() const { return tracker_.frequency_10s_hz(); }
  [[nodiscard]] UtcMicros frequency_10s_start_utc_us() const {
    return tracker_.frequency_10s_start_utc_us();
  }
  [[nodiscard]] std::uint64_t interval_count() const { return interval_count_; }
  [[nodiscard]] std::uint64_t non_finite_sample_count() const { return non_finite_count_; }
  [[nodiscard]] std::uint64_t clamped_sample_count() const { return clamped_count_; }
  // Phase current below which an interval registers no energy: 80 % of the starting current.
  [[nodiscard]] double no_load_current_a() const { return 0.8 * config_.starting_current_a; }

 private:
  static constexpr std::size_t ready_capacity = 8;
  // Interval start, lead-in end and up to 24 half cycles.
  static constexpr std::size_t boundaries_max = half_cycles_max + 2;

  explicit MetrologyEngine(const MetrologyConfig& config);

  std::size_t consume(const SampleBuffer& buffer, std::size_t offset);
  void copy_in(const SampleBuffer& buffer, std::size_t offset, std::size_t count);
  void make_room(std::size_t count);
  void assemble();
  // Computes the interval over boundaries_[0..boundary_count_) into the ready queue. Its
  // half cycles run from boundary `window_first` (after a lead-in) to `half_cycle_last`; the
  // spectra, the DC offset and the frequency come from the whole cycles between boundaries
  // `window_first` and `window_last` (the same in every interval but a flushed one).
  void compute_interval(std::size_t window_first, std::size_t window_last,
                        std::size_t half_cycle_last);
  void flush_partial();
  const Measurement& pop_ready();

  [[nodiscard]] const float* channel_at(Channel channel, std::int64_t index) const {
    return storage_.data() + static_cast<std::size_t>(channel) * stride_ +
           static_cast<std::size_t>(index - origin_);
  }
  [[nodiscard]] float* channel_at(Channel channel, std::int64_t index) {
    return storage_.data() + static_cast<std::size_t>(channel) * stride_ +
           static_cast<std::size_t>(index - origin_);
  }
  [[nodiscard]] UtcMicros utc_us_at(double position) const;

  MetrologyConfig config_;
  std::size_t half_cycles_ = 20;  // per interval: 20 at 50 Hz, 24 at 60 Hz
  ReferenceTracker tracker_;
  Resampler resampler_;
  std::vector<HarmonicAnalyzer> analyzers_;  // one per voltage and current pair

  // Recent samples, channel after channel, `stride_` floats each; storage index 0 holds the
  // sample at `origin_` (negative at the start: zeros before the stream, for the FFT taps).
  std::vector<float> storage_;
  std::size_t capacity_ = 0;
  std::size_t stride_ = 0;
  std::int64_t origin_ = 0;
  std::int64_t written_ = 0;  // index of the next sample

  // The interval being assembled: boundaries_[0] is its start.
  std::array<Boundary, boundaries_max> boundaries_{};
  std::size_t boundary_count_ = 0;
  bool first_interval_ = true;
  bool lead_in_ = false;  // the first interval opens with a lead-in segment

  // The last half cycle of the previous interval, per voltage slot: sum of u, of u², length.
  struct HalfCycleSums {
    double sum = 0.0;
    double sum_squares = 0.0;
    double length = 0.0;
  };
  std::array<HalfCycleSums, phase_count_max> previous_half_{};
  // The last interval's voltage DC offsets and spectra, for a flushed tail without a whole
  // cycle.
  std::array<double, phase_count_max> voltage_mean_{};
  std::array<HarmonicSpectrum, channel_count> last_spectra_{};

  std::vector<float> resampled_;  // fft_size complex points (interleaved) per pair

  // Completed intervals waiting for the callback, with what the accessors report for them.
  struct Completed {
    Measurement measurement;
    std::array<HarmonicSpectrum, channel_count> spectra{};
    double unbalance_percent = 0.0;
  };
  std::array<Completed, ready_capacity> ready_{};
  std::size_t ready_head_ = 0;
  std::size_t ready_count_ = 0;
  std::size_t delivered_ = 0;  // slot of the interval last handed out

  std::uint64_t interval_count_ = 0;
  std::uint64_t non_finite_count_ = 0;
  std::uint64_t clamped_count_ = 0;
};

}  // namespace gridmeter::metrology
