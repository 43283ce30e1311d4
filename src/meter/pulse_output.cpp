#include "meter/pulse_output.hpp"

#include <fmt/format.h>

#include <array>  // std::array

namespace gridmeter {
namespace {

// The total registers a pulse output may follow (IEC 62056-6-1 value group C of the total).
constexpr std::array<EnergyKind, 6> pulse_registers{
    EnergyKind::active_import,   EnergyKind::active_export,   EnergyKind::reactive_import,
    EnergyKind::reactive_export, EnergyKind::apparent_import, EnergyKind::apparent_export};

constexpr std::uint8_t c_of(EnergyKind energy) {
  switch (energy) {
    case EnergyKind::active_import:
      return 1;
    case EnergyKind::active_export:
      return 2;
    case EnergyKind::reactive_import:
      return 3;
    case EnergyKind::reactive_export:
      return 4;
    case EnergyKind::apparent_import:
      return 9;
    case EnergyKind::apparent_export:
      return 10;
    default:
      return 0;
  }
}

}  // namespace

Status validate_pulse_output(const PulseOutputConfig& config) {
  if (c_of(config.energy) == 0) {
    return make_error(
        "pulse_output.register: one of the totals 1-0:1.8.0, 2.8.0, 3.8.0, 4.8.0, 9.8.0, 10.8.0");
  }
  if (config.constant < 1 || config.constant > pulse_constant_max) {
    return make_error(fmt::format("pulse_output.constant: {} imp/kWh is outside 1..{}",
                                  config.constant, pulse_constant_max));
  }
  for (const auto& [key, ms] : {std::pair{"width", config.width_ms}, {"gap", config.gap_ms}}) {
    if (ms < pulse_time_min_ms || ms > pulse_time_max_ms) {
      return make_error(
          fmt::format("pulse_output.{}: {} ms is outside {}..{} (IEC 62053-31: "
                      "at least 30 ms)",
                      key, ms, pulse_time_min_ms, pulse_time_max_ms));
    }
  }
  return {};
}

Obis pulse_register_obis(EnergyKind energy) { return Obis{1, 0, c_of(energy), 8, 0, 255}; }

std::optional<EnergyKind> pulse_register_of(std::string_view obis_text) {
  const auto obis = parse_obis(obis_text);
  if (!obis) return std::nullopt;
  for (const EnergyKind energy : pulse_registers) {
    if (pulse_register_obis(energy) == *obis) return energy;
  }
  return std::nullopt;
}

std::uint64_t next_pulse_step(const PulseOutputConfig& config, std::uint64_t& step) {
  // Pulse k is due at B_k = ceil(k D / c) picojoules (D = 1 kWh). With s_k = k D mod c:
  // floor((k+1) D / c) - floor(k D / c) = q + carry, and the ceiling adds one whenever s > 0.
  const std::uint64_t c = config.constant;
  const std::uint64_t q = picojoules_per_kilowatt_hour / c;
  const std::uint64_t r = picojoules_per_kilowatt_hour % c;
  const std::uint64_t sum = step + r;
  const std::uint64_t carry = sum >= c ? 1 : 0;
  const std::uint64_t next = sum - carry * c;
  const std::uint64_t gap = q + carry + (next > 0 ? 1 : 0) - (step > 0 ? 1 : 0);
  step = next;
  return gap;
}

PulseOutputState start_pulse_train(const PulseOutputConfig& config) {
  PulseOutputState state;
  state.to_next_pj = next_pulse_step(config, state.step);
  return state;
}

}  // namespace gridmeter
