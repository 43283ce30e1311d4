// Appliances: the electrical shape of one run of each household appliance, as piecewise-constant
// loads on a phase. When an appliance runs is the household's business (household.hpp).
//
//   std::vector<LoadEvent> day;
//   add_load(day, 7.0 * 3600, 7.0 * 3600 + 210, 0, 2000.0, resistive);   // a kettle at 07:00
//   add_washing_cycle(day, 9.5 * 3600, 2000.0, 2, rng);                    // a wash at 09:30
//
// Times are seconds from local midnight of the day being built; a run may go on past 86400 and
// the schedule carries that part into the next day. Times round to whole seconds so every change
// of load falls on a boundary of the 200 ms measurement grid.
#pragma once

#include <cstdint>  // std::int32_t, std::uint8_t
#include <vector>   // std::vector

#include "sim/hash_noise.hpp"

namespace gridmeter::sim {

inline constexpr std::int32_t seconds_per_day = 86'400;

// A load on one phase (0..2), or balanced over all three (three-phase appliances).
inline constexpr std::uint8_t all_phases = 3;

// How a kind of load draws current: reactive power per watt (tan phi; > 0 inductive,
// < 0 capacitive) and current THD.
struct LoadKind {
  double reactive_per_watt = 0.0;
  double current_thd_percent = 0.0;
};

inline constexpr LoadKind resistive{0.0, 2.0};           // kettle, hob, heater elements
inline constexpr LoadKind compressor{0.75, 12.0};        // fridge: PF 0.8 inductive
inline constexpr LoadKind drum_motor{1.02, 15.0};        // washing drum, pumps: PF 0.7
inline constexpr LoadKind electronics{-0.3287, 25.0};    // TV, PC with PFC: PF 0.95 capacitive
inline constexpr LoadKind standby{-0.25, 60.0};          // small power supplies without PFC
inline constexpr LoadKind led_lighting{-0.4843, 45.0};   // LED drivers: PF 0.9 capacitive
inline constexpr LoadKind heat_pump_drive{0.3287, 8.0};  // inverter compressor: PF 0.95 ind.
inline constexpr LoadKind ev_charger{-0.05, 4.0};        // on-board charger, PF ~0.999

struct LoadEvent {
  std::int32_t begin_s = 0;
  std::int32_t end_s = 0;
  std::uint8_t phase = 0;
  double active_power_w = 0.0;
  double reactive_power_var = 0.0;
  double harmonic_va = 0.0;  // S times current THD: summed to estimate the phase's THD
};

// Appends a constant load for [begin_s, end_s); nothing when the span is empty.
void add_load(std::vector<LoadEvent>& out, double begin_s, double end_s, std::uint8_t phase,
              double power_w, LoadKind kind);

// A compressor that cycles on and off all day (fridge, freezer). Cycles restart at midnight,
// so each day stands alone; warmer days (summer_factor 1) shorten the off time.
struct CompressorSpec {
  double power_w = 120.0;
  double on_min_s = 15 * 60.0;
  double on_max_s = 25 * 60.0;
  double off_min_s = 30 * 60.0;
  double off_max_s = 50 * 60.0;
};
void add_compressor_day(std::vector<LoadEvent>& out, const CompressorSpec& spec,
                        double summer_factor, std::uint8_t phase, StreamRng& rng);

// A hob session: plates switched by their energy regulators, pulsing between full and off.
void add_hob_session(std::vector<LoadEvent>& out, double begin_s, double duration_s, double power_w,
                     std::uint8_t phase_a, std::uint8_t phase_b, StreamRng& rng);

// An oven: full power while heating up, then thermostat cycling at about half duty.
void add_oven_session(std::vector<LoadEvent>& out, double begin_s, double duration_s,
                      double power_w, std::uint8_t phase, StreamRng& rng);

// A washing machine programme (~1 kWh): fill, heat, wash, rinse, spin. Returns its end.
double add_washing_cycle(std::vector<LoadEvent>& out, double begin_s, double heater_w,
                         std::uint8_t phase, StreamRng& rng);

// A dishwasher programme (~1.1 kWh): two heating phases around the circulation pump.
double add_dishwasher_cycle(std::vector<LoadEvent>& out, double begin_s, double heater_w,
                            std::uint8_t phase, StreamRng& rng);

// A heat pump's day: compressor cycles whose duty follows the day's heating need, plus one
// domestic hot water run starting at hot_water_begin_s. Balanced over the three phases.
struct HeatPumpSpec {
  double heat_loss_w_per_k = 120.0;  // of the house, to the outside
  double rated_w = 1600.0;           // electrical, at full speed
  double hot_water_w = 2000.0;       // electrical, while heating the tank
  double hot_water_s = 3600.0;
};
void add_heat_pump_day(std::vector<LoadEvent>& out, const HeatPumpSpec& spec,
                       double mean_temperature_c, double hot_water_begin_s, StreamRng& rng);

// An EV charging session delivering energy_wh, with a constant-voltage tail at half power.
void add_ev_session(std::vector<LoadEvent>& out, double begin_s, double energy_wh, double power_w,
                    std::uint8_t phase);

}  // namespace gridmeter::sim
