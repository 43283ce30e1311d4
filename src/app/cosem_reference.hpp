// What `gridmeter read` is asked for on its command line: an attribute (OBIS[:ATTR]), a write
// (OBIS:ATTR=VALUE) or a method call (OBIS:METHOD[=ARG]). The OBIS code may be in full or
// short form; its own colon (A-B:C...) is told apart from the attribute's by position.
//
//   parse_attribute_reference("1-0:1.8.0.255")      -> {1-0:1.8.0.255, 2}     (value: 2)
//   parse_attribute_reference("0-0:1.0.0.255:3")    -> {0-0:1.0.0.255, 3}
//   parse_set_request("0-0:1.0.0.255:2=2026-03-10T12:00:00+01:00")
//   parse_action_request("0-0:1.0.0.255:6=long:-30")
//   guess_class_id(Obis{1, 0, 1, 8, 0, 255}) == 3      (when the object list cannot be read)
#pragma once

#include <cstdint>      // std::uint16_t
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "core/obis.hpp"
#include "core/result.hpp"

namespace gridmeter::app {

struct AttributeReference {
  Obis obis;
  int index = 2;  // attribute or method index; 2 (the value) when not given
  friend bool operator==(const AttributeReference&, const AttributeReference&) = default;
};

// OBIS[:INDEX], INDEX 1..127 (attribute and method ids are integers on the wire).
Result<AttributeReference> parse_attribute_reference(std::string_view text);

struct SetRequest {
  AttributeReference attribute;
  std::string value;  // read as the attribute's type (value_text.hpp)
};
// OBIS:ATTR=VALUE (the attribute must be given).
Result<SetRequest> parse_set_request(std::string_view text);

struct ActionRequest {
  AttributeReference method;
  std::optional<std::string> argument;
};
// OBIS:METHOD[=ARG] (the method must be given).
Result<ActionRequest> parse_action_request(std::string_view text);

// The interface class an IDIS-style object of this OBIS code has, for a server whose object
// list cannot be read (IEC 62056-6-1 value groups: .8 energy Register, .6 maximum demand
// Extended register, .4/.5 demand Demand register, 99/98 profiles, 0-0:1.0.0 Clock, ...).
std::uint16_t guess_class_id(const Obis& obis);

}  // namespace gridmeter::app
