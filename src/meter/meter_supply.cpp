// Meter: supply control. The breaker's state machine and what drives it (the head-end, the
// customer's button, the limiter, the credit, tamper inputs), the fraud signs and the S0 pulse
// output, on top of the metering in meter.cpp.
#include <fmt/format.h>

#include <array>  // std::array

#include "meter/analysis_log.hpp"
#include "meter/meter.hpp"
#include "meter/meter_clock.hpp"

namespace gridmeter {
namespace {

// What flows behind an open breaker: the voltage is the supply's, the load side is gone.
void drop_load(Measurement& m) {
  for (PhaseMeasurement& phase : m.phases) {
    phase.current_a = 0.0;
    phase.active_power_w = 0.0;
    phase.reactive_power_var = 0.0;
    phase.apparent_power_va = 0.0;
    phase.power_factor = 1.0;  // as a phase without load reports it
    phase.current_thd_percent = 0.0;
  }
  m.neutral_current_a = 0.0;
}

bool current_flows(const Measurement& m) {
  for (std::size_t p = 0; p < phase_count(m.connection); ++p) {
    if (m.phases[p].current_a > current_present_min_a) return true;
  }
  return false;
}

}  // namespace

void Meter::build_supply() {
  const LimiterConfig& limiter = state_.config.limiter;
  limiter_quantity_ = find_analysis_quantity(limiter.value).value_or(0);
  // The ring continues the train's numbering; what a previous process put out is gone.
  pulse_edges_.reset(state_.supply.pulse_output.emitted);
}

bool Meter::load_suppressed() const {
  return !state_.supply.disconnector.output_state &&
         state_.config.disconnector.open_load == OpenLoad::suppress;
}

void Meter::apply_breaker(Measurement& m) const {
  if (load_suppressed()) drop_load(m);
}

void Meter::integrate_supplied(const Measurement& part) {
  if (load_suppressed()) {
    Measurement open = part;
    drop_load(open);
    integrate(open);
    return;
  }
  PrepaymentState& credit = state_.supply.prepayment;
  if (state_.config.prepayment.enabled && !credit.exhausted) {
    // The A+ the part would add (EnergyRegisters::add sums the phases in this order).
    double active_w = 0.0;
    for (std::size_t p = 0; p < phase_count(part.connection); ++p)
      active_w += part.phases[p].active_power_w;
    const std::uint64_t import_uw = active_w < 0.0 ? 0 : magnitude_to_microwatts(active_w);
    const auto duration_us = static_cast<std::uint64_t>(part.duration_us);
    const std::optional<std::uint64_t> left_pj = credit_left_pj(credit);
    if (left_pj && import_uw > 0 && import_uw * duration_us >= *left_pj) {
      // The credit runs out inside the part: cut it at the first microsecond by which the
      // credit is used, so that the supply opens at the very kWh bought.
      const std::uint64_t offset_us = (*left_pj + import_uw - 1) / import_uw;
      Measurement first = part;
      first.duration_us = static_cast<std::int64_t>(offset_us);
      integrate(first);
      state_.time_utc_us = first.end_utc_us();
      check_prepayment(clock_now());
      Measurement rest = part;
      rest.start_utc_us = first.end_utc_us();
      rest.duration_us = part.duration_us - first.duration_us;
      if (rest.duration_us > 0) integrate_supplied(rest);
      return;
    }
  }
  integrate(part);
}

void Meter::supervise_supply(const Measurement& seen, bool open_throughout) {
  const MeterConfig& config = state_.config;
  SupplyState& supply = state_.supply;
  const UtcMicros now = clock_now();
  if (config.limiter.enabled) {
    const double value = instantaneous_value(limiter_quantity_, seen);
    const double threshold = active_threshold(config.limiter, supply.limiter.emergency_active);
    switch (evaluate_limiter(config.limiter, supply.limiter, value, seen.start_utc_us,
                             seen.end_utc_us(), threshold)) {
      case LimiterEvent::none:
        break;
      case LimiterEvent::tripped:
        push_event(EventCode::limiter_threshold_exceeded, now);
        if (config.limiter.over == LimiterAction::disconnect) {
          local_disconnect(supply_hold::limiter, std::nullopt);
        }
        break;
      case LimiterEvent::released:
        push_event(EventCode::limiter_threshold_ok, now);
        if (config.limiter.under == LimiterAction::reconnect) lift_hold(supply_hold::limiter);
        break;
    }
  }
  evaluate_fraud_signs(config.fraud, supply.fraud, seen, [&](FraudSign sign, bool present) {
    push_event(sign_event(sign, present), now);
  });
  check_prepayment(now);
  // A relay that does not open: current through an open breaker (only a metered load shows it).
  DisconnectorState& breaker = supply.disconnector;
  if (open_throughout && !breaker.output_state && !breaker.failure_logged && current_flows(seen)) {
    push_event(EventCode::disconnect_reconnect_failure, now);
    breaker.failure_logged = true;
  }
}

DisconnectResult Meter::remote_disconnect() {
  return run_trigger(DisconnectTrigger::remote_disconnect);
}

DisconnectResult Meter::remote_reconnect() {
  return run_trigger(DisconnectTrigger::remote_reconnect);
}

DisconnectResult Meter::press_button() {
  switch (state_.supply.disconnector.control_state) {
    case ControlState::connected:
      return run_trigger(DisconnectTrigger::manual_disconnect);
    case ControlState::ready_for_reconnection:
      return run_trigger(DisconnectTrigger::manual_reconnect);
    case ControlState::disconnected:
      break;
  }
  return DisconnectResult::no_change;  // a remote disconnection is the head-end's to undo
}

DisconnectResult Meter::run_trigger(DisconnectTrigger trigger) {
  DisconnectorState& breaker = state_.supply.disconnector;
  const DisconnectStep step =
      disconnect_step(state_.config.disconnector.mode, breaker.control_state, trigger);
  if (step.kind == DisconnectStep::Kind::refused) return DisconnectResult::refused;
  if (trigger == DisconnectTrigger::remote_reconnect) breaker.holds = 0;
  if (step.kind == DisconnectStep::Kind::no_transition) return DisconnectResult::no_change;
  const bool reconnecting = trigger == DisconnectTrigger::manual_reconnect ||
                            trigger == DisconnectTrigger::local_reconnect;
  if (reconnecting && breaker.holds != 0) return DisconnectResult::held;
  apply_transition(step);
  return DisconnectResult::done;
}

void Meter::apply_transition(const DisconnectStep& step) {
  DisconnectorState& breaker = state_.supply.disconnector;
  breaker.control_state = step.to;
  breaker.output_state = step.to == ControlState::connected;
  if (breaker.output_state) breaker.failure_logged = false;
  push_event(transition_event(step.letter), clock_now());
}

void Meter::local_disconnect(std::uint8_t hold, std::optional<EventCode> cause) {
  DisconnectorState& breaker = state_.supply.disconnector;
  const DisconnectStep step = disconnect_step(
      state_.config.disconnector.mode, breaker.control_state, DisconnectTrigger::local_disconnect);
  if (step.kind == DisconnectStep::Kind::transition) {
    if (cause) push_event(*cause, clock_now());
    apply_transition(step);
    breaker.holds |= hold;
  } else if (breaker.control_state != ControlState::connected) {
    breaker.holds |= hold;  // already open: this reason keeps it so too
  }
}

void Meter::lift_hold(std::uint8_t hold) {
  DisconnectorState& breaker = state_.supply.disconnector;
  breaker.holds = static_cast<std::uint8_t>(breaker.holds & ~hold);
  if (breaker.holds == 0 && breaker.control_state == ControlState::ready_for_reconnection &&
      mode_allows(state_.config.disconnector.mode, 'h')) {
    (void)run_trigger(DisconnectTrigger::local_reconnect);
  }
}

void Meter::check_prepayment(UtcMicros meter_time) {
  const MeterConfig& config = state_.config;
  if (!config.prepayment.enabled) return;
  PrepaymentState& credit = state_.supply.prepayment;
  if (!credit.low_warned && credit_wh(credit) <= config.prepayment.low_credit_wh) {
    credit.low_warned = true;
    push_event(EventCode::credit_low, meter_time);
  }
  if (!credit_used_up(credit)) return;
  if (!credit.exhausted) {
    credit.exhausted = true;
    push_event(EventCode::credit_exhausted, meter_time);
  }
  if (state_.supply.disconnector.control_state == ControlState::connected &&
      !friendly_period(config.prepayment, config.calendar.special_days, meter_time, config.zone)) {
    local_disconnect(supply_hold::prepayment, std::nullopt);
  }
}

void Meter::after_credit_change() {
  const PrepaymentConfig& config = state_.config.prepayment;
  PrepaymentState& credit = state_.supply.prepayment;
  if (credit_wh(credit) > config.low_credit_wh) credit.low_warned = false;
  if (!credit_used_up(credit)) {
    credit.exhausted = false;
    lift_hold(supply_hold::prepayment);
  }
  check_prepayment(clock_now());
}

Status Meter::top_up(std::uint64_t token, std::int64_t amount_wh) {
  const PrepaymentConfig& config = state_.config.prepayment;
  PrepaymentState& credit = state_.supply.prepayment;
  if (!config.enabled) return make_error("prepayment is not enabled in this meter's programming");
  if (token == 0) return make_error("token 0 is not a token (tokens are numbered from 1)");
  if (amount_wh < 1 || amount_wh > top_up_wh_max) {
    return make_error(
        fmt::format("a top-up of {} Wh is outside 1..{} Wh", amount_wh, top_up_wh_max));
  }
  switch (credit.tokens.check(token)) {
    case TokenCheck::fresh:
      break;
    case TokenCheck::replayed:
      return make_error(fmt::format("token {} was applied before; refused", token));
    case TokenCheck::too_old:
      return make_error(fmt::format(
          "token {} is older than every token this meter remembers (it refuses {} and below); "
          "refused",
          token, credit.tokens.floor()));
  }
  if (credit_wh(credit) > credit_wh_max - amount_wh) {
    return make_error(fmt::format("the credit would pass {} Wh; refused", credit_wh_max));
  }
  credit.tokens.remember(token);
  credit.credit_added_wh += amount_wh;
  // The emergency credit was an advance: the top-up repays it.
  if (credit.emergency_taken) {
    credit.credit_added_wh -= config.emergency_credit_wh;
    credit.emergency_taken = false;
  }
  credit.last_token = token;
  credit.last_top_up_wh = amount_wh;
  ++credit.top_up_count;
  const UtcMicros now = clock_now();
  push_event(EventCode::credit_topped_up, now);
  const std::array<std::int64_t, 3> row{static_cast<std::int64_t>(token), amount_wh,
                                        credit_wh(credit)};
  state_.token_log.push(stamp_at(now, state_.config.zone), row);
  after_credit_change();
  return {};
}

Status Meter::take_emergency_credit() {
  const PrepaymentConfig& config = state_.config.prepayment;
  PrepaymentState& credit = state_.supply.prepayment;
  if (!config.enabled) return make_error("prepayment is not enabled in this meter's programming");
  if (config.emergency_credit_wh == 0) return make_error("no emergency credit is programmed");
  if (credit.emergency_taken) {
    return make_error("the emergency credit was taken already; the next top-up repays it");
  }
  if (credit_wh(credit) > config.low_credit_wh) {
    return make_error(
        fmt::format("the emergency credit is for low credit: {} Wh left, the threshold is {} Wh",
                    credit_wh(credit), config.low_credit_wh));
  }
  credit.credit_added_wh += config.emergency_credit_wh;
  credit.emergency_taken = true;
  push_event(EventCode::emergency_credit_taken, clock_now());
  after_credit_change();
  return {};
}

bool Meter::tamper_input(TamperInput input, bool active) {
  TamperState& tamper = state_.supply.tamper;
  const std::size_t i = index_of(input);
  if (tamper.active[i] == active) return false;
  tamper.active[i] = active;
  push_event(tamper_event(input, active), clock_now());
  if (!active) return true;
  ++tamper.counts[i];
  if (state_.config.tamper.disconnect[i]) {
    local_disconnect(supply_hold::tamper, EventCode::tamper_disconnection);
  }
  return true;
}

void Meter::tamper_input_while_off(TamperInput input, bool active) {
  TamperState& tamper = state_.supply.tamper;
  if (!tamper.seen_while_off) {
    tamper.seen_while_off = true;
    tamper.level_while_off = tamper.active;
    tamper.opened_while_off = {};
  }
  const std::size_t i = index_of(input);
  tamper.level_while_off[i] = active;
  // The cover switches latch an opening; the magnetic sensor sees only what is there at
  // power-up.
  if (active && input != TamperInput::magnetic_field) tamper.opened_while_off[i] = true;
}

void Meter::report_tamper_after_outage() {
  TamperState& tamper = state_.supply.tamper;
  if (!tamper.seen_while_off) return;
  tamper.seen_while_off = false;
  const UtcMicros now = clock_now();
  for (std::size_t i = 0; i < tamper_input_count; ++i) {
    const auto input = static_cast<TamperInput>(i);
    const bool level = tamper.level_while_off[i];
    if (tamper.opened_while_off[i]) {
      tamper.active[i] = level;
      push_event(tamper_while_off_event(input), now);
      ++tamper.counts[i];
      if (state_.config.tamper.disconnect[i]) {
        local_disconnect(supply_hold::tamper, EventCode::tamper_disconnection);
      }
    } else {
      (void)tamper_input(input, level);  // logged now if it differs (a cover closed again)
    }
  }
  tamper.opened_while_off = {};
}

void Meter::update_emergency(UtcMicros meter_time) {
  const LimiterConfig& config = state_.config.limiter;
  LimiterState& limiter = state_.supply.limiter;
  const bool emergency = config.enabled && emergency_in_force(config, meter_time);
  if (emergency == limiter.emergency_active) return;
  limiter.emergency_active = emergency;
  restart_limiter_runs();
  push_event(EventCode::limiter_threshold_changed, meter_time);
}

void Meter::restart_limiter_runs() {
  LimiterState& limiter = state_.supply.limiter;
  limiter.over_since_us = no_time;
  limiter.under_since_us = no_time;
  limiter.threshold_since_us = state_.time_utc_us;
}

void Meter::configure_supply(const MeterConfig& old) {
  const MeterConfig& config = state_.config;
  SupplyState& supply = state_.supply;
  const UtcMicros now = clock_now();
  DisconnectorState& breaker = supply.disconnector;
  // Mode 0 keeps the supply connected (IEC 62056-6-2 clause 4.5.8, control_mode 0).
  if (config.disconnector.mode == 0 && breaker.control_state != ControlState::connected) {
    apply_transition({DisconnectStep::Kind::transition, 'a', ControlState::connected});
    breaker.holds = 0;
  }
  if (config.limiter != old.limiter) {
    const bool fresh =
        config.limiter.enabled != old.limiter.enabled || config.limiter.value != old.limiter.value;
    if (fresh) {
      supply.limiter.over_since_us = no_time;
      supply.limiter.under_since_us = no_time;
      supply.limiter.tripped = false;
    }
    limiter_quantity_ = find_analysis_quantity(config.limiter.value).value_or(0);
    const bool emergency = config.limiter.enabled && emergency_in_force(config.limiter, now);
    const double before = active_threshold(old.limiter, supply.limiter.emergency_active);
    supply.limiter.emergency_active = emergency;
    if (config.limiter.enabled &&
        (!old.limiter.enabled || active_threshold(config.limiter, emergency) != before)) {
      restart_limiter_runs();
      push_event(EventCode::limiter_threshold_changed, now);
    }
    if (!config.limiter.enabled || fresh) lift_hold(supply_hold::limiter);
  }
  if (config.prepayment != old.prepayment) {
    if (!config.prepayment.enabled) {
      lift_hold(supply_hold::prepayment);
    } else {
      after_credit_change();
    }
  }
  if (config.pulse_output != old.pulse_output) {
    // A new train for the new register or constant; the numbering of pulses goes on.
    PulseOutputState train = start_pulse_train(config.pulse_output);
    train.emitted = supply.pulse_output.emitted;
    train.next_free_us = supply.pulse_output.next_free_us;
    supply.pulse_output = train;
  }
}

}  // namespace gridmeter
