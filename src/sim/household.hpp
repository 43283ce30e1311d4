// A seeded household: who lives there, what they own, and their daily routine, turned into one
// day's schedule of piecewise-constant load per phase.
//
//   HouseholdProfile house = make_household_profile(seed, {.three_phase = true,
//                                                          .heat_pump = true});
//   DaySchedule day;
//   day.build(house, local_day);                       // a pure function of (seed, local_day)
//   const ScheduleSegment& now = day.segment_at(7 * 3600);   // the load at 07:00 local time
//   double p1_w = now.active_power_w[0];
//
// A day's schedule depends only on the seed and the day index (days of local time since
// 1970-01-01), never on which day was built before, so a run can resume at any instant.
#pragma once

#include <array>    // std::array
#include <cstdint>  // std::int32_t, std::int64_t, std::uint64_t, std::uint8_t
#include <span>     // std::span
#include <vector>   // std::vector

#include "sim/appliances.hpp"

namespace gridmeter::sim {

struct HouseholdOptions {
  bool three_phase = false;
  bool heat_pump = false;
  bool ev = false;
};

// Appliances that get their own random stream and (in three-phase houses) their own phase.
enum class Appliance : std::uint8_t {
  base,
  fridge,
  freezer,
  lighting,
  kettle,
  small_kitchen,
  hob,
  oven,
  washer,
  dishwasher,
  tv,
  computer,
  heat_pump,
  ev,
  routine,  // times of waking, leaving, returning, going to bed
  count,
};

inline constexpr std::size_t appliance_count = static_cast<std::size_t>(Appliance::count);

struct HouseholdProfile {
  std::uint64_t seed = 1;
  HouseholdOptions options;
  int occupants = 2;
  bool works_away = true;  // away on weekdays (else home all day: home office, retired)
  double wake_weekday_s = 6.5 * 3600;
  double wake_weekend_s = 8.5 * 3600;
  double leave_s = 7.75 * 3600;
  double return_s = 17.0 * 3600;
  double bedtime_s = 23.0 * 3600;
  double base_load_w = 90.0;
  CompressorSpec fridge;
  bool has_freezer = false;
  CompressorSpec freezer;
  double lighting_w = 150.0;
  double kettle_w = 2000.0;
  double hob_w = 2800.0;
  double oven_w = 2500.0;
  double cooking_chance = 0.85;  // of a cooked dinner on a given day
  double washes_per_week = 3.0;
  bool has_dishwasher = true;
  double dishwasher_runs_per_week = 4.0;
  double tv_w = 110.0;
  double computer_w = 120.0;
  HeatPumpSpec heat_pump;
  double ev_power_w = 11'000.0;
  double ev_sessions_per_week = 2.5;
  bool ev_charges_at_night = false;
  std::array<std::uint8_t, appliance_count> phase_of{};  // all 0 in a single-phase house

  [[nodiscard]] std::uint8_t phase(Appliance appliance) const {
    return phase_of[static_cast<std::size_t>(appliance)];
  }
};

HouseholdProfile make_household_profile(std::uint64_t seed, const HouseholdOptions& options);

// Appends every load of `local_day`, including runs that go on past midnight (end_s > 86400).
void add_household_day(std::vector<LoadEvent>& out, const HouseholdProfile& house,
                       std::int64_t local_day);

// A stretch of the day in which no load switches.
struct ScheduleSegment {
  std::int32_t begin_s = 0;  // seconds after local midnight
  std::int32_t end_s = 0;
  std::array<double, 3> active_power_w{};
  std::array<double, 3> reactive_power_var{};
  std::array<double, 3> harmonic_va{};  // sum of S times current THD of the loads on the phase
};

class DaySchedule {
 public:
  // Replaces the schedule with that of `local_day`; reuses its buffers, so after the first few
  // days it no longer allocates.
  void build(const HouseholdProfile& house, std::int64_t local_day);

  [[nodiscard]] bool built() const { return built_; }
  [[nodiscard]] std::int64_t day() const { return day_; }
  [[nodiscard]] std::span<const ScheduleSegment> segments() const { return segments_; }
  // The segment holding `second_of_day` (0..86399).
  [[nodiscard]] const ScheduleSegment& segment_at(std::int32_t second_of_day) const;

 private:
  bool built_ = false;
  std::int64_t day_ = 0;
  std::vector<LoadEvent> events_;
  std::vector<LoadEvent> previous_day_events_;
  std::vector<std::int32_t> boundaries_s_;
  std::vector<ScheduleSegment> segments_;
};

}  // namespace gridmeter::sim
