// The supply-control sections of the programming file: [disconnector], [limiter],
// [prepayment], [tamper], [fraud], [pulse_output]: what they program, that the formatted text
// reads back equal, and that every malformed value is refused with an error naming the key.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "config/meter_config_file.hpp"
#include "support/measurements.hpp"

namespace gridmeter::config {
namespace {

constexpr std::string_view supply_config = R"([disconnector]
mode = 5
open_load = "meter"

[limiter]
value = "i_l1"
normal = 32.5
emergency = 16
min_over = 60
min_under = 30
over = "disconnect"
under = "none"
emergency_profile = { id = 7, start = "2026-01-15T17:00:00+01:00", duration = 7200 }
emergency_groups = [3, 7]

[prepayment]
low_credit = 4.5
emergency_credit = 2
friendly_hours = [20, 7]
friendly_days = ["saturday", "sunday"]
friendly_special_days = true

[tamper]
disconnect = ["meter_cover", "magnetic_field"]

[fraud]
current_reversal = true
neutral_imbalance = false
min_duration = 120

[pulse_output]
register = "1-0:2.8.0.255"
constant = 500
width = 80
gap = 40
)";

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
  for (std::string_view part : parts) {
    EXPECT_NE(message.find(part), std::string::npos)
        << "\"" << message << "\" lacks \"" << part << "\"";
  }
}

TEST(SupplyConfig, EverySectionProgramsTheMeter) {
  const Result<MeterConfig> parsed = parse_meter_config(supply_config, "m.toml");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  const MeterConfig& config = *parsed;
  EXPECT_EQ(config.disconnector.mode, 5);
  EXPECT_EQ(config.disconnector.open_load, OpenLoad::meter);
  const LimiterConfig& limiter = config.limiter;
  EXPECT_TRUE(limiter.enabled);  // a [limiter] section switches it on
  EXPECT_EQ(limiter.value, "i_l1");
  EXPECT_EQ(limiter.threshold_normal, 32.5);
  EXPECT_EQ(limiter.threshold_emergency, 16.0);
  EXPECT_EQ(limiter.min_over_s, 60U);
  EXPECT_EQ(limiter.min_under_s, 30U);
  EXPECT_EQ(limiter.over, LimiterAction::disconnect);
  EXPECT_EQ(limiter.under, LimiterAction::none);
  EXPECT_EQ(limiter.emergency.id, 7);
  EXPECT_EQ(limiter.emergency.activation, test::utc(2026, 1, 15, 16, 0));
  EXPECT_EQ(limiter.emergency.duration_s, 7200U);
  EXPECT_EQ(limiter.emergency_groups, (std::vector<std::uint16_t>{3, 7}));
  const PrepaymentConfig& prepayment = config.prepayment;
  EXPECT_TRUE(prepayment.enabled);
  EXPECT_EQ(prepayment.low_credit_wh, 4'500);
  EXPECT_EQ(prepayment.emergency_credit_wh, 2'000);
  EXPECT_EQ(prepayment.friendly_from_hour, 20);
  EXPECT_EQ(prepayment.friendly_to_hour, 7);
  EXPECT_EQ(prepayment.friendly_weekdays,
            (std::array<bool, 7>{false, false, false, false, false, true, true}));
  EXPECT_TRUE(prepayment.friendly_special_days);
  EXPECT_EQ(config.tamper.disconnect, (std::array<bool, 3>{false, true, true}));
  EXPECT_EQ(config.fraud.enabled, (std::array<bool, 3>{true, true, false}));
  EXPECT_EQ(config.fraud.min_duration_s, 120U);
  EXPECT_EQ(config.pulse_output.energy, EnergyKind::active_export);
  EXPECT_EQ(config.pulse_output.constant, 500U);
  EXPECT_EQ(config.pulse_output.width_ms, 80U);
  EXPECT_EQ(config.pulse_output.gap_ms, 40U);
}

TEST(SupplyConfig, TheDefaults) {
  const Result<MeterConfig> parsed = parse_meter_config("", "m.toml");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->disconnector.mode, 1);
  EXPECT_FALSE(parsed->limiter.enabled);
  EXPECT_FALSE(parsed->prepayment.enabled);
  EXPECT_TRUE(parsed->pulse_output.enabled);
  EXPECT_EQ(parsed->pulse_output.constant, 1000U);
  // A section that says enabled = false keeps its settings off.
  const Result<MeterConfig> off =
      parse_meter_config("[limiter]\nenabled = false\n[prepayment]\nenabled = false\n", "m.toml");
  ASSERT_TRUE(off.has_value()) << off.error().message;
  EXPECT_FALSE(off->limiter.enabled);
  EXPECT_FALSE(off->prepayment.enabled);
}

TEST(SupplyConfig, FormattedTextReadsBackEqual) {
  for (const std::string_view text : {std::string_view(""), supply_config}) {
    const Result<MeterConfig> parsed = parse_meter_config(text, "m.toml");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    const std::string formatted = format_meter_config(*parsed);
    const Result<MeterConfig> back = parse_meter_config(formatted, "formatted.toml");
    ASSERT_TRUE(back.has_value()) << back.error().message << "\n" << formatted;
    EXPECT_EQ(*back, *parsed) << formatted;
    EXPECT_EQ(format_meter_config(*back), formatted);
  }
  // Limiter without an emergency start, negative thresholds, odd kWh.
  MeterConfig config;
  config.limiter.enabled = true;
  config.limiter.threshold_normal = -0.5;
  config.limiter.threshold_emergency = 1e7;
  config.prepayment.low_credit_wh = 1;
  config.prepayment.emergency_credit_wh = 12'345;
  const std::string formatted = format_meter_config(config);
  const Result<MeterConfig> back = parse_meter_config(formatted, "formatted.toml");
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, config) << formatted;
}

