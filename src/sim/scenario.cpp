#include "sim/scenario.hpp"

#include <array>  // std::array

#include "sim/household_scenario.hpp"

namespace gridmeter::sim {

namespace {

constexpr std::array<std::string_view, 3> names = {"household", "household-3ph", "household-pv"};

std::string joined_names() {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace

std::span<const std::string_view> scenario_names() { return names; }

Result<std::unique_ptr<Scenario>> make_scenario(const ScenarioConfig& config) {
  if (config.nominal_frequency_hz != 50.0 && config.nominal_frequency_hz != 60.0) {
    return make_error("scenario nominal frequency must be 50 or 60 Hz, not " +
                      std::to_string(config.nominal_frequency_hz));
  }
  if (!(config.nominal_voltage_v >= 100.0 && config.nominal_voltage_v <= 400.0)) {
    return make_error("scenario nominal voltage must be 100..400 V, not " +
                      std::to_string(config.nominal_voltage_v));
  }
  HouseholdScenarioOptions options;
  if (config.name == "household") {
    // defaults: single-phase, no heat pump, no EV, no PV
  } else if (config.name == "household-3ph") {
    options.household = {.three_phase = true, .heat_pump = true, .ev = true};
  } else if (config.name == "household-pv") {
    options.household = {.three_phase = true, .heat_pump = true, .ev = true};
    options.pv = true;
  } else {
    return make_error("unknown scenario '" + config.name + "'; known scenarios: " + joined_names());
  }
  return std::unique_ptr<Scenario>(std::make_unique<HouseholdScenario>(config, options));
}

}  // namespace gridmeter::sim
