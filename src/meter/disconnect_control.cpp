#include "meter/disconnect_control.hpp"

#include <array>        // std::array
#include <cassert>      // assert
#include <string_view>  // std::string_view

namespace gridmeter {
namespace {

// The transitions each control mode performs (IEC 62056-6-2 clause 4.5.8, control_mode).
constexpr std::array<std::string_view, control_mode_max + 1> mode_transitions{
    "", "bcfgde", "bcfgae", "bcgde", "bcgae", "bcfgdeh", "bcgdeh"};

struct Edge {
  char letter;
  ControlState to;
};

// The transition a trigger takes out of a state, or letter 0 when it takes none (remote
// reconnection has two; the mode picks one).
Edge edge_of(ControlState from, DisconnectTrigger trigger) {
  switch (trigger) {
    case DisconnectTrigger::remote_disconnect:
      if (from == ControlState::connected) return {'b', ControlState::disconnected};
      if (from == ControlState::ready_for_reconnection) return {'c', ControlState::disconnected};
      break;
    case DisconnectTrigger::remote_reconnect:
      if (from == ControlState::disconnected) return {'a', ControlState::connected};
      break;
    case DisconnectTrigger::manual_disconnect:
      if (from == ControlState::connected) return {'f', ControlState::ready_for_reconnection};
      break;
    case DisconnectTrigger::manual_reconnect:
      if (from == ControlState::ready_for_reconnection) return {'e', ControlState::connected};
      break;
    case DisconnectTrigger::local_disconnect:
      if (from == ControlState::connected) return {'g', ControlState::ready_for_reconnection};
      break;
    case DisconnectTrigger::local_reconnect:
      if (from == ControlState::ready_for_reconnection) return {'h', ControlState::connected};
      break;
  }
  return {0, from};
}

}  // namespace

bool mode_allows(int mode, char letter) {
  if (mode < 0 || mode > control_mode_max) return false;
  return mode_transitions[static_cast<std::size_t>(mode)].find(letter) != std::string_view::npos;
}

DisconnectStep disconnect_step(int mode, ControlState from, DisconnectTrigger trigger) {
  assert(mode >= 0 && mode <= control_mode_max);
  Edge edge = edge_of(from, trigger);
  if (edge.letter == 0) return {DisconnectStep::Kind::no_transition, 0, from};
  // remote_reconnect out of disconnected: directly connected (a) in modes 2 and 4, ready for
  // a manual reconnection (d) in the others.
  if (edge.letter == 'a' && !mode_allows(mode, 'a')) {
    edge = {'d', ControlState::ready_for_reconnection};
  }
  if (!mode_allows(mode, edge.letter)) return {DisconnectStep::Kind::refused, edge.letter, from};
  return {DisconnectStep::Kind::transition, edge.letter, edge.to};
}

EventCode transition_event(char letter) {
  switch (letter) {
    case 'a':
      return EventCode::remote_connection;
    case 'b':
    case 'c':
      return EventCode::remote_disconnection;
    case 'd':
      return EventCode::ready_for_manual_reconnection;
    case 'e':
      return EventCode::manual_connection;
    case 'f':
      return EventCode::manual_disconnection;
    case 'g':
      return EventCode::local_disconnection;
    default:
      assert(letter == 'h');
      return EventCode::local_reconnection;
  }
}

std::string_view to_string(ControlState state) {
  switch (state) {
    case ControlState::disconnected:
      return "disconnected";
    case ControlState::connected:
      return "connected";
    case ControlState::ready_for_reconnection:
      return "ready_for_reconnection";
  }
  return "?";
}

std::string_view to_string(DisconnectTrigger trigger) {
  switch (trigger) {
    case DisconnectTrigger::remote_disconnect:
      return "remote_disconnect";
    case DisconnectTrigger::remote_reconnect:
      return "remote_reconnect";
    case DisconnectTrigger::manual_disconnect:
      return "manual_disconnect";
    case DisconnectTrigger::manual_reconnect:
      return "manual_reconnect";
    case DisconnectTrigger::local_disconnect:
      return "local_disconnect";
    case DisconnectTrigger::local_reconnect:
      return "local_reconnect";
  }
  return "?";
}

std::string_view to_string(DisconnectResult result) {
  switch (result) {
    case DisconnectResult::done:
      return "done";
    case DisconnectResult::no_change:
      return "no change";
    case DisconnectResult::refused:
      return "refused by the control mode";
    case DisconnectResult::held:
      return "held open (limiter, credit or tamper)";
  }
  return "?";
}

std::string_view to_string(OpenLoad open_load) {
  return open_load == OpenLoad::meter ? "meter" : "suppress";
}

std::optional<OpenLoad> parse_open_load(std::string_view name) {
  if (name == "suppress") return OpenLoad::suppress;
  if (name == "meter") return OpenLoad::meter;
  return std::nullopt;
}

}  // namespace gridmeter
