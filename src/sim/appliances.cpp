#include "sim/appliances.hpp"

#include <algorithm>  // std::clamp, std::min
#include <cmath>      // std::lround, std::sqrt

namespace gridmeter::sim {

void add_load(std::vector<LoadEvent>& out, double begin_s, double end_s, std::uint8_t phase,
              double power_w, LoadKind kind) {
  const auto begin = static_cast<std::int32_t>(std::lround(begin_s));
  const auto end = static_cast<std::int32_t>(std::lround(end_s));
  if (end <= begin || power_w <= 0.0) return;
  const double reactive_var = power_w * kind.reactive_per_watt;
  const double apparent_va = std::sqrt(power_w * power_w + reactive_var * reactive_var);
  out.push_back(LoadEvent{begin, end, phase, power_w, reactive_var,
                          apparent_va * kind.current_thd_percent / 100.0});
}

void add_compressor_day(std::vector<LoadEvent>& out, const CompressorSpec& spec,
                        double summer_factor, std::uint8_t phase, StreamRng& rng) {
  // Warmer kitchens in summer lose cold faster: up to 25 % shorter pauses.
  const double off_scale = 1.0 - 0.25 * summer_factor;
  // Start somewhere inside a cycle so midnight is not a synchronised switch-on.
  double t = -rng.uniform(0.0, spec.on_max_s + spec.off_max_s);
  while (t < seconds_per_day) {
    const double on_s = rng.uniform(spec.on_min_s, spec.on_max_s);
    const double off_s = rng.uniform(spec.off_min_s, spec.off_max_s) * off_scale;
    // The motor draws a little more just after start, while the pressure difference builds.
    const double power_w = spec.power_w * rng.uniform(0.95, 1.05);
    add_load(out, std::max(t, 0.0), std::min(t + 120.0, double{seconds_per_day}), phase,
             power_w * 1.1, compressor);
    add_load(out, std::max(t + 120.0, 0.0), std::min(t + on_s, double{seconds_per_day}), phase,
             power_w, compressor);
    t += on_s + off_s;
  }
}

void add_hob_session(std::vector<LoadEvent>& out, double begin_s, double duration_s, double power_w,
                     std::uint8_t phase_a, std::uint8_t phase_b, StreamRng& rng) {
  // Two plates: the first boils at full power, then both pulse under their regulators.
  const double first_w = power_w * 0.55;
  const double second_w = power_w - first_w;
  const double boil_s = std::min(duration_s, rng.uniform(240.0, 480.0));
  add_load(out, begin_s, begin_s + boil_s, phase_a, first_w, resistive);
  double t = begin_s + boil_s;
  const double end_s = begin_s + duration_s;
  while (t < end_s) {
    const double on_s = rng.uniform(40.0, 150.0);
    const double off_s = rng.uniform(30.0, 120.0);
    add_load(out, t, std::min(t + on_s, end_s), phase_a, first_w, resistive);
    t += on_s + off_s;
  }
  const double second_begin_s = begin_s + rng.uniform(60.0, 600.0);
  t = second_begin_s;
  while (t < end_s) {
    const double on_s = rng.uniform(60.0, 200.0);
    const double off_s = rng.uniform(30.0, 150.0);
    add_load(out, t, std::min(t + on_s, end_s), phase_b, second_w, resistive);
    t += on_s + off_s;
  }
}

void add_oven_session(std::vector<LoadEvent>& out, double begin_s, double duration_s,
                      double power_w, std::uint8_t phase, StreamRng& rng) {
  const double heat_up_s = std::min(duration_s, rng.uniform(480.0, 720.0));
  add_load(out, begin_s, begin_s + heat_up_s, phase, power_w, resistive);
  double t = begin_s + heat_up_s;
  const double end_s = begin_s + duration_s;
  while (t < end_s) {
    const double off_s = rng.uniform(60.0, 120.0);
    const double on_s = rng.uniform(50.0, 110.0);
    add_load(out, t + off_s, std::min(t + off_s + on_s, end_s), phase, power_w, resistive);
    t += off_s + on_s;
  }
  // The fan and lamp run throughout.
  add_load(out, begin_s, end_s, phase, 35.0, drum_motor);
}

double add_washing_cycle(std::vector<LoadEvent>& out, double begin_s, double heater_w,
                         std::uint8_t phase, StreamRng& rng) {
  double t = begin_s;
  const auto stage = [&](double duration_s, double power_w, LoadKind kind) {
    add_load(out, t, t + duration_s, phase, power_w, kind);
    t += duration_s;
  };
  stage(rng.uniform(180.0, 300.0), 60.0, drum_motor);      // fill
  const double heat_s = rng.uniform(900.0, 1200.0);        // 40-60 degC wash
  add_load(out, t, t + heat_s, phase, 120.0, drum_motor);  // drum turns while heating
  stage(heat_s, heater_w, resistive);
  stage(rng.uniform(1800.0, 2700.0), rng.uniform(180.0, 260.0), drum_motor);  // wash
  stage(rng.uniform(900.0, 1200.0), 90.0, drum_motor);                        // rinses
  stage(rng.uniform(420.0, 720.0), rng.uniform(380.0, 500.0), drum_motor);    // spin
  return t;
}

double add_dishwasher_cycle(std::vector<LoadEvent>& out, double begin_s, double heater_w,
                            std::uint8_t phase, StreamRng& rng) {
  double t = begin_s;
  const auto stage = [&](double duration_s, double power_w, LoadKind kind) {
    add_load(out, t, t + duration_s, phase, power_w, kind);
    t += duration_s;
  };
  stage(rng.uniform(240.0, 360.0), 70.0, drum_motor);  // pre-rinse
  const double wash_heat_s = rng.uniform(900.0, 1320.0);
  add_load(out, t, t + wash_heat_s, phase, 80.0, drum_motor);  // circulation pump
  stage(wash_heat_s, heater_w, resistive);
  stage(rng.uniform(1800.0, 2400.0), 85.0, drum_motor);  // wash
  const double rinse_heat_s = rng.uniform(540.0, 840.0);
  add_load(out, t, t + rinse_heat_s, phase, 80.0, drum_motor);
  stage(rinse_heat_s, heater_w, resistive);           // hot rinse
  stage(rng.uniform(1200.0, 2100.0), 12.0, standby);  // drying, electronics only
  return t;
}

void add_heat_pump_day(std::vector<LoadEvent>& out, const HeatPumpSpec& spec,
                       double mean_temperature_c, double hot_water_begin_s, StreamRng& rng) {
  // Heating below a 15.5 degC balance point (internal and solar gains cover the rest); the
  // coefficient of performance falls as the outside gets colder.
  const double heat_need_w = std::max(0.0, 15.5 - mean_temperature_c) * spec.heat_loss_w_per_k;
  const double cop = std::clamp(2.9 + 0.08 * mean_temperature_c, 2.2, 4.5);
  const double electric_need_w = heat_need_w / cop;
  if (electric_need_w > 0.02 * spec.rated_w) {
    // The inverter runs slower in mild weather, so it modulates as well as cycles.
    const double load_fraction = std::clamp(electric_need_w / spec.rated_w, 0.0, 1.0);
    const double power_w = spec.rated_w * (0.45 + 0.55 * load_fraction);
    const double duty = std::min(0.92, electric_need_w / power_w);
    double t = -rng.uniform(0.0, 3600.0);
    while (t < seconds_per_day) {
      const double on_s = rng.uniform(1200.0, 2700.0);
      const double off_s = std::max(240.0, on_s * (1.0 - duty) / duty * rng.uniform(0.8, 1.2));
      add_load(out, std::max(t, 0.0), std::min(t + on_s, double{seconds_per_day}), all_phases,
               power_w * rng.uniform(0.93, 1.07), heat_pump_drive);
      t += on_s + off_s;
    }
  }
  const double hot_water_s = spec.hot_water_s * rng.uniform(0.8, 1.2);
  add_load(out, hot_water_begin_s, hot_water_begin_s + hot_water_s, all_phases, spec.hot_water_w,
           heat_pump_drive);
}

void add_ev_session(std::vector<LoadEvent>& out, double begin_s, double energy_wh, double power_w,
                    std::uint8_t phase) {
  // Constant current for 90 % of the energy, then the battery management halves the current.
  const double bulk_s = 0.9 * energy_wh / power_w * 3600.0;
  const double tail_s = 0.1 * energy_wh / (0.5 * power_w) * 3600.0;
  add_load(out, begin_s, begin_s + bulk_s, phase, power_w, ev_charger);
  add_load(out, begin_s + bulk_s, begin_s + bulk_s + tail_s, phase, 0.5 * power_w, ev_charger);
}

}  // namespace gridmeter::sim
