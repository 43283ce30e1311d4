#include "dlms/aes_gcm.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>  // std::copy
#include <climits>    // INT_MAX
#include <utility>    // std::exchange

namespace gridmeter::dlms {
namespace {

// OpenSSL takes lengths as int; an APDU is at most 65535 octets, but a caller's span is checked.
bool fits_int(std::size_t size) { return size <= static_cast<std::size_t>(INT_MAX); }

EVP_CIPHER_CTX* new_gcm_context(const AesKey& key, bool encrypt) {
  EVP_CIPHER_CTX* context = EVP_CIPHER_CTX_new();
  if (context == nullptr) return nullptr;
  const bool ready =
      EVP_CipherInit_ex(context, EVP_aes_128_gcm(), nullptr, nullptr, nullptr, encrypt ? 1 : 0) ==
          1 &&
      EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(gcm_iv_size),
                          nullptr) == 1 &&
      EVP_CipherInit_ex(context, nullptr, nullptr, key.data(), nullptr, encrypt ? 1 : 0) == 1;
  if (!ready) {
    EVP_CIPHER_CTX_free(context);
    return nullptr;
  }
  return context;
}

}  // namespace

// One context for each direction, each with the key schedule set once: a GET then costs no
// allocation and no key expansion.
struct AesGcm::Context {
  EVP_CIPHER_CTX* encrypt = nullptr;
  EVP_CIPHER_CTX* decrypt = nullptr;
  ~Context() {
    EVP_CIPHER_CTX_free(encrypt);
    EVP_CIPHER_CTX_free(decrypt);
  }
};

AesGcm::AesGcm(const AesKey& key) : context_(new Context) {
  context_->encrypt = new_gcm_context(key, true);
  context_->decrypt = new_gcm_context(key, false);
}

AesGcm::AesGcm(AesGcm&& other) noexcept : context_(std::exchange(other.context_, nullptr)) {}

AesGcm& AesGcm::operator=(AesGcm&& other) noexcept {
  if (this != &other) {
    delete context_;
    context_ = std::exchange(other.context_, nullptr);
  }
  return *this;
}

AesGcm::~AesGcm() { delete context_; }

Status AesGcm::seal(const GcmIv& iv, std::span<const std::uint8_t> aad,
                    std::span<const std::uint8_t> plaintext, std::size_t tag_size,
                    std::vector<std::uint8_t>& out) {
  EVP_CIPHER_CTX* context = context_ == nullptr ? nullptr : context_->encrypt;
  if (context == nullptr) return make_error("AES-GCM: no cipher context (OpenSSL failed)");
  if (tag_size > gcm_tag_size_max || !fits_int(aad.size()) || !fits_int(plaintext.size())) {
    return make_error("AES-GCM: input too large");
  }
  const std::size_t start = out.size();
  out.resize(start + plaintext.size() + tag_size);
  int length = 0;
  bool done = EVP_EncryptInit_ex(context, nullptr, nullptr, nullptr, iv.data()) == 1;
  if (done && !aad.empty()) {
    done =
        EVP_EncryptUpdate(context, nullptr, &length, aad.data(), static_cast<int>(aad.size())) == 1;
  }
  if (done && !plaintext.empty()) {
    done = EVP_EncryptUpdate(context, out.data() + start, &length, plaintext.data(),
                             static_cast<int>(plaintext.size())) == 1;
  }
  std::array<std::uint8_t, gcm_tag_size_max> tag{};
  done = done && EVP_EncryptFinal_ex(context, tag.data(), &length) == 1 &&
         EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag.size()),
                             tag.data()) == 1;
  if (!done) {
    out.resize(start);
    return make_error("AES-GCM: encryption failed (OpenSSL)");
  }
  std::copy(tag.begin(), tag.begin() + static_cast<std::ptrdiff_t>(tag_size),
            out.begin() + static_cast<std::ptrdiff_t>(start + plaintext.size()));
  return {};
}

