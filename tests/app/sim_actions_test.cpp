// parse_sim_action (`gridmeter sim --action WHEN=WHAT`) and apply_sim_action on a Meter.
#include "app/sim_actions.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "meter/event_codes.hpp"
#include "meter/meter.hpp"
#include "support/measurements.hpp"

namespace gridmeter::app {
namespace {

using test::utc;

const TimeZone cet = TimeZone::central_europe();

SimAction parsed(std::string_view text) {
  auto action = parse_sim_action(text, cet);
  EXPECT_TRUE(action) << text << ": " << (action ? "" : action.error().message);
  return action ? *action : SimAction{};
}

std::string error_of(std::string_view text) {
  auto action = parse_sim_action(text, cet);
  EXPECT_FALSE(action) << "accepted '" << text << "'";
  return action ? std::string() : action.error().message;
}

std::vector<std::int64_t> event_codes(const Profile& log) {
  std::vector<std::int64_t> codes;
  for (std::size_t i = 0; i < log.size(); ++i)
    codes.push_back(log.entry(i).values[0]);
  return codes;
}

constexpr auto code(EventCode event) { return static_cast<std::int64_t>(event); }

// ---- parse_sim_action: every valid form -------------------------------------------------------

TEST(ParseSimAction, ShiftForwardAndBackInSeconds) {
  // January: CET is UTC+1, so 10:07 local is 09:07Z.
  EXPECT_EQ(parsed("2026-01-02T10:07=shift:+3600"), (SimAction{.at = utc(2026, 1, 2, 9, 7),
                                                               .kind = SimActionKind::shift_clock,
                                                               .value = 3'600'000'000,
                                                               .supply = {}}));
  EXPECT_EQ(parsed("2026-01-02T10:07=shift:-90"), (SimAction{.at = utc(2026, 1, 2, 9, 7),
                                                             .kind = SimActionKind::shift_clock,
                                                             .value = -90'000'000,
                                                             .supply = {}}));
  // Without a sign the shift is forward.
  EXPECT_EQ(parsed("2026-01-02T10:07=shift:5").value, 5'000'000);
  // The limits: one year either way.
  EXPECT_EQ(parsed("2026-01-02T10:07=shift:+31536000").value, 31'536'000LL * 1'000'000);
  EXPECT_EQ(parsed("2026-01-02T10:07=shift:-31536000").value, -31'536'000LL * 1'000'000);
}

TEST(ParseSimAction, WhenIsLocalTimeUnlessItCarriesAnOffset) {
  // July: CEST is UTC+2.
  EXPECT_EQ(parsed("2026-07-01T12:00=billing-reset").at, utc(2026, 7, 1, 10, 0));
  EXPECT_EQ(parsed("2026-07-01T12:00:30Z=billing-reset").at, utc(2026, 7, 1, 12, 0, 30));
  EXPECT_EQ(parsed("2026-07-01 12:00+05:00=billing-reset").at, utc(2026, 7, 1, 7, 0));
  EXPECT_EQ(parsed("2026-07-01=billing-reset").at, utc(2026, 6, 30, 22, 0));
  EXPECT_EQ(parsed("2026-07-01T12:00:00.25=billing-reset").at, utc(2026, 7, 1, 10, 0) + 250'000);
}

TEST(ParseSimAction, SetTakesAnOffsetOrLocalTime) {
  EXPECT_EQ(parsed("2026-02-01T00:00=set:2026-03-01T10:00:00+01:00"),
            (SimAction{.at = utc(2026, 1, 31, 23, 0),
                       .kind = SimActionKind::set_clock,
                       .value = utc(2026, 3, 1, 9, 0),
                       .supply = {}}));
  // Local time in the zone: CEST in August.
  EXPECT_EQ(parsed("2026-02-01T00:00=set:2026-08-01T10:00").value, utc(2026, 8, 1, 8, 0));
  EXPECT_EQ(parsed("2026-02-01T00:00=set:2026-08-01T10:00Z").value, utc(2026, 8, 1, 10, 0));
}

TEST(ParseSimAction, DaylightSavingOnAndOff) {
  EXPECT_EQ(
      parsed("2026-01-02T10:07=dst:on"),
      (SimAction{
          .at = utc(2026, 1, 2, 9, 7), .kind = SimActionKind::dst, .value = 1, .supply = {}}));
  EXPECT_EQ(
      parsed("2026-01-02T10:07=dst:off"),
      (SimAction{
          .at = utc(2026, 1, 2, 9, 7), .kind = SimActionKind::dst, .value = 0, .supply = {}}));
}

TEST(ParseSimAction, BillingReset) {
  EXPECT_EQ(parsed("2026-01-02T10:07=billing-reset"),
            (SimAction{.at = utc(2026, 1, 2, 9, 7),
                       .kind = SimActionKind::billing_reset,
                       .value = 0,
                       .supply = {}}));
}

TEST(ParseSimAction, OutageInMinutes) {
  EXPECT_EQ(parsed("2026-01-02T10:07=outage:45"), (SimAction{.at = utc(2026, 1, 2, 9, 7),
                                                             .kind = SimActionKind::outage,
                                                             .value = 45LL * 60 * 1'000'000,
                                                             .supply = {}}));
  EXPECT_EQ(parsed("2026-01-02T10:07=outage:1").value, 60'000'000);
  // One year is the longest.
  EXPECT_EQ(parsed("2026-01-02T10:07=outage:525600").value, 525'600LL * 60 * 1'000'000);
}

// ---- parse_sim_action: malformed input ------------------------------------------------------

// Every error names the whole argument, so a user with several --action options sees which.
void expect_refused(std::string_view text, std::string_view why) {
  const std::string message = error_of(text);
  EXPECT_NE(message.find("--action '" + std::string(text) + "'"), std::string::npos)
      << "'" << text << "': " << message;
  EXPECT_NE(message.find(why), std::string::npos) << "'" << text << "': " << message;
}

TEST(ParseSimAction, RefusesTextWithoutWhenAndWhat) {
  expect_refused("", "expected WHEN=WHAT");
  expect_refused("billing-reset", "expected WHEN=WHAT");
  expect_refused("2026-01-02T10:07 billing-reset", "expected WHEN=WHAT");
}

TEST(ParseSimAction, RefusesABadTime) {
  expect_refused("=billing-reset", "");
  expect_refused("noon=billing-reset", "");
  expect_refused("2026-13-01=billing-reset", "");
  expect_refused("2026-01-02T25:00=billing-reset", "");
  // Skipped by the spring-forward switch in CET.
  expect_refused("2026-03-29T02:30=billing-reset", "");
  expect_refused("2026-01-02T10:07=set:yesterday", "");
  expect_refused("2026-01-02T10:07=set:", "");
  expect_refused("2026-01-02T10:07=set:2026-03-29T02:30", "");
}

constexpr std::string_view what_list = "WHAT is one of";

TEST(ParseSimAction, RefusesAnUnknownAction) {
  expect_refused("2026-01-02T10:07=", what_list);
  expect_refused("2026-01-02T10:07=teleport", what_list);
  expect_refused("2026-01-02T10:07=teleport:5", what_list);
  expect_refused("2026-01-02T10:07=Shift:+5", what_list);
  expect_refused("2026-01-02T10:07=shift", what_list);
  expect_refused("2026-01-02T10:07=outage", what_list);
  expect_refused("2026-01-02T10:07=set", what_list);
  expect_refused("2026-01-02T10:07=dst", what_list);
  expect_refused("2026-01-02T10:07= billing-reset", what_list);
  expect_refused("2026-01-02T10:07=billing-reset ", what_list);
}

TEST(ParseSimAction, RefusesArgumentsWhereNoneOrOthersBelong) {
  expect_refused("2026-01-02T10:07=billing-reset:3", what_list);
  expect_refused("2026-01-02T10:07=billing-reset:", what_list);
  expect_refused("2026-01-02T10:07=dst:maybe", what_list);
  expect_refused("2026-01-02T10:07=dst:", what_list);
  expect_refused("2026-01-02T10:07=dst:ON", what_list);
  expect_refused("2026-01-02T10:07=dst:on:off", what_list);
}

TEST(ParseSimAction, RefusesShiftsThatAreNotWholeSecondsInRange) {
  expect_refused("2026-01-02T10:07=shift:0", "a shift of 0 seconds changes nothing");
  expect_refused("2026-01-02T10:07=shift:+0", "a shift of 0 seconds changes nothing");
  expect_refused("2026-01-02T10:07=shift:-0", "a shift of 0 seconds changes nothing");
  expect_refused("2026-01-02T10:07=shift:abc", "'abc' is not a whole number");
  expect_refused("2026-01-02T10:07=shift:+", "'+' is not a whole number");
  expect_refused("2026-01-02T10:07=shift:-", "'-' is not a whole number");
  expect_refused("2026-01-02T10:07=shift:", "'' is not a whole number");
  expect_refused("2026-01-02T10:07=shift:1.5", "'1.5' is not a whole number");
  expect_refused("2026-01-02T10:07=shift:10s", "'10s' is not a whole number");
  expect_refused("2026-01-02T10:07=shift: 10", "' 10' is not a whole number");
  expect_refused("2026-01-02T10:07=shift:0x10", "'0x10' is not a whole number");
  expect_refused("2026-01-02T10:07=shift:+31536001", "31536001 is outside");
  expect_refused("2026-01-02T10:07=shift:-31536001", "-31536001 is outside");
  expect_refused("2026-01-02T10:07=shift:+99999999999999999999", "+99999999999999999999");
  expect_refused("2026-01-02T10:07=shift:-99999999999999999999", "-99999999999999999999");
  expect_refused("2026-01-02T10:07=shift:9223372036854775807", "is outside");
}

TEST(ParseSimAction, RefusesASignTwice) {
  // std::from_chars reads a '-' of its own: after the sign was taken, another must not pass.
  expect_refused("2026-01-02T10:07=shift:--5", "'--5' is not a whole number");
  expect_refused("2026-01-02T10:07=shift:+-5", "'+-5' is not a whole number");
  expect_refused("2026-01-02T10:07=shift:-+5", "'-+5' is not a whole number");
  expect_refused("2026-01-02T10:07=shift:++5", "'++5' is not a whole number");
  expect_refused("2026-01-02T10:07=outage:--5", "'--5' is not a whole number");
  // Negating the most negative int64 would overflow.
  expect_refused("2026-01-02T10:07=shift:--9223372036854775808",
                 "'--9223372036854775808' is not a whole number");
}

TEST(ParseSimAction, RefusesOutagesOutsideOneMinuteToAYear) {
  expect_refused("2026-01-02T10:07=outage:0", "outage of minutes 0 is outside 1..525600");
  expect_refused("2026-01-02T10:07=outage:-5", "outage of minutes -5 is outside 1..525600");
  expect_refused("2026-01-02T10:07=outage:525601", "outage of minutes 525601 is outside");
  expect_refused("2026-01-02T10:07=outage:99999999999999999999", "is outside 1..525600");
  expect_refused("2026-01-02T10:07=outage:4.5", "'4.5' is not a whole number");
  expect_refused("2026-01-02T10:07=outage:", "'' is not a whole number");
}

TEST(ParseSimAction, RefusesEmbeddedNuls) {
  using namespace std::string_view_literals;
  expect_refused(
      "2026-01-02T10:07=outage:4\0"sv
      "5"sv,
      "is not a whole number");
  expect_refused("2026-01-02T10:07=billing-reset\0"sv, what_list);
  expect_refused("2026-01-02T10:07=dst:on\0"sv, what_list);
  expect_refused("2026-01-02\0T10:07=billing-reset"sv, "");
  expect_refused("\0=billing-reset"sv, "");
}

TEST(ParseSimAction, OnlyTheFirstEqualsSignSplits) {
  expect_refused("2026-01-02T10:07=shift:=5", "is not a whole number");
  expect_refused("2026-01-02T10:07==billing-reset", what_list);
}

// ---- apply_sim_action -------------------------------------------------------------------------

const UtcMicros start = utc(2026, 1, 2, 9, 0);

// A meter that has metered a minute, so that it has energy and a current time.
Meter running_meter() {
  Meter meter(Connection::single_phase_2w, start);
  for (UtcMicros t = start; t < start + micros_per_minute; t += test::interval_us)
    meter.advance(test::single_phase(t, 1000.0));
  return meter;
}

SimAction action_now(SimActionKind kind, std::int64_t value) {
  return SimAction{.at = start + micros_per_minute, .kind = kind, .value = value, .supply = {}};
}

TEST(ApplySimAction, ShiftMovesTheMeterClockAndLogsOldAndNewTime) {
  Meter meter = running_meter();
  const UtcMicros base = meter.state().time_utc_us;
  const UtcMicros clock = meter.clock_now();
  const std::size_t events = meter.state().standard_events.size();
  const UtcMicros after =
      apply_sim_action(action_now(SimActionKind::shift_clock, 3600 * micros_per_second), meter);
  EXPECT_EQ(after, base);  // the time base does not move
  EXPECT_EQ(meter.state().time_utc_us, base);
  EXPECT_EQ(meter.clock_now(), clock + micros_per_hour);
  EXPECT_EQ(meter.state().clock_offset_us, micros_per_hour);
  const Profile& log = meter.state().standard_events;
  ASSERT_EQ(log.size(), events + 2);
  EXPECT_EQ(log.entry(events).values[0], code(EventCode::clock_adjusted_old_time));
  EXPECT_EQ(log.entry(events).stamp.time_utc_us, clock);
  EXPECT_EQ(log.entry(events + 1).values[0], code(EventCode::clock_adjusted_new_time));
  EXPECT_EQ(log.entry(events + 1).stamp.time_utc_us, clock + micros_per_hour);
  const std::vector<std::int64_t> clock_log = event_codes(meter.state().clock_events);
  ASSERT_GE(clock_log.size(), 2U);
  EXPECT_EQ(clock_log[clock_log.size() - 2], code(EventCode::clock_adjusted_old_time));
  EXPECT_EQ(clock_log.back(), code(EventCode::clock_adjusted_new_time));
}

TEST(ApplySimAction, ShiftBackMovesTheClockBack) {
  Meter meter = running_meter();
  const UtcMicros clock = meter.clock_now();
  apply_sim_action(action_now(SimActionKind::shift_clock, -90 * micros_per_second), meter);
  EXPECT_EQ(meter.clock_now(), clock - 90 * micros_per_second);
  const std::vector<std::int64_t> codes = event_codes(meter.state().standard_events);
  ASSERT_GE(codes.size(), 2U);
  EXPECT_EQ(codes[codes.size() - 2], code(EventCode::clock_adjusted_old_time));
  EXPECT_EQ(codes.back(), code(EventCode::clock_adjusted_new_time));
}

TEST(ApplySimAction, SetPutsTheMeterClockAtTheTime) {
  Meter meter = running_meter();
  const UtcMicros base = meter.state().time_utc_us;
  const UtcMicros target = utc(2026, 1, 2, 12, 30);
  EXPECT_EQ(apply_sim_action(action_now(SimActionKind::set_clock, target), meter), base);
  EXPECT_EQ(meter.clock_now(), target);
  const std::vector<std::int64_t> codes = event_codes(meter.state().standard_events);
  ASSERT_GE(codes.size(), 2U);
  EXPECT_EQ(codes[codes.size() - 2], code(EventCode::clock_adjusted_old_time));
  EXPECT_EQ(codes.back(), code(EventCode::clock_adjusted_new_time));
}

TEST(ApplySimAction, OutageMovesTheTimeBaseAndLogsPowerDownAndUp) {
  Meter meter = running_meter();
  const UtcMicros base = meter.state().time_utc_us;
  const std::int64_t offset = meter.state().clock_offset_us;
  const std::size_t events = meter.state().standard_events.size();
  const std::uint64_t failures = meter.state().power_failure_count;
  const double energy_wh = meter.state().energy.total[EnergyKind::active_import].watt_hours_exact();
  const UtcMicros after =
      apply_sim_action(action_now(SimActionKind::outage, 45 * micros_per_minute), meter);
  EXPECT_EQ(after, base + 45 * micros_per_minute);
  EXPECT_EQ(meter.state().time_utc_us, base + 45 * micros_per_minute);
  EXPECT_EQ(meter.state().clock_offset_us, offset);
  EXPECT_EQ(meter.state().power_failure_count, failures + 1);
  EXPECT_EQ(meter.state().last_power_down_utc_us, base);
  EXPECT_EQ(meter.state().last_power_up_utc_us, base + 45 * micros_per_minute);
  const Profile& log = meter.state().standard_events;
  ASSERT_EQ(log.size(), events + 2);
  EXPECT_EQ(log.entry(events).values[0], code(EventCode::power_down));
  EXPECT_EQ(log.entry(events).stamp.time_utc_us, base);
  EXPECT_EQ(log.entry(events + 1).values[0], code(EventCode::power_up));
  EXPECT_EQ(log.entry(events + 1).stamp.time_utc_us, base + 45 * micros_per_minute);
  // No energy flows while the supply is away.
  EXPECT_EQ(meter.state().energy.total[EnergyKind::active_import].watt_hours_exact(), energy_wh);
  // The meter goes on metering from the new time base.
  meter.advance(test::single_phase(after, 1000.0));
  EXPECT_EQ(meter.state().time_utc_us, after + test::interval_us);
}

TEST(ApplySimAction, BillingResetAddsABillingProfileEntry) {
  Meter meter = running_meter();
  const UtcMicros base = meter.state().time_utc_us;
  const std::size_t entries = meter.state().billing_profile.size();
  const std::uint64_t count = meter.state().billing_count;
  EXPECT_EQ(apply_sim_action(action_now(SimActionKind::billing_reset, 0), meter), base);
  EXPECT_EQ(meter.state().billing_count, count + 1);
  ASSERT_EQ(meter.state().billing_profile.size(), entries + 1);
  EXPECT_EQ(meter.state().billing_profile.newest().stamp.time_utc_us, meter.clock_now());
  EXPECT_EQ(meter.state().last_billing_utc_us, meter.clock_now());
  EXPECT_EQ(event_codes(meter.state().standard_events).back(),
            code(EventCode::billing_period_reset));
}

TEST(ApplySimAction, DstOffAndOnSwitchTheZoneRuleAndLogIt) {
  Meter meter = running_meter();
  ASSERT_TRUE(meter.config().zone.dst_enabled);
  const UtcMicros base = meter.state().time_utc_us;
  // dst:on when it is already on changes nothing and logs nothing.
  const std::size_t events = meter.state().standard_events.size();
  EXPECT_EQ(apply_sim_action(action_now(SimActionKind::dst, 1), meter), base);
  EXPECT_TRUE(meter.config().zone.dst_enabled);
  EXPECT_EQ(meter.state().standard_events.size(), events);

  EXPECT_EQ(apply_sim_action(action_now(SimActionKind::dst, 0), meter), base);
  EXPECT_FALSE(meter.config().zone.dst_enabled);
  ASSERT_EQ(meter.state().standard_events.size(), events + 1);
  EXPECT_EQ(meter.state().standard_events.newest().values[0],
            code(EventCode::dst_enabled_or_disabled));
  EXPECT_EQ(meter.state().clock_events.newest().values[0],
            code(EventCode::dst_enabled_or_disabled));

  EXPECT_EQ(apply_sim_action(action_now(SimActionKind::dst, 1), meter), base);
  EXPECT_TRUE(meter.config().zone.dst_enabled);
  EXPECT_EQ(meter.state().standard_events.size(), events + 2);
}

TEST(ApplySimAction, ParsedActionsApplyEndToEnd) {
  Meter meter = running_meter();
  const UtcMicros clock = meter.clock_now();
  apply_sim_action(parsed("2026-01-02T10:01=shift:-3600"), meter);
  EXPECT_EQ(meter.clock_now(), clock - micros_per_hour);
  const UtcMicros base = meter.state().time_utc_us;
  EXPECT_EQ(apply_sim_action(parsed("2026-01-02T10:01=outage:1"), meter), base + micros_per_minute);
  apply_sim_action(parsed("2026-01-02T10:01=dst:off"), meter);
  EXPECT_FALSE(meter.config().zone.dst_enabled);
}

}  // namespace
}  // namespace gridmeter::app
