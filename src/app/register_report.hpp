// How the commands print a meter's registers: a JSON document keyed by OBIS code, or a table.
//
// JSON shape (the interface scripts rely on; docs/cli.md documents it):
//   {
//     "scenario": "household", "seed": 1,         (or "input": "fault.cfg" for waveforms)
//     "connection": "1p2w",
//     "period": {"start": "2026-01-01T00:00:00+01:00", "end": "…", "days": 10.0,
//                "measurement_intervals": 4320000},
//     "meter": {"time": "…", "clock": "…", "measurement_count": …, "power_failures": 0,
//               "active_tariff": 2, "billing_periods": 3},
//     "registers": {"1-0:1.8.0.255": {"value": 1234, "scaler": 0, "unit": "Wh",
//                                     "name": "A+ total"}, …, "1-0:1.8.1.255": …},
//     "demand": {"1-0:1.6.0.255": {"value": 4200, "scaler": 0, "unit": "W",
//                                  "name": "A+ max demand", "time": "…"}, …},
//     "supply": {"breaker": {"control_state": 1, "state": "connected", "output_state": true,
//                            "control_mode": 1},
//                "limiter": {…}, "prepayment": {"credit_wh": …, …}   (when programmed)
//                "tamper": {"terminal_cover": {"active": false, "count": 0}, …},
//                "fraud_signs": {"current_reversal": {"active": false, "count": 0}, …},
//                "pulse_output": {"register": "1-0:1.8.0.255", "constant": 1000,
//                                 "pulses": 1234, "queued": 0}},
//     "profiles": {"1-0:99.1.0.255": {"name": "load profile", "entries_in_use": 96,
//                                     "profile_entries": 8832, "entries_total": 96}, …}
//   }
#pragma once

#include <cstdint>  // std::uint64_t
#include <string>   // std::string

#include <nlohmann/json.hpp>

#include "core/date_time.hpp"
#include "meter/meter.hpp"
#include "store/store.hpp"

namespace gridmeter::app {

struct RunSummary {
  store::Source source;  // a scenario-fed meter
  std::string input;     // a waveform-fed meter: the input's name (then source is unused)
  UtcMicros period_start_utc_us = 0;
  UtcMicros period_end_utc_us = 0;
  std::uint64_t measurement_intervals = 0;  // integrated in this run
  int scaler = 0;  // register resolution: 10^scaler Wh (0 for a meter's life, -3 for recordings)
};

// Energy registers (totals, phases) and the tariff registers, keyed by OBIS.
nlohmann::ordered_json registers_json(const MeterState& state, int scaler = 0);
// Demand registers keyed by OBIS: {"value", "scaler", "unit", "name"[, "time"]}.
nlohmann::ordered_json demand_json(const MeterState& state, const TimeZone& zone);
// The supply-control state: breaker, limiter, credit, tamper inputs, fraud signs, S0 output.
nlohmann::ordered_json supply_json(const Meter& meter);
// Times print in the meter's time zone (its programming).
nlohmann::ordered_json run_json(const RunSummary& run, const Meter& meter);
std::string run_table(const RunSummary& run, const Meter& meter);

}  // namespace gridmeter::app
