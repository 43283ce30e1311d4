// The supply-control sections of the meter's config file (docs/config.md): [disconnector],
// [limiter], [prepayment], [tamper], [fraud] and [pulse_output].
//
//   [disconnector]
//   mode = 1                        # Disconnect control control_mode, 0..6
//   [limiter]
//   value = "p_total"               # an instantaneous value of the analysis catalogue
//   normal = 5000                   # W: threshold_normal
//   min_over = 60                   # s over the threshold before it disconnects
//   [prepayment]
//   low_credit = 5                  # kWh
//   friendly_hours = [20, 7]        # no disconnection from 20:00 to 07:00
//   [pulse_output]
//   constant = 1000                 # imp/kWh of 1-0:1.8.0.255
//
// Types, keys and names are checked here, ranges by MeterConfig::validate() (so the file and
// a config made in code obey the same rules). An absent section keeps its defaults; a
// [limiter] or [prepayment] section switches the function on unless it says enabled = false.
#pragma once

#include <string>  // std::string

#include <toml++/toml.h>

#include "config/calendar_config.hpp"
#include "core/result.hpp"
#include "meter/meter_config.hpp"

namespace gridmeter::config {

// Reads the sections present in `root` into `out`.
Status read_supply_config(const TomlReader& reader, const toml::table& root, MeterConfig& out);

// Every supply section, written out in full; read_supply_config reads it back equal.
std::string format_supply_config(const MeterConfig& config);

}  // namespace gridmeter::config
