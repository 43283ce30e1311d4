// Tamper inputs: the terminal cover and meter cover switches and the strong magnetic field
// sensor (the datasheet's "tamper and magnetic detection"). Each change is logged in the
// fraud detection log (IDIS codes 40..45) with the meter clock; openings and detections are
// counted; each input may be programmed to open the breaker.
//
//   TamperConfig tamper;
//   tamper.disconnect[index_of(TamperInput::meter_cover)] = true;   // a removed cover opens it
//   tamper_event(TamperInput::meter_cover, true);                // meter_cover_removed (44)
//
// While the supply is off the cover switches still latch (as a meter's battery-backed cover
// detection does): a cover opened during an outage is logged at the next power-up with its own
// code ("removed while the supply was off"), counted, and may open the breaker then. The
// magnetic sensor needs the supply: a field present at power-up is seen then.
#pragma once

#include <array>        // std::array
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t, std::uint32_t
#include <optional>     // std::optional
#include <string_view>  // std::string_view

#include "meter/event_codes.hpp"

namespace gridmeter {

enum class TamperInput : std::uint8_t { terminal_cover = 0, meter_cover = 1, magnetic_field = 2 };
inline constexpr std::size_t tamper_input_count = 3;

constexpr std::size_t index_of(TamperInput input) { return static_cast<std::size_t>(input); }

struct TamperConfig {
  // Per input: whether its activation (cover removed, field detected) opens the breaker.
  std::array<bool, tamper_input_count> disconnect{};
  friend bool operator==(const TamperConfig&, const TamperConfig&) = default;
};

struct TamperState {
  std::array<bool, tamper_input_count> active{};           // cover open, field present
  std::array<std::uint32_t, tamper_input_count> counts{};  // activations seen
  // What the inputs did while the supply was off, reported at the next power-up.
  std::array<bool, tamper_input_count> opened_while_off{};  // covers only
  std::array<bool, tamper_input_count> level_while_off{};
  bool seen_while_off = false;  // some input changed while the supply was off
  friend bool operator==(const TamperState&, const TamperState&) = default;
};

// The fraud log's code for an input going active (true) or back to normal.
EventCode tamper_event(TamperInput input, bool active);
// The code of a cover opened while the supply was off (terminal or meter cover only).
EventCode tamper_while_off_event(TamperInput input);

// "terminal_cover", "meter_cover", "magnetic_field": the names configs use.
std::string_view to_string(TamperInput input);
std::optional<TamperInput> parse_tamper_input(std::string_view name);

}  // namespace gridmeter
