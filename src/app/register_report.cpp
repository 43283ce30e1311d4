#include "app/register_report.hpp"

#include <fmt/format.h>

namespace gridmeter::app {

std::string_view connection_name(Connection connection) {
  switch (connection) {
    case Connection::single_phase_2w:
      return "1p2w";
    case Connection::three_phase_4w:
      return "3p4w";
    case Connection::three_phase_3w:
      return "3p3w";
  }
  return "unknown";
}

nlohmann::ordered_json registers_json(const MeterState& state) {
  nlohmann::ordered_json registers = nlohmann::ordered_json::object();
  for (const RegisterReading& reading : read_energy_registers(state.energy, state.connection)) {
    registers[to_string(reading.obis)] = {{"value", reading.value},
                                          {"scaler", reading.scaler},
                                          {"unit", unit_symbol(reading.unit)},
                                          {"name", reading.name}};
  }
  return registers;
}

nlohmann::ordered_json run_json(const RunSummary& run, const MeterState& state,
                                const TimeZone& zone) {
  const double days = static_cast<double>(run.period_end_utc_us - run.period_start_utc_us) /
                      static_cast<double>(micros_per_day);
  nlohmann::ordered_json document;
  document["scenario"] = run.source.scenario;
  document["seed"] = run.source.seed;
  document["connection"] = connection_name(state.connection);
  document["period"] = {{"start", format_iso8601(run.period_start_utc_us, zone)},
                        {"end", format_iso8601(run.period_end_utc_us, zone)},
                        {"days", days},
                        {"measurement_intervals", run.measurement_intervals}};
  document["meter"] = {{"time", format_iso8601(state.time_utc_us, zone)},
                       {"measurement_count", state.measurement_count},
                       {"power_failures", state.power_failure_count}};
  document["registers"] = registers_json(state);
  return document;
}

std::string run_table(const RunSummary& run, const MeterState& state, const TimeZone& zone) {
  std::string text = fmt::format(
      "scenario {} (seed {}), connection {}\nperiod   {} to {} ({} measurement intervals)\n"
      "meter    {} measurement intervals in all, {} power failures\n\n",
      run.source.scenario, run.source.seed, connection_name(state.connection),
      format_iso8601(run.period_start_utc_us, zone), format_iso8601(run.period_end_utc_us, zone),
      run.measurement_intervals, state.measurement_count, state.power_failure_count);
  text += fmt::format("{:<16} {:<14} {:>14} {}\n", "OBIS", "register", "value", "unit");
  for (const RegisterReading& reading : read_energy_registers(state.energy, state.connection)) {
    text += fmt::format("{:<16} {:<14} {:>14} {}\n", to_string(reading.obis), reading.name,
                        reading.value, unit_symbol(reading.unit));
  }
  return text;
}

}  // namespace gridmeter::app
