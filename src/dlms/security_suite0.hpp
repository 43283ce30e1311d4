// Security suite 0 (AES-GCM-128) applied to xDLMS APDUs (IEC 62056-5-3 clause 5.5.7; Green
// Book 9.2.7.2.4 "Cryptographic protection of xDLMS APDUs") and HLS mechanism 5, GMAC
// (Green Book 9.2.7.4: the f(StoC) and f(CtoS) of the four-pass authentication).
//
//   Suite0 suite(ek, ak);
//   std::vector<std::uint8_t> content;
//   suite.protect(SecurityControl{0x30}, sender_title, counter, plain_apdu, content);
//   encode_service_ciphered(*glo_tag(plain_apdu[0]), content, frame);   // C8 1E 30 ...
//   suite.unprotect(*CipheredApdu::decode(frame), sender_title, plain);  // back
//   suite.hls_gmac(client_title, counter, challenge, f);                 // 10 IC tag(12)
//
// The content is the security header (security control, invocation counter), then the text,
// then a 12-octet tag when authenticated. The IV is the sender's system title and the
// invocation counter. The AAD: authentication and encryption, SC ‖ AK; authentication only,
// SC ‖ AK ‖ the plain APDU (which then travels in clear); encryption only, nothing (and no tag).
#pragma once

#include <array>     // std::array
#include <cstdint>   // std::uint8_t, std::uint32_t
#include <optional>  // std::optional
#include <span>      // std::span
#include <vector>    // std::vector

#include "core/result.hpp"
#include "dlms/aes_gcm.hpp"
#include "dlms/ciphered_apdu.hpp"
#include "dlms/security_state.hpp"

namespace gridmeter::dlms {

inline constexpr std::size_t authentication_tag_size = CipheredApdu::authentication_tag_size;

// The IV of suite 0: system title ‖ invocation counter (big-endian).
GcmIv suite0_iv(const SystemTitle& title, std::uint32_t invocation_counter);

class Suite0 {
 public:
  // `ek` encrypts (the global unicast, broadcast or dedicated key); `ak` authenticates.
  Suite0(const AesKey& ek, const AesKey& ak);

  // Appends the ciphered content of `plain` to `out`. The security control must name suite 0
  // and no compression (gridmeter does not compress): else an error and `out` unchanged.
  Status protect(SecurityControl control, const SystemTitle& sender,
                 std::uint32_t invocation_counter, std::span<const std::uint8_t> plain,
                 std::vector<std::uint8_t>& out);

  // Appends the plain APDU of `apdu` (sent by `sender`) to `out`, after checking its tag: a
  // wrong key, title, counter or any changed octet is "authentication tag does not match".
  // Another suite or compression is refused by name. `out` is unchanged on any error.
  Status unprotect(const CipheredApdu& apdu, const SystemTitle& sender,
                   std::vector<std::uint8_t>& out);

  // HLS-GMAC: f(challenge) = SC (0x10) ‖ invocation counter ‖ GMAC over SC ‖ AK ‖ challenge
  // with the IV of `title` and `invocation_counter` (17 octets, appended to `out`).
  Status hls_gmac(const SystemTitle& title, std::uint32_t invocation_counter,
                  std::span<const std::uint8_t> challenge, std::vector<std::uint8_t>& out);

 private:
  // SC ‖ AK, and the plain APDU too when only authenticated.
  void build_aad(SecurityControl control, std::span<const std::uint8_t> plain);

  AesGcm gcm_;
  AesKey ak_;
  std::vector<std::uint8_t> aad_;  // scratch, kept for its capacity
};

// The ciphered tags of a plain xDLMS APDU's tag: glo-get-request (0xC8) for get-request
// (0xC0), ded-get-request (0xD0), and so on for initiate, confirmed-service-error, GET, SET,
// ACTION and event-notification; nothing for an APDU that has no ciphered form.
std::optional<std::uint8_t> glo_tag(std::uint8_t plain_tag);
std::optional<std::uint8_t> ded_tag(std::uint8_t plain_tag);

// The other way: the plain tag a glo-* or ded-* tag carries, and whether it is dedicated;
// nothing for any other tag (general ciphering carries any APDU).
struct UncipheredTag {
  std::uint8_t plain = 0;
  bool dedicated = false;
};
std::optional<UncipheredTag> unciphered_tag(std::uint8_t ciphered_tag);

// tag ‖ A-XDR length ‖ content: a glo-* or ded-* APDU.
void encode_service_ciphered(std::uint8_t tag, std::span<const std::uint8_t> content,
                             std::vector<std::uint8_t>& out);
// general-glo-ciphering (0xDB) or general-ded-ciphering (0xDC): tag ‖ system title as an
// OCTET STRING ‖ content as an OCTET STRING.
void encode_general_ciphering(bool dedicated, const SystemTitle& sender,
                              std::span<const std::uint8_t> content,
                              std::vector<std::uint8_t>& out);

}  // namespace gridmeter::dlms
