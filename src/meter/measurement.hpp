// Measurement: what the meter core receives once per measurement interval.
//
// An interval is 10 cycles at 50 Hz or 12 cycles at 60 Hz (about 200 ms), the basic
// measurement time interval of IEC 61000-4-30 clause 4.4. Both sources of the design fill it:
// the metrology DSP from sampled waveforms, and the simulation straight from a scenario.
//
//   Measurement m;
//   m.start_utc_us = t;  m.duration_us = 200'000;
//   m.connection = Connection::single_phase_2w;
//   m.phases[0] = {.voltage_v = 230.0, .current_a = 4.35, .active_power_w = 1000.0, ...};
//   meter.advance(m);
#pragma once

#include <array>        // std::array
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t
#include <string_view>  // std::string_view

#include "core/time.hpp"

namespace gridmeter {

enum class Connection : std::uint8_t {
  single_phase_2w = 0,  // L1 and N: phases[0] only
  three_phase_4w = 1,   // L1, L2, L3 and N: phases[0..2]
  // L1, L2, L3 without neutral, metered by two elements (Aron): phases[0] holds element
  // U12/I1 and phases[2] element U32/I3; phases[1] stays zero. Totals are their sum.
  three_phase_3w = 2,
};

inline constexpr std::size_t phase_count_max = 3;
// 12 cycles at 60 Hz, two half cycles each.
inline constexpr std::size_t half_cycles_max = 24;
// The highest voltage harmonic a Measurement carries: EN 50160 table 1 sets limits up to the
// 25th.
inline constexpr std::size_t voltage_harmonic_order_max = 25;

// "1p2w", "3p4w", "3p3w": how the command line and reports name a connection.
constexpr std::string_view connection_name(Connection connection) {
  switch (connection) {
    case Connection::single_phase_2w:
      return "1p2w";
    case Connection::three_phase_4w:
      return "3p4w";
    case Connection::three_phase_3w:
      return "3p3w";
  }
  return "?";
}

// Number of phase slots a connection fills.
constexpr std::size_t phase_count(Connection connection) {
  return connection == Connection::single_phase_2w ? 1 : 3;
}

struct PhaseMeasurement {
  double voltage_v = 0.0;           // RMS over the interval
  double current_a = 0.0;           // RMS over the interval
  double active_power_w = 0.0;      // signed: > 0 import (delivered to the customer)
  double reactive_power_var = 0.0;  // fundamental, signed: > 0 inductive import (QI, QII)
  double apparent_power_va = 0.0;   // U·I, always >= 0
  double power_factor = 1.0;        // P / S, signed like P
  double frequency_hz = 0.0;
  double voltage_thd_percent = 0.0;
  double current_thd_percent = 0.0;
};

struct Measurement {
  UtcMicros start_utc_us = 0;
  std::int64_t duration_us = 0;
  Connection connection = Connection::single_phase_2w;
  std::array<PhaseMeasurement, phase_count_max> phases{};
  double frequency_hz = 0.0;  // of the reference phase
  double neutral_current_a = 0.0;
  // Supply voltage unbalance u2 = |U negative sequence| / |U positive sequence| of the
  // fundamental, in percent (IEC 61000-4-30 clause 5.7.1); 0 for single phase.
  double voltage_unbalance_percent = 0.0;
  // Urms(1/2) (IEC 61000-4-30 clause 5.4.2): RMS over one cycle, refreshed every half cycle,
  // per phase; half_cycle_count of them are valid.
  std::array<std::array<float, half_cycles_max>, phase_count_max> half_cycle_voltage_v{};
  std::uint8_t half_cycle_count = 0;
  // Harmonic subgroups of each voltage (IEC 61000-4-7 clause 5.6), orders 2..25 in percent of
  // the fundamental, indexed by order ([0] and [1] unused); valid when voltage_harmonics is set.
  std::array<std::array<float, voltage_harmonic_order_max + 1>, phase_count_max>
      voltage_harmonic_percent{};
  bool voltage_harmonics = false;
  // The whole cycles of the reference voltage between measured zero crossings in the interval
  // (IEC 61000-4-30 clause 5.1.2 counts them for the 10-s frequency): cycle_count of them, from
  // start_utc_us + cycles_offset_us for cycles_duration_us. 0 when none were measured (the
  // flywheel, or a source without crossings such as the simulation): the 10-s frequency then
  // weighs frequency_hz by the interval's duration.
  std::uint8_t cycle_count = 0;
  std::int64_t cycles_offset_us = 0;
  std::int64_t cycles_duration_us = 0;

  [[nodiscard]] UtcMicros end_utc_us() const { return start_utc_us + duration_us; }
};

}  // namespace gridmeter
