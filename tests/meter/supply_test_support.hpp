// Helpers for the supply-control tests: a meter fed constant single-phase loads, and the codes
// of its event logs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "meter/meter.hpp"
#include "support/measurements.hpp"

namespace gridmeter::test {

// The event codes of a log, oldest first.
inline std::vector<std::int64_t> codes(const Profile& log) {
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < log.size(); ++i)
    out.push_back(log.entry(i).values[0]);
  return out;
}

// The meter clock of each entry of a log, oldest first.
inline std::vector<UtcMicros> stamps(const Profile& log) {
  std::vector<UtcMicros> out;
  for (std::size_t i = 0; i < log.size(); ++i)
    out.push_back(log.entry(i).stamp.time_utc_us);
  return out;
}

// A meter fed `count` intervals of `duration_us` at `power_w` from its current time.
inline void feed(Meter& meter, double power_w, int count, std::int64_t duration_us = interval_us) {
  for (int i = 0; i < count; ++i)
    meter.advance(single_phase(meter.state().time_utc_us, power_w, 0.0, duration_us));
}

inline ControlState control_state(const Meter& meter) {
  return meter.state().supply.disconnector.control_state;
}
inline bool output_state(const Meter& meter) {
  return meter.state().supply.disconnector.output_state;
}

}  // namespace gridmeter::test
