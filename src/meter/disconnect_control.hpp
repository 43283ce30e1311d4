// The breaker's control state machine: the behaviour of COSEM's Disconnect control (interface
// class 70, IEC 62056-6-2 clause 4.5.8), served at 0-0:96.3.10.255.
//
//   DisconnectStep step = disconnect_step(1, ControlState::connected,
//                                         DisconnectTrigger::remote_disconnect);
//   // step.kind == transition, step.letter == 'b', step.to == ControlState::disconnected
//   disconnect_step(0, ControlState::connected, DisconnectTrigger::remote_disconnect).kind;
//   // refused: control mode 0 keeps the supply connected
//
// States (control_state, attribute 3): disconnected (0), connected (1), ready_for_reconnection
// (2). The transitions, lettered as the Blue Book's state diagram letters them:
//   a remote_reconnect    disconnected → connected
//   b remote_disconnect   connected → disconnected
//   c remote_disconnect   ready_for_reconnection → disconnected
//   d remote_reconnect    disconnected → ready_for_reconnection
//   e manual_reconnect    ready_for_reconnection → connected
//   f manual_disconnect   connected → ready_for_reconnection
//   g local_disconnect    connected → ready_for_reconnection
//   h local_reconnect     ready_for_reconnection → connected
// control_mode (attribute 4) says which of them the meter performs:
//   0  none: the supply is always connected
//   1  disconnection b, c, f, g; reconnection d, e
//   2  disconnection b, c, f, g; reconnection a, e
//   3  disconnection b, c, g;    reconnection d, e
//   4  disconnection b, c, g;    reconnection a, e
//   5  disconnection b, c, f, g; reconnection d, e, h
//   6  disconnection b, c, g;    reconnection d, e, h
// "Remote" is the head-end (methods remote_disconnect / remote_reconnect), "manual" the
// customer's push button on the meter, "local" the meter itself (limiter, prepayment, tamper).
#pragma once

#include <cstdint>      // std::uint8_t
#include <optional>     // std::optional
#include <string_view>  // std::string_view

#include "meter/event_codes.hpp"

namespace gridmeter {

enum class ControlState : std::uint8_t {
  disconnected = 0,
  connected = 1,
  ready_for_reconnection = 2,
};

enum class DisconnectTrigger : std::uint8_t {
  remote_disconnect,
  remote_reconnect,
  manual_disconnect,
  manual_reconnect,
  local_disconnect,
  local_reconnect,
};

inline constexpr int control_mode_max = 6;

// What the meter does with a waveform input's load side while its breaker is open. A
// simulated household simply has no load then (the breaker cut it); a recording or a live feed
// knows nothing of the meter's breaker.
enum class OpenLoad : std::uint8_t {
  suppress,  // the input was recorded upstream of a virtual breaker: drop its current
  meter,     // the input is what flows (a real relay follows output_state): meter it, and log
             // "disconnect/reconnect failure" when current flows through the open breaker
};

struct DisconnectorConfig {
  // control_mode. Default 1: every transition but the meter's own reconnection, and a remote
  // reconnection only makes the supply ready for the customer's button: no installation is
  // re-energised without someone on site.
  int mode = 1;
  OpenLoad open_load = OpenLoad::suppress;
  friend bool operator==(const DisconnectorConfig&, const DisconnectorConfig&) = default;
};

// Why the meter holds the supply open after a local disconnection: while any hold remains, the
// customer's button (e) and the meter's own reconnection (h) are refused. A remote
// reconnection lifts every hold: the head-end decides, and the limiter and the credit judge
// again from there.
namespace supply_hold {
inline constexpr std::uint8_t limiter = 0x01;     // until the under-threshold action
inline constexpr std::uint8_t prepayment = 0x02;  // until credit is restored
inline constexpr std::uint8_t tamper = 0x04;      // until a remote reconnection
inline constexpr std::uint8_t all = 0x07;
}  // namespace supply_hold

struct DisconnectorState {
  ControlState control_state = ControlState::connected;
  // output_state (attribute 2): what the meter drives its relay to; true is closed.
  bool output_state = true;
  std::uint8_t holds = 0;       // supply_hold bits
  bool failure_logged = false;  // "disconnect/reconnect failure" logged since it opened
  friend bool operator==(const DisconnectorState&, const DisconnectorState&) = default;
};

struct DisconnectStep {
  enum class Kind : std::uint8_t {
    transition,     // `letter` takes the state to `to`
    no_transition,  // the trigger leads nowhere from this state (already there): nothing to do
    refused,        // the control mode does not allow the transition
  };
  Kind kind = Kind::no_transition;
  char letter = 0;  // 'a'..'h' for a transition
  ControlState to = ControlState::connected;
};

// What a request to the breaker came to.
enum class DisconnectResult : std::uint8_t {
  done,       // the transition happened
  no_change,  // the state already was what the request asks for
  refused,    // the control mode does not allow it
  held,       // a reconnection the meter refuses while the limiter, the credit or a tamper
              // event holds the supply open
};
std::string_view to_string(DisconnectResult result);

// What `trigger` does in state `from` under control mode `mode` (0..control_mode_max).
DisconnectStep disconnect_step(int mode, ControlState from, DisconnectTrigger trigger);

// Whether control mode `mode` performs transition `letter` ('a'..'h').
bool mode_allows(int mode, char letter);

// The disconnector log's code for a transition: a 63, b and c 62, d 59, e 61, f 60, g 64,
// h 69 (IDIS event codes).
EventCode transition_event(char letter);

std::string_view to_string(ControlState state);
std::string_view to_string(DisconnectTrigger trigger);
// "suppress", "meter": the names configs use.
std::string_view to_string(OpenLoad open_load);
std::optional<OpenLoad> parse_open_load(std::string_view name);

}  // namespace gridmeter
