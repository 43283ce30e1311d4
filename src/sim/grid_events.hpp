// Grid voltage events for the simulated household: dips, swells, interruptions (of one phase
// or all), rapid voltage changes, at rates typical of a European LV supply (EN 50160 annex,
// CEER benchmarks), drawn per UTC day from the seed so that any day is the same whenever it
// is simulated.
//
//   std::vector<GridEvent> day = grid_events_for_day(seed, utc_day, /*phases=*/3, 1.0);
//   for (const GridEvent& e : day) apply(e);   // e.voltage_fraction of the voltage, e.phases
//
// Yearly rates at rate 1: 30 dips (residual 40..85 %), 3 swells (116..125 %), 6 short and 1 long
// interruption (a third of the interruptions on one phase only), 20 RVCs (a step of 4-5 % that
// returns after 5 s to 5 min: two RVCs).
#pragma once

#include <cstdint>  // std::int64_t, std::uint8_t, std::uint64_t
#include <vector>   // std::vector

#include "core/time.hpp"

namespace gridmeter::sim {

enum class GridEventKind : std::uint8_t { dip, swell, interruption, rvc };

struct GridEvent {
  GridEventKind kind = GridEventKind::dip;
  UtcMicros start_utc = 0;
  UtcMicros end_utc = 0;
  double voltage_fraction = 1.0;  // of the voltage without the event (0 for interruptions)
  std::uint8_t phases = 1;        // bit p: phase p
  friend bool operator==(const GridEvent&, const GridEvent&) = default;
};

// The events starting on `utc_day` (days since 1970-01-01 UTC), in time order, for a supply of
// `phases` phases (1 or 3), every rate times `rate`.
std::vector<GridEvent> grid_events_for_day(std::uint64_t seed, std::int64_t utc_day, int phases,
                                           double rate);

}  // namespace gridmeter::sim
