// ReferenceTracker: finds the zero crossings of the fundamental of the reference voltage and
// turns them into the half-cycle boundaries that the metrology engine cuts its intervals at.
//
//   ReferenceTracker tracker(ReferenceTracker::Setup{.sample_rate_hz = 8000.0,
//                                                    .nominal_frequency_hz = 50.0,
//                                                    .nominal_peak = 325.0,
//                                                    .start_utc_us = t0});
//   tracker.feed(u1_samples, count);              // any block size, in stream order
//   while (auto b = tracker.pop()) use(b->position);   // fractional sample index
//
// Method. The reference channel is averaged over groups of D samples (D = sample rate / 2 kHz,
// rounded down, at least 1) and the averages run through a band-pass (Q = 1) and a 2nd-order
// Butterworth low-pass, both centred on the nominal frequency. That removes DC and attenuates
// the 3rd harmonic 18 times and the 5th 90 times (relative to the fundamental), so harmonics cannot
// add crossings (IEC 61000-4-30 clause 5.1 asks for this). A crossing of the filtered signal is
// located by a cubic through four filtered values, then moved back by the filters' phase delay at
// the measured frequency, so it lands on the zero crossing of the fundamental itself. Hysteresis
// (10 % of the last half cycle's peak, and at least 5 % of the nominal peak) keeps noise from
// adding crossings; below 5 % of nominal there is no voltage to synchronise to.
//
// Boundaries. A crossing becomes a boundary if it comes at least half a half-period after the
// previous boundary. If none comes within 1.5 half-periods, a flywheel boundary is placed one
// half-period after the previous one, so the half-cycle series and the interval clock keep
// running through dips, interruptions and a missing voltage; after a whole interval without
// crossings the flywheel period returns to nominal (the fall back to nominal-length
// intervals). The first crossing after the filters have settled (1 cycle, then 8 half cycles
// of steady amplitude and one measured period) ends the lead-in of the first interval.
// After an amplitude step (a half-cycle peak 3 % off the one before) the filters ring and move
// the crossings by up to 6 % of a half cycle: for the next 8 half cycles a crossing within
// 15 % of where the period puts it is placed there, and the period is not re-measured. To
// tell, each crossing waits for the peak of the half cycle it starts.
//
// 10-s frequency (IEC 61000-4-30 clause 5.1): the number of whole cycles between
// rising crossings of the filter output inside each 10-s interval of the UTC clock, divided by
// their cumulative duration; cycles that overlap a 10-s boundary are discarded.
//
// Everything here depends only on the samples, never on how they were split into blocks.
#pragma once

#include <array>     // std::array
#include <cstddef>   // std::size_t
#include <cstdint>   // std::int64_t
#include <optional>  // std::optional

#include "core/time.hpp"

namespace gridmeter::metrology {

struct Boundary {
  double position = 0.0;  // in samples since the stream's first sample (sample n is at n)
  bool measured = false;  // a detected zero crossing; false for a flywheel boundary
  bool rising = false;    // polarity of a measured crossing
};

class ReferenceTracker {
 public:
  struct Setup {
    double sample_rate_hz = 8000.0;
    double nominal_frequency_hz = 50.0;
    double nominal_peak = 325.27;  // peak of the nominal reference voltage
    UtcMicros start_utc_us = 0;
  };

  // Lowest and highest frequency the tracker follows, relative to nominal. The required range
  // is 42.5..57.5 Hz and 51..69 Hz (±15 %); this leaves margin on both sides.
  static constexpr double frequency_min_rel = 0.75;
  static constexpr double frequency_max_rel = 1.45;
  // Boundaries are held until consumed; the engine consumes them every chunk of
  // `feed_samples_max` samples, which can hold at most ~20 crossings even at 16 kHz.
  static constexpr std::size_t queue_capacity = 128;
  static constexpr std::size_t feed_samples_max = 512;

  explicit ReferenceTracker(const Setup& setup);

  // Consumes `count` (<= feed_samples_max) further samples of the reference channel.
  void feed(const float* samples, std::size_t count);

  // The oldest boundary not yet popped, if any.
  std::optional<Boundary> pop();
  [[nodiscard]] std::size_t pending() const { return queue_count_; }

  // Samples consumed so far.
  [[nodiscard]] std::int64_t samples_seen() const { return samples_seen_; }

  // Current estimate of the fundamental frequency (nominal until measured).
  [[nodiscard]] double frequency_hz() const { return frequency_hz_; }

