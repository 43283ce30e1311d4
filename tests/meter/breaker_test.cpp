// The breaker in the meter: what an open breaker does to metering, the head-end's and the
// customer's requests, the disconnector control log, and a relay that does not open.
#include <gtest/gtest.h>

#include <vector>

#include "meter/meter.hpp"
#include "supply_test_support.hpp"

namespace gridmeter {
namespace {

using test::codes;
using test::control_state;
using test::feed;
using test::output_state;
using test::utc;

constexpr std::int64_t minute = micros_per_minute;

Meter meter_in_mode(int mode, OpenLoad open_load = OpenLoad::suppress) {
  MeterConfig config;
  config.disconnector.mode = mode;
  config.disconnector.open_load = open_load;
  return Meter(Connection::single_phase_2w, utc(2026, 1, 7, 9, 0), config);
}

std::uint64_t a_plus_wh(const Meter& meter) {
  return meter.state().energy.total[EnergyKind::active_import].watt_hours();
}

TEST(Breaker, AnOpenBreakerMetersNoLoadAndEveryTransitionIsLogged) {
  Meter meter = meter_in_mode(1);
  EXPECT_EQ(control_state(meter), ControlState::connected);
  EXPECT_TRUE(output_state(meter));
  feed(meter, 1200.0, 10, minute);
  EXPECT_EQ(a_plus_wh(meter), 200U);

  EXPECT_EQ(meter.remote_disconnect(), DisconnectResult::done);
  EXPECT_EQ(control_state(meter), ControlState::disconnected);
  EXPECT_FALSE(output_state(meter));
  feed(meter, 1200.0, 30, minute);
  EXPECT_EQ(a_plus_wh(meter), 200U);
  // The household behind it has no load; the supply's voltage is still there.
  Measurement m = test::single_phase(meter.state().time_utc_us, 1200.0);
  meter.apply_breaker(m);
  EXPECT_EQ(m.phases[0].active_power_w, 0.0);
  EXPECT_EQ(m.phases[0].current_a, 0.0);
  EXPECT_EQ(m.phases[0].apparent_power_va, 0.0);
  EXPECT_EQ(m.phases[0].voltage_v, 230.0);

  // Mode 1: a remote reconnection only makes the supply ready for the customer's button.
  EXPECT_EQ(meter.remote_reconnect(), DisconnectResult::done);
  EXPECT_EQ(control_state(meter), ControlState::ready_for_reconnection);
  feed(meter, 1200.0, 10, minute);
  EXPECT_EQ(a_plus_wh(meter), 200U);
  EXPECT_EQ(meter.press_button(), DisconnectResult::done);
  EXPECT_EQ(control_state(meter), ControlState::connected);
  EXPECT_TRUE(output_state(meter));
  feed(meter, 1200.0, 10, minute);
  EXPECT_EQ(a_plus_wh(meter), 400U);

  const Profile& log = meter.state().disconnector_events;
  EXPECT_EQ(codes(log), (std::vector<std::int64_t>{62, 59, 61}));
  EXPECT_EQ(test::stamps(log),
            (std::vector<UtcMicros>{utc(2026, 1, 7, 9, 10), utc(2026, 1, 7, 9, 40),
                                    utc(2026, 1, 7, 9, 50)}));
  // Not in the standard or fraud logs.
  EXPECT_TRUE(meter.state().standard_events.empty());
  EXPECT_TRUE(meter.state().fraud_events.empty());
}

TEST(Breaker, ModeTwoReconnectsRemotelyAtOnce) {
  Meter meter = meter_in_mode(2);
  EXPECT_EQ(meter.remote_disconnect(), DisconnectResult::done);
  EXPECT_EQ(meter.remote_disconnect(), DisconnectResult::no_change);
  EXPECT_EQ(meter.remote_reconnect(), DisconnectResult::done);
  EXPECT_EQ(control_state(meter), ControlState::connected);
  EXPECT_EQ(meter.remote_reconnect(), DisconnectResult::no_change);
  EXPECT_EQ(codes(meter.state().disconnector_events), (std::vector<std::int64_t>{62, 63}));
}

TEST(Breaker, ModeZeroKeepsTheSupplyConnected) {
  Meter meter = meter_in_mode(0);
  const MeterState before = meter.state();
  EXPECT_EQ(meter.remote_disconnect(), DisconnectResult::refused);
  EXPECT_EQ(meter.press_button(), DisconnectResult::refused);
  EXPECT_EQ(meter.state(), before);

  // Reprogrammed to mode 0 while disconnected: connected at once (logged as a connection).
  Meter other = meter_in_mode(1);
  ASSERT_EQ(other.remote_disconnect(), DisconnectResult::done);
  MeterConfig config = other.config();
  config.disconnector.mode = 0;
  other.configure(config);
  EXPECT_EQ(control_state(other), ControlState::connected);
  EXPECT_TRUE(output_state(other));
  EXPECT_EQ(codes(other.state().disconnector_events), (std::vector<std::int64_t>{62, 63}));
}

TEST(Breaker, TheButtonDisconnectsAndReconnectsButCannotUndoTheHeadEnd) {
  Meter meter = meter_in_mode(1);
  EXPECT_EQ(meter.press_button(), DisconnectResult::done);  // f
  EXPECT_EQ(control_state(meter), ControlState::ready_for_reconnection);
  EXPECT_EQ(meter.press_button(), DisconnectResult::done);  // e
  EXPECT_EQ(control_state(meter), ControlState::connected);
  EXPECT_EQ(meter.remote_disconnect(), DisconnectResult::done);
  EXPECT_EQ(meter.press_button(), DisconnectResult::no_change);
  EXPECT_EQ(control_state(meter), ControlState::disconnected);
  EXPECT_EQ(codes(meter.state().disconnector_events), (std::vector<std::int64_t>{60, 61, 62}));

  // Modes 3, 4 and 6 have no manual disconnection.
  Meter no_manual = meter_in_mode(3);
  EXPECT_EQ(no_manual.press_button(), DisconnectResult::refused);
  EXPECT_EQ(control_state(no_manual), ControlState::connected);
  EXPECT_TRUE(no_manual.state().disconnector_events.empty());
}

TEST(Breaker, AMeteredLoadThroughAnOpenBreakerIsAFailureLoggedOnce) {
  Meter meter = meter_in_mode(1, OpenLoad::meter);
  ASSERT_EQ(meter.remote_disconnect(), DisconnectResult::done);
  // The input is what flows: metered, and the relay's failure logged once.
  feed(meter, 600.0, 10, minute);
  EXPECT_EQ(a_plus_wh(meter), 100U);
  EXPECT_EQ(codes(meter.state().disconnector_events), (std::vector<std::int64_t>{62, 68}));
  // No current: nothing more.
  feed(meter, 0.0, 5, minute);
  // After a reconnection a new failure would be logged again.
  ASSERT_EQ(meter.remote_reconnect(), DisconnectResult::done);
  ASSERT_EQ(meter.press_button(), DisconnectResult::done);
  ASSERT_EQ(meter.remote_disconnect(), DisconnectResult::done);
  feed(meter, 600.0, 1, minute);
  EXPECT_EQ(codes(meter.state().disconnector_events),
            (std::vector<std::int64_t>{62, 68, 59, 61, 62, 68}));
}

}  // namespace
}  // namespace gridmeter
