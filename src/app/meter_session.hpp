// MeterSession: a meter with its scenario and its store, resumed where the store left off.
//
//   auto session = MeterSession::open(options, system_clock.now());
//   session->step(t);                   // meter the interval that starts at t
//   session->flush_if_due();            // every flush interval of meter time
//   session->close();                   // final flush, marked as an orderly stop
//
// Shared by `gridmeter sim` and `gridmeter run`: both resume a stored meter the same way, and
// both treat a store that was not closed cleanly as a power failure at its last saved time.
// The meter's programming (MeterConfig: calendar, time zone, profiles, demand, billing) lives
// in the store with it.
#pragma once

#include <cstdint>   // std::uint64_t
#include <memory>    // std::unique_ptr
#include <optional>  // std::optional
#include <string>    // std::string

#include "core/result.hpp"
#include "core/time.hpp"
#include "meter/meter.hpp"
#include "sim/scenario.hpp"
#include "store/store.hpp"

namespace gridmeter::app {

inline constexpr std::string_view default_scenario = "household";

struct SessionOptions {
  std::optional<std::string> scenario;  // default: the stored one, else "household"
  std::optional<std::uint64_t> seed;    // default: the stored one, else 1
  std::optional<UtcMicros> start;       // default: the stored time, else `default_start`
  UtcMicros default_start = 0;
  std::string store_path;  // empty: no store (state lives in memory only)
  bool durable_commits = true;
  std::int64_t flush_interval_us = 15 * micros_per_minute;  // of meter time
  // Set for a meter fed by waveforms (metrology) instead of a scenario: its connection.
  std::optional<Connection> waveform_connection;
  // New programming (--config): a new meter starts with it, a stored one is reprogrammed
  // (Meter::configure logs the change). Without it a stored meter keeps its own and a new one
  // gets the defaults.
  std::optional<MeterConfig> config;
  // The meter clock's time zone (--time-zone), over the programming's.
  std::optional<TimeZone> zone;
};

class MeterSession {
 public:
  // Opens the store (if any), restores the meter, and builds the scenario. If the store was
  // not closed cleanly, records a power failure from its last saved time to `power_up_time`
  // (pass the saved time itself, i.e. std::nullopt, when meter time does not pass while the
  // process is down, as in simulation).
  static Result<MeterSession> open(const SessionOptions& options,
                                   std::optional<UtcMicros> power_up_time);

  Meter& meter() { return *meter_; }
  // The scenario feeding the meter; only for a session opened without waveform_connection.
  sim::Scenario& scenario() { return *scenario_; }
  [[nodiscard]] bool has_scenario() const { return scenario_ != nullptr; }
  [[nodiscard]] const store::Source& source() const { return source_; }
  // Meter time at which this session started metering.
  [[nodiscard]] UtcMicros start_time() const { return start_time_; }
  [[nodiscard]] bool resumed() const { return resumed_; }
  [[nodiscard]] bool recovered_from_power_failure() const { return recovered_; }
  [[nodiscard]] bool has_store() const { return store_.has_value(); }

  // Meters the interval that starts at `start`: the scenario measures, the meter integrates.
  // Behind an open breaker the household has no load (Meter::apply_breaker).
  void step(UtcMicros start) {
    scenario_->measure(start, measurement_);
    meter_->apply_breaker(measurement_);
    meter_->advance(measurement_);
  }
  // Meters an interval measured elsewhere (the metrology engine of a waveform-fed meter); the
  // meter decides what an open breaker does to it (disconnector.open_load).
  void advance(const Measurement& measurement) {
    meter_->advance(measurement);
    measurement_ = measurement;
    meter_->apply_breaker(measurement_);
  }
  // The latest interval metered: the instantaneous values of displays (and COSEM later).
  [[nodiscard]] const Measurement& last_measurement() const { return measurement_; }

  // The DLMS server's security state in the store (store/security_tables.cpp); without a store
  // nothing is loaded and saving is refused.
  Result<std::optional<dlms::SecurityState>> load_security();
  Status save_security(const dlms::SecurityState& state);

  // Saves when the meter's time has passed the next flush point.
  Status flush_if_due();
  // Saves now; `orderly_stop` marks the store as cleanly closed.
  Status flush(bool orderly_stop);
  // Final save of an orderly stop.
  Status close() { return flush(true); }
  // Closes after a run that ended with `outcome`: the state is saved either way, and the
  // first error (the run's, else the save's) is returned.
  Status close_after(const Status& outcome) {
    Status closed = close();
    return outcome ? closed : outcome;
  }

 private:
  MeterSession() = default;

  std::optional<store::Store> store_;
  std::unique_ptr<Meter> meter_;
  std::unique_ptr<sim::Scenario> scenario_;
  store::Source source_;
  Measurement measurement_{};
  UtcMicros start_time_ = 0;
  UtcMicros next_flush_utc_us_ = 0;
  std::int64_t flush_interval_us_ = 0;
  bool resumed_ = false;
  bool recovered_ = false;
};

}  // namespace gridmeter::app
