// What happens to a simulated meter at given instants: `gridmeter sim --action WHEN=WHAT`,
// the way a test lab drives a meter through clock adjustments, outages, billing resets and
// the supply-control inputs (the customer's button, tamper, top-ups).
//
//   auto action = parse_sim_action("2026-03-10T12:00=shift:+3600", zone);
//   t = apply_sim_action(*action, meter);   // the time base after it (an outage moves it)
//   SimActionPlan plan(actions);            // many, in time order:
//   t = plan.apply_due(t, meter, refused);  // those due by t; tamper inside an outage latches
//
// WHEN is ISO 8601 on the simulation's time base (local time in `zone` without an offset).
// WHAT is one of (docs/cli.md):
//   shift:+S | shift:-S     the head-end shifts the meter clock by S seconds (1 .. 31536000)
//   set:ISO8601             the head-end sets the meter clock (local time in `zone` or an offset)
//   dst:on | dst:off        daylight saving enabled or disabled
//   billing-reset           end of billing period on command
//   outage:M                the supply fails for M minutes (1 .. 525600)
//   the supply commands of supply_command.hpp, their words joined by ':': button,
//   disconnect, reconnect, terminal-cover:open|close, meter-cover:open|close, magnet:on|off,
//   topup:TOKEN:KWH, emergency-credit
#pragma once

#include <cstdint>      // std::int64_t
#include <functional>   // std::function
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "app/supply_command.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "core/time_zone.hpp"
#include "meter/meter.hpp"

namespace gridmeter::app {

enum class SimActionKind { shift_clock, set_clock, dst, billing_reset, outage, supply };

struct SimAction {
  UtcMicros at = 0;  // time base
  SimActionKind kind = SimActionKind::billing_reset;
  std::int64_t value = 0;  // µs for shift and outage, the meter time for set, 0/1 for dst
  SupplyCommand supply;    // kind supply
  friend bool operator==(const SimAction&, const SimAction&) = default;
};

Result<SimAction> parse_sim_action(std::string_view text, const TimeZone& zone);

// Applies `action` to `meter` at its current time; returns the time base afterwards. A supply
// request the meter refuses (a replayed token, a reconnection its mode does not allow) changes
// nothing; its error goes to `refused` when given.
UtcMicros apply_sim_action(const SimAction& action, Meter& meter, Error* refused = nullptr);

// Actions in time order (command-line order at the same instant), applied as time reaches
// them. A tamper action that falls inside an outage is what the meter's cover switches saw
// while the supply was off: reported at the power-up (Meter::tamper_input_while_off).
class SimActionPlan {
 public:
  explicit SimActionPlan(std::vector<SimAction> actions);

  // Removes (and returns) the actions due before `t`, which a run starting at `t` does not
  // apply.
  std::vector<SimAction> drop_before(UtcMicros t);

  using Refused = std::function<void(const SimAction&, const Error&)>;
  // Applies every action due at or before `t` (time base); returns the time base afterwards.
  UtcMicros apply_due(UtcMicros t, Meter& meter, const Refused& refused);

 private:
  std::vector<SimAction> actions_;
  std::vector<bool> applied_;
  std::size_t next_ = 0;
};

}  // namespace gridmeter::app
