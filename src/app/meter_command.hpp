// `gridmeter meter`: meters a recording of voltages and currents (COMTRADE, WAV, raw) and
// prints the registers (as `gridmeter sim` does) plus a per-second summary of U, I, P, Q, S,
// PF, f and THD per phase; --measurements adds every measurement interval.
//
//   gridmeter meter --input fault.cfg --json
//   gridmeter meter --input adc.raw --channels u1=0,i1=1 --scale 325,50 --sample-rate 8000
//                   --channel-count 2   (one line)
#pragma once

#include <cstdio>    // std::FILE
#include <optional>  // std::optional
#include <string>    // std::string

#include "app/input_options.hpp"

namespace gridmeter::app {

struct MeterCommandOptions {
  WaveformInputOptions input;
  bool json = false;
  bool measurements = false;
  bool pq_report = false;                  // --pq-report: the EN 50160 weekly report
  std::optional<std::string> time_zone;    // default: the programming's (CET)
  std::optional<std::string> config_path;  // --config: the meter's programming
};

int run_meter(const MeterCommandOptions& options, std::FILE* out, std::FILE* err);

}  // namespace gridmeter::app
