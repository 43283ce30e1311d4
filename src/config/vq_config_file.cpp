#include "config/vq_config_file.hpp"

#include <fmt/format.h>

#include <array>        // std::array
#include <cmath>        // std::isfinite
#include <cstdint>      // std::int64_t
#include <string_view>  // std::string_view

namespace gridmeter::config {
namespace {

constexpr std::string_view section_name = "voltage_quality";

struct NumberKey {
  std::string_view key;
  double VoltageQualityConfig::*field;
};

constexpr std::array<NumberKey, 11> number_keys{{
    {"declared_voltage", &VoltageQualityConfig::declared_voltage_v},
    {"dip_threshold", &VoltageQualityConfig::dip_threshold_percent},
    {"swell_threshold", &VoltageQualityConfig::swell_threshold_percent},
    {"interruption_threshold", &VoltageQualityConfig::interruption_threshold_percent},
    {"hysteresis", &VoltageQualityConfig::hysteresis_percent},
    {"rvc_threshold", &VoltageQualityConfig::rvc_threshold_percent},
    {"rvc_hysteresis", &VoltageQualityConfig::rvc_hysteresis_percent},
    {"overvoltage", &VoltageQualityConfig::overvoltage_percent},
    {"overvoltage_2", &VoltageQualityConfig::overvoltage_2_percent},
    {"undervoltage", &VoltageQualityConfig::undervoltage_percent},
    {"undervoltage_2", &VoltageQualityConfig::undervoltage_2_percent},
}};

// Shortest text that reads back as the same double.
std::string number_text(double value) { return fmt::format("{}", value == 0.0 ? 0.0 : value); }

}  // namespace

Status read_voltage_quality_config(const TomlReader& reader, const toml::table& root,
                                   VoltageQualityConfig& out) {
  const toml::node* node = root.get(section_name);
  if (node == nullptr) return {};
  const toml::table* table = nullptr;
  if (Status s = reader.expect_table(*node, section_name, table); !s) return s;
  if (Status s = reader.check_keys(
          *table, section_name,
          {"declared_voltage", "dip_threshold", "swell_threshold", "interruption_threshold",
           "hysteresis", "rvc_threshold", "rvc_hysteresis", "overvoltage", "overvoltage_2",
           "undervoltage", "undervoltage_2", "long_interruption"});
      !s) {
    return s;
  }
  for (const NumberKey& entry : number_keys) {
    const toml::node* value = table->get(entry.key);
    if (value == nullptr) continue;
    const std::string path = member_path(section_name, entry.key);
    double number = 0.0;
    if (const auto* integer = value->as_integer()) {
      number = static_cast<double>(integer->get());
    } else if (const auto* floating = value->as_floating_point()) {
      number = floating->get();
      if (!std::isfinite(number)) return reader.error_at(*value, path, "not a finite number");
    } else {
      return reader.wrong_type(*value, path, "a number");
    }
    out.*entry.field = number;
  }
  if (const toml::node* value = table->get("long_interruption")) {
    const std::string path = member_path(section_name, "long_interruption");
    std::int64_t seconds = 0;
    if (Status s = reader.read_integer(*value, path, seconds); !s) return s;
    if (seconds < 1 || seconds > 86'400) {
      return reader.error_at(*value, path, fmt::format("{} s is outside 1..86400 s", seconds));
    }
    out.long_interruption_s = static_cast<int>(seconds);
  }
  return {};
}

std::string format_voltage_quality_config(const VoltageQualityConfig& config) {
  std::string text = "[voltage_quality]\n";
  for (const NumberKey& entry : number_keys)
    text += fmt::format("{} = {}\n", entry.key, number_text(config.*entry.field));
  text += fmt::format("long_interruption = {}\n\n", config.long_interruption_s);
  return text;
}

}  // namespace gridmeter::config
