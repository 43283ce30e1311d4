// Prepayment in kWh: the supply opens at the exact kWh bought, a top-up reconnects per control
// mode, a token is applied once only, the low-credit warning, the emergency credit, friendly
// periods.
#include "meter/prepayment.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "meter/meter.hpp"
#include "supply_test_support.hpp"

namespace gridmeter {
namespace {

using test::codes;
using test::control_state;
using test::feed;
using test::utc;

constexpr std::int64_t minute = micros_per_minute;

MeterConfig prepaid(int mode = 1) {
  MeterConfig config;
  config.disconnector.mode = mode;
  config.prepayment.enabled = true;
  config.prepayment.low_credit_wh = 1'000;
  config.prepayment.emergency_credit_wh = 500;
  return config;
}

// Wednesday 2026-01-07 09:00 UTC (10:00 CET).
Meter prepaid_meter(const MeterConfig& config) {
  return Meter(Connection::single_phase_2w, utc(2026, 1, 7, 9, 0), config);
}

const PrepaymentState& credit(const Meter& meter) { return meter.state().supply.prepayment; }

std::string message(const Status& status) {
  return status ? std::string("accepted") : status.error().message;
}

TEST(Prepayment, AMeterWithoutCreditOpensAtOnce) {
  const Meter meter = prepaid_meter(prepaid());
  EXPECT_EQ(control_state(meter), ControlState::ready_for_reconnection);
  // Low credit, credit exhausted, then the local disconnection it causes.
  EXPECT_EQ(codes(meter.state().disconnector_events), (std::vector<std::int64_t>{210, 211, 64}));
  EXPECT_EQ(meter.state().supply.disconnector.holds, supply_hold::prepayment);
}

TEST(Prepayment, TheSupplyOpensAtTheExactKwhBought) {
  Meter meter = prepaid_meter(prepaid());
  ASSERT_TRUE(meter.top_up(1001, 10'000));
  EXPECT_EQ(credit_wh(credit(meter)), 10'000);
  EXPECT_EQ(meter.press_button(), DisconnectResult::done);  // mode 1: the customer reconnects
  ASSERT_EQ(control_state(meter), ControlState::connected);
  const UtcMicros start = meter.state().time_utc_us;
  // 2 kW in one-minute intervals for six hours: 10 kWh last exactly five hours.
  feed(meter, 2000.0, 360, minute);
  const EnergyAccumulator a_plus = meter.state().energy.total[EnergyKind::active_import];
  EXPECT_EQ(a_plus.watt_hours(), 10'000U);
  // To the picojoule: the interval is cut at the microsecond the credit is used, so A+ stops
  // less than one microsecond of 2 kW (2e9 pJ) past 10 kWh.
  // 10 kWh = 3.6e19 pJ = 1 x 2^64 + 17553255926290448384.
  const EnergyAccumulator bought = EnergyAccumulator::from_words(1, 17'553'255'926'290'448'384ULL);
  EXPECT_FALSE(a_plus < bought);
  EXPECT_LT(a_plus.picojoules_since(bought), 2'000'000'000ULL);
  EXPECT_EQ(control_state(meter), ControlState::ready_for_reconnection);
  EXPECT_EQ(credit_wh(credit(meter)), 0);
  const Profile& log = meter.state().disconnector_events;
  EXPECT_EQ(codes(log), (std::vector<std::int64_t>{210, 211, 64, 212, 61, 210, 211, 64}));
  // The warning at 1 kWh left (4 h 30 min), the exhaustion and the opening at exactly 5 h.
  EXPECT_EQ(log.entry(5).stamp.time_utc_us, start + 270 * minute);
  EXPECT_EQ(log.entry(6).stamp.time_utc_us, start + 300 * minute);
  EXPECT_EQ(log.entry(7).stamp.time_utc_us, start + 300 * minute);
  // Without credit the button cannot reconnect.
  EXPECT_EQ(meter.press_button(), DisconnectResult::held);
}

TEST(Prepayment, ATopUpReconnectsPerControlMode) {
  // Modes 1..4: the customer's button after the top-up.
  for (const int mode : {1, 2, 3, 4}) {
    Meter meter = prepaid_meter(prepaid(mode));
    ASSERT_TRUE(meter.top_up(7, 2'000));
    EXPECT_EQ(control_state(meter), ControlState::ready_for_reconnection) << "mode " << mode;
    EXPECT_EQ(meter.press_button(), DisconnectResult::done) << "mode " << mode;
  }
  // Modes 5 and 6: the meter reconnects itself (transition h).
  for (const int mode : {5, 6}) {
    Meter meter = prepaid_meter(prepaid(mode));
    ASSERT_TRUE(meter.top_up(7, 2'000));
    EXPECT_EQ(control_state(meter), ControlState::connected) << "mode " << mode;
    EXPECT_EQ(codes(meter.state().disconnector_events),
              (std::vector<std::int64_t>{210, 211, 64, 212, 69}));
  }
}

TEST(Prepayment, AReplayedTokenIsRefusedAndChangesNothing) {
  Meter meter = prepaid_meter(prepaid());
  ASSERT_TRUE(meter.top_up(1001, 3'000));
  const MeterState before = meter.state();
  EXPECT_EQ(message(meter.top_up(1001, 3'000)), "token 1001 was applied before; refused");
  EXPECT_EQ(message(meter.top_up(1001, 50)), "token 1001 was applied before; refused");
  EXPECT_EQ(meter.state(), before);
  EXPECT_EQ(credit(meter).top_up_count, 1U);
  EXPECT_EQ(meter.state().token_log.size(), 1U);
  // The token log keeps token, amount and the credit after it.
  const ProfileEntry entry = meter.state().token_log.newest();
  EXPECT_EQ(entry.values[0], 1001);
  EXPECT_EQ(entry.values[1], 3'000);
  EXPECT_EQ(entry.values[2], 3'000);
}

TEST(Prepayment, BadTopUpsAreRefusedAndChangeNothing) {
  Meter meter = prepaid_meter(prepaid());
  const MeterState before = meter.state();
  EXPECT_EQ(message(meter.top_up(0, 1'000)), "token 0 is not a token (tokens are numbered from 1)");
  EXPECT_EQ(message(meter.top_up(5, 0)), "a top-up of 0 Wh is outside 1..10000000 Wh");
  EXPECT_EQ(message(meter.top_up(5, 10'000'001)),
            "a top-up of 10000001 Wh is outside 1..10000000 Wh");
  EXPECT_EQ(meter.state(), before);
  Meter plain(Connection::single_phase_2w, utc(2026, 1, 7, 9, 0));
  EXPECT_EQ(message(plain.top_up(5, 1'000)),
            "prepayment is not enabled in this meter's programming");
}

TEST(Prepayment, TokensOlderThanTheMemoryAreRefused) {
  Meter meter = prepaid_meter(prepaid());
  for (std::uint64_t token = 2001; token <= 2064; ++token)
    ASSERT_TRUE(meter.top_up(token, 1));
  // Out of order within the window is fine; the 65th token makes the meter forget 2001.
  ASSERT_TRUE(meter.top_up(2100, 1));
  ASSERT_TRUE(meter.top_up(2080, 1));
  EXPECT_EQ(message(meter.top_up(2001, 1)),
            "token 2001 is older than every token this meter remembers (it refuses 2002 and "
            "below); refused");
  EXPECT_EQ(message(meter.top_up(1500, 1)),
            "token 1500 is older than every token this meter remembers (it refuses 2002 and "
            "below); refused");
  EXPECT_EQ(message(meter.top_up(2064, 1)), "token 2064 was applied before; refused");
  EXPECT_EQ(credit_wh(credit(meter)), 66);
}

TEST(Prepayment, TheEmergencyCreditIsTakenOnceAndRepaidByTheNextTopUp) {
  Meter meter = prepaid_meter(prepaid());
  ASSERT_TRUE(meter.top_up(1, 5'000));
  EXPECT_EQ(message(meter.take_emergency_credit()),
            "the emergency credit is for low credit: 5000 Wh left, the threshold is 1000 Wh");
  ASSERT_EQ(meter.press_button(), DisconnectResult::done);
  feed(meter, 3000.0, 100, minute);  // 5 kWh at 3 kW: used up after 100 minutes
  ASSERT_EQ(control_state(meter), ControlState::ready_for_reconnection);
  ASSERT_TRUE(meter.take_emergency_credit());
  EXPECT_EQ(credit_wh(credit(meter)), 500);
  EXPECT_EQ(message(meter.take_emergency_credit()),
            "the emergency credit was taken already; the next top-up repays it");
  EXPECT_EQ(meter.press_button(), DisconnectResult::done);
  feed(meter, 3000.0, 5, minute);  // 250 Wh of it
  EXPECT_EQ(credit_wh(credit(meter)), 250);
  // 2 kWh bought: 500 Wh of it repays the emergency credit.
  ASSERT_TRUE(meter.top_up(2, 2'000));
  EXPECT_EQ(credit_wh(credit(meter)), 1'750);
  EXPECT_FALSE(credit(meter).emergency_taken);
  const std::vector<std::int64_t> log = codes(meter.state().disconnector_events);
  EXPECT_EQ(log, (std::vector<std::int64_t>{210, 211, 64, 212, 61, 210, 211, 64, 213, 61, 212}));

  MeterConfig none = prepaid();
  none.prepayment.emergency_credit_wh = 0;
  Meter without = prepaid_meter(none);
  EXPECT_EQ(message(without.take_emergency_credit()), "no emergency credit is programmed");
}

TEST(Prepayment, NoDisconnectionInAFriendlyPeriod) {
  MeterConfig config = prepaid();
  config.prepayment.friendly_from_hour = 20;  // 20:00 to 07:00 local time
  config.prepayment.friendly_to_hour = 7;
  // Wednesday 2026-01-07 19:00 CET.
  Meter meter(Connection::single_phase_2w, utc(2026, 1, 7, 18, 0), config);
  ASSERT_TRUE(meter.top_up(1, 2'000));
  ASSERT_EQ(meter.press_button(), DisconnectResult::done);
  // 1 kW: the credit runs out at 21:00 CET, inside the friendly hours.
  feed(meter, 1000.0, 180, minute);
  EXPECT_EQ(control_state(meter), ControlState::connected);
  EXPECT_TRUE(credit(meter).exhausted);
  EXPECT_EQ(credit_wh(credit(meter)), -1'000);  // what the night used, owed
  // It opens when the friendly hours end, at 07:00 CET exactly.
  feed(meter, 1000.0, 600, minute);
  EXPECT_EQ(control_state(meter), ControlState::ready_for_reconnection);
  const Profile& log = meter.state().disconnector_events;
  EXPECT_EQ(codes(log), (std::vector<std::int64_t>{210, 211, 64, 212, 61, 210, 211, 64}));
  EXPECT_EQ(log.entry(6).stamp.time_utc_us, utc(2026, 1, 7, 20, 0));
  EXPECT_EQ(log.entry(7).stamp.time_utc_us, utc(2026, 1, 8, 6, 0));
}

TEST(Prepayment, FriendlyDaysAndHolidays) {
  PrepaymentConfig config;
  config.friendly_weekdays[5] = true;  // Saturday
  const TimeZone zone = TimeZone::central_europe();
  SpecialDaysTable holidays;
  holidays.entries.push_back({1, CalendarDate{CalendarDate::year_not_specified, 12, 25}, 1});
  const UtcMicros wednesday_noon = utc(2026, 1, 7, 11, 0);
  const UtcMicros saturday_noon = utc(2026, 1, 10, 11, 0);
  const UtcMicros christmas_noon = utc(2026, 12, 25, 11, 0);
  EXPECT_FALSE(friendly_period(config, holidays, wednesday_noon, zone));
  EXPECT_TRUE(friendly_period(config, holidays, saturday_noon, zone));
  EXPECT_FALSE(friendly_period(config, holidays, christmas_noon, zone));
  config.friendly_special_days = true;
  EXPECT_TRUE(friendly_period(config, holidays, christmas_noon, zone));
  // Hours within one day (from < to): 12:00..14:00 local.
  config.friendly_from_hour = 12;
  config.friendly_to_hour = 14;
  EXPECT_TRUE(friendly_period(config, holidays, wednesday_noon, zone));           // 12:00 CET
  EXPECT_FALSE(friendly_period(config, holidays, utc(2026, 1, 7, 13, 0), zone));  // 14:00 CET
}

TEST(Prepayment, CreditArithmeticIsExact) {
  PrepaymentState state;
  state.credit_added_wh = 2;
  EXPECT_EQ(credit_left_pj(state), 7'200'000'000'000'000ULL);
  consume(state, 3'600'000'000'000'001ULL);  // 1 Wh and 1 pJ
  EXPECT_EQ(state.consumed_wh, 1);
  EXPECT_EQ(state.consumed_remainder_pj, 1U);
  EXPECT_EQ(credit_wh(state), 0);  // 0.999... Wh left reads 0
  EXPECT_FALSE(credit_used_up(state));
  EXPECT_EQ(credit_left_pj(state), 3'599'999'999'999'999ULL);
  consume(state, 3'599'999'999'999'999ULL);
  EXPECT_TRUE(credit_used_up(state));
  EXPECT_EQ(credit_wh(state), 0);
  EXPECT_EQ(credit_left_pj(state), std::nullopt);
  consume(state, 1);
  EXPECT_EQ(credit_wh(state), -1);
  // More credit than 64 bits of picojoules hold: more than any interval uses.
  state.credit_added_wh = 1'000'000;
  EXPECT_EQ(credit_left_pj(state), std::nullopt);
}

}  // namespace
}  // namespace gridmeter
