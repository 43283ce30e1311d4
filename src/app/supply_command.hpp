// Supply-control requests made of a meter by hand: the customer's push button, the head-end's
// disconnect and reconnect, the tamper inputs, top-ups and the emergency credit. One
// vocabulary for `gridmeter sim --action WHEN=WHAT` (sim_actions.hpp, words joined by ':') and
// `gridmeter run`'s control channel (control_channel.hpp, words separated by spaces):
//
//   button                      the customer's push button (disconnect f / reconnect e)
//   disconnect | reconnect      the head-end's remote_disconnect / remote_reconnect
//   terminal-cover open|close   tamper inputs
//   meter-cover open|close
//   magnet on|off               a strong magnetic field appears / goes
//   topup TOKEN KWH             a top-up: token 1..999999999999999999, 0.001..10000 kWh
//   emergency-credit            the customer takes the emergency credit
//
//   auto command = parse_supply_command("topup", {"1001", "12.5"});
//   if (command && *command) {
//     Result<std::string> done = apply_supply_command(**command, meter);   // or the refusal
//   }
#pragma once

#include <cstdint>      // std::uint64_t, std::int64_t
#include <optional>     // std::optional
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "core/result.hpp"
#include "meter/meter.hpp"

namespace gridmeter::app {

enum class SupplyCommandKind : std::uint8_t {
  button,
  disconnect,
  reconnect,
  tamper,
  top_up,
  emergency_credit,
};

struct SupplyCommand {
  SupplyCommandKind kind = SupplyCommandKind::button;
  TamperInput input = TamperInput::meter_cover;  // tamper
  bool active = false;                           // tamper: cover removed, field present
  std::uint64_t token = 0;                       // top_up
  std::int64_t amount_wh = 0;                    // top_up
  friend bool operator==(const SupplyCommand&, const SupplyCommand&) = default;
};

inline constexpr std::uint64_t token_max = 999'999'999'999'999'999ULL;  // 18 digits

// nullopt when `name` is not a supply command (the caller may know other verbs); otherwise the
// command, or an error that says what is wrong with its arguments.
std::optional<Result<SupplyCommand>> parse_supply_command(
    std::string_view name, std::span<const std::string_view> arguments);

// The verbs, for help texts: "button, disconnect, reconnect, terminal-cover open|close, ...".
std::string_view supply_command_list();

// Carries the command out on `meter` now. The answer says what happened ("breaker:
// disconnected (remote_disconnect)"); an error what the meter refused and why (a replayed
// token, a reconnection the control mode does not allow, ...), with nothing changed.
Result<std::string> apply_supply_command(const SupplyCommand& command, Meter& meter);

// One line on the state of the supply: breaker, credit, tamper inputs, pulses.
std::string supply_status(const Meter& meter);

// A decimal kWh amount with at most three decimals ("12", "0.5", "12.345") as whole Wh, in
// 1..top_up_wh_max; exact (no floating point).
Result<std::int64_t> parse_kwh(std::string_view text);

}  // namespace gridmeter::app
