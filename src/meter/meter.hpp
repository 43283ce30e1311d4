// Meter: the deterministic core of gridmeter. Measurements in, registers out.
//
//   Meter meter(Connection::three_phase_4w);
//   for (...) meter.advance(measurement);        // time travels inside the measurement
//   meter.state().energy.total[EnergyKind::active_import].watt_hours();
//
// No threads, sockets, clocks, files or allocation inside: the same measurements give the same
// state, bit for bit, which is what makes a simulated year, a replay and a test agree.
#pragma once

#include <cstdint>  // std::uint64_t

#include "core/time.hpp"
#include "meter/energy_registers.hpp"
#include "meter/measurement.hpp"

namespace gridmeter {

// Everything the meter must keep across a power cycle (the store persists it whole).
struct MeterState {
  Connection connection = Connection::single_phase_2w;
  // End of the last measurement interval the meter integrated: the meter's notion of "now".
  UtcMicros time_utc_us = 0;
  std::uint64_t measurement_count = 0;
  EnergyRegisters energy;
  // Power failures seen (a start that found the store not cleanly closed, or a gap in time).
  std::uint64_t power_failure_count = 0;
  UtcMicros last_power_down_utc_us = 0;
  UtcMicros last_power_up_utc_us = 0;

  friend bool operator==(const MeterState&, const MeterState&) = default;
};

class Meter {
 public:
  // A new meter whose clock starts at `start`.
  Meter(Connection connection, UtcMicros start);
  explicit Meter(const MeterState& restored);

  // Integrates one measurement interval. Intervals arrive in time order; an interval that
  // starts before the meter's time (overlap) is a caller bug and is ignored.
  void advance(const Measurement& measurement);

  // The supply went away at `down` and came back at `up` (both in meter time). Registers keep
  // their values; the event log (a later layer) records both instants.
  void power_outage(UtcMicros down, UtcMicros up);

  [[nodiscard]] const MeterState& state() const { return state_; }
  [[nodiscard]] Connection connection() const { return state_.connection; }

 private:
  MeterState state_;
};

}  // namespace gridmeter