TEST(SupplyConfig, MalformedValuesAreRefusedNamingTheKey) {
  const std::string text(supply_config);
  expect_error(replaced(text, "mode = 5", "mode = 7"),
               {"m.toml:2:8: disconnector.mode: 7 is outside 0..6"});
  expect_error(replaced(text, "mode = 5", "mode = \"5\""),
               {"disconnector.mode: expected an integer, found a string"});
  expect_error(replaced(text, "\"meter\"", "\"measure\""),
               {"disconnector.open_load: \"measure\" is not suppress or meter"});
  expect_error(replaced(text, "open_load", "openload"),
               {"disconnector.openload: unknown key (expected one of: mode, open_load)"});
  expect_error(replaced(text, "value = \"i_l1\"", "value = \"i_l4\""),
               {"limiter.value: unknown value \"i_l4\""});
  expect_error(replaced(text, "normal = 32.5\n", ""), {"limiter: needs normal"});
  expect_error(replaced(text, "normal = 32.5", "normal = \"high\""),
               {"limiter.normal: expected a number, found a string"});
  expect_error(replaced(text, "normal = 32.5", "normal = nan"),
               {"limiter.normal: not a finite number"});
  expect_error(replaced(text, "min_over = 60", "min_over = -1"),
               {"limiter.min_over: -1 is outside 0..86400"});
  expect_error(replaced(text, "over = \"disconnect\"", "over = \"reconnect\""),
               {"limiter.over: the over-threshold action is \"disconnect\" or \"none\""});
  expect_error(replaced(text, "under = \"none\"", "under = \"later\""),
               {"limiter.under: unknown action \"later\" (none, disconnect, reconnect)"});
  expect_error(replaced(text, "id = 7,", "id = 70000,"),
               {"limiter.emergency_profile.id: 70000 is outside 0..65535"});
  expect_error(replaced(text, "2026-01-15T17:00:00+01:00", "2026-01-15T17:00:00"),
               {"limiter.emergency_profile.start: needs a UTC offset"});
  expect_error(replaced(text, "duration = 7200", "length = 7200"),
               {"limiter.emergency_profile.length: unknown key (expected one of: id, start, "
                "duration)"});
  expect_error(replaced(text, "emergency_profile = {", "emergency_profile = 3 #"),
               {"limiter.emergency_profile: expected a table"});
  expect_error(replaced(text, "[3, 7]", "[3, -7]"),
               {"limiter.emergency_groups[1]: -7 is outside 0..65535"});
  expect_error(replaced(text, "[3, 7]", "3"), {"limiter.emergency_groups: expected an array"});
  expect_error(replaced(text, "low_credit = 4.5", "low_credit = 4.5001"),
               {"prepayment.low_credit: 4.5001 kWh is finer than 1 Wh (0.001 kWh)"});
  expect_error(replaced(text, "low_credit = 4.5", "low_credit = -1"),
               {"prepayment.low_credit: -1000 Wh is outside 0..100000000 Wh"});
  expect_error(replaced(text, "low_credit = 4.5", "low_credit = inf"),
               {"prepayment.low_credit: not a finite number"});
  expect_error(replaced(text, "[20, 7]", "[20, 24]"),
               {"prepayment.friendly_hours[1]: hour 24 is outside 0..23"});
  expect_error(replaced(text, "[20, 7]", "[20]"),
               {"prepayment.friendly_hours: expected [from, to], two hours of the day, or [] for "
                "none"});
  expect_error(replaced(text, "\"sunday\"]", "\"sundae\"]"),
               {"prepayment.friendly_days[1]: unknown name \"sundae\" (one of: monday, tuesday, "
                "wednesday, thursday, friday, saturday, sunday)"});
  expect_error(replaced(text, "friendly_special_days = true", "friendly_special_days = 1"),
               {"prepayment.friendly_special_days: expected true or false"});
  expect_error(replaced(text, "\"magnetic_field\"]", "\"magnet\"]"),
               {"tamper.disconnect[1]: unknown name \"magnet\" (one of: terminal_cover, "
                "meter_cover, magnetic_field)"});
  expect_error(replaced(text, "[fraud]\ncurrent_reversal = true", "[fraud]\ncurrent_reversal = 0"),
               {"fraud.current_reversal: expected true or false"});
  expect_error(replaced(text, "min_duration = 120", "min_duration = 86401"),
               {"fraud.min_duration: 86401 is outside 0..86400"});
  expect_error(replaced(text, "\"1-0:2.8.0.255\"", "\"1-0:1.8.1.255\""),
               {"pulse_output.register: \"1-0:1.8.1.255\" is not one of the totals"});
  expect_error(replaced(text, "constant = 500", "constant = 0"),
               {"pulse_output.constant: 0 imp/kWh is outside 1..100000"});
  expect_error(replaced(text, "width = 80", "width = 20"),
               {"m.toml:34:9: pulse_output.width: 20 ms is outside 30..2000"});
  expect_error(replaced(text, "gap = 40", "gap = 4.5"),
               {"pulse_output.gap: expected an integer, found a floating-point number"});
  expect_error("pulse_output = 3\n", {"pulse_output: expected a table"});
}

}  // namespace
}  // namespace gridmeter::config
