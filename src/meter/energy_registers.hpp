// The meter's energy registers: 4-quadrant active, reactive and apparent energy, total and
// per phase, integrated exactly from measurements.
//
//   EnergyRegisters registers;
//   registers.add(measurement);                        // integrate one interval
//   for (const RegisterReading& r : read_energy_registers(registers, connection)) {
//     print(to_string(r.obis), r.value, r.scaler, unit_symbol(r.unit));
//   }
//
// Quadrants (IEC 62053-23 clause 3 figure, IEC 62056-6-1 annex on energy quadrants), seen from
// the meter with P > 0 import and Q > 0 inductive: QI P≥0 Q≥0, QII P<0 Q≥0, QIII P<0 Q<0,
// QIV P≥0 Q<0. R+ = QI + QII, R- = QIII + QIV. Apparent energy is import when P ≥ 0 (QI+QIV)
// and export when P < 0 (QII+QIII).
//
// Totals integrate the phase sum of the signed powers (vector summation across phases), so a
// house that exports on L1 what it imports on L2 registers no active energy in total; the
// per-phase registers integrate each phase on its own.
#pragma once

#include <array>        // std::array
#include <cmath>        // std::fabs
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "core/obis.hpp"
#include "meter/energy_accumulator.hpp"
#include "meter/measurement.hpp"
#include "meter/units.hpp"

namespace gridmeter {

enum class EnergyKind : std::uint8_t {
  active_import = 0,  // A+
  active_export,      // A-
  reactive_import,    // R+ (QI + QII)
  reactive_export,    // R- (QIII + QIV)
  reactive_q1,
  reactive_q2,
  reactive_q3,
  reactive_q4,
  apparent_import,  // S when P ≥ 0
  apparent_export,  // S when P < 0
};
inline constexpr std::size_t energy_kind_count = 10;

enum class Quadrant : std::uint8_t { q1 = 1, q2 = 2, q3 = 3, q4 = 4 };

// The quadrant a (P, Q) pair lies in; the axes belong to the import side (P = 0 → QI or QIV).
constexpr Quadrant quadrant_of(double active_power_w, double reactive_power_var) {
  if (active_power_w >= 0.0) return reactive_power_var >= 0.0 ? Quadrant::q1 : Quadrant::q4;
  return reactive_power_var >= 0.0 ? Quadrant::q2 : Quadrant::q3;
}

// What a measuring point accumulates: every kind that is not a sum of others. R+ and R- are
// derived (R+ = QI + QII, R- = QIII + QIV, exactly, since each adds the same increments), which
// spares a quarter of the work on the meter's hot path.
enum class StoredEnergy : std::uint8_t {
  active_import = 0,
  active_export,
  reactive_q1,
  reactive_q2,
  reactive_q3,
  reactive_q4,
  apparent_import,
  apparent_export,
};
inline constexpr std::size_t stored_energy_count = 8;

// The accumulators of one measuring point (the total, or one phase).
struct EnergySet {
  std::array<EnergyAccumulator, stored_energy_count> accumulators{};

