#include "meter/meter.hpp"

#include <cassert>

namespace gridmeter {

Meter::Meter(Connection connection, UtcMicros start) {
  state_.connection = connection;
  state_.time_utc_us = start;
}

Meter::Meter(const MeterState& restored) : state_(restored) {}

void Meter::advance(const Measurement& measurement) {
  assert(measurement.connection == state_.connection);
  assert(measurement.duration_us > 0);
  if (measurement.start_utc_us < state_.time_utc_us) {
    assert(false && "measurement intervals overlap");
    return;
  }
  state_.energy.add(measurement);
  state_.time_utc_us = measurement.end_utc_us();
  ++state_.measurement_count;
}

void Meter::power_outage(UtcMicros down, UtcMicros up) {
  assert(down <= up);
  ++state_.power_failure_count;
  state_.last_power_down_utc_us = down;
  state_.last_power_up_utc_us = up;
  if (up > state_.time_utc_us) state_.time_utc_us = up;
}

}  // namespace gridmeter
