#include "app/supply_command.hpp"

#include <fmt/format.h>

namespace gridmeter::app {
namespace {

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// 1..18 digits, no sign: a token identifier.
Result<std::uint64_t> parse_token(std::string_view text) {
  if (!all_digits(text) || text.size() > 18) {
    return make_error(fmt::format("token '{}' is not a number of 1 to 18 digits", text));
  }
  std::uint64_t value = 0;
  for (const char c : text)
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  if (value == 0) return make_error("token 0 is not a token (tokens are numbered from 1)");
  return value;
}

std::string_view breaker_text(ControlState state) {
  switch (state) {
    case ControlState::disconnected:
      return "disconnected";
    case ControlState::connected:
      return "connected";
    case ControlState::ready_for_reconnection:
      return "ready for reconnection";
  }
  return "?";
}

Result<std::string> breaker_answer(DisconnectResult result, const Meter& meter,
                                   std::string_view request) {
  const DisconnectorState& breaker = meter.state().supply.disconnector;
  const std::string_view state = breaker_text(breaker.control_state);
  switch (result) {
    case DisconnectResult::done:
      return fmt::format("{}: breaker {}", request, state);
    case DisconnectResult::no_change:
      return fmt::format("{}: nothing to do, breaker {}", request, state);
    case DisconnectResult::refused:
      return make_error(fmt::format("{}: control mode {} does not allow it (breaker {})", request,
                                    meter.config().disconnector.mode, state));
    case DisconnectResult::held: {
      std::string reasons;
      auto add = [&](std::uint8_t hold, std::string_view reason) {
        if ((breaker.holds & hold) == 0) return;
        if (!reasons.empty()) reasons += ", ";
        reasons += reason;
      };
      add(supply_hold::limiter, "limiter");
      add(supply_hold::prepayment, "no credit");
      add(supply_hold::tamper, "tamper, until the head-end reconnects");
      return make_error(fmt::format("{}: the meter holds the supply open ({}); breaker {}", request,
                                    reasons, state));
    }
  }
  return make_error("?");
}

std::string kwh_text(std::int64_t wh) {
  const std::int64_t magnitude = wh < 0 ? -wh : wh;
  return fmt::format("{}{}.{:03} kWh", wh < 0 ? "-" : "", magnitude / 1000, magnitude % 1000);
}

}  // namespace

Result<std::int64_t> parse_kwh(std::string_view text) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  const bool well_formed =
      all_digits(whole) && whole.size() <= 8 &&
      (dot == std::string_view::npos || (all_digits(fraction) && fraction.size() <= 3));
  if (!well_formed) {
    return make_error(
        fmt::format("'{}' is not an amount in kWh (digits, at most three decimals: 12.5)", text));
  }
  std::int64_t wh = 0;
  for (const char c : whole)
    wh = wh * 10 + (c - '0');
  std::int64_t milli = 0;
  for (std::size_t i = 0; i < 3; ++i)
    milli = milli * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  wh = wh * 1000 + milli;
  if (wh < 1 || wh > top_up_wh_max) {
    return make_error(fmt::format("{} kWh is outside 0.001..{}", text, top_up_wh_max / 1000));
  }
  return wh;
}

std::string_view supply_command_list() {
  return "button, disconnect, reconnect, terminal-cover open|close, meter-cover open|close, "
         "magnet on|off, topup TOKEN KWH, emergency-credit";
}

