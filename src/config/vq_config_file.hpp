// The [voltage_quality] section of the meter's config file (docs/config.md):
//
//   [voltage_quality]
//   declared_voltage = 230        # V: Udin, phase to neutral
//   dip_threshold = 90            # % of Udin
//   swell_threshold = 110
//   interruption_threshold = 5
//   hysteresis = 2
//   rvc_threshold = 3
//   overvoltage = 110             # % of Udin, 10-minute mean; overvoltage_2 a second level
//   undervoltage = 90             # undervoltage_2 likewise
//   long_interruption = 180       # s
//
// Types and keys are checked here, ranges by MeterConfig::validate().
#pragma once

#include <string>  // std::string

#include <toml++/toml.h>

#include "config/calendar_config.hpp"
#include "core/result.hpp"
#include "meter/vq_config.hpp"

namespace gridmeter::config {

// Reads the section when `root` has it; absent keys keep their value in `out`.
Status read_voltage_quality_config(const TomlReader& reader, const toml::table& root,
                                   VoltageQualityConfig& out);

// The section in full; read_voltage_quality_config reads it back equal.
std::string format_voltage_quality_config(const VoltageQualityConfig& config);

}  // namespace gridmeter::config
