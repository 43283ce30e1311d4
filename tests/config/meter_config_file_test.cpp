#include "config/meter_config_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_time.hpp"
#include "core/time_zone.hpp"
#include "support/temp_dir.hpp"

namespace gridmeter::config {
namespace {

constexpr std::string_view sections_config = R"(# every section but the calendar
[clock]
time_zone = "EST5EDT,M3.2.0,M11.1.0"
dst = false

[demand]
period = 30
sub_periods = 6

[billing]
day = 28
hour = 23
depth = 120

[load_profile]
period = 60
depth = 400000
per_phase = true

[analysis_log]
period = 5
depth = 1
values = ["u_l1_avg", "p_total_avg", "i_l1_max"]
)";

// A calendar with seasons, special days and a passive calendar with its activation.
constexpr std::string_view calendar_config = R"(
[tariffs]
1 = "peak"
2 = "off-peak"
5 = "flat \"new\""

[calendar]
name = "seasonal"
[[calendar.season]]
name = "winter"
start = "10-01"
week = "week"
[[calendar.season]]
name = "summer"
start = "04-01"
week = "week"
[[calendar.season]]
name = "summer-2027-early"
start = 2027-03-15
week = "week"
[[calendar.week]]
name = "week"
monday = "workday"
tuesday = "workday"
wednesday = "workday"
thursday = "workday"
friday = "workday"
saturday = "holiday"
sunday = "holiday"
[[calendar.day]]
name = "workday"
switches = [
  { time = 06:00:00, tariff = 1 },
  { time = "12:00", tariff = 2 },
  { time = "13:00", tariff = 1 },
  { time = "17:30", tariff = 2 },
  { time = "21:30:15", tariff = 2 },
]
[[calendar.day]]
name = "holiday"
switches = [ { time = "00:00", tariff = 2 } ]
[[calendar.special_day]]
date = "12-25"
day = "holiday"
[[calendar.special_day]]
date = 2026-04-06
day = "holiday"

[passive]
name = "flat"
activate = "2026-07-01T00:00:00.25+02:00"
[[passive.day]]
name = "flat"
switches = [ { time = "00:00", tariff = 5 } ]
[[passive.day]]
name = "holiday"
switches = [ { time = "00:00", tariff = 6 } ]
[[passive.week]]
name = "flat"
monday = "flat"
tuesday = "flat"
wednesday = "flat"
thursday = "flat"
friday = "flat"
saturday = "holiday"
sunday = "holiday"
[[passive.season]]
name = "always"
start = "01-01"
week = "flat"
)";

std::string rich_config() { return std::string(sections_config) + std::string(calendar_config); }

// `text` with the first `from` replaced by `to` (the test fails if `from` is absent).
std::string replaced(std::string_view text, std::string_view from, std::string_view to) {
  std::string result(text);
  const std::size_t at = result.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) result.replace(at, from.size(), to);
  return result;
}

void expect_error(std::string_view text, std::initializer_list<std::string_view> parts) {
  const Result<MeterConfig> result = parse_meter_config(text, "m.toml");
  ASSERT_FALSE(result.has_value()) << "accepted, expected " << *parts.begin();
  const std::string& message = result.error().message;
  EXPECT_EQ(message.rfind("m.toml", 0), 0U) << message;
  for (std::string_view part : parts) {
    EXPECT_NE(message.find(part), std::string::npos)
        << "\"" << message << "\" lacks \"" << part << "\"";
  }
}

// The formatted text of `config` must read back equal, and format the same again.
void expect_round_trip(const MeterConfig& config) {
  ASSERT_TRUE(config.validate()) << config.validate().error().message;
  const std::string text = format_meter_config(config);
  const Result<MeterConfig> back = parse_meter_config(text, "formatted.toml");
  ASSERT_TRUE(back.has_value()) << back.error().message << "\n" << text;
  EXPECT_EQ(*back, config) << text;
  EXPECT_EQ(format_meter_config(*back), text);
}

