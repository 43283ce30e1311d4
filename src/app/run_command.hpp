// `gridmeter run`: the meter in real time (or `speed` times faster) on a scenario, printing a
// live status line every second, until Ctrl-C (or --duration) ends it with the state flushed.
//
//   gridmeter run                                  # household, store ./gridmeter.db
//   gridmeter run --scenario household-pv --speed 60 --store pv.db
//   gridmeter run --listen 0.0.0.0:4059 --secrets secrets.toml     # DLMS for the LAN
//   gridmeter run --control /run/gridmeter.sock --pulse-output /sys/class/gpio/gpio17/value
//   adc | gridmeter run --input - --channels u1=0,i1=1 --scale 325,50 --sample-rate 8000
//                       --channel-count 2            (one line: a live ADC feed on stdin)
#pragma once

#include <cstdint>   // std::uint64_t
#include <cstdio>    // std::FILE
#include <optional>  // std::optional
#include <string>    // std::string

#include "app/input_options.hpp"
#include "core/date_time.hpp"
#include "meter/meter.hpp"

namespace gridmeter::app {

struct RunOptions {
  std::optional<std::string> scenario;
  std::optional<std::uint64_t> seed;
  double speed = 1.0;
  std::string store_path = "gridmeter.db";
  std::optional<std::string> time_zone;    // default: the programming's (CET)
  std::optional<std::string> config_path;  // --config: the meter's programming
  double duration_s = 0.0;                 // wall-clock seconds; 0 = until stopped
  // With a path: the meter is fed from this waveform input (file or "-" for standard input)
  // instead of the scenario.
  WaveformInputOptions input;
  // DLMS/COSEM: where to listen ("none" serves nothing), the secrets file (LLS password of the
  // reading client; without one only the public client is served), and how long a silent
  // connection stays open.
  std::string listen = "127.0.0.1:4059";
  std::optional<std::string> secrets_path;
  std::optional<std::string> clients_path;  // the association rights table (--clients)
  double inactivity_timeout_s = 120.0;
  // Supply control by hand (control_service.hpp): commands on standard input (unless it
  // carries samples) and on a Unix socket; the S0 pulse output to a file or GPIO value file.
  std::optional<std::string> control_path;
  std::optional<std::string> pulse_output_path;
};

int run_live(const RunOptions& options, std::FILE* out, std::FILE* err);

// The status line: the meter clock (local time), per-phase U/I/P, A+ and A- totals, the
// active tariff.
std::string status_line(const Meter& meter, const Measurement& latest, const TimeZone& zone);

}  // namespace gridmeter::app