std::optional<Result<SupplyCommand>> parse_supply_command(
    std::string_view name, std::span<const std::string_view> arguments) {
  SupplyCommand command;
  auto arity = [&](std::size_t count, std::string_view usage) -> Status {
    if (arguments.size() == count) return {};
    return make_error(fmt::format("{} takes {}", name, usage));
  };
  auto done = [&](Status status) -> std::optional<Result<SupplyCommand>> {
    if (!status) return Result<SupplyCommand>(status.error());
    return Result<SupplyCommand>(command);
  };
  if (name == "button" || name == "disconnect" || name == "reconnect" ||
      name == "emergency-credit") {
    command.kind = name == "button"       ? SupplyCommandKind::button
                   : name == "disconnect" ? SupplyCommandKind::disconnect
                   : name == "reconnect"  ? SupplyCommandKind::reconnect
                                          : SupplyCommandKind::emergency_credit;
    return done(arity(0, "no argument"));
  }
  if (name == "terminal-cover" || name == "meter-cover" || name == "magnet") {
    command.kind = SupplyCommandKind::tamper;
    command.input = name == "terminal-cover" ? TamperInput::terminal_cover
                    : name == "meter-cover"  ? TamperInput::meter_cover
                                             : TamperInput::magnetic_field;
    const bool magnet = command.input == TamperInput::magnetic_field;
    const std::string_view on = magnet ? "on" : "open";
    const std::string_view off = magnet ? "off" : "close";
    const std::string usage = fmt::format("{} or {}", on, off);
    if (Status s = arity(1, usage); !s) return done(s);
    if (arguments[0] != on && arguments[0] != off) {
      return done(make_error(fmt::format("{} takes {}, not '{}'", name, usage, arguments[0])));
    }
    command.active = arguments[0] == on;
    return done({});
  }
  if (name == "topup") {
    command.kind = SupplyCommandKind::top_up;
    if (Status s = arity(2, "a token and an amount in kWh (topup 1001 12.5)"); !s) return done(s);
    auto token = parse_token(arguments[0]);
    if (!token) return done(token.error());
    auto amount = parse_kwh(arguments[1]);
    if (!amount) return done(amount.error());
    command.token = *token;
    command.amount_wh = *amount;
    return done({});
  }
  return std::nullopt;
}

Result<std::string> apply_supply_command(const SupplyCommand& command, Meter& meter) {
  switch (command.kind) {
    case SupplyCommandKind::button:
      return breaker_answer(meter.press_button(), meter, "button");
    case SupplyCommandKind::disconnect:
      return breaker_answer(meter.remote_disconnect(), meter, "disconnect");
    case SupplyCommandKind::reconnect:
      return breaker_answer(meter.remote_reconnect(), meter, "reconnect");
    case SupplyCommandKind::tamper: {
      const std::string_view input = to_string(command.input);
      if (!meter.tamper_input(command.input, command.active)) {
        return fmt::format("{}: already {}", input, command.active ? "active" : "normal");
      }
      return fmt::format("{}: {}; breaker {}", input, command.active ? "active" : "normal",
                         breaker_text(meter.state().supply.disconnector.control_state));
    }
    case SupplyCommandKind::top_up: {
      if (Status s = meter.top_up(command.token, command.amount_wh); !s) {
        return make_error(fmt::format("topup: {}", s.error().message));
      }
      return fmt::format("topup: token {} added {}; credit {}; breaker {}", command.token,
                         kwh_text(command.amount_wh),
                         kwh_text(credit_wh(meter.state().supply.prepayment)),
                         breaker_text(meter.state().supply.disconnector.control_state));
    }
    case SupplyCommandKind::emergency_credit: {
      if (Status s = meter.take_emergency_credit(); !s) {
        return make_error(fmt::format("emergency-credit: {}", s.error().message));
      }
      return fmt::format("emergency-credit: credit {}; breaker {}",
                         kwh_text(credit_wh(meter.state().supply.prepayment)),
                         breaker_text(meter.state().supply.disconnector.control_state));
    }
  }
  return make_error("?");
}

std::string supply_status(const Meter& meter) {
  const SupplyState& supply = meter.state().supply;
  const MeterConfig& config = meter.config();
  std::string text =
      fmt::format("breaker {} (control_state {}, output {}, mode {})",
                  breaker_text(supply.disconnector.control_state),
                  static_cast<int>(supply.disconnector.control_state),
                  supply.disconnector.output_state ? "closed" : "open", config.disconnector.mode);
  if (config.prepayment.enabled) {
    text += fmt::format("; credit {}", kwh_text(credit_wh(supply.prepayment)));
  }
  if (config.limiter.enabled) {
    text += fmt::format("; limiter {}", supply.limiter.tripped ? "tripped" : "ok");
  }
  const TamperState& tamper = supply.tamper;
  text += fmt::format("; terminal cover {}, meter cover {}, magnet {}",
                      tamper.active[index_of(TamperInput::terminal_cover)] ? "open" : "closed",
                      tamper.active[index_of(TamperInput::meter_cover)] ? "open" : "closed",
                      tamper.active[index_of(TamperInput::magnetic_field)] ? "on" : "off");
  if (config.pulse_output.enabled) {
    text += fmt::format("; pulses {}", supply.pulse_output.emitted);
  }
  return text;
}

}  // namespace gridmeter::app
