// BER (ISO/IEC 8825-1 = ITU-T X.690) reading and writing: the small subset the ACSE APDUs need.
//
//   ber::Reader reader(apdu_content);
//   while (!reader.at_end()) {
//     Result<ber::Element> element = reader.next();   // tag, definite length, content
//     if (!element) return element.error();
//     if (element->is_context(1) && element->constructed) ...
//   }
//
//   std::vector<std::uint8_t> out;
//   Status written = ber::append(out, ber::tag_octet_string, key);   // 04 10 <16 octets>
//
// DLMS uses BER only for the ACSE APDUs (AARQ, AARE, RLRQ, RLRE) and the conformance block;
// the xDLMS APDUs are A-XDR. Lengths take the short form and the long forms 0x81 and 0x82:
// no DLMS APDU exceeds 65535 octets, so longer lengths (0x83 and up) are refused before any
// content is trusted, as is the indefinite form 0x80, which DLMS never uses. Reading never
// recurses: a caller opens the content of a constructed element with a new Reader when it
// knows what is inside, so nesting depth is bounded by the caller's grammar, not the input.
#pragma once

#include <array>        // std::array
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t, std::uint32_t, std::int64_t
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "core/result.hpp"

namespace gridmeter::dlms {

// An OBJECT IDENTIFIER held in its encoded form (X.690 clause 8.19: the content octets), which
// is how DLMS compares them: 2.16.756.5.8.1.1 is 60 85 74 05 08 01 01. Always well formed: the
// only ways in are from_encoded, which checks, and the empty default.
class ObjectIdentifier {
 public:
  // The longest DLMS OID is 7 octets; 32 leaves room for foreign ones without a heap.
  static constexpr std::size_t max_encoded_size = 32;

  ObjectIdentifier() = default;

  // Content octets of a BER OBJECT IDENTIFIER. Refuses an empty value, a last subidentifier
  // cut short, a subidentifier with a leading 0x80 octet (not minimal, X.690 8.19.2), one
  // longer than 9 octets (beyond 63 bits), and more than max_encoded_size octets.
  static Result<ObjectIdentifier> from_encoded(std::span<const std::uint8_t> content);

  [[nodiscard]] std::span<const std::uint8_t> encoded() const { return {octets_.data(), size_}; }
  [[nodiscard]] bool empty() const { return size_ == 0; }

  friend bool operator==(const ObjectIdentifier&, const ObjectIdentifier&) = default;

 private:
  std::array<std::uint8_t, max_encoded_size> octets_{};
  std::size_t size_ = 0;
};

// Dotted form, "2.16.756.5.8.1.1"; "" for the empty identifier.
std::string to_string(const ObjectIdentifier& oid);

namespace ber {

// Identifier octet bits (X.690 8.1.2.2 and 8.1.2.5).
inline constexpr std::uint8_t class_universal = 0x00;
inline constexpr std::uint8_t class_application = 0x40;
inline constexpr std::uint8_t class_context = 0x80;
inline constexpr std::uint8_t class_private = 0xC0;
inline constexpr std::uint8_t constructed_bit = 0x20;

// Universal tags DLMS uses inside the ACSE APDUs.
inline constexpr std::uint8_t tag_integer = 0x02;
inline constexpr std::uint8_t tag_bit_string = 0x03;
inline constexpr std::uint8_t tag_octet_string = 0x04;
inline constexpr std::uint8_t tag_object_identifier = 0x06;

// The largest length we read or write: both long forms DLMS uses (0x81, 0x82) fit below it.
inline constexpr std::size_t max_length = 0xFFFF;

// The high-tag-number form (X.690 8.1.2.4) is read for up to 3 subsequent octets: no ACSE
// field is near that, and an unknown field with such a tag can still be skipped.
inline constexpr std::uint32_t max_tag_number = 0x1FFFFF;

struct Element {
  std::uint8_t tag_class = class_universal;  // one of class_*
  bool constructed = false;
  std::uint32_t tag_number = 0;
  std::span<const std::uint8_t> content;
  // Positions of the identifier octet and of the content, from the start of the whole input.
  std::size_t offset = 0;
  std::size_t content_offset = 0;

  [[nodiscard]] bool is_context(std::uint32_t number) const {
    return tag_class == class_context && tag_number == number;
  }
  [[nodiscard]] bool is_universal(std::uint32_t number) const {
    return tag_class == class_universal && tag_number == number;
  }
};

// Reads consecutive TLVs from a span. `base_offset` is the span's position in the whole input,
// so errors and Element::offset point into what the peer sent, not into a sub-span.
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> bytes, std::size_t base_offset = 0)
      : bytes_(bytes), base_offset_(base_offset) {}

  [[nodiscard]] bool at_end() const { return position_ == bytes_.size(); }

  // The next element. Errors name the offset and what is wrong: a truncated identifier or
  // length, an indefinite or over-long length, a length beyond the octets left.
  Result<Element> next();

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t base_offset_ = 0;
  std::size_t position_ = 0;
};

// Reads the content of `outer` (constructed) as exactly one element: how an EXPLICIT tag wraps
// its value. `what` names the field for the error message.
Result<Element> read_only_element(const Element& outer, std::string_view what);

// INTEGER content (X.690 8.3): 1..8 octets, two's complement, minimal (8.3.2).
Result<std::int64_t> decode_integer(std::span<const std::uint8_t> content);

// BIT STRING content (X.690 8.6, primitive form only): the unused-bits octet (0..7, and 0 when
// there are no bits) and the bits. Returns bit 0, the most significant bit of the first
// octet, or false when the string has no bits: the only bit any ACSE bit string defines.
Result<bool> decode_first_bit(std::span<const std::uint8_t> content);

// Minimal two's complement content octets of `value` (1..8 octets).
std::vector<std::uint8_t> encode_integer(std::int64_t value);

// Appends a one-octet identifier, the shortest definite length, and `content`. Fails when the
// content is longer than max_length.
Status append(std::vector<std::uint8_t>& out, std::uint8_t identifier,
              std::span<const std::uint8_t> content);

// Appends `outer` (an EXPLICIT context tag) around an `inner` TLV: A1 09 06 07 <oid>.
Status append_wrapped(std::vector<std::uint8_t>& out, std::uint8_t outer, std::uint8_t inner,
                      std::span<const std::uint8_t> content);

}  // namespace ber
}  // namespace gridmeter::dlms
