// Disconnect control (class 70): every control mode's transition table, state by state and
// trigger by trigger, written out from IEC 62056-6-2 clause 4.5.8 (not derived from the code).
#include "meter/disconnect_control.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace gridmeter {
namespace {

constexpr std::array<ControlState, 3> states{ControlState::disconnected, ControlState::connected,
                                             ControlState::ready_for_reconnection};
constexpr std::array<DisconnectTrigger, 6> triggers{
    DisconnectTrigger::remote_disconnect, DisconnectTrigger::remote_reconnect,
    DisconnectTrigger::manual_disconnect, DisconnectTrigger::manual_reconnect,
    DisconnectTrigger::local_disconnect,  DisconnectTrigger::local_reconnect};

// One cell: "-" nothing to do from this state, "x" refused by the mode, else the transition
// letter and the state it leads to ("b0": transition b to disconnected).
std::string cell(const DisconnectStep& step) {
  switch (step.kind) {
    case DisconnectStep::Kind::no_transition:
      return "-";
    case DisconnectStep::Kind::refused:
      return "x";
    case DisconnectStep::Kind::transition:
      return std::string(1, step.letter) + std::to_string(static_cast<int>(step.to));
  }
  return "?";
}

// Rows: states 0 (disconnected), 1 (connected), 2 (ready_for_reconnection). Columns:
// remote_disconnect, remote_reconnect, manual_disconnect, manual_reconnect, local_disconnect,
// local_reconnect.
using Table = std::array<std::array<const char*, 6>, 3>;

const std::array<Table, 7> expected{{
    // Mode 0: always connected; every transition refused.
    {{{"-", "x", "-", "-", "-", "-"},  //
      {"x", "-", "x", "-", "x", "-"},
      {"x", "-", "-", "x", "-", "x"}}},
    // Mode 1: disconnection b, c, f, g; reconnection d, e.
    {{{"-", "d2", "-", "-", "-", "-"},
      {"b0", "-", "f2", "-", "g2", "-"},
      {"c0", "-", "-", "e1", "-", "x"}}},
    // Mode 2: disconnection b, c, f, g; reconnection a, e.
    {{{"-", "a1", "-", "-", "-", "-"},
      {"b0", "-", "f2", "-", "g2", "-"},
      {"c0", "-", "-", "e1", "-", "x"}}},
    // Mode 3: disconnection b, c, g (no manual); reconnection d, e.
    {{{"-", "d2", "-", "-", "-", "-"},
      {"b0", "-", "x", "-", "g2", "-"},
      {"c0", "-", "-", "e1", "-", "x"}}},
    // Mode 4: disconnection b, c, g; reconnection a, e.
    {{{"-", "a1", "-", "-", "-", "-"},
      {"b0", "-", "x", "-", "g2", "-"},
      {"c0", "-", "-", "e1", "-", "x"}}},
    // Mode 5: disconnection b, c, f, g; reconnection d, e, h.
    {{{"-", "d2", "-", "-", "-", "-"},
      {"b0", "-", "f2", "-", "g2", "-"},
      {"c0", "-", "-", "e1", "-", "h1"}}},
    // Mode 6: disconnection b, c, g; reconnection d, e, h.
    {{{"-", "d2", "-", "-", "-", "-"},
      {"b0", "-", "x", "-", "g2", "-"},
      {"c0", "-", "-", "e1", "-", "h1"}}},
}};

TEST(DisconnectControl, EveryModeFollowsItsTransitionTable) {
  for (int mode = 0; mode <= control_mode_max; ++mode) {
    for (std::size_t s = 0; s < states.size(); ++s) {
      for (std::size_t t = 0; t < triggers.size(); ++t) {
        EXPECT_EQ(cell(disconnect_step(mode, states[s], triggers[t])),
                  expected[static_cast<std::size_t>(mode)][s][t])
            << "mode " << mode << ", state " << to_string(states[s]) << ", "
            << to_string(triggers[t]);
      }
    }
  }
}

TEST(DisconnectControl, ModesAllowExactlyTheirLetters) {
  const std::array<std::string, 7> letters{"",      "bcdefg",  "abcefg", "bcdeg",
                                           "abceg", "bcdefgh", "bcdegh"};
  for (int mode = 0; mode <= control_mode_max; ++mode) {
    std::string allowed;
    for (char letter = 'a'; letter <= 'h'; ++letter) {
      if (mode_allows(mode, letter)) allowed += letter;
    }
    EXPECT_EQ(allowed, letters[static_cast<std::size_t>(mode)]) << "mode " << mode;
  }
  EXPECT_FALSE(mode_allows(-1, 'b'));
  EXPECT_FALSE(mode_allows(7, 'b'));
}

TEST(DisconnectControl, EachTransitionHasItsIdisEventCode) {
  EXPECT_EQ(transition_event('a'), EventCode::remote_connection);              // 63
  EXPECT_EQ(transition_event('b'), EventCode::remote_disconnection);           // 62
  EXPECT_EQ(transition_event('c'), EventCode::remote_disconnection);           // 62
  EXPECT_EQ(transition_event('d'), EventCode::ready_for_manual_reconnection);  // 59
  EXPECT_EQ(transition_event('e'), EventCode::manual_connection);              // 61
  EXPECT_EQ(transition_event('f'), EventCode::manual_disconnection);           // 60
  EXPECT_EQ(transition_event('g'), EventCode::local_disconnection);            // 64
  EXPECT_EQ(transition_event('h'), EventCode::local_reconnection);             // 69
  for (int code = 59; code <= 69; ++code) {
    EXPECT_EQ(event_log_of(static_cast<EventCode>(code)), EventLog::disconnector) << code;
  }
  EXPECT_EQ(static_cast<int>(EventCode::local_reconnection), 69);
  EXPECT_EQ(static_cast<int>(EventCode::ready_for_manual_reconnection), 59);
}

TEST(DisconnectControl, OpenLoadNamesReadBack) {
  for (const OpenLoad open_load : {OpenLoad::suppress, OpenLoad::meter})
    EXPECT_EQ(parse_open_load(to_string(open_load)), open_load);
  EXPECT_EQ(parse_open_load("Meter"), std::nullopt);
  EXPECT_EQ(parse_open_load(""), std::nullopt);
}

}  // namespace
}  // namespace gridmeter
