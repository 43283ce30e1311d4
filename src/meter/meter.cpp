#include "meter/meter.hpp"

#include <algorithm>  // std::max, std::min
#include <array>      // std::array
#include <cassert>    // assert

#include "meter/load_profile.hpp"
#include "meter/meter_clock.hpp"

namespace gridmeter {
namespace {

std::int64_t minutes_us(int minutes) { return std::int64_t{minutes} * micros_per_minute; }

std::int64_t demand_step_us(const DemandConfig& config) {
  return minutes_us(config.period_min) / config.sub_periods;
}

// Whether `at` lies on the grid of `period_us` that next_period_boundary follows.
bool on_grid(UtcMicros at, std::int64_t period_us, const TimeZone& zone) {
  return next_period_boundary(at - 1, period_us, zone) == at;
}

constexpr Obis standard_event_code_obis{0, 0, 96, 11, 0, 255};
constexpr Obis clock_event_code_obis{0, 0, 96, 11, 6, 255};
constexpr Obis fraud_event_code_obis{0, 0, 96, 11, 1, 255};
constexpr Obis disconnector_event_code_obis{0, 0, 96, 11, 2, 255};

// Voltage-quality events go to the voltage quality log, stamped with their start.
class VoltageQualityLog final : public VqSink {
 public:
  VoltageQualityLog(Profile& log, const TimeZone& zone) : log_(log), zone_(zone) {}
  void on_vq_event(const VqEvent& event) override {
    std::array<std::int64_t, vq_log_width> row{};
    vq_log_row(event, row);
    log_.push(stamp_at(event.start_utc_us, zone_), row);
  }

