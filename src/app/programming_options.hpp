// The command-line options that program the meter: `--config FILE` (docs/config.md) and
// `--time-zone`, shared by sim, run and meter.
//
//   auto programming = load_programming({.config_path = "tariffs.toml"});
//   session_options.config = programming->config;
//   session_options.zone = programming->zone;
#pragma once

#include <optional>  // std::optional
#include <string>    // std::string

#include "core/result.hpp"
#include "core/time_zone.hpp"
#include "meter/meter_config.hpp"

namespace gridmeter::app {

struct ProgrammingOptions {
  std::optional<std::string> config_path;
  std::optional<std::string> time_zone;
};

struct Programming {
  std::optional<MeterConfig> config;  // from --config, validated
  std::optional<TimeZone> zone;       // from --time-zone
  // The zone times on the command line are read in: --time-zone, else the file's, else CET.
  TimeZone effective_zone = TimeZone::central_europe();
};

Result<Programming> load_programming(const ProgrammingOptions& options);

}  // namespace gridmeter::app
