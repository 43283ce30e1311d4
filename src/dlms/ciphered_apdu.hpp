// Ciphered APDUs as they travel (IEC 62056-5-3 clause 5.5 / Green Book 9.2.7.2.4): the
// security header and the framing of glo-*, ded-*, general-glo-ciphering and
// general-ded-ciphering APDUs. What the keys do with them is security_suite0.hpp's.
//
//   auto apdu = CipheredApdu::decode(bytes);   // C8 1E 30 01234567 ... : glo-get-request
//   apdu->security_control.encrypted();        // true
//   apdu->invocation_counter;                  // 0x01234567
#pragma once

#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint8_t, std::uint32_t
#include <optional>  // std::optional
#include <span>      // std::span
#include <vector>    // std::vector

#include "core/result.hpp"

namespace gridmeter::dlms {

inline constexpr std::uint8_t general_glo_ciphering_tag = 0xDB;
inline constexpr std::uint8_t general_ded_ciphering_tag = 0xDC;

// The security control octet of a ciphered APDU (Green Book, "security header"): bits 0..3 the
// security suite, bit 4 authentication, bit 5 encryption, bit 6 the key set (0 unicast,
// 1 broadcast), bit 7 compression.
struct SecurityControl {
  std::uint8_t value = 0;

  [[nodiscard]] constexpr std::uint8_t suite() const { return value & 0x0FU; }
  [[nodiscard]] constexpr bool authenticated() const { return (value & 0x10U) != 0; }
  [[nodiscard]] constexpr bool encrypted() const { return (value & 0x20U) != 0; }
  [[nodiscard]] constexpr bool broadcast_key() const { return (value & 0x40U) != 0; }
  [[nodiscard]] constexpr bool compressed() const { return (value & 0x80U) != 0; }
};

// What a ciphered APDU shows without its keys. glo-* and ded-* APDUs are the tag, an A-XDR
// length and the ciphered content; general-glo-ciphering and general-ded-ciphering put the
// sender's system title (an OCTET STRING) before the content. The content is the security
// header (security control, invocation counter), the text, and a 12-octet authentication tag
// when the security control says authenticated.
struct CipheredApdu {
  static constexpr std::size_t authentication_tag_size = 12;

  std::uint8_t tag = 0;
  std::optional<std::vector<std::uint8_t>> system_title;  // general-*-ciphering only
  SecurityControl security_control;
  std::uint32_t invocation_counter = 0;
  std::vector<std::uint8_t> text;  // the ciphertext; the plain APDU when not encrypted
  std::vector<std::uint8_t> authentication_tag;  // empty when not authenticated

  // Refuses a tag that is not a ciphered one, a length that disagrees with the octets there,
  // and content too short for the security header or the authentication tag.
  static Result<CipheredApdu> decode(std::span<const std::uint8_t> bytes);
};

// glo-* and ded-* (the Green Book's names for the tag start so), general-glo-ciphering and
// general-ded-ciphering.
bool is_ciphered_tag(std::uint8_t tag);

}  // namespace gridmeter::dlms
