// Energy per tariff: A+, A-, R+ and R- for each tariff 1..8 (OBIS 1-0:1.8.t, 2.8.t, 3.8.t,
// 4.8.t; IEC 62056-6-1 value group E = tariff rate). The Meter feeds them, cutting intervals
// at the activity calendar's switch times.
//
//   TariffRegisters registers;
//   registers.add(2, measurement);                          // the whole interval to tariff 2
//   registers.add_split(2, 1, switch_utc, measurement);     // before / after the switch
//   for (const RegisterReading& r : read_tariff_registers(registers)) print(r);
//
// Each tariff integrates the total (phase-summed) P and Q exactly as EnergyRegisters::add does
// for its totals, and every interval's microseconds go to exactly one tariff, so for each of
// A+, A-, R+ and R- the sum over the tariffs equals the total register to the picojoule.
#pragma once

#include <array>    // std::array
#include <cstddef>  // std::size_t
#include <cstdint>  // std::int64_t
#include <vector>   // std::vector

#include "core/time.hpp"
#include "core/time_zone.hpp"
#include "meter/activity_calendar.hpp"
#include "meter/energy_accumulator.hpp"
#include "meter/energy_registers.hpp"
#include "meter/measurement.hpp"

namespace gridmeter {

// The kinds a tariff register keeps, indexed like the first four EnergyKind values.
inline constexpr std::size_t tariff_energy_count = 4;
static_assert(static_cast<std::size_t>(EnergyKind::active_import) == 0);
static_assert(static_cast<std::size_t>(EnergyKind::active_export) == 1);
static_assert(static_cast<std::size_t>(EnergyKind::reactive_import) == 2);
static_assert(static_cast<std::size_t>(EnergyKind::reactive_export) == 3);

struct TariffRegisters {
  // energy[tariff - 1][kind]: kind is EnergyKind active_import .. reactive_export.
  std::array<std::array<EnergyAccumulator, tariff_energy_count>, tariff_count> energy{};

  // The whole interval of `measurement` into `tariff` (1..8).
  void add(int tariff, const Measurement& measurement) {
    add_duration(tariff, measurement, measurement.duration_us);
  }
  // The interval's energy apportioned by time at `switch_utc_us`: the microseconds before it
  // to `tariff_before`, the rest to `tariff_after`. A switch outside the interval gives all of
  // it to one side. The two parts add up to the whole interval exactly (integer µs).
  void add_split(int tariff_before, int tariff_after, UtcMicros switch_utc_us,
                 const Measurement& measurement);
  // `duration_us` (0 .. the interval's) of the interval's powers into `tariff`: for callers that
  // cut an interval into several parts themselves (the parts must add up to the interval).
  void add_duration(int tariff, const Measurement& measurement, std::int64_t duration_us);

  // One register; `kind` must be one of A+, A-, R+, R-.
  [[nodiscard]] const EnergyAccumulator& at(int tariff, EnergyKind kind) const;
  // The sum over all tariffs, which equals EnergyRegisters::total[kind].
  [[nodiscard]] EnergyAccumulator sum(EnergyKind kind) const;

  friend bool operator==(const TariffRegisters&, const TariffRegisters&) = default;
};

// The 32 registers in OBIS order: 1.8.1 .. 1.8.8, 2.8.1 .. 2.8.8, 3.8.1 .., 4.8.1 .. 4.8.8
// (A = 1, B = 0, F = 255), whole Wh or varh with scaler 0, named "A+ T1" .. "R- T8".
std::vector<RegisterReading> read_tariff_registers(const TariffRegisters& registers);

}  // namespace gridmeter
