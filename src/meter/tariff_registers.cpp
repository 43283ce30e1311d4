#include "meter/tariff_registers.hpp"

#include <algorithm>  // std::clamp, std::min
#include <cassert>    // assert
#include <string_view>

namespace gridmeter {
namespace {

struct TariffKindInfo {
  EnergyKind kind;
  std::uint8_t c;  // OBIS value group C (IEC 62056-6-1: 1 = Σ Li A+, 2 A-, 3 R+, 4 R-)
  Unit unit;
};
constexpr std::array<TariffKindInfo, tariff_energy_count> tariff_kind_table{{
    {EnergyKind::active_import, 1, Unit::watt_hour},
    {EnergyKind::active_export, 2, Unit::watt_hour},
    {EnergyKind::reactive_import, 3, Unit::var_hour},
    {EnergyKind::reactive_export, 4, Unit::var_hour},
}};

// Spelled out so the readings can hold string_views into static storage.
constexpr std::array<std::array<std::string_view, tariff_count>, tariff_energy_count>
    tariff_register_names{{
        {"A+ T1", "A+ T2", "A+ T3", "A+ T4", "A+ T5", "A+ T6", "A+ T7", "A+ T8"},
        {"A- T1", "A- T2", "A- T3", "A- T4", "A- T5", "A- T6", "A- T7", "A- T8"},
        {"R+ T1", "R+ T2", "R+ T3", "R+ T4", "R+ T5", "R+ T6", "R+ T7", "R+ T8"},
        {"R- T1", "R- T2", "R- T3", "R- T4", "R- T5", "R- T6", "R- T7", "R- T8"},
    }};

std::size_t tariff_slot(int tariff) {
  assert(tariff >= tariff_min && tariff <= tariff_max);
  return static_cast<std::size_t>(tariff - tariff_min);
}

}  // namespace

void TariffRegisters::add_duration(int tariff, const Measurement& measurement,
                                   std::int64_t duration_us) {
  assert(duration_us >= 0);
  // The total powers summed in the same order and precision as EnergyRegisters::add, so the
  // same microwatts come out and the tariffs add up to its totals bit for bit.
  const std::size_t count = phase_count(measurement.connection);
  double active_w = 0.0;
  double reactive_var = 0.0;
  for (std::size_t p = 0; p < count; ++p) {
    active_w += measurement.phases[p].active_power_w;
    reactive_var += measurement.phases[p].reactive_power_var;
  }
  // Register choice from the signs without branches, as EnergySet::add: R+ is QI + QII (Q ≥ 0),
  // R- is QIII + QIV (Q < 0), whatever the sign of P.
  const std::size_t exporting = active_w < 0.0 ? 1U : 0U;
  const std::size_t capacitive = reactive_var < 0.0 ? 1U : 0U;
  const auto duration = static_cast<std::uint64_t>(duration_us);
  auto& registers = energy[tariff_slot(tariff)];
  registers[static_cast<std::size_t>(EnergyKind::active_import) + exporting].add_picojoules(
      magnitude_to_microwatts(active_w) * duration);
  registers[static_cast<std::size_t>(EnergyKind::reactive_import) + capacitive].add_picojoules(
      magnitude_to_microwatts(reactive_var) * duration);
}

void TariffRegisters::add_split(int tariff_before, int tariff_after, UtcMicros switch_utc_us,
                                const Measurement& measurement) {
  const std::int64_t before_us = std::clamp<std::int64_t>(switch_utc_us - measurement.start_utc_us,
                                                          0, measurement.duration_us);
  // Both parts always run (a zero duration adds nothing) so the cost does not depend on where
  // the switch falls.
  add_duration(tariff_before, measurement, before_us);
  add_duration(tariff_after, measurement, measurement.duration_us - before_us);
}

const EnergyAccumulator& TariffRegisters::at(int tariff, EnergyKind kind) const {
  const auto index = static_cast<std::size_t>(kind);
  assert(index < tariff_energy_count);
  return energy[tariff_slot(tariff)][index];
}

EnergyAccumulator TariffRegisters::sum(EnergyKind kind) const {
  EnergyAccumulator total;
  for (int tariff = tariff_min; tariff <= tariff_max; ++tariff)
    total = total + at(tariff, kind);
  return total;
}

std::vector<RegisterReading> read_tariff_registers(const TariffRegisters& registers) {
  std::vector<RegisterReading> readings;
  readings.reserve(tariff_energy_count * tariff_count);
  for (std::size_t k = 0; k < tariff_energy_count; ++k) {
    const TariffKindInfo& info = tariff_kind_table[k];
    for (std::size_t slot = 0; slot < tariff_count; ++slot) {
      const int tariff = static_cast<int>(slot) + tariff_min;
      readings.push_back(
          RegisterReading{Obis{1, 0, info.c, 8, static_cast<std::uint8_t>(tariff), 255},
                          static_cast<std::int64_t>(registers.at(tariff, info.kind).watt_hours()),
                          0, info.unit, tariff_register_names[k][slot]});
    }
  }
  return readings;
}

}  // namespace gridmeter
