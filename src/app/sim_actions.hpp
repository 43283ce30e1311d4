// What happens to a simulated meter at given instants: `gridmeter sim --action WHEN=WHAT`,
// the way a test lab drives a meter through clock adjustments, outages and billing resets.
//
//   auto action = parse_sim_action("2026-03-10T12:00=shift:+3600", zone);
//   t = apply_sim_action(*action, meter);   // the time base after it (an outage moves it)
//
// WHEN is ISO 8601 on the simulation's time base (local time in `zone` without an offset).
// WHAT is one of (docs/cli.md):
//   shift:+S | shift:-S     the head-end shifts the meter clock by S seconds (1 .. 31536000)
//   set:ISO8601             the head-end sets the meter clock (local time in `zone` or an offset)
//   dst:on | dst:off        daylight saving enabled or disabled
//   billing-reset           end of billing period on command
//   outage:M                the supply fails for M minutes (1 .. 525600)
#pragma once

#include <cstdint>      // std::int64_t
#include <string_view>  // std::string_view

#include "core/result.hpp"
#include "core/time.hpp"
#include "core/time_zone.hpp"
#include "meter/meter.hpp"

namespace gridmeter::app {

enum class SimActionKind { shift_clock, set_clock, dst, billing_reset, outage };

struct SimAction {
  UtcMicros at = 0;  // time base
  SimActionKind kind = SimActionKind::billing_reset;
  std::int64_t value = 0;  // µs for shift and outage, the meter time for set, 0/1 for dst
  friend constexpr bool operator==(const SimAction&, const SimAction&) = default;
};

Result<SimAction> parse_sim_action(std::string_view text, const TimeZone& zone);

// Applies `action` to `meter` at its current time; returns the time base afterwards.
UtcMicros apply_sim_action(const SimAction& action, Meter& meter);

}  // namespace gridmeter::app
