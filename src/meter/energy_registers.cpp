#include "meter/energy_registers.hpp"

#include <cmath>

namespace gridmeter {
namespace {

// Value group C of each kind for the total (IEC 62056-6-1 clause 5.4.4 table: 1 = Σ Li active
// power+, …, 10 = Σ Li apparent power−); a phase adds 20 (L1), 40 (L2) or 60 (L3).
struct KindInfo {
  EnergyKind kind;
  std::uint8_t c_total;
  Unit unit;
  std::string_view total_name;
};
constexpr std::array<KindInfo, energy_kind_count> kind_table{{
    {EnergyKind::active_import, 1, Unit::watt_hour, "A+"},
    {EnergyKind::active_export, 2, Unit::watt_hour, "A-"},
    {EnergyKind::reactive_import, 3, Unit::var_hour, "R+"},
    {EnergyKind::reactive_export, 4, Unit::var_hour, "R-"},
    {EnergyKind::reactive_q1, 5, Unit::var_hour, "R QI"},
    {EnergyKind::reactive_q2, 6, Unit::var_hour, "R QII"},
    {EnergyKind::reactive_q3, 7, Unit::var_hour, "R QIII"},
    {EnergyKind::reactive_q4, 8, Unit::var_hour, "R QIV"},
    {EnergyKind::apparent_import, 9, Unit::volt_ampere_hour, "S+"},
    {EnergyKind::apparent_export, 10, Unit::volt_ampere_hour, "S-"},
}};
constexpr std::uint8_t c_absolute_active = 15;  // |A+| + |A-|
constexpr std::uint8_t c_net_active = 16;       // A+ − A-

// Names spelled out once so the readings can hold string_views into static storage.
constexpr std::array<std::array<std::string_view, energy_kind_count + 2>, phase_count_max + 1>
    register_names{{
        {"A+ total", "A- total", "R+ total", "R- total", "R QI total", "R QII total",
         "R QIII total", "R QIV total", "S+ total", "S- total", "|A| total", "A net total"},
        {"A+ L1", "A- L1", "R+ L1", "R- L1", "R QI L1", "R QII L1", "R QIII L1", "R QIV L1",
         "S+ L1", "S- L1", "|A| L1", "A net L1"},
        {"A+ L2", "A- L2", "R+ L2", "R- L2", "R QI L2", "R QII L2", "R QIII L2", "R QIV L2",
         "S+ L2", "S- L2", "|A| L2", "A net L2"},
        {"A+ L3", "A- L3", "R+ L3", "R- L3", "R QI L3", "R QII L3", "R QIII L3", "R QIV L3",
         "S+ L3", "S- L3", "|A| L3", "A net L3"},
    }};

Obis energy_obis(std::uint8_t c_total, std::size_t point) {
  return Obis{1, 0, static_cast<std::uint8_t>(c_total + 20 * point), 8, 0, 255};
}

void append_point(const EnergySet& set, std::size_t point, int scaler,
                  std::vector<RegisterReading>& out) {
  const auto scaler8 = static_cast<std::int8_t>(scaler);
  const auto& names = register_names[point];
  for (std::size_t k = 0; k < energy_kind_count; ++k) {
    const KindInfo& info = kind_table[k];
    out.push_back(RegisterReading{energy_obis(info.c_total, point),
                                  static_cast<std::int64_t>(set[info.kind].in_units(scaler)),
                                  scaler8, info.unit, names[k]});
  }
  const auto absolute = static_cast<std::int64_t>(
      (set[EnergyKind::active_import] + set[EnergyKind::active_export]).in_units(scaler));
  out.push_back(RegisterReading{energy_obis(c_absolute_active, point), absolute, scaler8,
                                Unit::watt_hour, names[energy_kind_count]});
  out.push_back(RegisterReading{energy_obis(c_net_active, point), net_active_energy(set, scaler),
                                scaler8, Unit::watt_hour, names[energy_kind_count + 1]});
}

}  // namespace

void EnergyRegisters::add(const Measurement& measurement) {
  const auto duration_us = static_cast<std::uint64_t>(measurement.duration_us);
  const std::size_t count = phase_count(measurement.connection);
  double active_w = 0.0;
  double reactive_var = 0.0;
  double apparent_va = 0.0;
  for (std::size_t p = 0; p < count; ++p) {
    const PhaseMeasurement& phase = measurement.phases[p];
    phases[p].add(phase.active_power_w, phase.reactive_power_var, phase.apparent_power_va,
                  duration_us);
    active_w += phase.active_power_w;
    reactive_var += phase.reactive_power_var;
    apparent_va += phase.apparent_power_va;
  }
  // Total apparent power: arithmetic sum of the phases' U·I (IEC 62053-24 / IEEE 1459
  // "arithmetic apparent power"), the definition most residential meters register.
  total.add(active_w, reactive_var, apparent_va, duration_us);
}

std::int64_t net_active_energy(const EnergySet& set, int scaler) {
  const EnergyAccumulator& import = set[EnergyKind::active_import];
  const EnergyAccumulator& exported = set[EnergyKind::active_export];
  const bool negative = import < exported;
  const EnergyAccumulator& larger = negative ? exported : import;
  const EnergyAccumulator& smaller = negative ? import : exported;
  const std::uint64_t low = larger.low_word() - smaller.low_word();
  const std::uint64_t borrow = larger.low_word() < smaller.low_word() ? 1U : 0U;
  const std::uint64_t high = larger.high_word() - smaller.high_word() - borrow;
  const auto magnitude =
      static_cast<std::int64_t>(EnergyAccumulator::from_words(high, low).in_units(scaler));
  return negative ? -magnitude : magnitude;
}

std::vector<RegisterReading> read_energy_registers(const EnergyRegisters& registers,
                                                   Connection connection, int scaler) {
  std::vector<RegisterReading> readings;
  readings.reserve((energy_kind_count + 2) * (phase_count_max + 1));
  append_point(registers.total, 0, scaler, readings);
  if (connection == Connection::three_phase_3w) return readings;
  for (std::size_t p = 0; p < phase_count(connection); ++p) {
    append_point(registers.phases[p], p + 1, scaler, readings);
  }
  return readings;
}

}  // namespace gridmeter
