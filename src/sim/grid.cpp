#include "sim/grid.hpp"

#include <algorithm>  // std::clamp, std::max
#include <cmath>      // std::cos, std::exp, std::sqrt

#include "core/time.hpp"
#include "sim/hash_noise.hpp"
#include "sim/local_time.hpp"
#include "sim/weather.hpp"

namespace gridmeter::sim {

namespace {

constexpr double pi = 3.14159265358979323846;

constexpr std::uint64_t stream_site = 0x6a1d00;
constexpr std::uint64_t stream_voltage_drift = 0x6a1d01;
constexpr std::uint64_t stream_voltage_step = 0x6a1d02;
constexpr std::uint64_t stream_thd_drift = 0x6a1d03;
constexpr std::uint64_t stream_frequency_drift = 0x6a1d04;
constexpr std::uint64_t stream_frequency_step = 0x6a1d05;
constexpr std::uint64_t stream_frequency_hour = 0x6a1d06;

double bump(double x) { return std::exp(-x * x); }

// Relative size of each harmonic of the feeder's distortion (orders 2..25), before scaling.
constexpr std::array<double, voltage_harmonic_order_max + 1> harmonic_shape{
    0.0,  0.0,   0.06, 0.35,  0.04, 0.80,  0.02, 0.40,  0.015, 0.12,  0.015, 0.20,  0.015,
    0.13, 0.015, 0.04, 0.015, 0.06, 0.015, 0.05, 0.015, 0.02,  0.015, 0.03,  0.015, 0.03};

// The shape's root sum of squares is sqrt of this: what scales it to a given THD.
constexpr double harmonic_shape_sum_sq = [] {
  double sum = 0.0;
  for (const double w : harmonic_shape)
    sum += w * w;
  return sum;
}();

}  // namespace

void voltage_harmonics(double thd_percent, std::array<float, voltage_harmonic_order_max + 1>& out) {
  const double scale = thd_percent / std::sqrt(harmonic_shape_sum_sq);
  for (std::size_t h = 0; h < out.size(); ++h)
    out[h] = static_cast<float>(harmonic_shape[h] * scale);
}

GridModel::GridModel(std::uint64_t seed) : seed_(seed) {
  const std::uint64_t bits = hash_key(seed, stream_site, std::uint64_t{0});
  // Houses near the transformer see more voltage than those at the end of a long feeder.
  site_offset_rel_ = -0.004 + 0.016 * unit_from_bits(bits);
  for (std::size_t p = 0; p < 3; ++p) {
    phase_offset_rel_[p] = 0.003 * signed_from_bits16(mix64(bits) >> (16 * p));
  }
}

GridKnot GridModel::knot(std::int64_t utc_minute) {
  const UtcMicros utc = utc_minute * micros_per_minute;
  if (utc < zone_.begin_utc || utc >= zone_.end_utc) zone_ = central_european_offset(utc);
  const LocalOffset& zone = zone_;
  const std::int64_t local = utc + zone.offset_us;
  const std::int64_t local_day = floor_div(local, micros_per_day);
  const double hour = static_cast<double>(local - local_day * micros_per_day) / micros_per_hour;
  if (!season_valid_ || season_day_ != local_day) {
    summer_ = 1.0 - winter_factor(day_of_year(local_day));
    season_day_ = local_day;
    season_valid_ = true;
  }
  const double summer = summer_;
  // The neighbourhood's PV lifts the voltage around solar noon, more in summer.
  const double solar_noon_h = 11.3 + static_cast<double>(zone.offset_us) / micros_per_hour;
  const double pv_lift = std::max(0.0, std::cos(pi * (hour - solar_noon_h) / 14.0));

  const double daily_rel = 0.005 + 0.010 * std::cos(2.0 * pi * (hour - 3.5) / 24.0) -
                           0.006 * bump((hour - 19.0) / 1.5) + 0.008 * summer * pv_lift;
  const double drift_rel = 0.007 * value_noise(seed_, stream_voltage_drift, utc_minute, 23);
  const std::uint64_t step_bits = hash_key(seed_, stream_voltage_step, utc_minute);
  const double shared_step_rel = 0.0025 * signed_from_bits16(step_bits >> 48);

  GridKnot out;
  // Evening TV sets and LED drivers everywhere distort the voltage most.
  const double thd_percent = 1.5 + 1.1 * bump((hour - 20.5) / 2.2) +
                             0.35 * value_noise(seed_, stream_thd_drift, utc_minute, 60);
  for (std::size_t p = 0; p < 3; ++p) {
    const double phase_step = signed_from_bits16(step_bits >> (16 * p));
    out.voltage_rel[p] = site_offset_rel_ + phase_offset_rel_[p] + daily_rel + drift_rel +
                         shared_step_rel + 0.0012 * phase_step;
    out.voltage_thd_percent[p] = std::clamp(thd_percent + 0.15 * phase_step, 1.0, 4.0);
  }

  // Frequency: a slow wander of generation against demand, small steps, and the dip or rise
  // that follows the hourly change of scheduled generation.
  const std::int64_t hour_index = floor_div(utc_minute, 60);
  const double minute_in_hour = static_cast<double>(utc_minute - hour_index * 60);
  const double hour_sign =
      (hash_key(seed_, stream_frequency_hour, hour_index) & 1U) != 0 ? 1.0 : -1.0;
  out.frequency_offset_hz =
      0.020 * value_noise(seed_, stream_frequency_drift, utc_minute, 7) +
      0.008 * signed_from_bits16(hash_key(seed_, stream_frequency_step, utc_minute)) +
      0.012 * hour_sign * std::exp(-minute_in_hour / 4.0);
  return out;
}

}  // namespace gridmeter::sim
