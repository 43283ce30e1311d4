#include "metrology/reference_tracker.hpp"

#include <algorithm>  // std::max, std::clamp
#include <cassert>    // assert
#include <cmath>      // std::cos, std::sin, std::floor, std::isfinite
#include <complex>    // std::complex, std::arg, std::abs
#include <limits>     // std::numeric_limits
#include <numbers>    // std::numbers::pi

namespace gridmeter::metrology {
namespace {

constexpr double two_pi = 2.0 * std::numbers::pi;
// The decimated rate the filters run at: 2..4 kHz keeps 40+ values per cycle for the cubic.
constexpr double decimated_rate_target_hz = 2000.0;
constexpr double band_pass_q = 1.0;
constexpr double low_pass_q = 0.70710678118654752;  // Butterworth
constexpr double hysteresis_rel = 0.1;              // of the last half cycle's peak
constexpr double voltage_present_rel = 0.05;        // of the nominal peak
constexpr double settle_cycles = 1.0;
// Consecutive half-cycle peaks closer than this count as no amplitude change (the peak of the
// decimated values wobbles by up to 0.6 % at 29 values per cycle).
constexpr double still_peak_rel = 0.97;
constexpr std::int64_t ringing_hold_half_cycles = 8;
// A crossing further than this from the expected one is a real phase change, not ringing.
constexpr double ringing_tolerance_rel = 0.15;
constexpr double accept_early_rel = 0.5;  // of a half period
constexpr double accept_late_rel = 1.5;
// Later than a healthy acquisition: settling, 8 steady half cycles, one period, one half cycle.
constexpr double acquire_give_up_half_periods = 16.0;
constexpr std::int64_t micros_per_10s = 10 * micros_per_second;

// Frequency response of a biquad with a0 = 1 at `omega` rad/sample.
std::complex<double> response(double b0, double b1, double b2, double a1, double a2, double omega) {
  const std::complex<double> z1 = std::polar(1.0, -omega);
  const std::complex<double> z2 = z1 * z1;
  return (b0 + b1 * z1 + b2 * z2) / (1.0 + a1 * z1 + a2 * z2);
}

// The zero in [0, 1] of the cubic through (-2, f0), (-1, f1), (0, f2), (1, f3), where f2 and f3
// have opposite signs; Newton from the chord, falling back to the chord if it strays.
double cubic_root(const std::array<double, 4>& f) {
  const double a = f[2];
  const double c = (f[3] + f[1]) / 2.0 - a;
  const double d = ((a + 4.0 * c - f[0]) - (f[3] - f[1])) / 6.0;
  const double b = (f[3] - f[1]) / 2.0 - d;
  const double chord = f[2] / (f[2] - f[3]);
  double s = chord;
  for (int iteration = 0; iteration < 4; ++iteration) {
    const double value = a + s * (b + s * (c + s * d));
    const double slope = b + s * (2.0 * c + s * 3.0 * d);
    if (slope == 0.0) break;
    s -= value / slope;
  }
  if (!std::isfinite(s) || s < 0.0 || s > 1.0) return chord;
  return s;
}

}  // namespace

ReferenceTracker::ReferenceTracker(const Setup& setup) : setup_(setup) {
  const double rate = setup_.sample_rate_hz;
  const double nominal = setup_.nominal_frequency_hz;
  decimation_ =
      std::max<std::int64_t>(1, static_cast<std::int64_t>(rate / decimated_rate_target_hz));
  const double omega0 = two_pi * nominal * static_cast<double>(decimation_) / rate;
  const double cos0 = std::cos(omega0);
  {
    // Band-pass, 0 dB at the centre (RBJ audio EQ cookbook form).
    const double alpha = std::sin(omega0) / (2.0 * band_pass_q);
    const double a0 = 1.0 + alpha;
    band_pass_ = {.b0 = alpha / a0,
                  .b1 = 0.0,
                  .b2 = -alpha / a0,
                  .a1 = -2.0 * cos0 / a0,
                  .a2 = (1.0 - alpha) / a0};
  }
  {
    const double alpha = std::sin(omega0) / (2.0 * low_pass_q);
    const double a0 = 1.0 + alpha;
    low_pass_ = {.b0 = (1.0 - cos0) / 2.0 / a0,
                 .b1 = (1.0 - cos0) / a0,
                 .b2 = (1.0 - cos0) / 2.0 / a0,
                 .a1 = -2.0 * cos0 / a0,
                 .a2 = (1.0 - alpha) / a0};
  }
  const double gain0 = std::abs(
      response(band_pass_.b0, band_pass_.b1, band_pass_.b2, band_pass_.a1, band_pass_.a2, omega0) *
      response(low_pass_.b0, low_pass_.b1, low_pass_.b2, low_pass_.a1, low_pass_.a2, omega0));
  hysteresis_floor_ = voltage_present_rel * setup_.nominal_peak * gain0;
  nominal_half_period_ = rate / (2.0 * nominal);
  half_period_min_ = rate / (2.0 * nominal * frequency_max_rel);
  half_period_max_ = rate / (2.0 * nominal * frequency_min_rel);
  settle_position_ = settle_cycles * rate / nominal;
  quiet_values_max_ =
      static_cast<std::int64_t>(2.0 * half_period_max_ / static_cast<double>(decimation_)) + 1;
  detection_lag_max_ =
      delay_samples(nominal * frequency_min_rel) + 3.0 * static_cast<double>(decimation_) + 2.0;
  delay_table_first_hz_ = nominal * frequency_min_rel;
  delay_table_step_hz_ = nominal * (frequency_max_rel - frequency_min_rel) /
                         static_cast<double>(delay_table_.size() - 1);
  for (std::size_t k = 0; k < delay_table_.size(); ++k) {
    delay_table_[k] =
        delay_samples(delay_table_first_hz_ + static_cast<double>(k) * delay_table_step_hz_);
  }
  set_half_period(nominal_half_period_);
  update_deadline();
}

double ReferenceTracker::delay_samples(double frequency_hz) const {
  const auto d = static_cast<double>(decimation_);
  const double omega = two_pi * frequency_hz * d / setup_.sample_rate_hz;
  const std::complex<double> h =
      response(band_pass_.b0, band_pass_.b1, band_pass_.b2, band_pass_.a1, band_pass_.a2, omega) *
      response(low_pass_.b0, low_pass_.b1, low_pass_.b2, low_pass_.a1, low_pass_.a2, omega);
  // Over the tracked range the phase stays inside (-pi, 0): no unwrapping needed.
  return -std::arg(h) / omega * d;
}

void ReferenceTracker::set_half_period(double half_period_samples) {
  half_period_ = std::clamp(half_period_samples, half_period_min_, half_period_max_);
  frequency_hz_ = setup_.sample_rate_hz / (2.0 * half_period_);
  // The delay from the table (linear between points 0.07 % of nominal apart: within 3e-5
  // samples of delay_samples(), 2 ns at 16 kHz, and no atan2 per crossing).
  const double index = (frequency_hz_ - delay_table_first_hz_) / delay_table_step_hz_;
  const auto below = std::min(static_cast<std::size_t>(index), delay_table_.size() - 2);
  const double fraction = index - static_cast<double>(below);
  delay_ = delay_table_[below] + fraction * (delay_table_[below + 1] - delay_table_[below]);
}

void ReferenceTracker::feed(const float* samples, std::size_t count) {
  assert(count <= feed_samples_max);
  const auto group = static_cast<double>(decimation_);
  std::size_t i = 0;
  while (i < count) {
    // The rest of the current group of D samples (the engine has replaced non-finite ones).
    const auto take = std::min(count - i, static_cast<std::size_t>(decimation_ - group_fill_));
    double sum = 0.0;
    for (std::size_t k = 0; k < take; ++k)
      sum += static_cast<double>(samples[i + k]);
    i += take;
    group_sum_ += sum;
    group_fill_ += static_cast<std::int64_t>(take);
    samples_seen_ += static_cast<std::int64_t>(take);
    if (group_fill_ < decimation_) break;
    const double y = low_pass_.step(band_pass_.step(group_sum_ / group));
    group_sum_ = 0.0;
    group_fill_ = 0;
    on_filtered(y);
    ++group_index_;
    if (static_cast<double>(samples_seen_ - 1) > deadline_) check_flywheel();
  }
  // A stable filter cannot leave finite bounds from finite input, but a state that did would
  // stop all crossings for good: restart it instead.
  if (!std::isfinite(band_pass_.s1 + band_pass_.s2 + low_pass_.s1 + low_pass_.s2 + group_sum_)) {
    band_pass_.s1 = band_pass_.s2 = low_pass_.s1 = low_pass_.s2 = group_sum_ = 0.0;
  }
}

void ReferenceTracker::on_filtered(double y) {
  history_ = {history_[1], history_[2], history_[3], y};
  ++history_count_;
  peak_ = std::max(peak_, std::abs(y));
  // Without crossings for longer than any half cycle, the hysteresis follows the level of
  // that stretch: a burst of huge samples must not leave a threshold that nothing reaches.
  if (++quiet_values_ > quiet_values_max_) {
    last_peak_ = peak_;
    peak_ = 0.0;
    quiet_values_ = 0;
  }
  const double threshold = std::max(hysteresis_rel * last_peak_, hysteresis_floor_);
  if (y < -threshold) armed_rising_ = true;
  if (y > threshold) armed_falling_ = true;
  if (history_count_ < 4) return;
  const double before = history_[2];
  bool rising = false;
  if (armed_rising_ && before < 0.0 && y >= 0.0) {
    rising = true;
    armed_rising_ = false;
  } else if (armed_falling_ && before > 0.0 && y <= 0.0) {
    armed_falling_ = false;
  } else {
    return;
  }
  const auto d = static_cast<double>(decimation_);
  const double decimated = static_cast<double>(group_index_ - 1) + cubic_root(history_);
  // Decimated value j averages input samples jD .. jD + D - 1: its centre is jD + (D - 1) / 2.
  const double raw = decimated * d + (d - 1.0) / 2.0;
  const double half_cycle_peak = peak_;
  last_peak_ = peak_;
  peak_ = 0.0;
  quiet_values_ = 0;
  on_raw_crossing(raw, rising, half_cycle_peak);
}

void ReferenceTracker::on_raw_crossing(double raw, bool rising, double half_cycle_peak) {
  // After an amplitude step the filters ring for a few half cycles and move the crossings by
  // up to 6 % of a half cycle. The crossing that ends the last steady half cycle moves before
  // the next half cycle's peak shows the step, so a crossing is judged one half cycle late,
  // with the peak of the half cycle it starts.
  const bool still = half_cycle_peak >= still_peak_rel * previous_half_peak_ &&
                     previous_half_peak_ >= still_peak_rel * half_cycle_peak;
  previous_half_peak_ = half_cycle_peak;
  ringing_half_cycles_ =
      still ? std::max<std::int64_t>(0, ringing_half_cycles_ - 1) : ringing_hold_half_cycles;
  const bool ringing = ringing_half_cycles_ > 0;
  if (pending_) {
    pending_ = false;
    on_crossing(pending_position_, pending_rising_, ringing);
  }
  // The period of the cycle that ended at the previous crossing, once the half cycle after it
  // has shown no ringing. Measured on the filter output before the delay compensation, so
  // the estimate does not feed back through it, and over a whole cycle, so an asymmetry
  // between the half cycles cancels.
  const double period = raw_[0] - raw_[2];
  if (raw_count_ >= 3 && raw_rising_[2] == raw_rising_[0] && raw_rising_[1] != raw_rising_[0] &&
      period >= 2.0 * half_period_min_ && period <= 2.0 * half_period_max_ && !ringing &&
      raw_[2] >= settle_position_) {
    set_half_period(period / 2.0);
    estimated_ = true;
  }
  // 10-s frequency: whole cycles between rising crossings of the filter output, once the
  // filters have settled after the start (a start-up transient would bias the first cycle)
  // and not while they ring after an amplitude step.
  const double cycle = raw - raw_[1];
  if (rising && estimated_ && !ringing && raw_count_ >= 2 && raw_rising_[1] && !raw_rising_[0] &&
      cycle >= 2.0 * half_period_min_ && cycle <= 2.0 * half_period_max_) {
    count_cycle(raw_[1], raw);
  }
  raw_ = {raw, raw_[0], raw_[1]};
  raw_rising_ = {rising, raw_rising_[0], raw_rising_[1]};
  ++raw_count_;
  pending_ = true;
  pending_position_ = raw - delay_;
  pending_rising_ = rising;
  update_deadline();
}

void ReferenceTracker::on_crossing(double position, bool rising, bool ringing) {
  if (!acquired_) {
    // Wait for the filters to settle and for one period measured after that.
    if (position < settle_position_ || !estimated_) return;
    acquired_ = true;
    accept(Boundary{.position = position, .measured = true, .rising = rising});
    return;
  }
  fill_gap(position);
  if (position - last_.position < accept_early_rel * half_period_) return;
  if (ringing && last_.measured &&
      std::abs(position - last_.position - half_period_) < ringing_tolerance_rel * half_period_) {
    position = last_.position + half_period_;
  }
  accept(Boundary{.position = position, .measured = true, .rising = rising});
}

void ReferenceTracker::fill_gap(double until) {
  while (until > last_.position + accept_late_rel * half_period_) {
    accept(Boundary{
        .position = last_.position + half_period_, .measured = false, .rising = !last_.rising});
  }
}

double ReferenceTracker::give_up_position() const {
  return settle_position_ + acquire_give_up_half_periods * half_period_ + detection_lag_max_;
}

void ReferenceTracker::check_flywheel() {
  const double now = static_cast<double>(samples_seen_ - 1);
  const double patience = accept_late_rel * half_period_ + detection_lag_max_;
  if (pending_ && now > pending_position_ + patience) {
    // The crossing waited for the next one, to see whether the filters were ringing; with no
    // next one the voltage has gone, and the crossing stands as it is.
    pending_ = false;
    on_crossing(pending_position_, pending_rising_, false);
  }
  // No voltage to synchronise to: run on the flywheel from the start.
  if (!acquired_ && now >= give_up_position()) acquired_ = true;
  if (acquired_) {
    // Every crossing before `now - detection_lag_max_` has been seen; a pending one is placed
    // (or not) when its turn comes, and the flywheel must not overtake it.
    const double horizon = now - detection_lag_max_;
    fill_gap(pending_ ? std::min(horizon, pending_position_) : horizon);
  }
  update_deadline();
}

void ReferenceTracker::update_deadline() {
  const double patience = accept_late_rel * half_period_ + detection_lag_max_;
  const double never = std::numeric_limits<double>::infinity();
  double deadline = pending_ ? pending_position_ + patience : never;
  if (!acquired_) {
    deadline = std::min(deadline, give_up_position());
  } else if (!pending_ || pending_position_ > last_.position + accept_late_rel * half_period_) {
    deadline = std::min(deadline, last_.position + patience);
  }
  deadline_ = deadline;
}

void ReferenceTracker::accept(const Boundary& boundary) {
  if (boundary.measured) {
    flywheel_run_ = 0;
  } else {
    ++flywheel_run_;
    // A whole interval without a crossing: forget the last frequency (nominal-length intervals).
    const double half_cycles_per_interval = setup_.nominal_frequency_hz > 55.0 ? 24.0 : 20.0;
    if (static_cast<double>(flywheel_run_) >= half_cycles_per_interval) {
      set_half_period(nominal_half_period_);
    }
  }
  last_ = boundary;
  push(boundary);
}

double ReferenceTracker::utc_us_at(double position) const {
  return static_cast<double>(setup_.start_utc_us) +
         position * static_cast<double>(micros_per_second) / setup_.sample_rate_hz;
}

void ReferenceTracker::count_cycle(double begin, double end) {
  const auto window_of = [](double utc_us) {
    return static_cast<std::int64_t>(std::floor(utc_us / static_cast<double>(micros_per_10s)));
  };
  const std::int64_t window_begin = window_of(utc_us_at(begin));
  const std::int64_t window_end = window_of(utc_us_at(end));
  if (window_index_ < 0 || window_end > window_index_) {
    if (window_index_ >= 0 && window_cycles_ > 0) {
      frequency_10s_hz_ =
          static_cast<double>(window_cycles_) * setup_.sample_rate_hz / window_duration_;
      frequency_10s_start_us_ = window_index_ * micros_per_10s;
    }
    window_index_ = window_end;
    window_cycles_ = 0;
    window_duration_ = 0.0;
  }
  // A cycle that overlaps the 10-s boundary belongs to neither interval (clause 5.1).
  if (window_begin != window_end) return;
  ++window_cycles_;
  window_duration_ += end - begin;
}

void ReferenceTracker::push(const Boundary& boundary) {
  assert(queue_count_ < queue_capacity);
  if (queue_count_ == queue_capacity) return;  // cannot happen: see queue_capacity
  queue_[(queue_head_ + queue_count_) % queue_capacity] = boundary;
  ++queue_count_;
}

std::optional<Boundary> ReferenceTracker::pop() {
  if (queue_count_ == 0) return std::nullopt;
  const Boundary boundary = queue_[queue_head_];
  queue_head_ = (queue_head_ + 1) % queue_capacity;
  --queue_count_;
  return boundary;
}

}  // namespace gridmeter::metrology