TEST(MeterConfigFile, EmptyFileIsTheDefaults) {
  const Result<MeterConfig> config = parse_meter_config("# nothing\n", "m.toml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(*config, MeterConfig{});
  EXPECT_EQ(config->zone, TimeZone::central_europe());
  EXPECT_EQ(config->calendar, ActivityCalendar::default_calendar());
}

TEST(MeterConfigFile, EverySectionParses) {
  const Result<MeterConfig> parsed = parse_meter_config(sections_config, "m.toml");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  const MeterConfig& config = *parsed;
  Result<TimeZone> eastern = parse_time_zone("EST5EDT,M3.2.0,M11.1.0");
  ASSERT_TRUE(eastern);
  eastern->dst_enabled = false;
  EXPECT_EQ(config.zone, *eastern);
  EXPECT_EQ(config.demand, (DemandConfig{30, 6}));
  EXPECT_EQ(config.billing, (BillingConfig{28, 23, 120}));
  EXPECT_EQ(config.load_profile, (LoadProfileConfig{60, 400'000, true}));
  EXPECT_EQ(config.analysis_log.period_min, 5);
  EXPECT_EQ(config.analysis_log.depth, 1U);
  EXPECT_EQ(config.analysis_log.values,
            (std::vector<std::string>{"u_l1_avg", "p_total_avg", "i_l1_max"}));
  EXPECT_EQ(config.calendar, ActivityCalendar::default_calendar());

  const Result<MeterConfig> rich = parse_meter_config(rich_config(), "m.toml");
  ASSERT_TRUE(rich.has_value()) << rich.error().message;
  EXPECT_EQ(rich->demand, config.demand);
  EXPECT_EQ(rich->calendar.tariff_names[4], "flat \"new\"");
  EXPECT_EQ(rich->calendar.special_days.entries.size(), 2U);
  EXPECT_EQ(rich->calendar.activate_passive_utc_us,
            utc_from_civil(CivilTime{2026, 6, 30, 22, 0, 0, 250'000}));
}

TEST(MeterConfigFile, AbsentKeysKeepTheirDefaults) {
  const Result<MeterConfig> config = parse_meter_config(
      "[demand]\nsub_periods = 3\n[load_profile]\nper_phase = true\n[clock]\ndst = false\n"
      "[billing]\n[analysis_log]\nvalues = [\"u_l1_avg\"]\n",
      "m.toml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  MeterConfig expected;
  expected.demand.sub_periods = 3;
  expected.load_profile.per_phase = true;
  expected.zone.dst_enabled = false;
  expected.analysis_log.values = {"u_l1_avg"};
  EXPECT_EQ(*config, expected);
  const Result<MeterConfig> utc = parse_meter_config("[clock]\ntime_zone = \"UTC\"\n", "m.toml");
  ASSERT_TRUE(utc.has_value()) << utc.error().message;
  EXPECT_EQ(utc->zone, TimeZone::utc());
}

TEST(MeterConfigFile, UnknownKeysAndSections) {
  expect_error("[demand]\nperoid = 15\n",
               {"m.toml:2:10: demand.peroid: unknown key (expected one of: period, sub_periods)"});
  expect_error(
      "[display]\nscroll = 5\n",
      {"m.toml:1:1: display: unknown key (expected one of: clock, demand, billing, "
       "load_profile, analysis_log, tariffs, calendar, passive, register_monitor, "
       "disconnector, limiter, prepayment, tamper, fraud, pulse_output, voltage_quality)"});
  expect_error("[clock]\nzone = \"CET\"\n",
               {"m.toml:2:8: clock.zone: unknown key (expected one of: time_zone, dst)"});
  expect_error("[load_profile]\nperiod_min = 15\n", {"load_profile.period_min: unknown key"});
  expect_error("[analysis_log]\nvalue = []\n", {"analysis_log.value: unknown key"});
  expect_error("[billing]\nmonth = 1\n", {"billing.month: unknown key"});
}

TEST(MeterConfigFile, WrongTypes) {
  expect_error("[load_profile]\nperiod = \"15\"\n",
               {"m.toml:2:10: load_profile.period: expected an integer, found a string"});
  expect_error("[demand]\nperiod = 15.0\n",
               {"demand.period: expected an integer, found a floating-point number"});
  expect_error("[load_profile]\nper_phase = 1\n",
               {"load_profile.per_phase: expected true or false, found an integer"});
  expect_error("[clock]\ntime_zone = 1\n",
               {"m.toml:2:13: clock.time_zone: expected a string, found an integer"});
  expect_error("[clock]\ndst = \"yes\"\n", {"clock.dst: expected true or false, found a string"});
  expect_error("[analysis_log]\nvalues = \"u_l1_avg\"\n",
               {"analysis_log.values: expected an array of strings, found a string"});
  expect_error("[analysis_log]\nvalues = [\"u_l1_avg\", 3]\n",
               {"analysis_log.values[1]: expected a string, found an integer"});
  expect_error("demand = 5\n", {"m.toml:1:10: demand: expected a table, found an integer"});
  expect_error("[billing]\ndepth = -1\n", {"m.toml:2:9: billing.depth: -1 is negative"});
  expect_error("[billing]\nday = 9999999999\n", {"billing.day: 9999999999 is out of range"});
}

TEST(MeterConfigFile, OutOfRangePeriodsAndDepths) {
  expect_error("[load_profile]\nperiod = 20\n",
               {"m.toml:2:10: load_profile.period: 20 minutes is not one of 15, 30, 60"});
  expect_error("[analysis_log]\nperiod = 20\n",
               {"m.toml:2:10: analysis_log.period: 20 minutes is not one of 5, 10, 15, 30, 60"});
  expect_error("[demand]\nperiod = 7\n",
               {"m.toml:2:10: demand.period: 7 minutes does not divide the hour"});
  expect_error("[demand]\nperiod = 90\n", {"demand.period: 90 minutes is outside 5..60"});
  expect_error("[demand]\nperiod = 4\n", {"demand.period: 4 minutes is outside 5..60"});
  expect_error("[load_profile]\ndepth = 0\n",
               {"m.toml:2:9: load_profile.depth: 0 entries is outside 1..400000"});
  expect_error("[analysis_log]\ndepth = 400001\n",
               {"analysis_log.depth: 400001 entries is outside 1..400000"});
  expect_error("[billing]\ndepth = 121\n", {"billing.depth: 121 periods is outside 1..120"});
  expect_error("[billing]\nday = 29\n", {"m.toml:2:7: billing.day: 29 is outside 1..28"});
  expect_error("[billing]\nday = 0\n", {"billing.day: 0 is outside 1..28"});
  expect_error("[billing]\nhour = 24\n", {"billing.hour: 24 is outside 0..23"});
}

TEST(MeterConfigFile, BadSubPeriods) {
  expect_error("[demand]\nsub_periods = 4\n",
               {"m.toml:2:15: demand.sub_periods: 4 does not divide the period of 15 minutes"});
  expect_error("[demand]\nperiod = 60\nsub_periods = 16\n",
               {"m.toml:3:15: demand.sub_periods: 16 is outside 1..15"});
  expect_error("[demand]\nsub_periods = 0\n", {"demand.sub_periods: 0 is outside 1..15"});
  const Result<MeterConfig> sliding =
      parse_meter_config("[demand]\nperiod = 60\nsub_periods = 15\n", "m.toml");
  ASSERT_TRUE(sliding.has_value()) << sliding.error().message;
  EXPECT_EQ(sliding->demand, (DemandConfig{60, 15}));
}

TEST(MeterConfigFile, UnknownAnalysisValue) {
  expect_error("[analysis_log]\nvalues = [\"u_l1_avg\", \"u_l9_avg\"]\n",
               {"m.toml:2:23: analysis_log.values[1]: unknown value \"u_l9_avg\""});
  // Rules of the whole selection come from validate(), placed at the array.
  expect_error("[analysis_log]\nvalues = [\"u_l1_avg\", \"u_l1_avg\"]\n",
               {"m.toml:2:10: analysis_log.values: ", "\"u_l1_avg\""});
  std::string many = "[analysis_log]\nvalues = [";
  for (int i = 0; i < 25; ++i)
    many += "\"u_l1_avg\", ";
  expect_error(many + "]\n", {"m.toml:2:10: analysis_log.values: 25 values, at most 24"});
}

TEST(MeterConfigFile, BadTimeZone) {
  expect_error("[clock]\ntime_zone = \"Mars/Olympus\"\n",
               {"m.toml:2:13: clock.time_zone: time zone 'Mars/Olympus'"});
  expect_error("[clock]\ntime_zone = \"CET-1CEST,M13.5.0,M10.5.0\"\n",
               {"clock.time_zone: ", "rule month 13 is out of range 1..12"});
  expect_error("[clock]\ntime_zone = \"\"\n", {"clock.time_zone: time zone is empty"});
  expect_error("[clock]\ntime_zone = \"UTC\"\ndst = true\n",
               {"m.toml:3:7: clock.dst: true, but time_zone has no daylight-saving rule"});
}

TEST(MeterConfigFile, CalendarErrorsKeepTheirPlaces) {
  const std::string text = replaced(rich_config(), "tariff = 6", "tariff = 9");
  expect_error(text, {"passive.day[1].switches[0].tariff: tariff 9 is outside 1..8"});
}

TEST(MeterConfigFile, ValidateNamesTheSetting) {
  MeterConfig config;
  EXPECT_TRUE(config.validate());
  config.load_profile.period_min = 20;
  const Status period = config.validate();
  ASSERT_FALSE(period);
  EXPECT_EQ(period.error().message, "load_profile.period: 20 minutes is not one of 15, 30, 60");
  config = MeterConfig{};
  config.zone.dst_begin.month = 13;
  const Status zone = config.validate();
  ASSERT_FALSE(zone);
  EXPECT_EQ(zone.error().message, "clock.time_zone: dst_begin month 13 is out of range 1..12");
  config = MeterConfig{};
  config.calendar.active.days.clear();
  EXPECT_FALSE(config.validate());
  config = MeterConfig{};
  config.analysis_log.values = {"no_such_value"};
  const Status values = config.validate();
  ASSERT_FALSE(values);
  EXPECT_EQ(values.error().message.rfind("analysis_log.values: unknown value \"no_such_value\"", 0),
            0U)
      << values.error().message;
}

TEST(MeterConfigFile, DefaultConfigRoundTrips) {
  expect_round_trip(MeterConfig{});
  const std::string text = format_meter_config(MeterConfig{});
  EXPECT_NE(text.find("[clock]\ntime_zone = \"CET\"\ndst = true\n"), std::string::npos) << text;
  EXPECT_NE(text.find("[load_profile]\nperiod = 15\ndepth = 8832\nper_phase = false\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("values = []\n"), std::string::npos) << text;
}

TEST(MeterConfigFile, RichConfigRoundTrips) {
  const Result<MeterConfig> rich = parse_meter_config(rich_config(), "m.toml");
  ASSERT_TRUE(rich.has_value()) << rich.error().message;
  expect_round_trip(*rich);
  const std::string text = format_meter_config(*rich);
  EXPECT_NE(text.find("time_zone = \"<-05>5<-04>,M3.2.0/2,M11.1.0/2\"\ndst = false\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("activate = \"2026-06-30T22:00:00.25Z\""), std::string::npos) << text;
  EXPECT_NE(text.find("values = [\"u_l1_avg\", \"p_total_avg\", \"i_l1_max\"]"), std::string::npos)
      << text;
}

TEST(MeterConfigFile, ZonesRoundTrip) {
  for (const char* text : {"CET", "UTC", "EST5EDT,M3.2.0,M11.1.0", "IST-5:30",
                           "AEST-10AEDT,M10.1.0,M4.1.0/3", "IST-1GMT0,M10.5.0,M3.5.0/1"}) {
    for (const bool dst : {true, false}) {
      MeterConfig config;
      Result<TimeZone> zone = parse_time_zone(text);
      ASSERT_TRUE(zone) << text;
      config.zone = *zone;
      config.zone.dst_enabled = config.zone.dst_enabled && dst;
      SCOPED_TRACE(text);
      expect_round_trip(config);
    }
  }
  // Programmed in code rather than read from text: UTC-based rules, DST with a zero offset.
  MeterConfig config;
  config.zone = TimeZone::utc();
  config.zone.dst_offset_min = 60;  // the UK's GMT/BST on the EU's 01:00 UTC switches
  config.zone.dst_enabled = true;
  expect_round_trip(config);
  config.zone.dst_enabled = false;
  expect_round_trip(config);
}

TEST(MeterConfigFile, LoadsFromAFile) {
  gridmeter::testing::TempDir dir;
  const std::string path = dir.file("meter.toml");
  {
    std::ofstream file(path, std::ios::binary);
    file << rich_config();
  }
  const Result<MeterConfig> config = load_meter_config(path);
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->load_profile.period_min, 60);
  {
    std::ofstream file(path, std::ios::binary);
    file << replaced(rich_config(), "period = 60", "period = 45");
  }
  const Result<MeterConfig> bad = load_meter_config(path);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message.rfind(path + ":16:10: load_profile.period: 45 minutes", 0), 0U)
      << bad.error().message;
  {
    std::ofstream file(path, std::ios::binary);
    file << std::string((1U << 20U) + 1U, '#');
  }
  const Result<MeterConfig> large = load_meter_config(path);
  ASSERT_FALSE(large.has_value());
  EXPECT_NE(large.error().message.find("is larger than"), std::string::npos);
}

// [[register_monitor]] tables (docs/config.md "Register monitors").
constexpr std::string_view monitors_config = R"([[register_monitor]]
value = "p_total"
thresholds = [5000, 7500.5]
up = ["end_of_billing", "none"]

[[register_monitor]]
value = "1-0:32.7.0.255"
thresholds = [-1.25e3]
down = ["end_of_billing"]
)";

TEST(MeterConfigFile, RegisterMonitorsReadAsWritten) {
  const Result<MeterConfig> config = parse_meter_config(monitors_config, "m.toml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  const std::vector<RegisterMonitorConfig> expected{
      {"p_total",
       {{5000.0, MonitorScript::end_of_billing, MonitorScript::none},
        {7500.5, MonitorScript::none, MonitorScript::none}}},
      {"1-0:32.7.0.255", {{-1250.0, MonitorScript::none, MonitorScript::end_of_billing}}}};
  EXPECT_EQ(config->register_monitors, expected);
  expect_round_trip(*config);
}

TEST(MeterConfigFile, NoRegisterMonitorsIsAnEmptyArrayAndRoundTrips) {
  const Result<MeterConfig> config = parse_meter_config("register_monitor = []\n", "m.toml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_TRUE(config->register_monitors.empty());
  expect_round_trip(*config);
  // Absent, the default monitor stays.
  EXPECT_EQ(parse_meter_config("", "m.toml")->register_monitors, MeterConfig{}.register_monitors);
}

TEST(MeterConfigFile, RegisterMonitorThresholdsRoundTripExactly) {
  MeterConfig config;
  config.register_monitors = {{"f",
                               {{49.8, MonitorScript::none, MonitorScript::none},
                                {0.1 + 0.2, MonitorScript::none, MonitorScript::none},
                                {1e20, MonitorScript::none, MonitorScript::none},
                                {-0.0001, MonitorScript::none, MonitorScript::none},
                                {-0.0, MonitorScript::none, MonitorScript::none}}}};
  expect_round_trip(config);
}

TEST(MeterConfigFile, RegisterMonitorErrorsNameTheKey) {
  const std::string text(monitors_config);
  expect_error(replaced(text, "value = \"p_total\"", "value = \"p_totl\""),
               {"register_monitor[0].value: unknown value \"p_totl\""});
  expect_error(replaced(text, "value = \"p_total\"", "value = \"p_total_avg\""),
               {"register_monitor[0].value: \"p_total_avg\" is not an instantaneous value"});
  expect_error(replaced(text, "value = \"p_total\"\n", ""), {"register_monitor[0]: needs a value"});
  expect_error(replaced(text, "thresholds = [5000, 7500.5]\n", ""),
               {"register_monitor[0]: needs thresholds"});
  expect_error(replaced(text, "[5000, 7500.5]", "[5000, \"high\"]"),
               {"register_monitor[0].thresholds[1]: expected a number"});
  expect_error(replaced(text, "[5000, 7500.5]", "[]"),
               {"register_monitor[0].up: 2 scripts for 0 thresholds (one per threshold)"});
  expect_error(replaced(text, "[\"end_of_billing\", \"none\"]", "[\"end_of_billing\"]"),
               {"m.toml:4:6: register_monitor[0].up: 1 scripts for 2 thresholds"});
  expect_error(replaced(text, "\"end_of_billing\", \"none\"", "\"end_of_billing\", \"open\""),
               {"register_monitor[0].up[1]: unknown script \"open\" (none, end_of_billing, "
                "disconnect, reconnect)"});
  expect_error(replaced(text, "down = ", "sideways = "),
               {"m.toml:9:12: register_monitor[1].sideways: unknown key (expected one of: value, "
                "thresholds, up, down)"});
  expect_error("register_monitor = 3\n", {"register_monitor: expected an array of tables"});
  expect_error(replaced(text, "thresholds = [-1.25e3]", "thresholds = [nan]"),
               {"register_monitor[1].thresholds[0]: not a finite number"});
}

}  // namespace
}  // namespace gridmeter::config