  void add(double active_power_w, double reactive_power_var, double apparent_power_va,
           std::uint64_t duration_us);
  [[nodiscard]] EnergyAccumulator operator[](EnergyKind kind) const;
  [[nodiscard]] const EnergyAccumulator& operator[](StoredEnergy kind) const {
    return accumulators[static_cast<std::size_t>(kind)];
  }
  friend bool operator==(const EnergySet&, const EnergySet&) = default;
};

constexpr std::size_t stored_index(StoredEnergy kind) { return static_cast<std::size_t>(kind); }

static_assert(stored_index(StoredEnergy::active_export) ==
              stored_index(StoredEnergy::active_import) + 1);
static_assert(stored_index(StoredEnergy::reactive_q4) ==
              stored_index(StoredEnergy::reactive_q1) + 3);
static_assert(stored_index(StoredEnergy::apparent_export) ==
              stored_index(StoredEnergy::apparent_import) + 1);

inline EnergyAccumulator EnergySet::operator[](EnergyKind kind) const {
  switch (kind) {
    case EnergyKind::active_import:
      return (*this)[StoredEnergy::active_import];
    case EnergyKind::active_export:
      return (*this)[StoredEnergy::active_export];
    case EnergyKind::reactive_import:
      return (*this)[StoredEnergy::reactive_q1] + (*this)[StoredEnergy::reactive_q2];
    case EnergyKind::reactive_export:
      return (*this)[StoredEnergy::reactive_q3] + (*this)[StoredEnergy::reactive_q4];
    case EnergyKind::reactive_q1:
      return (*this)[StoredEnergy::reactive_q1];
    case EnergyKind::reactive_q2:
      return (*this)[StoredEnergy::reactive_q2];
    case EnergyKind::reactive_q3:
      return (*this)[StoredEnergy::reactive_q3];
    case EnergyKind::reactive_q4:
      return (*this)[StoredEnergy::reactive_q4];
    case EnergyKind::apparent_import:
      return (*this)[StoredEnergy::apparent_import];
    case EnergyKind::apparent_export:
      return (*this)[StoredEnergy::apparent_export];
  }
  return {};
}

// Inline: it runs four times an interval, on the meter's hot path.
inline void EnergySet::add(double active_power_w, double reactive_power_var,
                           double apparent_power_va, std::uint64_t duration_us) {
  // Register indices from the signs without branches: the signs flip often in a household
  // with PV, and mispredicted branches would cost more than the integration.
  const std::size_t exporting = active_power_w < 0.0 ? 1U : 0U;
  const std::size_t capacitive = reactive_power_var < 0.0 ? 1U : 0U;
  // QI (0, 0), QII (1, 0), QIII (1, 1), QIV (0, 1) → quadrant index 0, 1, 2, 3.
  const std::size_t quadrant = exporting + capacitive * (3U - 2U * exporting);
  const std::uint64_t active_pj = magnitude_to_microwatts(active_power_w) * duration_us;
  const std::uint64_t reactive_pj = magnitude_to_microwatts(reactive_power_var) * duration_us;
  const std::uint64_t apparent_pj = magnitude_to_microwatts(apparent_power_va) * duration_us;

  accumulators[stored_index(StoredEnergy::active_import) + exporting].add_picojoules(active_pj);
  accumulators[stored_index(StoredEnergy::reactive_q1) + quadrant].add_picojoules(reactive_pj);
  accumulators[stored_index(StoredEnergy::apparent_import) + exporting].add_picojoules(apparent_pj);
}

struct EnergyRegisters {
  EnergySet total;
  std::array<EnergySet, phase_count_max> phases{};

  void add(const Measurement& measurement);
  friend bool operator==(const EnergyRegisters&, const EnergyRegisters&) = default;
};

// One register as a DLMS Register (class 3) would expose it: value × 10^scaler in unit.
struct RegisterReading {
  Obis obis;
  std::int64_t value = 0;
  std::int8_t scaler = 0;
  Unit unit = Unit::count;
  std::string_view name;  // e.g. "A+ total", for humans
};

// Every energy register the connection has, in OBIS order of the IDIS object list: the totals
// (1.8.0 … 10.8.0, 16.8.0), then per phase (21.8.0 …, 41.8.0 …, 61.8.0 …) for the phases the
// connection meters (none for the 3-wire connection, whose two elements are not phases).
// `scaler` sets the resolution: 0 gives whole Wh (what a residential meter displays), -3 mWh
// (short recordings).
std::vector<RegisterReading> read_energy_registers(const EnergyRegisters& registers,
                                                   Connection connection, int scaler = 0);

// Net active energy A+ − A- in whole units of 10^scaler Wh, truncated toward zero.
std::int64_t net_active_energy(const EnergySet& set, int scaler = 0);

}  // namespace gridmeter
