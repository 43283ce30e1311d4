// The [voltage_quality] section of the programming file: what it programs, that the formatted
// text reads back equal, and that every malformed value is refused with an error naming the key.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "config/meter_config_file.hpp"

namespace gridmeter::config {
namespace {

constexpr std::string_view vq_config = R"([voltage_quality]
declared_voltage = 120
dip_threshold = 85
swell_threshold = 112.5
interruption_threshold = 2
hysteresis = 1.5
rvc_threshold = 5
overvoltage = 106
overvoltage_2 = 111
undervoltage = 94
undervoltage_2 = 88
long_interruption = 300
)";

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
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

TEST(VoltageQualityConfig, TheSectionProgramsTheThresholds) {
  const Result<MeterConfig> parsed = parse_meter_config(vq_config, "m.toml");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  const VoltageQualityConfig& vq = parsed->voltage_quality;
  EXPECT_EQ(vq.declared_voltage_v, 120.0);
  EXPECT_EQ(vq.dip_threshold_percent, 85.0);
  EXPECT_EQ(vq.swell_threshold_percent, 112.5);
  EXPECT_EQ(vq.interruption_threshold_percent, 2.0);
  EXPECT_EQ(vq.hysteresis_percent, 1.5);
  EXPECT_EQ(vq.rvc_threshold_percent, 5.0);
  EXPECT_EQ(vq.overvoltage_percent, 106.0);
  EXPECT_EQ(vq.overvoltage_2_percent, 111.0);
  EXPECT_EQ(vq.undervoltage_percent, 94.0);
  EXPECT_EQ(vq.undervoltage_2_percent, 88.0);
  EXPECT_EQ(vq.long_interruption_s, 300);
  // Without the section: EN 50160's defaults.
  const Result<MeterConfig> plain = parse_meter_config("", "m.toml");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->voltage_quality, VoltageQualityConfig{});
}

TEST(VoltageQualityConfig, FormattedTextReadsBackEqual) {
  for (std::string_view text : {vq_config, std::string_view()}) {
    const Result<MeterConfig> parsed = parse_meter_config(text, "m.toml");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    const std::string formatted = format_meter_config(*parsed);
    EXPECT_NE(formatted.find("[voltage_quality]"), std::string::npos);
    const Result<MeterConfig> back = parse_meter_config(formatted, "formatted");
    ASSERT_TRUE(back.has_value()) << back.error().message << "\n" << formatted;
    EXPECT_EQ(*back, *parsed);
  }
}

TEST(VoltageQualityConfig, MalformedValuesAreRefusedNamingTheKey) {
  const std::string text(vq_config);
  expect_error(replaced(text, "dip_threshold = 85", "dip_threshold = \"85\""),
               {"m.toml:3:17: voltage_quality.dip_threshold: expected a number, found a string"});
  expect_error(replaced(text, "hysteresis = 1.5", "hysteresis = nan"),
               {"voltage_quality.hysteresis: not a finite number"});
  expect_error(replaced(text, "rvc_threshold", "rvc_level"),
               {"voltage_quality.rvc_level: unknown key"});
  expect_error(replaced(text, "dip_threshold = 85", "dip_threshold = 120"),
               {"voltage_quality.dip_threshold: 120 % is outside 50..99 %"});
  expect_error(replaced(text, "swell_threshold = 112.5", "swell_threshold = 99"),
               {"voltage_quality.swell_threshold: 99 % is outside 101..200 %"});
  expect_error(replaced(text, "declared_voltage = 120", "declared_voltage = 20"),
               {"voltage_quality.declared_voltage: 20 V is outside 50..1000 V"});
  expect_error(replaced(text, "overvoltage_2 = 111", "overvoltage_2 = 105"),
               {"voltage_quality.overvoltage: 106 % is not below overvoltage_2 (105 %)"});
  expect_error(replaced(text, "undervoltage_2 = 88", "undervoltage_2 = 95"),
               {"voltage_quality.undervoltage_2: 95 % is not below undervoltage (94 %)"});
  expect_error(replaced(replaced(text, "hysteresis = 1.5", "hysteresis = 6"), "dip_threshold = 85",
                        "dip_threshold = 95"),
               {"voltage_quality.hysteresis: 6 % moves the dip or swell end level past 100 %"});
  expect_error(replaced(text, "long_interruption = 300", "long_interruption = 0"),
               {"voltage_quality.long_interruption: 0 s is outside 1..86400 s"});
  expect_error(replaced(text, "long_interruption = 300", "long_interruption = 1.5"),
               {"voltage_quality.long_interruption: expected an integer"});
  expect_error("voltage_quality = 5\n", {"voltage_quality: expected a table"});
}

}  // namespace
}  // namespace gridmeter::config
