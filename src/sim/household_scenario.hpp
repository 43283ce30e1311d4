// HouseholdScenario: the Scenario behind "household", "household-3ph" and "household-pv": a
// seeded household (household.hpp), optional rooftop PV (solar.hpp, weather.hpp) and the
// supply (grid.hpp), combined into one Measurement per 200 ms interval.
//
//   HouseholdScenario pv({.name = "household-pv", .seed = 3},
//                        {.household = {.three_phase = true, .heat_pump = true, .ev = true},
//                         .pv = true});
//   pv.measure(t, m);
//
// Speed: the load only changes at schedule change points and the grid at whole minutes, so
// everything but noise is computed once per "segment" (the stretch up to the next change point
// or minute, at most 300 intervals) and cached. A measure() call inside the cached segment is
// two hashes, a division per phase, one square root and the stores (about 25 ns for three
// phases). The caches are keyed by time and hold only what a fresh computation would give, so
// they never change what measure() returns.
#pragma once

#include <array>    // std::array
#include <cstdint>  // std::int64_t, std::uint64_t, std::uint8_t
#include <vector>   // std::vector

#include "sim/grid.hpp"
#include "sim/grid_events.hpp"
#include "sim/household.hpp"
#include "sim/local_time.hpp"
#include "sim/scenario.hpp"
#include "sim/solar.hpp"

namespace gridmeter::sim {

struct HouseholdScenarioOptions {
  HouseholdOptions household;
  bool pv = false;  // a three-phase rooftop array of 4.5-7.5 kWp (seeded)
  // The grid's voltage events (grid_events.hpp): dips, swells, interruptions, RVCs at
  // realistic seeded rates; `grid_event_rate` scales every rate (0: none).
  double grid_event_rate = 1.0;
};

class HouseholdScenario final : public Scenario {
 public:
  HouseholdScenario(ScenarioConfig config, const HouseholdScenarioOptions& options);

  [[nodiscard]] const ScenarioConfig& config() const override { return config_; }
  [[nodiscard]] Connection connection() const override { return connection_; }
  void measure(UtcMicros start, Measurement& out) override;

  [[nodiscard]] const HouseholdProfile& profile() const { return profile_; }
  // The voltage events the grid injects in [from, to), in time order (the truth a test
  // compares the meter's voltage quality registration with).
  [[nodiscard]] std::vector<GridEvent> grid_events(UtcMicros from, UtcMicros to) const;
  [[nodiscard]] double pv_peak_w() const { return pv_peak_w_; }

 private:
  struct PhaseSegment {
    double active_power_w = 0.0;
    double reactive_power_var = 0.0;
    double apparent_power_va = 0.0;
    double power_factor = 1.0;
    double neutral_re_va = 0.0;  // the phase's share of the neutral phasor, times |U|
    double neutral_im_va = 0.0;
    double voltage_origin_v = 0.0;  // grid voltage at the segment's minute, before own drop
    double voltage_slope_v_per_us = 0.0;
    double voltage_thd_percent = 0.0;
    std::array<float, voltage_harmonic_order_max + 1> voltage_harmonic_percent{};
    double current_thd_percent = 0.0;
    double drop_v = 0.0;  // own load's voltage drop, before noise
  };
  struct Segment {
    UtcMicros begin_utc = 0;  // valid for [begin_utc, end_utc); empty until the first refresh
    UtcMicros end_utc = 0;
    UtcMicros origin_utc = 0;  // the minute the grid knots belong to
    double frequency_origin_hz = 0.0;
    double frequency_slope_hz_per_us = 0.0;
    std::array<PhaseSegment, 3> phases{};
  };

  void refresh(UtcMicros start);
  // Applies the day's grid events that overlap the interval of `out`.
  void apply_grid_events(Measurement& out);
  // The per-interval work inside the cached segment, for 1 or 3 phases.
  // `out` is never part of the scenario: __restrict lets the compiler keep members in
  // registers across the stores instead of reloading them.
  template <std::size_t Phases>
  void fill(UtcMicros start, Measurement& __restrict out) const;
  [[nodiscard]] const GridKnot& knot_at(std::int64_t utc_minute);

  ScenarioConfig config_;
  Connection connection_;
  std::size_t phase_count_;
  std::uint8_t half_cycle_count_;
  bool pv_;
  double pv_peak_w_ = 0.0;
  double drop_v_per_w_;     // own load's voltage drop over the service cable
  double voltage_noise_v_;  // interval-to-interval jitter
  std::uint64_t noise_key_;
  std::uint64_t voltage_noise_key_;
  // Zero-mean jitter of the half-cycle RMS values around the interval's RMS voltage; zero past
  // half_cycle_count_.
  std::array<std::array<float, half_cycles_max>, 16> half_cycle_jitter_v_{};
  // What a single-phase scenario writes into the unused phase slots.
  PhaseMeasurement unused_phase_{};
  std::array<float, half_cycles_max> unused_half_cycles_{};
  std::array<float, voltage_harmonic_order_max + 1> unused_harmonics_{};

  HouseholdProfile profile_;
  GridModel grid_;
  DaySchedule schedule_;
  LocalOffset zone_;
  Segment segment_;
  // The two most recent grid knots, so consecutive minutes share their common knot.
  std::array<GridKnot, 2> knots_{};
  std::array<std::int64_t, 2> knot_minutes_{};
  std::array<bool, 2> knot_valid_{};
  // PV output of the most recent minute (load changes inside a minute reuse it).
  double pv_per_phase_w_ = 0.0;
  std::int64_t pv_minute_ = 0;
  bool pv_valid_ = false;
  double grid_event_rate_ = 1.0;
  std::vector<GridEvent> day_events_;  // the grid events of events_day_ (UTC day)
  std::int64_t events_day_ = 0;
  bool events_valid_ = false;
  SolarDay solar_day_;
  std::int64_t solar_day_index_ = 0;
  bool solar_day_valid_ = false;
};

}  // namespace gridmeter::sim
