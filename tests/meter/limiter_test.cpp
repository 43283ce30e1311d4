// Load limitation (class 71 semantics): the limiter trips after exactly its minimum
// over-threshold duration and not before, permits reconnection after the under-threshold
// duration, and follows its emergency profile.
#include "meter/limiter.hpp"

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

LimiterConfig three_kilowatts() {
  LimiterConfig limiter;
  limiter.enabled = true;
  limiter.value = "p_total";
  limiter.threshold_normal = 3000.0;
  limiter.threshold_emergency = 1000.0;
  limiter.min_over_s = 10;
  limiter.min_under_s = 5;
  return limiter;
}

Meter limited_meter(const LimiterConfig& limiter, int mode = 1) {
  MeterConfig config;
  config.limiter = limiter;
  config.disconnector.mode = mode;
  return Meter(Connection::single_phase_2w, utc(2026, 1, 7, 9, 0), config);
}

std::string refusal(const LimiterConfig& limiter) {
  const Status status = validate_limiter(limiter);
  return status ? std::string("accepted") : status.error().message;
}

TEST(Limiter, RefusesWhatItCannotWatch) {
  LimiterConfig limiter = three_kilowatts();
  EXPECT_EQ(refusal(limiter), "accepted");
  limiter.value = "p_total_avg";
  EXPECT_EQ(refusal(limiter),
            "limiter.value: \"p_total_avg\" is not an instantaneous value (the limiter watches "
            "the latest measurement: e.g. \"p_total\", \"i_l1\")");
  limiter.value = "i_l9";
  EXPECT_EQ(refusal(limiter), "limiter.value: unknown value \"i_l9\" (see docs/analysis-log.md)");
  limiter = three_kilowatts();
  limiter.min_over_s = 86'401;
  EXPECT_EQ(refusal(limiter), "limiter.min_over: 86401 s is outside 0..86400");
  limiter = three_kilowatts();
  limiter.over = LimiterAction::reconnect;
  EXPECT_EQ(refusal(limiter),
            "limiter.over: the over-threshold action is \"disconnect\" or \"none\"");
  limiter = three_kilowatts();
  limiter.emergency_groups.assign(17, 1);
  EXPECT_EQ(refusal(limiter), "limiter.emergency_groups: 17 groups, at most 16");
}

TEST(Limiter, TripsAfterExactlyTheMinimumOverDurationAndNotBefore) {
  Meter meter = limited_meter(three_kilowatts());
  feed(meter, 2000.0, 300);  // a minute under the threshold
  const UtcMicros over_start = meter.state().time_utc_us;
  // 49 intervals of 200 ms over 3 kW: 9.8 s, not yet.
  feed(meter, 4000.0, 49);
  EXPECT_EQ(control_state(meter), ControlState::connected);
  EXPECT_TRUE(meter.state().disconnector_events.empty());
  // The 50th ends exactly 10 s after the run began: the limiter trips and disconnects.
  feed(meter, 4000.0, 1);
  EXPECT_EQ(control_state(meter), ControlState::ready_for_reconnection);
  EXPECT_FALSE(test::output_state(meter));
  EXPECT_EQ(codes(meter.state().disconnector_events), (std::vector<std::int64_t>{65, 64}));
  EXPECT_EQ(test::stamps(meter.state().disconnector_events),
            (std::vector<UtcMicros>{over_start + 10 * micros_per_second,
                                    over_start + 10 * micros_per_second}));
  EXPECT_EQ(meter.state().supply.disconnector.holds, supply_hold::limiter);
}

TEST(Limiter, ABreakInTheRunStartsTheCountAgain) {
  Meter meter = limited_meter(three_kilowatts());
  feed(meter, 4000.0, 45);
  feed(meter, 3000.0, 1);  // at the threshold counts as under
  feed(meter, 4000.0, 49);
  EXPECT_EQ(control_state(meter), ControlState::connected);
  feed(meter, 4000.0, 1);
  EXPECT_EQ(control_state(meter), ControlState::ready_for_reconnection);
}

TEST(Limiter, ReconnectionIsPermittedAfterTheUnderDuration) {
  Meter meter = limited_meter(three_kilowatts());
  feed(meter, 4000.0, 50);
  ASSERT_EQ(control_state(meter), ControlState::ready_for_reconnection);
  // The breaker is open, so the load reads nothing: under the threshold from now on. Until
  // 5 s have passed the button is refused.
  feed(meter, 4000.0, 24);
  EXPECT_EQ(meter.press_button(), DisconnectResult::held);
  EXPECT_EQ(control_state(meter), ControlState::ready_for_reconnection);
  feed(meter, 4000.0, 1);
  EXPECT_EQ(codes(meter.state().disconnector_events), (std::vector<std::int64_t>{65, 64, 66}));
  EXPECT_EQ(meter.state().supply.disconnector.holds, 0);
  // Mode 1: the customer reconnects.
  EXPECT_EQ(control_state(meter), ControlState::ready_for_reconnection);
  EXPECT_EQ(meter.press_button(), DisconnectResult::done);
  EXPECT_EQ(control_state(meter), ControlState::connected);
  EXPECT_EQ(codes(meter.state().disconnector_events), (std::vector<std::int64_t>{65, 64, 66, 61}));
}

