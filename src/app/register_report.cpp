#include "app/register_report.hpp"

#include <fmt/format.h>

#include <cmath>  // std::llround

#include "app/profile_export.hpp"
#include "app/supply_command.hpp"
#include "meter/load_profile.hpp"

namespace gridmeter::app {

namespace {

// A demand value in whole W/var (the resolution of the Demand registers' scaler 0).
std::int64_t demand_value(double value) { return std::llround(value); }

std::string profile_label(const Profile& profile) {
  if (profile.obis() == load_profile_obis) return "load profile";
  if (profile.obis() == analysis_log_obis) return "analysis log";
  if (profile.obis() == billing_profile_obis) return "billing profile";
  if (profile.obis() == standard_event_log_obis) return "standard event log";
  if (profile.obis() == clock_event_log_obis) return "clock event log";
  if (profile.obis() == fraud_event_log_obis) return "fraud detection log";
  if (profile.obis() == disconnector_event_log_obis) return "disconnector control log";
  if (profile.obis() == token_log_obis) return "token log";
  if (profile.obis() == voltage_quality_log_obis) return "voltage quality log";
  return "profile";
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
  for (const RegisterReading& reading : read_tariff_registers(state.tariffs)) {
    registers[to_string(reading.obis)] = {{"value", reading.value},
                                          {"scaler", reading.scaler},
                                          {"unit", unit_symbol(reading.unit)},
                                          {"name", reading.name}};
  }
  return registers;
}

nlohmann::ordered_json demand_json(const MeterState& state, const TimeZone& zone) {
  nlohmann::ordered_json demand = nlohmann::ordered_json::object();
  for (const DemandReading& reading :
       read_demand_registers(state.demand, state.config.demand, state.energy)) {
    nlohmann::ordered_json item = {{"value", demand_value(reading.value)},
                                   {"scaler", 0},
                                   {"unit", unit_symbol(reading.unit)},
                                   {"name", reading.name}};
    if (reading.time_utc_us != 0) item["time"] = format_iso8601(reading.time_utc_us, zone);
    demand[to_string(reading.obis)] = std::move(item);
  }
  return demand;
}

nlohmann::ordered_json profiles_json(const Meter& meter) {
  nlohmann::ordered_json profiles = nlohmann::ordered_json::object();
  for (const Profile* profile : meter.profiles()) {
    profiles[to_string(profile->obis())] = {{"name", profile_label(*profile)},
                                            {"entries_in_use", profile->size()},
                                            {"profile_entries", profile->capacity()},
                                            {"entries_total", profile->pushed_total()}};
  }
  return profiles;
}

nlohmann::ordered_json supply_json(const Meter& meter) {
  const SupplyState& supply = meter.state().supply;
  const MeterConfig& config = meter.config();
  nlohmann::ordered_json document;
  document["breaker"] = {{"control_state", static_cast<int>(supply.disconnector.control_state)},
                         {"state", to_string(supply.disconnector.control_state)},
                         {"output_state", supply.disconnector.output_state},
                         {"control_mode", config.disconnector.mode}};
  if (config.limiter.enabled) {
    document["limiter"] = {{"tripped", supply.limiter.tripped},
                           {"emergency", supply.limiter.emergency_active}};
  }
  if (config.prepayment.enabled) {
    const PrepaymentState& credit = supply.prepayment;
    document["prepayment"] = {{"credit_wh", credit_wh(credit)},
                              {"top_ups", credit.top_up_count},
                              {"last_token", credit.last_token},
                              {"emergency_taken", credit.emergency_taken}};
  }
  nlohmann::ordered_json tamper = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < tamper_input_count; ++i) {
    tamper[std::string(to_string(static_cast<TamperInput>(i)))] = {
        {"active", supply.tamper.active[i]}, {"count", supply.tamper.counts[i]}};
  }
  document["tamper"] = std::move(tamper);
  nlohmann::ordered_json signs = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < fraud_sign_count; ++i) {
    signs[std::string(to_string(static_cast<FraudSign>(i)))] = {{"active", supply.fraud.active[i]},
                                                                {"count", supply.fraud.counts[i]}};
  }
  document["fraud_signs"] = std::move(signs);
  if (config.pulse_output.enabled) {
    document["pulse_output"] = {
        {"register", to_string(pulse_register_obis(config.pulse_output.energy))},
        {"constant", config.pulse_output.constant},
        {"pulses", supply.pulse_output.emitted},
        {"queued", supply.pulse_output.queued}};
  }
  return document;
}

