// The supply commands (sim --action verbs and control-channel lines): every valid form, every
// malformed one refused with a clear error, and what applying them does to a meter.
#include "app/supply_command.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "app/control_channel.hpp"
#include "app/sim_actions.hpp"
#include "support/measurements.hpp"

namespace gridmeter::app {
namespace {

using test::utc;

const TimeZone cet = TimeZone::central_europe();

std::string control_error(std::string_view line) {
  auto request = parse_control_line(line);
  EXPECT_FALSE(request) << "accepted '" << line << "'";
  return request ? std::string() : request.error().message;
}

ControlRequest control(std::string_view line) {
  auto request = parse_control_line(line);
  EXPECT_TRUE(request) << line << ": " << (request ? "" : request.error().message);
  return request ? *request : ControlRequest{};
}

TEST(ControlLine, EveryCommand) {
  EXPECT_EQ(control("status").verb, ControlVerb::status);
  EXPECT_EQ(control("  help \r").verb, ControlVerb::help);
  EXPECT_EQ(control("pulses").verb, ControlVerb::pulses);
  EXPECT_EQ(control("button").supply.kind, SupplyCommandKind::button);
  EXPECT_EQ(control("disconnect").supply.kind, SupplyCommandKind::disconnect);
  EXPECT_EQ(control("reconnect").supply.kind, SupplyCommandKind::reconnect);
  EXPECT_EQ(control("emergency-credit").supply.kind, SupplyCommandKind::emergency_credit);
  const SupplyCommand cover = control("meter-cover\topen").supply;
  EXPECT_EQ(cover.kind, SupplyCommandKind::tamper);
  EXPECT_EQ(cover.input, TamperInput::meter_cover);
  EXPECT_TRUE(cover.active);
  EXPECT_FALSE(control("terminal-cover close").supply.active);
  EXPECT_EQ(control("terminal-cover close").supply.input, TamperInput::terminal_cover);
  EXPECT_TRUE(control("magnet on").supply.active);
  EXPECT_EQ(control("magnet off").supply.input, TamperInput::magnetic_field);
  const SupplyCommand top_up = control("topup 999999999999999999 10000").supply;
  EXPECT_EQ(top_up.kind, SupplyCommandKind::top_up);
  EXPECT_EQ(top_up.token, 999'999'999'999'999'999ULL);
  EXPECT_EQ(top_up.amount_wh, 10'000'000);
  EXPECT_EQ(control("topup 7 0.001").supply.amount_wh, 1);
  EXPECT_EQ(control("topup 7 12.5").supply.amount_wh, 12'500);
  EXPECT_EQ(control("topup 0007 012.50").supply.amount_wh, 12'500);
}

TEST(ControlLine, MalformedLinesAreRefusedClearly) {
  EXPECT_EQ(control_error(""), "empty command (try help)");
  EXPECT_EQ(control_error(" \t "), "empty command (try help)");
  EXPECT_NE(control_error("frobnicate").find("unknown command 'frobnicate' (commands: status, "),
            std::string::npos);
  EXPECT_EQ(control_error("status now"), "status takes no argument");
  EXPECT_EQ(control_error("button twice"), "button takes no argument");
  EXPECT_EQ(control_error("magnet"), "magnet takes on or off");
  EXPECT_EQ(control_error("magnet open"), "magnet takes on or off, not 'open'");
  EXPECT_EQ(control_error("meter-cover on"), "meter-cover takes open or close, not 'on'");
  EXPECT_EQ(control_error("meter-cover open close"), "meter-cover takes open or close");
  EXPECT_EQ(control_error("topup 12"),
            "topup takes a token and an amount in kWh (topup 1001 12.5)");
  EXPECT_EQ(control_error("topup 0 5"), "token 0 is not a token (tokens are numbered from 1)");
  EXPECT_EQ(control_error("topup -5 5"), "token '-5' is not a number of 1 to 18 digits");
  EXPECT_EQ(control_error("topup 1000000000000000000 5"),
            "token '1000000000000000000' is not a number of 1 to 18 digits");
  EXPECT_EQ(control_error("topup 5 1.0001"),
            "'1.0001' is not an amount in kWh (digits, at most three decimals: 12.5)");
  EXPECT_EQ(control_error("topup 5 -1"),
            "'-1' is not an amount in kWh (digits, at most three decimals: 12.5)");
  EXPECT_EQ(control_error("topup 5 1e3"),
            "'1e3' is not an amount in kWh (digits, at most three decimals: 12.5)");
  EXPECT_EQ(control_error("topup 5 ."),
            "'.' is not an amount in kWh (digits, at most three decimals: 12.5)");
  EXPECT_EQ(control_error("topup 5 0"), "0 kWh is outside 0.001..10000");
  EXPECT_EQ(control_error("topup 5 10000.001"), "10000.001 kWh is outside 0.001..10000");
  EXPECT_EQ(control_error("topup 5 123456789"),
            "'123456789' is not an amount in kWh (digits, at most three decimals: 12.5)");
  EXPECT_EQ(control_error("button\x01"), "character 0x01 in a command (printable ASCII only)");
  EXPECT_EQ(control_error("st\xC3\xA4tus"), "character 0xC3 in a command (printable ASCII only)");
  EXPECT_EQ(control_error(std::string(257, 'a')),
            "a command line is at most 256 characters, this one 257");
  EXPECT_TRUE(blank_line(" \t\r"));
  EXPECT_FALSE(blank_line(" x"));
}

TEST(SimSupplyActions, EveryVerbWithItsArgumentsJoinedByColons) {
  auto parsed = [](std::string_view text) {
    auto action = parse_sim_action(text, cet);
    EXPECT_TRUE(action) << text << ": " << (action ? "" : action.error().message);
    return action ? *action : SimAction{};
  };
  const SimAction top_up = parsed("2026-01-02T10:00=topup:1001:2.5");
  EXPECT_EQ(top_up.at, utc(2026, 1, 2, 9, 0));
  EXPECT_EQ(top_up.kind, SimActionKind::supply);
  EXPECT_EQ(top_up.supply.token, 1001U);
  EXPECT_EQ(top_up.supply.amount_wh, 2'500);
  EXPECT_EQ(parsed("2026-01-02T10:00=button").supply.kind, SupplyCommandKind::button);
  EXPECT_EQ(parsed("2026-01-02T10:00=disconnect").supply.kind, SupplyCommandKind::disconnect);
  EXPECT_EQ(parsed("2026-01-02T10:00=reconnect").supply.kind, SupplyCommandKind::reconnect);
  EXPECT_EQ(parsed("2026-01-02T10:00=emergency-credit").supply.kind,
            SupplyCommandKind::emergency_credit);
  EXPECT_TRUE(parsed("2026-01-02T10:00=terminal-cover:open").supply.active);
  EXPECT_FALSE(parsed("2026-01-02T10:00=magnet:off").supply.active);

  auto refused = [](std::string_view text) {
    auto action = parse_sim_action(text, cet);
    EXPECT_FALSE(action) << "accepted " << text;
    return action ? std::string() : action.error().message;
  };
  EXPECT_EQ(refused("2026-01-02T10:00=button:"),
            "--action '2026-01-02T10:00=button:': button takes no argument");
  EXPECT_EQ(refused("2026-01-02T10:00=topup:5"),
            "--action '2026-01-02T10:00=topup:5': topup takes a token and an amount in kWh "
            "(topup 1001 12.5)");
  EXPECT_EQ(refused("2026-01-02T10:00=topup:5:1:2"),
            "--action '2026-01-02T10:00=topup:5:1:2': topup takes a token and an amount in kWh "
            "(topup 1001 12.5)");
  EXPECT_EQ(refused("2026-01-02T10:00=magnet:up"),
            "--action '2026-01-02T10:00=magnet:up': magnet takes on or off, not 'up'");
  EXPECT_NE(refused("2026-01-02T10:00=status").find("WHAT is one of"), std::string::npos);
}

Meter prepaid_meter() {
  MeterConfig config;
  config.prepayment.enabled = true;
  config.prepayment.emergency_credit_wh = 1'000;
  return Meter(Connection::single_phase_2w, utc(2026, 1, 7, 9, 0), config);
}

TEST(ApplySupplyCommand, SaysWhatHappenedOrWhyNot) {
  Meter meter = prepaid_meter();
  auto apply = [&](std::string_view line) {
    const ControlRequest request = control(line);
    return apply_supply_command(request.supply, meter);
  };
  auto text = [](const Result<std::string>& result) {
    return result ? "ok: " + *result : "error: " + result.error().message;
  };
  EXPECT_EQ(text(apply("button")),
            "error: button: the meter holds the supply open (no credit); breaker ready for "
            "reconnection");
  EXPECT_EQ(text(apply("topup 11 3.5")),
            "ok: topup: token 11 added 3.500 kWh; credit 3.500 kWh; breaker ready for "
            "reconnection");
  const MeterState before = meter.state();
  EXPECT_EQ(text(apply("topup 11 3.5")), "error: topup: token 11 was applied before; refused");
  EXPECT_EQ(meter.state(), before);
  EXPECT_EQ(text(apply("button")), "ok: button: breaker connected");
  // 3.5 kWh is below the default low-credit threshold of 5 kWh: the emergency credit is there.
  EXPECT_EQ(text(apply("emergency-credit")),
            "ok: emergency-credit: credit 4.500 kWh; breaker connected");
  EXPECT_EQ(text(apply("emergency-credit")),
            "error: emergency-credit: the emergency credit was taken already; the next top-up "
            "repays it");
  EXPECT_EQ(text(apply("disconnect")), "ok: disconnect: breaker disconnected");
  EXPECT_EQ(text(apply("disconnect")), "ok: disconnect: nothing to do, breaker disconnected");
  EXPECT_EQ(text(apply("reconnect")), "ok: reconnect: breaker ready for reconnection");
  EXPECT_EQ(text(apply("meter-cover open")),
            "ok: meter_cover: active; breaker ready for reconnection");
  EXPECT_EQ(text(apply("meter-cover open")), "ok: meter_cover: already active");
  EXPECT_EQ(supply_status(meter),
            "breaker ready for reconnection (control_state 2, output open, mode 1); credit 4.500 "
            "kWh; terminal cover closed, meter cover open, magnet off; pulses 0");

  MeterConfig config;
  config.disconnector.mode = 0;
  Meter fixed(Connection::single_phase_2w, utc(2026, 1, 7, 9, 0), config);
  EXPECT_EQ(text(apply_supply_command(control("disconnect").supply, fixed)),
            "error: disconnect: control mode 0 does not allow it (breaker connected)");
}

TEST(SimSupplyActions, ATamperInsideAnOutageIsReportedAtThePowerUp) {
  Meter meter(Connection::single_phase_2w, utc(2026, 1, 7, 9, 0));
  std::vector<SimAction> actions;
  for (const char* text : {"2026-01-07T10:00=outage:60", "2026-01-07T10:20=meter-cover:open",
                           "2026-01-07T10:40=button", "2026-01-07T11:30=magnet:on"}) {
    auto action = parse_sim_action(text, cet);
    ASSERT_TRUE(action) << text;
    actions.push_back(*action);
  }
  SimActionPlan plan(actions);
  std::vector<std::string> refusals;
  const UtcMicros t = plan.apply_due(
      utc(2026, 1, 7, 9, 0), meter,
      [&](const SimAction&, const Error& error) { refusals.push_back(error.message); });
  EXPECT_EQ(t, utc(2026, 1, 7, 10, 0));  // the outage moved the time base an hour on
  const Profile& fraud = meter.state().fraud_events;
  ASSERT_EQ(fraud.size(), 1U);
  EXPECT_EQ(fraud.newest().values[0], 221);  // meter cover removed while the supply was off
  EXPECT_EQ(fraud.newest().stamp.time_utc_us, utc(2026, 1, 7, 10, 0));
  // The button inside the outage is pressed at the power-up (it is due by then); the magnet
  // after it waits for its time.
  EXPECT_EQ(meter.state().supply.disconnector.control_state, ControlState::ready_for_reconnection);
  EXPECT_FALSE(meter.state().supply.tamper.active[index_of(TamperInput::magnetic_field)]);
  EXPECT_TRUE(refusals.empty());
  plan.apply_due(utc(2026, 1, 7, 10, 30), meter, {});
  EXPECT_TRUE(meter.state().supply.tamper.active[index_of(TamperInput::magnetic_field)]);
}

TEST(SimSupplyActions, ActionsBeforeTheStartAreDropped) {
  std::vector<SimAction> actions;
  for (const char* text : {"2026-01-07T09:00=button", "2026-01-07T12:00=button"}) {
    actions.push_back(*parse_sim_action(text, cet));
  }
  SimActionPlan plan(actions);
  const std::vector<SimAction> dropped = plan.drop_before(utc(2026, 1, 7, 10, 0));
  ASSERT_EQ(dropped.size(), 1U);
  EXPECT_EQ(dropped[0].at, utc(2026, 1, 7, 8, 0));
  Meter meter(Connection::single_phase_2w, utc(2026, 1, 7, 10, 0));
  plan.apply_due(utc(2026, 1, 7, 10, 0), meter, {});
  EXPECT_EQ(meter.state().supply.disconnector.control_state, ControlState::connected);
  plan.apply_due(utc(2026, 1, 7, 11, 0), meter, {});
  EXPECT_EQ(meter.state().supply.disconnector.control_state, ControlState::ready_for_reconnection);
}

}  // namespace
}  // namespace gridmeter::app
