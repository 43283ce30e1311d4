// The supply as seen at the house before its own load: voltage per phase, frequency and voltage
// THD at each whole UTC minute ("knots"); the scenario interpolates linearly between knots.
//
//   GridModel grid(seed);
//   GridKnot now = grid.knot(utc_minute);
//   double v = nominal_v * (1.0 + now.voltage_rel[0]);   // about 225..240 V at 230 V nominal
//   double f = nominal_hz + now.frequency_offset_hz;     // within +-0.05 Hz
//
// Voltage: a slow daily pattern (high at night, low at the evening peak, a midday lift in summer
// from the neighbourhood's PV), a drift over tens of minutes, minute-to-minute steps, and a
// fixed offset per phase and per house (distance from the transformer).
#pragma once

#include <array>    // std::array
#include <cstdint>  // std::int64_t, std::uint64_t

#include "meter/measurement.hpp"
#include "sim/local_time.hpp"

namespace gridmeter::sim {

struct GridKnot {
  std::array<double, 3> voltage_rel{};  // relative deviation from nominal
  std::array<double, 3> voltage_thd_percent{};
  double frequency_offset_hz = 0.0;
};

// The single harmonics of a voltage whose THD is `thd_percent`, in percent of the fundamental
// by order (Measurement::voltage_harmonic_percent): the spectrum of a low-voltage feeder with
// rectifier loads, the 5th largest, then the 7th and 3rd, little of the even orders. Their root
// sum of squares is `thd_percent`.
void voltage_harmonics(double thd_percent, std::array<float, voltage_harmonic_order_max + 1>& out);

class GridModel {
 public:
  explicit GridModel(std::uint64_t seed);

  // Pure in (seed, utc_minute). Not const only because it caches per-day values (time zone,
  // season) that the 1440 knots of a day share; the cache never changes a result.
  [[nodiscard]] GridKnot knot(std::int64_t utc_minute);

 private:
  std::uint64_t seed_;
  double site_offset_rel_;
  std::array<double, 3> phase_offset_rel_{};
  LocalOffset zone_;  // empty span until first used
  std::int64_t season_day_ = 0;
  double summer_ = 0.0;
  bool season_valid_ = false;
};

}  // namespace gridmeter::sim
