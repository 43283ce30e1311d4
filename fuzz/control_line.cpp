// libFuzzer target: parse_control_line (`gridmeter run`'s control channel) on arbitrary text,
// split into lines as the channel reads it, each applied to a prepaid meter that meters a
// little between commands. Nothing may crash; a refused line must say why; an accepted one
// must be a command of the documented vocabulary within its ranges; a command the meter
// refuses must change nothing; the breaker's control and output states must agree after
// every command, and the credit must equal what was topped up less what A+ counted.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "app/control_channel.hpp"
#include "core/civil_time.hpp"
#include "meter/meter.hpp"

namespace {

using gridmeter::Meter;
using gridmeter::app::ControlVerb;
using gridmeter::app::SupplyCommandKind;

void require(bool condition) {
  if (!condition) std::abort();
}

gridmeter::Measurement two_kilowatts(gridmeter::UtcMicros start) {
  gridmeter::Measurement m;
  m.start_utc_us = start;
  m.duration_us = 60'000'000;
  m.connection = gridmeter::Connection::single_phase_2w;
  m.phases[0].voltage_v = 230.0;
  m.phases[0].current_a = 2000.0 / 230.0;
  m.phases[0].active_power_w = 2000.0;
  m.phases[0].apparent_power_va = 2000.0;
  m.phases[0].frequency_hz = 50.0;
  m.neutral_current_a = m.phases[0].current_a;
  m.frequency_hz = 50.0;
  return m;
}

void check_breaker(const Meter& meter) {
  const gridmeter::DisconnectorState& breaker = meter.state().supply.disconnector;
  require(breaker.output_state == (breaker.control_state == gridmeter::ControlState::connected));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 8192) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gridmeter::MeterConfig config;
  config.disconnector.mode = static_cast<int>(size % 7);
  config.prepayment.enabled = true;
  config.prepayment.emergency_credit_wh = 500;
  config.limiter.enabled = true;
  config.limiter.threshold_normal = 3000.0;
  config.tamper.disconnect[gridmeter::index_of(gridmeter::TamperInput::terminal_cover)] = true;
  Meter meter(gridmeter::Connection::single_phase_2w,
              gridmeter::utc_from_civil({2026, 1, 1, 0, 0, 0, 0}), config);
  std::int64_t topped_up_wh = 0;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    if (gridmeter::app::blank_line(line)) continue;
    auto request = gridmeter::app::parse_control_line(line);
    if (!request) {
      require(!request.error().message.empty());
      continue;
    }
    if (request->verb != ControlVerb::supply) continue;
    const gridmeter::app::SupplyCommand& command = request->supply;
    if (command.kind == SupplyCommandKind::top_up) {
      require(command.token >= 1 && command.token <= gridmeter::app::token_max);
      require(command.amount_wh >= 1 && command.amount_wh <= gridmeter::top_up_wh_max);
    }
    const gridmeter::MeterState before = meter.state();
    auto done = gridmeter::app::apply_supply_command(command, meter);
    if (!done) {
      require(!done.error().message.empty());
      require(meter.state() == before);
    } else if (command.kind == SupplyCommandKind::top_up) {
      topped_up_wh += command.amount_wh;
    }
    check_breaker(meter);
    const gridmeter::UtcMicros t = meter.state().time_utc_us;
    meter.advance(two_kilowatts(t));
    check_breaker(meter);
  }
  // The credit is what was bought (and the emergency credit while it is out) less what A+
  // counted: every emergency credit taken is repaid by the next top-up.
  const gridmeter::PrepaymentState& credit = meter.state().supply.prepayment;
  const std::int64_t emergency = credit.emergency_taken ? 500 : 0;
  const auto used_wh = static_cast<std::int64_t>(
      meter.state().energy.total[gridmeter::EnergyKind::active_import].watt_hours());
  require(credit.credit_added_wh == topped_up_wh + emergency);
  require(credit.consumed_wh == used_wh);
  return 0;
}
