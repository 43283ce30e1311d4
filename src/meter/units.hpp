// Physical units as COSEM enumerates them (IEC 62056-6-2 clause 4.3.2, table "unit"), so a
// register's unit is the very code a DLMS Register's scaler_unit attribute carries.
#pragma once

#include <cstdint>      // std::uint8_t
#include <string_view>  // std::string_view

namespace gridmeter {

enum class Unit : std::uint8_t {
  second = 7,             // s
  watt = 27,              // W
  volt_ampere = 28,       // VA
  var = 29,               // var
  watt_hour = 30,         // Wh
  volt_ampere_hour = 31,  // VAh
  var_hour = 32,          // varh
  ampere = 33,            // A
  volt = 35,              // V
  hertz = 44,             // Hz
  percent = 56,           // %
  count = 255,            // no unit, a count
};

constexpr std::string_view unit_symbol(Unit unit) {
  switch (unit) {
    case Unit::second:
      return "s";
    case Unit::watt:
      return "W";
    case Unit::volt_ampere:
      return "VA";
    case Unit::var:
      return "var";
    case Unit::watt_hour:
      return "Wh";
    case Unit::volt_ampere_hour:
      return "VAh";
    case Unit::var_hour:
      return "varh";
    case Unit::ampere:
      return "A";
    case Unit::volt:
      return "V";
    case Unit::hertz:
      return "Hz";
    case Unit::percent:
      return "%";
    case Unit::count:
      return "";
  }
  return "";
}

}  // namespace gridmeter