TEST(Limiter, ModesFiveAndSixReconnectByThemselves) {
  for (const int mode : {5, 6}) {
    Meter meter = limited_meter(three_kilowatts(), mode);
    feed(meter, 4000.0, 50);
    feed(meter, 500.0, 25);
    EXPECT_EQ(control_state(meter), ControlState::connected) << "mode " << mode;
    EXPECT_EQ(codes(meter.state().disconnector_events), (std::vector<std::int64_t>{65, 64, 66, 69}))
        << "mode " << mode;
  }
}

TEST(Limiter, WithoutActionsItOnlyLogs) {
  LimiterConfig limiter = three_kilowatts();
  limiter.over = LimiterAction::none;
  limiter.under = LimiterAction::none;
  Meter meter = limited_meter(limiter);
  feed(meter, 4000.0, 50);
  feed(meter, 1000.0, 25);
  EXPECT_EQ(control_state(meter), ControlState::connected);
  EXPECT_EQ(codes(meter.state().disconnector_events), (std::vector<std::int64_t>{65, 66}));
}

TEST(Limiter, TheEmergencyProfileLowersTheThresholdForItsDuration) {
  LimiterConfig limiter = three_kilowatts();
  const UtcMicros activation = utc(2026, 1, 7, 9, 1);
  limiter.emergency = {.id = 7, .activation = activation, .duration_s = 60};
  limiter.emergency_groups = {3, 7};
  Meter meter = limited_meter(limiter);
  // 2 kW: under the normal threshold, over the emergency one (1 kW).
  feed(meter, 2000.0, 299);
  EXPECT_FALSE(meter.state().supply.limiter.emergency_active);
  EXPECT_TRUE(meter.state().disconnector_events.empty());
  // The interval that ends at the activation switches the threshold there; the run over the
  // emergency threshold counts from that instant.
  feed(meter, 2000.0, 1);
  EXPECT_TRUE(meter.state().supply.limiter.emergency_active);
  EXPECT_EQ(codes(meter.state().disconnector_events), (std::vector<std::int64_t>{67}));
  feed(meter, 2000.0, 49);
  EXPECT_EQ(control_state(meter), ControlState::connected);
  feed(meter, 2000.0, 1);
  EXPECT_EQ(control_state(meter), ControlState::ready_for_reconnection);
  const Profile& log = meter.state().disconnector_events;
  EXPECT_EQ(codes(log), (std::vector<std::int64_t>{67, 65, 64}));
  EXPECT_EQ(log.entry(0).stamp.time_utc_us, activation);
  EXPECT_EQ(log.entry(1).stamp.time_utc_us, activation + 10 * micros_per_second);
  // The profile ends exactly 60 s after it began.
  feed(meter, 0.0, 300);
  EXPECT_FALSE(meter.state().supply.limiter.emergency_active);
  EXPECT_EQ(codes(log), (std::vector<std::int64_t>{67, 65, 64, 66, 67}));
  EXPECT_EQ(log.newest().stamp.time_utc_us, activation + 60 * micros_per_second);
}

TEST(Limiter, AnEmergencyProfileForAnotherGroupDoesNotApply) {
  LimiterConfig limiter = three_kilowatts();
  limiter.emergency = {.id = 9, .activation = utc(2026, 1, 7, 9, 0, 10), .duration_s = 600};
  limiter.emergency_groups = {3, 7};
  Meter meter = limited_meter(limiter);
  feed(meter, 2000.0, 600);
  EXPECT_FALSE(meter.state().supply.limiter.emergency_active);
  EXPECT_EQ(control_state(meter), ControlState::connected);
  EXPECT_TRUE(meter.state().disconnector_events.empty());
}

TEST(Limiter, WatchesACurrent) {
  LimiterConfig limiter = three_kilowatts();
  limiter.value = "i_l1";
  limiter.threshold_normal = 10.0;  // A
  limiter.min_over_s = 0;
  Meter meter = limited_meter(limiter);
  feed(meter, 2000.0, 10);  // 8.7 A
  EXPECT_EQ(control_state(meter), ControlState::connected);
  feed(meter, 2400.0, 1);  // 10.4 A: at once
  EXPECT_EQ(control_state(meter), ControlState::ready_for_reconnection);
}

}  // namespace
}  // namespace gridmeter