nlohmann::ordered_json run_json(const RunSummary& run, const Meter& meter) {
  const MeterState& state = meter.state();
  const TimeZone& zone = state.config.zone;
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
                       {"clock", format_iso8601(meter.clock_now(), zone)},
                       {"measurement_count", state.measurement_count},
                       {"power_failures", state.power_failure_count},
                       {"active_tariff", state.active_tariff},
                       {"billing_periods", state.billing_count}};
  document["registers"] = registers_json(state, run.scaler);
  document["demand"] = demand_json(state, zone);
  document["supply"] = supply_json(meter);
  document["profiles"] = profiles_json(meter);
  return document;
}

std::string run_table(const RunSummary& run, const Meter& meter) {
  const MeterState& state = meter.state();
  const TimeZone& zone = state.config.zone;
  const std::string fed_by =
      run.input.empty() ? fmt::format("scenario {} (seed {})", run.source.scenario, run.source.seed)
                        : fmt::format("input    {}", run.input);
  std::string text = fmt::format(
      "{}, connection {}\nperiod   {} to {} ({} measurement intervals)\n"
      "meter    {} measurement intervals in all, {} power failures, clock {}, tariff {}, "
      "{} billing periods\n\n",
      fed_by, connection_name(state.connection), format_iso8601(run.period_start_utc_us, zone),
      format_iso8601(run.period_end_utc_us, zone), run.measurement_intervals,
      state.measurement_count, state.power_failure_count, format_iso8601(meter.clock_now(), zone),
      state.active_tariff, state.billing_count);
  text += fmt::format("{:<16} {:<14} {:>14} {}\n", "OBIS", "register", "value", "unit");
  for (const RegisterReading& reading :
       read_energy_registers(state.energy, state.connection, run.scaler)) {
    text += fmt::format("{:<16} {:<14} {:>14} {}\n", to_string(reading.obis), reading.name,
                        format_scaled(reading.value, reading.scaler), unit_symbol(reading.unit));
  }
  // Tariff registers that counted something (all 32 are in the JSON).
  for (const RegisterReading& reading : read_tariff_registers(state.tariffs)) {
    if (reading.value == 0) continue;
    text += fmt::format("{:<16} {:<14} {:>14} {}\n", to_string(reading.obis), reading.name,
                        format_scaled(reading.value, reading.scaler), unit_symbol(reading.unit));
  }
  text += "\n";
  for (const DemandReading& reading :
       read_demand_registers(state.demand, state.config.demand, state.energy)) {
    if (reading.obis.d == 6 && reading.time_utc_us == 0) continue;  // no maximum yet
    text += fmt::format(
        "{:<16} {:<26} {:>10} {:<3} {}\n", to_string(reading.obis), reading.name,
        demand_value(reading.value), unit_symbol(reading.unit),
        reading.time_utc_us != 0 ? format_iso8601(reading.time_utc_us, zone) : std::string());
  }
  text += fmt::format("\nsupply   {}\n\n", supply_status(meter));
  for (const Profile* profile : meter.profiles()) {
    text += fmt::format("{:<16} {:<24} {} of {} entries\n", to_string(profile->obis()),
                        profile_label(*profile), profile->size(), profile->capacity());
  }
  return text;
}

}  // namespace gridmeter::app