  // The last completed 10-s value; 0 until one 10-s interval has completed with cycles in it.
  [[nodiscard]] double frequency_10s_hz() const { return frequency_10s_hz_; }
  // Start of the 10-s interval that frequency_10s_hz() belongs to.
  [[nodiscard]] UtcMicros frequency_10s_start_utc_us() const { return frequency_10s_start_us_; }

  // Filter phase delay at `frequency_hz`, in input samples (boxcar and biquads).
  [[nodiscard]] double delay_samples(double frequency_hz) const;

 private:
  struct Biquad {
    double b0 = 0.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0;
    double s1 = 0.0, s2 = 0.0;
    double step(double x) {
      const double y = b0 * x + s1;
      s1 = b1 * x - a1 * y + s2;
      s2 = b2 * x - a2 * y;
      return y;
    }
  };

  void on_filtered(double y);
  // A crossing of the filter output (`raw`: not yet moved back by the filter delay).
  void on_raw_crossing(double raw, bool rising, double half_cycle_peak);
  // `ringing`: the filters may still be ringing after an amplitude step.
  void on_crossing(double position, bool rising, bool ringing);
  void accept(const Boundary& boundary);
  void push(const Boundary& boundary);
  // Places due flywheel boundaries (and a pending crossing that waited in vain); only called
  // once the stream has passed deadline_, the earliest time it could have anything to do.
  void check_flywheel();
  void update_deadline();
  // Places flywheel boundaries until `until` is within 1.5 half periods of the last one: so
  // boundaries are never further apart than that, whatever the input.
  void fill_gap(double until);
  [[nodiscard]] double give_up_position() const;
  void count_cycle(double begin, double end);
  void set_half_period(double half_period_samples);
  [[nodiscard]] double utc_us_at(double position) const;

  Setup setup_;
  std::int64_t decimation_ = 1;
  double nominal_half_period_ = 0.0;  // samples
  double half_period_min_ = 0.0;
  double half_period_max_ = 0.0;
  double hysteresis_floor_ = 0.0;
  double settle_position_ = 0.0;    // crossings before this are filter transients
  double detection_lag_max_ = 0.0;  // samples between a crossing and its detection, at most

  Biquad band_pass_;
  Biquad low_pass_;
  double group_sum_ = 0.0;
  std::int64_t group_fill_ = 0;
  std::int64_t group_index_ = 0;  // index of the next decimated value
  std::array<double, 4> history_{};
  std::int64_t history_count_ = 0;
  bool armed_rising_ = false;
  bool armed_falling_ = false;
  double peak_ = 0.0;
  double last_peak_ = 0.0;
  std::int64_t quiet_values_ = 0;  // filtered values since the last crossing or peak reset
  std::int64_t quiet_values_max_ = 0;

  std::int64_t samples_seen_ = 0;
  double frequency_hz_ = 0.0;
  double half_period_ = 0.0;  // samples: expected spacing of boundaries
  double delay_ = 0.0;        // samples: filter delay at frequency_hz_
  // delay_samples() over the tracked range, for set_half_period().
  std::array<double, 1024> delay_table_{};
  double delay_table_first_hz_ = 0.0;
  double delay_table_step_hz_ = 0.0;

  bool acquired_ = false;          // the first boundary after the lead-in has been placed
  Boundary last_{};                // last boundary placed
  std::int64_t flywheel_run_ = 0;  // consecutive flywheel boundaries
  double deadline_ = 0.0;          // see check_flywheel()
  bool estimated_ = false;         // a period has been measured since the filters settled

  // The last three crossings of the filter output, newest first.
  std::array<double, 3> raw_{};
  std::array<bool, 3> raw_rising_{};
  // The newest crossing (delay compensated), waiting for the next half cycle's peak.
  bool pending_ = false;
  double pending_position_ = 0.0;
  bool pending_rising_ = false;
  std::int64_t raw_count_ = 0;
  double previous_half_peak_ = 0.0;
  std::int64_t ringing_half_cycles_ = 0;  // half cycles until the filters have settled

  std::int64_t window_index_ = -1;  // 10-s UTC interval being counted
  std::int64_t window_cycles_ = 0;
  double window_duration_ = 0.0;
  double frequency_10s_hz_ = 0.0;
  UtcMicros frequency_10s_start_us_ = 0;

  std::array<Boundary, queue_capacity> queue_{};
  std::size_t queue_head_ = 0;
  std::size_t queue_count_ = 0;
};

}  // namespace gridmeter::metrology
