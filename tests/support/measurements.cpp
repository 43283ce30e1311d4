#include "support/measurements.hpp"

#include <cmath>

namespace gridmeter::test {

PhaseMeasurement phase(double p_w, double q_var) {
  PhaseMeasurement m;
  m.voltage_v = 230.0;
  m.active_power_w = p_w;
  m.reactive_power_var = q_var;
  m.apparent_power_va = std::sqrt(p_w * p_w + q_var * q_var);
  m.current_a = m.apparent_power_va / m.voltage_v;
  m.power_factor = m.apparent_power_va > 0.0 ? p_w / m.apparent_power_va : 1.0;
  m.frequency_hz = 50.0;
  return m;
}

Measurement single_phase(UtcMicros start, double p_w, double q_var, std::int64_t duration_us) {
  Measurement m;
  m.start_utc_us = start;
  m.duration_us = duration_us;
  m.connection = Connection::single_phase_2w;
  m.phases[0] = phase(p_w, q_var);
  m.neutral_current_a = m.phases[0].current_a;  // two wires: the neutral carries it back
  m.frequency_hz = 50.0;
  return m;
}

UtcMicros utc(int year, int month, int day, int hour, int minute, int second) {
  return utc_from_civil(CivilTime{year, month, day, hour, minute, second, 0});
}

}  // namespace gridmeter::test
