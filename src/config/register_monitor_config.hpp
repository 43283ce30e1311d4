// The [[register_monitor]] tables of the meter's config file (docs/config.md):
//
//   [[register_monitor]]                # 0-0:16.1.0.255
//   value = "p_total"                   # an instantaneous value of the analysis catalogue
//   thresholds = [5000, 7500.5]         # in the value's unit (W here)
//   up = ["end_of_billing", "none"]     # the script each threshold runs when crossed upwards
//   down = ["none", "none"]             # ... and downwards; both default to "none"
#pragma once

#include <string>  // std::string
#include <vector>  // std::vector

#include <toml++/toml.h>

#include "config/calendar_config.hpp"
#include "core/result.hpp"
#include "meter/register_monitor.hpp"

namespace gridmeter::config {

// Reads `root`'s register_monitor array of tables (absent: no monitors). Types, keys and the
// lengths of up/down are checked here; what validate_register_monitors checks is left to it.
Status read_register_monitors(const TomlReader& reader, const toml::table& root,
                              std::vector<RegisterMonitorConfig>& out);

// The monitors as [[register_monitor]] tables that read_register_monitors reads back equal
// (thresholds in shortest round-trip form); empty for none (the caller writes
// "register_monitor = []" before any table, so that none does not read back as the default).
std::string format_register_monitors(const std::vector<RegisterMonitorConfig>& monitors);

}  // namespace gridmeter::config
