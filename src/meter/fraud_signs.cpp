#include "meter/fraud_signs.hpp"

#include <algorithm>  // std::max
#include <cmath>      // std::fabs

namespace gridmeter {
namespace {

bool reversed_phase(const Measurement& m) {
  // A 3-wire meter's two elements are not phases: at a low power factor one of them reads
  // negative power on a perfectly wired installation.
  if (m.connection != Connection::three_phase_4w) return false;
  bool exporting = false;
  bool importing = false;
  for (std::size_t p = 0; p < phase_count(m.connection); ++p) {
    exporting = exporting || m.phases[p].active_power_w < -reversal_power_min_w;
    importing = importing || m.phases[p].active_power_w > reversal_power_min_w;
  }
  return exporting && importing;
}

bool current_without_voltage(const Measurement& m) {
  for (std::size_t p = 0; p < phase_count(m.connection); ++p) {
    const PhaseMeasurement& phase = m.phases[p];
    if (phase.current_a > current_present_min_a && phase.voltage_v < voltage_missing_below_v) {
      return true;
    }
  }
  return false;
}

bool neutral_imbalance(const Measurement& m) {
  if (m.connection != Connection::single_phase_2w) return false;
  const double line_a = m.phases[0].current_a;
  const double neutral_a = m.neutral_current_a;
  const double difference_a = std::fabs(line_a - neutral_a);
  return difference_a > imbalance_min_a &&
         difference_a > imbalance_min_fraction * std::max(line_a, neutral_a);
}

}  // namespace

bool sign_present(FraudSign sign, const Measurement& measurement) {
  switch (sign) {
    case FraudSign::current_reversal:
      return reversed_phase(measurement);
    case FraudSign::current_without_voltage:
      return current_without_voltage(measurement);
    case FraudSign::neutral_imbalance:
      return neutral_imbalance(measurement);
  }
  return false;
}

EventCode sign_event(FraudSign sign, bool present) {
  switch (sign) {
    case FraudSign::current_reversal:
      return present ? EventCode::current_reversal : EventCode::current_reversal_ended;
    case FraudSign::current_without_voltage:
      return present ? EventCode::current_without_voltage
                     : EventCode::current_without_voltage_ended;
    case FraudSign::neutral_imbalance:
      return present ? EventCode::neutral_imbalance : EventCode::neutral_imbalance_ended;
  }
  return EventCode::current_reversal;
}

std::string_view to_string(FraudSign sign) {
  switch (sign) {
    case FraudSign::current_reversal:
      return "current_reversal";
    case FraudSign::current_without_voltage:
      return "current_without_voltage";
    case FraudSign::neutral_imbalance:
      return "neutral_imbalance";
  }
  return "?";
}

}  // namespace gridmeter
