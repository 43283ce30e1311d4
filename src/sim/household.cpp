#include "sim/household.hpp"

#include <algorithm>  // std::max, std::min, std::sort, std::unique, std::upper_bound
#include <cassert>    // assert

#include "sim/local_time.hpp"
#include "sim/solar.hpp"
#include "sim/weather.hpp"

namespace gridmeter::sim {

namespace {

constexpr double hour_s = 3600.0;
constexpr double minute_s = 60.0;

constexpr std::uint64_t stream_profile = 0x4b0000;
constexpr std::uint64_t stream_vacation = 0x4b0001;
constexpr std::uint64_t stream_appliance_base = 0x4b1000;

// One random stream per appliance per day: adding an appliance to a scenario leaves every
// other appliance's schedule as it was.
StreamRng day_stream(const HouseholdProfile& house, Appliance appliance, std::int64_t day) {
  return StreamRng(
      hash_key(house.seed, stream_appliance_base + static_cast<std::uint64_t>(appliance), day));
}

// One summer holiday a year, away from home: only the things that never switch off keep going.
bool on_vacation(const HouseholdProfile& house, std::int64_t day) {
  const int year = civil_from_days(day).year;
  StreamRng rng(hash_key(house.seed, stream_vacation, std::int64_t{year}));
  const std::int64_t first = days_from_civil(year, 7, 1) + rng.integer(-10, 35);
  const std::int64_t length = rng.integer(9, 16);
  return day >= first && day < first + length;
}

// When people are at home on a given day, and their times for it.
struct Routine {
  bool weekend = false;
  double wake_s = 0.0;
  double bed_s = 0.0;
  bool away = false;  // at work for the day
  double leave_s = 0.0;
  double back_s = 0.0;
  bool outing = false;  // a weekend afternoon out
  double outing_from_s = 0.0;
  double outing_to_s = 0.0;

