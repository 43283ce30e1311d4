// AES-GCM-128 (NIST SP 800-38D), the cipher of DLMS security suite 0 (IEC 62056-5-3 clause
// 5.5.7, Green Book 9.2.3.3), and AES key wrap (RFC 3394, Green Book 9.2.3.5), through OpenSSL's
// libcrypto: gridmeter has no cryptography of its own.
//
//   AesGcm gcm(key);                                  // one OpenSSL context, reused per call
//   gcm.seal(iv, aad, plaintext, 12, out);            // appends ciphertext ‖ 12-octet tag
//   Status ok = gcm.open(iv, aad, ciphertext, tag, out);   // appends plaintext, or refuses
//   auto wrapped = aes_key_wrap(kek, key);            // 24 octets
#pragma once

#include <array>    // std::array
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint8_t
#include <span>     // std::span
#include <vector>   // std::vector

#include "core/result.hpp"

namespace gridmeter::dlms {

inline constexpr std::size_t aes_key_size = 16;
inline constexpr std::size_t gcm_iv_size = 12;
inline constexpr std::size_t gcm_tag_size_max = 16;

using AesKey = std::array<std::uint8_t, aes_key_size>;
using GcmIv = std::array<std::uint8_t, gcm_iv_size>;

class AesGcm {
 public:
  explicit AesGcm(const AesKey& key);
  AesGcm(const AesGcm&) = delete;
  AesGcm& operator=(const AesGcm&) = delete;
  AesGcm(AesGcm&& other) noexcept;
  AesGcm& operator=(AesGcm&& other) noexcept;
  ~AesGcm();

  // Encrypts `plaintext` (which may be empty: a GMAC) authenticating `aad`, and appends the
  // ciphertext, then the first `tag_size` octets of the tag (0..16; 0: encryption only), to
  // `out`. Fails only when OpenSSL does.
  Status seal(const GcmIv& iv, std::span<const std::uint8_t> aad,
              std::span<const std::uint8_t> plaintext, std::size_t tag_size,
              std::vector<std::uint8_t>& out);

  // Decrypts `ciphertext` and checks `tag` (its length as sent; empty: no check, encryption
  // only), appending the plaintext to `out` only when the tag matches. A wrong key, IV, AAD,
  // ciphertext or tag: "authentication tag does not match", and `out` is unchanged.
  Status open(const GcmIv& iv, std::span<const std::uint8_t> aad,
              std::span<const std::uint8_t> ciphertext, std::span<const std::uint8_t> tag,
              std::vector<std::uint8_t>& out);

 private:
  struct Context;
  Context* context_ = nullptr;  // EVP_CIPHER_CTX with the key set
};

// RFC 3394 key wrap of one 128-bit key under `kek`: 24 octets.
Result<std::array<std::uint8_t, aes_key_size + 8>> aes_key_wrap(const AesKey& kek,
                                                                const AesKey& key);
// The key inside `wrapped` (24 octets); a wrong KEK or damaged octets fail the RFC's integrity
// check: "key unwrap: integrity check failed".
Result<AesKey> aes_key_unwrap(const AesKey& kek, std::span<const std::uint8_t> wrapped);

// Whether `a` and `b` hold the same octets, in time that depends on their lengths only
// (OpenSSL's CRYPTO_memcmp): comparing a tag or proof must not tell how much of it was right.
bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

// `size` octets from OpenSSL's cryptographic random generator.
Result<std::vector<std::uint8_t>> random_octets(std::size_t size);

}  // namespace gridmeter::dlms