Status AesGcm::open(const GcmIv& iv, std::span<const std::uint8_t> aad,
                    std::span<const std::uint8_t> ciphertext, std::span<const std::uint8_t> tag,
                    std::vector<std::uint8_t>& out) {
  EVP_CIPHER_CTX* context = context_ == nullptr ? nullptr : context_->decrypt;
  if (context == nullptr) return make_error("AES-GCM: no cipher context (OpenSSL failed)");
  if (tag.size() > gcm_tag_size_max || !fits_int(aad.size()) || !fits_int(ciphertext.size())) {
    return make_error("AES-GCM: input too large");
  }
  const std::size_t start = out.size();
  out.resize(start + ciphertext.size());
  int length = 0;
  bool done = EVP_DecryptInit_ex(context, nullptr, nullptr, nullptr, iv.data()) == 1;
  if (done && !aad.empty()) {
    done =
        EVP_DecryptUpdate(context, nullptr, &length, aad.data(), static_cast<int>(aad.size())) == 1;
  }
  if (done && !ciphertext.empty()) {
    done = EVP_DecryptUpdate(context, out.data() + start, &length, ciphertext.data(),
                             static_cast<int>(ciphertext.size())) == 1;
  }
  if (done && !tag.empty()) {
    // OpenSSL compares the tag given, of its length (DLMS sends 12 of the 16 octets).
    std::array<std::uint8_t, gcm_tag_size_max> expected{};
    std::copy(tag.begin(), tag.end(), expected.begin());
    done = EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag.size()),
                               expected.data()) == 1 &&
           EVP_DecryptFinal_ex(context, expected.data(), &length) == 1;
  }
  if (!done) {
    out.resize(start);
    return make_error("authentication tag does not match");
  }
  return {};
}

namespace {

// RFC 3394 in one direction: `in` → `out`, which must come out exactly `out.size()` octets long.
// False when OpenSSL refuses (on unwrapping: the integrity check failed).
bool key_wrap_cipher(const AesKey& kek, bool wrap, std::span<const std::uint8_t> in,
                     std::span<std::uint8_t> out) {
  EVP_CIPHER_CTX* context = EVP_CIPHER_CTX_new();
  if (context == nullptr) return false;
  EVP_CIPHER_CTX_set_flags(context, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  int length = 0;
  int final_length = 0;
  const bool done =
      EVP_CipherInit_ex(context, EVP_aes_128_wrap(), nullptr, kek.data(), nullptr, wrap ? 1 : 0) ==
          1 &&
      EVP_CipherUpdate(context, out.data(), &length, in.data(), static_cast<int>(in.size())) == 1 &&
      EVP_CipherFinal_ex(context, out.data() + length, &final_length) == 1 &&
      length + final_length == static_cast<int>(out.size());
  EVP_CIPHER_CTX_free(context);
  return done;
}

}  // namespace

Result<std::array<std::uint8_t, aes_key_size + 8>> aes_key_wrap(const AesKey& kek,
                                                                const AesKey& key) {
  std::array<std::uint8_t, aes_key_size + 8> wrapped{};
  if (!key_wrap_cipher(kek, true, key, wrapped)) return make_error("key wrap: OpenSSL failed");
  return wrapped;
}

Result<AesKey> aes_key_unwrap(const AesKey& kek, std::span<const std::uint8_t> wrapped) {
  if (wrapped.size() != aes_key_size + 8) {
    return make_error(
        fmt::format("key unwrap: {} octets, a wrapped 128-bit key has 24", wrapped.size()));
  }
  // OpenSSL writes the whole input length before it knows the result: room for 24.
  std::array<std::uint8_t, aes_key_size + 8> plain{};
  if (!key_wrap_cipher(kek, false, wrapped, std::span<std::uint8_t>(plain).first(aes_key_size))) {
    return make_error("key unwrap: integrity check failed");
  }
  AesKey key{};
  std::copy(plain.begin(), plain.begin() + static_cast<std::ptrdiff_t>(aes_key_size), key.begin());
  return key;
}

Result<std::vector<std::uint8_t>> random_octets(std::size_t size) {
  std::vector<std::uint8_t> octets(size);
  if (!fits_int(size) || RAND_bytes(octets.data(), static_cast<int>(size)) != 1) {
    return make_error("random generator failed (OpenSSL RAND_bytes)");
  }
  return octets;
}

bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  if (a.size() != b.size()) return false;
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace gridmeter::dlms