  [[nodiscard]] bool home_at(double t) const {
    if (away && t >= leave_s && t < back_s) return false;
    return !(outing && t >= outing_from_s && t < outing_to_s);
  }
};

Routine make_routine(const HouseholdProfile& house, std::int64_t day) {
  StreamRng rng = day_stream(house, Appliance::routine, day);
  Routine r;
  r.weekend = weekday_from_days(day) >= 6;  // Saturday 6, Sunday 7
  r.wake_s = (r.weekend ? house.wake_weekend_s : house.wake_weekday_s) + rng.uniform(-1200, 1200);
  r.bed_s = house.bedtime_s + (r.weekend ? 2700.0 : 0.0) + rng.uniform(-1800, 1800);
  // About one weekday in twenty is a day off, a sick day or a home-office day.
  r.away = house.works_away && !r.weekend && !rng.chance(0.05);
  r.leave_s = house.leave_s + rng.uniform(-600, 600);
  r.back_s = house.return_s + rng.uniform(-1800, 2400);
  r.outing = r.weekend && rng.chance(0.35);
  r.outing_from_s = rng.uniform(10.5 * hour_s, 13.0 * hour_s);
  r.outing_to_s = r.outing_from_s + rng.uniform(2.0 * hour_s, 5.0 * hour_s);
  return r;
}

void add_lighting(std::vector<LoadEvent>& out, const HouseholdProfile& house, const Routine& r,
                  double sunrise_s, double sunset_s, double winter, std::int64_t day) {
  StreamRng rng = day_stream(house, Appliance::lighting, day);
  const std::uint8_t phase = house.phase(Appliance::lighting);
  // Evening: from dusk (or coming home after dark) until bed; other rooms come and go.
  double on_s = sunset_s - rng.uniform(15 * minute_s, 45 * minute_s);
  if (r.away) on_s = std::max(on_s, r.back_s);
  if (r.outing) on_s = std::max(on_s, std::min(r.outing_to_s, r.bed_s));
  const double off_s = r.bed_s - rng.uniform(0.0, 15 * minute_s);
  if (on_s < off_s) {
    add_load(out, on_s, off_s, phase, 0.5 * house.lighting_w, led_lighting);
    const int rooms = house.occupants + 1;
    for (int i = 0; i < rooms; ++i) {
      const double begin_s = rng.uniform(on_s, off_s);
      const double end_s =
          std::min(begin_s + rng.uniform(10 * minute_s, 90 * minute_s), r.bed_s + 10 * minute_s);
      add_load(out, begin_s, end_s, phase, rng.uniform(0.15, 0.35) * house.lighting_w,
               led_lighting);
    }
  }
  // Morning: from waking until it is light, or until leaving.
  const double light_s = sunrise_s + rng.uniform(10 * minute_s, 30 * minute_s);
  if (r.wake_s < light_s) {
    const double end_s = std::min(light_s, r.away ? r.leave_s : r.wake_s + 2 * hour_s);
    add_load(out, r.wake_s, end_s, phase, 0.4 * house.lighting_w, led_lighting);
  }
  // Dull winter days: a lamp on in the living room while someone is in.
  if (!r.away && winter > 0.55 && rng.chance(0.5)) {
    add_load(out, std::max(sunrise_s + hour_s, r.wake_s), sunset_s - 30 * minute_s, phase,
             0.2 * house.lighting_w, led_lighting);
  }
}

// Cooking, kettle and small kitchen appliances; returns when dinner is over.
double add_kitchen(std::vector<LoadEvent>& out, const HouseholdProfile& house, const Routine& r,
                   std::int64_t day) {
  StreamRng kettle = day_stream(house, Appliance::kettle, day);
  const std::uint8_t kettle_phase = house.phase(Appliance::kettle);
  const auto boil = [&](double begin_s) {
    add_load(out, begin_s, begin_s + kettle.uniform(180.0, 240.0), kettle_phase, house.kettle_w,
             resistive);
  };
  boil(r.wake_s + kettle.uniform(5 * minute_s, 25 * minute_s));
  const int extra_boils = kettle.integer(0, house.occupants);
  for (int i = 0; i < extra_boils; ++i) {
    const double t = kettle.uniform(10.0 * hour_s, 21.0 * hour_s);
    if (r.home_at(t)) boil(t);
  }

  StreamRng small = day_stream(house, Appliance::small_kitchen, day);
  const std::uint8_t small_phase = house.phase(Appliance::small_kitchen);
  if (small.chance(0.6)) {  // toaster or coffee machine
    const double t = r.wake_s + small.uniform(5 * minute_s, 30 * minute_s);
    add_load(out, t, t + small.uniform(120.0, 240.0), small_phase, small.uniform(900, 1400),
             resistive);
  }
  const int microwave_uses = small.integer(0, 2);
  for (int i = 0; i < microwave_uses; ++i) {
    const double t = small.uniform(11.5 * hour_s, 20.5 * hour_s);
    if (r.home_at(t)) {
      add_load(out, t, t + small.uniform(90.0, 300.0), small_phase, 1200.0, electronics);
    }
  }

  StreamRng hob = day_stream(house, Appliance::hob, day);
  const std::uint8_t hob_a = house.phase(Appliance::hob);
  const auto hob_b = static_cast<std::uint8_t>(house.options.three_phase ? (hob_a + 1) % 3 : 0);
  const double lunch_s = hob.uniform(11.75 * hour_s, 13.0 * hour_s);
  if (r.home_at(lunch_s) && !r.away && hob.chance(r.weekend ? 0.7 : 0.45)) {
    add_hob_session(out, lunch_s, hob.uniform(900.0, 1500.0), 0.6 * house.hob_w, hob_a, hob_b, hob);
  }
  double dinner_s = r.weekend ? hob.uniform(17.5 * hour_s, 19.0 * hour_s)
                              : hob.uniform(17.25 * hour_s, 18.75 * hour_s);
  if (r.away) dinner_s = std::max(dinner_s, r.back_s + hob.uniform(15 * minute_s, 45 * minute_s));
  if (r.outing) dinner_s = std::max(dinner_s, r.outing_to_s + 30 * minute_s);
  const double dinner_duration_s = hob.uniform(20 * minute_s, 45 * minute_s);
  if (!hob.chance(house.cooking_chance)) return dinner_s + 30 * minute_s;
  add_hob_session(out, dinner_s, dinner_duration_s, house.hob_w, hob_a, hob_b, hob);
  StreamRng oven = day_stream(house, Appliance::oven, day);
  if (oven.chance(r.weekend ? 0.45 : 0.25)) {
    const double oven_s = dinner_s - oven.uniform(10 * minute_s, 30 * minute_s);
    add_oven_session(out, oven_s, oven.uniform(40 * minute_s, 65 * minute_s), house.oven_w,
                     house.phase(Appliance::oven), oven);
  }
  return dinner_s + dinner_duration_s;
}

void add_entertainment(std::vector<LoadEvent>& out, const HouseholdProfile& house, const Routine& r,
                       double dinner_end_s, std::int64_t day) {
  StreamRng tv = day_stream(house, Appliance::tv, day);
  const std::uint8_t tv_phase = house.phase(Appliance::tv);
  const double tv_on_s = dinner_end_s + tv.uniform(0.0, 30 * minute_s);
  const double tv_off_s = r.bed_s - tv.uniform(5 * minute_s, 20 * minute_s);
  if (tv.chance(0.85)) add_load(out, tv_on_s, tv_off_s, tv_phase, house.tv_w, electronics);
  if (r.weekend && !r.outing && tv.chance(0.4)) {
    const double t = tv.uniform(14.0 * hour_s, 16.5 * hour_s);
    add_load(out, t, t + tv.uniform(1.0 * hour_s, 2.5 * hour_s), tv_phase, house.tv_w, electronics);
  }

  StreamRng pc = day_stream(house, Appliance::computer, day);
  const std::uint8_t pc_phase = house.phase(Appliance::computer);
  if (!house.works_away && !r.weekend) {  // the home office
    add_load(out, r.wake_s + hour_s, 12.0 * hour_s + pc.uniform(0, 30 * minute_s), pc_phase,
             house.computer_w, electronics);
    add_load(out, 13.0 * hour_s, pc.uniform(16.5 * hour_s, 17.5 * hour_s), pc_phase,
             house.computer_w, electronics);
  }
  if (pc.chance(0.5)) {
    const double t = pc.uniform(19.5 * hour_s, 21.5 * hour_s);
    add_load(out, t, std::min(t + pc.uniform(30 * minute_s, 2 * hour_s), r.bed_s), pc_phase,
             house.computer_w, electronics);
  }
}

void add_chores(std::vector<LoadEvent>& out, const HouseholdProfile& house, const Routine& r,
                double dinner_end_s, std::int64_t day) {
  StreamRng washer = day_stream(house, Appliance::washer, day);
  const double wash_chance = house.washes_per_week / 7.0 * (r.weekend ? 1.4 : 0.85);
  if (washer.chance(wash_chance)) {
    double begin_s = r.away ? r.back_s + washer.uniform(20 * minute_s, 2 * hour_s)
                            : washer.uniform(8.5 * hour_s, 16.0 * hour_s);
    if (!r.home_at(begin_s)) begin_s = r.wake_s + washer.uniform(30 * minute_s, hour_s);
    add_washing_cycle(out, begin_s, 2000.0, house.phase(Appliance::washer), washer);
  }
  StreamRng dish = day_stream(house, Appliance::dishwasher, day);
  if (house.has_dishwasher && dish.chance(house.dishwasher_runs_per_week / 7.0)) {
    add_dishwasher_cycle(out, dinner_end_s + dish.uniform(30 * minute_s, 2 * hour_s), 2100.0,
                         house.phase(Appliance::dishwasher), dish);
  }
}

void add_ev(std::vector<LoadEvent>& out, const HouseholdProfile& house, const Routine& r,
            std::int64_t day) {
  StreamRng ev = day_stream(house, Appliance::ev, day);
  if (!ev.chance(house.ev_sessions_per_week / 7.0)) return;
  const double energy_wh = ev.uniform(8'000.0, 26'000.0);
  double begin_s = 0.0;
  if (house.ev_charges_at_night) {
    begin_s = ev.uniform(22.5 * hour_s, 25.0 * hour_s);  // cheap night rate, past midnight
  } else if (r.away) {
    begin_s = r.back_s + ev.uniform(5 * minute_s, 45 * minute_s);
  } else {
    begin_s = ev.uniform(10.0 * hour_s, 20.0 * hour_s);
  }
  add_ev_session(out, begin_s, energy_wh, house.ev_power_w, house.phase(Appliance::ev));
}

}  // namespace

HouseholdProfile make_household_profile(std::uint64_t seed, const HouseholdOptions& options) {
  StreamRng rng(hash_key(seed, stream_profile, std::uint64_t{0}));
  HouseholdProfile h;
  h.seed = seed;
  h.options = options;
  h.occupants = rng.integer(1, 4);
  h.works_away = rng.chance(0.65);
  h.wake_weekday_s = rng.uniform(5.75 * hour_s, 7.25 * hour_s);
  h.wake_weekend_s = h.wake_weekday_s + rng.uniform(1.0 * hour_s, 2.5 * hour_s);
  h.leave_s = h.wake_weekday_s + rng.uniform(0.75 * hour_s, 1.5 * hour_s);
  h.return_s = rng.uniform(16.25 * hour_s, 18.5 * hour_s);
  h.bedtime_s = rng.uniform(22.0 * hour_s, 23.75 * hour_s);
  h.base_load_w = rng.uniform(50.0, 150.0);
  h.fridge.power_w = rng.uniform(100.0, 150.0);
  h.has_freezer = rng.chance(0.5);
  h.freezer = CompressorSpec{rng.uniform(90.0, 130.0), 12 * minute_s, 22 * minute_s, 35 * minute_s,
                             55 * minute_s};
  h.lighting_w = 80.0 + 40.0 * h.occupants + rng.uniform(0.0, 80.0);
  h.kettle_w = rng.uniform(1850.0, 2400.0);
  h.hob_w = rng.uniform(2000.0, 3500.0);
  h.oven_w = rng.uniform(2000.0, 3000.0);
  h.cooking_chance = rng.uniform(0.65, 0.95);
  h.washes_per_week = 1.0 + 0.9 * h.occupants + rng.uniform(0.0, 1.0);
  h.has_dishwasher = rng.chance(0.75);
  h.dishwasher_runs_per_week = std::min(7.0, 2.0 + 0.9 * h.occupants + rng.uniform(0.0, 1.0));
  h.tv_w = rng.uniform(70.0, 180.0);
  h.computer_w = rng.uniform(80.0, 200.0);
  h.heat_pump.heat_loss_w_per_k = rng.uniform(100.0, 160.0);
  // Sized to hold 20 degC at -12 degC outside with a COP of 2.4.
  h.heat_pump.rated_w = h.heat_pump.heat_loss_w_per_k * 32.0 / 2.4;
  h.heat_pump.hot_water_w = rng.uniform(1600.0, 2200.0);
  h.heat_pump.hot_water_s = 1800.0 + 900.0 * h.occupants;
  h.ev_power_w = options.three_phase ? 11'000.0 : 3'700.0;
  h.ev_sessions_per_week = rng.uniform(1.5, 3.5);
  h.ev_charges_at_night = rng.chance(0.4);
  if (options.three_phase) {
    for (std::size_t i = 0; i < appliance_count; ++i) {
      h.phase_of[i] = static_cast<std::uint8_t>(rng.integer(0, 2));
    }
    h.phase_of[static_cast<std::size_t>(Appliance::heat_pump)] = all_phases;
    h.phase_of[static_cast<std::size_t>(Appliance::ev)] = all_phases;
  }
  return h;
}

void add_household_day(std::vector<LoadEvent>& out, const HouseholdProfile& house,
                       std::int64_t local_day) {
  const double winter = winter_factor(day_of_year(local_day));
  // The always-on electronics, spread over the phases in a three-phase house.
  if (house.options.three_phase) {
    constexpr std::array<double, 3> share = {0.45, 0.30, 0.25};
    for (std::uint8_t p = 0; p < 3; ++p) {
      add_load(out, 0, seconds_per_day, p, share[p] * house.base_load_w, standby);
    }
  } else {
    add_load(out, 0, seconds_per_day, 0, house.base_load_w, standby);
  }
  StreamRng fridge = day_stream(house, Appliance::fridge, local_day);
  add_compressor_day(out, house.fridge, 1.0 - winter, house.phase(Appliance::fridge), fridge);
  if (house.has_freezer) {
    StreamRng freezer = day_stream(house, Appliance::freezer, local_day);
    add_compressor_day(out, house.freezer, 1.0 - winter, house.phase(Appliance::freezer), freezer);
  }
  if (house.options.heat_pump) {
    StreamRng hp = day_stream(house, Appliance::heat_pump, local_day);
    const double hot_water_s = hp.uniform(4.0 * hour_s, 6.0 * hour_s);
    add_heat_pump_day(out, house.heat_pump, daily_mean_temperature_c(house.seed, local_day),
                      hot_water_s, hp);
  }
  if (on_vacation(house, local_day)) return;

  const Routine routine = make_routine(house, local_day);
  // Sunrise and sunset on the wall clock (the offset at noon serves the whole day).
  const LocalOffset zone =
      central_european_offset(local_day * micros_per_day + 11 * micros_per_hour);
  const double offset_s =
      static_cast<double>(zone.offset_us) / static_cast<double>(micros_per_second);
  const DayLength light = day_length(local_day);
  add_lighting(out, house, routine, light.sunrise_utc_s + offset_s, light.sunset_utc_s + offset_s,
               winter, local_day);
  const double dinner_end_s = add_kitchen(out, house, routine, local_day);
  add_entertainment(out, house, routine, dinner_end_s, local_day);
  add_chores(out, house, routine, dinner_end_s, local_day);
  if (house.options.ev) add_ev(out, house, routine, local_day);
}

void DaySchedule::build(const HouseholdProfile& house, std::int64_t local_day) {
  events_.clear();
  previous_day_events_.clear();
  // Runs started yesterday that go on past midnight (a late dishwasher, a night charge).
  add_household_day(previous_day_events_, house, local_day - 1);
  for (const LoadEvent& e : previous_day_events_) {
    if (e.end_s <= seconds_per_day) continue;
    LoadEvent carried = e;
    carried.begin_s = std::max(0, e.begin_s - seconds_per_day);
    carried.end_s = std::min(seconds_per_day, e.end_s - seconds_per_day);
    if (carried.end_s > carried.begin_s) events_.push_back(carried);
  }
  add_household_day(events_, house, local_day);

  boundaries_s_.clear();
  boundaries_s_.push_back(0);
  boundaries_s_.push_back(seconds_per_day);
  for (LoadEvent& e : events_) {
    e.begin_s = std::clamp(e.begin_s, 0, seconds_per_day);
    e.end_s = std::clamp(e.end_s, 0, seconds_per_day);
    boundaries_s_.push_back(e.begin_s);
    boundaries_s_.push_back(e.end_s);
  }
  std::sort(boundaries_s_.begin(), boundaries_s_.end());
  boundaries_s_.erase(std::unique(boundaries_s_.begin(), boundaries_s_.end()), boundaries_s_.end());

  segments_.clear();
  for (std::size_t i = 0; i + 1 < boundaries_s_.size(); ++i) {
    ScheduleSegment segment;
    segment.begin_s = boundaries_s_[i];
    segment.end_s = boundaries_s_[i + 1];
    // Summing in event order (not sweeping deltas) keeps every segment exact: an idle phase is
    // exactly the standby load, with no rounding residue from loads switched on and off.
    for (const LoadEvent& e : events_) {
      if (e.begin_s > segment.begin_s || e.end_s < segment.end_s) continue;
      const bool spread = e.phase == all_phases && house.options.three_phase;
      const double share = spread ? 1.0 / 3.0 : 1.0;
      for (std::size_t p = 0; p < 3; ++p) {
        const bool here = spread || (e.phase == all_phases ? p == 0 : e.phase == p);
        if (!here) continue;
        segment.active_power_w[p] += share * e.active_power_w;
        segment.reactive_power_var[p] += share * e.reactive_power_var;
        segment.harmonic_va[p] += share * e.harmonic_va;
      }
    }
    segments_.push_back(segment);
  }
  day_ = local_day;
  built_ = true;
}

const ScheduleSegment& DaySchedule::segment_at(std::int32_t second_of_day) const {
  assert(built_ && !segments_.empty());
  const auto after = std::upper_bound(
      segments_.begin(), segments_.end(), second_of_day,
      [](std::int32_t s, const ScheduleSegment& segment) { return s < segment.begin_s; });
  return after == segments_.begin() ? segments_.front() : *(after - 1);
}

}  // namespace gridmeter::sim
