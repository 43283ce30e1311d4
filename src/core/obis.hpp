// OBIS code (IEC 62056-6-1 clause 4): six value groups A-B:C.D.E.F identifying a data item.
//
//   auto code = parse_obis("1-0:1.8.0.255");   // full form
//   auto same = parse_obis("1.8.0");           // short form: A=1, B=0, F=255
//   to_string(*code) == "1-0:1.8.0.255";
//   code->bytes() == {1, 0, 1, 8, 0, 255};      // the 6-byte form COSEM carries
#pragma once

#include <array>        // std::array
#include <compare>      // operator<=>
#include <cstdint>      // std::uint8_t
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "core/result.hpp"

namespace gridmeter {

struct Obis {
  std::uint8_t a = 0;
  std::uint8_t b = 0;
  std::uint8_t c = 0;
  std::uint8_t d = 0;
  std::uint8_t e = 0;
  std::uint8_t f = 255;

  [[nodiscard]] constexpr std::array<std::uint8_t, 6> bytes() const { return {a, b, c, d, e, f}; }
  static constexpr Obis from_bytes(const std::array<std::uint8_t, 6>& raw) {
    return Obis{raw[0], raw[1], raw[2], raw[3], raw[4], raw[5]};
  }
  friend constexpr auto operator<=>(const Obis&, const Obis&) = default;
};

// Parses the full form "A-B:C.D.E.F", the form without F "A-B:C.D.E" (F = 255), and the short
// form "C.D.E" (A = 1 electricity, B = 0, F = 255). Each group is a decimal 0..255; a '*' or
// '&' before F (as printed by some tools) is accepted as the '.' separator.
Result<Obis> parse_obis(std::string_view text);

// Full form "A-B:C.D.E.F".
std::string to_string(const Obis& code);

// Short form "C.D.E" (drops A, B and F): how meters print register codes on their displays.
std::string to_short_string(const Obis& code);

}  // namespace gridmeter
