#include "app/register_report.hpp"

#include <fmt/format.h>

namespace gridmeter::app {

namespace {

// value × 10^scaler as decimal text: "1234" at scaler 0, "1.234" at -3, "1234000" at 3.
std::string scaled_value_text(const RegisterReading& reading) {
  if (reading.scaler >= 0) {
    std::int64_t value = reading.value;
    for (int s = 0; s < reading.scaler; ++s)
      value *= 10;
    return std::to_string(value);
  }
  std::uint64_t divisor = 1;
  for (int s = 0; s > reading.scaler; --s)
    divisor *= 10U;
  const std::uint64_t magnitude = reading.value < 0 ? 0U - static_cast<std::uint64_t>(reading.value)
                                                    : static_cast<std::uint64_t>(reading.value);
  return fmt::format("{}{}.{:0{}}", reading.value < 0 ? "-" : "", magnitude / divisor,
                     magnitude % divisor, -reading.scaler);
}

}  // namespace

nlohmann::ordered_json registers_json(const MeterState& state, int scaler) {
  nlohmann::ordered_json registers = nlohmann::ordered_json::object();
  for (const RegisterReading& reading :
       read_energy_registers(state.energy, state.connection, scaler)) {
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
  if (run.input.empty()) {
    document["scenario"] = run.source.scenario;
    document["seed"] = run.source.seed;
  } else {
    document["input"] = run.input;
  }
  document["connection"] = connection_name(state.connection);
  document["period"] = {{"start", format_iso8601(run.period_start_utc_us, zone)},
                        {"end", format_iso8601(run.period_end_utc_us, zone)},
                        {"days", days},
                        {"measurement_intervals", run.measurement_intervals}};
  document["meter"] = {{"time", format_iso8601(state.time_utc_us, zone)},
                       {"measurement_count", state.measurement_count},
                       {"power_failures", state.power_failure_count}};
  document["registers"] = registers_json(state, run.scaler);
  return document;
}

std::string run_table(const RunSummary& run, const MeterState& state, const TimeZone& zone) {
  const std::string fed_by =
      run.input.empty() ? fmt::format("scenario {} (seed {})", run.source.scenario, run.source.seed)
                        : fmt::format("input    {}", run.input);
  std::string text = fmt::format(
      "{}, connection {}\nperiod   {} to {} ({} measurement intervals)\n"
      "meter    {} measurement intervals in all, {} power failures\n\n",
      fed_by, connection_name(state.connection), format_iso8601(run.period_start_utc_us, zone),
      format_iso8601(run.period_end_utc_us, zone), run.measurement_intervals,
      state.measurement_count, state.power_failure_count);
  text += fmt::format("{:<16} {:<14} {:>14} {}\n", "OBIS", "register", "value", "unit");
  for (const RegisterReading& reading :
       read_energy_registers(state.energy, state.connection, run.scaler)) {
    text += fmt::format("{:<16} {:<14} {:>14} {}\n", to_string(reading.obis), reading.name,
                        scaled_value_text(reading), unit_symbol(reading.unit));
  }
  return text;
}

}  // namespace gridmeter::app