 private:
  Profile& log_;
  const TimeZone& zone_;
};

}  // namespace

Meter::Meter(Connection connection, UtcMicros start, const MeterConfig& config) {
  assert(config.validate());
  state_.connection = connection;
  state_.config = config;
  state_.time_utc_us = start;
  state_.standard_events = Profile(standard_event_log_obis,
                                   event_log_columns(standard_event_code_obis), event_log_depth, 0);
  state_.clock_events =
      Profile(clock_event_log_obis, event_log_columns(clock_event_code_obis), event_log_depth, 0);
  state_.fraud_events =
      Profile(fraud_event_log_obis, event_log_columns(fraud_event_code_obis), event_log_depth, 0);
  state_.disconnector_events =
      Profile(disconnector_event_log_obis, event_log_columns(disconnector_event_code_obis),
              event_log_depth, 0);
  state_.token_log = Profile(token_log_obis, token_log_columns(), token_log_depth, 0);
  state_.voltage_quality_log =
      Profile(voltage_quality_log_obis, vq_log_columns(), voltage_quality_log_depth, 0);
  state_.supply.pulse_output = start_pulse_train(config.pulse_output);
  build_profiles();
  restart_demand();
  state_.active_tariff = config.calendar.tariff_at_utc(clock_now(), config.zone);
  build_supply();
  // A meter programmed for prepayment starts without credit: the supply opens at once.
  check_prepayment(clock_now());
  reschedule();
  build_monitors();
}

Meter::Meter(const MeterState& restored) : state_(restored) {
  build_supply();
  reschedule();
  build_monitors();
}

void Meter::build_monitors() {
  monitors_.clear();
  for (const RegisterMonitorConfig& monitor : state_.config.register_monitors)
    monitors_.emplace_back(monitor);
}

void Meter::run_script(MonitorScript script) {
  switch (script) {
    case MonitorScript::none:
      return;
    case MonitorScript::end_of_billing:
      billing_reset();
      return;
    // The disconnector script table's scripts: the breaker's remote methods (a mode that does
    // not allow them makes them do nothing, as the methods answer).
    case MonitorScript::disconnect:
      (void)remote_disconnect();
      return;
    case MonitorScript::reconnect:
      (void)remote_reconnect();
      return;
  }
}

void Meter::build_profiles() {
  const MeterConfig& config = state_.config;
  state_.load_profile =
      Profile(load_profile_obis, load_profile_columns(config.load_profile, state_.connection),
              config.load_profile.depth, config.load_profile.period_min * 60);
  auto selection = resolve_analysis_values(config.analysis_log.values);
  assert(selection);
  state_.analysis = AnalysisAggregator(selection ? *selection : std::vector<std::size_t>{});
  std::vector<CaptureColumn> analysis_columns{profile_status_column()};
  for (CaptureColumn& column : state_.analysis.columns())
    analysis_columns.push_back(std::move(column));
  state_.analysis_log = Profile(analysis_log_obis, std::move(analysis_columns),
                                config.analysis_log.depth, config.analysis_log.period_min * 60);
  state_.billing_profile =
      Profile(billing_profile_obis, billing_profile_columns(), config.billing.depth, 0);
}

void Meter::reschedule() {
  const MeterConfig& config = state_.config;
  const TimeZone& zone = config.zone;
  const UtcMicros now = clock_now();
  UtcMicros next = config.calendar.next_switch_after(now, zone);
  next =
      std::min(next, next_period_boundary(now, minutes_us(config.load_profile.period_min), zone));
  if (!config.analysis_log.values.empty()) {
    next =
        std::min(next, next_period_boundary(now, minutes_us(config.analysis_log.period_min), zone));
  }
  next = std::min(next, next_period_boundary(now, demand_step_us(config.demand), zone));
  next = std::min(next, next_billing_time(now, config.billing.day, config.billing.hour, zone));
  next = std::min(next, next_dst_switch(now, zone));
  // Supply control: the emergency profile's start and end; the hours at which a friendly
  // period of the prepayment may end (local standard time hours, as the profiles' grid).
  if (const UtcMicros emergency = next_emergency_change(config.limiter, now);
      emergency != no_time) {
    next = std::min(next, emergency);
  }
  if (config.prepayment.enabled) {
    next = std::min(next, next_period_boundary(now, micros_per_hour, zone));
  }
  next_boundary_utc_us_ = next - state_.clock_offset_us;
  const std::size_t width = std::max({state_.load_profile.width(), state_.analysis_log.width(),
                                      state_.billing_profile.width(), std::size_t{1}});
  if (row_.size() < width) row_.resize(width);
}

void Meter::advance(const Measurement& measurement) {
  // Current through a breaker that was open the whole interval means its relay failed.
  const bool open_throughout = !state_.supply.disconnector.output_state;
  advance_time(measurement);
  // Voltage quality watches the supply side: the breaker changes nothing there.
  VoltageQualityLog log(state_.voltage_quality_log, state_.config.zone);
  vq_advance(state_.config.voltage_quality, state_.connection, state_.config.zone,
             state_.voltage_quality, measurement, state_.clock_offset_us, log);
  // What follows sees the load side as the meter does: nothing behind an open breaker. The
  // copy only then: a Measurement is half a kilobyte, and this runs five times a second.
  if (load_suppressed()) {
    Measurement open_load = measurement;
    apply_breaker(open_load);
    watch(open_load, open_throughout);
  } else {
    watch(measurement, open_throughout);
  }
}

void Meter::watch(const Measurement& seen, bool open_throughout) {
  for (RegisterMonitor& monitor : monitors_)
    monitor.evaluate(seen, [this](MonitorScript script) { run_script(script); });
  supervise_supply(seen, open_throughout);
}

void Meter::advance_time(const Measurement& measurement) {
  assert(measurement.connection == state_.connection);
  assert(measurement.duration_us > 0);
  if (measurement.start_utc_us < state_.time_utc_us) {
    assert(false && "measurement intervals overlap");
    return;
  }
  // Boundaries in a gap before the interval (a feed that paused): captured as time passes.
  run_boundaries_until(measurement.start_utc_us);
  ++state_.measurement_count;
  const UtcMicros end = measurement.end_utc_us();
  if (end < next_boundary_utc_us_) {  // the common case: nothing scheduled inside
    integrate_supplied(measurement);
    state_.time_utc_us = end;
    return;
  }
  // Cut the interval at every boundary inside it; the parts' durations add up exactly.
  Measurement part = measurement;
  while (part.end_utc_us() >= next_boundary_utc_us_) {
    const UtcMicros cut = next_boundary_utc_us_;
    part.duration_us = cut - part.start_utc_us;
    if (part.duration_us > 0) integrate_supplied(part);
    state_.time_utc_us = cut;
    on_boundary(clock_now());
    part.start_utc_us = cut;
    part.duration_us = end - cut;
    if (part.duration_us == 0) return;
  }
  integrate_supplied(part);
  state_.time_utc_us = end;
}

void Meter::run_boundaries_until(UtcMicros time) {
  while (next_boundary_utc_us_ <= time) {
    state_.time_utc_us = next_boundary_utc_us_;
    on_boundary(clock_now());
  }
}

void Meter::integrate(const Measurement& part) {
  const MeterConfig& config = state_.config;
  const bool prepayment = config.prepayment.enabled;
  const bool pulses = config.pulse_output.enabled;
  // The registers the credit and the S0 output count, before the part, to take their increase.
  EnergyAccumulator import_before;
  EnergyAccumulator pulse_before;
  if (prepayment) import_before = state_.energy.total[EnergyKind::active_import];
  if (pulses) pulse_before = state_.energy.total[config.pulse_output.energy];
  state_.energy.add(part);
  if (state_.active_tariff >= tariff_min) state_.tariffs.add(state_.active_tariff, part);
  if (!config.analysis_log.values.empty()) state_.analysis.add(part);
  if (prepayment) {
    consume(state_.supply.prepayment,
            state_.energy.total[EnergyKind::active_import].picojoules_since(import_before));
  }
  if (pulses) {
    PulseOutputState& train = state_.supply.pulse_output;
    auto emit = [this](std::uint64_t sequence, UtcMicros rise) {
      pulse_edges_.push(sequence, rise);
    };
    add_pulse_energy(config.pulse_output, train,
                     state_.energy.total[config.pulse_output.energy].picojoules_since(pulse_before),
                     part.start_utc_us, part.duration_us, emit);
    release_pulses(config.pulse_output, train, part.end_utc_us(), emit);
  }
}

void Meter::on_boundary(UtcMicros at) {
  MeterConfig& config = state_.config;
  const TimeZone& zone = config.zone;
  // Demand first, so a billing reset at the same instant sees the period that just ended.
  if (on_grid(at, demand_step_us(config.demand), zone)) {
    state_.demand.close_sub_period(config.demand, state_.energy, at, state_.active_tariff);
  }
  const std::uint8_t dst_bit = zone.dst_active(at) ? profile_status::daylight_saving : 0;
  Profile& load_profile = state_.load_profile;
  // After the clock went back, boundaries up to the newest entry were captured already.
  if (on_grid(at, minutes_us(config.load_profile.period_min), zone) &&
      (load_profile.empty() || at > load_profile.newest().stamp.time_utc_us)) {
    std::span<std::int64_t> row(row_.data(), load_profile.width());
    load_profile_row(state_.load_profile_pending_status | dst_bit, state_.energy,
                     config.load_profile, state_.connection, row);
    load_profile.push(stamp_at(at, zone), row);
    state_.load_profile_pending_status = 0;
  }
  Profile& analysis_log = state_.analysis_log;
  if (!config.analysis_log.values.empty() &&
      on_grid(at, minutes_us(config.analysis_log.period_min), zone) &&
      (analysis_log.empty() || at > analysis_log.newest().stamp.time_utc_us)) {
    std::span<std::int64_t> row(row_.data(), analysis_log.width());
    row[0] = state_.analysis_pending_status | dst_bit;
    state_.analysis.capture(state_.energy, row.subspan(1));
    analysis_log.push(stamp_at(at, zone), row);
    state_.analysis.reset();
    state_.analysis_pending_status = 0;
  }
  if (at > state_.last_billing_utc_us &&
      next_billing_time(at - 1, config.billing.day, config.billing.hour, zone) == at) {
    do_billing_reset(at);
  }
  if (next_dst_switch(at - 1, zone) == at) {
    log_event(zone.dst_active(at) ? EventCode::dst_begin : EventCode::dst_end, at, false, true);
  }
  if (config.calendar.on_time(at)) log_event(EventCode::tou_activated, at, true, false);
  state_.active_tariff = config.calendar.tariff_at_utc(at, zone);
  update_emergency(at);
  check_prepayment(at);  // a friendly period may have ended
  reschedule();
}

void Meter::record_event(EventCode code) { push_event(code, clock_now()); }

void Meter::push_event(EventCode code, UtcMicros meter_time) {
  switch (event_log_of(code)) {
    case EventLog::standard:
      log_event(code, meter_time, true, false);
      return;
    case EventLog::fraud:
    case EventLog::disconnector: {
      const std::array<std::int64_t, 1> value{static_cast<std::int64_t>(code)};
      Profile& log =
          event_log_of(code) == EventLog::fraud ? state_.fraud_events : state_.disconnector_events;
      log.push(stamp_at(meter_time, state_.config.zone), value);
      return;
    }
  }
}

void Meter::log_event(EventCode code, UtcMicros meter_time, bool standard_log, bool clock_log) {
  const std::array<std::int64_t, 1> value{static_cast<std::int64_t>(code)};
  const EntryStamp stamp = stamp_at(meter_time, state_.config.zone);
  if (standard_log) state_.standard_events.push(stamp, value);
  if (clock_log) state_.clock_events.push(stamp, value);
}

void Meter::restart_demand() { state_.demand.start(state_.energy, clock_now()); }

void Meter::do_billing_reset(UtcMicros at) {
  ++state_.billing_count;
  std::span<std::int64_t> row(row_.data(), state_.billing_profile.width());
  billing_profile_row(state_.billing_count, state_.energy, state_.tariffs, state_.demand, row);
  state_.billing_profile.push(stamp_at(at, state_.config.zone), row);
  state_.demand.billing_reset();
  state_.last_billing_utc_us = at;
  log_event(EventCode::billing_period_reset, at, true, false);
}

void Meter::catch_up_after_jump(UtcMicros from) {
  MeterConfig& config = state_.config;
  const UtcMicros now = clock_now();
  // A billing date passed while the meter was off or the clock jumped over it: bill now.
  const UtcMicros missed =
      next_billing_time(from, config.billing.day, config.billing.hour, config.zone);
  if (missed <= now && now > state_.last_billing_utc_us) do_billing_reset(now);
  if (config.calendar.on_time(now)) log_event(EventCode::tou_activated, now, true, false);
  state_.active_tariff = config.calendar.tariff_at_utc(now, config.zone);
  update_emergency(now);
  restart_demand();
}

void Meter::power_outage(UtcMicros down, UtcMicros up) {
  assert(down <= up);
  // Whatever was due before the supply went away still happened.
  run_boundaries_until(down);
  state_.time_utc_us = std::max(state_.time_utc_us, down);
  const UtcMicros down_clock = clock_now();
  log_event(EventCode::power_down, down_clock, true, false);
  ++state_.power_failure_count;
  state_.last_power_down_utc_us = down_clock;
  // An analysis interval that ended during the outage lost its entry; its data does not belong
  // to the next one.
  const UtcMicros up_clock = up + state_.clock_offset_us;
  if (!state_.config.analysis_log.values.empty() &&
      next_period_boundary(down_clock, minutes_us(state_.config.analysis_log.period_min),
                           state_.config.zone) <= up_clock) {
    state_.analysis.reset();
  }
  state_.time_utc_us = std::max(state_.time_utc_us, up);
  VoltageQualityLog log(state_.voltage_quality_log, state_.config.zone);
  vq_power_outage(state_.config.voltage_quality, state_.connection, state_.config.zone,
                  state_.voltage_quality, down_clock, clock_now(), log);
  log_event(EventCode::power_up, clock_now(), true, false);
  state_.last_power_up_utc_us = clock_now();
  constexpr auto outage_bits =
      static_cast<std::uint8_t>(profile_status::power_down | profile_status::data_not_valid);
  state_.load_profile_pending_status |= outage_bits;
  state_.analysis_pending_status |= outage_bits;
  catch_up_after_jump(down_clock);
  if (up > down) {
    // The S0 output was unpowered: what queued goes out after the power-up. The limiter
    // cannot know what the load did meanwhile: its runs start again.
    PulseOutputState& train = state_.supply.pulse_output;
    train.next_free_us = std::max(train.next_free_us, up);
    restart_limiter_runs();
  }
  report_tamper_after_outage();
  check_prepayment(clock_now());
  reschedule();
}

void Meter::set_clock(UtcMicros meter_time) {
  const UtcMicros old_time = clock_now();
  if (meter_time == old_time) return;
  log_event(EventCode::clock_adjusted_old_time, old_time, true, true);
  state_.clock_offset_us = meter_time - state_.time_utc_us;
  log_event(EventCode::clock_adjusted_new_time, meter_time, true, true);
  constexpr auto adjusted_bits =
      static_cast<std::uint8_t>(profile_status::clock_adjusted | profile_status::data_not_valid);
  state_.load_profile_pending_status |= adjusted_bits;
  state_.analysis_pending_status |= adjusted_bits;
  catch_up_after_jump(old_time);
  reschedule();
}

void Meter::set_dst_enabled(bool enabled) {
  if (state_.config.zone.dst_enabled == enabled) return;
  log_event(EventCode::dst_enabled_or_disabled, clock_now(), true, true);
  state_.config.zone.dst_enabled = enabled;
  state_.active_tariff = state_.config.calendar.tariff_at_utc(clock_now(), state_.config.zone);
  reschedule();
}

void Meter::billing_reset() {
  do_billing_reset(clock_now());
  reschedule();
}

bool Meter::activate_passive_calendar() {
  ActivityCalendar& calendar = state_.config.calendar;
  if (!calendar.activate_passive_calendar()) return false;
  const UtcMicros now = clock_now();
  log_event(EventCode::tou_activated, now, true, false);
  state_.active_tariff = calendar.tariff_at_utc(now, state_.config.zone);
  reschedule();
  return true;
}

void Meter::configure(const MeterConfig& config) {
  assert(config.validate());
  const MeterConfig old = state_.config;
  if (config == old) return;
  const UtcMicros now = clock_now();
  log_event(EventCode::parameters_changed, now, true, false);
  if (config.calendar.passive != old.calendar.passive ||
      config.calendar.activate_passive_utc_us != old.calendar.activate_passive_utc_us) {
    log_event(EventCode::passive_tou_programmed, now, true, false);
  }
  if (config.zone.dst_enabled != old.zone.dst_enabled) {
    log_event(EventCode::dst_enabled_or_disabled, now, true, true);
  }
  state_.config = config;
  // Changed monitors relearn where their values stand; the others keep watching.
  if (config.register_monitors != old.register_monitors) {
    std::vector<RegisterMonitor> monitors;
    for (std::size_t i = 0; i < config.register_monitors.size(); ++i) {
      const bool same = i < old.register_monitors.size() &&
                        config.register_monitors[i] == old.register_monitors[i];
      if (same) {
        monitors.push_back(std::move(monitors_[i]));
      } else {
        monitors.emplace_back(config.register_monitors[i]);
      }
    }
    monitors_ = std::move(monitors);
  }
  // Profiles whose shape changed start empty; the others keep their entries.
  Profile load_profile = std::move(state_.load_profile);
  Profile analysis_log = std::move(state_.analysis_log);
  Profile billing_profile = std::move(state_.billing_profile);
  AnalysisAggregator analysis = std::move(state_.analysis);
  build_profiles();
  // A rebuilt profile continues the old one's entry numbering (the store relies on it).
  if (config.load_profile == old.load_profile) {
    state_.load_profile = std::move(load_profile);
  } else {
    state_.load_profile.begin_restore(load_profile.pushed_total());
    if (!load_profile.empty()) log_event(EventCode::load_profile_cleared, now, true, false);
  }
  if (config.analysis_log == old.analysis_log) {
    state_.analysis_log = std::move(analysis_log);
    state_.analysis = std::move(analysis);
  } else {
    state_.analysis_log.begin_restore(analysis_log.pushed_total());
    if (!analysis_log.empty()) log_event(EventCode::log_cleared, now, true, false);
  }
  if (config.billing.depth == old.billing.depth) {
    state_.billing_profile = std::move(billing_profile);
  } else {
    state_.billing_profile.begin_restore(billing_profile.pushed_total());
    if (!billing_profile.empty()) log_event(EventCode::log_cleared, now, true, false);
  }
  if (config.demand != old.demand) restart_demand();
  state_.active_tariff = config.calendar.tariff_at_utc(now, config.zone);
  configure_supply(old);
  reschedule();
}

std::vector<const Profile*> Meter::profiles() const {
  std::vector<const Profile*> list{&state_.load_profile};
  if (!state_.config.analysis_log.values.empty()) list.push_back(&state_.analysis_log);
  list.push_back(&state_.billing_profile);
  list.push_back(&state_.standard_events);
  list.push_back(&state_.clock_events);
  list.push_back(&state_.fraud_events);
  list.push_back(&state_.disconnector_events);
  list.push_back(&state_.token_log);
  list.push_back(&state_.voltage_quality_log);
  return list;
}

std::vector<Profile*> stored_profiles(MeterState& state) {
  return {&state.load_profile,        &state.analysis_log, &state.billing_profile,
          &state.standard_events,     &state.clock_events, &state.fraud_events,
          &state.disconnector_events, &state.token_log,    &state.voltage_quality_log};
}

std::vector<const Profile*> stored_profiles(const MeterState& state) {
  std::vector<const Profile*> list;
  for (Profile* profile : stored_profiles(const_cast<MeterState&>(state)))
    list.push_back(profile);
  return list;
}

}  // namespace gridmeter
