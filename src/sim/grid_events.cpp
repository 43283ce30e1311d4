#include "sim/grid_events.hpp"

#include <algorithm>  // std::clamp, std::max, std::sort
#include <array>      // std::array
#include <cmath>      // std::ceil, std::exp, std::log, std::llround

#include "sim/hash_noise.hpp"

namespace gridmeter::sim {
namespace {

constexpr std::uint64_t stream_grid_events = 0x6a1d10;
// Before and after every event the supply stays calm this long: the meter's RVC detector
// needs a steady second on each side, and events stay apart and inside their day.
constexpr std::int64_t margin_us = 2 * micros_per_minute;

struct KindRate {
  GridEventKind kind;
  double per_year;
  bool long_interruption;
};

constexpr std::array<KindRate, 5> rates{{
    {GridEventKind::dip, 30.0, false},
    {GridEventKind::swell, 3.0, false},
    {GridEventKind::interruption, 6.0, false},
    {GridEventKind::interruption, 1.0, true},
    {GridEventKind::rvc, 20.0, false},
}};

double log_uniform(StreamRng& rng, double low, double high) {
  return std::exp(rng.uniform(std::log(low), std::log(high)));
}

std::uint8_t draw_phases(StreamRng& rng, int phases, double single_share, double double_share) {
  if (phases == 1) return 1;
  const double u = rng.unit();
  if (u < single_share) return static_cast<std::uint8_t>(1U << rng.integer(0, 2));
  if (u < single_share + double_share) {
    return static_cast<std::uint8_t>(0b111 & ~(1U << rng.integer(0, 2)));
  }
  return 0b111;
}

std::int64_t seconds_us(double seconds) {
  return std::llround(seconds * static_cast<double>(micros_per_second));
}

}  // namespace

std::vector<GridEvent> grid_events_for_day(std::uint64_t seed, std::int64_t utc_day, int phases,
                                           double rate) {
  std::vector<GridEvent> events;
  if (!(rate > 0.0)) return events;
  const UtcMicros day_begin = utc_day * micros_per_day;
  StreamRng rng(hash_key(seed, stream_grid_events, utc_day));
  for (const KindRate& kind : rates) {
    // Up to `slots` events a day, each with the same chance: a binomial close to Poisson.
    const double expected = kind.per_year * rate / 365.0;
    const int slots = std::clamp(static_cast<int>(std::ceil(expected * 4.0)), 4, 64);
    const double chance = std::min(1.0, expected / slots);
    for (int slot = 0; slot < slots; ++slot) {
      const bool happens = rng.chance(chance);
      // Every slot draws the same numbers whether it happens or not: one rate's events do not
      // move another's.
      const double u_duration = rng.unit();
      const double u_depth = rng.unit();
      const double u_start = rng.unit();
      StreamRng detail(rng.next());
      if (!happens) continue;
      GridEvent event;
      event.kind = kind.kind;
      double duration_s = 0.0;
      switch (kind.kind) {
        case GridEventKind::dip:
          duration_s = std::exp(std::log(0.04) + u_duration * (std::log(2.0) - std::log(0.04)));
          // Residual 40..85 % of the voltage before: below 90 % of Udin for any supply voltage
          // the grid model gives (about 222..240 V at 230 V).
          event.voltage_fraction = 0.40 + 0.45 * u_depth;
          event.phases = draw_phases(detail, phases, 0.7, 0.15);
          break;
        case GridEventKind::swell:
          duration_s = std::exp(std::log(0.04) + u_duration * (std::log(2.0) - std::log(0.04)));
          event.voltage_fraction = 1.16 + 0.09 * u_depth;  // 116..125 %: above 110 % of Udin
          event.phases = draw_phases(detail, phases, 0.7, 0.15);
          break;
        case GridEventKind::interruption:
          duration_s =
              kind.long_interruption
                  ? 240.0 + u_duration * 3360.0  // 4..60 minutes
                  : std::exp(std::log(0.5) + u_duration * (std::log(120.0) - std::log(0.5)));
          event.voltage_fraction = 0.0;
          event.phases = draw_phases(detail, phases, 1.0 / 3.0, 0.0);
          break;
        case GridEventKind::rvc:
          // A tap change or a big load: 4..5 % up or down, back after 5 s to 5 minutes.
          duration_s = log_uniform(detail, 5.0, 300.0);
          event.voltage_fraction =
              (u_depth < 0.5 ? 1.0 : -1.0) * (0.04 + 0.01 * detail.unit()) + 1.0;
          event.phases = phases == 1 ? 1 : 0b111;
          break;
      }
      const std::int64_t duration_us = std::max<std::int64_t>(seconds_us(duration_s), 1000);
      const auto room = static_cast<double>(micros_per_day - 2 * margin_us - duration_us);
      // Whole milliseconds, as a recording would show them.
      const std::int64_t offset_us = std::llround(u_start * room / 1000.0) * 1000;
      event.start_utc = day_begin + margin_us + offset_us;
      event.end_utc = event.start_utc + duration_us;
      events.push_back(event);
    }
  }
  std::sort(events.begin(), events.end(),
            [](const GridEvent& a, const GridEvent& b) { return a.start_utc < b.start_utc; });
  // Events keep apart: one starting before the last one (plus the margin) ended is dropped.
  std::vector<GridEvent> apart;
  for (const GridEvent& event : events) {
    if (!apart.empty() && event.start_utc < apart.back().end_utc + margin_us) continue;
    apart.push_back(event);
  }
  return apart;
}

}  // namespace gridmeter::sim
