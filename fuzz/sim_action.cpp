// libFuzzer target: parse_sim_action (`gridmeter sim --action WHEN=WHAT`, CET) and
// parse_export_request (`--export OBIS=FILE`) on arbitrary text. Neither may crash; a refusal
// must name the argument; an accepted action must be in its documented range and, applied to a
// fresh (prepaid) meter, do what it says (the clock, the time base or the DST rule moves as
// asked; a supply request the meter refuses changes nothing, a top-up it takes adds its amount,
// a tamper input ends in the state asked) and leave a meter that goes on metering without an
// assert. An accepted export request must have a
// file with a .csv or .json extension and an OBIS code that prints and parses back the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "app/profile_export.hpp"
#include "app/sim_actions.hpp"
#include "core/civil_time.hpp"
#include "core/obis.hpp"
#include "meter/meter.hpp"

namespace {

using gridmeter::Connection;
using gridmeter::Measurement;
using gridmeter::Meter;
using gridmeter::TimeZone;
using gridmeter::UtcMicros;
using gridmeter::app::SimAction;
using gridmeter::app::SimActionKind;

constexpr std::int64_t interval_us = 200'000;
constexpr int intervals_after = 6;
constexpr std::int64_t shift_max_us = 365LL * gridmeter::micros_per_day;
constexpr std::int64_t outage_max_us = 365LL * gridmeter::micros_per_day;

void require(bool condition) {
  if (!condition) std::abort();
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// 1 kW at 230 V, 50 Hz, power factor 1 (as tests/support/measurements.cpp builds one).
Measurement one_kilowatt(UtcMicros start) {
  Measurement m;
  m.start_utc_us = start;
  m.duration_us = interval_us;
  m.connection = Connection::single_phase_2w;
  m.phases[0].voltage_v = 230.0;
  m.phases[0].current_a = 1000.0 / 230.0;
  m.phases[0].active_power_w = 1000.0;
  m.phases[0].apparent_power_va = 1000.0;
  m.phases[0].power_factor = 1.0;
  m.phases[0].frequency_hz = 50.0;
  m.frequency_hz = 50.0;
  return m;
}

void check_range(const SimAction& action) {
  switch (action.kind) {
    case SimActionKind::shift_clock:
      require(action.value != 0);
      require(action.value % gridmeter::micros_per_second == 0);
      require(action.value >= -shift_max_us && action.value <= shift_max_us);
      break;
    case SimActionKind::outage:
      require(action.value % gridmeter::micros_per_minute == 0);
      require(action.value >= gridmeter::micros_per_minute && action.value <= outage_max_us);
      break;
    case SimActionKind::dst:
      require(action.value == 0 || action.value == 1);
      break;
    case SimActionKind::billing_reset:
      require(action.value == 0);
      break;
    case SimActionKind::set_clock:
      break;
    case SimActionKind::supply:
      require(action.value == 0);
      if (action.supply.kind == gridmeter::app::SupplyCommandKind::top_up) {
        require(action.supply.token >= 1 && action.supply.token <= gridmeter::app::token_max);
        require(action.supply.amount_wh >= 1 &&
                action.supply.amount_wh <= gridmeter::top_up_wh_max);
      }
      break;
  }
}

void check_apply(const SimAction& action) {
  const UtcMicros start = gridmeter::utc_from_civil({2026, 1, 1, 0, 0, 0, 0});
  gridmeter::MeterConfig config;
  config.prepayment.enabled = true;
  config.prepayment.emergency_credit_wh = 1000;
  config.tamper.disconnect[gridmeter::index_of(gridmeter::TamperInput::meter_cover)] = true;
  Meter meter(Connection::single_phase_2w, start, config);
  require(static_cast<bool>(meter.top_up(1, 2000)));
  // A few intervals first, so that the action meets a meter with energy and a running demand.
  UtcMicros t = start;
  for (int i = 0; i < intervals_after; ++i, t += interval_us)
    meter.advance(one_kilowatt(t));
  const UtcMicros clock_before = meter.clock_now();
  const std::uint64_t billing_before = meter.state().billing_count;
  const gridmeter::MeterState before = meter.state();

  gridmeter::Error refused;
  t = gridmeter::app::apply_sim_action(action, meter, &refused);
  require(t == meter.state().time_utc_us);
  if (!refused.message.empty()) require(meter.state() == before);
  switch (action.kind) {
    case SimActionKind::shift_clock:
      require(meter.clock_now() == clock_before + action.value);
      break;
    case SimActionKind::set_clock:
      require(meter.clock_now() == action.value);
      break;
    case SimActionKind::dst:
      require(meter.config().zone.dst_enabled == (action.value != 0));
      break;
    case SimActionKind::billing_reset:
      require(meter.state().billing_count == billing_before + 1);
      break;
    case SimActionKind::outage:
      require(t == start + intervals_after * interval_us + action.value);
      break;
    case SimActionKind::supply: {
      const gridmeter::app::SupplyCommand& command = action.supply;
      const gridmeter::SupplyState& supply = meter.state().supply;
      if (command.kind == gridmeter::app::SupplyCommandKind::tamper) {
        require(supply.tamper.active[gridmeter::index_of(command.input)] == command.active);
      }
      if (command.kind == gridmeter::app::SupplyCommandKind::top_up && refused.message.empty()) {
        require(gridmeter::credit_wh(supply.prepayment) ==
                gridmeter::credit_wh(before.supply.prepayment) + command.amount_wh);
      }
      break;
    }
  }
  for (int i = 0; i < intervals_after; ++i, t += interval_us)
    meter.advance(one_kilowatt(t));
  require(meter.state().time_utc_us == t);
}

void check_sim_action(std::string_view text) {
  auto action = gridmeter::app::parse_sim_action(text, TimeZone::central_europe());
  if (!action) {
    require(contains(action.error().message, "--action '"));
    return;
  }
  check_range(*action);
  check_apply(*action);
}

void check_export_request(std::string_view text) {
  auto request = gridmeter::app::parse_export_request(text);
  if (!request) {
    require(contains(request.error().message, "--export"));
    return;
  }
  require(!request->path.empty());
  require(static_cast<bool>(gridmeter::app::export_format_for(request->path)));
  auto obis = gridmeter::parse_obis(gridmeter::to_string(request->obis));
  require(obis && *obis == request->obis);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  check_sim_action(text);
  check_export_request(text);
  return 0;
}
