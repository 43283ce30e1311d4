// A-XDR (IEC 61334-6, as DLMS uses it in IEC 62056-5-3 and the Green Book) for DLMS Data.
//
//   std::vector<std::uint8_t> out;
//   encode(Data::unsigned16(5), out);               // appends 12 00 05
//   Result<Decoded> got = decode(out);              // got->value == Data::unsigned16(5),
//                                                   // got->used == 3
//   Result<Data> whole = decode_all(out);           // the same, but refuses trailing octets
//   Result<Data> cut = decode_all(std::span(out).first(2));
//   cut.error().message == "A-XDR at offset 0: long-unsigned (tag 0x12) needs 2 octets, 1 left";
//
// Wire form: one tag octet (the DataType), then the contents. Lengths and element counts use
// the A-XDR length: one octet below 0x80, else 0x81..0x84 and that many big-endian octets.
// Integers and floats (IEEE 754) are big-endian; date-time, date and time are their fixed 12, 5
// and 4 octets without a length. Bit-strings count bits, then carry (bits + 7) / 8 octets.
// A compact-array is a type description, the length of its contents in octets, and its
// elements without tags.
//
// Decoding is defensive: every read is checked against the octets left, every claimed count
// against the octets left and the DecodeLimits before anything is reserved, and the error
// names the offset (from the start of the given span) and the tag. Encoding always emits the
// shortest length form; decoding also accepts longer ones (some meters send 81 10 for 16).
#pragma once

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint8_t
#include <span>     // std::span
#include <vector>   // std::vector

#include "core/result.hpp"
#include "dlms/data.hpp"

namespace gridmeter::dlms {

// Bounds on what one decode may build, so hostile input cannot exhaust stack or memory. The
// defaults fit a year of 15-minute profile entries with ten columns or so.
struct DecodeLimits {
  // Levels of arrays, structures and compact-arrays (a scalar alone is depth 1); type
  // descriptions count the same way. Each level is a stack frame: values above
  // nesting_depth_ceiling are treated as the ceiling.
  std::size_t nesting_depth_max = 16;
  // Elements of one array, structure or compact-array.
  std::size_t container_elements_max = 100'000;
  // Values of every type in one decode, the outermost included: about 48 octets of memory each.
  std::size_t total_values_max = 1'000'000;
  // Octets of one octet-, visible- or utf8-string, or of one bit-string's contents.
  std::size_t string_octets_max = 65'535;

  static constexpr std::size_t nesting_depth_ceiling = 64;
};

struct Decoded {
  Data value;
  std::size_t used = 0;  // octets of the input the value took
};

// Appends the tagged encoding of `value`.
void encode(const Data& value, std::vector<std::uint8_t>& out);
[[nodiscard]] std::vector<std::uint8_t> encode(const Data& value);

// One value from the start of `bytes`; octets after it are left for the caller.
Result<Decoded> decode(std::span<const std::uint8_t> bytes, const DecodeLimits& limits = {});
// One value that must take all of `bytes`.
Result<Data> decode_all(std::span<const std::uint8_t> bytes, const DecodeLimits& limits = {});

// ---- Pieces the APDU layer shares ----

// The shortest A-XDR length form: 7F -> 7F, 80 -> 81 80, 300 -> 82 01 2C. Lengths above
// 0xFFFFFFFF cannot be encoded (asserted).
void encode_length(std::size_t length, std::vector<std::uint8_t>& out);

struct DecodedLength {
  std::size_t value = 0;
  std::size_t used = 0;
};
// An A-XDR length at the start of `bytes`; 0x80 (indefinite) and forms above 0x84 are refused.
Result<DecodedLength> decode_length(std::span<const std::uint8_t> bytes);

// The type description of a compact-array, as it appears after the tag 0x13.
void encode_type_description(const TypeDescription& description, std::vector<std::uint8_t>& out);

}  // namespace gridmeter::dlms
