// Demand: mean power over an integration period (Demand register, IEC 62056-6-2 clause
// 4.3.4, class 5) for A+, A-, R+ and R-, and maximum demand per tariff with its capture time
// (Extended register, class 4: 1-0:1.6.0 total, 1-0:1.6.1 .. 1.6.8 per tariff, and 2.6.x for
// A-), with the cumulative maximum (1-0:1.2.0, 2.2.0) that a billing reset adds the maximum
// to.
//
//   DemandState demand;
//   demand.start(config, energy, now);            // at power-up, clock change, new config
//   demand.close_sub_period(config, energy, end, tariff);   // at every sub-period boundary
//   demand.current_average_w(config, energy, now, EnergyKind::active_import);
//
// Class 5 with number_of_periods = sub_periods and period = period_min / sub_periods: after
// each sub-period the last average is the energy of the last `sub_periods` sub-periods divided
// by the whole integration period (a block demand when sub_periods = 1). Sub-periods run on
// the meter clock's boundaries. A sub-period cut short (power failure, clock adjustment) still
// counts as whole: the average is the energy over the nominal period, as IEC 62053 demand
// displays do; it starts from the first boundary after power-up or adjustment with an empty
// window, so a partial window never inflates the maximum.
#pragma once

#include <array>    // std::array
#include <cstddef>  // std::size_t
#include <cstdint>  // std::int64_t

#include "core/time.hpp"
#include "meter/activity_calendar.hpp"
#include "meter/energy_accumulator.hpp"
#include "meter/energy_registers.hpp"
#include "meter/meter_config.hpp"
#include "meter/tariff_registers.hpp"

namespace gridmeter {

inline constexpr std::size_t demand_kind_count = 4;  // A+, A-, R+, R- (EnergyKind 0..3)
inline constexpr std::size_t demand_sub_periods_max = 15;
// Maximum demand kept for A+ and A- (index 0, 1), total (index 0) and per tariff (1..8).
inline constexpr std::size_t max_demand_kind_count = 2;

struct MaximumDemand {
  double value_w = 0.0;       // W or var
  UtcMicros time_utc_us = 0;  // end of the integration period (meter clock); 0: none yet
  friend constexpr bool operator==(const MaximumDemand&, const MaximumDemand&) = default;
};

struct DemandState {
  // Energy of each kind at the start of the running sub-period (picojoules, from the totals).
  std::array<EnergyAccumulator, demand_kind_count> sub_period_start{};
  // Energy of each closed sub-period of the window, oldest first; `filled` of them are valid.
  std::array<std::array<double, demand_sub_periods_max>, demand_kind_count> window_wh{};
  std::size_t filled = 0;
  UtcMicros sub_period_start_utc_us = 0;  // meter clock
  // class 5 last_average_value and capture_time (0 before the first full window).
  std::array<double, demand_kind_count> last_average_w{};
  UtcMicros last_average_utc_us = 0;
  // maximum[kind][0] total, [kind][t] tariff t.
  std::array<std::array<MaximumDemand, tariff_count + 1>, max_demand_kind_count> maximum{};
  std::array<double, max_demand_kind_count> cumulative_maximum_w{};

  // Starts a new window at `now` (meter clock): a power-up, a clock adjustment, a new config.
  void start(const EnergyRegisters& energy, UtcMicros now);
  // Closes the running sub-period at `end` (meter clock): updates the window, the last
  // average, and the maximum demand of the total and of `tariff` (the tariff in force during
  // the sub-period) once the window is full.
  void close_sub_period(const DemandConfig& config, const EnergyRegisters& energy, UtcMicros end,
                        int tariff);
  // class 5 current_average_value: the energy of the window so far (closed sub-periods of the
  // window plus the running one) divided by the integration period.
  [[nodiscard]] double current_average_w(const DemandConfig& config, const EnergyRegisters& energy,
                                         EnergyKind kind) const;
  // End of billing period: each maximum is added to the cumulative maximum and reset.
  void billing_reset();

  friend bool operator==(const DemandState&, const DemandState&) = default;
};

// The registers for reports: 1.4.0 .. 4.4.0 (current average), 1.5.0 .. 4.5.0 (last average),
// 1.6.0 .. 1.6.8 and 2.6.0 .. 2.6.8 (maximum, with time), 1.2.0 and 2.2.0 (cumulative
// maximum). Values in W/var, scaler 0.
struct DemandReading {
  Obis obis;
  double value = 0.0;
  Unit unit = Unit::watt;
  UtcMicros time_utc_us = 0;  // capture time for maxima; 0 otherwise or none yet
  std::string_view name;
};
std::vector<DemandReading> read_demand_registers(const DemandState& demand,
                                                 const DemandConfig& config,
                                                 const EnergyRegisters& energy);

}  // namespace gridmeter
