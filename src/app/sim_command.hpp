// `gridmeter sim`: the meter through N days of a scenario in accelerated time.
//
//   gridmeter sim --scenario household-pv --days 365 --store meter.db --json
//   gridmeter sim --days 31 --config tariffs.toml --export 1-0:99.1.0.255=lp.csv
//                 --action 2026-01-10T12:00=shift:+3600   (one line)
#pragma once

#include <cstdint>   // std::uint64_t
#include <cstdio>    // std::FILE
#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>    // std::vector

#include "core/date_time.hpp"

namespace gridmeter::app {

struct SimOptions {
  std::optional<std::string> scenario;
  double days = 1.0;
  std::optional<std::uint64_t> seed;
  std::optional<std::string> start;  // ISO 8601; local meter time when it has no offset
  std::string store_path;
  bool json = false;
  std::optional<std::string> time_zone;    // default: the programming's (CET)
  std::optional<std::string> config_path;  // --config: the meter's programming
  std::vector<std::string> exports;        // --export OBIS=FILE
  std::vector<std::string> actions;        // --action WHEN=WHAT (sim_actions.hpp)
  std::optional<std::string> pulses_path;  // --pulses FILE: the S0 output's pulses (pulse_log.hpp)
  double flush_interval_min = 15.0;        // meter time between store commits
  bool pq_report = false;                  // --pq-report: the EN 50160 weekly report
};

// Runs the simulation; prints the report to `out` and errors to `err`. Returns the exit code.
int run_sim(const SimOptions& options, std::FILE* out, std::FILE* err);

// Local midnight at the start of 2026: where a new simulated meter's clock starts.
UtcMicros default_sim_start(const TimeZone& zone);

}  // namespace gridmeter::app
