#include "meter/tamper.hpp"

#include <cassert>  // assert

namespace gridmeter {

EventCode tamper_event(TamperInput input, bool active) {
  switch (input) {
    case TamperInput::terminal_cover:
      return active ? EventCode::terminal_cover_removed : EventCode::terminal_cover_closed;
    case TamperInput::meter_cover:
      return active ? EventCode::meter_cover_removed : EventCode::meter_cover_closed;
    case TamperInput::magnetic_field:
      return active ? EventCode::strong_dc_field_detected : EventCode::no_strong_dc_field;
  }
  return EventCode::meter_cover_removed;
}

EventCode tamper_while_off_event(TamperInput input) {
  assert(input != TamperInput::magnetic_field);
  return input == TamperInput::terminal_cover ? EventCode::terminal_cover_removed_while_off
                                              : EventCode::meter_cover_removed_while_off;
}

std::string_view to_string(TamperInput input) {
  switch (input) {
    case TamperInput::terminal_cover:
      return "terminal_cover";
    case TamperInput::meter_cover:
      return "meter_cover";
    case TamperInput::magnetic_field:
      return "magnetic_field";
  }
  return "?";
}

std::optional<TamperInput> parse_tamper_input(std::string_view name) {
  for (const TamperInput input :
       {TamperInput::terminal_cover, TamperInput::meter_cover, TamperInput::magnetic_field}) {
    if (to_string(input) == name) return input;
  }
  return std::nullopt;
}

}  // namespace gridmeter
