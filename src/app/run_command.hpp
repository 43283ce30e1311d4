// `gridmeter run`: the meter in real time (or `speed` times faster) on a scenario, printing a
// live status line every second, until Ctrl-C (or --duration) ends it with the state flushed.
//
//   gridmeter run                                  # household, store ./gridmeter.db
//   gridmeter run --scenario household-pv --speed 60 --store pv.db
#pragma once

#include <cstdint>   // std::uint64_t
#include <cstdio>    // std::FILE
#include <optional>  // std::optional
#include <string>    // std::string

#include "core/date_time.hpp"
#include "meter/meter.hpp"

namespace gridmeter::app {

struct RunOptions {
  std::optional<std::string> scenario;
  std::optional<std::uint64_t> seed;
  double speed = 1.0;
  std::string store_path = "gridmeter.db";
  std::string time_zone = "CET";
  double duration_s = 0.0;  // wall-clock seconds; 0 = until stopped
};

int run_live(const RunOptions& options, std::FILE* out, std::FILE* err);

// The status line: local time, per-phase U/I/P, A+ and A- totals.
std::string status_line(const Meter& meter, const Measurement& latest, const TimeZone& zone);

}  // namespace gridmeter::app
