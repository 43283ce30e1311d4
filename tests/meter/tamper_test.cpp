// Tamper inputs: covers and the magnetic field in the fraud log, counted, optionally opening
// the breaker; a cover opened while the supply was off reported at the power-up.
#include "meter/tamper.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "meter/meter.hpp"
#include "supply_test_support.hpp"

namespace gridmeter {
namespace {

using test::codes;
using test::control_state;
using test::feed;
using test::utc;

constexpr std::size_t terminal = index_of(TamperInput::terminal_cover);
constexpr std::size_t cover = index_of(TamperInput::meter_cover);
constexpr std::size_t magnet = index_of(TamperInput::magnetic_field);

Meter tamper_meter(const TamperConfig& tamper = {}) {
  MeterConfig config;
  config.tamper = tamper;
  return Meter(Connection::single_phase_2w, utc(2026, 1, 7, 9, 0), config);
}

TEST(Tamper, EachChangeIsLoggedWithItsTimeAndCounted) {
  Meter meter = tamper_meter();
  feed(meter, 500.0, 5);
  EXPECT_TRUE(meter.tamper_input(TamperInput::terminal_cover, true));
  EXPECT_FALSE(meter.tamper_input(TamperInput::terminal_cover, true));  // no change: nothing
  feed(meter, 500.0, 5);
  EXPECT_TRUE(meter.tamper_input(TamperInput::terminal_cover, false));
  EXPECT_TRUE(meter.tamper_input(TamperInput::meter_cover, true));
  EXPECT_TRUE(meter.tamper_input(TamperInput::meter_cover, false));
  EXPECT_TRUE(meter.tamper_input(TamperInput::magnetic_field, true));
  EXPECT_TRUE(meter.tamper_input(TamperInput::magnetic_field, false));
  EXPECT_TRUE(meter.tamper_input(TamperInput::terminal_cover, true));
  const Profile& log = meter.state().fraud_events;
  EXPECT_EQ(codes(log), (std::vector<std::int64_t>{40, 41, 44, 45, 42, 43, 40}));
  EXPECT_EQ(log.entry(0).stamp.time_utc_us, utc(2026, 1, 7, 9, 0, 1));
  EXPECT_EQ(log.entry(1).stamp.time_utc_us, utc(2026, 1, 7, 9, 0, 2));
  const TamperState& tamper = meter.state().supply.tamper;
  EXPECT_EQ(tamper.counts[terminal], 2U);
  EXPECT_EQ(tamper.counts[cover], 1U);
  EXPECT_EQ(tamper.counts[magnet], 1U);
  EXPECT_TRUE(tamper.active[terminal]);
  // Without programming the breaker stays closed.
  EXPECT_EQ(control_state(meter), ControlState::connected);
  EXPECT_TRUE(meter.state().disconnector_events.empty());
}

TEST(Tamper, AProgrammedTamperOpensTheBreakerUntilTheHeadEndReconnects) {
  TamperConfig config;
  config.disconnect[cover] = true;
  Meter meter = tamper_meter(config);
  EXPECT_TRUE(meter.tamper_input(TamperInput::meter_cover, true));
  EXPECT_EQ(control_state(meter), ControlState::ready_for_reconnection);
  EXPECT_EQ(codes(meter.state().fraud_events), (std::vector<std::int64_t>{44}));
  EXPECT_EQ(codes(meter.state().disconnector_events), (std::vector<std::int64_t>{214, 64}));
  // Closing the cover does not give the customer the supply back.
  EXPECT_TRUE(meter.tamper_input(TamperInput::meter_cover, false));
  EXPECT_EQ(meter.press_button(), DisconnectResult::held);
  // The terminal cover is not programmed to open it.
  Meter other = tamper_meter(config);
  EXPECT_TRUE(other.tamper_input(TamperInput::terminal_cover, true));
  EXPECT_EQ(control_state(other), ControlState::connected);
  // The head-end lifts the hold (mode 1: ready for reconnection, the customer's button).
  EXPECT_EQ(meter.remote_reconnect(), DisconnectResult::no_change);
  EXPECT_EQ(meter.press_button(), DisconnectResult::done);
  EXPECT_EQ(control_state(meter), ControlState::connected);
  EXPECT_EQ(codes(meter.state().disconnector_events), (std::vector<std::int64_t>{214, 64, 61}));
}

TEST(Tamper, ACoverOpenedWhileTheSupplyWasOffIsReportedAtPowerUp) {
  TamperConfig config;
  config.disconnect[terminal] = true;
  Meter meter = tamper_meter(config);
  feed(meter, 500.0, 5);
  const UtcMicros down = meter.state().time_utc_us;
  const UtcMicros up = down + 30 * micros_per_minute;
  // During the outage: the meter cover opened and closed again, the terminal cover opened and
  // stays open, a magnet is put on the meter.
  meter.tamper_input_while_off(TamperInput::meter_cover, true);
  meter.tamper_input_while_off(TamperInput::meter_cover, false);
  meter.tamper_input_while_off(TamperInput::terminal_cover, true);
  meter.tamper_input_while_off(TamperInput::magnetic_field, true);
  EXPECT_TRUE(meter.state().fraud_events.empty());
  meter.power_outage(down, up);
  const Profile& log = meter.state().fraud_events;
  EXPECT_EQ(codes(log), (std::vector<std::int64_t>{220, 221, 42}));
  for (std::size_t i = 0; i < log.size(); ++i)
    EXPECT_EQ(log.entry(i).stamp.time_utc_us, up) << i;
  const TamperState& tamper = meter.state().supply.tamper;
  EXPECT_TRUE(tamper.active[terminal]);
  EXPECT_FALSE(tamper.active[cover]);
  EXPECT_TRUE(tamper.active[magnet]);
  EXPECT_EQ(tamper.counts, (std::array<std::uint32_t, 3>{1, 1, 1}));
  EXPECT_FALSE(tamper.seen_while_off);
  // The terminal cover is programmed to open the breaker: at the power-up.
  EXPECT_EQ(control_state(meter), ControlState::ready_for_reconnection);
  EXPECT_EQ(codes(meter.state().disconnector_events), (std::vector<std::int64_t>{214, 64}));
  EXPECT_EQ(meter.state().disconnector_events.newest().stamp.time_utc_us, up);
}

TEST(Tamper, InputNamesReadBack) {
  for (const TamperInput input :
       {TamperInput::terminal_cover, TamperInput::meter_cover, TamperInput::magnetic_field})
    EXPECT_EQ(parse_tamper_input(to_string(input)), input);
  EXPECT_EQ(parse_tamper_input("cover"), std::nullopt);
  EXPECT_EQ(event_log_of(EventCode::meter_cover_removed_while_off), EventLog::fraud);
}

}  // namespace
}  // namespace gridmeter
