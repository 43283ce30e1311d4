// Meter: the deterministic core of gridmeter. Measurements in, registers and logs out.
//
//   Meter meter(Connection::three_phase_4w, start);          // default configuration
//   for (...) meter.advance(measurement);        // time travels inside the measurement
//   meter.state().energy.total[EnergyKind::active_import].watt_hours();
//   meter.state().tariffs.at(1, EnergyKind::active_import);  // 1-0:1.8.1
//   meter.state().load_profile.newest();                     // 1-0:99.1.0.255
//   meter.shift_clock(-3600 * micros_per_second);            // a head-end adjusts the clock
//
// No threads, sockets, clocks, files or allocation inside advance(): the same measurements give
// the same state, bit for bit, which is what makes a simulated year, a replay and a test agree.
//
// Time: measurements carry the time base; the meter clock is the time base plus
// state().clock_offset_us (meter_clock.hpp). advance() cuts each interval at every instant
// something is scheduled on the meter clock (a tariff switch, a profile or demand boundary,
// the billing date, a DST switch), so registers split there exactly.
#pragma once

#include <cstdint>   // std::uint64_t
#include <optional>  // std::optional
#include <vector>    // std::vector

#include "core/time.hpp"
#include "meter/analysis_log.hpp"
#include "meter/demand.hpp"
#include "meter/energy_registers.hpp"
#include "meter/event_codes.hpp"
#include "meter/measurement.hpp"
#include "meter/meter_config.hpp"
#include "meter/profile.hpp"
#include "meter/register_monitor.hpp"
#include "meter/supply_state.hpp"
#include "meter/tariff_registers.hpp"
#include "meter/voltage_quality.hpp"

namespace gridmeter {

// Everything the meter must keep across a power cycle (the store persists it).
struct MeterState {
  Connection connection = Connection::single_phase_2w;
  MeterConfig config;
  // End of the last measurement interval the meter integrated, on the time base.
  UtcMicros time_utc_us = 0;
  // Meter clock minus time base (clock adjustments).
  std::int64_t clock_offset_us = 0;
  std::uint64_t measurement_count = 0;
  EnergyRegisters energy;
  TariffRegisters tariffs;
  int active_tariff = 0;  // 0-0:96.14.0.255; 0 before the first interval
  DemandState demand;
  // Billing period counter (0-0:0.1.0.255) and the time of the last reset (meter clock).
  std::uint64_t billing_count = 0;
  UtcMicros last_billing_utc_us = 0;
  // Power failures seen (a start that found the store not cleanly closed, or a gap in time),
  // with the last one's instants on the meter clock.
  std::uint64_t power_failure_count = 0;
  UtcMicros last_power_down_utc_us = 0;
  UtcMicros last_power_up_utc_us = 0;
  // Status bits gathered for the next load profile and analysis log entries.
  std::uint8_t load_profile_pending_status = 0;
  std::uint8_t analysis_pending_status = 0;
  AnalysisAggregator analysis;
  Profile load_profile;
  Profile analysis_log;  // width 0 and capacity 1 when the analysis log is off
  Profile billing_profile;
  Profile standard_events;
  Profile clock_events;
  Profile fraud_events;  // 0-0:99.98.1.255: covers, magnetic field, security failures
  // Supply control: breaker, limiter, credit, tamper inputs, fraud signs, S0 pulse train.
  SupplyState supply;
  Profile disconnector_events;  // 0-0:99.98.2.255: breaker transitions and their causes
  Profile token_log;            // 0-0:99.98.128.255: top-ups (token, amount, credit after)
  // Voltage quality (voltage_quality.hpp): detectors, aggregates, counters, weekly statistics,
  // and its log 0-0:99.98.4.255 (400 entries).
  VoltageQualityState voltage_quality;
  Profile voltage_quality_log;

  friend bool operator==(const MeterState&, const MeterState&) = default;
};

inline constexpr std::size_t event_log_depth = 200;

// Every profile and log a MeterState keeps, in one order (what the store saves and loads).
std::vector<Profile*> stored_profiles(MeterState& state);
std::vector<const Profile*> stored_profiles(const MeterState& state);

class Meter {
 public:
  // A new meter whose clock starts at `start`; `config` must pass validate().
  Meter(Connection connection, UtcMicros start, const MeterConfig& config = {});
  explicit Meter(const MeterState& restored);

  // Integrates one measurement interval. Intervals arrive in time order; an interval that
  // starts before the meter's time (overlap) is a caller bug and is ignored.
  // Then the register monitors watch its instantaneous values (register_monitor.hpp).
  void advance(const Measurement& measurement);

  // The supply went away at `down` and came back at `up` (both on the time base). Registers
  // keep their values; power down and power up are logged at their meter-clock times; the load
  // profile has a gap (no entries for boundaries inside the outage) and the next entry carries
  // the power-down status bit.
  void power_outage(UtcMicros down, UtcMicros up);

  // Clock operations of a head-end (class 8): set the meter clock to `meter_time`, shift it by
  // `delta_us`, enable or disable daylight saving. Each logs its events (clock adjusted old /
  // new time, DST enabled or disabled) in the standard and clock logs.
  void set_clock(UtcMicros meter_time);
  void shift_clock(std::int64_t delta_us) { set_clock(clock_now() + delta_us); }
  void set_dst_enabled(bool enabled);

  // An event that happened outside the measurements (a security failure, a key change, a
  // cover opened): logged now, on the meter clock, in the log its code belongs to
  // (event_log_of).
  void record_event(EventCode code);

  // End of billing period on command (script 0-0:10.0.1.255), now.
  void billing_reset();

