// Scenario: a deterministic household and its grid connection, producing the Measurement of any
// measurement interval directly (no waveforms), so a meter-year runs in seconds.
//
//   auto scenario = make_scenario({.name = "household-pv", .seed = 7});
//   if (!scenario) { fmt::print(stderr, "{}\n", scenario.error().message); return 1; }
//   Measurement m;
//   for (UtcMicros t = start; t < end; t += (*scenario)->interval_us()) {
//     (*scenario)->measure(t, m);
//     meter.advance(m);
//   }
//
// The Measurement for an interval is a pure function of (config, start): a run resumed from any
// interval boundary (after a restart from the store) sees exactly what an uninterrupted run saw.
#pragma once

#include <cstdint>      // std::int64_t, std::uint64_t
#include <memory>       // std::unique_ptr
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "core/result.hpp"
#include "core/time.hpp"
#include "meter/measurement.hpp"

namespace gridmeter::sim {

struct ScenarioConfig {
  std::string name;
  std::uint64_t seed = 1;
  double nominal_voltage_v = 230.0;
  double nominal_frequency_hz = 50.0;  // 50 or 60
};

class Scenario {
 public:
  Scenario() = default;
  Scenario(const Scenario&) = delete;
  Scenario& operator=(const Scenario&) = delete;
  virtual ~Scenario() = default;

  [[nodiscard]] virtual const ScenarioConfig& config() const = 0;
  [[nodiscard]] virtual Connection connection() const = 0;

  // Fills every field of `out` for the interval [start, start + interval_us()). The same start
  // always gives the same bytes, whatever was measured before: caches only speed it up.
  virtual void measure(UtcMicros start, Measurement& out) = 0;

  // 200 ms: 10 cycles at 50 Hz, 12 at 60 Hz (IEC 61000-4-30 clause 4.4).
  [[nodiscard]] std::int64_t interval_us() const { return measurement_interval_us; }

  static constexpr std::int64_t measurement_interval_us = 200'000;
};

// "household" (single-phase, no PV), "household-3ph" (three-phase with heat pump and EV),
// "household-pv" (three-phase with rooftop PV, heat pump and EV).
std::span<const std::string_view> scenario_names();

// Fails on an unknown name (the message lists the known ones) or an unsupported nominal
// frequency (50 or 60 Hz) or voltage (100..400 V).
Result<std::unique_ptr<Scenario>> make_scenario(const ScenarioConfig& config);

}  // namespace gridmeter::sim
