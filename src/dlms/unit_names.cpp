#include "dlms/unit_names.hpp"

#include <array>        // std::array
#include <string_view>  // std::string_view

#include <fmt/format.h>

namespace gridmeter::dlms {
namespace {

// Index = unit code, 0..72 (Blue Book table "Enumerated values for physical units"); empty
// for codes the table leaves unassigned.
constexpr std::array<std::string_view, 73> symbols{
    "",        "a",        "mo",      "wk",    "d",   "h",    "min",   "s",    "°",
    "°C",      "currency", "m",       "m/s",   "m³",  "m³",   "m³/h",  "m³/h", "m³/d",
    "m³/d",    "l",        "kg",      "N",     "Nm",  "Pa",   "bar",   "J",    "J/h",
    "W",       "VA",       "var",     "Wh",    "VAh", "varh", "A",     "C",    "V",
    "V/m",     "F",        "Ω",       "Ωm²/m", "Wb",  "T",    "A/m",   "H",    "Hz",
    "1/(Wh)",  "1/(varh)", "1/(VAh)", "V²h",   "A²h", "kg/s", "S",     "K",    "1/(V²h)",
    "1/(A²h)", "1/m³",     "%",       "Ah",    "",    "",     "Wh/m³", "J/m³", "Mol %",
    "g/m³",    "Pa s",     "J/kg",    "g/cm²", "atm", "",     "",      "dBm",  "dBµV",
    "dB",
};

}  // namespace

std::string unit_symbol(std::uint8_t code) {
  if (code == 255) return "";       // count: a number without unit
  if (code == 254) return "other";  // other unit
  if (code < symbols.size() && !symbols[code].empty()) return std::string(symbols[code]);
  return fmt::format("unit {}", code);
}

}  // namespace gridmeter::dlms