  // Supply control (docs/architecture.md "Supply control"). The breaker follows the Disconnect
  // control state machine (disconnect_control.hpp); every transition is logged in the
  // disconnector control log with its cause.
  // The head-end's Disconnect control methods (class 70 methods 1 and 2). A remote
  // reconnection also lifts every hold the meter keeps on the supply.
  DisconnectResult remote_disconnect();
  DisconnectResult remote_reconnect();
  // The customer's push button: disconnects (f) when connected, reconnects (e) when ready for
  // reconnection and nothing holds the supply open; a remote disconnection it cannot undo.
  DisconnectResult press_button();
  // A tamper input changes now: cover removed (true) or closed, magnetic field detected or
  // gone. Logged, counted, and the breaker opens when programmed. False (nothing logged) when
  // the input already was in that state.
  bool tamper_input(TamperInput input, bool active);
  // The same during a supply outage (between power_outage's down and up): remembered and
  // reported at the power-up, as a meter's battery-backed cover switches are.
  void tamper_input_while_off(TamperInput input, bool active);
  // Prepayment: adds a token's `amount_wh`. Refused with an error naming the reason, and
  // nothing changed, when prepayment is off, the token was applied before or is older than
  // every token remembered, or the amount is outside 1..top_up_wh_max.
  Status top_up(std::uint64_t token, std::int64_t amount_wh);
  // The emergency credit, at the customer's request: refused when none is programmed, it was
  // taken and not yet repaid, or the credit is above the low-credit threshold.
  Status take_emergency_credit();
  // Drops the load side of `m` (currents, powers) while the breaker is open and the meter is
  // programmed to suppress it: what a simulated household behind the breaker shows. advance()
  // applies the same by itself.
  void apply_breaker(Measurement& m) const;
  // The S0 output's recent rising edges (pulse_output.hpp), for the application to put out.
  [[nodiscard]] const PulseEdgeRing& pulse_edges() const { return pulse_edges_; }

  // The passive calendar becomes the active one now (class 20 method 1,
  // activate_passive_calendar): logs "TOU activated" and the tariff in force changes at once.
  // Returns false, and changes nothing, when the passive calendar is empty.
  bool activate_passive_calendar();

  // New programming (validated by the caller). Logs "parameters changed" (and "passive TOU
  // programmed" when the passive calendar changed); a load profile or analysis log whose
  // period or columns changed is cleared ("load profile cleared").
  void configure(const MeterConfig& config);

  [[nodiscard]] const MeterState& state() const { return state_; }
  [[nodiscard]] Connection connection() const { return state_.connection; }
  [[nodiscard]] const MeterConfig& config() const { return state_.config; }
  // The meter clock now.
  [[nodiscard]] UtcMicros clock_now() const { return state_.time_utc_us + state_.clock_offset_us; }
  // Every profile and log, for exports and (later) DLMS.
  [[nodiscard]] std::vector<const Profile*> profiles() const;

 private:
  void build_profiles();
  void log_event(EventCode code, UtcMicros meter_time, bool standard_log, bool clock_log);
  // After the clock jumped from `from` (meter clock) to now: a missed billing date, a passed
  // calendar activation, the tariff in force, a fresh demand window.
  void catch_up_after_jump(UtcMicros from);
  // Everything due at meter time `at` (a boundary just reached).
  void on_boundary(UtcMicros at);
  // on_boundary for every boundary at or before `time` (time base), time advancing to each.
  void run_boundaries_until(UtcMicros time);
  void integrate(const Measurement& part);
  // After an interval: the register monitors and the supply control on the load side seen.
  void watch(const Measurement& seen, bool open_throughout);
  void advance_time(const Measurement& measurement);
  void build_monitors();
  void run_script(MonitorScript script);
  void reschedule();
  void restart_demand();
  void do_billing_reset(UtcMicros at);

  // Supply control (meter_supply.cpp).
  void push_event(EventCode code, UtcMicros meter_time);
  [[nodiscard]] bool load_suppressed() const;
  // integrate() with the breaker and the credit: the load side dropped while open, and the
  // interval cut where the credit runs out.
  void integrate_supplied(const Measurement& part);
  // After an interval: the limiter, the fraud signs, the credit, and a breaker that was open
  // throughout the interval yet let current through.
  void supervise_supply(const Measurement& seen, bool open_throughout);
  DisconnectResult run_trigger(DisconnectTrigger trigger);
  void apply_transition(const DisconnectStep& step);
  // Opens the breaker for the meter's own reason (transition g), logging `cause` before it,
  // and holds it open for `hold` (supply_hold).
  void local_disconnect(std::uint8_t hold, std::optional<EventCode> cause);
  // Lifts a hold; with none left, the meter reconnects itself when its mode allows (h).
  void lift_hold(std::uint8_t hold);
  void check_prepayment(UtcMicros meter_time);
  void after_credit_change();
  void update_emergency(UtcMicros meter_time);
  // The active threshold changed now: the runs over and under it begin again.
  void restart_limiter_runs();
  void report_tamper_after_outage();
  void configure_supply(const MeterConfig& old);
  void build_supply();

  MeterState state_;
  // The next instant on the time base at which on_boundary must run (derived, not persisted).
  UtcMicros next_boundary_utc_us_ = 0;
  std::vector<std::int64_t> row_;  // scratch row for captures, sized once
  // Derived from the config; where each value stood is relearned after a start.
  std::vector<RegisterMonitor> monitors_;
  std::size_t limiter_quantity_ = 0;  // analysis catalogue index of the limiter's value
  PulseEdgeRing pulse_edges_;
};

}  // namespace gridmeter
