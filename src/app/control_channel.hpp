// The control channel of `gridmeter run`: one command a line, on standard input or on the
// control socket (--control PATH), each answered with one line.
//
//   auto request = parse_control_line("topup 1001 12.5");
//   // request->verb == ControlVerb::supply, request->supply.amount_wh == 12500
//   parse_control_line("frobnicate").error().message;
//   // "unknown command 'frobnicate' (commands: status, pulses, help, button, ...)"
//
// Commands (docs/cli.md "Control channel"): the supply commands of supply_command.hpp
// (button, disconnect, reconnect, terminal-cover open|close, meter-cover open|close,
// magnet on|off, topup TOKEN KWH, emergency-credit), and
//   status   one line on the breaker, credit, tamper inputs and pulses
//   pulses   (control socket) from now on, every S0 pulse as a line "pulse N TIME"
//   help     the commands
// Words are separated by spaces or tabs; a line is at most control_line_max octets of
// printable ASCII. Answers begin with "ok: " or "error: ".
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t
#include <string_view>  // std::string_view

#include "app/supply_command.hpp"
#include "core/result.hpp"

namespace gridmeter::app {

inline constexpr std::size_t control_line_max = 256;

enum class ControlVerb : std::uint8_t { supply, status, pulses, help };

struct ControlRequest {
  ControlVerb verb = ControlVerb::status;
  SupplyCommand supply;  // verb supply
  friend bool operator==(const ControlRequest&, const ControlRequest&) = default;
};

// One line without its end of line (a trailing '\r' is dropped). An empty line, an unknown
// command, wrong arguments, a line too long or with other than printable ASCII are errors
// that say so.
Result<ControlRequest> parse_control_line(std::string_view line);

// Whether a line holds nothing but blanks (the channel ignores it).
bool blank_line(std::string_view line);

// The answer to `help`.
std::string control_help();

}  // namespace gridmeter::app
