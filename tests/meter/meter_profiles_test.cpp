// Load profile, event logs and clock operations of the meter, with exact expectations.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>

#include "core/date_time.hpp"
#include "meter/load_profile.hpp"
#include "meter/meter.hpp"
#include "meter/meter_clock.hpp"
#include "support/measurements.hpp"

namespace gridmeter {
namespace {

using test::single_phase;
using test::utc;

void feed(Meter& meter, UtcMicros from, UtcMicros to, double power_w,
          std::int64_t step_us = test::interval_us) {
  for (UtcMicros t = from; t < to; t += step_us)
    meter.advance(single_phase(t, power_w, 0.0, std::min(step_us, to - t)));
}

std::vector<std::int64_t> codes(const Profile& log) {
  std::vector<std::int64_t> result;
  for (std::size_t i = 0; i < log.size(); ++i)
    result.push_back(log.entry(i).values[0]);
  return result;
}

std::vector<UtcMicros> times(const Profile& log) {
  std::vector<UtcMicros> result;
  for (std::size_t i = 0; i < log.size(); ++i)
    result.push_back(log.entry(i).stamp.time_utc_us);
  return result;
}

constexpr auto code(EventCode c) { return static_cast<std::int64_t>(c); }

std::string fmt_date(const CivilTime& t) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", t.year, t.month, t.day);
  return text;
}

TEST(LoadProfile, ANonLeapYearHas35040QuarterHoursAndTheDstDays92And100) {
  MeterConfig config;
  config.load_profile.depth = 40'000;
  const TimeZone zone = config.zone;
  const UtcMicros start = utc(2025, 12, 31, 23, 0);  // 2026-01-01 00:00 CET
  const UtcMicros end = utc(2026, 12, 31, 23, 0);
  Meter meter(Connection::single_phase_2w, start, config);
  feed(meter, start, end, 1000.0, micros_per_minute);
  const Profile& profile = meter.state().load_profile;
  ASSERT_EQ(profile.size(), 35'040U);
  std::map<std::string, int> per_day;
  UtcMicros previous = start;
  for (std::size_t i = 0; i < profile.size(); ++i) {
    const ProfileEntry entry = profile.entry(i);
    // Every quarter hour once, in order, 15 minutes apart in real time.
    ASSERT_EQ(entry.stamp.time_utc_us - previous, 15 * micros_per_minute) << i;
    previous = entry.stamp.time_utc_us;
    // The day an entry closes: the end of an interval at 00:00 belongs to the day before.
    const CivilTime local = zone.to_local(entry.stamp.time_utc_us - 1);
    per_day[fmt_date(local)] += 1;
    // A+ at each entry: 1 kW for the time since the start.
    ASSERT_EQ(entry.values[1], (entry.stamp.time_utc_us - start) / micros_per_hour * 1000 +
                                   (entry.stamp.time_utc_us - start) % micros_per_hour /
                                       (15 * micros_per_minute) * 250)
        << i;
    const bool dst = zone.dst_active(entry.stamp.time_utc_us);
    ASSERT_EQ(entry.stamp.utc_offset_min, dst ? 120 : 60);
    ASSERT_EQ(entry.stamp.clock_status, dst ? clock_status::daylight_saving_active : 0);
    ASSERT_EQ(entry.values[0], dst ? profile_status::daylight_saving : 0) << i;
  }
  EXPECT_EQ(per_day.size(), 365U);
  EXPECT_EQ(per_day["2026-03-29"], 92);
  EXPECT_EQ(per_day["2026-10-25"], 100);
  EXPECT_EQ(per_day["2026-06-01"], 96);
  EXPECT_EQ(per_day["2026-12-31"], 96);
  EXPECT_EQ(profile.newest().stamp.time_utc_us, end);
}

TEST(LoadProfile, RingKeepsTheNewestEntries) {
  MeterConfig config;
  config.load_profile.depth = 10;
  const UtcMicros start = utc(2026, 1, 5, 11, 0);
  Meter meter(Connection::single_phase_2w, start, config);
  feed(meter, start, start + 3 * micros_per_hour, 400.0, micros_per_minute);
  const Profile& profile = meter.state().load_profile;
  EXPECT_EQ(profile.pushed_total(), 12U);
  ASSERT_EQ(profile.size(), 10U);
  EXPECT_EQ(profile.entry(0).stamp.time_utc_us, start + 45 * micros_per_minute);
  EXPECT_EQ(profile.entry(0).values[1], 300);  // 45 min of 400 W
  EXPECT_EQ(profile.newest().values[1], 1200);
}

TEST(LoadProfile, PerPhaseColumnsForThreePhases) {
  MeterConfig config;
  config.load_profile.per_phase = true;
  const std::vector<CaptureColumn> columns =
      load_profile_columns(config.load_profile, Connection::three_phase_4w);
  ASSERT_EQ(columns.size(), 11U);
  EXPECT_EQ(to_string(columns[0].obis), "0-0:96.10.1.255");
  EXPECT_EQ(to_string(columns[1].obis), "1-0:1.8.0.255");
  EXPECT_EQ(to_string(columns[4].obis), "1-0:4.8.0.255");
  EXPECT_EQ(to_string(columns[5].obis), "1-0:21.8.0.255");
  EXPECT_EQ(to_string(columns[6].obis), "1-0:22.8.0.255");
  EXPECT_EQ(to_string(columns[10].obis), "1-0:62.8.0.255");
  EXPECT_EQ(load_profile_columns(config.load_profile, Connection::three_phase_3w).size(), 5U);
}

TEST(ClockAdjustment, ShiftForwardSkipsBoundariesAndMarksTheNextEntry) {
  const UtcMicros t10 = utc(2026, 1, 7, 9, 0);  // 10:00 CET
  Meter meter(Connection::single_phase_2w, t10 - micros_per_hour);
  feed(meter, t10 - micros_per_hour, t10 + 7 * micros_per_minute, 1200.0);
  meter.shift_clock(micros_per_hour);  // 10:07 → 11:07
  EXPECT_EQ(meter.clock_now(), t10 + 67 * micros_per_minute);
  feed(meter, t10 + 7 * micros_per_minute, t10 + 30 * micros_per_minute, 1200.0);
  const Profile& profile = meter.state().load_profile;
  // 09:15 .. 10:00, then 11:15 (the clock passed 11:15 at 10:15 real time) and 11:30.
  const std::vector<UtcMicros> expected{t10 - 45 * micros_per_minute, t10 - 30 * micros_per_minute,
                                        t10 - 15 * micros_per_minute, t10,
                                        t10 + 75 * micros_per_minute, t10 + 90 * micros_per_minute};
  EXPECT_EQ(times(profile), expected);
  const auto adjusted =
      static_cast<std::int64_t>(profile_status::clock_adjusted | profile_status::data_not_valid);
  EXPECT_EQ(profile.entry(3).values[0], 0);
  EXPECT_EQ(profile.entry(4).values[0], adjusted);
  EXPECT_EQ(profile.entry(5).values[0], 0);
  // Energy keeps counting in real time: 1.2 kW × 1 h 15 min at 11:15.
  EXPECT_EQ(profile.entry(4).values[1], 1500);
  const std::vector<std::int64_t> events{code(EventCode::clock_adjusted_old_time),
                                         code(EventCode::clock_adjusted_new_time)};
  EXPECT_EQ(codes(meter.state().standard_events), events);
  EXPECT_EQ(codes(meter.state().clock_events), events);
  EXPECT_EQ(times(meter.state().clock_events),
            (std::vector<UtcMicros>{t10 + 7 * micros_per_minute, t10 + 67 * micros_per_minute}));
}

TEST(ClockAdjustment, ShiftBackwardNeverDoublesAnEntry) {
  const UtcMicros t10 = utc(2026, 1, 7, 9, 0);
  Meter meter(Connection::single_phase_2w, t10 - 30 * micros_per_minute);
  feed(meter, t10 - 30 * micros_per_minute, t10 + 7 * micros_per_minute, 1200.0);
  meter.shift_clock(-micros_per_hour);  // 10:07 → 09:07
  feed(meter, t10 + 7 * micros_per_minute, t10 + 90 * micros_per_minute, 1200.0);
  const Profile& profile = meter.state().load_profile;
  // 09:45, 10:00; 09:15 .. 10:00 come again on the clock and are skipped; 10:15 is next (real
  // 11:15), then 10:30 (11:30).
  const std::vector<UtcMicros> expected{t10 - 15 * micros_per_minute, t10,
                                        t10 + 15 * micros_per_minute, t10 + 30 * micros_per_minute};
  EXPECT_EQ(times(profile), expected);
  EXPECT_EQ(profile.entry(2).values[0], static_cast<std::int64_t>(profile_status::clock_adjusted |
                                                                  profile_status::data_not_valid));
  // At 10:15 on the clock the meter has run 1 h 45 min at 1.2 kW.
  EXPECT_EQ(profile.entry(2).values[1], 2100);
  EXPECT_EQ(times(meter.state().clock_events),
            (std::vector<UtcMicros>{t10 + 7 * micros_per_minute, t10 - 53 * micros_per_minute}));
}

TEST(PowerOutage, LeavesAMarkedGapAndLogsDownAndUp) {
  const UtcMicros t10 = utc(2026, 1, 7, 9, 0);
  Meter meter(Connection::single_phase_2w, t10 - 15 * micros_per_minute);
  feed(meter, t10 - 15 * micros_per_minute, t10 + 7 * micros_per_minute, 1000.0);
  meter.power_outage(t10 + 7 * micros_per_minute, t10 + 112 * micros_per_minute);  // to 11:52
  feed(meter, t10 + 112 * micros_per_minute, t10 + 135 * micros_per_minute, 1000.0);
  const Profile& profile = meter.state().load_profile;
  const std::vector<UtcMicros> expected{t10, t10 + 120 * micros_per_minute,
                                        t10 + 135 * micros_per_minute};
  EXPECT_EQ(times(profile), expected);
  EXPECT_EQ(profile.entry(0).values[0], 0);
  EXPECT_EQ(profile.entry(1).values[0],
            static_cast<std::int64_t>(profile_status::power_down | profile_status::data_not_valid));
  EXPECT_EQ(profile.entry(2).values[0], 0);
  // 15 min before 10:00, 7 min after, 8 min after power-up: 30 min of 1 kW at 12:00.
  EXPECT_EQ(profile.entry(1).values[1], 500);
  EXPECT_EQ(codes(meter.state().standard_events),
            (std::vector<std::int64_t>{code(EventCode::power_down), code(EventCode::power_up)}));
  EXPECT_EQ(times(meter.state().standard_events),
            (std::vector<UtcMicros>{t10 + 7 * micros_per_minute, t10 + 112 * micros_per_minute}));
  EXPECT_EQ(meter.state().power_failure_count, 1U);
}

TEST(PowerOutage, ABillingDateInsideTheOutageBillsAtPowerUp) {
  MeterConfig config;
  config.billing = BillingConfig{.day = 1, .hour = 0, .depth = 12};
  const UtcMicros start = utc(2026, 1, 31, 21, 0);  // 22:00 CET
  Meter meter(Connection::single_phase_2w, start, config);
  feed(meter, start, start + micros_per_hour, 1000.0);
  meter.power_outage(start + micros_per_hour, start + 4 * micros_per_hour);  // 23:00 → 02:00
  ASSERT_EQ(meter.state().billing_profile.size(), 1U);
  EXPECT_EQ(meter.state().billing_profile.entry(0).stamp.time_utc_us, start + 4 * micros_per_hour);
  EXPECT_EQ(meter.state().billing_profile.entry(0).values[1], 1000);
}

TEST(EventLogs, RingsOfTwoHundredKeepTheNewest) {
  const UtcMicros start = utc(2026, 1, 7, 9, 0);
  Meter meter(Connection::single_phase_2w, start);
  for (int i = 0; i < 150; ++i)
    meter.shift_clock(i % 2 == 0 ? 10 * micros_per_second : -10 * micros_per_second);
  const Profile& clock_log = meter.state().clock_events;
  EXPECT_EQ(clock_log.capacity(), 200U);
  EXPECT_EQ(clock_log.pushed_total(), 300U);
  ASSERT_EQ(clock_log.size(), 200U);
  // Entry 100 (0-based) of the 300 was the 51st shift's "old time".
  EXPECT_EQ(clock_log.entry(0).values[0], code(EventCode::clock_adjusted_old_time));
  EXPECT_EQ(clock_log.entry(0).stamp.time_utc_us, start);
  EXPECT_EQ(clock_log.newest().values[0], code(EventCode::clock_adjusted_new_time));
  EXPECT_EQ(meter.clock_now(), start);
  EXPECT_EQ(meter.state().standard_events.size(), 200U);
}

TEST(EventLogs, RecordedEventsGoToTheLogTheirCodeBelongsTo) {
  const UtcMicros start = utc(2026, 1, 7, 9, 0);
  Meter meter(Connection::single_phase_2w, start);
  feed(meter, start, start + 10 * micros_per_second, 100.0);
  const std::size_t standard_before = meter.state().standard_events.size();
  meter.record_event(EventCode::association_authentication_failure);
  meter.record_event(EventCode::replay_attack);
  meter.record_event(EventCode::global_key_changed);
  const Profile& fraud = meter.state().fraud_events;
  EXPECT_EQ(fraud.obis(), fraud_event_log_obis);
  EXPECT_EQ(fraud.capacity(), 200U);
  EXPECT_EQ(codes(fraud),
            (std::vector<std::int64_t>{code(EventCode::association_authentication_failure),
                                       code(EventCode::replay_attack)}));
  // Stamped with the meter clock at the moment of recording.
  EXPECT_EQ(fraud.newest().stamp.time_utc_us, start + 10 * micros_per_second);
  ASSERT_EQ(meter.state().standard_events.size(), standard_before + 1);
  EXPECT_EQ(meter.state().standard_events.newest().values[0], code(EventCode::global_key_changed));
  // The fraud log is one of the profiles the meter shows and the store keeps.
  const auto listed = meter.profiles();
  EXPECT_NE(find_profile(listed, fraud_event_log_obis), nullptr);
}

TEST(EventLogs, DaylightSavingSwitchesAndTheDstFlagAreLogged) {
  const UtcMicros start = utc(2026, 3, 29, 0, 0);
  Meter meter(Connection::single_phase_2w, start);
  feed(meter, start, start + 2 * micros_per_hour, 100.0, micros_per_minute);
  ASSERT_EQ(meter.state().clock_events.size(), 1U);
  EXPECT_EQ(meter.state().clock_events.entry(0).values[0], code(EventCode::dst_begin));
  EXPECT_EQ(meter.state().clock_events.entry(0).stamp.time_utc_us, utc(2026, 3, 29, 1, 0));
  EXPECT_EQ(meter.state().clock_events.entry(0).stamp.utc_offset_min, 120);
  meter.set_dst_enabled(false);
  EXPECT_FALSE(meter.config().zone.dst_enabled);
  EXPECT_EQ(meter.state().clock_events.newest().values[0],
            code(EventCode::dst_enabled_or_disabled));
  EXPECT_EQ(meter.state().standard_events.newest().values[0],
            code(EventCode::dst_enabled_or_disabled));
  feed(meter, start + 2 * micros_per_hour, start + 3 * micros_per_hour, 100.0, micros_per_minute);
  // Entries after the change carry standard time and no DST bit.
  EXPECT_EQ(meter.state().load_profile.newest().stamp.utc_offset_min, 60);
  EXPECT_EQ(meter.state().load_profile.newest().values[0], 0);
}

TEST(Configure, ANewLoadProfilePeriodClearsItAndLogsTheChange) {
  const UtcMicros start = utc(2026, 1, 7, 9, 0);
  Meter meter(Connection::single_phase_2w, start);
  feed(meter, start, start + micros_per_hour, 100.0, micros_per_minute);
  ASSERT_EQ(meter.state().load_profile.size(), 4U);
  MeterConfig config = meter.config();
  config.load_profile.period_min = 30;
  meter.configure(config);
  EXPECT_TRUE(meter.state().load_profile.empty());
  EXPECT_EQ(meter.state().load_profile.pushed_total(), 4U);  // numbering continues
  EXPECT_EQ(codes(meter.state().standard_events),
            (std::vector<std::int64_t>{code(EventCode::parameters_changed),
                                       code(EventCode::load_profile_cleared)}));
  feed(meter, start + micros_per_hour, start + 2 * micros_per_hour, 100.0, micros_per_minute);
  EXPECT_EQ(meter.state().load_profile.size(), 2U);
  EXPECT_EQ(meter.state().load_profile.capture_period_s(), 1800);
}

TEST(AnalysisLog, CapturesTheProgrammedValuesEveryFiveMinutesAndMarksAnOutage) {
  MeterConfig config;
  config.analysis_log.period_min = 5;
  config.analysis_log.values = {"u_l1_avg", "p_total_avg", "i_l1_max", "a_plus"};
  const UtcMicros t10 = utc(2026, 1, 7, 9, 0);
  Meter meter(Connection::single_phase_2w, t10, config);
  feed(meter, t10, t10 + 2 * micros_per_minute, 2300.0);                          // 10 A
  feed(meter, t10 + 2 * micros_per_minute, t10 + 12 * micros_per_minute, 460.0);  // 2 A
  meter.power_outage(t10 + 12 * micros_per_minute, t10 + 21 * micros_per_minute);
  feed(meter, t10 + 21 * micros_per_minute, t10 + 25 * micros_per_minute, 460.0);
  const Profile& log = meter.state().analysis_log;
  ASSERT_EQ(log.width(), 5U);
  EXPECT_EQ(to_string(log.columns()[1].obis), "1-0:32.25.0.255");
  EXPECT_EQ(times(log),
            (std::vector<UtcMicros>{t10 + 5 * micros_per_minute, t10 + 10 * micros_per_minute,
                                    t10 + 25 * micros_per_minute}));
  const ProfileEntry first = log.entry(0);
  EXPECT_EQ(first.values[0], 0);
  EXPECT_EQ(first.values[1], 23000);                     // 230.00 V
  EXPECT_EQ(first.values[2], (2 * 2300 + 3 * 460) / 5);  // 1196 W
  EXPECT_EQ(first.values[3], 10000);                     // 10.000 A
  EXPECT_EQ(first.values[4], 2 * 2300 / 60 + 3 * 460 / 60);
  // The interval 10:10..10:15 ended inside the outage: no entry; the next one holds only what
  // was measured after power-up, and says so.
  const ProfileEntry after = log.entry(2);
  EXPECT_EQ(after.values[0],
            static_cast<std::int64_t>(profile_status::power_down | profile_status::data_not_valid));
  EXPECT_EQ(after.values[2], 460);
  EXPECT_EQ(after.values[3], 2000);
}

TEST(MeterRestore, EverythingContinuesBitForBit) {
  MeterConfig config;
  config.analysis_log.values = {"u_l1_avg", "p_total_avg", "i_l1_max"};
  config.demand.sub_periods = 3;
  const UtcMicros start = utc(2026, 3, 28, 12, 0);
  Meter whole(Connection::single_phase_2w, start, config);
  Meter first(Connection::single_phase_2w, start, config);
  const UtcMicros split = start + 20 * micros_per_hour + 7 * micros_per_minute + 200'000;
  for (UtcMicros t = start; t < split; t += test::interval_us) {
    const double power = 300.0 + static_cast<double>((t / test::interval_us) % 977);
    whole.advance(single_phase(t, power));
    first.advance(single_phase(t, power));
  }
  Meter second(first.state());
  for (UtcMicros t = split; t < split + 3 * micros_per_hour; t += test::interval_us) {
    const double power = 300.0 + static_cast<double>((t / test::interval_us) % 977);
    whole.advance(single_phase(t, power));
    second.advance(single_phase(t, power));
  }
  EXPECT_EQ(whole.state(), second.state());
  EXPECT_GT(whole.state().analysis_log.size(), 80U);
}

}  // namespace
}  // namespace gridmeter
